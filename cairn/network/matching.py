"""Finding people and organisations by a loosely typed name (pure): possible duplicates of a
person being added, the people a sentence names ("coffee with Ana Ruiz about roles"), the
organisation meant by "acme".

Names are compared folded (no case, no accents, no honorifics), word by word with rapidfuzz,
word order ignored (see `name_score`).

Blocking: comparing a name with every person is fine for one name but not for a sentence or a
batch (an import, the memory jogger) against 20k people. `NameIndex` files each person under
the first two letters of every word of their name, and a query only scores the people who
share one of those prefixes with one of its words. Every word, not just the family name, so
that swapped names ("Ruiz Ana") and one-word mentions ("Ana") are found; two letters, not
three, so that "Jon Smyth" still meets "John Smith". A typo in the first two letters of every
word is the price. Building the index is one pass over the people: reuse it when looking up
several names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from cairn.network.names import fold

DUPLICATE_THRESHOLD = 85
MENTION_THRESHOLD = 80
LABEL_THRESHOLD = 85
ORGANISATION_BOOST = 10
CLEAR_MARGIN = 10  # how far ahead the best match must be to be chosen without asking
PREFIX = 2
MAX_WINDOW = 4  # the longest run of words of a sentence tried as a name
MAX_ALTERNATIVES = 10  # people listed for one ambiguous mention

HONORIFICS = frozenset(
    ["dr", "mr", "mrs", "ms", "mx", "miss", "prof", "professor", "sir", "dame", "rev", "fr"]
)
NAME_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv", "phd", "md", "mba", "esq"])
ORGANISATION_SUFFIXES = frozenset(
    ["inc", "incorporated", "ltd", "limited", "llc", "llp", "gmbh", "ag", "sa", "sas", "sarl",
     "srl", "spa", "bv", "nv", "plc", "corp", "corporation", "co", "company", "pty", "oy", "ab",
     "as", "kk", "the"]
)  # fmt: skip
# Words of a sentence that never start or end a name.
STOPWORDS = frozenset(
    ["a", "an", "the", "and", "or", "with", "about", "for", "to", "at", "on", "in", "of",
     "from", "by", "via", "re", "my", "me", "i", "we", "us", "our", "his", "her", "their",
     "them", "him", "she", "he", "they", "it", "is", "was", "had", "have", "after", "before",
     "over", "into", "up", "out", "s", "t", "coffee", "lunch", "dinner", "call", "called",
     "meeting", "met", "chat", "email", "emailed", "video", "zoom", "interview", "today",
     "yesterday", "quick", "catch", "caught"]
)  # fmt: skip


_WORD = re.compile(r"[^\W_]+")
_NOT_NAMES = HONORIFICS | NAME_SUFFIXES


@dataclass(frozen=True)
class Candidate:
    """A person who might be meant: their id, name and (optionally) organisations."""

    id: int
    name: str
    organisations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    id: int
    name: str
    score: int  # 0–100
    reason: str


@dataclass(frozen=True)
class Mention:
    """Words of a sentence taken for a name, with the people they may mean, best first."""

    text: str
    start: int  # word positions in the sentence
    end: int
    matches: tuple[Match, ...]

    @property
    def chosen(self) -> Match | None:
        return clear_winner(self.matches)


def _fold(text: str) -> str:
    return text.lower() if text.isascii() else fold(text)  # most names: skip the slow path


def name_words(name: str) -> list[str]:
    """The folded words of a name without honorifics or suffixes ("Dr. Émile Zola Jr.")."""
    words = _WORD.findall(_fold(name))
    core = [w for w in words if w not in _NOT_NAMES]
    return core or words


def organisation_words(name: str) -> list[str]:
    """The folded words of an organisation name without legal forms ("ACME, Inc." → acme)."""
    words = _WORD.findall(_fold(name))
    core = [w for w in words if w not in ORGANISATION_SUFFIXES]
    return core or words


def name_score(a: Sequence[str], b: Sequence[str]) -> int:
    """Similarity of two names given as folded words, 0–100, word order ignored.

    Each word of the shorter name is paired with its closest word in the other and the
    pairs are averaged, so a typo costs little ("Ana Ruis") but a different given name costs
    a lot ("Ana Fernández" is not "Eva Fernández", although most letters agree). A missing
    middle name costs 10, a missing family name 20; an initial matches its word ("A. Ruiz")."""
    if not a or not b:
        return 0
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    total = sum(max(_word_ratio(word, other) for other in long) for word in short)
    factor = 1.0 if len(short) == len(long) else 0.9 if len(short) > 1 else 0.8
    return round(factor * total / len(short))


def _word_ratio(a: str, b: str) -> float:
    if len(a) == 1 or len(b) == 1:
        return 90.0 if a[0] == b[0] else 0.0
    return fuzz.ratio(a, b)


def organisation_score(a: str, b: str) -> int:
    """Similarity of two organisation names, 0–100: "Acme Inc." and "ACME" are the same."""
    a_key, b_key = " ".join(organisation_words(a)), " ".join(organisation_words(b))
    if not a_key or not b_key:
        return 0
    return round(fuzz.token_set_ratio(a_key, b_key))


def clear_winner(matches: Sequence[Match], *, margin: int = CLEAR_MARGIN) -> Match | None:
    """The best match when it is clearly ahead of the next one, else None (ask the user)."""
    if not matches:
        return None
    if len(matches) > 1 and matches[0].score - matches[1].score < margin:
        return None
    return matches[0]


class NameIndex:
    """People filed by the prefixes of their name's words (see the module docstring)."""

    def __init__(self, candidates: Iterable[Candidate]):
        self.candidates: list[Candidate] = []
        self.keys: list[str] = []
        self.words: list[tuple[str, ...]] = []
        self.blocks: dict[str, list[int]] = {}
        blocks = self.blocks
        for candidate in candidates:
            words = tuple(name_words(candidate.name))
            if not words:
                continue
            position = len(self.candidates)
            self.candidates.append(candidate)
            self.keys.append(" ".join(words))
            self.words.append(words)
            for word in words:
                block = blocks.setdefault(word[:PREFIX], [])
                if not block or block[-1] != position:  # "Ana Anand": file her once
                    block.append(position)

    def __len__(self) -> int:
        return len(self.candidates)

    def block(self, words: Iterable[str]) -> list[int]:
        """Positions of the candidates sharing a prefix with one of these folded words."""
        found: set[int] = set()
        for word in words:
            found.update(self.blocks.get(word[:PREFIX], ()))
        return sorted(found)


