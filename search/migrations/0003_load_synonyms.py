"""Load the shipped synonym dictionary (search/data/synonyms.txt) into SynonymGroup.

Idempotent: groups with a term that is already in a group are skipped. Later versions of the
file are loaded with `manage.py load_synonyms`.
"""

from django.db import migrations

from search.synonyms import load_groups, read_dictionary


def load(apps, schema_editor):
    load_groups(apps.get_model("search", "SynonymGroup"), read_dictionary())


class Migration(migrations.Migration):
    dependencies = [("search", "0002_synonymgroup")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
