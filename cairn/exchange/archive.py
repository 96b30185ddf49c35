"""The complete archive: every row an account owns, as one JSON document that restores losslessly.

Nothing here knows a particular model: what is archived is `owned_models()` (less the
credential tables), read from each model's meta — its fields, its foreign keys and
many-to-many fields, in an order where every row comes after the rows it refers to. A model
added to any app is archived and restored without a line changing here. The format, its
versions and the upgrade from version 1 are described in docs/archive.md.

Writing streams: rows are read with `values_list(...).iterator()` and leave as text a few
hundred at a time. Reading streams too: `JsonStream` pulls one row at a time out of the
document with the standard library's decoder, so a 200,000-row archive is never all in memory.
"""

from __future__ import annotations

import base64
import codecs
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, models, transaction
from django.utils import timezone
from django.utils.duration import duration_iso_string

from cairn import __version__
from cairn.core.errors import DomainError
from cairn.core.models import OwnedModel, owned_models

FORMAT = "cairn-archive"
VERSION = 2
BATCH = 500  # rows per INSERT when restoring, per chunk of text when writing

# Tables of credentials: a token is useless without its secret, and secrets never leave.
CREDENTIAL_MODELS = frozenset({"accounts.apitoken"})
# Fields that hold a secret (a calendar feed's token, a digest …) are never written; on
# restore they take their default, i.e. a new secret.
# A digest of a secret ends in "digest" (a token's, a feed's); digest_time is a preference.
_SECRET = re.compile(r"(^|_)(token|secret|password)(_|$)|(^|_)digest$")
# The account's own row: what is about the person, not how they log in.
_ACCOUNT_EXCLUDED = frozenset(
    {"id", "password", "last_login", "is_superuser", "is_staff", "is_active", "groups"}
)
_ACCOUNT_KEPT = frozenset({"email", "date_joined"})  # written, never restored over the account's
# Rows Cairn makes by itself on a first visit (Today's plan for the day): a new account that
# has only these still counts as empty, and they give way to the archive's.
REPLACEABLE_MODELS = frozenset({"daily.agenda", "daily.agendaitem"})

# Ids inside text: Today's items and snoozes name what they are about ("keep_in_touch:person:42",
# a link to the person's page, {"interaction_id": 7}); restored rows get new ids, so these are
# rewritten to the new ones.
ENTITY_WORDS = {
    "person": "network.person",
    "interaction": "network.interaction",
    "event": "network.lifeevent",
    "organisation": "network.organisation",
}
_KEY = re.compile(r"^([a-z_]+):([a-z_]+):(\d+)$")
_URL = re.compile(r"/network/(people|organisations)/(\d+)(?=/|$)")
_URL_WORDS = {"people": "network.person", "organisations": "network.organisation"}


class ArchiveError(DomainError):
    """An archive that cannot be restored; says which model, archive id and field, if known."""

    def __init__(self, message: str, *, model: str = "", archive_id: Any = None, field: str = ""):
        where = model
        if archive_id is not None:
            where += f" {archive_id}"
        if field:
            where += f", {field}" if where else field
        super().__init__(f"{where}: {message}" if where else message, field=field or None)
        self.model = model
        self.archive_id = archive_id
        self.field_name = field


# ---------------------------------------------------------------- the shape of the archive


@dataclass
class Shape:
    """What the archive holds of one model: its plain fields, links and many-to-many fields."""

    model: type[models.Model]
    label: str
    # Fields by name (typed loosely: Django's stubs type a relation's target as a union).
    values: dict[str, Any] = field(default_factory=dict)
    links: dict[str, Any] = field(default_factory=dict)
    many: dict[str, Any] = field(default_factory=dict)
    # Links to an account (who did something): "account" when it is the archive's own, else
    # empty — another account's id means nothing elsewhere and is not the archive's to give.
    accounts: dict[str, Any] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [*self.values, *self.links, *self.accounts, *self.many]

    def targets(self) -> set[str]:
        """Labels of the archived models this one refers to."""
        related = [*self.links.values(), *self.many.values()]
        return {f.related_model._meta.label_lower for f in related if _archived_model(f)}


def _label(model: Any) -> str:
    return model._meta.label_lower


def _archived_model(relation: models.Field) -> bool:
    target = relation.related_model
    return (
        isinstance(target, type)
        and issubclass(target, OwnedModel)
        and target._meta.label_lower not in CREDENTIAL_MODELS
    )


def _shape(model: type[models.Model]) -> Shape:
    shape = Shape(model, model._meta.label_lower)
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name == "owner" or getattr(f, "generated", False):
            continue
        if _SECRET.search(f.name):
            shape.secrets.append(f.name)
        elif f.is_relation and f.related_model is get_user_model():
            shape.accounts[f.name] = f  # type: ignore[assignment]
        elif f.is_relation:
            shape.links[f.name] = f  # type: ignore[assignment]
        else:
            shape.values[f.name] = f
    for f in model._meta.local_many_to_many:
        if not f.remote_field.through._meta.auto_created:  # type: ignore[union-attr]
            continue  # an explicit through model is archived as a model of its own
        shape.many[f.name] = f  # type: ignore[assignment]
    return shape


