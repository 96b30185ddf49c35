"""vCard 2.1, 3.0 and 4.0 files read into IncomingPerson records."""

from __future__ import annotations

from dataclasses import replace

from cairn.exchange.formats import read_bytes
from cairn.exchange.records import (
    IncomingContact,
    IncomingPerson,
    IncomingRole,
    PartialDate,
    Problem,
)


def without_card(person: IncomingPerson) -> IncomingPerson:
    extra = {key: value for key, value in person.extra.items() if key != "vcard"}
    return replace(person, extra=extra)


def test_it_reads_an_android_2_1_file_with_quoted_printable_and_charsets(read_sample):
    result = read_sample("vcard/android-2.1.vcf")

    assert result.parsed.format == "vcard"
    assert [without_card(person) for person in result.people] == [
        IncomingPerson(
            source="android-2.1.vcf",
            row=1,
            full_name="Jürgen Müller",
            given_name="Jürgen",
            family_name="Müller",
            location="Potsdam, Deutschland",
            notes=(
                "Met at the Potsdam supplier day; talked about long-term contracts and his "
                "move to Hamburg.\nSecond line."
            ),
            birthday=PartialDate(month=11, day=2, year=1979),
            contacts=[
                IncomingContact("phone", "+49 170 5550123", "mobile", primary=True),
                IncomingContact("phone", "+49 30 5550199", "work"),
                IncomingContact("email", "juergen.mueller@example.de", "home"),
            ],
            roles=[IncomingRole(organisation="Havelwerk GmbH", title="Einkaufsleiter")],
        ),
        IncomingPerson(
            source="android-2.1.vcf",
            row=2,
            full_name="Anaïs Lefèvre",
            given_name="Anaïs",
            family_name="Lefèvre",
            contacts=[IncomingContact("phone", "+33 1 55 50 01 23", "home")],
        ),
        IncomingPerson(
            source="android-2.1.vcf",
            row=3,
            full_name="Inês Gonçalves",
            given_name="Inês",
            family_name="Gonçalves",
            contacts=[IncomingContact("email", "ines.goncalves@example.pt", "", primary=True)],
        ),
    ]
    assert result.problems == []


def test_it_keeps_each_cards_text_so_unknown_properties_survive(read_sample):
    result = read_sample("vcard/android-2.1.vcf")

    card = result.person("Anaïs Lefèvre").extra["vcard"]
    assert card.startswith("BEGIN:VCARD\r\nVERSION:2.1\r\n")
    assert "X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Nana" in card
    assert card.endswith("END:VCARD\r\n")
    # The 8-bit Latin-1 value is kept as text, decoded with its declared CHARSET.
    assert "Gonçalves" in result.person("Inês Gonçalves").extra["vcard"]


def test_it_reads_an_apple_3_0_card_with_grouped_labels_and_a_photo(read_sample):
    result = read_sample("vcard/apple-3.0.vcf")

    chiamaka, northwind = result.people
    assert without_card(chiamaka) == IncomingPerson(
        source="apple-3.0.vcf",
        row=1,
        full_name="Chiamaka Okafor",
        given_name="Chiamaka",
        family_name="Okafor",
        location="Manchester, United Kingdom",
        notes=(
            "Introduced by Priya at the spring meetup.\n"
            "Asked about platform team hiring, follow up in May."
        ),
        birthday=PartialDate(month=3, day=31, year=None),
        contacts=[
            IncomingContact("email", "chiamaka@brightwater.example", "other", primary=True),
            IncomingContact("email", "c.okafor@mail.example", "conference"),
            IncomingContact("phone", "+44 7700 900123", "mobile", primary=True),
            IncomingContact("link", "https://chiamaka.example.org", "homepage", primary=True),
            IncomingContact(
                "link", "https://www.linkedin.com/in/chiamaka-okafor-example", "linkedin"
            ),
            IncomingContact("link", "https://twitter.com/chiamaka_data", "twitter"),
        ],
        roles=[
            IncomingRole(organisation="Brightwater Analytics", title="Head of Data Engineering")
        ],
        circles=["Mentors", "London data meetup"],
    )
    assert "PHOTO" not in chiamaka.extra["vcard"]
    assert "X-ABUID:5C1D1E2F" in chiamaka.extra["vcard"]
    # A card with no name at all is named after its organisation.
    assert northwind.full_name == "Northwind Recruiting"
    assert northwind.contacts == [IncomingContact("phone", "+44 20 7946 0958", "work")]
    assert result.problems == []


