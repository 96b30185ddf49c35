"""The complete archive: a row in every archived model survives export, restore and export
again; old versions restore; bad archives are refused naming model, id and field."""

from __future__ import annotations

import io
import json
import re
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import serializers
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from cairn.accounts.models import ApiToken
from cairn.accounts.services import api_token_create
from cairn.core import search
from cairn.core.demo import Size, demo_fill
from cairn.core.models import OwnedModel, owned_models
from cairn.daily.models import Agenda, AgendaItem, Deferral
from cairn.exchange import archive
from cairn.network.models import Circle, Person
from cairn.testing import make_user

# Small, but every kind of row the demo makes.
TINY = Size("tiny", people=24, organisations=6, interactions=80, postings=10)


def fill_account(user: Any) -> None:
    """The demo network, then one generic row in every archived model the demo leaves empty
    (so that a model added by any app takes part in the round trip at once)."""
    demo_fill(user=user, size=TINY, seed=7, today=timezone.localdate())
    for shape in archive.shapes():
        if not shape.model._base_manager.filter(owner=user).exists():
            make_row(shape.model, user)


def _number(f: models.Field) -> int:
    low = 1
    for validator in f.validators:
        if isinstance(validator, MinValueValidator):
            low = max(low, validator.limit_value)
        if isinstance(validator, MaxValueValidator):
            low = min(low, validator.limit_value)
    return low


def _value(f: models.Field, user: Any) -> Any:
    if f.choices:
        return next(key for key, _ in f.flatchoices if key not in ("", None))
    kind = f.get_internal_type()
    if isinstance(f, models.EmailField):
        return "someone@example.com"
    if isinstance(f, models.URLField):
        return "https://example.com/"
    if kind in ("CharField", "TextField", "SlugField"):
        return "sample"[: f.max_length or 6]
    if kind == "BooleanField":
        return True
    if "Integer" in kind:
        return _number(f)
    if kind == "FloatField":
        return 1.5
    if kind == "DecimalField":
        return Decimal("1.5")
    if kind == "DateTimeField":
        return datetime(2025, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)
    if kind == "DateField":
        return date(2025, 3, 4)
    if kind == "TimeField":
        return time(9, 30, 15, 250000)
    if kind == "DurationField":
        return timedelta(minutes=90)
    if kind == "UUIDField":
        return uuid.uuid4()
    if kind == "JSONField":
        return {"sample": [1, "two"]}
    if kind == "BinaryField":
        return b"\x00\x01sample"
    raise AssertionError(f"make_row: no sample value for a {kind} ({f.model.__name__}.{f.name})")


def make_row(model: type[models.Model], user: Any) -> models.Model:
    """One row of `model` owned by `user`, every field given a value of its type."""
    values: dict[str, Any] = {"owner": user}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name == "owner" or getattr(f, "auto_now", False):
            continue
        if getattr(f, "auto_now_add", False):
            continue
        if f.is_relation:
            target = f.related_model
            if target is model:
                values[f.name] = None
            elif isinstance(target, type) and issubclass(target, OwnedModel):
                values[f.name] = target._base_manager.filter(owner=user).first() or make_row(
                    target, user
                )
            else:
                values[f.name] = user
            continue
        values[f.name] = f.get_default() if archive._SECRET.search(f.name) else _value(f, user)
    row = model(**values)
    row.save()
    for f in model._meta.local_many_to_many:
        target = f.related_model
        if issubclass(target, OwnedModel):
            getattr(row, f.name).set(target._base_manager.filter(owner=user)[:2])
    return row


def archive_text(user: Any) -> str:
    return "".join(archive.write_archive(user))


def restore_text(user: Any, text: str, name: str = "archive.json") -> archive.RestoreResult:
    return archive.restore_archive(user, io.BytesIO(text.encode()), name=name)


