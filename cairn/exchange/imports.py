"""Importing contacts: read a file, match it against the network, preview, commit, undo.

The pipeline is plan → (preview) → commit. Planning reads the file and matches every incoming
person, writing nothing to the network (`import_plan`). A preview keeps the plan's rows and
the uploaded file so that the person can look through it and choose (`import_preview`);
committing reads the file again, plans again against the network as it is then, applies the
stored choices and writes everything in one transaction (`import_commit`). The CLI and the
API can plan and commit in one go (`import_run`).

Rules:
- the same email, profile link or phone merges into that person; merging fills empty fields
  and adds contact points, roles and circles, and never overwrites a value: a different value
  is listed as a conflict and left as it was;
- a similar name is only proposed; without a choice, the row is left out;
- someone named twice in the file is one person (the later rows add to the first);
- messages and invitations become interactions with people matched by profile link, email
  or exact name: one interaction per conversation and day. People who are not in the network
  (nor in the file) are not created from messages.

Undo (`import_undo`) deletes what the import created and restores what it replaced, except
where the person changed it since: a created person edited after the import (or since given
their own interactions, favours, news or links) is kept; a replaced value that was edited
since keeps the later edit. Undoing twice is refused.
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from cairn.core.errors import DomainError
from cairn.exchange import matching
from cairn.exchange.matching import Existing, MergePlan, PeopleIndex
from cairn.exchange.models import ImportBatch, ImportChange, ImportRow, OwnPosition
from cairn.exchange.records import (
    FORMATS,
    ImportFileError,
    IncomingInteraction,
    IncomingPerson,
    ParsedImport,
    PartialDate,
    Problem,
)
from cairn.exchange.records import (
    OwnPosition as OwnPositionRecord,
)
from cairn.network import contacts, search
from cairn.network.models import (
    Circle,
    ContactPoint,
    Favour,
    Interaction,
    LifeEvent,
    Link,
    Organisation,
    Person,
    Role,
)
from cairn.network.names import sort_key, split_name
from cairn.network.services import circles_get_or_create, contact_dates_refresh

Status = ImportRow.Status
Decision = ImportRow.Decision
BATCH = 2000
MAX_PROBLEMS = 500  # problems kept on a batch; the counts stay exact
PREVIEW_DAYS = 7  # an upload not imported within a week is forgotten
STARRED = "Starred"
Reader = Callable[..., ParsedImport]
Progress = Callable[[str, int], None]  # (what, how many more done)


def imports_dir() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def _read(path: Path, *, format: str, name: str) -> ParsedImport:
    from cairn.exchange import formats

    return formats.read(path, format=format, name=name)


# ---------------------------------------------------------------- planning


@dataclass
class Entry:
    """One incoming person and what would happen to them."""

    position: int
    record: IncomingPerson
    name: str
    status: str
    candidates: tuple[matching.Candidate, ...] = ()
    plan: MergePlan | None = None
    reason: str = ""
    temp_id: int = 0  # for someone new: a negative id other rows of the file may match

    @property
    def key(self) -> str:
        return f"{self.record.source}#{self.record.row}"

    @property
    def target(self) -> int | None:
        return self.candidates[0].person_id if self.candidates else None

    def default_decision(self) -> str:
        if self.status in (Status.PROPOSED, Status.UNCHANGED, Status.INVALID):
            return Decision.SKIP
        return Decision.IMPORT


@dataclass
class Plan:
    format: str
    source: str
    entries: list[Entry]
    interactions: list[IncomingInteraction]
    positions: list[OwnPositionRecord]
    problems: list[Problem]
    skipped_files: list[tuple[str, str]]
    index: PeopleIndex

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for entry in self.entries:
            counts[entry.status] += 1
        return dict(counts)


def existing_people(user) -> PeopleIndex:
    """Everyone in the user's network not in the bin, filed for matching (a few flat queries)."""
    people: dict[int, Existing] = {}
    rows = (
        Person.objects.for_user(user)
        .filter(deleted_at__isnull=True)
        .values_list(
            "pk", "full_name", "given_name", "family_name", "headline", "location", "met_on",
            "birthday_month", "birthday_day", "birthday_year",
        )
    )  # fmt: skip
    for pk, full_name, given, family, headline, location, met_on, month, day, year in rows:
        values: dict[str, object] = {
            "given_name": given, "family_name": family, "headline": headline,
            "location": location, "met_on": met_on,
        }  # fmt: skip
        if month and day:
            values["birthday"] = PartialDate(month, day, year)
        people[pk] = Existing(pk, full_name, values)
    points = ContactPoint.objects.for_user(user).values_list("person_id", "kind", "normalized")
    for person_id, kind, normalized in points:
        person = people.get(person_id)
        if person is not None:
            key = normalized if kind != "link" else matching.link_key(normalized)
            if key:
                person.contact_keys.add((kind, key))
    roles = Role.objects.for_user(user).values_list("person_id", "organisation__name", "title")
    for person_id, organisation, title in roles:
        person = people.get(person_id)
        if person is not None:
            if organisation not in person.organisations:
                person.organisations.append(organisation)
            person.roles.add(matching.role_key(organisation, title))
    through = Person.circles.through.objects.filter(circle__owner=user)
    for person_id, circle in through.values_list("person_id", "circle__name"):
        person = people.get(person_id)
        if person is not None:
            person.circles.add(circle.casefold())
    return PeopleIndex(people.values())


def _existing_for_new(entry: Entry) -> Existing:
    """How a new person of the file looks to later rows of the same file."""
    record = entry.record
    values = matching.incoming_values(record)
    existing = Existing(entry.temp_id, entry.name, dict(values))
    existing.contact_keys = set(matching.incoming_keys(record))
    for role in record.roles:
        if role.organisation.strip():
            existing.organisations.append(role.organisation)
            existing.roles.add(matching.role_key(role.organisation, role.title.strip()))
    existing.circles = {c.strip().casefold() for c in record.circles if c.strip()}
    return existing


