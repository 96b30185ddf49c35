"""The outbox: Django mail is queued in the database and the worker delivers it over SMTP."""

import socket
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.mail import EmailMessage, send_mail
from django.urls import reverse
from django.utils import timezone

from cairn.accounts.models import LoginFailure
from cairn.core.jobs import deliver_email, prune
from cairn.core.models import OutboundEmail, WorkerHeartbeat
from cairn.lib.emails import CONSOLE_BACKEND, SMTP_BACKEND

pytestmark = pytest.mark.django_db

OUTBOX = "cairn.core.mail.OutboxBackend"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def messages(self):
        return [message_from_bytes(e.content, policy=default_policy) for e in self.envelopes]


class RefusingInbox(Inbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such mailbox here"


@pytest.fixture(autouse=True)
def outbox_settings(settings):
    """Queue like production does (the test runner would otherwise keep mail in memory), and
    deliver over SMTP to a port on 127.0.0.1 where, until a test starts a server, nobody
    listens."""
    settings.EMAIL_BACKEND = OUTBOX
    settings.CAIRN_EMAIL_TRANSPORT = SMTP_BACKEND
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "cairn@example.org"
    return settings


@pytest.fixture
def smtp_server(settings):
    """Start a real SMTP server on the configured port: `smtp_server(handler)`."""
    controllers = []

    def start(handler=None):
        handler = handler or Inbox()
        controller = Controller(handler, hostname="127.0.0.1", port=settings.EMAIL_PORT)
        controller.start()
        controllers.append(controller)
        return handler

    yield start
    for controller in controllers:
        controller.stop()


def the_only_queued():
    return OutboundEmail.objects.get()


def deliver(now=None):
    return deliver_email(now or timezone.now())


class TestQueueing:
    def test_send_mail_queues_a_row_instead_of_sending(self):
        before = timezone.now()
        sent = send_mail("Coffee?", "Shall we meet.", "me@example.com", ["ann@example.com"])
        assert sent == 1
        assert mail.outbox == []
        item = the_only_queued()
        assert item.recipients == ["ann@example.com"]
        assert item.subject == "Coffee?"
        assert item.status == OutboundEmail.Status.QUEUED
        assert before <= item.due_at <= timezone.now()
        assert "Subject: Coffee?" in item.message
        assert "Shall we meet." in item.message

    def test_blind_copies_are_recipients_but_not_headers(self):
        EmailMessage("Hi", "Body", to=["ann@example.com"], bcc=["bob@example.com"]).send()
        item = the_only_queued()
        assert item.recipients == ["ann@example.com", "bob@example.com"]
        assert "bob@example.com" not in item.message

    def test_a_message_without_recipients_is_not_queued(self):
        assert EmailMessage("Hi", "Body", to=[]).send() == 0
        assert not OutboundEmail.objects.exists()

    def test_a_password_reset_is_queued(self, client, owner):
        response = client.post(reverse("accounts:password-reset"), {"email": owner.email})
        assert response.status_code == 302
        item = the_only_queued()
        assert item.recipients == [owner.email]
        assert "/accounts/password/reset/" in item.message


class TestDelivery:
    def test_the_worker_delivers_a_queued_message_through_smtp(self, smtp_server):
        inbox = smtp_server()
        send_mail("Café at ten", "See you there — Olive", "olive@example.com", ["ann@example.com"])
        now = timezone.now()
        assert deliver(now) is True

        [envelope] = inbox.envelopes
        assert envelope.mail_from == "olive@example.com"
        assert envelope.rcpt_tos == ["ann@example.com"]
        [received] = inbox.messages()
        assert received["Subject"] == "Café at ten"
        assert received["To"] == "ann@example.com"
        assert received.get_content().strip() == "See you there — Olive"

        item = the_only_queued()
        assert item.status == OutboundEmail.Status.SENT
        assert item.sent_at == now
        assert (item.attempts, item.last_error, item.leased_until) == (1, "", None)

    def test_each_message_is_delivered_once(self, smtp_server):
        inbox = smtp_server()
        for name in ("ann", "bob", "cy"):
            send_mail("Hello", "Hi.", None, [f"{name}@example.com"])
        assert deliver() is True
        assert deliver() is False
        assert sorted(e.rcpt_tos[0] for e in inbox.envelopes) == [
            "ann@example.com",
            "bob@example.com",
            "cy@example.com",
        ]

    def test_blind_copies_reach_their_recipients(self, smtp_server):
        inbox = smtp_server()
        EmailMessage("Hi", "Body", to=["ann@example.com"], bcc=["bob@example.com"]).send()
        deliver()
        [envelope] = inbox.envelopes
        assert envelope.rcpt_tos == ["ann@example.com", "bob@example.com"]
        assert b"bob@example.com" not in envelope.content

    def test_the_envelope_sender_defaults_to_the_configured_address(self, smtp_server):
        inbox = smtp_server()
        send_mail("Hi", "Body", None, ["ann@example.com"])
        deliver()
        assert inbox.envelopes[0].mail_from == "cairn@example.org"

    def test_nothing_is_delivered_before_it_is_due(self, smtp_server):
        inbox = smtp_server()
        send_mail("Hi", "Body", None, ["ann@example.com"])
        assert deliver(the_only_queued().due_at - timedelta(seconds=1)) is False
        assert inbox.envelopes == []

    def test_the_console_transport_prints_the_message(self, settings, capsys):
        settings.CAIRN_EMAIL_TRANSPORT = CONSOLE_BACKEND
        send_mail("Printed", "On the terminal.", None, ["ann@example.com"])
        deliver()
        printed = capsys.readouterr().out
        assert "Subject: Printed" in printed
        assert "On the terminal." in printed
        assert the_only_queued().status == OutboundEmail.Status.SENT


class TestFailures:
    def test_an_unreachable_server_keeps_the_message_queued_and_backs_off(self):
        send_mail("Hi", "Body", None, ["ann@example.com"])
        now = timezone.now()
        assert deliver(now) is True
        item = the_only_queued()
        assert item.status == OutboundEmail.Status.QUEUED
        assert item.attempts == 1
        assert item.last_error.startswith("ConnectionRefusedError")
        assert item.due_at == now + timedelta(minutes=2)
        assert item.leased_until is None

    def test_the_delay_grows_with_each_attempt(self):
        send_mail("Hi", "Body", None, ["ann@example.com"])
        now = timezone.now()
        deliver(now)
        assert deliver(now + timedelta(minutes=1)) is False  # not due yet: not tried
        second = now + timedelta(minutes=2)
        deliver(second)
        item = the_only_queued()
        assert item.attempts == 2
        assert item.due_at == second + timedelta(minutes=4)

    def test_a_refused_recipient_records_the_servers_answer(self, smtp_server):
        smtp_server(RefusingInbox())
        send_mail("Hi", "Body", None, ["nobody@example.com"])
        deliver()
        item = the_only_queued()
        assert item.status == OutboundEmail.Status.QUEUED
        assert item.last_error.startswith("SMTPRecipientsRefused")
        assert "No such mailbox here" in item.last_error

    def test_after_the_last_attempt_the_message_is_marked_failed(self):
        send_mail("Hi", "Body", None, ["ann@example.com"])
        now = timezone.now()
        for attempt in range(1, OutboundEmail.MAX_ATTEMPTS + 1):
            assert deliver(now) is True
            item = the_only_queued()
            assert item.attempts == attempt
            now = item.due_at
        assert item.status == OutboundEmail.Status.FAILED
        assert deliver(now + timedelta(days=1)) is False  # never tried again

    def test_delivery_succeeds_once_the_server_is_back(self, smtp_server):
        send_mail("Hi", "Body", None, ["ann@example.com"])
        deliver()
        inbox = smtp_server()
        deliver(the_only_queued().due_at)
        item = the_only_queued()
        assert item.status == OutboundEmail.Status.SENT
        assert item.attempts == 2
        assert item.last_error == ""
        assert len(inbox.envelopes) == 1


class TestPrune:
    def test_it_forgets_old_sent_mail_old_heartbeats_and_old_login_failures(self):
        now = timezone.now()
        old, recent = now - timedelta(days=31), now - timedelta(days=29)
        for status, sent_at in [
            (OutboundEmail.Status.SENT, old),
            (OutboundEmail.Status.SENT, recent),
            (OutboundEmail.Status.FAILED, None),
            (OutboundEmail.Status.QUEUED, None),
        ]:
            OutboundEmail.objects.create(
                recipients=["a@example.com"],
                message="",
                subject=f"{status} {sent_at}",
                status=status,
                due_at=old,
                sent_at=sent_at,
            )
        for name, days in (("gone", 8), ("kept", 6)):
            WorkerHeartbeat.objects.create(
                name=name, started_at=old, beat_at=now - timedelta(days=days)
            )
        LoginFailure.objects.create(email="a@example.com", at=now - timedelta(hours=25))
        LoginFailure.objects.create(email="b@example.com", at=now - timedelta(hours=23))

        assert prune(now) is True

        assert sorted(OutboundEmail.objects.values_list("status", "sent_at")) == sorted(
            [("sent", recent), ("failed", None), ("queued", None)]
        )
        assert list(WorkerHeartbeat.objects.values_list("name", flat=True)) == ["kept"]
        assert list(LoginFailure.objects.values_list("email", flat=True)) == ["b@example.com"]

    def test_it_says_when_there_was_nothing_to_forget(self):
        assert prune(timezone.now()) is False
