"""`cairn backup` and `cairn restore`: round trips, refusals, and clear one-line errors."""

import os
import sqlite3
import uuid
from contextlib import contextmanager
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from cairn.accounts.models import ApiToken, User, hash_token
from cairn.accounts.services import api_token_create
from cairn.core.backup import postgres_invocation, postgres_tool
from cairn.core.errors import DomainError
from cairn.core.tests.processes import query, run_cairn
from cairn.testing import PASSWORD, make_user

ON_SQLITE = connection.vendor == "sqlite"
ON_POSTGRES = connection.vendor == "postgresql"
sqlite_only = pytest.mark.skipif(
    not ON_SQLITE, reason="inspects SQLite backup files; this run uses PostgreSQL"
)

pytestmark = pytest.mark.django_db(transaction=True)


def backup(path, *args):
    out = StringIO()
    call_command("backup", str(path), *args, stdout=out)
    return out.getvalue()


def restore(path, *args):
    out = StringIO()
    call_command("restore", str(path), *args, stdout=out)
    return out.getvalue()


def refusal(command, path, *args) -> str:
    with pytest.raises(CommandError) as error:
        call_command(command, str(path), *args, stdout=StringIO())
    message = str(error.value)
    assert "\n" not in message
    return message


def emails():
    return set(User.objects.values_list("email", flat=True))


class TestRoundTrip:
    def test_a_backup_brings_back_every_account_and_token(self, tmp_path, owner, stranger):
        token, secret = api_token_create(user=owner, name="laptop", read_only=True)
        path = tmp_path / "cairn.backup"
        assert "Backed up" in backup(path)

        owner_pk = owner.pk
        make_user("late@example.com")
        owner.delete()
        restore(path, "--force")

        assert emails() == {owner.email, stranger.email}
        restored = User.objects.get(email=owner.email)
        assert restored.pk == owner_pk
        assert restored.check_password(PASSWORD)
        assert (restored.display_name, restored.time_zone) == ("Olive Owner", "Europe/Paris")
        token = ApiToken.objects.get(owner=restored)
        assert (token.name, token.read_only, token.digest) == ("laptop", True, hash_token(secret))

    def test_restore_says_what_it_did(self, tmp_path, owner):
        path = tmp_path / "cairn.backup"
        backup(path)
        lines = restore(path, "--force").splitlines()
        assert lines[0].startswith(f"Checked {path}: a sound Cairn backup")
        assert lines[-2].startswith("Replaced the contents of the")
        assert lines[-1] == "The backup was up to date: no migration needed."

    def test_an_empty_database_takes_a_backup_without_force(self, tmp_path, owner):
        path = tmp_path / "cairn.backup"
        backup(path)
        User.objects.all().delete()
        restore(path)
        assert emails() == {owner.email}

    def test_new_accounts_can_be_made_after_a_restore(self, tmp_path, owner):
        path = tmp_path / "cairn.backup"
        backup(path)
        restore(path, "--force")
        assert make_user("next@example.com").pk > owner.pk  # sequences came back too


