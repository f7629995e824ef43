"""The read-only part of the triage page: what the citizen sent."""

from __future__ import annotations

from wagtail.admin.panels import Panel

from .models import CONTACT_PERMISSION


class ReportDetailsPanel(Panel):
    """The report as the citizen wrote it, its photos and its history. Editors answer a
    report but never rewrite it; contact details appear in full only to holders of the
    contact permission, masked to everyone else."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "reports/admin/details_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            report = self.instance
            context.update(
                report=report,
                photos=report.photos.all(),
                history=report.status_changes.select_related("changed_by"),
                show_contact=self.request.user.has_perm(CONTACT_PERMISSION),
            )
            return context
