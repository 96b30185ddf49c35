"""The weekly review and the yearly take-stock: their prompts, which week is due, saving."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from cairn.core.errors import DomainError, full_clean_or_raise
from cairn.daily.models import WeeklyReview, YearlyReview
from cairn.daily.streaks import week_start


@dataclass(frozen=True)
class Prompt:
    field: str
    question: str
    hint: str


WEEKLY_PROMPTS = (
    Prompt(
        "what_moved",
        "What moved this week?",
        "Big or small: a conversation, an application, an idea that came clear.",
    ),
    Prompt(
        "who_helped_me",
        "Who helped you?",
        "A name and a line is enough. Is a thank-you owed?",
    ),
    Prompt(
        "whom_i_helped",
        "Whom did you help?",
        "Giving keeps a network warm long before you need anything from it.",
    ),
    Prompt(
        "conversations_needed",
        "Which conversations do you need to have?",
        "With your manager, peers, clients or mentors: who, and about what.",
    ),
    Prompt(
        "next_week_focus",
        "One focus for next week",
        "A single sentence. Today keeps it in view all week.",
    ),
)

YEARLY_PROMPTS = (
    Prompt(
        "proud_of", "What are you proud of this year?", "Name it plainly; nobody else reads this."
    ),
    Prompt(
        "learned",
        "What did you learn about the work you want?",
        "What drew you in, what drained you, what surprised you.",
    ),
    Prompt(
        "people",
        "Who made a difference, and whom did you help?",
        "The people behind the numbers above.",
    ),
    Prompt("let_go", "What will you stop, or do less of?", "Room for the next thing starts here."),
    Prompt(
        "next_year",
        "What do you want next year to hold?",
        "Two or three intentions are plenty.",
    ),
)

WEEKLY_FIELDS = tuple(prompt.field for prompt in WEEKLY_PROMPTS)
YEARLY_FIELDS = tuple(prompt.field for prompt in YEARLY_PROMPTS)
FIRST_YEAR = 1970
SUNDAY, MONDAY = 6, 0


def due_week(today: date, *, last_written: bool) -> date:
    """The week a new review is for: on Sunday the week ending today; otherwise last week,
    unless last week's is written, then this one."""
    this_week = week_start(today)
    if today.weekday() == SUNDAY or last_written:
        return this_week
    return this_week - timedelta(weeks=1)


def nudge_week(today: date) -> date | None:
    """The week whose review Today reminds of: on Sunday this week, on Monday the week just
    ended, and no reminder on other days."""
    if today.weekday() == SUNDAY:
        return week_start(today)
    if today.weekday() == MONDAY:
        return week_start(today) - timedelta(weeks=1)
    return None


def check_week(week_of: date, *, today: date) -> date:
    """The Monday of `week_of`'s week, refused when that week has not started yet."""
    if week_of.year < FIRST_YEAR:
        raise DomainError(f"week: choose a week from {FIRST_YEAR} on.", field="week_of")
    monday = week_start(week_of)
    if monday > today:
        raise DomainError(
            f"week: the week of {monday:%-d %B %Y} has not started yet.", field="week_of"
        )
    return monday


def check_year(year: int, *, today: date) -> int:
    if not FIRST_YEAR <= year <= today.year:
        raise DomainError(
            f"year: {year} is not between {FIRST_YEAR} and {today.year}.", field="year"
        )
    return year


def _clean(values: dict[str, Any], fields: tuple[str, ...]) -> dict[str, str]:
    unknown = set(values) - set(fields)
    if unknown:
        raise DomainError(f"{sorted(unknown)[0]}: not a question of this review.")
    return {name: str(values.get(name) or "").strip() for name in fields}


@transaction.atomic
def weekly_review_save(*, user, week_of: date, today: date, **answers: Any) -> WeeklyReview:
    """Write the review of the week holding `week_of` (one per week: saving again updates)."""
    monday = check_week(week_of, today=today)
    cleaned = _clean(answers, WEEKLY_FIELDS)
    cleaned["next_week_focus"] = " ".join(cleaned["next_week_focus"].split())
    full_clean_or_raise(WeeklyReview(owner=user, week_of=monday, **cleaned), exclude=["owner"])
    review, _ = WeeklyReview.objects.update_or_create(owner=user, week_of=monday, defaults=cleaned)
    return review


@transaction.atomic
def yearly_review_save(*, user, year: int, today: date, **answers: Any) -> YearlyReview:
    """Write the take-stock of `year` (one per year: saving again updates)."""
    check_year(year, today=today)
    cleaned = _clean(answers, YEARLY_FIELDS)
    full_clean_or_raise(YearlyReview(owner=user, year=year, **cleaned), exclude=["owner"])
    review, _ = YearlyReview.objects.update_or_create(owner=user, year=year, defaults=cleaned)
    return review
