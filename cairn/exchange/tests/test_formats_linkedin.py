"""LinkedIn's export read as a zip, as a folder and file by file."""

from __future__ import annotations

import zipfile
from datetime import date, time
from pathlib import Path

import pytest

from cairn.exchange.formats import linkedin, read, read_bytes
from cairn.exchange.records import (
    ImportFileError,
    IncomingContact,
    IncomingInteraction,
    IncomingPerson,
    IncomingRole,
    OwnPosition,
    PersonRef,
    Problem,
)

from .conftest import SAMPLES, build_linkedin_zip

SAM = "https://www.linkedin.com/in/sam-carter-7d1e"
PRIYA = PersonRef("Priya Raman", "https://www.linkedin.com/in/priya-raman-4b2a1c")
TOMAS = PersonRef("Tomás Herrera", "https://www.linkedin.com/in/tomasherrera")

CONNECTIONS = [
    IncomingPerson(
        source="Connections.csv",
        row=5,
        full_name="Priya Raman",
        given_name="Priya",
        family_name="Raman",
        connected_on=date(2023, 7, 4),
        contacts=[IncomingContact("link", PRIYA.profile_url, "LinkedIn", primary=True)],
        roles=[IncomingRole("Brightwater Analytics", "Senior Data Engineer")],
    ),
    IncomingPerson(
        source="Connections.csv",
        row=6,
        full_name="Tomás Herrera",
        given_name="Tomás",
        family_name="Herrera",
        connected_on=date(2021, 3, 10),
        contacts=[
            IncomingContact("link", TOMAS.profile_url, "LinkedIn", primary=True),
            IncomingContact("email", "tomas.herrera@example.com"),
        ],
        roles=[IncomingRole("Northwind Recruiting, Ltd", "Talent Partner")],
    ),
    IncomingPerson(
        source="Connections.csv",
        row=9,
        full_name="Aoife Byrne",
        given_name="Aoife",
        family_name="Byrne",
        connected_on=date(2019, 11, 28),
        roles=[IncomingRole("Harbour Health", "Clinical Systems Manager")],
    ),
    IncomingPerson(
        source="Connections.csv",
        row=10,
        full_name="Wei Zhang",
        given_name="Wei",
        family_name="Zhang",
        headline="Freelance product designer",
        contacts=[
            IncomingContact(
                "link", "https://www.linkedin.com/in/wei-zhang-design", "LinkedIn", primary=True
            )
        ],
    ),
]

MESSAGES = [
    IncomingInteraction(
        source="messages.csv",
        row=2,
        occurred_on=date(2024, 12, 16),
        occurred_at=time(18, 24, 37),
        kind="message",
        direction="in",
        summary="Hi Sam, Great to meet you at the data meetup & thanks for the intro to Lena!",
        with_people=[PRIYA],
        notes="Hi Sam,\nGreat to meet you at the data meetup & thanks for the intro to Lena!",
        thread="2-YjFhMGE3==",
    ),
    IncomingInteraction(
        source="messages.csv",
        row=3,
        occurred_on=date(2024, 12, 17),
        occurred_at=time(9, 2, 11),
        kind="message",
        direction="out",
        summary="Likewise! Coffee next week?",
        with_people=[PRIYA],
        notes="Likewise! Coffee next week?",
        thread="2-YjFhMGE3==",
    ),
    IncomingInteraction(
        source="messages.csv",
        row=4,
        occurred_on=date(2024, 11, 3),
        occurred_at=time(14, 0),
        kind="message",
        direction="in",
        summary="Role at Northwind",
        with_people=[TOMAS],
        notes=(
            "Hello Sam,\nI have a lead analytics role that might suit you.\n"
            "Free for a call on Thursday?"
        ),
        thread="2-ZDk0NzQx==",
    ),
    IncomingInteraction(
        source="messages.csv",
        row=5,
        occurred_on=date(2024, 11, 4),
        occurred_at=time(8, 15),
        kind="message",
        direction="out",
        summary="Thanks Tomás, Thursday at 10 works.",
        with_people=[TOMAS],
        notes="Thanks Tomás, Thursday at 10 works.",
        thread="2-ZDk0NzQx==",
    ),
    IncomingInteraction(
        source="messages.csv",
        row=6,
        occurred_on=date(2024, 10, 1),
        occurred_at=time(12, 0),
        kind="message",
        direction="out",
        summary="Would you both be up for a short call about the clinical dashboard project…",
        with_people=[
            PersonRef("Aoife Byrne", "https://www.linkedin.com/in/aoife-byrne-hh"),
            PersonRef("Wei Zhang", "https://www.linkedin.com/in/wei-zhang-design"),
        ],
        notes=(
            "Would you both be up for a short call about the clinical dashboard project "
            "before the end of the month?"
        ),
        thread="2-OGU1ZmRj==",
    ),
]