def test_it_reads_vcard_4_0(read_sample):
    result = read_sample("vcard/contacts-4.0.vcf")

    mateus, sofia = (without_card(person) for person in result.people)
    assert mateus == IncomingPerson(
        source="contacts-4.0.vcf",
        row=1,
        full_name="Mateus Ribeiro",
        given_name="Mateus",
        family_name="Ribeiro",
        birthday=PartialDate(month=7, day=14, year=None),
        contacts=[
            IncomingContact("email", "mateus.ribeiro@lumen.example", "work", primary=True),
            IncomingContact("email", "mateus@home.example", "home"),
            IncomingContact("phone", "+351-912-555-010", "mobile"),
            IncomingContact(
                "link", "https://www.linkedin.com/in/mateus-ribeiro-example", "linkedin"
            ),
            IncomingContact("link", "https://mateus.example.net", ""),
        ],
        roles=[IncomingRole(organisation="Lumen Studio", title="Product Designer")],
        circles=["Design", "Lisbon"],
    )
    # 1604 is Apple's and Outlook's "year unknown".
    assert sofia.birthday == PartialDate(month=1, day=1, year=None)


def test_it_reads_a_utf16_file(read_sample):
    result = read_sample("vcard/utf16.vcf")

    assert [(person.full_name, person.given_name) for person in result.people] == [
        ("Zoë Ferreira", "Zoë")
    ]


def test_a_truncated_file_keeps_what_it_can_and_says_what_happened(read_sample):
    result = read_sample("vcard/truncated.vcf")

    assert [person.full_name for person in result.people] == [
        "Kwame Mensah",
        "Broken Person",
        "Layla Haddad",
    ]
    assert result.person("Layla Haddad").notes == "The file was cut off in the mid"
    assert result.problems == [
        Problem(
            "truncated.vcf",
            2,
            "",
            "Card 2 (line 7) ends without END:VCARD (the file may be cut short); "
            "what it holds was read.",
            "warning",
        ),
        Problem(
            "truncated.vcf",
            2,
            "BDAY",
            "'not-a-date' is not a birthday like 1985-03-31 or --03-31; left empty.",
            "warning",
        ),
        Problem(
            "truncated.vcf",
            3,
            "",
            "Card 3 (line 12) ends without END:VCARD (the file may be cut short); "
            "what it holds was read.",
            "warning",
        ),
        Problem(
            "truncated.vcf",
            None,
            "",
            "1 line(s) outside any card were ignored (the first is line 6).",
            "warning",
        ),
    ]


def card(*lines: str) -> bytes:
    return ("\r\n".join(("BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD")) + "\r\n").encode()


def test_a_card_vobject_cannot_parse_is_a_problem_and_the_others_are_read():
    bad = "N;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:=FF=FE"
    data = card("FN:Good One") + card("FN:Bad One", bad) + card("FN:Next")

    result = read_bytes(data, name="mixed.vcf")
    names = [person.full_name for person in result.people]

    assert names == ["Good One", "Next"]
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert (problem.source, problem.row, problem.severity) == ("mixed.vcf", 2, "error")
    assert problem.reason.startswith("Card 2 (line 5) cannot be read: 'utf-8' codec can't")


