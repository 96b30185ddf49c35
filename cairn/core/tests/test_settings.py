"""settings.py, loaded in a fresh process with a controlled environment each time."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from cairn.core.tests.processes import one_line_error, run_cairn, run_python


def settings_of(data_dir: Path, *names: str, **variables: str) -> dict:
    """The named settings as a fresh process computes them from `variables`."""
    code = (
        "import json, django; django.setup()\n"
        "from django.conf import settings\n"
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = run_python(code, data_dir=data_dir, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# the secret key


def test_a_secret_key_is_generated_once_with_owner_only_permissions(tmp_path):
    first = settings_of(tmp_path, "SECRET_KEY")["SECRET_KEY"]
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text().strip() == first
    assert len(first) >= 50
    assert settings_of(tmp_path, "SECRET_KEY")["SECRET_KEY"] == first


def test_the_secret_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "mounted-secret"
    key_file.write_text("k" * 30 + "from-a-docker-secret\n")
    found = settings_of(tmp_path / "data", "SECRET_KEY", CAIRN_SECRET_KEY_FILE=str(key_file))
    assert found["SECRET_KEY"] == "k" * 30 + "from-a-docker-secret"
    assert not (tmp_path / "data" / "secret_key").exists()


def test_the_secret_key_can_be_set_directly(tmp_path):
    found = settings_of(tmp_path, "SECRET_KEY", CAIRN_SECRET_KEY="set-in-the-environment")
    assert found["SECRET_KEY"] == "set-in-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_secret_key_and_its_file_together_stop_the_command(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("x" * 50)
    result = run_cairn(
        "check", data_dir=tmp_path, CAIRN_SECRET_KEY="y" * 50, CAIRN_SECRET_KEY_FILE=str(key_file)
    )
    assert result.returncode == 2
    assert "CAIRN_SECRET_KEY_FILE" in one_line_error(result)


# the data directory and the database


def test_the_data_directory_is_created_and_holds_the_sqlite_database(tmp_path):
    data_dir = tmp_path / "not" / "yet" / "there"
    found = settings_of(data_dir, "DATA_DIR", "DATABASES")
    assert data_dir.is_dir()
    assert found["DATA_DIR"] == str(data_dir)
    database = found["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(data_dir / "cairn.sqlite3")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_a_postgres_url_selects_postgresql(tmp_path):
    url = "postgres://cairn:p%40ss@db.example.org:5433/cairn_prod"
    database = settings_of(tmp_path, "DATABASES", DATABASE_URL=url)["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == (
        "cairn_prod",
        "cairn",
        "p@ss",
    )
    assert (database["HOST"], database["PORT"]) == ("db.example.org", 5433)
    # Connections are reused across requests and checked before use.
    assert database["CONN_MAX_AGE"] > 0
    assert database["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize("url", ["mysql://cairn@db.example.org/cairn", "nosuch://x/y"])
def test_an_unsupported_database_is_one_line_naming_database_url(tmp_path, url):
    result = run_cairn("check", data_dir=tmp_path, DATABASE_URL=url)
    assert result.returncode == 2
    line = one_line_error(result)
    assert line.startswith("cairn: configuration error: DATABASE_URL")


SQLITE_PROBE = """
import json, django
django.setup()
from django.db import connection, transaction
with connection.cursor() as cursor:
    pragmas = {
        name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
    }
# Another connection tries to take the write lock while a transaction of ours is open.
import sqlite3
with transaction.atomic():
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        pragmas["locked_by_our_transaction"] = False
    except sqlite3.OperationalError:
        pragmas["locked_by_our_transaction"] = True
    finally:
        other.close()
print(json.dumps(pragmas))
"""


def test_sqlite_connections_are_tuned(tmp_path):
    result = run_python(SQLITE_PROBE, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    pragmas = json.loads(result.stdout)
    assert pragmas["journal_mode"] == "wal"
    assert pragmas["foreign_keys"] == 1
    assert pragmas["busy_timeout"] >= 5000
    assert pragmas["synchronous"] == 1  # NORMAL: safe with WAL, far fewer fsyncs
    # IMMEDIATE: a transaction holds the write lock from its start, so two writers queue
    # rather than deadlock when both try to upgrade a read lock.
    assert pragmas["locked_by_our_transaction"] is True
    with sqlite3.connect(tmp_path / "cairn.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # WAL is persistent


# other variables


def test_defaults_for_a_laptop(tmp_path):
    found = settings_of(
        tmp_path,
        "DEBUG",
        "SIGNUP",
        "ALLOW_PRIVATE_FETCH",
        "SITE_URL",
        "ALLOWED_HOSTS",
        "EMAIL_CONFIGURED",
        "HTTPS",
    )
    assert set(found.pop("ALLOWED_HOSTS")) == {"localhost", "127.0.0.1", "[::1]"}
    assert found == {
        "DEBUG": False,
        "SIGNUP": "open",
        "ALLOW_PRIVATE_FETCH": False,
        "SITE_URL": "http://localhost:8000",
        "EMAIL_CONFIGURED": False,
        "HTTPS": False,
    }


def test_every_variable_is_read(tmp_path):
    found = settings_of(
        tmp_path,
        "DEBUG",
        "SIGNUP",
        "ALLOW_PRIVATE_FETCH",
        "SITE_URL",
        "SITE_HOST",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "EMAIL_CONFIGURED",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
        "DEFAULT_FROM_EMAIL",
        CAIRN_DEBUG="yes",
        CAIRN_SIGNUP="CLOSED",
        CAIRN_ALLOW_PRIVATE_FETCH="1",
        CAIRN_SITE_URL="https://cairn.example.org/",
        CAIRN_ALLOWED_HOSTS="cairn.example.org, .internal.example.org",
        CAIRN_EMAIL_URL="smtp://bot%40example.org:pw@mail.example.org?tls=1&from=cairn%40example.org",
    )
    assert found == {
        "DEBUG": True,
        "SIGNUP": "closed",
        "ALLOW_PRIVATE_FETCH": True,
        "SITE_URL": "https://cairn.example.org",
        "SITE_HOST": "cairn.example.org",
        "ALLOWED_HOSTS": ["cairn.example.org", ".internal.example.org"],
        "CSRF_TRUSTED_ORIGINS": ["https://cairn.example.org"],
        "EMAIL_CONFIGURED": True,
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "bot@example.org",
        "EMAIL_HOST_PASSWORD": "pw",
        "EMAIL_USE_TLS": True,
        "DEFAULT_FROM_EMAIL": "cairn@example.org",
    }


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CAIRN_DEBUG", "ture"),
        ("CAIRN_SIGNUP", "invite-only"),
        ("CAIRN_SITE_URL", "cairn.example.org"),
        ("CAIRN_EMAIL_URL", "smtp://mail.example.org?tls=maybe"),
        ("CAIRN_ALLOW_PRIVATE_FETCH", "sometimes"),
    ],
)
def test_a_malformed_variable_stops_cairn_check_naming_it(tmp_path, variable, value):
    result = run_cairn("check", data_dir=tmp_path, **{variable: value})
    assert result.returncode == 2
    line = one_line_error(result)
    assert line.startswith("cairn: configuration error:")
    assert variable in line