def _absorb(existing: Existing, plan: MergePlan) -> None:
    """Let later rows see what an earlier row's merge will add."""
    for key, value in plan.fills.items():
        existing.values[key] = value
    for kind, _, _, key in plan.contacts:
        existing.contact_keys.add((kind, key))
    for organisation, title in plan.roles:
        existing.organisations.append(organisation)
        existing.roles.add(matching.role_key(organisation, title))
    existing.circles.update(c.casefold() for c in plan.circles)


def plan_people(
    people: Iterable[IncomingPerson], index: PeopleIndex, *, progress: Progress | None = None
) -> list[Entry]:
    """Match every incoming person (pure apart from the index it is given, which it extends
    with the file's new people, so that the file is deduplicated against itself)."""
    entries: list[Entry] = []
    by_temp: dict[int, Entry] = {}
    for position, record in enumerate(people):
        name = matching.full_name_of(record)[:200]
        entry = Entry(position, record, name, Status.NEW)
        entries.append(entry)
        if progress and position % 500 == 499:
            progress("rows", 500)
        if not name:
            entry.status, entry.reason = Status.INVALID, "No name."
            continue
        found = matching.match_person(record, index)
        target = found.best
        if found.kind == "exact" and target is not None:
            existing = index.people[target.person_id]
            entry.candidates = found.candidates
            entry.plan = matching.plan_merge(existing, record)
            entry.reason = target.reason
            if target.person_id < 0:
                first = by_temp[target.person_id]
                entry.status = Status.DUPLICATE
                entry.reason = f"the same person as row {first.record.row} ({target.reason})"
            elif entry.plan.conflicts:
                entry.status = Status.CONFLICT
            elif entry.plan.changes_anything:
                entry.status = Status.MERGE
            else:
                entry.status = Status.UNCHANGED
            _absorb(existing, entry.plan)
            continue
        if found.kind in ("proposed", "conflict"):
            entry.status = Status.PROPOSED
            entry.candidates = found.candidates
            best = found.candidates[0]
            entry.plan = matching.plan_merge(index.people[best.person_id], record)
            if found.kind == "conflict":
                entry.reason = "; ".join(c.reason for c in found.candidates)
            elif best.person_id < 0:
                entry.reason = f"{best.reason}: row {by_temp[best.person_id].record.row}"
            else:
                entry.reason = best.reason
        # Someone new (or maybe new): later rows may match them.
        entry.temp_id = -(position + 1)
        by_temp[entry.temp_id] = entry
        index.add(_existing_for_new(entry))
    if progress:
        progress("rows", len(entries) % 500)
    return entries