def normalised(text: str, *, milliseconds: bool = False) -> dict[str, Any]:
    """An archive without what differs between two accounts holding the same data: ids are
    renumbered in order of appearance per model, references follow, the account's address
    and the export time are dropped."""
    data = json.loads(text)
    shapes = {s.label: s for s in archive.shapes()}
    numbers: dict[str, dict[Any, int]] = {}
    for row in data["rows"]:
        mapping = numbers.setdefault(row["model"], {})
        mapping[row["id"]] = len(mapping) + 1
    rows = []
    for row in data["rows"]:
        shape = shapes[row["model"]]
        fields = dict(row["fields"])
        for name, f in shape.links.items():
            if fields.get(name) is not None:
                fields[name] = numbers[f.related_model._meta.label_lower].get(fields[name], "?")
        for name, f in shape.many.items():
            target = numbers.get(f.related_model._meta.label_lower, {})
            fields[name] = sorted(target.get(old, -1) for old in fields[name])
        fields = {name: _implicit(value, name, numbers) for name, value in fields.items()}
        if milliseconds:
            fields = {name: _to_ms(value) for name, value in fields.items()}
        rows.append({"model": row["model"], "id": numbers[row["model"]][row["id"]], **fields})
    account = {k: v for k, v in data["account"].items() if k not in ("email", "date_joined")}
    return {"account": account, "models": data["models"], "rows": rows, "end": data["end"]}


def _implicit(value: Any, name: str, numbers: dict[str, dict[Any, int]]) -> Any:
    """Ids inside Today's keys, links and actions, renumbered like the rows they name."""

    def number(word: str, old: Any) -> Any:
        return numbers.get(archive.ENTITY_WORDS[word], {}).get(old, f"?{old}")

    if isinstance(value, int) and name.endswith("_id") and name[:-3] in archive.ENTITY_WORDS:
        return number(name[:-3], value)
    match = archive._KEY.match(value) if isinstance(value, str) else None
    if match and match.group(2) in archive.ENTITY_WORDS:
        action, word, old = match.groups()
        return f"{action}:{word}:{number(word, int(old))}"
    if isinstance(value, str):
        words = {"people": "person", "organisations": "organisation"}
        return archive._URL.sub(
            lambda m: f"/network/{m.group(1)}/{number(words[m.group(1)], int(m.group(2)))}", value
        )
    return value


_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$")
_TIME = re.compile(r"^\d\d:\d\d:\d\d\.\d+$")


