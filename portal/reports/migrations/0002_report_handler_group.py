"""The "report handler" group: admin access, view and triage reports, see contact details.

Created once; administrators may change its permissions or give them to other groups
(district editors, for instance) afterwards.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "report handler"
PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("reports", "view_consumerreport"),
    ("reports", "change_consumerreport"),
    ("reports", "view_contact_details"),
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the group needs them now.
    reports = apps.get_app_config("reports")
    reports.models_module = True
    create_permissions(reports, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