def test_an_unknown_charset_is_read_as_utf8_with_a_warning():
    data = card("N;CHARSET=X-NOPE;ENCODING=QUOTED-PRINTABLE:Sm=C3=A9th;Ann", "FN:Ann Sméth")

    result = read_bytes(data, name="charset.vcf")

    assert [(p.family_name, p.full_name) for p in result.people] == [("Sméth", "Ann Sméth")]
    assert [problem.field for problem in result.problems] == ["N"]
    assert "unknown character set 'X-NOPE'" in result.problems[0].reason


def test_a_card_without_any_name_is_a_problem():
    result = read_bytes(card("TEL:+44 20 7946 0000"), name="nameless.vcf")

    assert list(result.people) == []
    assert result.problems[0].row == 1
    assert "has no name, organisation or email" in result.problems[0].reason


def test_empty_parameters_and_comment_lines_do_not_stop_a_card():
    data = (
        b"# exported by an old phone\r\n"
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:Tanaka;Yui\r\n"
        b"ADR;HOME;PREF;:;;1-2-3 Chuo;Sendai;;;Japan\r\n"
        b"a stray line\r\nEND:VCARD\r\n"
    )

    result = read_bytes(data, name="old.vcf")
    people = list(result.people)

    assert [(p.full_name, p.location) for p in people] == [("Yui Tanaka", "Sendai, Japan")]
    assert [problem.reason for problem in result.problems] == [
        "Card 1, line 6: not a property, ignored: 'a stray line'."
    ]


def test_shift_jis_values_are_decoded_with_their_charset():
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS:"
        + "山田;太郎".encode("shift_jis")
        + b"\r\nEND:VCARD\r\n"
    )

    people = list(read_bytes(data, name="jp.vcf").people)

    assert [(p.family_name, p.given_name, p.full_name) for p in people] == [
        ("山田", "太郎", "太郎 山田")
    ]


def test_unindented_base64_photo_blocks_of_2_1_are_skipped_safely():
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Photo Person\r\nPHOTO;JPEG;ENCODING=BASE64:\r\n"
        b"/9j/4AAQSkZJRgABAQEASABIAAD\r\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n\r\n"
        b"EMAIL:photo@example.com\r\nEND:VCARD\r\n"
    )

    result = read_bytes(data, name="photo.vcf")
    people = list(result.people)

    assert [(p.full_name, [c.value for c in p.contacts]) for p in people] == [
        ("Photo Person", ["photo@example.com"])
    ]
    assert result.problems == []


def test_a_soft_break_just_before_the_end_of_a_card_does_not_swallow_it():
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ada Brook\r\n"
        b"NOTE;ENCODING=QUOTED-PRINTABLE:Met at the library=\r\nEND:VCARD\r\n"
    )

    result = read_bytes(data, name="qp.vcf")

    assert [(p.full_name, p.notes) for p in result.people] == [("Ada Brook", "Met at the library")]
    assert result.problems == []


def test_lower_case_cards_with_old_mac_line_endings_are_read():
    data = b"begin:vcard\rversion:3.0\rfn:Cora Reyes\remail:cora@example.com\rend:vcard\r"

    people = list(read_bytes(data, name="mac.vcf").people)

    assert [(p.full_name, p.contacts[0].value) for p in people] == [
        ("Cora Reyes", "cora@example.com")
    ]


def test_a_damaged_photo_does_not_cost_the_card():
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Ruiz\r\nN:Ruiz;Ana;;;\r\n"
        "PHOTO;ENCODING=b;TYPE=JPEG:not*base64!!\r\nEMAIL:ana@example.org\r\nEND:VCARD\r\n"
    )
    parsed = read_bytes(text.encode(), name="ana.vcf")
    [ana] = list(parsed.people)
    assert ana.full_name == "Ana Ruiz"
    assert [c.value for c in ana.contacts] == ["ana@example.org"]
    assert "PHOTO" not in ana.extra.get("vcard", "")
