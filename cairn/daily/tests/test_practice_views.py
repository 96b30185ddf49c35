"""The practice pages, the weekly and yearly reviews, and Today's panel, as a browser sees them."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.daily import reviews
from cairn.daily.models import WeeklyReview, YearlyReview
from cairn.daily.streaks import week_start
from cairn.network import services as network

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def today(owner):
    return timezone.localdate(timezone=owner.zone)


@pytest.fixture
def history(owner, today):
    ana = network.person_create(user=owner, full_name="Ana Ruiz", today=today)
    for n in (0, 1, 2, 9):
        network.interaction_log(
            user=owner, people=[ana], summary="Coffee", occurred_on=today - timedelta(days=n),
            today=today,
        )  # fmt: skip
    network.favour_add(user=owner, person=ana, direction="given", description="An intro")
    return ana


def last_week(today):
    return week_start(today) - timedelta(weeks=1)


def test_the_practice_page_shows_streaks_heatmap_and_weeks(owner_client, history):
    response = owner_client.get(reverse("daily:practice"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Current streak" in html and "Longest streak" in html
    assert html.count('class="heatmap"') == 1
    assert 'role="img"' in html and "Your practice over the last year" in html
    assert re.search(r"<title>\w{3} \d+ \w+ \d{4}: 1 conversation</title>", html)
    assert "Week by week" in html and "Conversations per week" in html
    assert "daily/practice.css" in html


def test_the_practice_page_takes_a_few_queries(
    owner_client, history, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        owner_client.get(reverse("daily:practice"))


def test_today_shows_the_practice_panel_with_the_focus(owner_client, owner, history, today):
    reviews.weekly_review_save(
        user=owner, week_of=last_week(today), today=today, next_week_focus="Ask Bo for an intro"
    )
    html = owner_client.get(reverse("daily:today")).content.decode()
    assert "in a row" in html
    assert "This week’s focus" in html and "Ask Bo for an intro" in html
    assert reverse("daily:practice") in html


def test_a_weekly_review_written_without_javascript(owner_client, owner, history, today):
    week = last_week(today)
    url = reverse("daily:review-new") + f"?week={week.isoformat()}"
    form = owner_client.get(url).content.decode()
    for prompt in reviews.WEEKLY_PROMPTS:
        assert prompt.question.replace("'", "&#x27;") in form
    assert "That week in numbers" in form
    response = owner_client.post(
        reverse("daily:review-new"),
        {"week_of": (week + timedelta(days=3)).isoformat(), "what_moved": "Two calls",
         "next_week_focus": "  Finish the   portfolio "},
    )  # fmt: skip
    review = WeeklyReview.objects.get(owner=owner)
    assert response.status_code == 303
    assert response["Location"] == reverse("daily:review-detail", kwargs={"pk": review.pk})
    assert review.week_of == week and review.next_week_focus == "Finish the portfolio"
    page = owner_client.get(response["Location"]).content.decode()
    assert "Two calls" in page and "Review saved." in page


def test_a_weekly_review_saved_with_htmx_comes_back_in_place(owner_client, owner, today):
    response = owner_client.post(
        reverse("daily:review-new"),
        {"week_of": today.isoformat(), "whom_i_helped": "Cy, with a CV"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Saved." in html and "Cy, with a CV" in html
    assert WeeklyReview.objects.get(owner=owner).week_of == week_start(today)


def test_a_future_week_is_refused_with_its_reason(owner_client, owner, today):
    response = owner_client.post(
        reverse("daily:review-new"),
        {"week_of": (today + timedelta(days=8)).isoformat(), "what_moved": "Nothing yet"},
    )
    assert response.status_code == 400
    assert "has not started yet" in response.content.decode()
    assert not WeeklyReview.objects.exists()


def test_a_week_before_1970_is_refused_not_a_crash(owner_client, owner):
    response = owner_client.post(
        reverse("daily:review-new"), {"week_of": "0001-01-03", "what_moved": "Long ago"}
    )
    assert response.status_code == 400
    assert "choose a week from 1970 on" in response.content.decode()
    assert not WeeklyReview.objects.exists()
    page = owner_client.get(reverse("daily:review-new") + "?week=0001-01-01")
    assert page.status_code == 200 and "choose a week from 1970 on" in page.content.decode()


def test_asking_for_a_written_week_opens_its_edit_form(owner_client, owner, today):
    review = reviews.weekly_review_save(user=owner, week_of=today, today=today, what_moved="A")
    response = owner_client.get(reverse("daily:review-new") + f"?week={today.isoformat()}")
    assert response.status_code == 302
    assert response["Location"] == reverse("daily:review-edit", kwargs={"pk": review.pk})


def test_a_bad_week_in_the_address_is_explained(owner_client):
    html = owner_client.get(reverse("daily:review-new") + "?week=soon").content.decode()
    assert "&#x27;soon&#x27; is not a date" in html


def test_editing_a_review(owner_client, owner, today):
    review = reviews.weekly_review_save(user=owner, week_of=today, today=today, what_moved="A")
    url = reverse("daily:review-edit", kwargs={"pk": review.pk})
    assert 'name="week_of"' not in owner_client.get(url).content.decode()
    response = owner_client.post(url, {"what_moved": "B", "conversations_needed": "My manager"})
    assert response.status_code == 303
    review.refresh_from_db()
    assert (review.what_moved, review.conversations_needed) == ("B", "My manager")


def test_the_list_of_reviews_and_deleting_one(owner_client, owner, today):
    review = reviews.weekly_review_save(
        user=owner, week_of=today, today=today, next_week_focus="Rest"
    )
    html = owner_client.get(reverse("daily:review-list")).content.decode()
    assert reverse("daily:review-detail", kwargs={"pk": review.pk}) in html
    assert "Focus after: Rest" in html and str(today.year) in html
    response = owner_client.post(reverse("daily:review-delete", kwargs={"pk": review.pk}))
    assert response.status_code == 303 and not WeeklyReview.objects.exists()


def test_the_list_shows_only_the_users_own_reviews(owner, stranger, today):
    from cairn.testing import client_for

    reviews.weekly_review_save(user=owner, week_of=today, today=today, next_week_focus="Secret")
    html = client_for(stranger).get(reverse("daily:review-list")).content.decode()
    assert "Secret" not in html and "No reviews yet" in html


def test_the_year_page_and_its_reflection(owner_client, owner, history, today):
    url = reverse("daily:year-review", kwargs={"year": today.year})
    html = owner_client.get(url).content.decode()
    assert f"Conversations by month in {today.year}" in html
    assert f"Your network through {today.year}" in html
    assert html.count('role="img"') >= 3
    for prompt in reviews.YEARLY_PROMPTS:
        assert prompt.question in html
    response = owner_client.post(url, {"proud_of": "The move", "next_year": "Teach"})
    assert response.status_code == 303
    review = YearlyReview.objects.get(owner=owner)
    assert (review.year, review.proud_of, review.next_year) == (today.year, "The move", "Teach")
    fragment = owner_client.post(url, {"proud_of": "The move, and more"}, **HTMX)
    assert "Saved." in fragment.content.decode() and "<html" not in fragment.content.decode()
    review.refresh_from_db()
    assert review.proud_of == "The move, and more" and review.next_year == ""


def test_a_year_to_come_is_not_found(owner_client, today):
    response = owner_client.get(reverse("daily:year-review", kwargs={"year": today.year + 1}))
    assert response.status_code == 404


def test_the_practice_pages_need_a_login(client):
    for name in ("daily:practice", "daily:review-list", "daily:review-new"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]


def test_a_strangers_practice_and_year_show_nothing_of_the_owners(owner, stranger, history, today):
    from cairn.testing import client_for

    reviews.yearly_review_save(user=owner, year=today.year, today=today, proud_of="Owner's pride")
    client = client_for(stranger)
    practice_page = client.get(reverse("daily:practice")).content.decode()
    assert "1 conversation</title>" not in practice_page
    year = client.get(reverse("daily:year-review", kwargs={"year": today.year})).content.decode()
    assert "Owner&#x27;s pride" not in year and "Owner's pride" not in year


def test_the_panel_nudges_with_a_link_to_the_week_due(owner):
    from datetime import date

    from django.template.loader import render_to_string

    from cairn.daily import practice

    sunday = date(2026, 6, 14)
    context = practice.today_panel(owner, sunday)
    html = render_to_string("daily/_practice_panel.html", context)
    assert "Your weekly review for the week of 8 June is waiting" in html
    assert reverse("daily:review-new") + "?week=2026-06-08" in html
    assert "A new streak" in html


def test_when_the_weeks_review_is_written_the_practice_page_opens_it(owner_client, owner, today):
    for week in (last_week(today), today):
        review = reviews.weekly_review_save(user=owner, week_of=week, today=today, what_moved="A")
    html = owner_client.get(reverse("daily:practice")).content.decode()
    assert "This week’s review is written" in html
    assert reverse("daily:review-detail", kwargs={"pk": review.pk}) in html


def test_editing_with_htmx_returns_the_saved_review(owner_client, owner, today):
    review = reviews.weekly_review_save(user=owner, week_of=today, today=today, what_moved="A")
    url = reverse("daily:review-edit", kwargs={"pk": review.pk})
    response = owner_client.post(url, {"what_moved": "Much more"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'id="review-{review.pk}"' in html and "Much more" in html


@pytest.mark.parametrize("people", [1, 30])
def test_the_year_page_takes_the_same_queries_whatever_the_network(
    owner_client, owner, today, people, django_assert_max_num_queries
):
    for n in range(people):
        person = network.person_create(user=owner, full_name=f"Person {n}", today=today)
        network.interaction_log(user=owner, people=[person], summary="Hello", today=today)
    with django_assert_max_num_queries(12):
        owner_client.get(reverse("daily:year-review", kwargs={"year": today.year}))
