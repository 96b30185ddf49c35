from datetime import date
from unittest import mock

import pytest

from cairn.core.errors import DomainError
from cairn.exchange import imports
from cairn.exchange.models import ImportBatch, ImportChange, ImportRow, OwnPosition
from cairn.exchange.records import ImportFileError, PartialDate, PersonRef, Problem
from cairn.exchange.records import OwnPosition as OwnPositionRecord
from cairn.exchange.tests.importing import FakeReader, message, person, upload
from cairn.network import services
from cairn.network.models import Circle, ContactPoint, Interaction, Organisation, Person, Role

URL = "https://www.linkedin.com/in/ana-ruiz/"
TODAY = date(2026, 11, 25)


@pytest.fixture
def ana(owner):
    return services.person_create(
        user=owner,
        full_name="Ana Ruiz",
        headline="",
        location="Madrid",
        contact_points=[services.ContactInput("link", "linkedin.com/in/Ana-Ruiz")],
        today=TODAY,
    )


def run(owner, tmp_path, reader, **options):
    return imports.import_run(user=owner, path=upload(tmp_path), reader=reader, **options)


def test_new_people_are_created_with_contacts_roles_and_search(owner, tmp_path):
    reader = FakeReader(
        [person(4, "Bea Lopez", url="https://linkedin.com/in/bea", org="Globex", title="CTO",
                connected_on=date(2024, 7, 4), birthday=PartialDate(3, 31))]
    )  # fmt: skip
    outcome = run(owner, tmp_path, reader)
    assert (outcome.created, outcome.merged, outcome.skipped, outcome.invalid) == (1, 0, 0, 0)
    bea = Person.objects.get(owner=owner, full_name="Bea Lopez")
    assert (bea.given_name, bea.family_name, bea.met_on) == ("Bea", "Lopez", date(2024, 7, 4))
    assert (bea.birthday_month, bea.birthday_day, bea.birthday_year) == (3, 31, None)
    assert bea.birthday == "31 March"
    assert bea.how_met == "Connected on LinkedIn"
    assert bea.contact_points.get().normalized == "https://linkedin.com/in/bea"
    role = bea.roles.get()
    assert (role.organisation.name, role.title, role.is_current) == ("Globex", "CTO", True)
    assert [p.pk for p in services.selectors.people_named(owner, "Lopez")] == [bea.pk]
    from cairn.core import search as engine

    hits = engine.query(owner, "Globex CTO", kinds=["person"])  # indexed with the role
    assert [hit.title for hit in hits] == ["Bea Lopez"]


def test_the_same_profile_link_merges_filling_only_empty_fields(owner, ana, tmp_path):
    reader = FakeReader(
        [person(4, "Ana Ruiz-Diaz", url="https://uk.linkedin.com/in/ana-ruiz/fr", org="Acme",
                title="PM", headline="Product", location="Paris")]
    )  # fmt: skip
    plan = imports.import_plan(user=owner, path=upload(tmp_path), reader=reader)
    (entry,) = plan.entries
    assert entry.status == ImportRow.Status.CONFLICT
    assert entry.plan.fills == {"headline": "Product"}
    assert entry.plan.conflicts == {"location": ("Madrid", "Paris")}
    outcome = run(owner, tmp_path, reader)
    assert (outcome.created, outcome.merged) == (0, 1)
    ana.refresh_from_db()
    assert (ana.full_name, ana.headline, ana.location) == ("Ana Ruiz", "Product", "Madrid")
    assert ana.roles.get().organisation.name == "Acme"


def test_importing_the_same_file_twice_changes_nothing_the_second_time(owner, tmp_path):
    reader = FakeReader([person(4, "Bea Lopez", url="https://linkedin.com/in/bea", org="Globex")])
    run(owner, tmp_path, reader)
    again = run(owner, tmp_path, reader)
    assert (again.created, again.merged, again.skipped) == (0, 0, 1)
    assert Person.objects.filter(owner=owner).count() == 1
    assert Role.objects.filter(owner=owner).count() == 1


def test_a_similar_name_is_proposed_and_never_merged_silently(owner, tmp_path):
    services.person_create(user=owner, full_name="Jonathan Smith", today=TODAY)
    reader = FakeReader([person(4, "Jonathan Smyth")])
    plan = imports.import_plan(user=owner, path=upload(tmp_path), reader=reader)
    assert plan.entries[0].status == ImportRow.Status.PROPOSED
    outcome = run(owner, tmp_path, reader)
    assert (outcome.created, outcome.merged, outcome.skipped) == (0, 0, 1)
    merged = run(owner, tmp_path, reader, merge_proposed=True)
    assert merged.merged == 1
    assert Person.objects.filter(owner=owner).count() == 1


