"""The memory jogger: categories of people in a life, each with a prompt to recall names.

Pure data and helpers; progress is stored in JoggerProgress and people are created by the
services. The prompts are deliberately concrete: a specific room or moment brings back faces.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    slug: str
    group: str
    circle: str
    prompt: str


_RAW = [
    # Work
    (
        "current-team",
        "Work",
        "Colleagues",
        "Who sits in your current team's meetings, including the quiet ones?",
    ),
    (
        "past-managers",
        "Work",
        "Former managers",
        "Picture each job you have had. Who did you report to, and who was their boss?",
    ),
    (
        "past-colleagues",
        "Work",
        "Ex-colleagues",
        "Who did you eat lunch with at your previous jobs? Who covered for you on holiday?",
    ),
    (
        "reports",
        "Work",
        "Former reports",
        "Who has worked for you, even briefly — interns and temps included?",
    ),
    (
        "cross-team",
        "Work",
        "Colleagues",
        "Which people in other departments did you need to get anything done?",
    ),
    (
        "clients",
        "Work",
        "Clients",
        "Which customers or clients did you talk to often enough to recognise their voice?",
    ),
    (
        "vendors",
        "Work",
        "Suppliers & partners",
        "Who sold to you, consulted for you or partnered with your team?",
    ),
    (
        "recruiters",
        "Work",
        "Recruiters",
        "Which recruiters or hiring managers have contacted you over the years?",
    ),
    (
        "competitors",
        "Work",
        "Industry peers",
        "Who do you know at competitors or at companies like yours?",
    ),
    (
        "conferences",
        "Work",
        "Industry peers",
        "Think of conferences, meetups and trade fairs. Whose talk or hallway chat stuck?",
    ),
    # Learning
    (
        "school",
        "Learning",
        "Classmates",
        "Who were your friends at secondary school? Who sat next to you?",
    ),
    (
        "university",
        "Learning",
        "Classmates",
        "Who did you study, share a flat or pull all-nighters with at university?",
    ),
    (
        "teachers",
        "Learning",
        "Teachers & mentors",
        "Which teachers, professors or supervisors would still remember you?",
    ),
    (
        "courses",
        "Learning",
        "Classmates",
        "Who was in your bootcamp, evening class, certification course or online cohort?",
    ),
    (
        "mentors",
        "Learning",
        "Teachers & mentors",
        "Who has given you advice that changed a decision, at any point in your life?",
    ),
    # Home and neighbourhood
    (
        "neighbours",
        "Home",
        "Neighbours",
        "Walk down your street in your head. Who do you say hello to?",
    ),
    (
        "past-neighbours",
        "Home",
        "Neighbours",
        "Who were your neighbours in the places you lived before?",
    ),
    (
        "parents-of-friends",
        "Home",
        "Neighbours",
        "Whose parents do you chat with at the school gate, the playground or children's parties?",
    ),
    # Services
    (
        "health",
        "Services",
        "Services",
        "Your doctor, dentist, physiotherapist, pharmacist — who do you see regularly?",
    ),
    (
        "money-law",
        "Services",
        "Services",
        "Your accountant, bank adviser, lawyer, financial planner, insurance agent?",
    ),
    (
        "everyday-services",
        "Services",
        "Services",
        "Your hairdresser or barber, mechanic, builder, cleaner, the café owner who knows you?",
    ),
    # Hobbies and community
    (
        "sport",
        "Hobbies",
        "Sport & hobbies",
        "Who do you run, climb, cycle, play or train with? Who coaches or referees?",
    ),
    (
        "arts",
        "Hobbies",
        "Sport & hobbies",
        "Who is in your choir, band, book club, theatre group or art class?",
    ),
    (
        "online",
        "Hobbies",
        "Online",
        "Whose posts, newsletters or open-source work do you follow and have replied to?",
    ),
    (
        "volunteering",
        "Community",
        "Community",
        "Who have you volunteered, fundraised or campaigned alongside?",
    ),
    (
        "faith",
        "Community",
        "Community",
        "Who do you know from a place of worship or a community association?",
    ),
    (
        "associations",
        "Community",
        "Community",
        "Which professional bodies, alumni groups or clubs are you part of? Who runs them?",
    ),
    (
        "local",
        "Community",
        "Community",
        "Local business owners, politicians, librarians, journalists — who would recognise you?",
    ),
    # Family and friends
    (
        "family",
        "Family",
        "Family",
        "Parents, siblings, cousins, aunts and uncles — and what each of them does for a living.",
    ),
    ("in-laws", "Family", "Family", "Your partner's family, and your siblings' partners."),
    ("friends", "Friends", "Friends", "Who would you call to celebrate good news? Who calls you?"),
    (
        "friends-of-friends",
        "Friends",
        "Friends",
        "Whom have you met more than twice at friends' dinners, weddings or birthdays?",
    ),
    (
        "travel",
        "Friends",
        "Friends",
        "Who did you meet travelling, on exchange or working abroad and still follow?",
    ),
    (
        "gatekeepers",
        "Work",
        "Colleagues",
        "Assistants, office managers, IT and facilities people who helped you out?",
    ),
]

CATEGORIES: tuple[Category, ...] = tuple(Category(*row) for row in _RAW)
BY_SLUG = {category.slug: category for category in CATEGORIES}


def names_from_text(text: str, *, limit: int = 200) -> list[str]:
    """One name per line; blank lines, bullets and numbering are ignored; duplicates within the
    text are dropped (case and spacing do not matter)."""
    names: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        name = line.strip().lstrip("-*•·").strip()
        if name[:1].isdigit():
            name = name.lstrip("0123456789").lstrip(".)").strip()
        name = " ".join(name.split())[:200]
        key = name.casefold()
        if name and key not in seen:
            seen.add(key)
            names.append(name)
        if len(names) >= limit:
            break
    return names


def next_category(done: set[str]) -> Category | None:
    """The first category not yet worked through (or skipped); None when all are done."""
    return next((category for category in CATEGORIES if category.slug not in done), None)
