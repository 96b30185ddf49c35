"""The professional network: people, organisations, roles, interactions and what links them.

Derived facts (last contact, next due) are stored for sorting and filtering at scale, but only
services write them (`cairn.network.services.contact_dates_refresh`), never a form.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from cairn.core.models import OwnedModel

CADENCE_CHOICES = [
    (30, "Every month"),
    (60, "Every 2 months"),
    (90, "Every 3 months"),
    (180, "Every 6 months"),
    (365, "Once a year"),
]


class Circle(OwnedModel):
    """A user-defined group of people: ex-colleagues, classmates, neighbours, mentors …"""

    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="network_circle_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class CareerField(OwnedModel):
    """A field of work someone can speak to: product management, nursing, data science …"""

    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="network_field_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(OwnedModel):
    class Size(models.TextChoices):
        UNKNOWN = "", "Unknown"
        TINY = "1-10", "1–10"
        SMALL = "11-50", "11–50"
        MEDIUM = "51-250", "51–250"
        LARGE = "251-1000", "251–1,000"
        HUGE = "1000+", "More than 1,000"

    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, blank=True, help_text="e.g. acme.com")
    industry = models.CharField(max_length=120, blank=True)
    location = models.CharField(max_length=200, blank=True)
    size = models.CharField(max_length=10, choices=Size.choices, blank=True, default="")
    notes = models.TextField(blank=True)
    is_target = models.BooleanField("target", default=False)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["owner", "name"]), models.Index(fields=["owner", "domain"])]

    def __str__(self) -> str:
        return self.name


class Person(OwnedModel):
    full_name = models.CharField(max_length=200)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    sort_name = models.CharField(max_length=200, editable=False, db_index=True)
    pronouns = models.CharField(max_length=40, blank=True)
    headline = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    how_met = models.TextField("how we met", blank=True)
    met_on = models.DateField("met on", null=True, blank=True)
    met_at = models.CharField("met at", max_length=200, blank=True, help_text="Place or event.")
    introduced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="introduced"
    )
    circles = models.ManyToManyField(Circle, blank=True, related_name="people")
    fields = models.ManyToManyField(CareerField, blank=True, related_name="people")
    strength = models.PositiveSmallIntegerField(
        "relationship strength",
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
        help_text="0 = never met, 5 = would drop everything for you.",
    )
    cadence_days = models.PositiveSmallIntegerField(
        "keep in touch every (days)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    do_not_contact = models.BooleanField(default=False)
    in_rotation = models.BooleanField(default=True, help_text="Included in the yearly rotation.")
    notes = models.TextField(blank=True, help_text="Markdown.")
    # A birthday is often known without its year (LinkedIn and Google export "Mar 31").
    birthday_month = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    birthday_day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    birthday_year = models.PositiveSmallIntegerField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True, help_text="In the bin until purged.")
    # Derived, written only by services.
    last_contact_on = models.DateField(null=True, blank=True, editable=False)
    next_due_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["sort_name", "pk"]
        indexes = [
            models.Index(fields=["owner", "sort_name"]),
            models.Index(fields=["owner", "next_due_on"]),
            models.Index(fields=["owner", "last_contact_on"]),
            models.Index(fields=["owner", "strength"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(strength__lte=5), name="network_person_strength_range"
            ),
            models.CheckConstraint(
                condition=Q(cadence_days__isnull=True) | Q(cadence_days__gte=1),
                name="network_person_cadence_positive",
            ),
            models.CheckConstraint(
                condition=~Q(introduced_by=F("pk")), name="network_person_not_self_introduced"
            ),
            models.CheckConstraint(
                condition=Q(
                    birthday_month__isnull=True,
                    birthday_day__isnull=True,
                    birthday_year__isnull=True,
                )
                | Q(
                    birthday_month__isnull=False,
                    birthday_day__isnull=False,
                    birthday_month__gte=1,
                    birthday_month__lte=12,
                    birthday_day__gte=1,
                    birthday_day__lte=31,
                ),
                name="network_person_birthday_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        """A birthday is a real day of the year (29 February too), its year optional."""
        month, day, year = self.birthday_month, self.birthday_day, self.birthday_year
        if month is None and day is None and year is None:
            return
        if month is None or day is None:
            raise ValidationError(
                {"birthday_day": "A birthday needs both its month and its day (the year may wait)."}
            )
        if 1 <= month <= 12 and not 1 <= day <= calendar.monthrange(year or 2000, month)[1]:
            where = f"{calendar.month_name[month]} {year}" if year else calendar.month_name[month]
            raise ValidationError({"birthday_day": f"{where} has no day {day}."})

    @property
    def birthday(self) -> str:
        """The birthday as people write it ("31 March", "31 March 1990"), or ""."""
        if not self.birthday_month or not self.birthday_day:
            return ""
        month = date(2000, self.birthday_month, 1).strftime("%B")
        year = f" {self.birthday_year}" if self.birthday_year else ""
        return f"{self.birthday_day} {month}{year}"

    def overdue_days(self, today: date) -> int:
        """Days past the keep-in-touch date (0 when not due or no cadence)."""
        if self.next_due_on is None or self.next_due_on >= today:
            return 0
        return (today - self.next_due_on).days


class ContactPoint(OwnedModel):
    """An email address, phone number or link of a person; `normalized` is what matches."""

    class Kind(models.TextChoices):
        EMAIL = "email"
        PHONE = "phone"
        LINK = "link"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_points")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    value = models.CharField(max_length=500)
    normalized = models.CharField(max_length=500, editable=False)
    label = models.CharField(max_length=40, blank=True, help_text="work, home, LinkedIn …")

    class Meta:
        ordering = ["kind", "pk"]
        indexes = [models.Index(fields=["owner", "kind", "normalized"])]

    def __str__(self) -> str:
        return self.value


class Role(OwnedModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=200, blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    is_current = models.BooleanField("current", default=True)

    class Meta:
        ordering = ["-is_current", "-started_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "is_current"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="network_role_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title or 'Role'} at {self.organisation}"


class Interaction(OwnedModel):
    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        CALL = "call", "Call"
        VIDEO = "video", "Video call"
        MEETING = "meeting", "Meeting"
        COFFEE = "coffee", "Coffee"
        MESSAGE = "message", "Message"
        EVENT = "event", "Event"
        INFORMATIONAL = "informational", "Informational interview"
        JOB_INTERVIEW = "job_interview", "Job interview"
        OTHER = "other", "Other"

    class Direction(models.TextChoices):
        OUTGOING = "outgoing", "I reached out"
        INCOMING = "incoming", "They reached out"
        MUTUAL = "mutual", "Mutual"

    occurred_on = models.DateField("date")
    occurred_at = models.TimeField("time", null=True, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.MESSAGE)
    direction = models.CharField(
        max_length=8, choices=Direction.choices, default=Direction.OUTGOING
    )
    people = models.ManyToManyField(Person, related_name="interactions")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="interactions"
    )
    summary = models.CharField(max_length=300)
    notes = models.TextField(blank=True, help_text="Markdown.")
    follow_up_on = models.DateField("follow up on", null=True, blank=True)
    follow_up_done = models.BooleanField(default=False)

    class Meta:
        ordering = ["-occurred_on", "-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "-occurred_on"]),
            models.Index(fields=["owner", "follow_up_done", "follow_up_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}: {self.summary}"


class Favour(OwnedModel):
    class Direction(models.TextChoices):
        GIVEN = "given", "I helped them"
        RECEIVED = "received", "They helped me"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="favours")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    occurred_on = models.DateField("date")
    description = models.CharField(max_length=500)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        # Today's "give" suggestions weigh each person's balance from this index alone.
        indexes = [models.Index(fields=["owner", "person", "direction"])]

    def __str__(self) -> str:
        return self.description


class LifeEvent(OwnedModel):
    class Kind(models.TextChoices):
        NEW_JOB = "new_job", "New job"
        PROMOTION = "promotion", "Promotion"
        MOVED = "moved", "Moved"
        PUBLISHED = "published", "Published something"
        AWARD = "award", "Award"
        BIRTHDAY = "birthday", "Birthday"
        OTHER = "other", "Other news"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="life_events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    occurred_on = models.DateField("date")
    note = models.CharField(max_length=500, blank=True)
    congratulated = models.BooleanField(default=False)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["owner", "congratulated", "-occurred_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person}"


class Link(OwnedModel):
    """Person knows person, as stated by the user (inferred links are computed, not stored)."""

    class Kind(models.TextChoices):
        WORKED_WITH = "worked_with", "Worked with"
        STUDIED_WITH = "studied_with", "Studied with"
        FAMILY = "family", "Family"
        FRIEND = "friend", "Friend"
        REPORTS_TO = "reports_to", "Reports to"
        OTHER = "other", "Knows"

    from_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links_out")
    to_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.OTHER)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_person=F("to_person")), name="network_link_not_to_self"
            ),
            models.UniqueConstraint(
                fields=["from_person", "to_person", "kind"], name="network_link_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_person} — {self.get_kind_display().lower()} — {self.to_person}"


class MergeRecord(OwnedModel):
    """What a merge changed, so that it can be undone: the absorbed person is kept aside
    (marked merged) and every row that moved is listed with where it came from."""

    survivor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="merges_kept")
    absorbed = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="merges_absorbed")
    survivor_before = models.JSONField(help_text="The survivor's own fields before the merge.")
    moves = models.JSONField(help_text="Rows re-pointed from the absorbed person.")
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.absorbed} merged into {self.survivor}"


class JoggerProgress(OwnedModel):
    """One brainstorm category worked through (or skipped) in the memory jogger."""

    category = models.CharField(max_length=40)
    names_added = models.PositiveIntegerField(default=0)
    skipped = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "category"], name="network_jogger_unique")
        ]

    def __str__(self) -> str:
        return self.category


class Rotation(OwnedModel):
    """Touch everyone over a year: a few people a week, in a fixed order."""

    class Order(models.TextChoices):
        FAMILY_NAME = "family_name", "Alphabetical by family name"
        LEAST_RECENT = "least_recent", "Least recently contacted first"

    weekly_quota = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    order = models.CharField(max_length=12, choices=Order.choices, default=Order.FAMILY_NAME)
    started_on = models.DateField(help_text="The Monday the rotation began.")
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner"], name="network_rotation_one_per_owner")
        ]

    def __str__(self) -> str:
        return f"{self.weekly_quota} a week"
