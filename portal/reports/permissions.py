"""Who may do what with consumer reports in the admin.

Model permissions as usual (view, change = triage, delete), plus `view_contact_details`.
"add" is refused to everyone, superusers too: a report comes from a citizen through the
public form, with its private link, never from an editor's keyboard.
"""

from __future__ import annotations

from wagtail.permission_policies import ModelPermissionPolicy

from .models import ConsumerReport


class ReportPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


policy = ReportPermissionPolicy(ConsumerReport)