def shapes() -> list[Shape]:
    """Every archived model, each after the models it refers to (self-references aside).

    The order follows the apps' own where it can; a cycle is broken at a nullable link, whose
    value restore then sets once both rows exist.
    """
    found = [_shape(m) for m in owned_models() if m._meta.label_lower not in CREDENTIAL_MODELS]
    by_label = {s.label: s for s in found}
    waiting = {s.label: {t for t in s.targets() if t != s.label and t in by_label} for s in found}
    ordered: list[Shape] = []
    while waiting:
        ready = [label for label, needs in waiting.items() if not needs]
        if not ready:  # a cycle: take the first model whose unmet links may wait
            ready = [next(iter(waiting))]
        label = ready[0]
        ordered.append(by_label[label])
        del waiting[label]
        for needs in waiting.values():
            needs.discard(label)
    return ordered


# ---------------------------------------------------------------- values to JSON and back


def _encoder(f: models.Field) -> Callable[[Any], Any] | None:
    kind = f.get_internal_type()
    if kind in ("DateTimeField", "DateField", "TimeField"):
        return lambda v: v.isoformat()
    if kind in ("DecimalField", "UUIDField", "GenericIPAddressField"):
        return str
    if kind == "DurationField":
        return duration_iso_string
    if kind == "BinaryField":
        return lambda v: base64.b64encode(bytes(v)).decode()
    return None


def _decode(f: models.Field, raw: Any) -> Any:
    """The field's Python value for what the archive holds, checked as a form would check it
    (type, choices, length and range) — except blankness, which services may allow."""
    if raw is None:
        if not f.null:
            raise ValidationError("must have a value")
        return None
    kind = f.get_internal_type()
    if kind == "BinaryField":
        return base64.b64decode(raw, validate=True)
    if kind == "JSONField":
        return raw
    if isinstance(f, models.BooleanField) and not isinstance(raw, bool):
        raise ValidationError(f"{raw!r} is not true or false")
    if isinstance(f, models.IntegerField) and not isinstance(raw, int):
        raise ValidationError(f"{raw!r} is not a whole number")
    if isinstance(f, models.CharField | models.TextField) and not isinstance(raw, str):
        raise ValidationError(f"{raw!r} is not text")
    value = f.to_python(raw)
    if isinstance(value, datetime) and timezone.is_naive(value):
        raise ValidationError(f"{raw!r} has no time zone")
    if f.choices and value not in f.empty_values:
        allowed = {str(key) for key, _ in f.flatchoices}
        if str(value) not in allowed:
            raise ValidationError(f"{value!r} is not one of {', '.join(sorted(allowed))}")
    if value not in f.empty_values:
        f.run_validators(value)
    return value


def _decoder(f: models.Field) -> Callable[[Any], Any]:
    """`_decode` for one field, with the checks decided once: the common types (text,
    numbers, booleans, dates) take a short path, as a restore decodes millions of values."""
    kind = f.get_internal_type()
    null = f.null
    choices = {str(key) for key, _ in f.flatchoices} if f.choices else None
    extra = [v for v in f.validators if not isinstance(v, MaxLengthValidator)]
    limit = getattr(f, "max_length", None)

    def empty() -> None:
        if not null:
            raise ValidationError("must have a value")

    def checked(value: Any) -> Any:
        if choices is not None and value not in f.empty_values and str(value) not in choices:
            raise ValidationError(f"{value!r} is not one of {', '.join(sorted(choices))}")
        for validator in extra:
            validator(value)
        return value

    if kind in ("CharField", "TextField", "SlugField"):

        def text(raw: Any) -> Any:
            if raw is None:
                return empty()
            if type(raw) is not str:
                raise ValidationError(f"{raw!r} is not text")
            if limit is not None and len(raw) > limit:
                raise ValidationError(f"is longer than {limit} characters")
            return checked(raw) if choices is not None or extra else raw

        return text
    if isinstance(f, models.IntegerField) and not f.choices:

        def number(raw: Any) -> Any:
            if raw is None:
                return empty()
            if type(raw) is not int:
                raise ValidationError(f"{raw!r} is not a whole number")
            return checked(raw)

        return number
    if kind == "BooleanField":

        def boolean(raw: Any) -> Any:
            if raw is None:
                return empty()
            if type(raw) is not bool:
                raise ValidationError(f"{raw!r} is not true or false")
            return raw

        return boolean
    parse = {"DateField": date, "DateTimeField": datetime, "TimeField": time}.get(kind)
    if parse is not None:

        def moment(raw: Any) -> Any:
            if raw is None:
                return empty()
            try:
                value = parse.fromisoformat(raw)  # type: ignore[attr-defined]
            except (TypeError, ValueError):
                raise ValidationError(
                    f"{raw!r} is not in ISO 8601 format ({kind.removesuffix('Field').lower()})"
                ) from None
            if kind == "DateTimeField" and timezone.is_naive(value):
                raise ValidationError(f"{raw!r} has no time zone")
            if kind == "DateField" and isinstance(raw, str) and len(raw) != 10:
                raise ValidationError(f"{raw!r} is not a date in ISO 8601 format")
            return checked(value)

        return moment
    return lambda raw: _decode(f, raw)


