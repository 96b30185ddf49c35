import pytest
from django.urls import reverse

from cairn.network import services
from cairn.network.models import MergeRecord, Person

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def add(user, name="Ana Ruiz", **values):
    return services.person_create(user=user, full_name=name, **values)


def test_deleting_asks_first_and_offers_to_archive_instead(owner_client, owner):
    ana = add(owner)
    html = owner_client.get(reverse("network:person-delete", args=[ana.pk])).content.decode()
    assert "Move to the bin" in html
    assert "Archive instead" in html
    ana.refresh_from_db()
    assert ana.deleted_at is None


def test_deleting_moves_to_the_bin_with_an_undo(owner_client, owner):
    ana = add(owner)
    response = owner_client.post(reverse("network:person-delete", args=[ana.pk]))
    assert response.status_code == 303
    assert response["Location"] == reverse("network:people")
    ana.refresh_from_db()
    assert ana.deleted_at is not None

    html = owner_client.get(response["Location"]).content.decode()
    assert "Ana Ruiz is in the bin for 30 days." in html
    restore = reverse("network:person-restore", args=[ana.pk])
    assert f'action="{restore}"' in html
    # Shown once.
    assert (
        "in the bin for 30 days" not in owner_client.get(reverse("network:people")).content.decode()
    )

    response = owner_client.post(restore)
    assert response.status_code == 303
    assert response["Location"] == reverse("network:person-detail", args=[ana.pk])
    ana.refresh_from_db()
    assert ana.deleted_at is None


def test_a_binned_person_page_says_so_and_offers_to_restore(owner_client, owner):
    ana = add(owner)
    services.person_delete(user=owner, person=ana)
    html = owner_client.get(reverse("network:person-detail", args=[ana.pk])).content.decode()
    assert "is in the bin since" in html
    assert reverse("network:person-restore", args=[ana.pk]) in html


def test_deleting_with_htmx_is_told_where_to_go(owner_client, owner):
    ana = add(owner)
    response = owner_client.post(reverse("network:person-delete", args=[ana.pk]), **HTMX)
    assert response["HX-Redirect"] == reverse("network:people")
    response = owner_client.post(reverse("network:person-restore", args=[ana.pk]), **HTMX)
    assert response["HX-Redirect"] == reverse("network:person-detail", args=[ana.pk])


def merge_url(person):
    return reverse("network:person-merge", args=[person.pk])


def test_merging_shows_what_would_move_before_doing_it(owner_client, owner):
    ana = add(owner, circles=["Mentors"])
    copy = add(owner, "Ana Ruiz Garcia", circles=["Climbing"], headline="Designer")
    services.interaction_log(user=owner, people=[copy], summary="Coffee")
    services.favour_add(user=owner, person=copy, direction="given", description="CV")

    chooser = owner_client.get(merge_url(ana))
    assert "Which entry is the copy?" in chooser.content.decode()

    response = owner_client.get(merge_url(ana), {"other": "ana ruiz garcia"})
    html = response.content.decode()
    preview = response.context["preview"]
    assert (preview.interactions, preview.favours) == (1, 1)
    assert preview.circles == ["Climbing"]
    assert "headline" in preview.filled
    assert "1 interaction" in html and "Climbing" in html
    assert not MergeRecord.objects.exists()


def test_a_person_cannot_be_merged_into_themselves(owner_client, owner):
    ana = add(owner)
    response = owner_client.get(merge_url(ana), {"other": "Ana Ruiz"})
    assert "choose the duplicate" in response.context["form"].errors["other"][0]


def test_merging_then_undoing(owner_client, owner):
    ana = add(owner)
    copy = add(owner, "A. Ruiz")
    services.interaction_log(user=owner, people=[copy], summary="Coffee")

    response = owner_client.post(merge_url(ana), {"other": copy.pk})
    assert response.status_code == 303
    assert response["Location"] == reverse("network:person-detail", args=[ana.pk])
    record = MergeRecord.objects.get()
    assert ana.interactions.count() == 1
    copy.refresh_from_db()
    assert copy.deleted_at is not None

    html = owner_client.get(response["Location"]).content.decode()
    assert "A. Ruiz was merged into Ana Ruiz." in html
    undo = reverse("network:merge-undo", args=[record.pk])
    assert f'action="{undo}"' in html

    response = owner_client.post(undo, follow=True)
    assert "are two people again" in response.content.decode()
    copy.refresh_from_db()
    assert copy.deleted_at is None
    assert ana.interactions.count() == 0 and copy.interactions.count() == 1

    # A second undo is refused with a message, not an error page.
    response = owner_client.post(undo, follow=True)
    assert "already undone" in response.content.decode()


def test_merging_with_htmx_is_told_where_to_go(owner_client, owner):
    ana, copy = add(owner), add(owner, "A. Ruiz")
    response = owner_client.post(merge_url(ana), {"other": copy.pk}, **HTMX)
    assert response["HX-Redirect"] == reverse("network:person-detail", args=[ana.pk])
    record = MergeRecord.objects.get()
    response = owner_client.post(reverse("network:merge-undo", args=[record.pk]), **HTMX)
    assert response["HX-Redirect"] == reverse("network:person-detail", args=[ana.pk])


def test_a_binned_person_cannot_be_merged_in(owner_client, owner):
    ana, copy = add(owner), add(owner, "A. Ruiz")
    services.person_delete(user=owner, person=copy)
    response = owner_client.post(merge_url(ana), {"other": copy.pk}, follow=True)
    assert "restore them first" in response.content.decode()
    assert not MergeRecord.objects.exists()


def test_someone_elses_person_cannot_be_merged_in(owner_client, owner, stranger):
    ana = add(owner)
    theirs = add(stranger, "Sam Secret")
    response = owner_client.post(merge_url(ana), {"other": theirs.pk})
    assert response.status_code == 404
    assert Person.objects.get(pk=theirs.pk).deleted_at is None
