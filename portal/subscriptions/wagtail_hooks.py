"""Subscriptions in the Wagtail admin, read-only: who follows what, and the alerts counts.

Addresses are masked (w***@example.org) unless the editor has `view_email_address`; nobody
adds or edits a subscription in the admin, as only the subscriber can confirm one. Deleting
one (a request to erase an address) is allowed to those with the delete permission.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.core import subject_access

from . import personal_data
from .models import Subscription


class ReadOnlyPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action not in ("add", "change") and super().user_has_permission(user, action)


register_permission_policy(Subscription, ReadOnlyPolicy(Subscription))


class EmailColumn(Column):
    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        if not (request and request.user.has_perm("subscriptions.view_email_address")):
            context["value"] = instance.masked_email
        return context


class SubscriptionViewSet(SnippetViewSet):
    model = Subscription
    icon = "mail"
    menu_label = _("Email alerts")
    menu_order = 240
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_display = [
        "__str__",
        EmailColumn("email", label=_("email")),
        "frequency",
        "language",
        "confirmed_at",
        Column("alerts_waiting", label=_("alerts waiting")),
        Column("alerts_sent", label=_("alerts sent")),
    ]
    list_filter = ["target", "frequency", "language"]
    inspect_view_fields = ["target", "frequency", "language", "created_at", "confirmed_at"]

    def get_queryset(self, request):
        return (
            Subscription.objects.select_related("category", "district", "enterprise")
            .annotate(
                alerts_waiting=Count("alerts", filter=Q(alerts__sent_at__isnull=True)),
                alerts_sent=Count("alerts", filter=Q(alerts__sent_at__isnull=False)),
            )
            .order_by("-created_at")
        )


register_snippet(SubscriptionViewSet)


@hooks.register(subject_access.HOLDER_HOOK)
def personal_data_holder():
    return personal_data.holder()