def test_someone_twice_in_the_file_is_one_person(owner, tmp_path):
    reader = FakeReader(
        [person(4, "Bea Lopez", url="https://linkedin.com/in/bea"),
         person(9, "Bea López", url="https://www.linkedin.com/in/bea/", email="bea@example.com")]
    )  # fmt: skip
    plan = imports.import_plan(user=owner, path=upload(tmp_path), reader=reader)
    assert [e.status for e in plan.entries] == ["new", "duplicate"]
    assert "row 4" in plan.entries[1].reason
    run(owner, tmp_path, reader)
    bea = Person.objects.get(owner=owner)
    assert sorted(bea.contact_points.values_list("kind", flat=True)) == ["email", "link"]


def test_bad_rows_are_listed_and_good_rows_import(owner, tmp_path):
    reader = FakeReader(
        [person(4, "", url="https://linkedin.com/in/nobody"), person(5, "Bea Lopez", email="nope")],
        problems=[Problem("Connections.csv", 7, "Connected On", "not a date")],
    )  # fmt: skip
    outcome = run(owner, tmp_path, reader)
    assert (outcome.created, outcome.invalid) == (1, 2)
    assert any("'nope'" in str(p) and "row 5" in str(p) for p in outcome.problems)
    assert not Person.objects.get(owner=owner).contact_points.exists()


def test_a_file_error_writes_nothing(owner, tmp_path):
    with pytest.raises(ImportFileError, match="not a LinkedIn export"):
        run(owner, tmp_path, FakeReader(fail="not a LinkedIn export"))
    assert not ImportBatch.objects.exists()


def test_dry_run_writes_nothing(owner, tmp_path):
    reader = FakeReader([person(4, "Bea Lopez", org="Globex")])
    outcome = run(owner, tmp_path, reader, dry_run=True)
    assert outcome.created == 1 and outcome.batch is None
    assert not Person.objects.exists() and not ImportBatch.objects.exists()
    assert not Organisation.objects.exists()


