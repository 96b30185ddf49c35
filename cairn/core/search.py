"""Full-text search: one engine over SQLite FTS5 and PostgreSQL tsvector.

Apps describe what they make searchable by registering a `Kind` in their own `search` module
(found automatically) and keep the index in step by calling `index` and `remove` from their
services. Every document belongs to one owner and every query is filtered by owner inside the
SQL. User input never reaches the query syntax: it is folded (lower case, accents dropped) and
cut into word terms, each of which must match the start of a word (`ana ru` finds "Ana Ruiz").

Storage (core migrations 0002 and 0003): `core_searchdocument` holds (owner, kind, object id,
title, body, JSON data) under an id that packs owner, kind and object (see `key`), so that one
owner's documents of one kind are one range of ids and every query stays inside its range.
SQLite adds the FTS5 table `core_search_fts` over title and body (filled here, emptied by
triggers); PostgreSQL a `vector` column over the folded words, with a GIN index.
"""

from __future__ import annotations

import functools
import json
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import Q, QuerySet

MAX_TERMS = 8
MAX_TERM_LENGTH = 40
BATCH_SIZE = 2000
# A tsvector is limited to 1 MB; no sensible document comes near this.
MAX_FOLDED_CHARS = 400_000
# Title matches count ten times body matches: bm25 column weights on SQLite; ts_rank weights
# on PostgreSQL, for the labels D, C, B (body) and A (title).
TITLE_WEIGHT = 10.0
RANK_WEIGHTS = "{0, 0, 0.1, 1.0}"
# Matches ranked per kind and query: enough for any list a person reads, few enough that a
# very common word is ranked in milliseconds.
CANDIDATES = 500

_WORD = re.compile(r"[^\W_]+")
_JSON = json.JSONEncoder(separators=(",", ":"), default=str)


# ---------------------------------------------------------------- text


def fold(text: str) -> str:
    """Lower case without accents: "José Ñúñez" → "jose nunez" (what both indexes compare)."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The folded words of a text, split where either database's tokenizer would split."""
    return _WORD.findall(fold(text))


def terms(text: str) -> list[str]:
    """The search terms in whatever a person typed: folded words, no duplicates, a few at most.
    Quotes, operators and any other syntax are simply not words."""
    seen: list[str] = []
    for word in words(text[:1000]):
        word = word[:MAX_TERM_LENGTH]
        if word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


class Segment(NamedTuple):
    text: str
    matched: bool


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return fold(char)


def _folded_with_positions(text: str) -> tuple[str, list[int] | None]:
    """`fold(text)` and, for each folded character, the index of the original it came from
    (None when they are the same: plain ASCII folds character for character)."""
    if text.isascii():
        return text.lower(), None
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = _fold_char(char)
        folded.append(piece)
        origin.extend([index] * len(piece))
    return "".join(folded), origin


