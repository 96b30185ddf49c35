"""Full-text search: one engine over SQLite FTS5 and PostgreSQL tsvector.

Apps describe what they make searchable by registering a `Kind` in their own `search` module
(found automatically) and keep the index in step by calling `index` and `remove` from their
services. Every document belongs to one owner and every query is filtered by owner inside the
SQL. User input never reaches the query syntax: it is folded (lower case, accents dropped) and
cut into word terms, each of which must match the start of a word (`ana ru` finds "Ana Ruiz").

Storage (created by core migration 0002): `core_searchdocument` holds (owner, kind, object id,
title, body, JSON data); SQLite adds the FTS5 table `core_search_fts` kept in step by triggers,
PostgreSQL a `vector` column over the folded words with a GIN index.
"""

from __future__ import annotations

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
# Title matches count ten times body matches (bm25 column weights on SQLite).
TITLE_WEIGHT = 10.0
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


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """`fold(text)` and, for each folded character, the index of the original it came from."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = fold(char)
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

    `url(object_id, data)` links a hit (None when there is nowhere to go yet); `documents(user)`
    yields every document of one owner in batches and `count(user)` says how many objects that
    walks through, for `cairn reindex`.
    """

    name: str
    label: str
    url: Callable[[int, Mapping[str, Any]], str | None]
    documents: Callable[[Any], Iterator[list[Document]]]
    count: Callable[[Any], int]
    order: int = 100


KINDS: dict[str, Kind] = {}
_discovered = False


def register(kind: Kind) -> Kind:
    """Make a kind of document searchable; registering the same name twice is a mistake."""
    existing = KINDS.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"Search kind {kind.name!r} is registered twice.")
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


def kind_named(name: str) -> Kind | None:
    return next((kind for kind in kinds() if kind.name == name), None)


# ---------------------------------------------------------------- writing


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _folded_text(text: str) -> str:
    return " ".join(words(text))[:MAX_FOLDED_CHARS]


def index(owner_id: int, kind: str, docs: Iterable[Document]) -> int:
    """Add or replace these documents of one owner; returns how many were written."""
    docs = list(docs)
    with transaction.atomic():
        remove(owner_id, kind, [doc.object_id for doc in docs])
        _insert(owner_id, kind, docs)
        if not _is_postgresql():
            _fts_add(owner_id, kind, [doc.object_id for doc in docs])
    return len(docs)


def _insert(owner_id: int, kind: str, docs: Sequence[Document]) -> None:
    """Write new document rows (on SQLite, not yet in the FTS index: see `_fts_add`)."""
    postgresql = _is_postgresql()
    rows = []
    for doc in docs:
        row = [
            owner_id,
            kind,
            int(doc.object_id),
            doc.title,
            doc.body,
            _JSON.encode(dict(doc.data)),
        ]
        if postgresql:
            row += [_folded_text(doc.title), _folded_text(doc.body)]
        rows.append(row)
    if postgresql:
        sql = """
            INSERT INTO core_searchdocument (owner_id, kind, object_id, title, body, data, vector)
            VALUES (%s, %s, %s, %s, %s, %s,
                setweight(to_tsvector('simple', %s), 'A')
                || setweight(to_tsvector('simple', %s), 'B'))
        """
    else:
        sql = """
            INSERT INTO core_searchdocument (owner_id, kind, object_id, title, body, data)
            VALUES (%s, %s, %s, %s, %s, %s)
        """
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, BATCH_SIZE):
            cursor.executemany(sql, chunk)


def _fts_add(owner_id: int, kind: str, ids: Sequence[int] | None) -> None:
    """Add rows to SQLite's FTS5 index, set-based (these ids, or all of the owner's kind).

    One statement for many rows is several times faster than a per-row trigger."""
    select = (
        "INSERT INTO core_search_fts (rowid, title, body) "
        "SELECT id, title, body FROM core_searchdocument"
    )
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(f"{select} WHERE owner_id = %s AND kind = %s", [owner_id, kind])
            return
        for chunk in _chunks(sorted(set(ids)), 500):
            cursor.execute(_by_ids(select, len(chunk)), [owner_id, kind, *chunk])


def remove(owner_id: int, kind: str, ids: Iterable[int]) -> None:
    """Drop these documents of one owner (ids not in the index are ignored)."""
    wanted = sorted({int(pk) for pk in ids})
    with transaction.atomic(), connection.cursor() as cursor:
        for chunk in _chunks(wanted, 500):
            sql = _by_ids("DELETE FROM core_searchdocument", len(chunk))
            cursor.execute(sql, [owner_id, kind, *chunk])


