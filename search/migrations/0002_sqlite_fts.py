"""On SQLite: the FTS5 table over the entries' term columns, and its vocabulary.

External content (the entry table holds the text once); triggers keep the
index in step with every insert, update and delete, including Django's
cascades when an article is deleted. The tokenizer only has to split on the
spaces between terms that `arabic.analysis` produced; `remove_diacritics 0`
keeps it from folding Latin letters that PostgreSQL would not fold.
On PostgreSQL this migration does nothing: the `Posting` table is the index.
"""

from django.db import migrations

COLUMNS = "title_terms, standfirst_terms, body_terms, meta_terms"
NEW = "new.title_terms, new.standfirst_terms, new.body_terms, new.meta_terms"
OLD = "old.title_terms, old.standfirst_terms, old.body_terms, old.meta_terms"

CREATE = [
    f"""CREATE VIRTUAL TABLE search_fts USING fts5({COLUMNS},
        content='search_searchentry', content_rowid='page_id',
        tokenize='unicode61 remove_diacritics 0')""",
    "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')",
    f"""CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.page_id, {NEW});
    END""",
    f"""CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) VALUES ('delete', old.page_id, {OLD});
    END""",
    f"""CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) VALUES ('delete', old.page_id, {OLD});
        INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.page_id, {NEW});
    END""",
]
DROP = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts_vocab",
    "DROP TABLE IF EXISTS search_fts",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