def _match_spans(text: str, wanted: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of `text` holding words that start with one of the terms."""
    if not wanted or not text:
        return []
    folded, origin = _folded_with_positions(text)
    alternatives = "|".join(re.escape(term) for term in sorted(wanted, key=len, reverse=True))
    pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*")
    spans = []
    for found in pattern.finditer(folded):
        if origin is None:
            spans.append(found.span())
            continue
        start = origin[found.start()]
        end = origin[found.end() - 1] + 1
        # Keep accents that follow the last letter inside the highlight.
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        spans.append((start, end))
    return spans


def highlight(text: str, wanted: Sequence[str]) -> tuple[Segment, ...]:
    """`text` cut into segments, the words matching a term marked."""
    segments: list[Segment] = []
    position = 0
    for start, end in _match_spans(text, wanted):
        if start > position:
            segments.append(Segment(text[position:start], False))
        segments.append(Segment(text[start:end], True))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:], False))
    return tuple(segments)


def excerpt(text: str, wanted: Sequence[str], *, width: int = 160) -> tuple[Segment, ...]:
    """A window of `text` around its first matching word, highlighted; empty without a match."""
    spans = _match_spans(text, wanted)
    if not spans:
        return ()
    first = spans[0][0]
    start = max(0, first - width // 3)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", spans[0][1], end)
        end = space if space != -1 else end
    window = " ".join(text[start:end].split())
    segments = list(highlight(window, wanted))
    if start:
        segments.insert(0, Segment("… ", False))
    if end < len(text):
        segments.append(Segment(" …", False))
    return tuple(segments)


# ---------------------------------------------------------------- kinds


@dataclass(frozen=True)
class Document:
    """What the index keeps of one object: a title, a body, and data for showing a hit."""

    object_id: int
    title: str
    body: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    """A kind of document an app makes searchable.

    `code` (1–255, unique) goes into every document id of this kind: never change or reuse
    one. `url(object_id, data)` links a hit (None when there is nowhere to go yet);
    `documents(user)` yields every document of one owner in batches and `count(user)` says how
    many objects that walks through, for `cairn reindex`.
    """

    name: str
    code: int
    label: str
    url: Callable[[int, Mapping[str, Any]], str | None]
    documents: Callable[[Any], Iterator[list[Document]]]
    count: Callable[[Any], int]
    order: int = 100


KINDS: dict[str, Kind] = {}
_discovered = False


def register(kind: Kind) -> Kind:
    """Make a kind of document searchable; a name or code used twice is a mistake."""
    existing = KINDS.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"Search kind {kind.name!r} is registered twice.")
    if not 1 <= kind.code <= 255:
        raise ValueError(f"Search kind {kind.name!r}: the code must be between 1 and 255.")
    taken = {other.code: other.name for other in KINDS.values() if other.name != kind.name}
    if kind.code in taken:
        raise ValueError(f"Search kinds {taken[kind.code]!r} and {kind.name!r} share a code.")
    KINDS[kind.name] = kind
    return kind


def _discover() -> None:
    """Import the `search` module of every Cairn app once: importing one registers its kinds."""
    global _discovered
    if _discovered:
        return
    from importlib import import_module

    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    for config in apps.get_app_configs():
        if config.name.startswith("cairn.") and module_has_submodule(config.module, "search"):
            import_module(f"{config.name}.search")
    _discovered = True


def kinds() -> list[Kind]:
    """Every registered kind, in display order."""
    _discover()
    return sorted(KINDS.values(), key=lambda kind: (kind.order, kind.name))


# ---------------------------------------------------------------- keys
#
# A document's id packs its owner, its kind's code and its object id: one owner's documents of
# one kind are one range of ids, which both indexes can search within directly.

OWNER_SHIFT = 40
KIND_SHIFT = 32
MAX_OWNER_ID = (1 << (63 - OWNER_SHIFT)) - 1


def _code(kind: str) -> int:
    _discover()
    registered = KINDS.get(kind)
    if registered is None:
        raise ValueError(f"Search kind {kind!r} is not registered.")
    return registered.code


def key(owner_id: int, kind: str, object_id: int) -> int:
    """The id of one document: owner, kind code and object id in one integer."""
    if not 0 < owner_id <= MAX_OWNER_ID or not 0 < object_id < 1 << KIND_SHIFT:
        raise ValueError(f"Cannot index {kind} {object_id} of owner {owner_id}: id out of range.")
    return (owner_id << OWNER_SHIFT) | (_code(kind) << KIND_SHIFT) | object_id


def span(owner_id: int, kind: str | None = None) -> tuple[int, int]:
    """The first and last possible ids of one owner's documents (of one kind)."""
    if kind is None:
        first = owner_id << OWNER_SHIFT
        return first, first + (1 << OWNER_SHIFT) - 1
    first = (owner_id << OWNER_SHIFT) | (_code(kind) << KIND_SHIFT)
    return first, first + (1 << KIND_SHIFT) - 1


# ---------------------------------------------------------------- writing


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _folded_text(text: str) -> str:
    return " ".join(words(text))[:MAX_FOLDED_CHARS]


def _in(count: int) -> str:
    return f"id IN ({', '.join(['%s'] * count)})"


# SQLite's FTS5 index gets new rows in one statement per batch: several times faster than a
# trigger row by row (deletes and updates do go through triggers).
_FTS_ADD = "INSERT INTO core_search_fts (rowid, title, body)"


def index(owner_id: int, kind: str, docs: Iterable[Document]) -> int:
    """Add or replace these documents of one owner; returns how many were written."""
    docs = list({doc.object_id: doc for doc in docs}.values())  # the last of duplicates wins
    keys = [key(owner_id, kind, doc.object_id) for doc in docs]
    with transaction.atomic():
        _delete(keys)
        _insert(owner_id, kind, docs)
        if not _is_postgresql():
            select = "SELECT id, title, body FROM core_searchdocument WHERE"
            with connection.cursor() as cursor:
                for chunk in _chunks(keys, 500):
                    cursor.execute(f"{_FTS_ADD} {select} {_in(len(chunk))}", chunk)
    return len(docs)


_INSERT_SQLITE = """
    INSERT INTO core_searchdocument (id, owner_id, kind, object_id, title, body, data)
    VALUES (%s, %s, %s, %s, %s, %s, %s)
"""
# One statement per batch of arrays: about twice as fast as a statement per row.
_INSERT_POSTGRESQL = """
    INSERT INTO core_searchdocument (id, owner_id, kind, object_id, title, body, data, vector)
    SELECT row.id, %s, %s, row.object_id, row.title, row.body, row.data,
        setweight(to_tsvector('simple', row.title_words), 'A')
        || setweight(to_tsvector('simple', row.body_words), 'B')
    FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[],
        %s::text[]) AS row(id, object_id, title, body, data, title_words, body_words)
"""


def _insert(owner_id: int, kind: str, docs: Sequence[Document]) -> None:
    """Write new document rows (on SQLite, not yet in the FTS5 index)."""
    rows = []
    for doc in docs:
        object_id = int(doc.object_id)
        row_key, encoded = key(owner_id, kind, object_id), _JSON.encode(dict(doc.data))
        rows.append((row_key, owner_id, kind, object_id, doc.title, doc.body, encoded))
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, BATCH_SIZE):
            if not _is_postgresql():
                cursor.executemany(_INSERT_SQLITE, chunk)
                continue
            ids, _, _, object_ids, titles, bodies, data = (
                list(c) for c in zip(*chunk, strict=True)
            )
            title_words = [_folded_text(title) for title in titles]
            body_words = [_folded_text(body) for body in bodies]
            cursor.execute(
                _INSERT_POSTGRESQL,
                [owner_id, kind, ids, object_ids, titles, bodies, data, title_words, body_words],
            )