class TestRefusals:
    def test_restore_refuses_a_database_that_holds_accounts(self, tmp_path, owner):
        path = tmp_path / "cairn.backup"
        backup(path)
        make_user("late@example.com")
        message = refusal("restore", path)
        assert message.startswith("Refusing to replace the ")
        assert "it already holds 2 account(s). Add --force" in message
        assert emails() == {owner.email, "late@example.com"}

    def test_backup_refuses_to_overwrite_a_file(self, tmp_path, owner):
        path = tmp_path / "cairn.backup"
        path.write_text("precious")
        message = refusal("backup", path)
        assert message == f"{path} already exists: choose another name, or add --force."
        assert path.read_text() == "precious"

    def test_backup_overwrites_with_force(self, tmp_path, owner):
        path = tmp_path / "cairn.backup"
        path.write_text("old")
        backup(path, "--force")
        User.objects.all().delete()
        restore(path)
        assert emails() == {owner.email}

    def test_a_backup_is_private_and_leaves_no_partial_file(self, tmp_path, owner):
        path = tmp_path / "cairn.backup"
        backup(path)
        assert os.stat(path).st_mode & 0o777 == 0o600  # it holds password hashes
        assert list(tmp_path.iterdir()) == [path]

    def test_backup_into_a_missing_folder(self, tmp_path):
        path = tmp_path / "nowhere" / "cairn.backup"
        assert refusal("backup", path) == f"The folder {path.parent} does not exist."

    def test_backup_onto_a_folder(self, tmp_path):
        assert refusal("backup", tmp_path).startswith(f"{tmp_path} is a folder")

    def test_restore_of_a_missing_file(self, tmp_path):
        path = tmp_path / "missing.backup"
        assert refusal("restore", path) == f"{path} does not exist."

    def test_restore_rejects_a_file_that_is_not_a_backup(self, tmp_path, owner):
        path = tmp_path / "notes.txt"
        path.write_text("SQLite is nice\n")
        assert refusal("restore", path, "--force") == (
            f"{path} is not a Cairn backup: it is neither an SQLite database nor a pg_dump archive."
        )
        assert emails() == {owner.email}

    def test_restore_rejects_a_backup_of_the_other_kind_of_database(self, tmp_path, owner):
        path = tmp_path / "other.backup"
        if ON_SQLITE:
            path.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(64))
            expected = "is a backup of a PostgreSQL database, but this Cairn uses SQLite"
        else:
            with sqlite3.connect(path) as db:
                db.execute("CREATE TABLE django_migrations (app, name)")
            expected = "is a backup of an SQLite database, but this Cairn uses PostgreSQL"
        assert expected in refusal("restore", path, "--force")
        assert emails() == {owner.email}

    def test_a_backup_from_a_newer_cairn_is_refused(self, tmp_path, owner):
        recorder = MigrationRecorder(connection)
        recorder.record_applied("core", "9999_from_the_future")
        try:
            path = tmp_path / "cairn.backup"
            backup(path)
        finally:
            recorder.record_unapplied("core", "9999_from_the_future")
        message = refusal("restore", path, "--force")
        assert message == (
            f"{path} comes from a newer Cairn (migrations unknown here: "
            "core.9999_from_the_future); upgrade Cairn before restoring it."
        )


@sqlite_only
class TestSQLiteFiles:
    def test_a_database_without_migrations_is_not_a_cairn_backup(self, tmp_path):
        path = tmp_path / "other.sqlite3"
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE notes (body TEXT)")
        assert refusal("restore", path) == (
            f"{path} is an SQLite database but not a Cairn backup "
            "(it has no django_migrations table)."
        )

    def test_another_django_projects_database_is_not_a_cairn_backup(self, tmp_path):
        path = tmp_path / "blog.sqlite3"
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE django_migrations (app TEXT, name TEXT)")
            db.execute("INSERT INTO django_migrations VALUES ('blog', '0001_initial')")
        assert refusal("restore", path) == f"{path} is a Django database, but not Cairn's."

    def test_a_damaged_backup_is_refused_and_nothing_changes(self, tmp_path, owner):
        path = tmp_path / "cairn.backup"
        backup(path)
        data = bytearray(path.read_bytes())
        page = 4096
        data[page : page * 6] = b"\xff" * (page * 5)  # wreck a few pages after the header
        path.write_bytes(bytes(data))
        make_user("late@example.com")
        message = refusal("restore", path, "--force")
        assert message.startswith(f"{path} ")
        assert "damaged" in message or "cannot be read as an SQLite database" in message
        assert emails() == {owner.email, "late@example.com"}

    def test_the_backup_is_a_self_contained_file(self, tmp_path, owner):
        path = tmp_path / "cairn.backup"
        backup(path)
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert db.execute("SELECT email FROM accounts_user").fetchall() == [(owner.email,)]


