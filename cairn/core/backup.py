"""Whole-database backup and restore: SQLite's online backup API, or pg_dump and pg_restore.

A backup is written beside its destination under a temporary name and renamed into place, so
a file at the destination is always a complete backup. A restore checks the file first (that
it is a sound Cairn database from this version or an older one), refuses to replace a database
that holds accounts unless forced, and migrates the result so an older backup is brought up
to date.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from cairn.core.errors import DomainError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_ARCHIVE_MAGIC = b"PGDMP"
VENDORS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
A_VENDOR = {"sqlite": "an SQLite", "postgresql": "a PostgreSQL"}
CAIRN_APPS = {"core", "accounts"}  # present from the first migration on

# libpq reads these from the environment; never put a password on a command line, where
# other users of the machine could read it in the process list.
PG_ENVIRONMENT = {
    "PASSWORD": "PGPASSWORD",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
}


def database_backup(*, path: Path, force: bool = False, using: str = DEFAULT_DB_ALIAS) -> str:
    """Write a consistent copy of the whole database to `path`; returns what was done."""
    path = Path(path).expanduser()
    connection = connections[using]
    _vendor(connection)
    if path.is_dir():
        raise DomainError(f"{path} is a folder: give the name of the backup file to write.")
    if not path.parent.is_dir():
        raise DomainError(f"The folder {path.parent} does not exist.")
    if path.exists() and not force:
        raise DomainError(f"{path} already exists: choose another name, or add --force.")
    with _partial_file_beside(path) as partial:
        if connection.vendor == "sqlite":
            _sqlite_backup(connection, partial)
        else:
            _pg_dump(connection, partial)
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, path)
    size = path.stat().st_size
    return f"Backed up {describe(connection)} to {path} ({_human_size(size)})."


def database_restore(
    *, path: Path, force: bool = False, using: str = DEFAULT_DB_ALIAS
) -> list[str]:
    """Replace the whole database with the backup at `path`, then migrate it; returns what
    was done, one line per step."""
    path = Path(path).expanduser()
    connection = connections[using]
    vendor = _vendor(connection)
    kind = backup_kind(path)
    if kind != vendor:
        raise DomainError(
            f"{path} is a backup of {A_VENDOR[kind]} database, but this Cairn uses "
            f"{VENDORS[vendor]}: restore it into an installation that uses {VENDORS[kind]}."
        )
    if connection.in_atomic_block:
        raise DomainError("A restore cannot run inside a database transaction.")
    applied = _inspect_sqlite_backup(path) if kind == "sqlite" else _inspect_pg_archive(path)
    unknown = _unknown_migrations(applied)
    if unknown:
        listed = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise DomainError(
            f"{path} comes from a newer Cairn (migrations unknown here: {listed}); "
            "upgrade Cairn before restoring it."
        )
    accounts = account_count(using=using)
    if accounts and not force:
        raise DomainError(
            f"Refusing to replace {describe(connection)}: it already holds {accounts} "
            "account(s). Add --force to replace everything with the backup."
        )
    done = [f"Checked {path}: a sound Cairn backup ({VENDORS[kind]})."]
    if kind == "sqlite":
        _sqlite_restore(path, connection)
    else:
        _pg_restore(path, connection)
    done.append(f"Replaced the contents of {describe(connection)} with the backup.")
    done.append(_migrate(using))
    return done


def describe(connection: BaseDatabaseWrapper) -> str:
    """The database in words, without its password."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"the SQLite database {settings['NAME']}"
    host = settings.get("HOST") or "the local server"
    return f"the PostgreSQL database {settings['NAME']!r} on {host}"


