"""Notification addresses (checked line by line), the Reminders card and its forms."""

import re
from datetime import time

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cairn.core.errors import DomainError
from cairn.daily import notify
from cairn.daily.tests.test_digest import webhook  # noqa: F401 (fixture)
from cairn.lib import http
from cairn.testing import client_for

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def names(monkeypatch):
    """Host names resolve from a table, never through real DNS."""
    table = {
        "hooks.example.org": ["93.184.215.14"],
        "intranet.example.org": ["10.1.2.3"],
        "metadata.example.org": ["169.254.169.254"],
    }

    def resolve(host, port):
        if host not in table:
            raise OSError("Name or service not known")
        return table[host]

    monkeypatch.setattr(http, "resolve", resolve)


# ---------------------------------------------------------------- parsing


def test_urls_are_read_one_a_line_skipping_blanks_and_comments(names):
    text = "\n  jsons://hooks.example.org/a  \n# my phone\n\ntgram://123456789:abcdef/42\n"
    assert notify.parse_notify_urls(text) == [
        "jsons://hooks.example.org/a",
        "tgram://123456789:abcdef/42",
    ]


def test_an_unknown_service_is_named_with_its_line(names):
    with pytest.raises(DomainError) as caught:
        notify.parse_notify_urls("jsons://hooks.example.org/a\nnope://whatever")
    assert caught.value.message.startswith(
        "notify_urls: line 2: Apprise knows no service called 'nope'"
    )
    assert caught.value.field == "notify_urls"


def test_a_line_that_is_no_url_says_what_one_looks_like(names):
    with pytest.raises(DomainError, match="line 1: it is not a URL"):
        notify.parse_notify_urls("my phone please")


def test_too_many_addresses_are_refused(names):
    text = "\n".join(f"jsons://hooks.example.org/{n}" for n in range(notify.MAX_URLS + 1))
    with pytest.raises(DomainError, match=f"at most {notify.MAX_URLS} addresses"):
        notify.parse_notify_urls(text)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("json://127.0.0.1:8080/hook", "127.0.0.1 is a loopback address"),
        ("jsons://intranet.example.org/hook", "intranet.example.org resolves to 10.1.2.3"),
        ("gotify://192.168.1.4/token", "192.168.1.4 is a private address"),
        ("json://[::1]/hook", "::1 is a loopback address"),
    ],
)
def test_private_addresses_are_refused(names, settings, url, reason):
    settings.ALLOW_PRIVATE_FETCH = False
    with pytest.raises(DomainError) as caught:
        notify.parse_notify_urls(f"# first\n{url}")
    assert caught.value.message.startswith(f"notify_urls: line 2: refused, {reason}")


def test_the_operator_may_allow_private_addresses(names, settings):
    settings.ALLOW_PRIVATE_FETCH = True
    assert notify.parse_notify_urls("jsons://intranet.example.org/hook") == [
        "jsons://intranet.example.org/hook"
    ]


def test_cloud_metadata_stays_refused_even_then(names, settings):
    settings.ALLOW_PRIVATE_FETCH = True
    with pytest.raises(DomainError, match=r"169\.254\.169\.254, the cloud metadata address"):
        notify.parse_notify_urls("jsons://metadata.example.org/hook")


def test_services_with_their_own_address_are_not_resolved(names, settings):
    # Telegram's URL holds a bot token where a host would be; Apprise talks to Telegram.
    settings.ALLOW_PRIVATE_FETCH = False
    assert notify.refusal(notify._instantiate("tgram://2130706433:abcdef/42")) is None


def test_a_name_that_does_not_resolve_is_let_through(names):
    # ntfy.sh's cloud topics sit where the host would be: ntfys://my-topic
    assert notify.parse_notify_urls("ntfys://my-topic") == ["ntfys://my-topic"]


def test_sending_reports_each_address_and_never_raises(names, settings, webhook):  # noqa: F811
    settings.ALLOW_PRIVATE_FETCH = True
    port, received = webhook
    text = f"json://127.0.0.1:{port}/hook\njsons://metadata.example.org/x"
    first, second = notify.notify(text, title="Hello", body="Body")
    assert first.ok and first.line == 1 and first.shown.startswith("json://127.0.0.1")
    assert not second.ok and second.line == 2
    assert "the cloud metadata address" in second.error
    assert [(m["title"], m["message"]) for m in received] == [("Hello", "Body")]


# ---------------------------------------------------------------- the card


def test_the_settings_page_shows_the_reminders_card(owner_client):
    html = owner_client.get(reverse("accounts:settings")).content.decode()
    assert 'id="reminders"' in html
    assert "Email me the day&#x27;s actions each day" in html
    assert 'value="07:30"' in html
    assert "In your time zone, Europe/Paris." in html
    assert "Make a feed address" in html
    assert "Send a test notification" not in html  # no address yet


@pytest.mark.parametrize("configured", [True, False])
def test_the_card_says_when_the_server_cannot_send_email(owner_client, settings, configured):
    settings.EMAIL_CONFIGURED = configured
    html = owner_client.get(reverse("accounts:settings")).content.decode()
    assert ("This server has no way to send email yet" in html) is not configured


