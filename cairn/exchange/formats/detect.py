"""Which export a file is, decided from its content, never from its name's extension."""

from __future__ import annotations

from dataclasses import dataclass

from cairn.exchange.formats import google, linkedin, outlook
from cairn.exchange.formats.text import (
    Encoding,
    Opener,
    TableShape,
    first_line,
    read_head,
    read_start,
    sniff_encoding,
    sniff_table,
)
from cairn.exchange.formats.vcard import looks_like_vcard
from cairn.exchange.records import ImportFileError

KNOWN_HEADERS = linkedin.KNOWN | google.KNOWN | outlook.KNOWN
FORMAT_NAMES = {
    "linkedin": "a LinkedIn export",
    "google": "a Google Contacts CSV",
    "outlook": "an Outlook or Thunderbird CSV",
    "vcard": "a vCard file",
}


@dataclass(frozen=True)
class Detected:
    """What `detect` found, with what was learnt on the way (encoding, table shape)."""

    format: str  # linkedin, google, outlook, vcard
    kind: str  # zip, vcard, google, outlook, thunderbird, or a LinkedIn file kind
    encoding: Encoding | None = None
    shape: TableShape | None = None
    language: str = "en"  # Outlook's UI language


def detect(opener: Opener, source: str) -> Detected:
    """The file's format; ImportFileError says why it is none Cairn reads."""
    start = read_start(opener, 8)
    if not start:
        raise ImportFileError(source, "The file is empty.")
    if start.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        names = linkedin.zip_names(opener)
        if any(name.startswith(("xl/", "[Content_Types]")) for name in names):
            raise ImportFileError(source, _WORKBOOK)
        if any(linkedin.kind_of_name(name) for name in names):
            return Detected("linkedin", "zip")
        if not names:
            raise ImportFileError(source, "This zip file is damaged or empty.")
        raise ImportFileError(
            source,
            "This zip holds no LinkedIn export files (Connections.csv, messages.csv …).",
        )
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(source, _WORKBOOK)
    encoding = sniff_encoding(opener, source)
    head = read_head(opener, encoding)
    if not head.strip():
        raise ImportFileError(source, "The file is empty.")
    if looks_like_vcard(head):
        return Detected("vcard", "vcard", encoding)
    if head.lstrip().startswith("{") and ('"cairn-archive"' in head or '"cairn-account"' in head):
        raise ImportFileError(
            source,
            "This is a complete Cairn archive, not a contacts file: restore it into an empty "
            "account from Settings → Your data, or with `cairn import PATH`.",
        )
    shape = sniff_table(head, KNOWN_HEADERS)
    if shape is None:
        raise ImportFileError(
            source,
            "This is not a file Cairn can import: expected a LinkedIn export, a Google, "
            f"Outlook or Thunderbird CSV, or a vCard; it begins {first_line(head)!r}.",
        )
    header = {name.split("#")[0] for name in shape.header}
    kind = linkedin.kind_of_header(header)
    if kind:
        return Detected("linkedin", kind, encoding, shape)
    if google.is_google(header):
        return Detected("google", "google", encoding, shape)
    if outlook.is_thunderbird(header):
        return Detected("outlook", "thunderbird", encoding, shape)
    lang = outlook.language(header)
    if lang:
        return Detected("outlook", "outlook", encoding, shape, lang)
    columns = ", ".join(cell for cell in shape.header[:6] if cell)
    raise ImportFileError(
        source,
        f"Cairn does not recognise these columns ({columns} …): expected a LinkedIn export, "
        "a Google, Outlook or Thunderbird CSV, or a vCard.",
    )


_WORKBOOK = (
    "This is a spreadsheet workbook (Excel), not a CSV file. Save it as “CSV UTF-8” and "
    "import that file."
)