def _delete(keys: Sequence[int]) -> None:
    with connection.cursor() as cursor:
        for chunk in _chunks(sorted(set(keys)), 500):
            sql = f"DELETE FROM core_searchdocument WHERE {_in(len(chunk))}"  # noqa: S608
            cursor.execute(sql, chunk)


def remove(owner_id: int, kind: str, ids: Iterable[int]) -> None:
    """Drop these documents of one owner (ids not in the index are ignored)."""
    _delete([key(owner_id, kind, int(pk)) for pk in ids])


def clear(owner_id: int | None = None, kind: str | None = None) -> int:
    """Empty the index, or only one owner's documents, or only one kind; returns how many."""
    where, params = _where(owner_id=owner_id, kind=kind)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM core_searchdocument {where}", params)  # noqa: S608
        return max(cursor.rowcount, 0)


def count(owner_id: int | None = None, kind: str | None = None) -> int:
    """How many documents the index holds (for one owner, of one kind)."""
    where, params = _where(owner_id=owner_id, kind=kind)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM core_searchdocument {where}", params)  # noqa: S608
        return cursor.fetchone()[0]


def titles(owner_id: int, kind: str, ids: Iterable[int]) -> dict[int, str]:
    """The indexed titles of these documents, by object id (missing ones are absent)."""
    keys = sorted({key(owner_id, kind, int(pk)) for pk in ids})
    found: dict[int, str] = {}
    with connection.cursor() as cursor:
        for chunk in _chunks(keys, 500):
            select = "SELECT object_id, title FROM core_searchdocument WHERE "
            sql = select + _in(len(chunk))
            cursor.execute(sql, chunk)
            found.update(cursor.fetchall())
    return found


