"""The daily digest: claimed once a day per person, queued in the outbox, delivered over SMTP."""

import json
import threading
from datetime import UTC, date, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cairn.core.jobs import STEPS, deliver_email
from cairn.core.models import OutboundEmail
from cairn.core.tests.test_mail import outbox_settings, smtp_server  # noqa: F401 (fixtures)
from cairn.daily import digest, providers
from cairn.network import services as network
from cairn.testing import make_user

pytestmark = pytest.mark.django_db

SITE = "https://cairn.example.org"
# 08:00 in Paris (the owner's zone), half an hour after the default digest time.
NOW = datetime(2026, 6, 10, 6, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def due_person(user, name: str, today: date):
    """Someone the user planned to talk to every 30 days and last talked to 60 days ago."""
    person = network.person_create(
        user=user, full_name=name, cadence_days=30, today=today - timedelta(days=400)
    )
    network.interaction_log(
        user=user, people=[person], summary="Lunch", occurred_on=today - timedelta(days=60),
        today=today,
    )  # fmt: skip
    return person


def enable(user, at: time = time(7, 30), **fields):
    user.digest_enabled = True
    user.digest_time = at
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    return user


def parts(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def test_the_step_is_registered_with_the_worker():
    assert STEPS["daily.send_digests"] is digest.send_digests


def test_the_digest_arrives_through_smtp_with_only_its_owners_actions(
    owner,
    stranger,
    smtp_server,  # noqa: F811
):
    inbox = smtp_server()
    ana = due_person(owner, "Ana Ruiz", NOW.date())
    due_person(stranger, "Sam's Friend", NOW.date())
    enable(owner)
    enable(stranger, at=time(6, 0), time_zone="Europe/London")

    assert digest.send_digests(NOW) is True
    assert deliver_email(timezone.now()) is True

    received = {m["To"]: m for m in inbox.messages()}
    assert set(received) == {"owner@example.com", "stranger@example.com"}
    mine = received["owner@example.com"]
    assert mine["Subject"] == "Today: 1 thing for Wednesday 10 June"
    text, html = parts(mine)
    person_url = f"{SITE}/network/people/{ana.pk}/"
    assert "Hello Olive Owner," in text
    assert "1. Get in touch with Ana Ruiz" in text
    assert "Why: last talked 60 days ago; you planned every 30" in text
    assert person_url in text
    assert f"{SITE}/" in text and f"{SITE}/accounts/settings/#reminders" in text
    assert f'href="{person_url}"' in html
    assert "Get in touch with Ana Ruiz" in html
    assert "Last talked 60 days ago; you planned every 30" in html
    assert f'href="{SITE}/"' in html
    for part in (text, html):
        assert "Sam" not in part
    theirs = parts(received["stranger@example.com"])
    assert "Sam's Friend" in theirs[0] and "Ana Ruiz" not in theirs[0]


def test_it_goes_once_a_day(owner, smtp_server):  # noqa: F811
    smtp_server()
    due_person(owner, "Ana Ruiz", NOW.date())
    enable(owner)
    assert digest.send_digests(NOW) is True
    assert digest.send_digests(NOW + timedelta(hours=3)) is False
    assert OutboundEmail.objects.count() == 1
    owner.refresh_from_db()
    assert owner.digest_last_sent_on == date(2026, 6, 10)
    assert digest.send_digests(NOW + timedelta(days=1)) is True
    assert OutboundEmail.objects.count() == 2


def test_nothing_goes_before_the_chosen_time(owner):
    due_person(owner, "Ana Ruiz", NOW.date())
    enable(owner, at=time(8, 30))  # it is 08:00 in Paris
    assert digest.send_digests(NOW) is False
    assert not OutboundEmail.objects.exists()
    assert digest.send_digests(NOW + timedelta(minutes=30)) is True
    assert OutboundEmail.objects.count() == 1


def test_nobody_gets_a_digest_they_did_not_ask_for(owner):
    due_person(owner, "Ana Ruiz", NOW.date())
    assert digest.send_digests(NOW) is False
    assert not OutboundEmail.objects.exists()


def test_an_empty_day_sends_nothing_but_counts_as_sent(owner):
    enable(owner)
    assert digest.send_digests(NOW) is True
    assert not OutboundEmail.objects.exists()
    owner.refresh_from_db()
    assert owner.digest_last_sent_on == date(2026, 6, 10)
    assert digest.send_digests(NOW + timedelta(minutes=5)) is False


def test_done_items_are_left_out(owner):
    due_person(owner, "Ana Ruiz", NOW.date())
    bea = due_person(owner, "Bea Kim", NOW.date())
    enable(owner)
    from cairn.daily import services

    agenda = services.agenda_for_today(user=owner, now=NOW)
    done = next(item for item in agenda.items.all() if item.person_id == bea.pk)
    services.item_done(user=owner, item=done, now=NOW)
    made = digest.digest_for(user=owner, now=NOW)
    assert [item.title for item in made.items] == ["Get in touch with Ana Ruiz"]


def test_only_one_of_two_racing_workers_claims_the_day(owner):
    enable(owner)
    day = date(2026, 6, 10)
    assert digest.claim_day(user_id=owner.pk, day=day) is True
    assert digest.claim_day(user_id=owner.pk, day=day) is False
    assert digest.claim_day(user_id=owner.pk, day=day + timedelta(days=1)) is True


def test_a_turned_off_digest_cannot_be_claimed(owner):
    assert digest.claim_day(user_id=owner.pk, day=date(2026, 6, 10)) is False


def test_each_person_gets_it_at_their_own_local_time(smtp_server):  # noqa: F811
    inbox = smtp_server()
    kiri = enable(make_user("kiri@example.com", time_zone="Pacific/Kiritimati"))
    la = enable(make_user("la@example.com", time_zone="America/Los_Angeles"))
    # One UTC instant, two local days: Thursday 07:00 on Kiritimati (UTC+14), Wednesday
    # 10:00 in Los Angeles (UTC-7).
    instant = datetime(2026, 6, 10, 17, 0, tzinfo=UTC)
    due_person(kiri, "Kai Kiri", date(2026, 6, 11))
    due_person(la, "Lee Angel", date(2026, 6, 10))

    assert digest.send_digests(instant) is True
    deliver_email(timezone.now())
    assert [m["To"] for m in inbox.messages()] == ["la@example.com"]
    assert inbox.messages()[0]["Subject"] == "Today: 1 thing for Wednesday 10 June"

    later = instant + timedelta(minutes=45)  # 07:45 on Kiritimati
    assert digest.send_digests(later) is True
    deliver_email(timezone.now())
    kiri_mail = inbox.messages()[1]
    assert kiri_mail["To"] == "kiri@example.com"
    assert kiri_mail["Subject"] == "Today: 1 thing for Thursday 11 June"
    kiri.refresh_from_db()
    la.refresh_from_db()
    assert (kiri.digest_last_sent_on, la.digest_last_sent_on) == (
        date(2026, 6, 11),
        date(2026, 6, 10),
    )
    assert digest.send_digests(later + timedelta(hours=1)) is False


def test_a_broken_provider_gives_up_the_day_without_stopping_the_step(owner, stranger, caplog):
    enable(owner)
    enable(stranger, at=time(6, 0))
    due_person(stranger, "Sam's Friend", NOW.date())

    def broken(user, today):
        if user.pk == owner.pk:
            raise RuntimeError("provider exploded")
        return []

    providers._PROVIDERS["zz_broken"] = broken
    try:
        assert digest.send_digests(NOW) is True
    finally:
        del providers._PROVIDERS["zz_broken"]
    assert "provider exploded" in caplog.text
    owner.refresh_from_db()
    assert owner.digest_last_sent_on == date(2026, 6, 10)
    assert [e.recipients for e in OutboundEmail.objects.all()] == [["stranger@example.com"]]


# ---------------------------------------------------------------- notifications


class Hook(BaseHTTPRequestHandler):
    received: list

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        self.received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    """A local HTTP server that keeps the JSON bodies posted to it."""
    received: list = []
    handler = type("Handler", (Hook,), {"received": received})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], received
    server.shutdown()
    server.server_close()


def test_the_digest_is_also_notified_through_apprise(owner, settings, webhook):
    settings.ALLOW_PRIVATE_FETCH = True
    port, received = webhook
    due_person(owner, "Ana Ruiz", NOW.date())
    enable(owner, notify_urls=f"json://127.0.0.1:{port}/hook")

    assert digest.send_digests(NOW) is True

    [body] = received
    assert body["title"] == "Today: 1 thing for Wednesday 10 June"
    assert "• Get in touch with Ana Ruiz — last talked 60 days ago" in body["message"]
    assert f"Open Today: {SITE}/" in body["message"]
    assert OutboundEmail.objects.count() == 1


def test_a_private_address_is_not_notified_unless_allowed(owner, settings, webhook, caplog):
    settings.ALLOW_PRIVATE_FETCH = False
    port, received = webhook
    due_person(owner, "Ana Ruiz", NOW.date())
    enable(owner, notify_urls=f"json://127.0.0.1:{port}/hook")

    assert digest.send_digests(NOW) is True

    assert received == []
    assert "127.0.0.1 is a loopback address" in caplog.text
    assert OutboundEmail.objects.count() == 1  # the email still goes


def test_a_failing_notification_never_blocks_the_email(owner, settings, caplog):
    settings.ALLOW_PRIVATE_FETCH = True
    from cairn.core.tests.test_mail import free_port

    due_person(owner, "Ana Ruiz", NOW.date())
    enable(owner, notify_urls=f"json://127.0.0.1:{free_port()}/nobody-listens")

    assert digest.send_digests(NOW) is True

    assert OutboundEmail.objects.count() == 1
    assert "Notification to json://127.0.0.1" in caplog.text


# ---------------------------------------------------------------- cairn digest


def run(*args) -> str:
    out = StringIO()
    call_command("digest", "--user", "owner@example.com", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_cairn_digest_prints_todays_digest(owner):
    due_person(owner, "Ana Ruiz", timezone.localdate(timezone=owner.zone))
    out = run()
    assert out.startswith("Subject: Today: 1 thing for ")
    assert "1. Get in touch with Ana Ruiz" in out
    assert run("--print") == out
    assert not OutboundEmail.objects.exists()


def test_cairn_digest_send_queues_it_without_counting_as_the_days(owner):
    due_person(owner, "Ana Ruiz", timezone.localdate(timezone=owner.zone))
    out = run("--send")
    assert "Queued “Today: 1 thing for" in out and "owner@example.com" in out
    [queued] = OutboundEmail.objects.all()
    assert queued.recipients == ["owner@example.com"]
    owner.refresh_from_db()
    assert owner.digest_last_sent_on is None


def test_cairn_digest_send_on_an_empty_day_says_so(owner):
    with pytest.raises(CommandError, match="Nothing is open today"):
        run("--send")
    assert not OutboundEmail.objects.exists()


def test_cairn_digest_names_an_unknown_account(owner):
    with pytest.raises(CommandError, match=r"nobody@example\.com"):
        call_command("digest", "--user", "nobody@example.com", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_the_same_person_send_one_digest():
    from django.db import connection

    if connection.vendor != "postgresql":
        # SQLite's in-memory test database answers a second writer with "table is locked"
        # at once (no busy wait through shared cache): a race there proves nothing.
        pytest.skip("needs a database that serves concurrent writers")
    user = enable(make_user("racer@example.com", time_zone="Europe/Paris"))
    due_person(user, "Ana Ruiz", NOW.date())
    start = threading.Barrier(4)
    results, errors = [], []

    def worker():
        try:
            start.wait()
            results.append(digest.digest_send_if_due(user=user, now=NOW))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(result is not None for result in results) == 1
    assert OutboundEmail.objects.count() == 1
