"""Search documents keyed by (owner, kind, object) packed into one integer.

    id = owner_id << 40 | kind code << 32 | object_id

so that one owner's documents of one kind are one contiguous range of ids. A query then asks
the full-text index itself for matches inside that range (FTS5 seeks rowid ranges; PostgreSQL
scans the primary key range), instead of finding every owner's matches and filtering them
afterwards: the cost of a search no longer grows with everyone else's data. The documents
indexed so far are carried over (kind codes as registered in cairn.network.search).

SQLite also gets prefix indexes for the first one to eight letters of every word: a prefix
query then reads one list instead of merging the lists of every word it could begin.
"""

from django.conf import settings
from django.db import migrations

CODES = {"person": 1, "organisation": 2, "interaction": 3}
KNOWN = ", ".join(f"'{name}'" for name in CODES)
CODE = " ".join(f"WHEN '{name}' THEN {code}" for name, code in CODES.items())
NEW_KEY = f"(owner_id << 40) | (CAST(CASE kind {CODE} END AS bigint) << 32) | object_id"

SQLITE = [
    "DROP TRIGGER core_searchdocument_ad",
    "DROP TRIGGER core_searchdocument_au",
    "DROP TABLE core_search_fts",
    "ALTER TABLE core_searchdocument RENAME TO core_searchdocument_old",
    """CREATE TABLE core_searchdocument (
        id INTEGER PRIMARY KEY,
        owner_id bigint NOT NULL REFERENCES {users} (id) ON DELETE CASCADE,
        kind varchar(40) NOT NULL,
        object_id bigint NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        data text NOT NULL DEFAULT '{{}}'
    )""",
    "CREATE INDEX core_searchdocument_owner ON core_searchdocument (owner_id)",
    f"""INSERT INTO core_searchdocument (id, owner_id, kind, object_id, title, body, data)
        SELECT {NEW_KEY}, owner_id, kind, object_id, title, body, data
        FROM core_searchdocument_old WHERE kind IN ({KNOWN})""",
    "DROP TABLE core_searchdocument_old",
    """CREATE VIRTUAL TABLE core_search_fts USING fts5(
        title, body,
        content='core_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3 4 5 6 7 8'
    )""",
    """CREATE TRIGGER core_searchdocument_ad AFTER DELETE ON core_searchdocument BEGIN
        INSERT INTO core_search_fts (core_search_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER core_searchdocument_au AFTER UPDATE ON core_searchdocument BEGIN
        INSERT INTO core_search_fts (core_search_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO core_search_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    "INSERT INTO core_search_fts (core_search_fts) VALUES ('rebuild')",
]

POSTGRESQL = [
    "DROP INDEX core_searchdocument_key",
    "ALTER TABLE core_searchdocument ALTER COLUMN id DROP IDENTITY",
    f"DELETE FROM core_searchdocument WHERE kind NOT IN ({KNOWN})",
    f"UPDATE core_searchdocument SET id = {NEW_KEY}",
    """CREATE OR REPLACE FUNCTION core_search_forget_owner() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM core_searchdocument
        WHERE id BETWEEN OLD.id << 40 AND ((OLD.id + 1) << 40) - 1;
        RETURN OLD;
    END
    $$""",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor)
    if statements is None:
        raise RuntimeError(f"Full-text search does not support the {vendor} database.")
    users = apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table
    quoted = schema_editor.connection.ops.quote_name(users)
    for statement in statements:
        schema_editor.execute(statement.format(users=quoted), params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_search")]

    # Going back leaves the index as it is: run `cairn reindex` after migrating backwards.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