def _to_ms(value: Any) -> Any:
    """Version 1 kept times to the millisecond (Django's JSON encoder): compare at that."""
    if isinstance(value, str) and _ISO.match(value):
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.replace(microsecond=parsed.microsecond // 1000 * 1000).isoformat()
    if isinstance(value, str) and _TIME.match(value):
        parsed_time = time.fromisoformat(value)
        return parsed_time.replace(microsecond=parsed_time.microsecond // 1000 * 1000).isoformat()
    return value


def version_1_export(user: Any) -> str:
    """What `accounts:export` wrote before the complete archive (format version 1)."""
    parts = ['{"format": "cairn-account", "version": 1, "account": ']
    parts.append(
        json.dumps(
            {
                "email": user.email,
                "display_name": user.display_name,
                "time_zone": user.time_zone,
                "daily_action_count": user.daily_action_count,
                "mode": user.mode,
                "date_joined": user.date_joined.isoformat(),
            }
        )
    )
    parts.append(', "rows": {')
    first = True
    for model in owned_models():
        label = model._meta.label_lower
        rows = model.objects.filter(owner=user).order_by("pk")
        parts.append(("" if first else ", ") + json.dumps(label) + ": [")
        first = False
        sep = ""
        for row in rows:
            data = json.loads(serializers.serialize("json", [row]))[0]
            data["fields"].pop("digest", None)
            parts.append(sep + json.dumps({"id": data["pk"], **data["fields"]}))
            sep = ", "
        parts.append("]")
    parts.append("}}\n")
    return "".join(parts)


# ---------------------------------------------------------------- tests

pytestmark = pytest.mark.django_db


@pytest.fixture
def full(owner):
    fill_account(owner)
    api_token_create(user=owner, name="script")
    return owner


def test_every_archived_model_has_rows_in_the_test_account(full):
    data = json.loads(archive_text(full))
    held = {row["model"] for row in data["rows"]}
    missing = sorted(set(data["models"]) - held)
    assert not missing, f"no rows of {missing}: the round trip would not cover them"
    assert set(data["models"]) == {
        m._meta.label_lower for m in owned_models() if m._meta.label_lower != "accounts.apitoken"
    }


def test_export_restore_export_gives_the_same_archive(full):
    first = archive_text(full)
    copy = make_user("copy@example.com")
    result = restore_text(copy, first)
    assert result.version == 2
    assert result.total == len(json.loads(first)["rows"])
    second = archive_text(copy)
    assert normalised(second) == normalised(first)


def test_it_keeps_timestamps_derived_fields_and_links(full):
    copy = make_user("copy@example.com")
    restore_text(copy, archive_text(full))
    introduced = Person.objects.filter(owner=full, introduced_by__isnull=False).first()
    assert introduced is not None, "the demo has introductions"
    twin = Person.objects.get(
        owner=copy, full_name=introduced.full_name, created_at=introduced.created_at
    )
    assert twin.pk != introduced.pk
    assert twin.updated_at == introduced.updated_at
    assert twin.sort_name == introduced.sort_name
    assert twin.last_contact_on == introduced.last_contact_on
    assert twin.next_due_on == introduced.next_due_on
    assert twin.introduced_by.owner_id == copy.pk
    assert twin.introduced_by.full_name == introduced.introduced_by.full_name
    assert sorted(c.name for c in twin.circles.all()) == sorted(
        c.name for c in introduced.circles.all()
    )
    assert copy.display_name == full.display_name
    assert copy.time_zone == full.time_zone
    copy.refresh_from_db()
    assert copy.email == "copy@example.com"


def test_the_accounts_reminder_preferences_travel_but_not_its_feed_secret(full):
    full.digest_enabled, full.digest_time = True, time(18, 45)
    full.notify_urls = "ntfy://ntfy.example.org/cairn"
    full.calendar_token_digest = "f" * 64
    full.save()
    copy = make_user("copy@example.com")
    restore_text(copy, archive_text(full))
    copy.refresh_from_db()
    assert (copy.digest_enabled, copy.digest_time) == (True, time(18, 45))
    assert copy.notify_urls == "ntfy://ntfy.example.org/cairn"
    assert copy.calendar_token_digest is None
    assert "f" * 64 not in archive_text(full)


def test_secrets_never_leave(full):
    text = archive_text(full)
    data = json.loads(text)
    assert "accounts.apitoken" not in data["models"]
    token = ApiToken.objects.get(owner=full)
    assert token.digest not in text and token.prefix not in text
    assert not any(archive._SECRET.search(key) for key in data["account"])
    for fields in data["models"].values():
        assert not any(archive._SECRET.search(name) for name in fields)


def test_restored_rows_are_searchable(full):
    person = Person.objects.filter(owner=full).order_by("pk").first()
    copy = make_user("copy@example.com")
    result = restore_text(copy, archive_text(full))
    assert result.indexed > 0
    hits = search.query(copy, person.full_name, kinds=["person"])
    assert hits and all(
        Person.objects.filter(owner=copy, pk=hit.object_id).exists() for hit in hits
    )


def test_a_version_1_export_restores(full):
    v1 = version_1_export(full)
    copy = make_user("copy@example.com")
    result = restore_text(copy, v1, "cairn-account.json")
    assert result.version == 1
    assert normalised(archive_text(copy), milliseconds=True) == normalised(
        archive_text(full), milliseconds=True
    )


def test_an_account_with_data_is_refused(owner, stranger):
    fill_account(owner)
    Circle.objects.create(owner=stranger, name="Mine")
    with pytest.raises(archive.ArchiveError, match=r"empty account.*holds circles"):
        restore_text(stranger, archive_text(owner))
    assert Person.objects.filter(owner=stranger).count() == 0


def test_the_plan_of_the_day_gives_way(owner, stranger):
    Circle.objects.create(owner=owner, name="Friends")
    agenda = Agenda.objects.create(owner=stranger, day=date(2026, 1, 5), limit=3)
    restore_text(stranger, archive_text(owner))
    assert not Agenda.objects.filter(pk=agenda.pk).exists()
    assert Circle.objects.filter(owner=stranger, name="Friends").exists()


def test_restoring_a_into_b_holds_nothing_of_c(owner, collaborator, stranger):
    fill_account(owner)
    Person.objects.create(owner=stranger, full_name="Zebedee Quixote-Stranger")
    before = {m: m._base_manager.filter(owner=stranger).count() for m in owned_models()}
    restore_text(collaborator, archive_text(owner))
    text = archive_text(collaborator)
    assert "Zebedee" not in text
    assert {m: m._base_manager.filter(owner=stranger).count() for m in owned_models()} == before
    for shape in archive.shapes():
        for name, _f in shape.links.items():
            rows = shape.model._base_manager.filter(owner=collaborator).exclude(
                **{f"{name}__isnull": True}
            )
            assert not rows.exclude(**{f"{name}__owner": collaborator}).exists(), (shape, name)
        for name in shape.many:
            rows = shape.model._base_manager.filter(owner=collaborator)
            assert (
                not rows.exclude(**{f"{name}__owner": collaborator})
                .filter(**{f"{name}__isnull": False})
                .exists()
            ), (shape, name)


def test_ids_inside_todays_items_follow_the_rows(owner, stranger):
    ana = Person.objects.create(owner=owner, full_name="Ana Ruiz")
    agenda = Agenda.objects.create(owner=owner, day=date(2026, 1, 5), limit=3)
    AgendaItem.objects.create(
        owner=owner,
        agenda=agenda,
        key=f"keep_in_touch:person:{ana.pk}",
        kind="keep_in_touch",
        title="Get in touch with Ana",
        why="it has been a while",
        url=f"/network/people/{ana.pk}/",
        position=1,
        person_id=ana.pk,
        action={"person_id": ana.pk, "other": 5},
    )
    Deferral.objects.create(
        owner=owner, key=f"give:person:{ana.pk}", until=date(2026, 2, 1), reason="snoozed"
    )
    Person.objects.create(owner=stranger, full_name="Someone taking the old id")
    copy = make_user("copy@example.com")
    restore_text(copy, archive_text(owner))
    twin = Person.objects.get(owner=copy)
    item = AgendaItem.objects.get(owner=copy)
    assert twin.pk != ana.pk
    assert item.key == f"keep_in_touch:person:{twin.pk}"
    assert item.url == f"/network/people/{twin.pk}/"
    assert item.person_id == twin.pk
    assert item.action == {"person_id": twin.pk, "other": 5}
    assert Deferral.objects.get(owner=copy).key == f"give:person:{twin.pk}"


def _edited(text: str, change) -> str:
    data = json.loads(text)
    change(data)
    return json.dumps(data)


def _row(data, label):
    return next(row for row in data["rows"] if row["model"] == label)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["rows"].append({"model": "network.unicorn", "id": 1, "fields": {}}),
         "network.unicorn: Cairn has no such kind"),
        (lambda d: _row(d, "network.person")["fields"].update(horns=2),
         r"network.person \d+, horns: this version of Cairn has no such field"),
        (lambda d: _row(d, "network.person")["fields"].update(strength="very"),
         r"network.person \d+, strength: 'very' is not a whole number"),
        (lambda d: _row(d, "network.person")["fields"].update(strength=9),
         r"network.person \d+, strength: .*less than or equal to 5"),
        (lambda d: _row(d, "network.interaction")["fields"].update(kind="carrier pigeon"),
         r"network.interaction \d+, kind: 'carrier pigeon' is not one of"),
        (lambda d: _row(d, "network.role")["fields"].update(person=99999),
         r"network.role \d+, person: refers to network.person 99999, which is not in the"),
        (lambda d: _row(d, "network.person")["fields"].update(created_at="last Tuesday"),
         r"network.person \d+, created_at: .*format"),
        (lambda d: d.update(version=3), "written by a newer Cairn"),
        (lambda d: d.update(format="something"), "is not a Cairn archive"),
        (lambda d: d["end"]["rows"].update({"network.person": 1000}),
         "network.person: the archive says it holds 1,000 rows"),
    ],
)  # fmt: skip
def test_a_bad_archive_is_refused_naming_model_id_and_field(owner, change, message):
    fill_account(owner)
    text = _edited(archive_text(owner), change)
    copy = make_user("copy@example.com")
    with pytest.raises(archive.ArchiveError, match=message):
        restore_text(copy, text)
    for model in owned_models():
        assert not model._base_manager.filter(owner=copy).exists(), model