def _message(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


# ---------------------------------------------------------------- writing

Progress = Callable[[str, int], None]


def account_data(user: Any) -> dict[str, Any]:
    """The account's own preferences (never its password or permissions)."""
    data: dict[str, Any] = {}
    for f in get_user_model()._meta.concrete_fields:
        if f.name in _ACCOUNT_EXCLUDED or _SECRET.search(f.name):
            continue
        value = getattr(user, f.attname)
        encode = _encoder(f)
        data[f.name] = encode(value) if encode and value is not None else value
    return data


# One encoder for every row: json.dumps with options builds a new one on each call.
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def write_archive(user: Any, *, progress: Progress | None = None) -> Iterator[str]:
    """The account and every row it owns as one JSON document, a few hundred rows per chunk.

    Read in one transaction (a snapshot on PostgreSQL and SQLite alike), so that a row added
    while the download runs cannot leave a reference the archive does not hold.
    `progress(label, n)` is called after each chunk of n rows of a model.
    """
    with ExitStack() as stack:
        if not connection.in_atomic_block:
            stack.enter_context(transaction.atomic())
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield from _write(user, progress)


def _write(user: Any, progress: Progress | None) -> Iterator[str]:
    order = shapes()
    head = {
        "format": FORMAT,
        "version": VERSION,
        "generator": f"Cairn {__version__}",
        "exported_at": timezone.now().isoformat(),
        "account": account_data(user),
        "models": {s.label: s.names for s in order},
    }
    yield _json(head)[:-1] + ',\n"rows": [\n'
    counts: dict[str, int] = {}
    first = True
    for shape in order:
        counts[shape.label] = 0
        chunk: list[str] = []
        for row in _rows(user, shape):
            chunk.append(_json(row))
            if len(chunk) == BATCH:
                yield ("" if first else ",\n") + ",\n".join(chunk)
                first = False
                counts[shape.label] += len(chunk)
                if progress:
                    progress(shape.label, len(chunk))
                chunk = []
        if chunk:
            yield ("" if first else ",\n") + ",\n".join(chunk)
            first = False
            counts[shape.label] += len(chunk)
            if progress:
                progress(shape.label, len(chunk))
    yield '\n],\n"end": ' + _json({"rows": counts}) + "}\n"


def _rows(user: Any, shape: Shape) -> Iterator[dict[str, Any]]:
    """One model's rows of `user`, in id order, as archive rows."""
    plain = [(name, f.attname, _encoder(f)) for name, f in shape.values.items()]
    links = [(name, f.attname) for name, f in shape.links.items()]
    accounts = [(name, f.attname) for name, f in shape.accounts.items()]
    columns = ["pk"] + [a for _, a, _ in plain] + [a for _, a in links + accounts]
    rows = (
        shape.model._base_manager.filter(owner=user)
        .order_by("pk")
        .values_list(*columns)
        .iterator(chunk_size=2000)
    )
    many = {name: _many(user, f) for name, f in shape.many.items()}
    for values in rows:
        pk = values[0]
        fields: dict[str, Any] = {}
        for (name, _, encode), value in zip(plain, values[1:], strict=False):
            fields[name] = encode(value) if encode is not None and value is not None else value
        rest = values[1 + len(plain) :]
        for (name, _), value in zip(links, rest, strict=False):
            fields[name] = value
        for (name, _), value in zip(accounts, rest[len(links) :], strict=True):
            fields[name] = "account" if value == user.pk else None
        for name, source in many.items():
            fields[name] = source.take(pk)
        yield {"model": shape.label, "id": pk, "fields": fields}


class _Merge:
    """The targets of one many-to-many field, read in source order alongside the rows."""

    def __init__(self, pairs: Iterator[tuple[int, int]]):
        self.pairs = pairs
        self.head = next(pairs, None)

    def take(self, pk: int) -> list[int]:
        found = []
        while self.head is not None and self.head[0] <= pk:
            if self.head[0] == pk:
                found.append(self.head[1])
            self.head = next(self.pairs, None)
        return found


def _many(user: Any, f: Any) -> _Merge:
    through: Any = f.remote_field.through
    source, target = f.m2m_field_name(), f.m2m_reverse_field_name()
    source_column = through._meta.get_field(source).attname
    target_column = through._meta.get_field(target).attname
    pairs = (
        through._base_manager.filter(**{f"{source}__owner": user})
        .order_by(source_column, target_column)
        .values_list(source_column, target_column)
        .iterator(chunk_size=5000)
    )
    return _Merge(pairs)


def archive_counts(user: Any) -> dict[str, int]:
    """How many rows of each archived model `user` owns (for a progress bar's totals)."""
    return {s.label: s.model._base_manager.filter(owner=user).count() for s in shapes()}


# ---------------------------------------------------------------- reading JSON as a stream

_DECODER = json.JSONDecoder()
_SPACE = frozenset(" \t\r\n")
_NUMBER_GOES_ON = frozenset("0123456789.eE+-")


class JsonStream:
    """Pulls JSON values one at a time out of a large document, reading as it goes."""

    READ = 1 << 16

    def __init__(self, stream: IO[bytes], name: str):
        self.stream = stream
        self.name = name
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.bytes_read = 0

    def _more(self, size: int = READ) -> bool:
        if self.eof:
            return False
        data = self.stream.read(size)
        self.bytes_read += len(data)
        try:
            text = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError:
            raise ArchiveError(f"{self.name} is not UTF-8 text.") from None
        self.eof = not data
        self.buf = self.buf[self.pos :] + text
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not white space, or "" at the end."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _SPACE:
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                return ""

    def expect(self, allowed: str, what: str) -> str:
        char = self.peek()
        if not char or char not in allowed:
            found = "the end of the file" if not char else repr(char)
            raise ArchiveError(f"{self.name}: expected {what}, found {found} {self._where()}.")
        self.pos += 1
        return char

    def value(self) -> Any:
        self.peek()
        size = self.READ
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as error:
                if self._more(size):
                    size *= 2  # a long value: read more each time, not the same again
                    continue
                raise ArchiveError(
                    f"{self.name} is not valid JSON ({error.msg}) {self._where()}."
                ) from None
            # A number may go on in the next block.
            if (
                not isinstance(value, dict | list | str)
                and (end == len(self.buf) or self.buf[end] in _NUMBER_GOES_ON)
                and self._more(size)
            ):
                continue
            self.pos = end
            return value

    def _where(self) -> str:
        return f"near byte {max(0, self.bytes_read - len(self.buf.encode()) + self.pos):,}"


@dataclass
class Parsed:
    """An archive as read: its header, then its rows as (group, row) one at a time.

    `group` is the model label for version 1 (rows grouped by model) and None after.
    `trailer` fills when the rows are exhausted.
    """

    header: dict[str, Any]
    rows: Iterator[tuple[str | None, Any]]
    trailer: dict[str, Any]


def parse(stream: IO[bytes], name: str) -> Parsed:
    """Read the header of the archive in `stream`; the rows follow as they are consumed."""
    s = JsonStream(stream, name)
    if s.peek() != "{":
        raise ArchiveError(f"{name} is not a Cairn archive (a JSON document was expected).")
    s.expect("{", "{")
    header: dict[str, Any] = {}
    trailer: dict[str, Any] = {}
    has_rows = False
    if s.peek() == "}":
        s.pos += 1
    else:
        while True:
            key = s.value()
            if not isinstance(key, str):
                raise ArchiveError(f"{name}: expected a key {s._where()}.")
            s.expect(":", "':'")
            if key == "rows":
                has_rows = True
                break
            header[key] = s.value()
            if s.expect(",}", "',' or '}'") == "}":
                break

    def elements() -> Iterator[Any]:
        if s.peek() == "]":
            s.pos += 1
            return
        while True:
            yield s.value()
            if s.expect(",]", "',' or ']'") == "]":
                return

    def rows() -> Iterator[tuple[str | None, Any]]:
        if not has_rows:
            return
        if s.expect("[{", "a list of rows") == "[":
            for row in elements():
                yield None, row
        elif s.peek() == "}":
            s.pos += 1
        else:
            while True:
                group = s.value()
                s.expect(":", "':'")
                s.expect("[", "a list of rows")
                for row in elements():
                    yield group, row
                if s.expect(",}", "',' or '}'") == "}":
                    break
        while s.expect(",}", "',' or '}'") == ",":
            key = s.value()
            s.expect(":", "':'")
            trailer[key] = s.value()
        if s.peek():
            raise ArchiveError(f"{name}: unexpected text after the archive {s._where()}.")

    parsed = Parsed(header, rows(), trailer)
    parsed.stream = s  # type: ignore[attr-defined]
    return parsed


# ---------------------------------------------------------------- versions


def _upgrade_1_to_2(parsed: Parsed) -> Parsed:
    """Version 1 (`accounts:export` until the complete archive): rows grouped by model, each
    `{"id", "owner", field: value …}` with links as ids. Version 2 lists rows one by one as
    `{"model", "id", "fields"}`, without the owner and without any credential table."""

    by_label = {s.label: s for s in shapes()}

    def rows() -> Iterator[tuple[str | None, Any]]:
        for group, row in parsed.rows:
            if not isinstance(row, dict):
                raise ArchiveError("each row must be an object", model=str(group))
            if group in CREDENTIAL_MODELS:
                continue
            row = dict(row)
            archive_id = row.pop("id", None)
            row.pop("owner", None)
            # Version 1 held only the account's own rows: a link to an account was to it.
            shape = by_label.get(str(group))
            for name in shape.accounts if shape else ():
                if row.get(name) is not None:
                    row[name] = "account"
            yield None, {"model": group, "id": archive_id, "fields": row}

    header = {
        "format": FORMAT,
        "version": 2,
        "generator": "Cairn (account export, version 1)",
        "account": parsed.header.get("account") or {},
    }
    return Parsed(header, rows(), parsed.trailer)


# Each function turns an archive of version n into one of version n + 1, row by row.
UPGRADES: dict[int, Callable[[Parsed], Parsed]] = {1: _upgrade_1_to_2}
_FORMATS = {"cairn-account": 1, FORMAT: 2}


def upgrade(parsed: Parsed, name: str) -> tuple[Parsed, int]:
    """The archive as the current version, and the version it was written in."""
    header = parsed.header
    if header.get("format") not in _FORMATS or not isinstance(header.get("version"), int):
        raise ArchiveError(
            f"{name} is not a Cairn archive (it has no format and version Cairn knows)."
        )
    version = header["version"]
    if version > VERSION:
        raise ArchiveError(
            f"{name} was written by a newer Cairn (archive version {version}; this one reads "
            f"up to {VERSION}). Upgrade Cairn, then restore it."
        )
    original = version
    while version < VERSION:
        if version not in UPGRADES:
            raise ArchiveError(f"{name}: archive version {version} cannot be read any more.")
        parsed = UPGRADES[version](parsed)
        version += 1
    return parsed, original


# ---------------------------------------------------------------- restoring


@dataclass
class RestoreResult:
    """What a restore wrote."""

    source: str
    version: int  # the version the archive was written in
    counts: dict[str, int]
    indexed: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        parts = [
            f"{count:,} {kind_name(label, count)}" for label, count in self.counts.items() if count
        ]
        restored = ", ".join(parts) if parts else "nothing"
        return f"Restored {restored} from {self.source}."


# Django's default plural of "person" is "persons".
_NAMES = {"network.person": ("person", "people")}


def kind_name(label: str, count: int = 2) -> str:
    """What rows of a model are called, for people: "people", "contact points"."""
    from django.apps import apps

    meta = apps.get_model(label)._meta
    one, many = _NAMES.get(label, (str(meta.verbose_name), str(meta.verbose_name_plural)))
    return one if count == 1 else many


def account_has_data(user: Any) -> list[str]:
    """Labels of the archived models in which `user` already has rows (beyond the
    replaceable ones); empty when an archive may be restored into the account."""
    return [
        s.label
        for s in shapes()
        if s.label not in REPLACEABLE_MODELS and s.model._base_manager.filter(owner=user).exists()
    ]


RestoreProgress = Callable[[int, int], None]


def looks_like_archive(path: str | Path) -> bool:
    """Whether the file starts like a Cairn archive (any version), whatever its name."""
    try:
        with open(path, "rb") as source:
            head = source.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    except (IsADirectoryError, OSError):
        return False
    return head.startswith(b"{") and any(f'"{name}"'.encode() in head for name in _FORMATS)


def restore_archive(
    user: Any,
    path: str | Path | IO[bytes],
    *,
    name: str | None = None,
    progress: RestoreProgress | None = None,
) -> RestoreResult:
    """Restore the archive at `path` (or an open binary file) into `user`'s empty account.

    All or nothing, in one transaction; every row gets a new id and every reference follows.
    The account's preferences are taken from the archive (not its email or password). The
    search index is rebuilt for the restored rows. `progress(bytes_read, total_bytes)` is
    called as the file is read. An account with data is refused: restoring is not merging.
    """
    with ExitStack() as stack:
        if isinstance(path, str | Path):
            name = name or Path(path).name
            try:
                stream: IO[bytes] = stack.enter_context(open(path, "rb"))
            except OSError as error:
                raise ArchiveError(f"Cannot read {path}: {error.strerror}.") from None
        else:
            stream = path
            name = name or getattr(path, "name", None) or "the archive"
        total = _size(stream)
        busy = account_has_data(user)
        if busy:
            kinds = [kind_name(label) for label in busy]
            held = ", ".join(kinds[:4]) + (f" and {len(kinds) - 4} more" if len(kinds) > 4 else "")
            raise ArchiveError(
                "An archive can only be restored into an empty account, and this one already "
                f"holds {held}. Restore it into a new account, or delete what is here first.",
            )
        parsed, original = upgrade(parse(stream, name), name)
        with transaction.atomic():
            result = _Restorer(user, name).run(parsed, progress=progress, total=total)
            result.version = original
            from cairn.core import search

            result.indexed = search.rebuild(user)
        return result


def _size(stream: IO[bytes]) -> int:
    try:
        position = stream.tell()
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(position)
        return size - position
    except (OSError, AttributeError, ValueError):
        return 0


_NO_PREP = frozenset(
    {"CharField", "TextField", "SlugField", "BooleanField", "ForeignKey", "IntegerField",
     "BigIntegerField", "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField",
     "PositiveSmallIntegerField"}
)  # fmt: skip


class _Plan:
    """How one model's rows are decoded and written: decoders per field, and the columns of
    its INSERT with the conversion each value needs on the way to the database."""

    def __init__(self, shape: Shape):
        meta = shape.model._meta
        self.table = meta.db_table
        self.pk = meta.pk.column
        self.decoders = {name: _decoder(f) for name, f in shape.values.items()}
        self.id_holders = {name for name, f in shape.values.items() if _id_holder(name, f)}
        self.names = frozenset(shape.names)
        self.columns: list[tuple[str, str, Callable[[Any], Any] | None]] = []
        for f in meta.concrete_fields:
            if f.primary_key or getattr(f, "generated", False):
                continue
            prep = None
            if f.get_internal_type() not in _NO_PREP:
                prep = _prep(f)
            self.columns.append((f.attname, f.column, prep))
        self.many = {}
        for name, f in shape.many.items():
            through: Any = f.remote_field.through._meta
            self.many[name] = (
                through.db_table,
                through.get_field(f.m2m_field_name()).column,
                through.get_field(f.m2m_reverse_field_name()).column,
            )


def _prepared(value: Any, prep: Callable[[Any], Any] | None) -> Any:
    return value if prep is None or value is None else prep(value)


def _prep(f: models.Field) -> Callable[[Any], Any]:
    database = connections[DEFAULT_DB_ALIAS]  # the connection itself, not its proxy
    # Dates and times are already checked Python values: straight to the database's form
    # (the full get_db_prep_save path costs several times more, for each of ~10⁶ values).
    adapt = {
        "DateTimeField": database.ops.adapt_datetimefield_value,
        "DateField": database.ops.adapt_datefield_value,
        "TimeField": database.ops.adapt_timefield_value,
    }.get(f.get_internal_type())
    if adapt is not None:
        return adapt
    return lambda value: f.get_db_prep_save(value, database)


def _insert(table: str, columns: list[str], rows: list[list[Any]], returning: str | None):
    """INSERT rows in as few statements as the database allows; the new ids, in row order,
    when `returning` names the id column (SQLite 3.35+ and PostgreSQL both return them in
    the order of the VALUES, as Django's own bulk_create relies on)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    limit = connection.features.max_query_params
    per = BATCH if not limit else max(1, min(BATCH, limit // max(1, len(columns))))
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            # Table and column names come from the models, quoted; values are parameters.
            values = ", ".join([one] * len(chunk))
            sql = f"INSERT INTO {quote(table)} ({names}) VALUES {values}"  # noqa: S608
            params = [value for row in chunk for value in row]
            if returning is None:
                cursor.execute(sql, params)
            elif connection.features.can_return_rows_from_bulk_insert:
                cursor.execute(f"{sql} RETURNING {quote(returning)}", params)
                ids.extend(row[0] for row in cursor.fetchall())
            else:
                for row in chunk:
                    single = f"INSERT INTO {quote(table)} ({names}) VALUES {one}"  # noqa: S608
                    cursor.execute(single, row)
                    ids.append(connection.ops.last_insert_id(cursor, table, returning))
    return ids


@dataclass
class _Later:
    """A reference to set once its target row exists (a self-reference, a cycle)."""

    shape: Shape
    new_pk: int
    archive_id: Any
    name: str
    target: str
    old: Any


class _Restorer:
    def __init__(self, user: Any, name: str):
        self.user = user
        self.name = name
        self.shapes = {s.label: s for s in shapes()}
        self.plans = {label: _Plan(shape) for label, shape in self.shapes.items()}
        self.ids: dict[str, dict[Any, int]] = defaultdict(dict)
        self.counts: dict[str, int] = dict.fromkeys(self.shapes, 0)
        self.later: list[_Later] = []
        self.later_many: list[tuple[Shape, int, Any, str, Any]] = []
        self.implicit: list[tuple[Shape, int, Any, dict[str, Any]]] = []
        self.warnings: list[str] = []
        self.batch: list[tuple[Any, dict[str, Any], dict[str, Any]]] = []
        self.batch_shape: Shape | None = None
        self.batch_ids: set[Any] = set()

    # -- the run

    def run(self, parsed: Parsed, *, progress: RestoreProgress | None, total: int):
        self._account(parsed.header.get("account") or {})
        self._clear_replaceable()
        reader: JsonStream | None = getattr(parsed, "stream", None)
        if parsed.header.get("version", VERSION) == VERSION and "models" in parsed.header:
            self._check_models(parsed.header["models"])
        for read, (_, row) in enumerate(parsed.rows, start=1):
            self._row(row)
            if progress and reader is not None and read % BATCH == 0:
                progress(reader.bytes_read, total)
        self._flush()
        self._resolve_later()
        self._rewrite_implicit()
        self._check_trailer(parsed.trailer)
        if progress and reader is not None:
            progress(reader.bytes_read, total)
        return RestoreResult(self.name, VERSION, self.counts, warnings=self.warnings)

    def _check_models(self, listed: Any) -> None:
        if not isinstance(listed, dict):
            raise ArchiveError(f"{self.name}: 'models' must map each model to its fields.")
        for label, names in listed.items():
            shape = self.shapes.get(label)
            if shape is None:
                raise ArchiveError(self._unknown_model(label), model=label)
            unknown = sorted(set(names or []) - set(shape.names))
            if unknown:
                raise ArchiveError(
                    "this version of Cairn has no such field (was the archive made by a "
                    "newer one?)",
                    model=label,
                    field=unknown[0],
                )

    def _unknown_model(self, label: str) -> str:
        return (
            "Cairn has no such kind of data: was the archive made by a newer version, "
            "or edited by hand?"
        )

    def _check_trailer(self, trailer: dict[str, Any]) -> None:
        counts = (trailer.get("end") or {}).get("rows") if trailer else None
        if counts is None:
            return
        for label, expected in counts.items():
            got = self.counts.get(label, 0)
            if got != expected:
                raise ArchiveError(
                    f"the archive says it holds {expected:,} rows but {got:,} were read: "
                    "the file is incomplete or was edited.",
                    model=label,
                )

    def _account(self, data: dict[str, Any]) -> None:
        if not isinstance(data, dict):
            raise ArchiveError("'account' must be an object.", model="account")
        user_model = get_user_model()
        changed = []
        for key, raw in data.items():
            if key in _ACCOUNT_KEPT or key in _ACCOUNT_EXCLUDED or _SECRET.search(key):
                continue
            try:
                f: Any = user_model._meta.get_field(key)
            except Exception:
                raise ArchiveError("unknown account setting", model="account", field=key) from None
            if not f.concrete or f.is_relation:
                raise ArchiveError("unknown account setting", model="account", field=key)
            try:
                value = _decode(f, raw)
            except ValidationError as error:
                raise ArchiveError(_message(error), model="account", field=key) from None
            setattr(self.user, f.attname, value)
            changed.append(f.attname)
        if changed:
            self.user.save(update_fields=changed)

    def _clear_replaceable(self) -> None:
        for label in REPLACEABLE_MODELS:
            shape = self.shapes.get(label)
            if shape is not None:
                shape.model._base_manager.filter(owner=self.user).delete()

    # -- one row

    def _row(self, row: Any) -> None:
        if not isinstance(row, dict):
            raise ArchiveError(f"{self.name}: each row must be an object.")
        label = row.get("model")
        archive_id = row.get("id")
        shape = self.shapes.get(label) if isinstance(label, str) else None
        if shape is None:
            raise ArchiveError(self._unknown_model(str(label)), model=str(label))
        if isinstance(archive_id, bool) or not isinstance(archive_id, int | str):
            raise ArchiveError("every row needs an id (a number or text)", model=shape.label)
        if shape is not self.batch_shape:
            self._flush()
            self.batch_shape = shape
        if archive_id in self.ids[shape.label] or archive_id in self.batch_ids:
            raise ArchiveError("this id appears twice", model=shape.label, archive_id=archive_id)
        self.batch_ids.add(archive_id)
        fields = row.get("fields")
        if not isinstance(fields, dict):
            raise ArchiveError(
                "'fields' must be an object", model=shape.label, archive_id=archive_id
            )
        unknown = fields.keys() - self.plans[shape.label].names
        if unknown:
            raise ArchiveError(
                "this version of Cairn has no such field",
                model=shape.label,
                archive_id=archive_id,
                field=sorted(unknown)[0],
            )

        values: dict[str, Any] = {"owner_id": self.user.pk}
        later: list[tuple[str, str, Any]] = []
        implicit: dict[str, Any] = {}
        plan = self.plans[shape.label]
        decoders, holders = plan.decoders, plan.id_holders
        for name, f in shape.values.items():
            if name not in fields:
                values[f.attname] = self._missing(shape, archive_id, name, f)
                continue
            try:
                value = decoders[name](fields[name])
            except ValidationError as error:
                raise ArchiveError(
                    _message(error), model=shape.label, archive_id=archive_id, field=name
                ) from None
            values[f.attname] = value
            if name in holders and _may_hold_ids(name, f, value):
                implicit[f.attname] = value
        for name in shape.secrets:
            secret: Any = shape.model._meta.get_field(name)
            values[secret.attname] = self._missing(shape, archive_id, name, secret)
        for name, f in shape.links.items():
            raw = fields.get(name)
            if name not in fields and not f.null:
                raise ArchiveError("missing", model=shape.label, archive_id=archive_id, field=name)
            values[f.attname] = self._link(shape, archive_id, name, f, raw, later)
        for name, f in shape.accounts.items():
            raw = fields.get(name)
            if raw not in (None, "account") or (raw is None and not f.null):
                raise ArchiveError(
                    'must be "account" (this account) or empty',
                    model=shape.label,
                    archive_id=archive_id,
                    field=name,
                )
            values[f.attname] = self.user.pk if raw == "account" else None
        many: dict[str, list[Any]] = {}
        for name in shape.many:
            raw = fields.get(name, [])
            if not isinstance(raw, list):
                raise ArchiveError(
                    "must be a list of ids", model=shape.label, archive_id=archive_id, field=name
                )
            many[name] = raw
        extra = {"many": many, "later": later, "implicit": implicit}
        self.batch.append((archive_id, values, extra))
        if len(self.batch) >= BATCH:
            self._flush()

    def _missing(self, shape: Shape, archive_id: Any, name: str, f: models.Field) -> Any:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return timezone.now()
        if f.has_default() or f.null:
            return f.get_default()
        if isinstance(f, models.CharField | models.TextField) and f.blank:
            return ""
        raise ArchiveError("missing", model=shape.label, archive_id=archive_id, field=name)

    def _link(
        self,
        shape: Shape,
        archive_id: Any,
        name: str,
        f: models.ForeignKey,
        raw: Any,
        later: list[tuple[str, str, Any]],
    ) -> Any:
        if raw is None:
            if not f.null:
                raise ArchiveError(
                    "must refer to a row", model=shape.label, archive_id=archive_id, field=name
                )
            return None
        if not _archived_model(f):
            # A link out of the account (another account, a shared table) cannot be carried.
            if f.null:
                self.warnings.append(
                    f"{shape.label} {archive_id}, {name}: "
                    "a link outside the account was left empty."
                )
                return None
            raise ArchiveError(
                "refers to something outside the account, which an archive cannot carry",
                model=shape.label,
                archive_id=archive_id,
                field=name,
            )
        target = _label(f.related_model)
        new = self.ids[target].get(raw)
        if new is not None:
            return new
        if f.null:
            later.append((name, target, raw))
            return None
        raise ArchiveError(
            f"refers to {target} {raw}, which is not in the archive before it",
            model=shape.label,
            archive_id=archive_id,
            field=name,
        )

    # -- writing a batch

    def _flush(self) -> None:
        shape = self.batch_shape
        if not self.batch or shape is None:
            self.batch = []
            self.batch_ids = set()
            return
        plan = self.plans[shape.label]
        rows = [
            [_prepared(values[attname], prep) for attname, _, prep in plan.columns]
            for _, values, _ in self.batch
        ]
        columns = [column for _, column, _ in plan.columns]
        try:
            with transaction.atomic():
                returned = _insert(plan.table, columns, rows, plan.pk)
        except DatabaseError as error:
            first, last = self.batch[0][0], self.batch[-1][0]
            raise ArchiveError(
                f"the rows with ids {first} to {last} break a rule of the database "
                f"({str(error).splitlines()[0]})",
                model=shape.label,
            ) from None
        mapping = self.ids[shape.label]
        through_rows: dict[str, list[list[int]]] = defaultdict(list)
        for (archive_id, _, extra), new_pk in zip(self.batch, returned, strict=True):
            mapping[archive_id] = new_pk
            for name, target, old in extra["later"]:
                self.later.append(_Later(shape, new_pk, archive_id, name, target, old))
            if extra["implicit"]:
                self.implicit.append((shape, new_pk, archive_id, extra["implicit"]))
            for name, olds in extra["many"].items():
                target = shape.many[name].related_model._meta.label_lower
                targets = self.ids[target]
                for old in olds:
                    found = targets.get(old)
                    if found is None:
                        self.later_many.append((shape, new_pk, archive_id, name, old))
                    else:
                        through_rows[name].append([new_pk, found])
        for name, pairs in through_rows.items():
            self._insert_many(shape, name, pairs)
        self.counts[shape.label] += len(self.batch)
        self.batch = []
        self.batch_ids = set()

    def _insert_many(self, shape: Shape, name: str, pairs: list[list[int]]) -> None:
        table, source, target = self.plans[shape.label].many[name]
        try:
            with transaction.atomic():
                _insert(table, [source, target], pairs, None)
        except DatabaseError as error:
            raise ArchiveError(
                f"the same link appears twice ({str(error).splitlines()[0]})",
                model=shape.label,
                field=name,
            ) from None

    # -- what could only be set at the end

    def _resolve_later(self) -> None:
        updates: dict[tuple[type[models.Model], str], list[models.Model]] = defaultdict(list)
        for ref in self.later:
            new = self.ids[ref.target].get(ref.old)
            if new is None:
                raise ArchiveError(
                    f"refers to {ref.target} {ref.old}, which is not in the archive",
                    model=ref.shape.label,
                    archive_id=ref.archive_id,
                    field=ref.name,
                )
            f = ref.shape.links[ref.name]
            updates[(ref.shape.model, ref.name)].append(
                ref.shape.model(pk=ref.new_pk, **{f.attname: new})
            )
        for (model, name), objs in updates.items():
            model._base_manager.bulk_update(objs, [name], batch_size=BATCH)
        through_rows: dict[tuple[str, str], list[list[int]]] = defaultdict(list)
        for shape, new_pk, archive_id, name, old in self.later_many:
            f = shape.many[name]
            target = f.related_model._meta.label_lower
            found = self.ids[target].get(old)
            if found is None:
                raise ArchiveError(
                    f"refers to {target} {old}, which is not in the archive",
                    model=shape.label,
                    archive_id=archive_id,
                    field=name,
                )
            through_rows[(shape.label, name)].append([new_pk, found])
        for (label, name), pairs in through_rows.items():
            self._insert_many(self.shapes[label], name, pairs)

    def _rewrite_implicit(self) -> None:
        updates: dict[tuple[type[models.Model], str], list[models.Model]] = defaultdict(list)
        for shape, new_pk, _, values in self.implicit:
            for attname, value in values.items():
                new = self._rewrite(value, attname)
                if new != value:
                    updates[(shape.model, attname)].append(shape.model(pk=new_pk, **{attname: new}))
        for (model, attname), objs in updates.items():
            name = next(f.name for f in model._meta.concrete_fields if f.attname == attname)
            model._base_manager.bulk_update(objs, [name], batch_size=BATCH)

    def _new_id(self, label: str, old: Any) -> int | None:
        return self.ids.get(label, {}).get(old)

    def _rewrite(self, value: Any, attname: str) -> Any:
        if isinstance(value, int) and attname.endswith("_id"):
            label = ENTITY_WORDS[attname[:-3]]
            new = self._new_id(label, value)
            return new if new is not None else value
        if isinstance(value, dict):
            out = dict(value)
            for key, item in value.items():
                word = key[:-3] if key.endswith("_id") else ""
                if word in ENTITY_WORDS and isinstance(item, int):
                    new = self._new_id(ENTITY_WORDS[word], item)
                    out[key] = new if new is not None else item
            return out
        if isinstance(value, str):
            match = _KEY.match(value)
            if match and match.group(2) in ENTITY_WORDS:
                new = self._new_id(ENTITY_WORDS[match.group(2)], int(match.group(3)))
                if new is not None:
                    return f"{match.group(1)}:{match.group(2)}:{new}"
                return value

            def url(m: re.Match[str]) -> str:
                new = self._new_id(_URL_WORDS[m.group(1)], int(m.group(2)))
                return f"/network/{m.group(1)}/{new if new is not None else m.group(2)}"

            return _URL.sub(url, value)
        return value


def _id_holder(name: str, f: models.Field) -> bool:
    """Whether a plain field may name rows by id: a `person_id` number, Today's keys and
    links, a JSON action."""
    if isinstance(f, models.IntegerField):
        return name.endswith("_id") and name[:-3] in ENTITY_WORDS
    if isinstance(f, models.CharField):
        return name in ("key", "url") or name.endswith(("_key", "_url"))
    return isinstance(f, models.JSONField)


def _may_hold_ids(name: str, f: models.Field, value: Any) -> bool:
    """Whether this value of an id-holding field does name rows by id."""
    if value is None:
        return False
    if isinstance(f, models.IntegerField):
        return True
    if isinstance(f, models.JSONField):
        return isinstance(value, dict) and any(
            k.endswith("_id") and k[:-3] in ENTITY_WORDS for k in value
        )
    if isinstance(f, models.CharField) and isinstance(value, str):
        return bool(_KEY.match(value) or _URL.search(value))
    return False


def archive_filename(now: datetime | None = None) -> str:
    """`cairn-archive-2026-11-25.json`, dated in the site's time zone."""
    day = timezone.localdate(now) if now else timezone.localdate()
    return f"cairn-archive-{day.isoformat()}.json"


def iter_bytes(chunks: Iterable[str]) -> Iterator[bytes]:
    """The archive's text chunks as UTF-8 bytes (for files and responses)."""
    for chunk in chunks:
        yield chunk.encode()
