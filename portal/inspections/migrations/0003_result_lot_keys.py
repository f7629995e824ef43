"""The comparison keys of each result's lot, indexed, so that /trace/ finds a batch number with
one comparison instead of a regular expression over every result (docs/traceability.md)."""

from django.db import migrations, models

from portal.inspections.lots import lot_key

CHUNK = 500


def fill_keys(apps, schema_editor):
    Result = apps.get_model("inspections", "SpotCheckResult")
    rows = Result.objects.exclude(lot_raw="", lot_number="").only("lot_raw", "lot_number")
    chunk = []
    for result in rows.iterator(chunk_size=CHUNK):
        result.lot_raw_key = lot_key(result.lot_raw)[:200]
        result.lot_number_key = lot_key(result.lot_number)[:100]
        chunk.append(result)
        if len(chunk) == CHUNK:
            Result.objects.bulk_update(chunk, ["lot_raw_key", "lot_number_key"])
            chunk = []
    Result.objects.bulk_update(chunk, ["lot_raw_key", "lot_number_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0002_result_source_serial_published_values"),
    ]

    operations = [
        migrations.AddField(
            model_name="spotcheckresult",
            name="lot_number_key",
            field=models.CharField(blank=True, editable=False, max_length=100),
        ),
        migrations.AddField(
            model_name="spotcheckresult",
            name="lot_raw_key",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=True),
        # After the fill, so that it does not update the indexes row by row.
        migrations.AddIndex(
            model_name="spotcheckresult",
            index=models.Index(fields=["lot_raw_key"], name="result_lot_raw_key"),
        ),
        migrations.AddIndex(
            model_name="spotcheckresult",
            index=models.Index(fields=["lot_number_key"], name="result_lot_number_key"),
        ),
    ]
