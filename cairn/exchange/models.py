"""Imports and what they changed, so that any import can be previewed, committed and undone.

An `ImportBatch` is one file brought in by one person. While it is being previewed its rows
(`ImportRow`) say what would happen to each incoming person and hold the person's choices;
the uploaded file itself waits in `CAIRN_DATA_DIR/imports/<batch id>/` and is read again on
commit. Once committed, `ImportChange` rows say exactly what the import did (the ids it
created, and for people it merged into, the values it replaced) so that undo can reverse it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cairn.core.models import OwnedModel


class ImportBatch(OwnedModel):
    class State(models.TextChoices):
        PREVIEWED = "previewed", "Waiting for you to check"
        COMMITTED = "committed", "Imported"
        UNDONE = "undone", "Undone"

    source_name = models.CharField(max_length=255, help_text="The file name as uploaded.")
    format = models.CharField(max_length=16)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEWED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text="Who uploaded it (the owner, or someone acting for them).",
    )  # fmt: skip
    via = models.CharField(max_length=8, default="web", help_text="web, cli or api.")
    created = models.PositiveIntegerField(default=0)
    merged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)
    interactions = models.PositiveIntegerField(default=0)
    # Preview-time counts by status: {"new": 12, "merge": 3, "proposed": 2, …}.
    summary = models.JSONField(default=dict, blank=True)
    # The choices made on the preview that are not per row (e.g. {"positions": true}).
    decisions = models.JSONField(default=dict, blank=True)
    # File-level warnings and the first problems, as shown: [{"where": …, "reason": …}].
    problems = models.JSONField(default=list, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.get_state_display()})"


class ImportRow(models.Model):
    """One incoming person of a batch being previewed: what would happen, and the choice."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        MERGE = "merge", "Adds to someone you have"
        CONFLICT = "conflict", "Differs from what you have"
        PROPOSED = "proposed", "May be someone you have"
        UNCHANGED = "unchanged", "Already there"
        DUPLICATE = "duplicate", "Repeated in the file"
        INVALID = "invalid", "Cannot be imported"

    class Decision(models.TextChoices):
        IMPORT = "import", "Import"  # create, or merge into the exact match
        MERGE = "merge", "Merge into the proposed person"
        SEPARATE = "separate", "Add as someone new"
        SKIP = "skip", "Leave out"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField(help_text="Order in the file(s), from 0.")
    source = models.CharField(max_length=255)
    row = models.PositiveIntegerField(null=True, blank=True)
    name = models.CharField(max_length=200, blank=True)
    detail = models.CharField(max_length=300, blank=True, help_text="Role, email or link shown.")
    status = models.CharField(max_length=10, choices=Status.choices)
    person = models.ForeignKey(
        "network.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)  # {"fills": …, "conflicts": …, "adds": …}
    decision = models.CharField(max_length=8, choices=Decision.choices)

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="exchange_row_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source} row {self.row}: {self.name}"

    @property
    def key(self) -> str:
        return f"{self.source}#{self.row}"


class ImportChange(models.Model):
    """What a committed import did. `kind` says which:

    - "created": `ids` of `model` rows the import created (one row per model),
    - "updated": the person `object_id` got `after` values; `before` holds what they replaced,
    - "added": `ids` of `model` rows attached to an existing person or circle
      (contact points, roles, circle memberships as [person_id, circle_id] pairs).
    """

    class Kind(models.TextChoices):
        CREATED = "created"
        UPDATED = "updated"
        ADDED = "added"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    model = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    ids = models.JSONField(default=list, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["batch", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.model} {self.object_id or len(self.ids)}"


class OwnPosition(OwnedModel):
    """A role in the user's own career, as LinkedIn's Positions.csv lists them."""

    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="positions"
    )
    organisation = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    location = models.CharField(max_length=200, blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title or 'Role'} at {self.organisation}"