def test_the_digest_is_turned_on_with_a_plain_post(owner, owner_client):
    url = reverse("daily:digest-settings")
    response = owner_client.post(url, {"digest_enabled": "on", "digest_time": "06:45"})
    assert response.status_code == 303
    assert response["Location"] == reverse("accounts:settings") + "#reminders"
    owner.refresh_from_db()
    assert (owner.digest_enabled, owner.digest_time) == (True, time(6, 45))
    page = owner_client.get(response["Location"]).content.decode()
    assert "Your digest will arrive each day at 06:45." in page


def test_the_digest_is_turned_off_with_htmx(owner, owner_client):
    owner.digest_enabled = True
    owner.save()
    response = owner_client.post(reverse("daily:digest-settings"), {"digest_time": "07:30"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<section") or 'id="reminders"' in html
    assert "The daily digest is off." in html
    assert "<html" not in html
    owner.refresh_from_db()
    assert owner.digest_enabled is False


def test_a_bad_time_is_shown_beside_the_field(owner, owner_client):
    response = owner_client.post(
        reverse("daily:digest-settings"), {"digest_enabled": "on", "digest_time": "25:99"}
    )
    assert response.status_code == 400
    assert "Enter a time of day, e.g. 07:30." in response.content.decode()
    owner.refresh_from_db()
    assert owner.digest_enabled is False


def test_addresses_are_saved_after_checking(owner, owner_client, names):
    response = owner_client.post(
        reverse("daily:notify-urls"),
        {"notify_urls": "# my phone\r\n  jsons://hooks.example.org/a \r\n\r\n"},
    )
    assert response.status_code == 303
    owner.refresh_from_db()
    assert owner.notify_urls == "# my phone\njsons://hooks.example.org/a"
    page = owner_client.get(reverse("accounts:settings")).content.decode()
    assert "Saved 1 notification address." in page
    assert "Send a test notification" in page


def test_a_bad_address_keeps_what_was_typed_and_names_the_line(owner, owner_client, names):
    typed = "jsons://hooks.example.org/a\nnope://x"
    for extra, status in (({}, 400), (HTMX, 200)):
        response = owner_client.post(reverse("daily:notify-urls"), {"notify_urls": typed}, **extra)
        assert response.status_code == status
        html = response.content.decode()
        assert "line 2: Apprise knows no service called &#x27;nope&#x27;" in html
        assert "nope://x</textarea>" in html
    owner.refresh_from_db()
    assert owner.notify_urls == ""


def test_the_test_button_reports_each_address(owner, owner_client, settings, webhook):  # noqa: F811
    settings.ALLOW_PRIVATE_FETCH = True
    port, received = webhook
    owner.notify_urls = f"json://127.0.0.1:{port}/hook"
    owner.save()
    response = owner_client.post(reverse("daily:notify-test"), **HTMX)
    assert "Line 1 (<code>json://127.0.0.1" in response.content.decode()
    assert "sent." in response.content.decode()
    assert received[0]["title"] == "Cairn: a test notification"

    response = owner_client.post(reverse("daily:notify-test"))
    assert response.status_code == 303
    assert len(received) == 2


def test_the_test_button_without_addresses_says_what_to_do(owner_client):
    response = owner_client.post(reverse("daily:notify-test"), follow=True)
    assert "Add a notification address first." in response.content.decode()


@pytest.mark.parametrize(
    "name", ["digest-settings", "notify-urls", "notify-test", "calendar-create", "calendar-revoke"]
)
def test_the_forms_want_a_signed_in_post(client, owner_client, name):
    url = reverse(f"daily:{name}")
    assert client.post(url)["Location"].startswith(reverse("accounts:login"))
    assert owner_client.get(url).status_code == 405


def test_a_strangers_posts_change_only_their_own_settings(owner, stranger, names):
    owner.digest_enabled = True
    owner.notify_urls = "jsons://hooks.example.org/owner"
    owner.save()
    from cairn.daily import calendar

    calendar.calendar_token_create(user=owner)
    owner.refresh_from_db()
    before = (owner.digest_enabled, owner.digest_time, owner.notify_urls)
    digest_before = owner.calendar_token_digest

    client = client_for(stranger)
    client.post(reverse("daily:digest-settings"), {"digest_time": "05:00"})
    client.post(reverse("daily:notify-urls"), {"notify_urls": "jsons://hooks.example.org/s"})
    client.post(reverse("daily:calendar-create"))
    client.post(reverse("daily:calendar-revoke"))

    owner.refresh_from_db()
    stranger.refresh_from_db()
    assert (owner.digest_enabled, owner.digest_time, owner.notify_urls) == before
    assert owner.calendar_token_digest == digest_before
    assert stranger.notify_urls == "jsons://hooks.example.org/s"
    assert stranger.digest_time == time(5, 0)


@hypothesis_settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["", "  ", "# a comment", "jsons://hooks.example.org/x", "nope://x"]),
            st.text(st.characters(blacklist_categories=["Cs"]), max_size=40),
        ),
        max_size=8,
    )
)
def test_any_text_gives_its_urls_or_names_a_line(lines):
    text = "\n".join(lines)
    try:
        urls = notify.parse_notify_urls(text, check_addresses=False)
    except DomainError as error:
        assert error.field == "notify_urls"
        assert error.message.startswith("notify_urls: ")
        numbers = re.findall(r"line (\d+)", error.message)
        if numbers:
            assert 1 <= int(numbers[0]) <= len(text.splitlines())
        else:
            assert "at most" in error.message
    else:
        kept = [line.strip() for line in text.splitlines()]
        assert all(url in kept and not url.startswith("#") for url in urls)
