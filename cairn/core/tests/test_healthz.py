"""/healthz: is the database reachable, and when did a worker last show signs of life."""

import json
import socket
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from cairn.core import views
from cairn.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def health(client):
    response = client.get(reverse("core:healthz"))
    return response, response.json()


def beat(seconds_ago, name="vm:4242"):
    now = timezone.now()
    return WorkerHeartbeat.objects.update_or_create(
        name=name,
        defaults={
            "beat_at": now - timedelta(seconds=seconds_ago),
            "started_at": now - timedelta(hours=1),
            "steps_run": 12,
        },
    )[0]


def test_it_answers_without_a_login(client):
    response, body = health(client)
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"] == "ok"


def test_it_is_at_slash_healthz():
    assert reverse("core:healthz") == "/healthz"


def test_it_is_never_cached(client):
    response, _ = health(client)
    assert "no-cache" in response["Cache-Control"]


def test_a_worker_never_seen_says_so(client):
    _, body = health(client)
    assert body["worker"] == {"status": "never seen"}


def test_a_recent_heartbeat_means_the_worker_is_ok(client):
    beat(seconds_ago=5)
    _, body = health(client)
    assert body["worker"]["status"] == "ok"
    assert 5 <= body["worker"]["seconds_ago"] <= 7


def test_an_old_heartbeat_means_the_worker_is_stale(client, settings):
    beat(seconds_ago=settings.WORKER_STALE_SECONDS + 5)
    response, body = health(client)
    assert response.status_code == 200  # the site works; monitoring reads the worker status
    assert body["worker"]["status"] == "stale"


def test_the_stale_threshold_is_a_setting(client, settings):
    settings.WORKER_STALE_SECONDS = 10
    beat(seconds_ago=30)
    _, body = health(client)
    assert body["worker"]["status"] == "stale"


def test_the_newest_heartbeat_of_several_workers_counts(client, settings):
    beat(seconds_ago=settings.WORKER_STALE_SECONDS * 10, name="old-host:1")
    recent = beat(seconds_ago=1, name="new-host:2")
    _, body = health(client)
    assert body["worker"]["status"] == "ok"
    assert body["worker"]["last_heartbeat_at"] == recent.beat_at.isoformat()


def test_it_reveals_nothing_sensitive(client, owner, settings):
    worker_name = f"{socket.gethostname()}.internal.example:4242"
    beat(seconds_ago=1, name=worker_name)
    response, body = health(client)
    assert set(body) == {"status", "version", "database", "worker"}
    assert set(body["worker"]) == {"status", "last_heartbeat_at", "seconds_ago"}
    text = response.content.decode()
    for secret in (
        owner.email,
        worker_name,
        settings.SECRET_KEY,
        str(settings.DATABASES["default"]["NAME"]),
        str(settings.DATA_DIR),
    ):
        assert secret not in text


class BrokenConnection:
    def cursor(self):
        raise OperationalError('connection to server at "db.internal" failed: password wrong')


def test_an_unreachable_database_is_a_503_without_details(client, monkeypatch):
    monkeypatch.setattr(views, "connection", BrokenConnection())
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body == {"status": "error", "database": "unreachable: OperationalError"}
    assert "db.internal" not in response.content.decode()


def test_a_monitor_can_require_a_live_worker(client):
    response = client.get("/healthz?worker=required")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    WorkerHeartbeat.objects.create(name="w", started_at=timezone.now(), beat_at=timezone.now())
    assert client.get("/healthz?worker=required").status_code == 200


def test_it_answers_plain_http_when_the_site_redirects_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
