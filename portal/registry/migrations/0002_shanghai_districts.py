from django.db import migrations

from portal.registry.districts import SHANGHAI_DISTRICTS


def add_districts(apps, schema_editor):
    District = apps.get_model("registry", "District")
    for code, name, name_zh_hant, name_en in SHANGHAI_DISTRICTS:
        District.objects.update_or_create(
            code=code, defaults={"name": name, "name_zh_hant": name_zh_hant, "name_en": name_en}
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(add_districts, migrations.RunPython.noop)]