def _by_ids(statement: str, count: int) -> str:
    """`statement` (fixed text) narrowed to one owner's kind and `count` object ids."""
    marks = ", ".join(["%s"] * count)
    where = f"WHERE owner_id = %s AND kind = %s AND object_id IN ({marks})"
    return f"{statement} {where}"


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
    wanted = sorted({int(pk) for pk in ids})
    found: dict[int, str] = {}
    with connection.cursor() as cursor:
        for chunk in _chunks(wanted, 500):
            sql = _by_ids("SELECT object_id, title FROM core_searchdocument", len(chunk))
            cursor.execute(sql, [owner_id, kind, *chunk])
            found.update(cursor.fetchall())
    return found


def _where(*, owner_id: int | None, kind: str | None) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if owner_id is not None:
        clauses.append("owner_id = %s")
        params.append(owner_id)
    if kind is not None:
        clauses.append("kind = %s")
        params.append(kind)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


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
                _fts_add(user.pk, kind.name, None)
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
    kind: str
    object_id: int
    title: str
    rank: float  # higher is better; comparable only within one query
    title_parts: tuple[Segment, ...]
    snippet: tuple[Segment, ...]  # the body around the first match; empty if only the title matched
    data: Mapping[str, Any]
    url: str | None


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

    Each kind is searched on its own and at most CANDIDATES matches of each (the most recently
    indexed) are ranked, so that a word found in half the documents costs as little as a rare
    one; the best of all kinds come first.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    _discover()
    wanted = terms(text)
    names = sorted(KINDS) if kinds is None else sorted(set(kinds))
    if not wanted or not names or limit <= 0:
        return []
    match = _match_expression(wanted)
    postgresql = _is_postgresql()
    if postgresql:
        sql = """
            WITH candidates AS (
                SELECT id, vector FROM core_searchdocument
                WHERE owner_id = %s AND kind = %s AND vector @@ to_tsquery('simple', %s)
                ORDER BY id DESC
                LIMIT %s
            )
            SELECT d.kind, d.object_id, d.title, d.body, d.data, d.id,
                   ts_rank(c.vector, to_tsquery('simple', %s), 1) AS score
            FROM candidates c JOIN core_searchdocument d ON d.id = c.id
            ORDER BY score DESC, d.id
            LIMIT %s
        """
    else:
        # CROSS JOIN keeps the FTS index the outer loop, which walks the matches newest first
        # and stops at CANDIDATES; bm25 is better when lower.
        sql = f"""
            SELECT d.kind, d.object_id, d.title, d.body, d.data, d.id, c.score
            FROM (
                SELECT d.id, -bm25(core_search_fts, {TITLE_WEIGHT}, 1.0) AS score
                FROM core_search_fts CROSS JOIN core_searchdocument d
                    ON d.id = core_search_fts.rowid
                WHERE core_search_fts MATCH %s AND d.owner_id = %s AND d.kind = %s
                ORDER BY core_search_fts.rowid DESC
                LIMIT %s
            ) AS c JOIN core_searchdocument d ON d.id = c.id
            ORDER BY c.score DESC, d.id
            LIMIT %s
        """  # noqa: S608 (a constant and placeholders; the text is a parameter)
    rows: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for name in names:
            if postgresql:
                params = [user.pk, name, match, CANDIDATES, match, limit]
            else:
                params = [match, user.pk, name, CANDIDATES, limit]
            cursor.execute(sql, params)
            rows += cursor.fetchall()
    rows.sort(key=lambda row: (-row[6], row[5]))
    return [_hit(row, wanted) for row in rows[:limit]]


def _hit(row: Sequence[Any], wanted: Sequence[str]) -> Hit:
    kind_name, object_id, title, body, data, _, score = row
    data = json.loads(data) if isinstance(data, str) else dict(data or {})
    kind = KINDS.get(kind_name)
    url = None
    if kind is not None:
        from django.urls import NoReverseMatch

        try:
            url = kind.url(object_id, data)
        except NoReverseMatch:  # the page for this kind does not exist yet
            url = None
    return Hit(
        kind=kind_name,
        object_id=object_id,
        title=title,
        rank=float(score),
        title_parts=highlight(title, wanted),
        snippet=excerpt(body, wanted),
        data=data,
        url=url,
    )


def grouped(hits: Iterable[Hit]) -> list[Group]:
    """Hits grouped by kind, kinds in display order, each group in rank order."""
    by_kind: dict[str, list[Hit]] = {}
    for hit in hits:
        by_kind.setdefault(hit.kind, []).append(hit)
    return [Group(kind, by_kind[kind.name]) for kind in kinds() if kind.name in by_kind]


# ---------------------------------------------------------------- benchmark support


def naive_scan(queryset: QuerySet, fields: Sequence[str], text: str, *, limit: int = 20) -> list:
    """What search replaces: rows where every term appears somewhere in `fields` (icontains),
    newest first. The baseline for the `network.search_vs_scan` benchmark."""
    wanted = terms(text)
    if not wanted:
        return []
    for term in wanted:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": term})
        queryset = queryset.filter(any_field)
    return list(queryset.order_by("-pk")[:limit])


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
