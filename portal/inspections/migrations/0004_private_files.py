"""Import uploads and batch source files leave public media: private storage, random names."""

from django.db import migrations, models

import portal.core.storage
import portal.inspections.models


def move_files(apps, schema_editor):
    for model_name, folder in (("ImportJob", "imports"), ("SourceFile", "spotchecks")):
        portal.core.storage.move_into_private_storage(
            apps.get_model("inspections", model_name), folder
        )


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0003_result_lot_keys"),
    ]

    operations = [
        migrations.AlterField(
            model_name="importjob",
            name="file",
            field=models.FileField(
                storage=portal.core.storage.PrivateStorage(),
                upload_to=portal.inspections.models.import_upload_name,
                verbose_name="file",
            ),
        ),
        migrations.AlterField(
            model_name="sourcefile",
            name="file",
            field=models.FileField(
                storage=portal.core.storage.PrivateStorage(),
                upload_to=portal.inspections.models.source_file_name,
                verbose_name="file",
            ),
        ),
        migrations.RunPython(move_files, migrations.RunPython.noop, elidable=True),
    ]