def backup_kind(path: Path) -> str:
    """'sqlite' or 'postgresql' by the file's first bytes; a DomainError for anything else."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise DomainError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise DomainError(f"{path} is a folder, not a backup file.") from None
    except OSError as error:
        raise DomainError(f"{path} cannot be read: {error.strerror}.") from None
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PG_ARCHIVE_MAGIC):
        return "postgresql"
    raise DomainError(
        f"{path} is not a Cairn backup: it is neither an SQLite database nor a pg_dump archive."
    )


def account_count(*, using: str = DEFAULT_DB_ALIAS) -> int:
    """How many accounts the database holds (none when it has not been migrated yet)."""
    from cairn.accounts.models import User

    connection = connections[using]
    if User._meta.db_table not in connection.introspection.table_names():
        return 0
    return User.objects.using(using).count()


def _vendor(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in VENDORS:
        raise DomainError(f"Backups of {connection.vendor} databases are not supported.")
    return connection.vendor


@contextmanager
def _partial_file_beside(path: Path) -> Iterator[Path]:
    """A private temporary file in the destination's folder (so the final rename is atomic),
    removed if the backup fails."""
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(descriptor)
    partial = Path(name)
    try:
        yield partial
    finally:
        partial.unlink(missing_ok=True)


def _human_size(size: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def _migrate(using: str) -> str:
    executor = MigrationExecutor(connections[using])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    try:
        call_command("migrate", database=using, interactive=False, verbosity=0)
    except Exception as error:  # the restore itself is done: say so, and what is left to do
        raise DomainError(
            f"The backup was restored, but migrating it failed ({type(error).__name__}: "
            f"{' '.join(str(error).split())}); fix the cause and run `cairn migrate`."
        ) from None
    if not pending:
        return "The backup was up to date: no migration needed."
    return f"Applied {len(pending)} migration(s) to bring the backup up to date."


def _unknown_migrations(applied: set[tuple[str, str]]) -> list[str]:
    """Migrations recorded in a backup that this version of Cairn does not have."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)  # squashed away, but once applied under that name
    return sorted(f"{app}.{name}" for app, name in applied - known)


# SQLite ---------------------------------------------------------------------------------------


def _sqlite_backup(connection: BaseDatabaseWrapper, target: Path) -> None:
    connection.ensure_connection()
    try:
        with closing(sqlite3.connect(target)) as copy:
            connection.connection.backup(copy)
            # One self-contained file, whatever journal mode the live database uses.
            copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        raise DomainError(f"The backup failed: {error}.") from None


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _inspect_sqlite_backup(path: Path) -> set[tuple[str, str]]:
    """Check that `path` is a sound SQLite database of Cairn; return its applied migrations."""
    try:
        with closing(_read_only(path)) as backup:
            verdict = [row[0] for row in backup.execute("PRAGMA integrity_check")]
            if verdict != ["ok"]:
                raise DomainError(
                    f"{path} is damaged: SQLite's integrity check says {verdict[0]!r}."
                )
            has_migrations = backup.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
            if not has_migrations:
                raise DomainError(
                    f"{path} is an SQLite database but not a Cairn backup "
                    "(it has no django_migrations table)."
                )
            applied = set(backup.execute("SELECT app, name FROM django_migrations"))
    except sqlite3.Error as error:
        raise DomainError(f"{path} cannot be read as an SQLite database: {error}.") from None
    if not {app for app, _ in applied} & CAIRN_APPS:
        raise DomainError(f"{path} is a Django database, but not Cairn's.")
    return applied


def _sqlite_restore(path: Path, connection: BaseDatabaseWrapper) -> None:
    # Copying into the live connection with the backup API replaces the whole database in one
    # transaction, works for the WAL-mode file and for an in-memory test database alike, and
    # other connections simply see the new contents once it is done.
    connection.ensure_connection()
    try:
        with closing(_read_only(path)) as backup:
            backup.backup(connection.connection)
    except sqlite3.Error as error:
        raise DomainError(f"The restore failed, nothing was changed: {error}.") from None


# PostgreSQL -----------------------------------------------------------------------------------


def postgres_tool(name: str) -> str:
    """The path of a PostgreSQL client program, or a DomainError that says how to get it."""
    found = shutil.which(name)
    if not found:
        raise DomainError(
            f"{name} was not found: install the PostgreSQL client programs matching the server's "
            "version (Debian: apt install postgresql-client) or put them on the PATH."
        )
    return found


def postgres_invocation(
    program: str, settings: Mapping[str, Any], *arguments: str
) -> tuple[list[str], dict[str, str]]:
    """The command line and environment to run a PostgreSQL client on Django's database."""
    command = [program, "--no-password"]
    if settings.get("HOST"):
        command.append(f"--host={settings['HOST']}")
    if settings.get("PORT"):
        command.append(f"--port={settings['PORT']}")
    if settings.get("USER"):
        command.append(f"--username={settings['USER']}")
    command.append(f"--dbname={settings['NAME']}")
    command.extend(arguments)
    environment = dict(os.environ)
    options = {**settings.get("OPTIONS", {}), "PASSWORD": settings.get("PASSWORD")}
    for key, variable in PG_ENVIRONMENT.items():
        if options.get(key):
            environment[variable] = str(options[key])
    return command, environment