def test_an_error_mid_commit_leaves_nothing(owner, ana, tmp_path):
    reader = FakeReader(
        [person(4, "Bea Lopez", org="Globex"), person(5, "Ana Ruiz", url=URL, headline="PM")],
        [message(2, date(2026, 1, 5), "Hello", PersonRef(profile_url=URL))],
    )  # fmt: skip
    with (
        mock.patch.object(imports, "_write_interactions", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        run(owner, tmp_path, reader)
    assert list(Person.objects.values_list("full_name", flat=True)) == ["Ana Ruiz"]
    ana.refresh_from_db()
    assert ana.headline == ""
    assert not Organisation.objects.exists() and not ImportBatch.objects.exists()


def test_messages_become_one_interaction_per_conversation_and_day(owner, ana, tmp_path):
    reader = FakeReader(
        [],
        [
            message(2, date(2026, 1, 5), "Hello Ana", PersonRef("Ana Ruiz", URL)),
            message(3, date(2026, 1, 5), "Hi!", PersonRef("Ana Ruiz", URL), direction="in"),
            message(4, date(2026, 1, 9), "Coffee?", PersonRef("Ana Ruiz", URL)),
            message(5, date(2026, 1, 9), "Stranger", PersonRef("Zed", "linkedin.com/in/zed"),
                    thread="t2"),
        ],
    )  # fmt: skip
    outcome = run(owner, tmp_path, reader)
    assert outcome.interactions == 2
    first, second = Interaction.objects.filter(owner=owner).order_by("occurred_on")
    assert (first.summary, first.direction) == ("Hello Ana", "mutual")
    assert second.direction == "outgoing"
    ana.refresh_from_db()
    assert ana.last_contact_on == date(2026, 1, 9)
    assert run(owner, tmp_path, reader).interactions == 0  # already logged


def test_undo_deletes_what_it_created_restores_what_it_changed_and_keeps_other_edits(
    owner, ana, tmp_path
):
    other = services.person_create(user=owner, full_name="Cleo Park", today=TODAY)
    reader = FakeReader(
        [person(4, "Bea Lopez", url="https://linkedin.com/in/bea", org="Globex"),
         person(5, "Ana Ruiz", url=URL, headline="PM", org="Acme", email="ana@example.com")],
        [message(2, date(2026, 1, 5), "Hello", PersonRef(profile_url=URL))],
        positions=[OwnPositionRecord("Positions.csv", 2, "Initech", "Engineer")],
    )  # fmt: skip
    outcome = run(owner, tmp_path, reader)
    batch = outcome.batch
    assert OwnPosition.objects.filter(owner=owner).count() == 1
    services.person_update(user=owner, person=other, headline="Designer")

    result = imports.import_undo(user=owner, batch=batch)

    assert result.deleted == 1 and result.restored == 1
    assert not Person.objects.filter(full_name="Bea Lopez").exists()
    ana.refresh_from_db()
    assert ana.headline == "" and ana.last_contact_on is None
    assert list(ContactPoint.objects.filter(person=ana).values_list("kind", flat=True)) == ["link"]
    assert not Role.objects.exists() and not Organisation.objects.exists()
    assert not Interaction.objects.exists() and not OwnPosition.objects.exists()
    other.refresh_from_db()
    assert other.headline == "Designer"
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.UNDONE
    with pytest.raises(DomainError, match="already undone"):
        imports.import_undo(user=owner, batch=batch)


def test_undo_keeps_created_people_and_values_edited_since(owner, ana, tmp_path):
    reader = FakeReader(
        [person(4, "Bea Lopez", url="https://linkedin.com/in/bea"),
         person(5, "Ana Ruiz", url=URL, headline="PM", location="Paris")]
    )  # fmt: skip
    ana.location = ""
    ana.save()
    batch = run(owner, tmp_path, reader).batch
    bea = Person.objects.get(full_name="Bea Lopez")
    services.person_update(user=owner, person=bea, notes="Met again at PyCon")
    ana.refresh_from_db()
    services.person_update(user=owner, person=ana, headline="Head of product")

    result = imports.import_undo(user=owner, batch=batch)

    assert Person.objects.filter(pk=bea.pk).exists()
    ana.refresh_from_db()
    assert (ana.headline, ana.location) == ("Head of product", "")
    assert result.kept and "stayed" in result.kept[0]


def test_undo_keeps_circles_and_organisations_still_in_use(owner, ana, tmp_path):
    reader = FakeReader([person(4, "Bea Lopez", org="Globex", circles=["Friends"])])
    batch = run(owner, tmp_path, reader).batch
    globex = Organisation.objects.get(name="Globex")
    services.role_add(user=owner, person=ana, organisation=globex)
    ana.circles.add(Circle.objects.get(name="Friends"))
    imports.import_undo(user=owner, batch=batch)
    assert Organisation.objects.filter(pk=globex.pk).exists()
    assert Circle.objects.filter(name="Friends").exists()


def test_imports_never_match_another_users_people(owner, stranger, tmp_path):
    services.person_create(
        user=stranger, full_name="Ana Ruiz", today=TODAY,
        contact_points=[services.ContactInput("link", URL)],
    )  # fmt: skip
    reader = FakeReader([person(4, "Ana Ruiz", url=URL)])
    plan = imports.import_plan(user=owner, path=upload(tmp_path), reader=reader)
    assert plan.entries[0].status == ImportRow.Status.NEW
    run(owner, tmp_path, reader)
    assert Person.objects.filter(owner=owner).count() == 1
    assert Person.objects.filter(owner=stranger).count() == 1


def test_preview_writes_nothing_and_commit_respects_the_choices(owner, tmp_path):
    services.person_create(user=owner, full_name="Jonathan Smith", today=TODAY)
    reader = FakeReader(
        [person(4, "Bea Lopez"), person(5, "Jonathan Smyth", org="Acme"), person(6, "Cleo Park"),
         person(7, "Dan Wu")],
        positions=[OwnPositionRecord("Positions.csv", 2, "Initech", "Engineer")],
    )  # fmt: skip
    batch = imports.import_preview(
        user=owner, upload=upload(tmp_path), source_name="Connections.csv", reader=reader
    )
    assert Person.objects.filter(owner=owner).count() == 1
    assert imports.batch_file(batch).exists()
    rows = {row.name: row for row in batch.rows.all()}
    assert rows["Jonathan Smyth"].status == "proposed"
    assert rows["Jonathan Smyth"].decision == "skip"
    imports.import_decide(
        user=owner, batch=batch, positions=False,
        decisions={rows["Jonathan Smyth"].pk: "merge", rows["Cleo Park"].pk: "skip"},
    )  # fmt: skip
    outcome = imports.import_commit(user=owner, batch=batch, reader=reader)
    assert (outcome.created, outcome.merged, outcome.skipped) == (2, 1, 1)
    names = set(Person.objects.filter(owner=owner).values_list("full_name", flat=True))
    assert names == {"Jonathan Smith", "Bea Lopez", "Dan Wu"}
    assert not OwnPosition.objects.exists()
    batch.refresh_from_db()
    assert batch.state == "committed" and not batch.rows.exists()
    assert ImportChange.objects.filter(batch=batch, kind="updated").count() == 0
    with pytest.raises(DomainError, match="already"):
        imports.import_commit(user=owner, batch=batch, reader=reader)


def test_a_stranger_cannot_decide_commit_or_undo(owner, stranger, tmp_path):
    batch = imports.import_preview(
        user=owner, upload=upload(tmp_path), source_name="c.csv",
        reader=FakeReader([person(4, "Bea Lopez")]),
    )  # fmt: skip
    for call in (imports.import_commit, imports.import_undo, imports.import_discard):
        with pytest.raises(DomainError):
            call(user=stranger, batch=batch)
    assert Person.objects.count() == 0


def test_discarding_a_preview_forgets_it_and_its_file(owner, tmp_path):
    batch = imports.import_preview(
        user=owner, upload=upload(tmp_path), source_name="c.csv",
        reader=FakeReader([person(4, "Bea Lopez")]),
    )  # fmt: skip
    path = imports.batch_file(batch)
    imports.import_discard(user=owner, batch=batch)
    assert not path.exists() and not ImportBatch.objects.exists()


def test_a_proposed_merge_is_not_applied_to_someone_else_after_the_network_changed(owner, tmp_path):
    smith = services.person_create(user=owner, full_name="Jonathan Smith", today=TODAY)
    reader = FakeReader([person(4, "Jonathan Smyth", headline="Chef")])
    batch = imports.import_preview(
        user=owner, upload=upload(tmp_path), source_name="c.csv", reader=reader
    )
    (row,) = batch.rows.all()
    imports.import_decide(user=owner, batch=batch, decisions={row.pk: "import"})
    row.refresh_from_db()
    assert row.decision == "merge"  # ticking a proposed row means the person proposed
    services.person_delete(user=owner, person=smith)  # gone from matching before the commit
    outcome = imports.import_commit(user=owner, batch=batch, reader=reader)
    assert (outcome.created, outcome.merged) == (1, 0)
    smith.refresh_from_db()
    assert smith.headline == ""


def test_a_reader_error_on_a_row_does_not_overrule_the_row_itself(owner, tmp_path):
    reader = FakeReader(
        [person(4, "Bea Lopez")],
        problems=[Problem("Connections.csv", 4, "Email Address", "not an address")],
    )
    batch = imports.import_preview(
        user=owner, upload=upload(tmp_path), source_name="Connections.csv", reader=reader
    )
    assert batch.rows.filter(status="invalid").count() == 1
    outcome = imports.import_commit(user=owner, batch=batch, reader=reader)
    assert outcome.created == 1


def test_previews_left_for_a_week_are_forgotten_at_the_next_upload(owner, tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    reader = FakeReader([person(4, "Bea Lopez")])
    old = imports.import_preview(
        user=owner, upload=upload(tmp_path), source_name="old.csv", reader=reader
    )
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    path = imports.batch_file(old)
    assert path.exists()
    imports.import_preview(
        user=owner, upload=upload(tmp_path, "new.csv"), source_name="new.csv", reader=reader
    )
    assert not ImportBatch.objects.filter(pk=old.pk).exists() and not path.exists()
    assert ImportBatch.objects.filter(owner=owner).count() == 1


def test_an_import_restored_from_an_archive_is_not_undone_blindly(owner, tmp_path):
    from cairn.exchange import archive
    from cairn.testing import make_user

    reader = FakeReader(
        [person(4, "Bea Lopez", url="https://linkedin.com/in/bea")],
        positions=[OwnPositionRecord("Positions.csv", 2, "Initech", "Engineer")],
    )
    run(owner, tmp_path, reader)
    path = tmp_path / "archive.json"
    path.write_text("".join(archive.write_archive(owner)), encoding="utf-8")
    copy = make_user("copy@example.com")
    archive.restore_archive(copy, path)
    restored = ImportBatch.objects.get(owner=copy)

    with pytest.raises(DomainError, match="cannot be undone"):
        imports.import_undo(user=copy, batch=restored)

    assert Person.objects.filter(owner=copy, full_name="Bea Lopez").exists()
    assert OwnPosition.objects.filter(owner=copy).count() == 1


def test_a_bad_address_is_listed_before_anything_is_written_and_once_after(owner, tmp_path):
    reader = FakeReader([person(4, "Bea Lopez", email="bea-at-example")])
    said = "Connections.csv, row 4, email: 'bea-at-example': This is not an email address."

    dry = run(owner, tmp_path, reader, dry_run=True)
    assert [str(p) for p in dry.problems] == [said + " Left out."]
    assert not Person.objects.exists()

    done = run(owner, tmp_path, reader)
    assert [str(p) for p in done.problems] == [said + " Left out."]
    assert not ContactPoint.objects.filter(kind="email").exists()
