from datetime import date, timedelta

import pytest

from cairn.core.errors import DomainError
from cairn.network import selectors, services
from cairn.network.jogger import CATEGORIES
from cairn.network.models import JoggerProgress, Person

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


def test_jogger_adds_new_people_with_the_category_as_circle(owner):
    outcome = services.jogger_add_names(
        user=owner, category="neighbours", text="Ana Ruiz\nBo Chen\n\nana ruiz", today=TODAY
    )
    assert [p.full_name for p in outcome.created] == ["Ana Ruiz", "Bo Chen"]
    assert {c.name for c in outcome.created[0].circles.all()} == {"Neighbours"}
    progress = JoggerProgress.objects.get(owner=owner, category="neighbours")
    assert progress.names_added == 2


def test_jogger_does_not_duplicate_known_people(owner):
    known = services.person_create(user=owner, full_name="Ana Ruiz", today=TODAY)
    services.person_create(user=owner, full_name="Robert Chen", today=TODAY)
    outcome = services.jogger_add_names(
        user=owner, category="past-colleagues", text="ana ruiz\nRobert Chenn", today=TODAY
    )
    assert outcome.created == []
    assert [p.pk for p in outcome.circled] == [known.pk]
    assert {c.name for c in known.circles.all()} == {"Ex-colleagues"}
    assert [name for name, _ in outcome.possible_duplicates] == ["Robert Chenn"]
    assert Person.objects.count() == 2
    again = services.jogger_add_names(
        user=owner,
        category="past-colleagues",
        text="Robert Chenn",
        add_anyway=["Robert Chenn"],
        today=TODAY,
    )
    assert [p.full_name for p in again.created] == ["Robert Chenn"]


def test_jogger_progress_is_saved_and_resumable(owner):
    state = selectors.jogger_progress(owner)
    assert state["next"] == CATEGORIES[0]
    services.jogger_add_names(user=owner, category=CATEGORIES[0].slug, text="Ana Ruiz", today=TODAY)
    services.jogger_skip(user=owner, category=CATEGORIES[1].slug)
    state = selectors.jogger_progress(owner)
    assert state["next"] == CATEGORIES[2]
    assert (state["done"], state["names_added"]) == (2, 1)
    services.jogger_restart(user=owner)
    assert selectors.jogger_progress(owner)["next"] == CATEGORIES[0]
    with pytest.raises(DomainError):
        services.jogger_skip(user=owner, category="nope")


def test_jogger_progress_is_per_user(owner, stranger):
    services.jogger_skip(user=owner, category=CATEGORIES[0].slug)
    assert selectors.jogger_progress(stranger)["done"] == 0


def test_rotation_gives_a_stable_weekly_batch(owner):
    people = [
        services.person_create(user=owner, full_name=f"P{n} Family{n:02d}", today=TODAY)
        for n in range(6)
    ]
    services.person_create(user=owner, full_name="Never Contact", do_not_contact=True, today=TODAY)
    assert selectors.rotation_week(owner, today=TODAY) is None
    services.rotation_configure(user=owner, weekly_quota=2, order="family_name", today=TODAY)
    week = selectors.rotation_week(owner, today=TODAY)
    assert [p.full_name for p in week.batch] == ["P0 Family00", "P1 Family01"]
    services.interaction_log(user=owner, people=[week.batch[0]], summary="Hello", today=TODAY)
    again = selectors.rotation_week(owner, today=TODAY)
    assert [p.pk for p in again.batch] == [p.pk for p in week.batch]
    assert again.contacted_this_week == {week.batch[0].pk}
    assert again.progress.contacted == 1 and again.progress.members == 6
    next_week = selectors.rotation_week(owner, today=TODAY + timedelta(days=7))
    assert [p.full_name for p in next_week.batch] == ["P2 Family02", "P3 Family03"]
    services.rotation_configure(
        user=owner, weekly_quota=2, order="family_name", members=[people[5].pk], today=TODAY
    )
    assert [p.pk for p in selectors.rotation_week(owner, today=TODAY).batch] == [people[5].pk]


def test_rotation_refuses_a_bad_quota(owner):
    with pytest.raises(DomainError) as caught:
        services.rotation_configure(user=owner, weekly_quota=0, order="family_name", today=TODAY)
    assert caught.value.field == "weekly_quota"


def test_a_whole_circle_joins_or_leaves_the_rotation_but_never_do_not_contact(owner, stranger):
    friend = services.person_create(
        user=owner, full_name="Ana Ruiz", circles=["Friends"], in_rotation=False, today=TODAY
    )
    shy = services.person_create(
        user=owner,
        full_name="Bo Chen",
        circles=["Friends"],
        do_not_contact=True,
        in_rotation=False,
        today=TODAY,
    )
    theirs = services.person_create(
        user=stranger, full_name="Not Yours", circles=["Friends"], in_rotation=False, today=TODAY
    )
    circle = friend.circles.get()
    assert services.rotation_membership_set(user=owner, circle=circle, included=True) == 1
    friend.refresh_from_db(), shy.refresh_from_db(), theirs.refresh_from_db()
    assert (friend.in_rotation, shy.in_rotation, theirs.in_rotation) == (True, False, False)
    assert (
        services.rotation_membership_set(
            user=owner, person_ids=[friend.pk, theirs.pk], included=False
        )
        == 1
    )
    with pytest.raises(DomainError):
        services.rotation_membership_set(user=stranger, circle=circle, included=True)