INVITATIONS = [
    IncomingInteraction(
        source="Invitations.csv",
        row=2,
        occurred_on=date(2024, 12, 15),
        occurred_at=time(7, 47),
        kind="other",
        direction="out",
        summary="Invitation to connect sent to Kofi Boateng",
        with_people=[PersonRef("Kofi Boateng", "https://www.linkedin.com/in/kofi-boateng-pm")],
        notes="Hi Kofi, we met at the product conference; glad to stay in touch.",
    ),
    IncomingInteraction(
        source="Invitations.csv",
        row=3,
        occurred_on=date(2024, 11, 2),
        occurred_at=time(18, 5),
        kind="other",
        direction="in",
        summary="Invitation to connect from Lena Fischer",
        with_people=[PersonRef("Lena Fischer", "https://www.linkedin.com/in/lena-fischer-ux")],
    ),
]

POSITIONS = [
    OwnPosition(
        source="Positions.csv",
        row=2,
        organisation="Brightwater Analytics",
        title="Analytics Lead",
        description="Led a team of four analysts.\nBuilt the reporting platform.",
        location="Manchester, England, United Kingdom",
        started_on=date(2021, 3, 1),
    ),
    OwnPosition(
        source="Positions.csv",
        row=3,
        organisation="Harbour Health",
        title="Data Analyst",
        location="Leeds",
        started_on=date(2017, 1, 1),
        ended_on=date(2021, 2, 1),
    ),
]

PROBLEMS = [
    Problem(
        "Connections.csv",
        7,
        "First Name",
        "No name: LinkedIn leaves it out for members who limit what they share.",
    ),
    Problem(
        "Connections.csv",
        8,
        "First Name",
        "No name: LinkedIn leaves it out for members who limit what they share. "
        "Profile: https://www.linkedin.com/in/hidden-member-9f3e.",
    ),
    Problem(
        "Connections.csv",
        9,
        "URL",
        "No profile URL; this person can only be matched by name.",
        "warning",
    ),
    Problem(
        "Connections.csv",
        10,
        "Connected On",
        "'sometime in 2020' is not a date like 04 Jul 2023; left empty.",
        "warning",
    ),
    Problem("messages.csv", None, "", "1 unsent draft(s) were not imported.", "warning"),
]

SKIPPED = [
    ("Jobs/Saved Jobs.csv", "Cairn does not import this part of the LinkedIn export."),
    ("Skills.csv", "Cairn does not import this part of the LinkedIn export."),
]


def test_it_reads_the_unzipped_folder(read_sample):
    result = read_sample("linkedin/archive")

    assert (result.parsed.format, result.parsed.source) == ("linkedin", "archive")
    assert result.people == CONNECTIONS
    assert result.interactions == MESSAGES + INVITATIONS
    assert result.positions == POSITIONS
    assert result.problems == PROBLEMS
    assert result.skipped == SKIPPED


def test_it_reads_the_zip_as_downloaded(read_sample, linkedin_zip):
    result = read_sample(linkedin_zip)

    assert result.parsed.source == linkedin_zip.name
    assert result.people == CONNECTIONS
    assert result.interactions == MESSAGES + INVITATIONS
    assert result.positions == POSITIONS
    assert result.problems == PROBLEMS
    assert result.skipped == SKIPPED


def test_an_uploaded_zip_reads_the_same(linkedin_zip):
    result = read_bytes(linkedin_zip.read_bytes(), name="upload.zip")

    assert list(result.people) == CONNECTIONS
    assert list(result.interactions) == MESSAGES + INVITATIONS


def test_the_owner_is_the_sender_in_most_conversations_without_a_profile(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "messages.csv").write_bytes((SAMPLES / "linkedin/archive/messages.csv").read_bytes())

    result = read(folder)

    assert [i.direction for i in result.interactions] == ["in", "out", "in", "out", "out"]


def test_a_single_connections_file_is_read_on_its_own(read_sample):
    result = read_sample("linkedin/archive/Connections.csv")

    assert result.parsed.format == "linkedin"
    assert result.people == CONNECTIONS
    assert result.problems == PROBLEMS[:4]


