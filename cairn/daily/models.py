"""Today's agenda, kept per day so that it is stable through the day and its history stays.

Items copy what they show (title, why) rather than pointing at the rows they came from:
`daily` knows no other app, and yesterday's agenda should read as it read yesterday.
"""

from __future__ import annotations

from django.db import models

from cairn.core.models import OwnedModel


class Agenda(OwnedModel):
    """One user's plan for one day in their own time zone, made on the first visit."""

    day = models.DateField()
    limit = models.PositiveSmallIntegerField(help_text="How many actions were asked for.")

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "day"], name="daily_agenda_one_per_day")
        ]

    def __str__(self) -> str:
        return f"Agenda for {self.day.isoformat()}"


class AgendaItem(OwnedModel):
    class State(models.TextChoices):
        OPEN = "open", "To do"
        DONE = "done", "Done"
        SNOOZED = "snoozed", "Snoozed"
        SKIPPED = "skipped", "Skipped"

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(
        max_length=120, help_text="Stable across days, e.g. keep_in_touch:person:42."
    )
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    why = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField()
    is_extra = models.BooleanField(default=False, help_text="In “more if you have time”.")
    is_give = models.BooleanField(default=False)
    person_id = models.BigIntegerField(null=True, blank=True)
    action = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    snoozed_until = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agenda", "is_extra", "position"]
        indexes = [models.Index(fields=["owner", "state", "done_at"])]
        constraints = [
            models.UniqueConstraint(fields=["agenda", "key"], name="daily_item_unique_key"),
            models.CheckConstraint(
                condition=~models.Q(state="snoozed") | models.Q(snoozed_until__isnull=False),
                name="daily_item_snooze_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Deferral(OwnedModel):
    """A key the planner leaves out until a date: snoozed, skipped, or recently done."""

    class Reason(models.TextChoices):
        SNOOZED = "snoozed"
        SKIPPED = "skipped"
        DONE = "done"
        LESS_OFTEN = "less_often"

    key = models.CharField(max_length=120)
    until = models.DateField(help_text="The first day the key may come back.")
    reason = models.CharField(max_length=10, choices=Reason.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="daily_deferral_one_per_key")
        ]
        indexes = [models.Index(fields=["owner", "until"])]

    def __str__(self) -> str:
        return f"{self.key} until {self.until.isoformat()}"


class WeeklyReview(OwnedModel):
    """A few minutes on a Sunday or Monday working *on* the career rather than in it.

    `week_of` is the Monday of the week looked back on; its `next_week_focus` is what Today
    keeps in view through the following week.
    """

    week_of = models.DateField(help_text="The Monday of the week reviewed.")
    what_moved = models.TextField("what moved", blank=True)
    who_helped_me = models.TextField("who helped me", blank=True)
    whom_i_helped = models.TextField("whom I helped", blank=True)
    conversations_needed = models.TextField("conversations needed", blank=True)
    next_week_focus = models.CharField("next week's focus", max_length=300, blank=True)

    class Meta:
        ordering = ["-week_of"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "week_of"], name="daily_weekly_review_one")
        ]

    def __str__(self) -> str:
        return f"Week of {self.week_of.isoformat()}"


class YearlyReview(OwnedModel):
    """Taking stock of a year: what it held, and what the next one should."""

    year = models.PositiveSmallIntegerField()
    proud_of = models.TextField("proud of", blank=True)
    learned = models.TextField(blank=True)
    people = models.TextField("people who mattered", blank=True)
    let_go = models.TextField("let go of", blank=True)
    next_year = models.TextField("next year", blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "year"], name="daily_yearly_review_one")
        ]

    def __str__(self) -> str:
        return f"{self.year} in review"
