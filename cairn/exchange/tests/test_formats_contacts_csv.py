"""Google, Outlook (desktop in three languages, Outlook.com) and Thunderbird CSV files."""

from __future__ import annotations

from cairn.exchange.formats import read_bytes
from cairn.exchange.records import (
    IncomingContact,
    IncomingPerson,
    IncomingRole,
    PartialDate,
    Problem,
)

CP1252_WARNING = (
    "The file is not UTF-8; it was read as Windows-1252 (Western European). "
    "Check accented letters in the preview."
)


def test_it_reads_the_current_google_export(read_sample):
    result = read_sample("google/contacts.csv")

    assert result.parsed.format == "google"
    assert result.people == [
        IncomingPerson(
            source="contacts.csv",
            row=2,
            full_name="Hannah Maria Schmidt",
            given_name="Hannah",
            family_name="Schmidt",
            location="Berlin, Germany",
            notes="Met at Berlin Energy Week.\nInterested in moving to storage projects.",
            birthday=PartialDate(month=6, day=21, year=1988),
            contacts=[
                IncomingContact("email", "hannah.schmidt@kestrel.example", "work", primary=True),
                IncomingContact("email", "hanni@mail.example", "home"),
                IncomingContact("email", "h.schmidt@old.example", "home"),
                IncomingContact("phone", "+49 151 5550 1234", "mobile"),
                IncomingContact(
                    "link", "https://www.linkedin.com/in/hannah-schmidt-energy", "profile"
                ),
            ],
            roles=[IncomingRole("Kestrel Energy", "Grid Analyst")],
            circles=["Mentors"],
            favourite=True,
            extra={"nickname": "Hanni", "Met at": "Berlin Energy Week"},
        ),
        IncomingPerson(
            source="contacts.csv",
            row=3,
            full_name="Rafael Costa",
            given_name="Rafael",
            family_name="Costa",
            birthday=PartialDate(month=9, day=12, year=None),
            contacts=[IncomingContact("email", "rafael.costa@example.br", "other")],
        ),
        IncomingPerson(
            source="contacts.csv",
            row=4,
            full_name="Orbit Coworking",
            contacts=[IncomingContact("phone", "+44 161 555 0142", "work")],
            roles=[IncomingRole("Orbit Coworking")],
            circles=["Venues"],
        ),
        IncomingPerson(
            source="contacts.csv",
            row=6,
            full_name="Yusuf Demir",
            given_name="Yusuf",
            family_name="Demir",
        ),
    ]
    assert result.problems == [
        Problem("contacts.csv", 5, "Name", "This row has no name, organisation or email."),
        Problem(
            "contacts.csv",
            6,
            "Birthday",
            "1987-02-30 is not a real date; left empty.",
            "warning",
        ),
    ]


def test_it_reads_the_legacy_google_export_and_repairs_excel_mojibake(read_sample):
    result = read_sample("google/contacts-legacy.csv")

    assert result.people == [
        IncomingPerson(
            source="contacts-legacy.csv",
            row=2,
            full_name="Olivia Grant",
            given_name="Olivia",
            family_name="Grant",
            location="Leeds, United Kingdom",
            notes="Former team lead at Harbour Health.\nGood person to ask about NHS suppliers.",
            birthday=PartialDate(month=2, day=14, year=1990),
            contacts=[
                IncomingContact("email", "olivia.grant@example.co.uk", "work", primary=True),
                IncomingContact("email", "o.grant@alt.example", "work"),
                IncomingContact("phone", "07700 900456", "mobile"),
            ],
            roles=[IncomingRole("Harbour Health", "Head of Delivery")],
            circles=["Former colleagues"],
            favourite=True,
        ),
        IncomingPerson(
            source="contacts-legacy.csv",
            row=3,
            full_name="Renée Lefèvre",
            given_name="Renée",
            family_name="Lefèvre",
            contacts=[IncomingContact("email", "renee.lefevre@example.fr", "perso")],
        ),
    ]
    assert result.problems == []


def test_it_reads_an_english_outlook_desktop_export_in_windows_1252(read_sample):
    result = read_sample("outlook/outlook-desktop-en.csv")

    assert result.parsed.format == "outlook"
    assert result.people == [
        IncomingPerson(
            source="outlook-desktop-en.csv",
            row=2,
            full_name="Chloé O’Neill",
            given_name="Chloé",
            family_name="O’Neill",
            location="London, United Kingdom",
            notes="Met at the Law Society dinner.\nPrefers email to calls.",
            birthday=PartialDate(month=4, day=23, year=1984),
            contacts=[
                IncomingContact("email", "chloe.oneill@pembertonhale.example"),
                IncomingContact("phone", "+44 7700 900789", "mobile"),
                IncomingContact("phone", "+44 20 7946 0321", "work"),
                IncomingContact(
                    "link", "https://pembertonhale.example/people/chloe-oneill", "website"
                ),
            ],
            roles=[IncomingRole("Pemberton & Hale LLP", "Senior Associate")],
            circles=["Legal", "Mentors"],
        ),
        IncomingPerson(
            source="outlook-desktop-en.csv",
            row=3,
            full_name="Seán Ó Briain",
            given_name="Seán",
            family_name="Ó Briain",
            # 1604 is Outlook's "no year".
            birthday=PartialDate(month=7, day=9, year=None),
            # The Exchange directory address is not an email and is left out.
            contacts=[
                IncomingContact("email", "sean.obriain@example.ie"),
                IncomingContact("phone", "+353 1 555 0199", "home"),
            ],
        ),
    ]
    assert result.problems == [
        Problem("outlook-desktop-en.csv", None, "", CP1252_WARNING, "warning")
    ]