def test_the_2018_connections_have_no_preamble_and_no_url(read_sample):
    result = read_sample("linkedin/Connections-2018.csv")

    assert result.people == [
        IncomingPerson(
            source="Connections-2018.csv",
            row=2,
            full_name="Marta Nowak",
            given_name="Marta",
            family_name="Nowak",
            connected_on=date(2018, 1, 8),
            contacts=[IncomingContact("email", "marta.nowak@example.pl")],
            roles=[IncomingRole("Vistula Logistics", "Operations Manager")],
        ),
        IncomingPerson(
            source="Connections-2018.csv",
            row=3,
            full_name="Daniel Okonkwo",
            given_name="Daniel",
            family_name="Okonkwo",
            connected_on=date(2017, 12, 30),
            roles=[IncomingRole("Freelance", "Consultant")],
        ),
    ]
    assert result.problems == []


def test_a_2018_utf16_tab_separated_file_is_read(read_sample):
    result = read_sample("linkedin/Connections-2018-utf16.csv")

    assert result.people == [
        IncomingPerson(
            source="Connections-2018-utf16.csv",
            row=2,
            full_name="Zoë Kowalczyk",
            given_name="Zoë",
            family_name="Kowalczyk",
            connected_on=date(2018, 3, 14),
            roles=[IncomingRole("Łódź Design Studio", "Art Director")],
        )
    ]


def test_2018_messages_take_their_direction_from_the_file(read_sample):
    result = read_sample("linkedin/messages-2018.csv")
    marta = PersonRef("Marta Nowak")

    assert result.interactions == [
        IncomingInteraction(
            source="messages-2018.csv",
            row=2,
            occurred_on=date(2018, 1, 8),
            occurred_at=time(18, 14),
            kind="message",
            direction="out",
            summary="Catching up",
            with_people=[marta],
            notes="Hello Marta — are you going to the Leeds meetup?",
        ),
        IncomingInteraction(
            source="messages-2018.csv",
            row=3,
            occurred_on=date(2018, 1, 9),
            occurred_at=time(9, 30),
            kind="message",
            direction="in",
            summary="RE: Catching up",
            with_people=[marta],
            notes="Yes! See you there.",
        ),
    ]


def zip_of(target: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return target


CONNECTIONS_BYTES = (SAMPLES / "linkedin/archive/Connections.csv").read_bytes()


def test_names_in_any_case_in_subfolders_and_split_in_parts_are_found(tmp_path):
    second = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n" + (
        b"Kofi,Boateng,https://www.linkedin.com/in/kofi-boateng-pm,,,,01 Dec 2024\r\n"
    )
    archive = zip_of(
        tmp_path / "export.zip",
        {
            "Basic_LinkedInDataExport/CONNECTIONS_1.csv": CONNECTIONS_BYTES,
            "Basic_LinkedInDataExport/connections_2.csv": second,
            "Basic_LinkedInDataExport/Phone Numbers.csv": b"Extension,Number,Type\r\n",
        },
    )

    result = read(archive)
    people = list(result.people)

    assert [p.full_name for p in people] == [
        "Priya Raman",
        "Tomás Herrera",
        "Aoife Byrne",
        "Wei Zhang",
        "Kofi Boateng",
    ]
    assert people[-1].source == "Basic_LinkedInDataExport/connections_2.csv"
    assert result.skipped == [
        (
            "Basic_LinkedInDataExport/Phone Numbers.csv",
            "Cairn does not import this part of the LinkedIn export.",
        )
    ]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Connections.csv", "connections"),
        ("data/connections.CSV", "connections"),
        ("messages_3.csv", "messages"),
        ("Messages.csv", "messages"),
        ("Invitations (1).csv", "invitations"),
        ("Positions.csv", "positions"),
        ("Phone Numbers.csv", None),
        ("Connections.xlsx", None),
    ],
)
def test_file_kinds_are_recognised_by_name(name, kind):
    assert linkedin.kind_of_name(name) == kind


def test_a_workbook_renamed_csv_is_a_problem_and_the_other_files_are_read(tmp_path):
    workbook = zip_of(tmp_path / "book.xlsx", {"[Content_Types].xml": b"<Types/>"}).read_bytes()
    archive = zip_of(
        tmp_path / "export.zip",
        {
            "Connections.csv": CONNECTIONS_BYTES,
            "Invitations.csv": workbook,
            "Learning.zip": b"PK\x05\x06" + bytes(18),
        },
    )

    result = read(archive)

    assert len(list(result.people)) == 4
    assert list(result.interactions) == []
    assert result.problems[0] == Problem(
        "Invitations.csv",
        None,
        "",
        "This is a spreadsheet workbook saved under a .csv name, not a CSV file.",
    )
    assert result.skipped == [
        ("Learning.zip", "A zip inside the zip; unzip it and import it on its own.")
    ]


