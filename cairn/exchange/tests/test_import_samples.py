"""End to end: the readers' sample files through matching, commit and undo."""

from datetime import date
from pathlib import Path

import pytest

from cairn.exchange import imports
from cairn.exchange.models import OwnPosition
from cairn.network import services
from cairn.network.models import Interaction, Person

SAMPLES = Path(__file__).parent / "samples"
ARCHIVE = SAMPLES / "linkedin" / "archive"

pytestmark = pytest.mark.skipif(not ARCHIVE.exists(), reason="the sample files are not there")


def test_a_linkedin_export_folder_imports_people_messages_and_own_roles(owner):
    priya = services.person_create(
        user=owner, full_name="Priya Raman", today=date(2026, 11, 25),
        contact_points=[services.ContactInput("link", "linkedin.com/in/priya-raman-4b2a1c/")],
    )  # fmt: skip
    outcome = imports.import_run(user=owner, path=ARCHIVE)
    assert outcome.merged == 1  # Priya, by her profile link
    assert outcome.created == 3
    assert outcome.invalid == 2  # two rows without a name
    assert any("row 7" in str(p) for p in outcome.problems)
    names = set(Person.objects.filter(owner=owner).values_list("full_name", flat=True))
    assert {"Priya Raman", "Tomás Herrera", "Aoife Byrne"} <= names
    priya.refresh_from_db()
    assert priya.met_on == date(2023, 7, 4)
    assert priya.roles.get().organisation.name == "Brightwater Analytics"
    assert Interaction.objects.filter(owner=owner, people=priya).exists()
    assert priya.last_contact_on is not None
    assert OwnPosition.objects.filter(owner=owner).count() == 2

    imports.import_undo(user=owner, batch=outcome.batch)
    assert list(Person.objects.filter(owner=owner).values_list("full_name", flat=True)) == [
        "Priya Raman"
    ]
    priya.refresh_from_db()
    assert priya.met_on is None and not priya.roles.exists() and priya.last_contact_on is None
    assert not Interaction.objects.exists() and not OwnPosition.objects.exists()


def test_a_linkedin_export_twice_adds_nothing_the_second_time(owner):
    imports.import_run(user=owner, path=ARCHIVE)
    people = Person.objects.count()
    interactions = Interaction.objects.count()
    again = imports.import_run(user=owner, path=ARCHIVE)
    assert (again.created, again.merged, again.interactions) == (0, 0, 0)
    assert (Person.objects.count(), Interaction.objects.count()) == (people, interactions)


@pytest.mark.parametrize(
    "path",
    [
        "google/contacts.csv", "google/contacts-legacy.csv", "outlook/outlook-desktop-de.csv",
        "outlook/outlook-com.csv", "outlook/thunderbird.csv", "vcard/apple-3.0.vcf",
        "vcard/android-2.1.vcf", "vcard/contacts-4.0.vcf", "linkedin/Connections-2018.csv",
    ],
)  # fmt: skip
def test_every_sample_file_previews_and_imports(owner, tmp_path, path):
    source = SAMPLES / path
    if not source.exists():
        pytest.skip(f"{path} is not among the samples")
    copy = tmp_path / source.name
    copy.write_bytes(source.read_bytes())
    batch = imports.import_preview(user=owner, upload=copy, source_name=source.name)
    assert batch.rows.exists()
    outcome = imports.import_commit(user=owner, batch=batch)
    assert outcome.created >= 1
    assert Person.objects.filter(owner=owner).count() == outcome.created
    imports.import_undo(user=owner, batch=batch)
    assert not Person.objects.filter(owner=owner).exists()


def test_google_starred_and_labels_become_circles_and_the_birthday_is_kept(owner):
    source = SAMPLES / "google" / "contacts.csv"
    if not source.exists():
        pytest.skip("no Google sample")
    imports.import_run(user=owner, path=source)
    hannah = Person.objects.get(owner=owner, full_name="Hannah Maria Schmidt")
    assert (hannah.birthday_month, hannah.birthday_day, hannah.birthday_year) == (6, 21, 1988)
    assert {"Mentors", "Starred"} <= set(hannah.circles.values_list("name", flat=True))
    assert hannah.contact_points.filter(kind="email").count() == 3
