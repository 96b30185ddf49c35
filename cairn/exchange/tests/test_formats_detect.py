"""Finding the format from the content, and refusing what cannot be imported, clearly."""

from __future__ import annotations

import shutil

import pytest

from cairn.exchange.formats import read, read_bytes, text
from cairn.exchange.records import ImportFileError

from .conftest import SAMPLES


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("linkedin/archive", "linkedin"),
        ("linkedin/archive/Connections.csv", "linkedin"),
        ("linkedin/archive/messages.csv", "linkedin"),
        ("linkedin/archive/Invitations.csv", "linkedin"),
        ("linkedin/archive/Positions.csv", "linkedin"),
        ("linkedin/Connections-2018-utf16.csv", "linkedin"),
        ("google/contacts.csv", "google"),
        ("google/contacts-legacy.csv", "google"),
        ("outlook/outlook-desktop-en.csv", "outlook"),
        ("outlook/outlook-desktop-de.csv", "outlook"),
        ("outlook/outlook-desktop-fr.csv", "outlook"),
        ("outlook/outlook-com.csv", "outlook"),
        ("outlook/thunderbird.csv", "outlook"),
        ("vcard/android-2.1.vcf", "vcard"),
        ("vcard/utf16.vcf", "vcard"),
    ],
)
def test_the_format_comes_from_the_content_not_the_name(sample, expected, tmp_path):
    source = SAMPLES / sample
    if source.is_file():
        renamed = tmp_path / "upload.txt"
        shutil.copy(source, renamed)
        source = renamed

    assert read(source).format == expected


def test_the_linkedin_zip_is_recognised_without_its_extension(linkedin_zip, tmp_path):
    renamed = tmp_path / "download"
    shutil.copy(linkedin_zip, renamed)

    assert read(renamed).format == "linkedin"


def test_a_profile_alone_has_nothing_to_import(read_sample):
    result = read_sample("linkedin/archive/Profile.csv")

    assert result.people == []
    assert result.skipped == [("Profile.csv", "Your own profile: there is nothing to import.")]


@pytest.mark.parametrize(
    ("sample", "message"),
    [
        ("broken/empty.csv", "empty.csv: The file is empty."),
        (
            "broken/connections-saved-as-xlsx.csv",
            "connections-saved-as-xlsx.csv: This is a spreadsheet workbook (Excel), not a CSV "
            "file. Save it as “CSV UTF-8” and import that file.",
        ),
        (
            "broken/connections-without-last-name.csv",
            'connections-without-last-name.csv: The column "Last Name" is missing.',
        ),
        (
            "broken/unknown-columns.csv",
            "unknown-columns.csv: Cairn does not recognise these columns (name, amount, date …): "
            "expected a LinkedIn export, a Google, Outlook or Thunderbird CSV, or a vCard.",
        ),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_with_its_name_and_reason(sample, message):
    with pytest.raises(ImportFileError) as raised:
        read(SAMPLES / sample)

    assert str(raised.value) == message


def test_a_text_with_no_known_header_is_refused():
    with pytest.raises(ImportFileError, match="it begins 'Dear Sam,'"):
        read_bytes(b"Dear Sam,\nthanks for the list.\n", name="letter.txt")


def test_a_chosen_format_that_does_not_match_is_refused(read_sample):
    with pytest.raises(ImportFileError) as raised:
        read_sample("google/contacts.csv", format="vcard")

    assert str(raised.value) == (
        "contacts.csv: This looks like a Google Contacts CSV, not a vCard file."
    )


def test_an_unknown_format_is_refused(read_sample):
    with pytest.raises(ImportFileError, match="no reader for the format 'opml'"):
        read_sample("google/contacts.csv", format="opml")


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(ImportFileError, match=r"nope\.csv: There is no such file\."):
        read(tmp_path / "nope.csv")


def test_a_display_name_replaces_the_file_name_in_messages(read_sample):
    with pytest.raises(ImportFileError, match=r"^My contacts\.csv: The file is empty\.$"):
        read(SAMPLES / "broken/empty.csv", name="My contacts.csv")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Zoë".encode("utf-8-sig"), "utf-8-sig"),
        ("Zoë".encode(), "utf-8"),
        ("Zoë".encode("utf-16"), "utf-16"),
        ("Zoë, Jürgen".encode("utf-16-le"), "utf-16-le"),
        ("Zoë, Jürgen".encode("utf-16-be"), "utf-16-be"),
        ("Zoë’s".encode("cp1252"), "cp1252"),
        (b"Zo\xeb \x81", "latin-1"),
    ],
)
def test_the_encoding_is_sniffed(data, encoding):
    found = text.sniff_encoding(text.bytes_opener(data), "f.csv")

    assert found.name == encoding
    assert (found.problem is not None) == (encoding in ("cp1252", "latin-1"))


def test_the_header_is_found_after_any_preamble_with_the_delimiter_it_uses():
    head = 'Exported contacts\n"Some note; with, separators"\n\nVorname;Nachname;Firma\nA;B;C\n'

    shape = text.sniff_table(head, {"vorname", "nachname", "firma"})

    assert shape == text.TableShape(";", 3, ["vorname", "nachname", "firma"])


def test_a_mostly_utf8_file_with_a_broken_byte_stays_utf8_with_a_warning():
    data = "First Name,Last Name\r\nZoë,Weiß\r\n".encode() + b"Ren\xe9,Lef\xc3\xa8vre\r\n"

    result = read_bytes(
        b"First Name,Last Name,E-mail Address,Job Title,Mobile Phone\r\n" + data[22:],
        name="mixed.csv",
    )
    people = list(result.people)

    assert [p.full_name for p in people] == ["Zoë Weiß", "Ren\ufffd Lefèvre"]
    assert [p.reason for p in result.problems] == [
        "1 byte(s) are not valid UTF-8 and show as \ufffd. Check the preview."
    ]


def test_googles_outlook_layout_reads_when_google_is_chosen():
    parsed = read(SAMPLES / "outlook/outlook-desktop-en.csv", format="google")
    assert parsed.format == "outlook" and list(parsed.people)


def test_a_cairn_archive_is_pointed_to_its_restore():
    with pytest.raises(ImportFileError, match="complete Cairn archive, not a contacts file"):
        read_bytes(b'{"format":"cairn-archive","version":2,"rows":[\n', name="backup.json")
