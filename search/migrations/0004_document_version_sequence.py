"""The sequence that numbers lookup documents' external versions (`search.indexing.next_version`,
decision 0010).

It starts far above the internal versions (1, 2, 3 … per write) of documents in an index built
before versioning, so that the first versioned write replaces them. SQLite has no sequences;
`next_version` uses the clock there.
"""

from django.db import migrations

SEQUENCE = "search_document_version"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE} START WITH 1000000000")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_load_synonyms")]

    operations = [migrations.RunPython(create, drop)]