def test_a_file_missing_a_required_column_is_a_problem_in_an_archive(tmp_path):
    archive = zip_of(
        tmp_path / "export.zip",
        {
            "Connections.csv": CONNECTIONS_BYTES,
            "Invitations.csv": b'From,To,Sent At,Message\r\nA,B,"1/1/24, 1:00 PM",Hi\r\n',
        },
    )

    result = read(archive)

    assert result.problems[0] == Problem(
        "Invitations.csv", None, "", 'The column "Direction" is missing.'
    )


def test_a_single_file_missing_a_required_column_is_refused(read_sample):
    with pytest.raises(ImportFileError) as raised:
        read_sample("broken/connections-without-last-name.csv")

    assert str(raised.value) == (
        'connections-without-last-name.csv: The column "Last Name" is missing.'
    )


def test_a_zip_without_linkedin_files_is_refused(tmp_path):
    archive = zip_of(tmp_path / "photos.zip", {"holiday.jpg": b"\xff\xd8\xff"})

    with pytest.raises(ImportFileError, match="holds no LinkedIn export files"):
        read(archive)


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path, monkeypatch):
    monkeypatch.setattr(linkedin, "MAX_TOTAL_BYTES", 1000)
    archive = build_linkedin_zip(tmp_path / "export.zip")

    with pytest.raises(ImportFileError, match=r"would unpack to 0 MB, more than Cairn accepts"):
        read(archive)


def test_a_highly_compressed_large_member_is_refused(tmp_path):
    archive = zip_of(tmp_path / "export.zip", {"Connections.csv": b"\0" * (11 * 1024**2)})

    with pytest.raises(ImportFileError, match="does not look like a LinkedIn export"):
        read(archive)


def test_too_many_members_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(linkedin, "MAX_MEMBERS", 2)
    archive = zip_of(tmp_path / "export.zip", {f"Connections_{n}.csv": b"" for n in range(3)})

    with pytest.raises(ImportFileError, match="holds 3 files"):
        read(archive)


def test_html_content_becomes_plain_text():
    content = (
        '<div><p>Hi&nbsp;Ana,</p><p>See <a href="https://x.example">this</a><br>'
        "and <script>alert(1)</script>that &lt;3</p></div>"
    )

    assert linkedin.html_to_text(content) == "Hi Ana,\nSee this\nand that <3"


def test_a_summary_is_cut_at_a_word():
    text = "word " * 40

    summary = linkedin.summary_of("", text)

    assert summary.endswith("word…")
    assert len(summary) <= linkedin.SUMMARY_LENGTH + 1


def test_an_owner_named_in_the_profile_who_sent_nothing_receives_everything(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "Profile.csv").write_bytes(
        b"First Name,Last Name,Headline\r\nRobin,Quiet,Listener\r\n"
    )
    (folder / "messages.csv").write_bytes(
        b"CONVERSATION ID,FROM,SENDER PROFILE URL,TO,DATE,CONTENT\r\n"
        b"c1,Ana Silva,https://www.linkedin.com/in/ana,Robin Quiet,2024-01-02 10:00:00 UTC,Hi\r\n"
        b"c2,Ana Silva,https://www.linkedin.com/in/ana,Robin Quiet,2024-01-03 10:00:00 UTC,Yo\r\n"
    )

    result = read(folder)

    assert [i.direction for i in result.interactions] == ["in", "in"]


def test_a_damaged_member_is_a_problem_and_the_other_files_are_still_read(tmp_path):
    invitations = (SAMPLES / "linkedin/archive/Invitations.csv").read_bytes() * 200
    archive = zip_of(
        tmp_path / "export.zip",
        {"Invitations.csv": invitations, "Connections.csv": CONNECTIONS_BYTES},
    )
    data = bytearray(archive.read_bytes())
    # Damage the compressed invitations well after their header row.
    start = data.index(b"Invitations.csv") + len("Invitations.csv")
    data[start + 400 : start + 420] = bytes(20)
    archive.write_bytes(bytes(data))

    result = read(archive)
    interactions = list(result.interactions)
    people = list(result.people)

    assert len(people) == 4
    assert len(interactions) < 400
    damaged = [p for p in result.problems if p.source == "Invitations.csv"]
    assert len(damaged) == 1
    assert "the zip is damaged" in damaged[0].reason
