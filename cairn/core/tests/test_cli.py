"""The `cairn` command line, run as a real subprocess like an operator would."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class
from django.core.management.base import CommandError

from cairn import __version__
from cairn.core.management.base import UserCommand
from cairn.core.tests.processes import cairn_env, one_line_error, run_cairn, run_python

STRONG_PASSWORD = "a long and unusual passphrase"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """A data directory with a migrated SQLite database, shared by this module's tests."""
    data_dir = tmp_path_factory.mktemp("cairn-cli")
    result = run_cairn("migrate", "--noinput", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir


def emails_in(data_dir: Path) -> list[str]:
    with sqlite3.connect(data_dir / "cairn.sqlite3") as db:
        return [row[0] for row in db.execute("SELECT email FROM accounts_user ORDER BY id")]


def createuser(data_dir: Path, email: str, password: str = STRONG_PASSWORD, *extra: str):
    return run_cairn(
        "createuser",
        email,
        "--password-stdin",
        *extra,
        data_dir=data_dir,
        input=password + "\n",
        CAIRN_EMAIL_URL="console://",
    )


# version and unknown commands


def test_version_prints_cairns_version_not_djangos(tmp_path):
    result = run_cairn("version", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"cairn {__version__}"


def test_python_dash_m_cairn_dash_dash_version_prints_cairns_version(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "cairn", "--version"],
        capture_output=True,
        text=True,
        env=cairn_env(tmp_path),
        timeout=120,
        check=False,
    )
    assert result.stdout.strip() == f"cairn {__version__}"


def test_an_unknown_command_is_a_clear_error(tmp_path):
    result = run_cairn("frobnicate", data_dir=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "Unknown command: 'frobnicate'" in result.stderr
    assert "cairn help" in result.stderr


def test_the_settings_are_preset(tmp_path):
    # Works from any directory without DJANGO_SETTINGS_MODULE: Cairn's own commands are found.
    result = run_cairn("help", data_dir=tmp_path)
    assert result.returncode == 0
    assert "createuser" in result.stdout
    assert "worker" in result.stdout


# createuser


def test_createuser_reads_the_password_from_stdin(migrated):
    result = createuser(migrated, "New.Person@Example.org", STRONG_PASSWORD, "--name", "Nia")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Created new.person@example.org."
    code = (
        "import django; django.setup()\n"
        "from django.contrib.auth import authenticate\n"
        f"user = authenticate(username='new.person@example.org', password={STRONG_PASSWORD!r})\n"
        "print(user.email, user.display_name, user.password.split('$')[0])"
    )
    result = run_python(code, data_dir=migrated)
    assert result.stdout.split() == ["new.person@example.org", "Nia", "argon2"], result.stderr


def test_createuser_refuses_a_duplicate_in_one_line(migrated):
    createuser(migrated, "twice@example.org")
    result = createuser(migrated, "TWICE@example.org")
    line = one_line_error(result)
    assert "already exists" in line
    assert emails_in(migrated).count("twice@example.org") == 1


def test_createuser_refuses_a_weak_password_clearly(migrated):
    result = createuser(migrated, "weak@example.org", "123")
    line = one_line_error(result)
    assert "Password refused" in line
    assert "too short" in line
    assert "weak@example.org" not in emails_in(migrated)


def test_createuser_refuses_a_malformed_email(migrated):
    line = one_line_error(createuser(migrated, "not-an-email"))
    assert "email" in line.lower()


def test_createuser_refuses_an_unknown_time_zone(migrated):
    line = one_line_error(
        createuser(migrated, "tz@example.org", STRONG_PASSWORD, "--time-zone", "Mars/Olympus")
    )
    assert "time_zone" in line
    assert "tz@example.org" not in emails_in(migrated)


def test_createuser_without_a_terminal_asks_for_password_stdin(migrated):
    result = run_cairn(
        "createuser", "notty@example.org", data_dir=migrated, CAIRN_EMAIL_URL="console://"
    )
    assert "--password-stdin" in one_line_error(result)


# errors are one line, never a traceback


def test_an_unmigrated_database_is_one_line_that_says_to_migrate(tmp_path):
    line = one_line_error(createuser(tmp_path, "early@example.org"))
    assert line.startswith("cairn: database error")
    assert "cairn migrate" in line


def test_traceback_flag_still_shows_the_traceback(tmp_path):
    result = createuser(tmp_path, "early@example.org", STRONG_PASSWORD, "--traceback")
    assert "Traceback" in result.stderr


# acting for a user


def test_acting_for_the_only_account(owner):
    assert UserCommand().get_user(None) == owner


def test_several_accounts_without_user_is_a_clear_error(owner, stranger):
    with pytest.raises(CommandError, match="several accounts: choose one with --user EMAIL"):
        UserCommand().get_user(None)


def test_user_chooses_among_several_accounts_in_any_case(owner, stranger):
    assert UserCommand().get_user(" Stranger@Example.com ") == stranger


def test_an_unknown_user_is_a_clear_error(owner):
    with pytest.raises(
        CommandError, match=re.escape("No account with the email 'nobody@example.com'")
    ):
        UserCommand().get_user("nobody@example.com")


def test_no_account_yet_says_how_to_create_one(db):
    with pytest.raises(CommandError, match="cairn createuser"):
        UserCommand().get_user(None)


def test_a_command_for_a_user_refuses_to_guess_among_several_accounts(migrated):
    if "find" not in user_commands():
        pytest.skip("no `cairn find` command")
    code = (
        "import django; django.setup()\n"
        "from cairn.accounts.models import User\n"
        "for email in ('first@example.org', 'second@example.org'):\n"
        "    User.objects.filter(email=email).exists() or User.objects.create_user(email, None)\n"
    )
    assert run_python(code, data_dir=migrated).returncode == 0
    line = one_line_error(run_cairn("find", "anyone", data_dir=migrated))
    assert "several accounts" in line
    assert "--user EMAIL" in line


def user_commands() -> list[str]:
    return sorted(
        name
        for name, app in get_commands().items()
        if app.startswith("cairn") and isinstance(load_command_class(app, name), UserCommand)
    )


@pytest.mark.parametrize("name", user_commands() or ["(none yet)"])
def test_every_command_acting_for_a_user_takes_dash_dash_user(name):
    if name == "(none yet)":
        pytest.skip("no command acts for a user yet")
    app = get_commands()[name]
    parser = load_command_class(app, name).create_parser("cairn", name)
    assert any("--user" in action.option_strings for action in parser._actions)
