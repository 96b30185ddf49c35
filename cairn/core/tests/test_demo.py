"""`cairn demo` and the demo-data generator."""

import random
import re
from collections import Counter
from datetime import date, timedelta
from io import StringIO
from zoneinfo import available_timezones

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from cairn.accounts.models import User
from cairn.accounts.services import api_token_create
from cairn.core import demo
from cairn.core.errors import DomainError
from cairn.core.models import owned_models

TODAY = date(2026, 3, 2)
LOGIN = "as demo@example.com with password cairn-demo-password"


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def snapshot(user) -> dict:
    """What the demo decided for `user`: settings, and every owned row's own fields."""
    user.refresh_from_db()
    rows = {}
    for model in owned_models():
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if not field.primary_key
            and not isinstance(field, models.ForeignKey)
            and not getattr(field, "auto_now", False)
            and not getattr(field, "auto_now_add", False)
        ]
        rows[model._meta.label] = list(
            model.objects.filter(owner=user).order_by("pk").values_list(*fields)
        )
    return {
        "settings": (user.display_name, user.time_zone, user.daily_action_count, user.mode),
        "rows": rows,
    }


# --- The command -----------------------------------------------------------------------------


def test_it_creates_the_demo_account_and_prints_the_login(db, settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    output = run_demo()
    user = User.objects.get(email="demo@example.com")
    assert user.check_password("cairn-demo-password")
    assert f"Log in at http://127.0.0.1:8123/ {LOGIN}" in output
    assert "Created demo@example.com" in output


def test_the_demo_account_gets_a_realistic_name_and_time_zone(db):
    run_demo()
    user = User.objects.get(email="demo@example.com")
    assert re.fullmatch(r"\S.* \S.*", user.display_name)
    assert user.time_zone in available_timezones()


def test_the_same_seed_gives_the_same_data(db):
    run_demo("--user", "a@example.com", "--seed", "7")
    run_demo("--user", "b@example.com", "--seed", "7")
    first = User.objects.get(email="a@example.com")
    second = User.objects.get(email="b@example.com")
    assert snapshot(first) == snapshot(second)


def test_another_seed_gives_other_data(db):
    run_demo("--user", "a@example.com", "--seed", "7")
    run_demo("--user", "b@example.com", "--seed", "8")
    first = User.objects.get(email="a@example.com")
    second = User.objects.get(email="b@example.com")
    assert snapshot(first) != snapshot(second)


def test_if_empty_does_nothing_when_an_account_exists(owner):
    before = snapshot(owner)
    output = run_demo("--if-empty")
    assert list(User.objects.values_list("email", flat=True)) == ["owner@example.com"]
    assert snapshot(owner) == before
    assert "no demo account was created" in output


def test_if_empty_reminds_the_demo_login_and_keeps_everything(db):
    run_demo()
    user = User.objects.get(email="demo@example.com")
    before = snapshot(user)
    output = run_demo("--if-empty")
    assert LOGIN in output
    assert "Created" not in output
    assert snapshot(user) == before
    assert User.objects.count() == 1


def test_if_empty_does_not_repeat_a_password_that_was_changed(db):
    run_demo()
    user = User.objects.get(email="demo@example.com")
    user.set_password("something else entirely")
    user.save()
    output = run_demo("--if-empty")
    assert "cairn-demo-password" not in output
    assert "as demo@example.com with its own password" in output


def test_if_empty_creates_the_demo_when_there_is_no_account(db):
    output = run_demo("--if-empty")
    assert LOGIN in output
    assert User.objects.filter(email="demo@example.com").exists()


def test_user_creates_that_account(db):
    output = run_demo("--user", "New.Person@Example.com")
    user = User.objects.get(email="new.person@example.com")
    assert user.check_password("cairn-demo-password")
    assert "as new.person@example.com with password cairn-demo-password" in output
    assert not User.objects.filter(email="demo@example.com").exists()


def test_it_fills_an_existing_empty_account_and_keeps_its_password(owner):
    output = run_demo("--user", "owner@example.com")
    owner.refresh_from_db()
    assert "Filled owner@example.com" in output
    assert "with its own password" in output
    assert owner.check_password("correct horse battery staple")


def test_it_refuses_an_account_that_already_has_data(owner):
    api_token_create(user=owner, name="script")
    before = snapshot(owner)
    with pytest.raises(CommandError, match="already has data"):
        run_demo("--user", "owner@example.com")
    assert snapshot(owner) == before


def test_a_bad_size_is_a_clear_error(db):
    with pytest.raises(CommandError, match="invalid choice: 'huge'"):
        run_demo("--size", "huge")
    assert not User.objects.exists()


def test_a_bad_email_is_a_clear_error(db):
    with pytest.raises(CommandError, match="email"):
        run_demo("--user", "not-an-email")
    assert not User.objects.exists()


# --- The filler registry ---------------------------------------------------------------------


def test_an_unknown_size_is_a_domain_error():
    with pytest.raises(DomainError, match="choose small, heavy, quick"):
        demo.size_named("huge")


def test_fillers_run_in_order_each_with_its_own_stream(owner, monkeypatch):
    calls = []

    def later(user, rng, size, today):
        calls.append(("later", size.name, today, rng.random()))
        return {"things": 2}

    def earlier(user, rng, size, today):
        calls.append(("earlier", size.name, today, rng.random()))
        return {}

    # Only the account's own filler and these two: the apps' fillers are tested on their own.
    monkeypatch.setattr(demo, "FILLERS", {"account": demo.FILLERS["account"]})
    monkeypatch.setitem(demo.FILLERS, "z-later", demo.RegisteredFiller("z-later", 60, later))
    monkeypatch.setitem(demo.FILLERS, "a-earlier", demo.RegisteredFiller("a-earlier", 50, earlier))
    seen = []
    created = demo.demo_fill(
        user=owner, size="quick", seed=3, today=TODAY, progress=lambda *a: seen.append(a)
    )
    assert list(created) == ["account", "a-earlier", "z-later"]
    assert created["z-later"] == {"things": 2}
    assert [call[:3] for call in calls] == [("earlier", "quick", TODAY), ("later", "quick", TODAY)]
    assert calls[0][3] != calls[1][3]
    assert seen[:2] == [("account", None), ("account", {"account": 1})]


def test_a_new_filler_does_not_change_what_the_others_generate(owner, stranger, monkeypatch):
    demo.demo_fill(user=owner, size="small", seed=5, today=TODAY)
    entry = demo.RegisteredFiller("a-first", -1, lambda user, rng, size, today: {"x": rng.random()})
    monkeypatch.setitem(demo.FILLERS, "a-first", entry)
    demo.demo_fill(user=stranger, size="small", seed=5, today=TODAY)
    assert snapshot(owner) == snapshot(stranger)


def test_a_failing_filler_leaves_the_account_as_it_was(owner, monkeypatch):
    def broken(user, rng, size, today):
        raise RuntimeError("boom")

    monkeypatch.setitem(demo.FILLERS, "broken", demo.RegisteredFiller("broken", 99, broken))
    before = snapshot(owner)
    with pytest.raises(RuntimeError):
        demo.demo_fill(user=owner, size="small", seed=1, today=TODAY)
    assert snapshot(owner) == before


def test_registering_another_filler_under_a_taken_name_is_an_error():
    with pytest.raises(ValueError, match="registered twice"):
        demo.filler("account")(lambda user, rng, size, today: {})


# --- The generator ---------------------------------------------------------------------------

NAME_PART = re.compile(r"[^\W\d_]+(?:['\- ][^\W\d_]+)*")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_names_are_plausible(seed):
    for name in demo.person_names(random.Random(seed), 2000):
        for part in (name.given, name.family):
            assert NAME_PART.fullmatch(part), part
            # Capitalised, except particles such as "de Vries" or "van den Berg".
            assert part[0].isupper() or part.split()[0] in ("de", "van"), part
        assert name.full == f"{name.given} {name.family}"


@pytest.mark.parametrize("seed", range(10))
def test_a_small_network_has_no_namesakes(seed):
    names = [name.full for name in demo.person_names(random.Random(seed), 150)]
    assert len(set(names)) == len(names)


def test_a_heavy_network_has_few_namesakes():
    names = Counter(name.full for name in demo.person_names(random.Random(1), 20_000))
    repeats = sum(count - 1 for count in names.values())
    assert repeats < 100  # under 0.5 %, as in a real address book of that size


def test_names_come_from_many_traditions():
    origins = Counter(name.origin for name in demo.person_names(random.Random(4), 1000))
    assert len(origins) >= 15
    assert max(origins.values()) < 300


def test_the_generator_is_deterministic():
    def draw(seed):
        rng = random.Random(seed)
        return (
            demo.person_names(rng, 50),
            demo.organisations(rng, 20),
            [demo.job_title(rng) for _ in range(20)],
            demo.dates_spread(rng, 20, today=TODAY, years=5),
        )

    assert draw(9) == draw(9)
    assert draw(9) != draw(10)


def test_organisations_have_distinct_names_and_reserved_domains():
    found = demo.organisations(random.Random(2), 3000)
    assert len({org.name for org in found}) == 3000
    for org in found:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*\.example", org.domain), org.domain
        assert org.industry in demo.INDUSTRIES_BY_KEY
    assert len({org.industry for org in found}) == len(demo.INDUSTRIES)


def test_job_titles_read_like_titles():
    rng = random.Random(3)
    titles = [demo.job_title(rng) for _ in range(3000)]
    assert len(set(titles)) > 200
    for title in titles:
        assert title.strip() == title and "  " not in title
        assert not re.match(r"(Junior|Lead|Principal) .*(Manager|Lead|Director|Head)", title)
        assert not title.startswith("Senior Senior")


def test_titles_follow_the_industry_asked_for():
    rng = random.Random(4)
    health = demo.INDUSTRIES_BY_KEY["health"]
    titles = [demo.job_title(rng, health) for _ in range(300)]
    typical = [t for t in titles if any(t.endswith(role) for role in health.roles)]
    assert len(typical) > len(titles) / 2


def test_every_place_has_a_known_time_zone():
    zones = available_timezones()
    assert all(place.time_zone in zones for place in demo.PLACES)


def test_people_usually_live_where_their_name_is_common():
    rng = random.Random(5)
    homes = [demo.place(rng, "japanese") for _ in range(500)]
    assert sum(home.country == "Japan" for home in homes) > 300


def test_dates_spread_over_the_years_asked_and_crowd_towards_today():
    days = demo.dates_spread(random.Random(6), 2000, today=TODAY, years=5)
    assert days == sorted(days)
    assert TODAY - timedelta(days=5 * 366) <= days[0] and days[-1] <= TODAY
    assert (days[-1] - days[0]).days > 4 * 365
    last_year = sum(day > TODAY - timedelta(days=365) for day in days)
    first_year = sum(day < TODAY - timedelta(days=4 * 365) for day in days)
    assert last_year > first_year


def test_date_between_includes_both_ends():
    rng = random.Random(7)
    start, end = date(2020, 1, 1), date(2020, 1, 3)
    assert {demo.date_between(rng, start, end) for _ in range(200)} == {
        start,
        start + timedelta(days=1),
        end,
    }


def test_a_moment_falls_in_working_hours_of_its_zone():
    rng = random.Random(8)
    place = demo.PLACES[0]
    for _ in range(200):
        moment = demo.moment_on(rng, TODAY, place.zone)
        assert moment.tzinfo is not None and moment.date() == TODAY
        assert 8 <= moment.hour < 19 and moment.minute % 5 == 0


def test_demo_addresses_are_plain_ascii():
    name = demo.PersonName("Zoë", "Müller-Ødegård", "germanic")
    assert demo.email_for(name, "quill-press.example") == "zoe.mullerodegard@quill-press.example"
    assert demo.ascii_slug("Dubois & Çelik") == "dubois-and-celik"