def test_it_reads_a_german_outlook_export_separated_by_semicolons(read_sample):
    result = read_sample("outlook/outlook-desktop-de.csv")

    assert result.people == [
        IncomingPerson(
            source="outlook-desktop-de.csv",
            row=2,
            full_name="Jürgen Weiß",
            given_name="Jürgen",
            family_name="Weiß",
            location="Köln, Deutschland",
            notes="Trifft man jedes Jahr auf der Hannover Messe.",
            birthday=PartialDate(month=3, day=31, year=1975),
            contacts=[
                IncomingContact("email", "j.weiss@rheinwerk.example"),
                IncomingContact("phone", "+49 171 5550777", "mobile"),
            ],
            roles=[IncomingRole("Rheinwerk Maschinenbau AG", "Vertriebsleiter")],
            circles=["Kunden", "Köln"],
        )
    ]


def test_it_reads_a_french_outlook_export_with_its_two_titre_columns(read_sample):
    result = read_sample("outlook/outlook-desktop-fr.csv")

    assert result.people == [
        IncomingPerson(
            source="outlook-desktop-fr.csv",
            row=2,
            full_name="Amélie Rousseau",
            given_name="Amélie",
            family_name="Rousseau",
            location="Lyon, France",
            notes="Rencontrée au salon Maison&Objet.",
            birthday=PartialDate(month=7, day=14, year=1982),
            contacts=[
                IncomingContact("email", "amelie.rousseau@atelier-lumiere.example"),
                IncomingContact("phone", "+33 6 55 50 98 76", "mobile"),
                IncomingContact("phone", "+33 4 55 50 12 34", "work"),
                IncomingContact("link", "https://atelier-lumiere.example", "website"),
            ],
            roles=[IncomingRole("Atelier Lumière", "Directrice artistique")],
            circles=["Clients", "Lyon"],
            extra={"department": "Design"},
        )
    ]


def test_it_reads_an_outlook_com_export(read_sample):
    result = read_sample("outlook/outlook-com.csv")

    assert result.people == [
        IncomingPerson(
            source="outlook-com.csv",
            row=2,
            full_name="Nadia Haddad",
            given_name="Nadia",
            family_name="Haddad",
            location="Beirut, Lebanon",
            notes="Introduced by Amélie.",
            birthday=PartialDate(month=5, day=6, year=1991),
            contacts=[
                IncomingContact("email", "nadia.haddad@outlook.example"),
                IncomingContact("email", "n.haddad@cedar.example"),
                IncomingContact("phone", "+961 3 555 012", "mobile"),
            ],
            roles=[IncomingRole("Cedar Foods", "Supply Chain Lead")],
            extra={"department": "Operations", "nickname": "Nads"},
        )
    ]
    assert result.problems == []


def test_it_reads_a_thunderbird_export(read_sample):
    result = read_sample("outlook/thunderbird.csv")

    assert result.parsed.format == "outlook"
    assert result.people == [
        IncomingPerson(
            source="thunderbird.csv",
            row=2,
            full_name="Ingrid Solberg",
            given_name="Ingrid",
            family_name="Solberg",
            location="Bergen, Norway",
            notes="Sailing club.",
            birthday=PartialDate(month=10, day=3, year=1986),
            contacts=[
                IncomingContact("email", "ingrid.solberg@fjord.example"),
                IncomingContact("email", "ingrid@home.example"),
                IncomingContact("phone", "+47 912 55 012", "mobile"),
                IncomingContact("phone", "+47 55 55 01 23", "work"),
                IncomingContact("link", "https://fjord.example", "website"),
            ],
            roles=[IncomingRole("Fjord Maritime", "Fleet Engineer")],
        )
    ]


def test_a_day_first_english_birthday_is_still_read():
    data = b"First Name,Last Name,E-mail Address,Job Title,Mobile Phone,Birthday\r\n"
    data += b"Ama,Mensah,ama@example.com,,,23/04/1984\r\n"

    people = list(read_bytes(data, name="en-gb.csv").people)

    assert people[0].birthday == PartialDate(month=4, day=23, year=1984)


def test_a_row_with_more_values_than_the_header_is_read_with_a_warning():
    data = b"First Name,Last Name,E-mail Address,Job Title,Mobile Phone\r\n"
    data += b"Ama,Mensah,ama@example.com,,,surplus\r\n"

    result = read_bytes(data, name="wide.csv")
    people = list(result.people)

    assert [p.full_name for p in people] == ["Ama Mensah"]
    assert result.problems == [
        Problem(
            "wide.csv",
            2,
            "",
            "This row has 6 values but the header has 5; the extra values were ignored.",
            "warning",
        )
    ]