def test_a_truncated_or_foreign_file_is_refused(owner):
    Circle.objects.create(owner=owner, name="Friends")
    text = archive_text(owner)
    copy = make_user("copy@example.com")
    with pytest.raises(archive.ArchiveError, match=r"not valid JSON|expected"):
        restore_text(copy, text[: len(text) // 2])
    with pytest.raises(archive.ArchiveError, match="not a Cairn archive"):
        restore_text(copy, "name,email\nAna,ana@example.com\n", "contacts.csv")
    with pytest.raises(archive.ArchiveError, match="not UTF-8"):
        archive.restore_archive(copy, io.BytesIO(b'{"format": "\xff\xfe"}'), name="x")
    assert not Circle.objects.filter(owner=copy).exists()


def test_a_file_on_disk_restores(owner, tmp_path):
    Circle.objects.create(owner=owner, name="Friends")
    path = tmp_path / "cairn-archive.json"
    path.write_text(archive_text(owner), encoding="utf-8")
    copy = make_user("copy@example.com")
    result = archive.restore_archive(copy, path)
    assert result.counts["network.circle"] == 1
    assert "1 circle" in result.summary() and "cairn-archive.json" in result.summary()


def test_models_come_after_what_they_refer_to():
    order = [s.label for s in archive.shapes()]
    for position, shape in enumerate(archive.shapes()):
        for target in shape.targets() - {shape.label}:
            assert order.index(target) < position, (shape.label, target)


# Any JSON, cut into blocks anywhere, reads back the same, one row at a time.
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(
    head=st.dictionaries(st.text(), _json_values, max_size=3),
    rows=st.lists(_json_values, max_size=12),
    block=st.integers(1, 64),
    indent=st.sampled_from([None, 0, 2]),
)
def test_the_stream_reader_reads_any_json(head, rows, block, indent):
    head = {k: v for k, v in head.items() if k != "rows"}
    document = {**head, "rows": rows, "end": {"n": len(rows)}}
    raw = json.dumps(document, indent=indent, ensure_ascii=bool(block % 2)).encode()

    class Slow(io.BytesIO):
        def read(self, size=-1):
            return super().read(min(block, size if size and size > 0 else block))

    parsed = archive.parse(Slow(raw), "x")
    assert parsed.header == head
    assert [row for _, row in parsed.rows] == rows
    assert parsed.trailer == {"end": {"n": len(rows)}}


def test_the_archive_is_written_and_read_in_pieces(owner, monkeypatch):
    Circle.objects.bulk_create(
        Circle(owner=owner, name=f"Circle {number}") for number in range(archive.BATCH + 20)
    )
    chunks = list(archive.write_archive(owner))
    assert len(chunks) >= 4  # header, two chunks of rows, end
    monkeypatch.setattr(archive.JsonStream, "READ", 37)  # rows cut anywhere between reads
    copy = make_user("copy@example.com")
    result = restore_text(copy, "".join(chunks))
    assert result.counts["network.circle"] == archive.BATCH + 20
    assert Circle.objects.filter(owner=copy, name="Circle 519").exists()