def import_plan(
    *,
    user,
    path: Path,
    format: str = "auto",
    name: str | None = None,
    reader: Reader | None = None,
    index: PeopleIndex | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Read the file and match it against the user's network; writes nothing.
    Raises ImportFileError when the file as a whole cannot be read."""
    if format not in ("auto", *FORMATS):
        raise DomainError(f"format: {format!r} is not one of auto, {', '.join(FORMATS)}.")
    parsed = (reader or _read)(Path(path), format=format, name=name or Path(path).name)
    index = index if index is not None else existing_people(user)
    entries = plan_people(parsed.people, index, progress=progress)
    interactions = list(parsed.interactions)
    return Plan(
        format=parsed.format, source=parsed.source, entries=entries, interactions=interactions,
        positions=list(parsed.positions),
        problems=[*parsed.problems, *_contact_problems(entries)],
        skipped_files=list(parsed.skipped), index=index,
    )  # fmt: skip


def _contact_problems(entries: list[Entry]) -> Iterator[Problem]:
    """Addresses that will be left out (not an email, a phone without a country …), known
    before anything is written so that the preview and a dry run show them too."""
    for entry in entries:
        if entry.status == Status.INVALID:
            continue
        record = entry.record
        for contact in record.contacts:
            value = contact.value.strip()
            if not value:
                continue
            try:
                _normalized(contact.kind, value)
            except ValidationError as error:
                reason = f"{value!r}: {' '.join(error.messages)} Left out."
                yield Problem(record.source, record.row, contact.kind, reason, "warning")


# ---------------------------------------------------------------- preview


def _problem_rows(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    return [
        {
            "source": p.source, "row": p.row, "field": p.field, "reason": p.reason,
            "severity": p.severity, "text": str(p),
        }
        for p in problems
    ][:MAX_PROBLEMS]  # fmt: skip


def _detail(record: IncomingPerson) -> str:
    parts = []
    if record.roles:
        role = record.roles[0]
        parts.append(" at ".join(part for part in (role.title, role.organisation) if part))
    for item in record.contacts[:1]:
        parts.append(item.value)
    return " · ".join(part for part in parts if part)[:300]


@transaction.atomic
def import_preview(
    *,
    user,
    upload: Path,
    source_name: str,
    format: str = "auto",
    created_by=None,
    via: str = "web",
    reader: Reader | None = None,
) -> ImportBatch:
    """Plan an uploaded file and keep it, with one row per incoming person, for the person to
    check; nothing is written to the network. The file is moved into the batch's folder."""
    source_name = Path(source_name).name[:255] or "import"
    previews_forget(user=user, now=timezone.now())
    plan = import_plan(user=user, path=upload, format=format, name=source_name, reader=reader)
    batch = ImportBatch.objects.create(
        owner=user, source_name=source_name, format=plan.format, created_by=created_by or user,
        via=via, summary=_summary(plan), problems=_problem_rows(plan.problems),
        decisions={"positions": bool(plan.positions)},
    )  # fmt: skip
    rows = []
    for entry in plan.entries:
        rows.append(
            ImportRow(
                batch=batch, position=entry.position, source=entry.record.source[:255],
                row=entry.record.row, name=entry.name or "(no name)",
                detail=_detail(entry.record), status=entry.status,
                person_id=entry.target if entry.target and entry.target > 0 else None,
                score=entry.candidates[0].score if entry.candidates else None,
                reason=entry.reason[:300],
                changes=entry.plan.as_dict() if entry.plan else {},
                decision=entry.default_decision(),
            )
        )  # fmt: skip
    bad = [p for p in plan.problems if p.severity == "error" and p.row is not None]
    for offset, problem in enumerate(bad, start=len(rows)):
        rows.append(
            ImportRow(
                batch=batch, position=offset, source=problem.source[:255], row=problem.row,
                name="", status=Status.INVALID, decision=Decision.SKIP,
                reason=(f"{problem.field}: {problem.reason}" if problem.field
                        else problem.reason)[:300],
            )
        )  # fmt: skip
    ImportRow.objects.bulk_create(rows, batch_size=BATCH)
    folder = imports_dir() / str(batch.pk)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.move(str(upload), folder / source_name)
    return batch


def _summary(plan: Plan) -> dict[str, Any]:
    return {
        "rows": plan.counts(),
        "interactions": len(plan.interactions),
        "positions": len(plan.positions),
        "problems": len(plan.problems),
        "skipped_files": [list(item) for item in plan.skipped_files],
    }


def previews_forget(*, user, now: datetime) -> int:
    """Forget this user's previews left unimported for PREVIEW_DAYS, with their files."""
    stale = ImportBatch.objects.for_user(user).filter(
        state=ImportBatch.State.PREVIEWED, created_at__lt=now - timedelta(days=PREVIEW_DAYS)
    )
    ids = list(stale.values_list("pk", flat=True))
    for pk in ids:
        shutil.rmtree(imports_dir() / str(pk), ignore_errors=True)
    ImportBatch.objects.filter(pk__in=ids).delete()
    return len(ids)


def batch_file(batch: ImportBatch) -> Path:
    return imports_dir() / str(batch.pk) / batch.source_name


def import_decide(
    *, user, batch: ImportBatch, decisions: dict[int, str], positions: bool | None = None
) -> int:
    """Store the person's choices for rows of a previewed batch (row id → decision); returns
    how many rows changed."""
    _check_batch(user, batch, state=ImportBatch.State.PREVIEWED)
    changed = 0
    by_decision: dict[str, list[int]] = defaultdict(list)
    rows = ImportRow.objects.filter(batch=batch, pk__in=list(decisions))
    for pk, status, old in rows.values_list("pk", "status", "decision"):
        new = decisions[pk]
        if new not in Decision.values:
            raise DomainError(f"decision: {new!r} is not a choice.", field="decision")
        if status == Status.INVALID:
            new = Decision.SKIP
        elif new in (Decision.MERGE, Decision.SEPARATE) and status != Status.PROPOSED:
            new = Decision.IMPORT
        elif new == Decision.IMPORT and status == Status.PROPOSED:
            new = Decision.MERGE  # ticked: the person proposed
        if new != old:
            by_decision[new].append(pk)
            changed += 1
    for decision, ids in by_decision.items():
        ImportRow.objects.filter(batch=batch, pk__in=ids).update(decision=decision)
    if positions is not None:
        batch.decisions = {**batch.decisions, "positions": positions}
        batch.save(update_fields=["decisions", "updated_at"])
    return changed


def import_decide_all(*, user, batch: ImportBatch, status: str, decision: str) -> int:
    """One choice for every row of a status (e.g. merge every proposed match)."""
    _check_batch(user, batch, state=ImportBatch.State.PREVIEWED)
    rows = ImportRow.objects.filter(batch=batch, status=status)
    ids = list(rows.values_list("pk", flat=True))
    return import_decide(user=user, batch=batch, decisions=dict.fromkeys(ids, decision))


def import_discard(*, user, batch: ImportBatch) -> None:
    """Forget a previewed import and its file; nothing had been written."""
    _check_batch(user, batch, state=ImportBatch.State.PREVIEWED)
    folder = imports_dir() / str(batch.pk)
    batch.delete()
    shutil.rmtree(folder, ignore_errors=True)


def _check_batch(user, batch: ImportBatch, *, state: str) -> None:
    if batch.owner_id != user.pk:
        raise DomainError("No such import.", code="not_found")
    if batch.state != state:
        if batch.state == ImportBatch.State.UNDONE:
            when = timezone.localtime(batch.undone_at, user.zone) if batch.undone_at else None
            on = f" on {when:%-d %B %Y at %H:%M}" if when else ""
            raise DomainError(f"This import was already undone{on}.", code="conflict")
        if batch.state == ImportBatch.State.COMMITTED:
            raise DomainError("This import has already been imported.", code="conflict")
        raise DomainError(
            "This import has not been imported yet: nothing to undo.", code="conflict"
        )


# ---------------------------------------------------------------- commit


@dataclass
class Outcome:
    batch: ImportBatch | None
    created: int = 0
    merged: int = 0
    skipped: int = 0
    invalid: int = 0
    interactions: int = 0
    positions: int = 0
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # planned rows by status

    def as_dict(self) -> dict[str, Any]:
        return {
            "batch": self.batch.pk if self.batch else None,
            "created": self.created, "merged": self.merged, "skipped": self.skipped,
            "invalid": self.invalid, "interactions": self.interactions,
            "positions": self.positions, "rows": self.counts,
            "problems": [str(p) for p in self.problems],
        }  # fmt: skip


@transaction.atomic
def import_commit(
    *, user, batch: ImportBatch, reader: Reader | None = None, progress: Progress | None = None
) -> Outcome:
    """Import a previewed batch with the choices stored on its rows, in one transaction."""
    # Locked, so that a second press of "Import" waits and then finds it already imported.
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    _check_batch(user, batch, state=ImportBatch.State.PREVIEWED)
    path = batch_file(batch)
    if not path.exists():
        raise DomainError(
            f"{batch.source_name}: the uploaded file is no longer there; upload it again."
        )
    plan = import_plan(
        user=user, path=path, format=batch.format, name=batch.source_name, reader=reader,
        progress=progress,
    )  # fmt: skip
    stored = {
        f"{source}#{row}": (decision, person_id)
        for source, row, decision, person_id in batch.rows.exclude(
            status=Status.INVALID
        ).values_list("source", "row", "decision", "person_id")
    }
    decisions: dict[int, str] = {}
    for entry in plan.entries:
        decision, person_id = stored.get(entry.key, (entry.default_decision(), None))
        if decision == Decision.MERGE and (
            entry.status != Status.PROPOSED or entry.target != person_id
        ):
            decision = entry.default_decision()  # the network changed since the preview
        decisions[entry.position] = decision
    outcome = _write(
        user=user, batch=batch, plan=plan, decisions=decisions,
        positions=bool(batch.decisions.get("positions")), progress=progress,
    )  # fmt: skip
    batch.rows.all().delete()
    folder = imports_dir() / str(batch.pk)
    transaction.on_commit(lambda: shutil.rmtree(folder, ignore_errors=True))
    return outcome


def import_run(
    *,
    user,
    path: Path,
    format: str = "auto",
    name: str | None = None,
    dry_run: bool = False,
    merge_proposed: bool = False,
    positions: bool = True,
    via: str = "cli",
    reader: Reader | None = None,
    progress: Progress | None = None,
) -> Outcome:
    """Plan and import a file in one go (CLI, API): exact matches merge, proposed matches are
    left out unless `merge_proposed`. A dry run writes nothing and reports what it would do."""
    name = name or Path(path).name
    plan = import_plan(
        user=user, path=path, format=format, name=name, reader=reader, progress=progress
    )
    decisions = {}
    for entry in plan.entries:
        decision = entry.default_decision()
        if entry.status == Status.PROPOSED and merge_proposed:
            decision = Decision.MERGE
        decisions[entry.position] = decision
    if dry_run:
        return _dry_outcome(plan, decisions, positions=positions)
    batch = ImportBatch(
        owner=user, source_name=name[:255], format=plan.format, created_by=user, via=via,
        summary=_summary(plan), decisions={"positions": positions},
    )  # fmt: skip
    return _write(
        user=user, batch=batch, plan=plan, decisions=decisions, positions=positions,
        progress=progress,
    )  # fmt: skip


def _dry_outcome(plan: Plan, decisions: dict[int, str], *, positions: bool) -> Outcome:
    outcome = Outcome(None, problems=list(plan.problems), counts=plan.counts())
    for entry in plan.entries:
        decision = decisions[entry.position]
        if entry.status == Status.INVALID:
            outcome.invalid += 1
            outcome.problems.append(_invalid(entry))
        elif decision == Decision.SKIP:
            outcome.skipped += 1
        elif entry.status == Status.NEW or decision == Decision.SEPARATE:
            outcome.created += 1
        elif entry.status == Status.DUPLICATE:
            outcome.skipped += 1
        else:
            outcome.merged += 1
    outcome.interactions = len(_group_interactions(plan.interactions))
    outcome.positions = len(plan.positions) if positions else 0
    outcome.invalid += sum(1 for p in plan.problems if p.severity == "error")
    return outcome


def _invalid(entry: Entry) -> Problem:
    return Problem(entry.record.source, entry.record.row, "name", entry.reason)


class _Writer:
    """Everything one commit writes, collected then written in bulk, with what undo needs."""

    def __init__(self, user, batch: ImportBatch, today: date, format: str):
        self.user = user
        self.batch = batch
        self.today = today
        self.format = format
        self.new_people: list[tuple[Entry, _NewPerson]] = []
        self.person_for_temp: dict[int, _NewPerson] = {}
        self.contacts: list[
            tuple[PersonLike, str, str, str, str]
        ] = []  # person, kind, value, label, normalized
        self.roles: list[tuple[PersonLike, str, str, Any]] = []
        self.circles: list[tuple[PersonLike, str]] = []
        self.updated: dict[int, tuple[Person, dict[str, Any], dict[str, Any]]] = {}
        self.problems: list[Problem] = []

    # -- people

    def create(self, entry: Entry) -> _NewPerson:
        record = entry.record
        person = _NewPerson(entry.name)
        values = matching.incoming_values(record)
        self._fill(person, values, entry)
        if not person.given_name and not person.family_name:
            person.given_name, person.family_name = split_name(person.full_name)
        person.given_name, person.family_name = person.given_name[:100], person.family_name[:100]
        person.sort_name = sort_key(
            full_name=person.full_name, given_name=person.given_name,
            family_name=person.family_name,
        )[:200]  # fmt: skip
        person.notes = record.notes.strip()
        if self.format == "linkedin" and record.connected_on:
            person.how_met = "Connected on LinkedIn"
        self.new_people.append((entry, person))
        self.person_for_temp[entry.temp_id] = person
        self._attach(person, entry, plan=None)
        return person

    def _fill(self, person: PersonLike, values: dict[str, object], entry: Entry) -> dict[str, Any]:
        """Set these values on the person; returns them as stored (JSON-ready)."""
        stored: dict[str, Any] = {}
        for key, value in values.items():
            if key == "met_on":
                assert isinstance(value, date)
                if value > self.today + timedelta(days=1):
                    self.problems.append(
                        Problem(entry.record.source, entry.record.row, "connected_on",
                                f"{value.isoformat()} is in the future; left out", "warning")
                    )  # fmt: skip
                    continue
                person.met_on = value
                stored["met_on"] = value.isoformat()
            elif key == "birthday":
                assert isinstance(value, PartialDate)
                person.birthday_month, person.birthday_day = value.month, value.day
                person.birthday_year = value.year
                stored.update(
                    birthday_month=value.month, birthday_day=value.day, birthday_year=value.year
                )
            else:
                setattr(person, key, value)
                stored[key] = value
        return stored

    def merge(self, entry: Entry, person: Person | None, temp: _NewPerson | None) -> None:
        """Merge into an existing person (`person`, loaded) or one created by this file."""
        assert entry.plan is not None
        if temp is not None:
            self._fill(temp, entry.plan.fills, entry)
            self._attach(temp, entry, plan=entry.plan)
            return
        assert person is not None
        if entry.plan.fills:
            before = {key: _json(getattr(person, key)) for key in _fields(entry.plan.fills)}
            after = self._fill(person, entry.plan.fills, entry)
            old = self.updated.get(person.pk)
            if old is not None:
                before = {**before, **old[1]}  # the first value replaced is the one to restore
                after = {**old[2], **after}
            self.updated[person.pk] = (person, before, after)
        self._attach(person, entry, plan=entry.plan)

    def _attach(self, person: PersonLike, entry: Entry, *, plan: MergePlan | None) -> None:
        record = entry.record
        if plan is not None:
            items = [(kind, value, label) for kind, value, label, _ in plan.contacts]
            roles = list(plan.roles)
            circles = list(plan.circles)
        else:
            items = [(c.kind, c.value.strip(), c.label) for c in record.contacts]
            roles = [
                (" ".join(r.organisation.split()), " ".join(r.title.split())) for r in record.roles
            ]
            circles = [" ".join(c.split()) for c in record.circles]
            if record.favourite:
                circles.append(STARRED)
        role_data = {
            (" ".join(r.organisation.split()), " ".join(r.title.split())): r for r in record.roles
        }
        seen: set[tuple[str, str]] = set()
        for kind, value, label in items:
            if not value:
                continue
            try:
                normalized = _normalized(kind, value)
            except ValidationError:
                continue  # listed among the plan's problems (see _contact_problems)
            if (kind, normalized) in seen:
                continue
            seen.add((kind, normalized))
            shown = contacts.format_phone(normalized) if kind == "phone" else value
            self.contacts.append((person, kind, shown[:500], label[:40], normalized[:500]))
        for organisation, title in roles:
            if organisation:
                self.roles.append(
                    (person, organisation[:200], title[:200], role_data.get((organisation, title)))
                )
        for circle in circles:
            if circle:
                self.circles.append((person, circle[:80]))

    # -- writing

    def write(self, progress: Progress | None) -> list[int]:
        """Write people, contact points, roles and circles; returns the ids of people touched."""
        user = self.user
        people = [person for _, person in self.new_people]
        ids = _insert(
            user, Person, _NewPerson.COLUMNS, [person.row() for person in people], returning=True
        )
        for person, pk in zip(people, ids, strict=True):
            person.pk = person.id = pk
        if progress:
            progress("people", len(people))
        created_ids: list[int] = ids
        updated = [person for person, _, _ in self.updated.values()]
        fields = sorted({key for _, before, _ in self.updated.values() for key in before})
        if updated:
            Person.objects.bulk_update(updated, fields, batch_size=500)
        created_set = set(created_ids)
        # Rows of people this import creates go in as plain inserts (undo deletes the people,
        # and these with them); rows added to people already there keep their ids for undo.
        contact_rows = []
        plain_contacts = []
        for holder, kind, value, label, normalized in self.contacts:
            if holder.pk in created_set:
                plain_contacts.append((holder.pk, kind, value, normalized, label))
            else:
                contact_rows.append(
                    ContactPoint(
                        owner=user, person=holder, kind=kind, value=value,
                        normalized=normalized, label=label,
                    )
                )  # fmt: skip
        ContactPoint.objects.bulk_create(contact_rows, batch_size=BATCH)
        _insert(user, ContactPoint, ["person_id", "kind", "value", "normalized", "label"],
                plain_contacts)  # fmt: skip
        organisations, new_orgs = self._organisations({org for _, org, _, _ in self.roles})
        role_rows = []
        plain_roles = []
        for person, organisation, title, data in self.roles:
            started = getattr(data, "started_on", None)
            ended = getattr(data, "ended_on", None)
            if started and ended and ended < started:
                started = None
            current = bool(getattr(data, "is_current", True) if data else True) and ended is None
            organisation_id = organisations[organisation.casefold()].pk
            if person.pk in created_set:
                plain_roles.append(
                    (person.pk, organisation_id, title, _date(started), _date(ended), current)
                )
                continue
            role_rows.append(
                Role(
                    owner=user, person=person, organisation_id=organisation_id, title=title,
                    started_on=started, ended_on=ended, is_current=current,
                )
            )  # fmt: skip
        Role.objects.bulk_create(role_rows, batch_size=BATCH)
        _insert(
            user, Role,
            ["person_id", "organisation_id", "title", "started_on", "ended_on", "is_current"],
            plain_roles,
        )  # fmt: skip
        circle_names = list(dict.fromkeys(name for _, name in self.circles))
        before_circles = set(Circle.objects.for_user(user).values_list("pk", flat=True))
        circles = {
            c.name.casefold(): c for c in circles_get_or_create(user=user, names=circle_names)
        }
        new_circles = [c.pk for c in circles.values() if c.pk not in before_circles]
        through = Person.circles.through
        pairs = list(
            dict.fromkeys((person.pk, circles[name.casefold()].pk) for person, name in self.circles)
        )
        existing_pairs = set()
        if pairs:
            existing_pairs = set(
                through.objects.filter(
                    person_id__in={p for p, _ in pairs if p not in created_set}
                ).values_list("person_id", "circle_id")
            )
        pairs = [pair for pair in pairs if pair not in existing_pairs]
        through.objects.bulk_create(
            [through(person_id=p, circle_id=c) for p, c in pairs], batch_size=BATCH
        )
        # What undo needs.
        changes = [
            ImportChange(batch=self.batch, kind="created", model="person", ids=created_ids),
            ImportChange(batch=self.batch, kind="created", model="organisation", ids=new_orgs),
            ImportChange(batch=self.batch, kind="created", model="circle", ids=new_circles),
            ImportChange(
                batch=self.batch, kind="added", model="contactpoint",
                ids=[c.pk for c in contact_rows],
            ),
            ImportChange(
                batch=self.batch, kind="added", model="role",
                ids=[r.pk for r in role_rows],
            ),
            ImportChange(
                batch=self.batch, kind="added", model="circle_membership",
                ids=[list(pair) for pair in pairs if pair[0] not in created_set],
            ),
        ]  # fmt: skip
        for changed, before, after in self.updated.values():
            changes.append(
                ImportChange(
                    batch=self.batch, kind="updated", model="person", object_id=changed.pk,
                    before=before, after=after,
                )
            )  # fmt: skip
        ImportChange.objects.bulk_create(changes, batch_size=500)
        for ids in _chunks(sorted(new_orgs)):
            search.sync_organisations(user, ids)
        touched: set[int] = {holder.pk for holder, _, _, _, _ in self.contacts}
        touched |= {holder.pk for holder, _, _, _ in self.roles}
        touched |= {p for p, _ in pairs} | set(self.updated) | created_set
        return sorted(touched)

    def _organisations(self, names: set[str]) -> tuple[dict[str, Organisation], list[int]]:
        found: dict[str, Organisation] = {}
        for organisation in Organisation.objects.for_user(self.user).order_by("pk"):
            found.setdefault(organisation.name.casefold(), organisation)
        new = []
        for name in sorted(names):
            if name.casefold() not in found:
                organisation = Organisation(owner=self.user, name=name)
                found[name.casefold()] = organisation
                new.append(organisation)
        Organisation.objects.bulk_create(new, batch_size=BATCH)
        return found, [o.pk for o in new]


def _insert(
    user, model, columns: list[str], rows: list[tuple], *, returning: bool = False
) -> list[int]:
    """Plain inserts of owned rows, several times faster than building model instances for
    tens of thousands of rows. Without `returning`, one prepared statement run for every
    row; with it, multi-row INSERT … RETURNING (as Django's bulk_create does on SQLite 3.35+
    and PostgreSQL), the new ids in the rows' order."""
    if not rows:
        return []
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    names = [*columns, "owner_id", "created_at", "updated_at"]
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(name) for name in names)
    marks = "(" + ", ".join(["%s"] * len(names)) + ")"
    # Table and column names come from the models, never from input.
    sql = f"INSERT INTO {table} ({quoted}) VALUES "  # noqa: S608
    full = [(*row, user.pk, now, now) for row in rows]
    ids: list[int] = []
    with connection.cursor() as cursor:
        if not returning:
            for start in range(0, len(full), 5000):
                cursor.executemany(sql + marks, full[start : start + 5000])
            return ids
        size = max(1, min(500, 999 // len(names)))
        pk = connection.ops.quote_name(model._meta.pk.column)
        for start in range(0, len(full), size):
            chunk = full[start : start + size]
            cursor.execute(
                f"{sql}{', '.join([marks] * len(chunk))} RETURNING {pk}",
                [value for row in chunk for value in row],
            )
            ids += [row[0] for row in cursor.fetchall()]
    return ids


class _NewPerson:
    """A person this import creates, before and after it is written (see `_insert`): model
    instances cost more to build than everything else about a new person."""

    COLUMNS = [
        "full_name", "given_name", "family_name", "sort_name", "pronouns", "headline",
        "location", "how_met", "met_on", "met_at", "strength", "do_not_contact", "in_rotation",
        "notes", "birthday_month", "birthday_day", "birthday_year",
    ]  # fmt: skip

    def __init__(self, full_name: str):
        self.pk: int | None = None
        self.id: int | None = None
        self.full_name = full_name
        self.given_name = self.family_name = self.sort_name = ""
        self.headline = self.location = self.how_met = self.notes = ""
        self.met_on: date | None = None
        self.birthday_month: int | None = None
        self.birthday_day: int | None = None
        self.birthday_year: int | None = None

    def row(self) -> tuple:
        return (
            self.full_name, self.given_name, self.family_name, self.sort_name, "",
            self.headline, self.location, self.how_met, _date(self.met_on), "", 1, False, True,
            self.notes, self.birthday_month, self.birthday_day, self.birthday_year,
        )  # fmt: skip


PersonLike = Any  # a Person (already there) or a _NewPerson (created by this import)


def _date(value: date | None):
    return connection.ops.adapt_datefield_value(value) if value is not None else None


def _fields(values: dict[str, object]) -> list[str]:
    fields = []
    for key in values:
        if key == "birthday":
            fields += ["birthday_month", "birthday_day", "birthday_year"]
        else:
            fields.append(key)
    return fields


_SIMPLE_LINK = re.compile(r"^https?://(?:www\.)?linkedin\.com(/[A-Za-z0-9/_-]*)$", re.IGNORECASE)


@lru_cache(maxsize=1 << 16)
def _normalized(kind: str, value: str) -> str:
    """What the network stores as `normalized` (see cairn.network.contacts), with a shortcut
    for plain LinkedIn profile links, which make most of a LinkedIn import."""
    if kind == "link" and (simple := _SIMPLE_LINK.match(value)):
        return "https://linkedin.com" + simple[1].rstrip("/")
    return contacts.normalize(kind, value)


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _chunks(ids: list[int], size: int = BATCH) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


@transaction.atomic
def _write(
    *,
    user,
    batch: ImportBatch,
    plan: Plan,
    decisions: dict[int, str],
    positions: bool,
    progress: Progress | None,
) -> Outcome:
    today = timezone.localdate(timezone=user.zone)
    if batch.pk is None:
        batch.save()
    writer = _Writer(user, batch, today, plan.format)
    outcome = Outcome(batch, counts=plan.counts())
    existing_ids = {
        entry.target
        for entry in plan.entries
        if entry.target and entry.target > 0 and decisions[entry.position] != Decision.SKIP
    }
    loaded: dict[int, Person] = {}
    for ids in _chunks(sorted(existing_ids)):
        loaded.update((p.pk, p) for p in Person.objects.for_user(user).filter(pk__in=ids))
    merged_into: set[int] = set()
    for entry in plan.entries:
        decision = decisions[entry.position]
        if entry.status == Status.INVALID:
            outcome.invalid += 1
            writer.problems.append(_invalid(entry))
            continue
        if decision == Decision.SKIP or entry.status == Status.UNCHANGED:
            outcome.skipped += 1
            continue
        if entry.status == Status.NEW or decision == Decision.SEPARATE:
            writer.create(entry)
            outcome.created += 1
            continue
        target = entry.target
        if target is None:
            outcome.skipped += 1
            continue
        if target < 0:
            temp = writer.person_for_temp.get(target)
            if temp is None:  # the row it repeats was left out: this one stands alone
                writer.create(entry)
                outcome.created += 1
            else:
                writer.merge(entry, None, temp)
                outcome.skipped += 1
            continue
        person = loaded.get(target)
        if person is None:
            outcome.skipped += 1
            continue
        writer.merge(entry, person, None)
        if target not in merged_into:
            merged_into.add(target)
            outcome.merged += 1
    outcome.invalid += sum(1 for p in plan.problems if p.severity == "error")
    touched = writer.write(progress)
    interaction_ids, contacted = _write_interactions(user, batch, plan, writer, today)
    outcome.interactions = len(interaction_ids)
    if positions and plan.positions:
        rows = [
            OwnPosition(
                owner=user, batch=batch, organisation=p.organisation[:200], title=p.title[:200],
                description=p.description, location=p.location[:200], started_on=p.started_on,
                ended_on=p.ended_on,
            )
            for p in plan.positions
        ]  # fmt: skip
        OwnPosition.objects.bulk_create(rows)
        outcome.positions = len(rows)
    for ids in _chunks(sorted(contacted)):
        contact_dates_refresh(user=user, person_ids=ids, today=today)
    for ids in _chunks(touched):
        search.sync_people(user, ids)
    for ids in _chunks(interaction_ids):
        search.sync_interactions(user, ids)
    if progress:
        progress("index", len(touched))
    outcome.problems = [*plan.problems, *writer.problems]
    batch.state = ImportBatch.State.COMMITTED
    batch.committed_at = timezone.now()
    batch.created, batch.merged = outcome.created, outcome.merged
    batch.skipped, batch.invalid = outcome.skipped, outcome.invalid
    batch.interactions = outcome.interactions
    batch.problems = _problem_rows(outcome.problems)
    batch.save()
    return outcome


# ---------------------------------------------------------------- interactions


@dataclass
class _Conversation:
    occurred_on: date
    first: IncomingInteraction
    items: list[IncomingInteraction] = field(default_factory=list)


def _group_interactions(items: Iterable[IncomingInteraction]) -> list[_Conversation]:
    """One interaction per conversation and day: messages of one thread on one day are one
    exchange; a message without a thread stands alone."""
    groups: dict[tuple[str, date], _Conversation] = {}
    for position, item in enumerate(items):
        thread = item.thread or f"{item.source}#{item.row}#{position}"
        key = (thread, item.occurred_on)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Conversation(item.occurred_on, item)
        group.items.append(item)
    return list(groups.values())


def _write_interactions(
    user, batch: ImportBatch, plan: Plan, writer: _Writer, today: date
) -> tuple[list[int], set[int]]:
    """Create the interactions of messages and invitations with the people they name."""
    if not plan.interactions:
        return [], set()
    by_name: dict[str, int] = {}
    for pk, existing in plan.index.people.items():
        by_name.setdefault(" ".join(matching.name_words(existing.full_name)), pk)

    def person_for(ref) -> int | None:
        keys: list[tuple[str, str]] = []
        if ref.email and (email := matching.email_key(ref.email)):
            keys.append(("email", email))
        if ref.profile_url and (link := matching.link_key(ref.profile_url)):
            keys.append(("link", link))
        for key in keys:
            found = plan.index.by_contact.get(key)
            if found is not None:
                return found
        words = " ".join(matching.name_words(ref.name)) if ref.name else ""
        return by_name.get(words) if words else None

    known = set(
        Interaction.objects.for_user(user)
        .filter(occurred_on__in={i.occurred_on for i in plan.interactions})
        .values_list("occurred_on", "summary")
    )
    rows: list[Interaction] = []
    people: list[list[int]] = []
    for group in _group_interactions(plan.interactions):
        ids: list[int] = []
        for item in group.items:
            for ref in item.with_people:
                who = person_for(ref)
                if who is not None and who < 0:
                    created = writer.person_for_temp.get(who)
                    who = created.pk if created is not None else None
                if who is not None and who not in ids:
                    ids.append(who)
        if not ids:
            continue
        first = group.first
        summary = " ".join(first.summary.split())[:300] or "LinkedIn message"
        if group.occurred_on > today + timedelta(days=1) or (group.occurred_on, summary) in known:
            continue
        known.add((group.occurred_on, summary))
        directions = {item.direction for item in group.items}
        direction = (
            Interaction.Direction.MUTUAL
            if len(directions) > 1 or "both" in directions
            else Interaction.Direction.INCOMING
            if directions == {"in"}
            else Interaction.Direction.OUTGOING
        )
        notes = "\n\n".join(item.notes.strip() for item in group.items if item.notes.strip())
        kind = first.kind if first.kind in Interaction.Kind.values else Interaction.Kind.OTHER
        rows.append(
            Interaction(
                owner=user, occurred_on=group.occurred_on, occurred_at=first.occurred_at,
                kind=kind, direction=direction, summary=summary, notes=notes,
            )
        )  # fmt: skip
        people.append(ids)
    keep = list(zip(rows, people, strict=True))
    Interaction.objects.bulk_create([row for row, _ in keep], batch_size=BATCH)
    through = Interaction.people.through
    through.objects.bulk_create(
        [through(interaction_id=row.pk, person_id=pk) for row, ids in keep for pk in ids],
        batch_size=BATCH,
    )
    interaction_ids = [row.pk for row, _ in keep]
    ImportChange.objects.create(
        batch=batch, kind="created", model="interaction", ids=interaction_ids
    )
    return interaction_ids, {pk for _, ids in keep for pk in ids}


# ---------------------------------------------------------------- undo


@dataclass
class UndoOutcome:
    deleted: int = 0
    restored: int = 0
    kept: list[str] = field(default_factory=list)  # why something stayed


@transaction.atomic
def import_undo(*, user, batch: ImportBatch, now: datetime | None = None) -> UndoOutcome:
    """Undo a committed import (see the module docstring for what stays)."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    _check_batch(user, batch, state=ImportBatch.State.COMMITTED)
    now = now or timezone.now()
    result = UndoOutcome()
    changes = list(batch.changes.all())
    if not changes and (batch.created or batch.merged or batch.interactions):
        # A batch that came back with a restored archive: what it did is no longer recorded.
        raise DomainError(
            "This import came back with a restored archive, without the record of what it "
            "changed, so it cannot be undone.",
            code="conflict",
        )
    created: dict[str, list[int]] = defaultdict(list)
    added: dict[str, list[Any]] = defaultdict(list)
    for change in changes:
        if change.kind == ImportChange.Kind.CREATED:
            created[change.model] += change.ids
        elif change.kind == ImportChange.Kind.ADDED:
            added[change.model] += change.ids
    interactions = created["interaction"]
    touched: set[int] = set()
    for ids in _chunks(interactions):
        through = Interaction.people.through.objects.filter(interaction_id__in=ids)
        touched |= set(through.values_list("person_id", flat=True))
        Interaction.objects.for_user(user).filter(pk__in=ids).delete()
    people = created["person"]
    kept_people = _edited_since(user, people, batch.committed_at or now, set(interactions))
    if kept_people:
        result.kept.append(
            f"{len(kept_people)} {'person' if len(kept_people) == 1 else 'people'} you "
            "changed after the import stayed"
        )
    gone = [pk for pk in people if pk not in kept_people]
    for ids in _chunks(gone):
        Person.objects.for_user(user).filter(pk__in=ids).delete()
    result.deleted = len(gone)
    for ids in _chunks(added["contactpoint"]):
        ContactPoint.objects.for_user(user).filter(pk__in=ids).delete()
    for ids in _chunks(added["role"]):
        touched |= set(Role.objects.filter(pk__in=ids).values_list("person_id", flat=True))
        Role.objects.for_user(user).filter(pk__in=ids).delete()
    pairs = added["circle_membership"]
    by_circle: dict[int, list[int]] = defaultdict(list)
    for person_id, circle_id in pairs:
        by_circle[circle_id].append(person_id)
    memberships = Person.circles.through.objects.filter(circle__owner=user)
    for circle_id, members in by_circle.items():
        for ids in _chunks(members):
            memberships.filter(circle_id=circle_id, person_id__in=ids).delete()
    touched |= {person_id for person_id, _ in pairs}
    result.restored, edited = _restore(user, [c for c in changes if c.kind == "updated"])
    if edited:
        result.kept.append(
            f"{edited} {'value' if edited == 1 else 'values'} changed since the import kept"
        )
    touched |= {c.object_id for c in changes if c.kind == "updated" and c.object_id}
    orgs = created["organisation"]
    if orgs:
        unused = (
            Organisation.objects.for_user(user)
            .filter(pk__in=orgs, roles__isnull=True, interactions__isnull=True)
            .values_list("pk", flat=True)
        )
        unused_ids = list(unused)
        Organisation.objects.filter(pk__in=unused_ids).delete()
        search.remove(user, "organisation", unused_ids)
    if created["circle"]:
        Circle.objects.for_user(user).filter(pk__in=created["circle"], people__isnull=True).delete()
    OwnPosition.objects.for_user(user).filter(batch=batch).delete()
    search.remove(user, "person", gone)
    search.remove(user, "interaction", interactions)
    remaining = sorted((touched | set(kept_people)) - set(gone))
    remaining = list(
        Person.objects.for_user(user).filter(pk__in=remaining).values_list("pk", flat=True)
    ) if len(remaining) < 30000 else remaining  # fmt: skip
    for ids in _chunks(remaining):
        contact_dates_refresh(user=user, person_ids=ids)
        search.sync_people(user, ids)
    batch.state = ImportBatch.State.UNDONE
    batch.undone_at = now
    batch.save(update_fields=["state", "undone_at", "updated_at"])
    return result


def _edited_since(user, ids: list[int], since: datetime, own: set[int]) -> set[int]:
    """People created by the import that have a life of their own since: edited after the
    import, or given interactions (not the import's), favours, news or links."""
    kept: set[int] = set()
    for chunk in _chunks(ids):
        people = Person.objects.for_user(user).filter(pk__in=chunk)
        kept |= set(people.filter(updated_at__gt=since).values_list("pk", flat=True))
        through = Interaction.people.through.objects.filter(person_id__in=chunk).exclude(
            interaction_id__in=own
        ) if len(own) < 30000 else Interaction.people.through.objects.none()  # fmt: skip
        kept |= set(through.values_list("person_id", flat=True))
        for model in (Favour, LifeEvent):
            kept |= set(
                model.objects.filter(person_id__in=chunk).values_list("person_id", flat=True)
            )
        links = Link.objects.filter(Q(from_person_id__in=chunk) | Q(to_person_id__in=chunk))
        for a, b in links.values_list("from_person_id", "to_person_id"):
            kept |= {a, b} & set(chunk)
    return kept


def _restore(user, changes: list[ImportChange]) -> tuple[int, int]:
    """Put back the values the import replaced where they still hold what it wrote."""
    restored = edited = 0
    ids = [c.object_id for c in changes]
    people = {p.pk: p for p in Person.objects.for_user(user).filter(pk__in=ids)}
    save: list[Person] = []
    fields: set[str] = set()
    for change in changes:
        person = people.get(change.object_id)
        if person is None:
            continue
        changed = False
        for key, value in change.after.items():
            if _json(getattr(person, key)) != value:
                edited += 1
                continue
            before = change.before.get(key)
            if key == "met_on" and before:
                before = date.fromisoformat(before)
            setattr(person, key, before)
            fields.add(key)
            changed = True
        if changed:
            save.append(person)
            restored += 1
    if save:
        Person.objects.bulk_update(save, sorted(fields), batch_size=500)
    return restored, edited


# ---------------------------------------------------------------- reading batches


def batches_for(user):
    """The user's imports, newest first."""
    return ImportBatch.objects.for_user(user)


def people_of(user, batch: ImportBatch, *, limit: int = 100) -> dict[str, list[Person]]:
    """The people a committed import added, and those it added to, that are still there."""
    created: list[int] = []
    updated: set[int] = set()
    for change in batch.changes.all():
        if change.model == "person" and change.kind == ImportChange.Kind.CREATED:
            created += change.ids
        elif change.model == "person" and change.object_id:
            updated.add(change.object_id)
        elif change.model == "circle_membership":
            updated |= {person_id for person_id, _ in change.ids[:limit]}
        elif change.model in ("contactpoint", "role") and len(updated) < limit:
            model = ContactPoint if change.model == "contactpoint" else Role
            rows = model.objects.for_user(user).filter(pk__in=change.ids[:limit])
            updated |= set(rows.values_list("person_id", flat=True))
    live = Person.objects.for_user(user).filter(deleted_at__isnull=True).order_by("sort_name")
    return {
        "created": list(live.filter(pk__in=created[:limit])),
        "updated": list(live.filter(pk__in=sorted(updated)[:limit])),
    }


def file_error_message(error: ImportFileError) -> str:
    """The file's problem for a person, ending so that they know nothing changed."""
    message = error.message.rstrip()
    if not message.endswith((".", "!", "?")):
        message += "."
    return f"{error.source}: {message} Nothing was imported."