def _where(*, owner_id: int | None, kind: str | None) -> tuple[str, list[Any]]:
    if owner_id is not None:
        return "WHERE id BETWEEN %s AND %s", list(span(owner_id, kind))
    if kind is not None:
        return "WHERE kind = %s", [kind]
    return "", []


Progress = Callable[[Kind, int], None]


def rebuild(
    user: Any,
    *,
    only: Iterable[str] | None = None,
    progress: Progress | None = None,
    compact: bool = True,
) -> int:
    """Rebuild one owner's index from the tables, kind by kind (each kind all or nothing),
    then `optimize` it unless `compact` is false. `progress(kind, n)` is called after each
    batch of n objects; returns how many documents were written."""
    wanted = set(only) if only is not None else None
    written = 0
    for kind in kinds():
        if wanted is not None and kind.name not in wanted:
            continue
        with transaction.atomic():
            clear(user.pk, kind.name)
            for batch in kind.documents(user):
                _insert(user.pk, kind.name, batch)
                written += len(batch)
                if progress:
                    progress(kind, len(batch))
            if not _is_postgresql():
                select = "SELECT id, title, body FROM core_searchdocument"
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"{_FTS_ADD} {select} WHERE id BETWEEN %s AND %s",
                        list(span(user.pk, kind.name)),
                    )
    if compact:
        optimize()
    return written


def optimize() -> None:
    """Make queries fast again after bulk writes: SQLite merges the FTS5 index into one
    segment (a query then reads one b-tree, not dozens); PostgreSQL refreshes the planner's
    statistics."""
    with connection.cursor() as cursor:
        if _is_postgresql():
            cursor.execute("ANALYZE core_searchdocument")
        else:
            cursor.execute("INSERT INTO core_search_fts (core_search_fts) VALUES ('optimize')")


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class Hit:
    """One document found. What only a page shows (highlights, excerpt, link) is worked out
    when first asked for: a search that lists nothing costs nothing more."""

    kind: str
    object_id: int
    title: str
    rank: float  # higher is better; comparable only within one query
    data: Mapping[str, Any]
    body: str = field(repr=False)
    terms: tuple[str, ...] = field(repr=False)

    @functools.cached_property
    def title_parts(self) -> tuple[Segment, ...]:
        return highlight(self.title, self.terms)

    @functools.cached_property
    def snippet(self) -> tuple[Segment, ...]:
        """The body around the first match; empty when only the title matched."""
        return excerpt(self.body, self.terms)

    @functools.cached_property
    def url(self) -> str | None:
        from django.urls import NoReverseMatch

        kind = KINDS.get(self.kind)
        try:
            return kind.url(self.object_id, self.data) if kind else None
        except NoReverseMatch:  # the page for this kind does not exist yet
            return None


@dataclass(frozen=True)
class Group:
    kind: Kind
    hits: list[Hit]


def _match_expression(wanted: Sequence[str]) -> str:
    if _is_postgresql():
        # Terms are letters and digits only, so they cannot be tsquery syntax.
        return " & ".join(f"{term}:*" for term in wanted)
    return " AND ".join('"{}"*'.format(term.replace('"', '""')) for term in wanted)