def match_name(
    name: str,
    index: NameIndex,
    *,
    organisation: str = "",
    threshold: int = DUPLICATE_THRESHOLD,
    limit: int = 10,
) -> list[Match]:
    """People whose name looks like `name`, best first; working at `organisation` adds
    ORGANISATION_BOOST, so "Kim Lee" at Globex finds "Kim Li" at Globex."""
    words = name_words(name)
    if not words:
        return []
    floor = threshold - ORGANISATION_BOOST if organisation else threshold
    matches = []
    for position in index.block(words):
        candidate = index.candidates[position]
        score = name_score(words, index.words[position])
        if score < floor:
            continue
        reason = "same name" if score == 100 else "similar name"
        if organisation:
            shared = next(
                (
                    org
                    for org in candidate.organisations
                    if organisation_score(organisation, org) >= LABEL_THRESHOLD
                ),
                None,
            )
            if shared is not None:
                score = min(100, score + ORGANISATION_BOOST)
                reason += f", also at {shared}"
        if score >= threshold:
            matches.append(Match(candidate.id, candidate.name, score, reason))
    matches.sort(key=lambda m: (-m.score, fold(m.name), m.id))
    return matches[:limit]


def find_mentions(
    sentence: str, index: NameIndex, *, threshold: int = MENTION_THRESHOLD
) -> list[Mention]:
    """The runs of words in `sentence` that name people of the index, in sentence order.
    Each mention lists everyone it may mean; `Mention.chosen` is set when one clearly wins.

    A single word is taken for a name only when capitalised, unless the whole sentence is in
    lower case: "will call Ana" is not about Will Smith, "coffee with ana" is about Ana."""
    spans = [(m.start(), m.end()) for m in _WORD.finditer(sentence)]
    words = [_fold(sentence[start:end]) for start, end in spans]
    casual = sentence == sentence.lower()
    capitalised = [sentence[start].isupper() for start, _ in spans]
    positions = index.block(w for w in words if w not in STOPWORDS)
    if not positions:
        return []
    keys = {position: index.keys[position] for position in positions}
    best: dict[int, tuple[int, int, int]] = {}  # position → (score, first word, end word)
    for size in range(min(MAX_WINDOW, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            window = words[start : start + size]
            if window[0] in STOPWORDS or window[-1] in STOPWORDS:
                continue
            if size == 1 and not (casual or capitalised[start]):
                continue
            # rapidfuzz narrows the field in C; name_score then decides.
            found = process.extract(
                " ".join(window), keys, scorer=fuzz.token_set_ratio, score_cutoff=threshold - 15,
                limit=None,
            )  # fmt: skip
            for _, _, position in found:
                score = name_score(window, index.words[position])
                if score >= threshold and score > best.get(position, (-1, 0, 0))[0]:
                    best[position] = (score, start, start + size)

    # The best-scoring person claims their words of the sentence as a mention; others whose
    # best words overlap it are alternatives, scored on the mention's own words, so that
    # "Ana Ruis" keeps Ana Ruiz (88) but not Ana Gomez, who matched on "Ana" alone.
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[1][1], item[0]))
    mentions: list[tuple[int, int, list[Match]]] = []
    for position, (score, start, end) in ranked:
        for span_start, span_end, matches in mentions:
            if start < span_end and span_start < end:
                score = name_score(words[span_start:span_end], index.words[position])
                if score >= threshold and len(matches) < MAX_ALTERNATIVES:
                    matches.append(_mention_match(index, position, score, span_end - span_start))
                break
        else:
            mentions.append((start, end, [_mention_match(index, position, score, end - start)]))
    mentions.sort(key=lambda item: item[0])
    return [
        Mention(
            text=sentence[spans[start][0] : spans[end - 1][1]],
            start=start,
            end=end,
            matches=tuple(matches),
        )
        for start, end, matches in mentions
    ]


