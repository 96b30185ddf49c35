"""Reading one typed line (pure): a person to add, such as
"Ana Ruiz, PM at Acme, met at PyCon 2024", and the kind and day of an interaction to log.

The parser guesses, so it never hides a guess: every word of the line ends up in a field, in
the notes, or is a connector word it understood ("at", "met", "via" …), and whatever it could
not place is reported in `warnings`. Contact values are recognised here and validated again
(and normalised) by the services that store them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError

from cairn.network.contacts import normalize_email, normalize_url


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class ParsedPerson:
    """What one line says about a person. `met_on` is a date when a day was given, a year
    (int) when only the year (or month and year) was; `how_met` keeps those words as typed."""

    full_name: str
    title: str = ""
    organisation: str = ""
    met_at: str = ""
    met_on: date | int | None = None
    how_met: str = ""
    introduced_by_name: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    pronouns: str = ""
    location: str = ""
    notes: str = ""
    warnings: tuple[str, ...] = field(default=(), compare=False)


# Words the parser reads as structure rather than content: they may vanish from the output.
CONNECTORS = _words(
    "at met we first up in during on via through thanks to by introduced intro introd d "
    "referred referral from works working work now currently is based lives living located "
    "pronouns pronoun note notes nb tel phone mobile cell mob email mail e linkedin web "
    "website site url as a an"
)

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"

PRONOUN_WORDS = _words(
    "he him his she her hers they them their theirs xe xem xyr ze zir hir fae faer ey em "
    "it its any all"
)

# Job words that may end a name segment ("Ana Ruiz PM at Acme") or make a segment a title.
_TITLE_ACRONYMS = _words("ceo cto cfo coo cio cmo cpo cro cso ciso vp svp evp avp pm tpm em sre md")
_TITLE_NOUNS = _words(
    "engineer developer designer manager director founder cofounder co-founder recruiter "
    "analyst consultant architect scientist researcher programmer"
)
_TITLE_MODIFIERS = _words(
    "senior sr staff principal lead head chief of and junior associate assistant deputy "
    "executive managing general technical vice president product engineering software data "
    "ux ui design marketing sales people talent hr growth operations ops research"
)
_TITLE_CORE = _TITLE_ACRONYMS | _TITLE_NOUNS | frozenset({"head", "chief", "lead"})
_TITLE_WORDS = (
    _TITLE_ACRONYMS
    | _TITLE_NOUNS
    | _words(
        "head lead chief president partner officer intern student professor lecturer teacher "
        "nurse doctor physician surgeon lawyer attorney accountant editor writer journalist "
        "coach mentor advisor adviser specialist coordinator administrator owner principal "
        "fellow postdoc phd candidate trainee apprentice freelancer contractor"
    )
)

_EMAIL = re.compile(
    r"<\s*([\w.+'-]+@[\w-]+(?:\.[\w-]+)+)\s*>|(?<![\w.+'-])([\w.+'-]+@[\w-]+(?:\.[\w-]+)+)"
)
_URL = re.compile(
    r"(?<![\w@./-])(?:https?://|www\.)[^\s<>,;|]+"
    r"|(?<![\w@./-])[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.[a-z]{2,}/[^\s<>,;|]*",
    re.IGNORECASE,
)
_PRONOUNS_IN_PARENS = re.compile(r"\(\s*([a-z]+(?:\s*/\s*[a-z]+)+)\s*\)", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w/.+-])(\+?\(?[0-9][0-9 ().-]{5,}[0-9])(?![\w/])")
_US_DATE_COMMA = re.compile(
    rf"\b({_MONTH})\s+([0-9]{{1,2}})(?:st|nd|rd|th)?,\s*([0-9]{{4}})\b", re.IGNORECASE
)
_SEPARATORS = re.compile(r"[,;|•·<>()\[\]{}\n\r\t—–]|(?:^|\s)-+(?=\s|$)")
_CLAUSE_START = re.compile(
    r"\s+(?=(?:(?:we\s+|first\s+)?met|via|introduced\s+by|intro(?:'?d)?\s+by|referred\s+by)\b)",
    re.IGNORECASE,
)
_MET = re.compile(r"^(?:we\s+|first\s+)?met(?:\s+up)?\b\s*", re.IGNORECASE)
_INTRO = re.compile(
    r"^(?:via|through|thanks\s+to|introduced\s+by|intro(?:'?d)?\s+by|referred\s+by|"
    r"referral\s+from)\b\s*",
    re.IGNORECASE,
)
_AT = re.compile(r"(?:^|\s+)(?:at\s+|@\s*)", re.IGNORECASE)
# Words around a title that say nothing: "Ana, currently works as a PM at Acme".
_FILLER = _words("works work working now currently is as a an")
_LOCATION = re.compile(
    r"^(?:(?:is\s+)?based\s+in|lives\s+in|living\s+in|located\s+in|in)\s+(.+)$", re.IGNORECASE
)
_LOCATION_SUFFIX = re.compile(r"^(.+?)-based$", re.IGNORECASE)
_NOTE = re.compile(r"^(?:notes?|nb)\s*:\s*(.*)$", re.IGNORECASE | re.DOTALL)
_LABELS = _words("tel phone mobile cell mob email e-mail mail linkedin web website site url")
_PLACE_WORD = re.compile(r"^[^\W\d_][\w'.-]*$")
_LOWER_PLACE_WORDS = _words("am an de del der di do du la le of on sur upon the")


def parse_person(line: str) -> ParsedPerson:
    """Read one line about a person. Never raises: what cannot be placed goes to the notes,
    with a warning saying so."""
    return _Parser(line).run()


class _Parser:
    """The state of reading one line: atoms first, then clause by clause, left to right."""

    def __init__(self, line: str):
        self.text = _US_DATE_COMMA.sub(r"\1 \2 \3", line)
        self.values: dict[str, str] = {}
        self.met_on: date | int | None = None
        self.how_met: list[str] = []
        self.emails: list[str] = []
        self.phones: list[str] = []
        self.links: list[str] = []
        self.location: list[str] = []
        self.notes: list[str] = []
        self.warnings: list[str] = []

    def run(self) -> ParsedPerson:
        self._take_atoms()
        segments = [s for s in (_clean(p) for p in _split(self.text)) if s]
        clauses = [clause for segment in segments for clause in _clauses(segment)]
        previous_was_place = False
        for position, clause in enumerate(clauses):
            if position == 0 and not (_MET.match(clause) or _INTRO.match(clause)):
                self._name(clause)
                continue
            is_place = self._clause(clause, after_place=previous_was_place)
            previous_was_place = is_place
        if not self.values.get("full_name"):
            self.warnings.append("No name found: the line should start with the person's name.")
        return ParsedPerson(
            full_name=self.values.get("full_name", ""),
            title=self.values.get("title", ""),
            organisation=self.values.get("organisation", ""),
            met_at=self.values.get("met_at", ""),
            met_on=self.met_on,
            how_met="; ".join(self.how_met),
            introduced_by_name=self.values.get("introduced_by_name", ""),
            emails=_unique(self.emails, key=str.lower),
            phones=_unique(self.phones),
            links=_unique(self.links),
            pronouns=self.values.get("pronouns", ""),
            location=", ".join(self.location),
            notes="; ".join(self.notes),
            warnings=tuple(self.warnings),
        )

    # -------------------------------------------------------------- contact values

    def _take_atoms(self) -> None:
        """Lift out emails, links, pronouns in parentheses and phone numbers, leaving a
        separator where each was, so what remains splits cleanly."""

        def email(match: re.Match) -> str:
            value = match.group(1) or match.group(2)
            try:
                normalize_email(value)
            except ValidationError:
                return match.group(0)
            self.emails.append(value)
            return " , "

        def link(match: re.Match) -> str:
            value = match.group(0).rstrip(".,;:!?)'\"")
            rest = match.group(0)[len(value) :]
            try:
                normalize_url(value)
            except ValidationError:
                return match.group(0)
            self.links.append(value)
            return " , " + rest

        def pronouns(match: re.Match) -> str:
            words = [w.strip().lower() for w in match.group(1).split("/")]
            if not all(w in PRONOUN_WORDS for w in words):
                return match.group(0)
            self._set("pronouns", "/".join(words), match.group(0))
            return " , "

        def phone(match: re.Match) -> str:
            value = match.group(1).strip()
            if not _looks_like_phone(value):
                return match.group(0)
            self.phones.append(value)
            return " , "

        self.text = _EMAIL.sub(email, self.text)
        self.text = _URL.sub(link, self.text)
        self.text = _PRONOUNS_IN_PARENS.sub(pronouns, self.text)
        self.text = _PHONE.sub(phone, self.text)

    # -------------------------------------------------------------- clauses

    def _name(self, clause: str) -> None:
        """The first clause names the person, maybe followed by their title and employer."""
        name, title, organisation = clause, "", ""
        at = _split_at(clause)
        if at is not None and at[0]:
            name, organisation = at
        words = _strip_filler(name, leading=False).split() or name.split()
        run = _trailing_title(words)
        if run:
            name, title = " ".join(words[:-run]), " ".join(words[-run:])
        self.values["full_name"] = name
        if title or organisation:
            self._role(title, organisation, clause)

    def _clause(self, clause: str, *, after_place: bool) -> bool:
        """Place one clause; True when it was read as (part of) a location."""
        if _MET.match(clause):
            self._met(clause)
            return False
        intro = _INTRO.match(clause)
        if intro:
            self.how_met.append(clause)
            self._introducer(clause[intro.end() :], clause)
            return False
        note = _NOTE.match(clause)
        if note:
            if note.group(1).strip():
                self.notes.append(note.group(1).strip())
            return False
        if clause.rstrip(":").strip().lower() in _LABELS:
            return False  # "tel:" before a number that was already taken
        if _is_pronouns(clause):
            words = re.sub(r"^pronouns?\s*:?\s*", "", clause, flags=re.IGNORECASE).split("/")
            self._set("pronouns", "/".join(w.strip().lower() for w in words), clause)
            return False
        location = _LOCATION.match(clause) or _LOCATION_SUFFIX.match(clause)
        if location and _is_place(location.group(1)):
            self.location.append(location.group(1).strip())
            return True
        at = _split_at(clause)
        if at is not None:
            title = _strip_filler(at[0])
            self._role(title, at[1], clause)
            return False
        if _is_title(clause) and "title" not in self.values:
            self.values["title"] = clause
            return False
        if _is_place(clause) and (not self.location or after_place):
            self.location.append(clause)
            return True
        self._unplaced(clause)
        return False

    def _role(self, title: str, organisation: str, clause: str) -> None:
        if (title and "title" in self.values) or (organisation and "organisation" in self.values):
            self._unplaced(clause, why="a second role")
            return
        if title:
            self.values["title"] = title
        if organisation:
            self.values["organisation"] = organisation

    def _met(self, clause: str) -> None:
        """ "met at PyCon 2024", "met in Berlin in 2019", "met via Ana at her wedding" …"""
        self.how_met.append(clause)
        rest = _MET.sub("", clause, count=1)
        pieces: list[tuple[str, list[str]]] = [("", [])]
        words = rest.split()
        i = 0
        while i < len(words):
            word = words[i].lower()
            if word == "thanks" and i + 1 < len(words) and words[i + 1].lower() == "to":
                pieces.append(("via", []))
                i += 2
                continue
            if word in ("at", "in", "during", "on", "via", "through"):
                pieces.append((word, []))
            else:
                pieces[-1][1].append(words[i])
            i += 1
        place: list[str] = []
        for connector, piece_words in pieces:
            text = " ".join(piece_words)
            if connector in ("via", "through"):
                if text:
                    self._introducer(text, clause)
                continue
            when = _parse_when(text) if connector in ("in", "on", "") else None
            if when is not None and self.met_on is None:
                self.met_on = when
                continue
            if connector and place:
                place.append(connector)
            place += piece_words
        met_at = " ".join(place)
        if met_at:
            if "met_at" in self.values:
                self._unplaced(met_at, why="a second place met")
            else:
                self.values["met_at"] = met_at
            if self.met_on is None:
                years = re.findall(r"\b((?:19|20)[0-9]{2})\b", met_at)
                if years:
                    self.met_on = int(years[-1])

    def _introducer(self, name: str, clause: str) -> None:
        name = name.strip()
        if not any(word[:1].isupper() for word in name.split()):
            return  # "met through work": how_met keeps the words, nobody to link
        if "introduced_by_name" in self.values:
            self._unplaced(clause, why="a second introducer")
        else:
            self.values["introduced_by_name"] = name

    def _set(self, key: str, value: str, source: str) -> None:
        if key in self.values:
            self._unplaced(source, why=f"a second {key}")
        else:
            self.values[key] = value

    def _unplaced(self, text: str, *, why: str = "") -> None:
        self.notes.append(text)
        reason = f" ({why})" if why else ""
        self.warnings.append(f"Kept “{text}” in the notes: not sure where it belongs{reason}.")


def _unique(values: list[str], key=lambda value: value) -> tuple[str, ...]:
    """The values in order, each once (by `key`)."""
    seen: set[str] = set()
    kept = []
    for value in values:
        if key(value) not in seen:
            seen.add(key(value))
            kept.append(value)
    return tuple(kept)


def _split(text: str) -> list[str]:
    return _SEPARATORS.split(text)


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(" .:-'\"")


def _clauses(segment: str) -> list[str]:
    """Split before "met …" and "via …" inside one segment; "via" after "met" stays with it."""
    parts = [p.strip() for p in _CLAUSE_START.split(segment) if p.strip()]
    merged: list[str] = []
    for part in parts:
        if merged and _MET.match(merged[-1]) and _INTRO.match(part):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged


def _split_at(clause: str) -> tuple[str, str] | None:
    """("PM", "Acme") from "PM at Acme" or "PM @ Acme"; None without an "at"."""
    match = _AT.search(clause)
    if match is None:
        return None
    left, right = clause[: match.start()].strip(), clause[match.end() :].strip()
    if not right:
        return None
    if match.start() == 0 and match.group(0) == "@" and " " not in right:
        return None  # "@handle" alone is a handle, not an employer
    return left, right


def _trailing_title(words: list[str]) -> int:
    """How many words at the end of a name clause are a job title ("Ana Ruiz Senior PM")."""
    run = 0
    for word in reversed(words):
        if _word(word) in _TITLE_ACRONYMS | _TITLE_NOUNS | _TITLE_MODIFIERS:
            run += 1
        else:
            break
    # Keep at least one word of name (two, unless the title is an unmistakable acronym), and
    # insist on a real job word so that "Ana Head" stays a name.
    while run and not any(_word(w) in _TITLE_CORE for w in words[-run:]):
        run -= 1
    has_acronym = any(_word(w) in _TITLE_ACRONYMS for w in words[-run:]) if run else False
    keep = 1 if has_acronym else 2
    while run and len(words) - run < keep:
        run -= 1
    if run and _word(words[-run]) in ("of", "and"):
        run -= 1
    return run


def _strip_filler(text: str, *, leading: bool = True) -> str:
    words = text.split()
    while leading and words and words[0].lower() in _FILLER:
        words.pop(0)
    while words and words[-1].lower() in _FILLER:
        words.pop()
    return " ".join(words)


def _word(word: str) -> str:
    return word.lower().strip(".,:;'\"()")


def _is_title(clause: str) -> bool:
    words = [_word(w) for w in clause.split()]
    return bool(words) and len(words) <= 8 and any(w in _TITLE_WORDS for w in words)


def _is_place(text: str) -> bool:
    """A short run of capitalised words, such as "Berlin" or "Rio de Janeiro"."""
    words = text.split()
    if not 1 <= len(words) <= 4:
        return False
    if not all(_PLACE_WORD.match(w) for w in words):
        return False
    if words[0][0].islower() or _is_title(text):
        return False
    return all(w[0].isupper() or w.lower() in _LOWER_PLACE_WORDS for w in words)


def _is_pronouns(clause: str) -> bool:
    text = re.sub(r"^pronouns?\s*:?\s*", "", clause, flags=re.IGNORECASE)
    words = [w.strip().lower() for w in text.split("/")]
    return len(words) >= 2 and all(w in PRONOUN_WORDS for w in words)


def _looks_like_phone(value: str) -> bool:
    digits = re.sub(r"[^0-9]", "", value)
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}(-[0-9]{2})?", value):
        return False  # a date
    groups = re.findall(r"[0-9]+", value)
    if not value.startswith("+") and all(re.fullmatch(r"(?:19|20)[0-9]{2}", g) for g in groups):
        return False  # years, "2019 - 2024"
    return len(digits) >= (7 if value.startswith("+") else 9) and len(digits) <= 15


def _parse_when(text: str) -> date | int | None:
    """A day ("2024-03-12", "12 March 2024", "March 12 2024") or a year ("2024",
    "March 2024", "2024-03"); None when the text is something else."""
    text = " ".join(text.lower().replace(",", " ").split())
    text = re.sub(r"(?<=[0-9])(?:st|nd|rd|th)\b", "", text)
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text)
    if match:
        return _day(int(match[1]), int(match[2]), int(match[3]))
    match = re.fullmatch(rf"([0-9]{{1,2}}) ({_MONTH}) ([0-9]{{4}})", text)
    if match:
        return _day(int(match[3]), MONTHS[match[2].rstrip(".")], int(match[1]))
    match = re.fullmatch(rf"({_MONTH}) ([0-9]{{1,2}}) ([0-9]{{4}})", text)
    if match:
        return _day(int(match[3]), MONTHS[match[1].rstrip(".")], int(match[2]))
    match = re.fullmatch(rf"(?:{_MONTH} )?((?:19|20)[0-9]{{2}})(?:-[0-9]{{2}})?", text)
    if match:
        return int(match[1])
    return None


def _day(year: int, month: int, day: int) -> date | int | None:
    """The day; only its year when the day does not exist (a typo keeps the year)."""
    if not 1900 <= year <= 2099:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return year


# ------------------------------------------------------------------ logging an interaction

# First match wins, so the specific phrases come before the words they contain.
KIND_WORDS: tuple[tuple[str, str], ...] = (
    (r"informational(?:\s+interview)?|info\s+interview|informational\s+chat", "informational"),
    (r"job\s+interview|interview(?:ed|ing)?|phone\s+screen|onsite", "job_interview"),
    (r"video|zoom|teams|google\s+meet|hangout|facetime|webex", "video"),
    (r"coffee|tea|espresso|latte", "coffee"),
    (r"lunch|dinner|breakfast|brunch|drinks?|beers?|meeting|met|meet|catch[- ]?up", "meeting"),
    (r"call(?:ed)?|phoned?|rang|ring", "call"),
    (r"e-?mail(?:ed)?|wrote|newsletter", "email"),
    (r"message[ds]?|texted|text|dm|sms|whatsapp|signal|slack|linkedin|chatted", "message"),
    (r"conference|meetup|event|talk|workshop|webinar|party", "event"),
)
_KIND_PATTERNS = tuple(
    (re.compile(rf"\b(?:{words})\b", re.IGNORECASE), kind) for words, kind in KIND_WORDS
)


def infer_kind(sentence: str) -> str | None:
    """The interaction kind the words suggest ("coffee with Ana" → "coffee"), or None."""
    for pattern, kind in _KIND_PATTERNS:
        if pattern.search(sentence):
            return kind
    return None


def parse_day(text: str, *, today: date) -> date:
    """ "today", "yesterday" or YYYY-MM-DD; ValueError with a readable message otherwise."""
    value = text.strip().lower()
    if value == "today":
        return today
    if value == "yesterday":
        return today - timedelta(days=1)
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{text!r} is not a date: use YYYY-MM-DD, today or yesterday.")