class TestPostgresTools:
    """How pg_dump and pg_restore are invoked (no server needed)."""

    settings = {
        "NAME": "cairn",
        "USER": "cairn",
        "PASSWORD": "s3cret-pass",
        "HOST": "db.example.org",
        "PORT": 5433,
        "OPTIONS": {"sslmode": "require"},
    }

    def test_the_password_travels_in_the_environment_never_on_the_command_line(self):
        command, environment = postgres_invocation("pg_dump", self.settings, "--format=custom")
        assert command == [
            "pg_dump",
            "--no-password",
            "--host=db.example.org",
            "--port=5433",
            "--username=cairn",
            "--dbname=cairn",
            "--format=custom",
        ]
        assert not any("s3cret-pass" in part for part in command)
        assert environment["PGPASSWORD"] == "s3cret-pass"
        assert environment["PGSSLMODE"] == "require"

    def test_a_local_socket_needs_no_host_or_port(self, monkeypatch):
        monkeypatch.delenv("PGPASSWORD", raising=False)
        command, environment = postgres_invocation("pg_dump", {"NAME": "cairn", "HOST": ""})
        assert command == ["pg_dump", "--no-password", "--dbname=cairn"]
        assert "PGPASSWORD" not in environment

    def test_a_missing_program_is_a_clear_error(self, monkeypatch, tmp_path):
        monkeypatch.setenv("PATH", str(tmp_path))
        with pytest.raises(DomainError) as error:
            postgres_tool("pg_dump")
        assert error.value.message.startswith("pg_dump was not found: install the PostgreSQL")

    @pytest.mark.skipif(
        not ON_POSTGRES, reason="runs pg_dump against PostgreSQL; this run uses SQLite"
    )
    def test_backup_without_pg_dump_says_so(self, monkeypatch, tmp_path):
        monkeypatch.setenv("PATH", str(tmp_path))
        assert refusal("backup", tmp_path / "x.dump").startswith("pg_dump was not found")


# The commands as an operator runs them, against a database of their own: an SQLite file, or
# a scratch PostgreSQL database created for the test (whichever the suite runs on).


@contextmanager
def scratch_database(tmp_path):
    """Environment for `cairn` processes that use a database of their own."""
    if ON_SQLITE:
        data_dir = tmp_path / "data"
        data_dir.mkdir()
        yield data_dir, {}, lambda sql: query(data_dir / "cairn.sqlite3", sql)
        return
    import psycopg

    settings = connection.settings_dict
    server = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
    }
    name = f"cairn_scratch_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()

    def sql(statement):
        with psycopg.connect(dbname=name, **server) as db:
            return db.execute(statement).fetchall()

    try:
        yield tmp_path, {"DATABASE_URL": url}, sql
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_commands_round_trip_and_migrate_an_older_backup(tmp_path):
    with scratch_database(tmp_path) as (data_dir, env, sql):

        def cairn(*args, input=None):
            finished = run_cairn(
                *args, data_dir=data_dir, input=input, CAIRN_EMAIL_URL="console://", **env
            )
            assert finished.returncode == 0, finished.stderr
            return finished

        def create_user(email):
            cairn("createuser", email, "--password-stdin", input="a long enough passphrase\n")

        def accounts():
            return {email for (email,) in sql("SELECT email FROM accounts_user")}

        # An installation of the first release: only the first accounts migration.
        first_release = tmp_path / "first-release.backup"
        cairn("migrate", "accounts", "0001_initial", "--no-input")
        cairn("backup", str(first_release))

        cairn("migrate", "--no-input")
        create_user("ann@example.com")
        full = tmp_path / "full.backup"
        assert "Backed up" in cairn("backup", str(full)).stdout

        # The old backup replaces everything and is brought up to date by the migrations
        # that came after it (on PostgreSQL, the newer tables are dropped first).
        done = cairn("restore", str(first_release), "--force").stdout
        assert "migration(s) to bring the backup up to date" in done
        assert accounts() == set()

        # An empty database takes the full backup without --force.
        done = cairn("restore", str(full)).stdout
        assert "The backup was up to date: no migration needed." in done
        assert accounts() == {"ann@example.com"}