def _mention_match(index: NameIndex, position: int, score: int, size: int) -> Match:
    candidate = index.candidates[position]
    if size == 1 and len(index.words[position]) > 1:
        reason = "one of their names"
    else:
        reason = "same name" if score == 100 else "similar name"
    return Match(candidate.id, candidate.name, score, reason)


def match_organisations(
    query: str,
    organisations: Iterable[tuple[int, str]],
    *,
    threshold: int = LABEL_THRESHOLD,
    limit: int = 20,
) -> list[Match]:
    """Organisations (id, name) whose name looks like `query`, best first, legal forms
    ignored: "acme" is "ACME, Inc." (100) and also finds "Acme Labs"."""
    return match_labels(
        query, organisations, threshold=threshold, limit=limit, words=organisation_words
    )


def match_labels(
    query: str,
    rows: Iterable[tuple[int, str]],
    *,
    threshold: int = LABEL_THRESHOLD,
    limit: int = 20,
    words: Callable[[str], list[str]] | None = None,
) -> list[Match]:
    """Named things (id, name), such as career fields, whose name looks like `query`, best
    first. Case and accents are ignored, and a name containing all the query's words matches
    ("data" finds "Data science"): 100 means the same name."""
    words = words or (lambda text: _WORD.findall(_fold(text)))
    key = " ".join(words(query))
    if not key:
        return []
    rows = list(rows)
    choices = {i: " ".join(words(name)) for i, (_, name) in enumerate(rows)}
    found = process.extract(
        key, choices, scorer=fuzz.token_set_ratio, score_cutoff=threshold, limit=None
    )
    matches = []
    for _, score, i in found:
        pk, name = rows[i]
        if choices[i] == key:
            matches.append(Match(pk, name, 100, "same name"))
        else:
            matches.append(Match(pk, name, min(round(score), 99), "similar name"))
    matches.sort(key=lambda m: (-m.score, fold(m.name), m.id))
    return matches[:limit]
