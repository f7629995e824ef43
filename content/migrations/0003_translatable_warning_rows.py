"""Warning rows (affected products, measures, updates) become translatable with their page,
and a district may have one section per language tree."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

TABLES = ("affectedproduct", "warningmeasure", "warningupdate")


def give_each_row_its_page_locale(apps, schema_editor):
    for name in TABLES:
        model = apps.get_model("content", name)
        for row in model.objects.select_related("page").iterator():
            row.locale_id = row.page.locale_id
            row.translation_key = uuid.uuid4()
            row.save(update_fields=["locale", "translation_key"])


def translatable(name):
    return [
        migrations.AddField(
            model_name=name,
            name="locale",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AddField(
            model_name=name,
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, null=True),
        ),
    ]


def required(name):
    return [
        migrations.AlterField(
            model_name=name,
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name=name,
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterUniqueTogether(name=name, unique_together={("translation_key", "locale")}),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0002_public_pages"),
        ("registry", "0002_shanghai_districts"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        *[op for name in TABLES for op in translatable(name)],
        migrations.RunPython(give_each_row_its_page_locale, migrations.RunPython.noop),
        *[op for name in TABLES for op in required(name)],
        migrations.AlterField(
            model_name="districtpage",
            name="district",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="content_sections",
                to="registry.district",
                verbose_name="district",
            ),
        ),
    ]