def _run(command: list[str], environment: dict[str, str] | None = None) -> str:
    program = Path(command[0]).name
    try:
        finished = subprocess.run(  # noqa: S603 (no shell; arguments are ours)
            command, env=environment, capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise DomainError(f"{program} could not be run: {error.strerror}.") from None
    if finished.returncode != 0:
        lines = [line.strip() for line in finished.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if "error:" in line or "FATAL" in line]
        reason = (errors or lines or [f"exit code {finished.returncode}"])[0]
        raise DomainError(f"{program} failed: {reason}")
    return finished.stdout


def _pg_dump(connection: BaseDatabaseWrapper, target: Path) -> None:
    command, environment = postgres_invocation(
        postgres_tool("pg_dump"), connection.settings_dict, "--format=custom", f"--file={target}"
    )
    _run(command, environment)


# A table of contents line of `pg_restore --list`: "216; 1259 16389 TABLE public name owner".
_TOC_TABLE = re.compile(r"^\d+;\s+\d+\s+\d+\s+TABLE\s+(?!DATA\s)(\S+)\s+(\S+)\s")


def _inspect_pg_archive(path: Path) -> set[tuple[str, str]]:
    """Check that `path` is a pg_dump archive of Cairn; return its applied migrations."""
    pg_restore = postgres_tool("pg_restore")
    listing = _run([pg_restore, "--list", str(path)])
    tables = {match[2] for line in listing.splitlines() if (match := _TOC_TABLE.match(line))}
    if "django_migrations" not in tables:
        raise DomainError(
            f"{path} is a PostgreSQL archive but not a Cairn backup "
            "(it has no django_migrations table)."
        )
    script = _run([pg_restore, "--data-only", "--table=django_migrations", "--file=-", str(path)])
    applied = {(app, name) for app, name in _copied_rows(script, ("app", "name"))}
    if not {app for app, _ in applied} & CAIRN_APPS:
        raise DomainError(f"{path} is a Django database, but not Cairn's.")
    return applied


def _copied_rows(script: str, columns: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """The chosen columns of the rows in the COPY block of a plain-text dump."""
    lines = iter(script.splitlines())
    for line in lines:
        header = re.match(r"COPY \S+ \((.*)\) FROM stdin;$", line)
        if header:
            names = [name.strip().strip('"') for name in header[1].split(",")]
            positions = [names.index(column) for column in columns]
            for row in lines:
                if row == "\\.":
                    return
                values = row.split("\t")
                yield tuple(values[position] for position in positions)


# Everything in the current schema that is not part of an extension: tables, views and free
# sequences, then functions and procedures, then enum, domain, range and composite types.
_SCHEMA_OBJECTS = """
    SELECT kind, name FROM (
        SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                    WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
               c.oid::regclass::text, 1
        FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace
          AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND NOT EXISTS (
              SELECT 1 FROM pg_depend d
              WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                AND d.deptype IN ('e', 'a', 'i'))
        UNION ALL
        SELECT 'ROUTINE', p.oid::regprocedure::text, 2
        FROM pg_proc p
        WHERE p.pronamespace = current_schema()::regnamespace AND p.prokind IN ('f', 'p')
          AND NOT EXISTS (
              SELECT 1 FROM pg_depend d
              WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
        UNION ALL
        SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.oid::regtype::text, 3
        FROM pg_type t
        WHERE t.typnamespace = current_schema()::regnamespace
          AND (t.typtype IN ('e', 'd', 'r')
               OR (t.typtype = 'c'
                   AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
          AND NOT EXISTS (
              SELECT 1 FROM pg_depend d
              WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
    ) AS objects (kind, name, rank)
    ORDER BY rank, name
"""


def _pg_restore(path: Path, connection: BaseDatabaseWrapper) -> None:
    """Empty the schema and load the archive in one transaction: all of it, or nothing.

    `pg_restore --clean` only drops what the archive holds, so objects made by migrations newer
    than the backup (tables, functions, triggers) would survive and then clash when those
    migrations run again. pg_restore therefore writes its script to a file, and psql runs it
    after dropping everything, inside one transaction.
    """
    pg_restore, psql = postgres_tool("pg_restore"), postgres_tool("psql")
    with connection.cursor() as cursor:
        cursor.execute(_SCHEMA_OBJECTS)
        drops = [f"DROP {kind} IF EXISTS {name} CASCADE;" for kind, name in cursor.fetchall()]
    with tempfile.TemporaryDirectory(prefix="cairn-restore-") as folder:
        script = Path(folder) / "restore.sql"
        _run([pg_restore, "--clean", "--if-exists", "--no-owner", f"--file={script}", str(path)])
        command, environment = postgres_invocation(
            psql,
            connection.settings_dict,
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            f"--command={' '.join(drops) or 'SELECT 1;'}",
            f"--file={script}",
        )
        _run(command, environment)