def query(
    user: Any, text: str, *, kinds: Iterable[str] | None = None, limit: int = 20
) -> list[Hit]:
    """The user's documents matching every word of `text` (as word prefixes), best first.

    Each kind is searched within the user's range of ids for it, and at most CANDIDATES
    matches of each (the newest objects) are ranked, so that a word found in half the documents
    costs about as little as a rare one; the best of all kinds come first.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    _discover()
    wanted = terms(text)
    names = sorted(KINDS) if kinds is None else sorted(set(kinds) & set(KINDS))
    if not wanted or not names or limit <= 0:
        return []
    match = _match_expression(wanted)
    postgresql = _is_postgresql()
    if postgresql:
        sql = """
            WITH candidates AS (
                SELECT id, vector FROM core_searchdocument
                WHERE id BETWEEN %s AND %s AND vector @@ to_tsquery('simple', %s)
                ORDER BY id DESC
                LIMIT %s
            )
            SELECT d.kind, d.object_id, d.title, d.body, d.data, d.id,
                   ts_rank(%s::real[], c.vector, to_tsquery('simple', %s), 1) AS score
            FROM candidates c JOIN core_searchdocument d ON d.id = c.id
            WHERE d.owner_id = %s
            ORDER BY score DESC, d.id
            LIMIT %s
        """
    else:
        # The FTS5 index itself keeps to the range and walks it newest first; bm25 is better
        # when lower.
        sql = f"""
            SELECT d.kind, d.object_id, d.title, d.body, d.data, d.id, c.score
            FROM (
                SELECT rowid AS id, -bm25(core_search_fts, {TITLE_WEIGHT}, 1.0) AS score
                FROM core_search_fts
                WHERE core_search_fts MATCH %s AND rowid BETWEEN %s AND %s
                ORDER BY rowid DESC
                LIMIT %s
            ) AS c JOIN core_searchdocument d ON d.id = c.id
            WHERE d.owner_id = %s
            ORDER BY c.score DESC, d.id
            LIMIT %s
        """  # noqa: S608 (a constant and placeholders; the text is a parameter)
    rows: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for name in names:
            first, last = span(user.pk, name)
            if postgresql:
                params = [first, last, match, CANDIDATES, RANK_WEIGHTS, match, user.pk, limit]
            else:
                params = [match, first, last, CANDIDATES, user.pk, limit]
            cursor.execute(sql, params)
            rows += cursor.fetchall()
    rows.sort(key=lambda row: (-row[6], row[5]))
    return [_hit(row, wanted) for row in rows[:limit]]


def _hit(row: Sequence[Any], wanted: Sequence[str]) -> Hit:
    kind, object_id, title, body, data, _, score = row
    data = json.loads(data) if isinstance(data, str) else dict(data or {})
    return Hit(kind, object_id, title, float(score), data, body, tuple(wanted))


def grouped(hits: Iterable[Hit]) -> list[Group]:
    """Hits grouped by kind, kinds in display order, each group in rank order."""
    by_kind: dict[str, list[Hit]] = {}
    for hit in hits:
        by_kind.setdefault(hit.kind, []).append(hit)
    return [Group(kind, by_kind[kind.name]) for kind in kinds() if kind.name in by_kind]


# ---------------------------------------------------------------- benchmark support


def naive_scan(queryset: QuerySet, fields: Sequence[str], text: str, *, limit: int = 20) -> list:
    """What search replaces, as the baseline of the `network.search_vs_scan` benchmark: rows
    whose `fields` contain every term (icontains). Ranking needs every match, so the scan
    reads them all, then keeps the newest `limit` rows."""
    wanted = terms(text)
    if not wanted:
        return []
    for term in wanted:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": term})
        queryset = queryset.filter(any_field)
    matches = list(queryset.order_by("-pk").values_list("pk", flat=True))
    return list(queryset.filter(pk__in=matches[:limit]).order_by("-pk"))


def time_search_and_scan(
    user: Any,
    text: str,
    *,
    kind: str,
    queryset: QuerySet,
    fields: Sequence[str],
    limit: int = 20,
    repeat: int = 5,
) -> tuple[float, float]:
    """Best-of-`repeat` seconds for `query(kinds=[kind])` and for `naive_scan` over
    `queryset` with the same text: (search, scan)."""

    def best(run: Callable[[], object]) -> float:
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            run()
            timings.append(time.perf_counter() - started)
        return min(timings)

    searched = best(lambda: query(user, text, kinds=[kind], limit=limit))
    scanned = best(lambda: naive_scan(queryset, fields, text, limit=limit))
    return searched, scanned
