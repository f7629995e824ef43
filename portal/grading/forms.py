"""Admin form of a grading scheme: a version graded against is frozen except for its status."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm


class SchemeForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.submissions.exists():
            changed = set(self.changed_data) - {"status"}
            formsets_changed = any(f.has_changed() for f in self.formsets.values())
            if changed or formsets_changed:
                raise ValidationError(
                    _(
                        "Grades were submitted under this version: only its status may change. "
                        "Create a new version for other changes."
                    ),
                    code="scheme_frozen",
                )
        return cleaned
