"""Triage in the Wagtail admin: a listing with filters, the triage page, the photo view."""

from __future__ import annotations

import django_filters
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from portal.core import subject_access
from portal.core.permissions import PermittedMenuItem
from portal.registry.scoping import DistrictScopedViewSet

from . import personal_data, views
from .forms import TriageForm
from .models import ConsumerReport
from .panels import ReportDetailsPanel
from .permissions import policy
from .subject_access_views import SubjectAccessView

# Before the viewset is registered: it would otherwise create the default policy.
register_permission_policy(ConsumerReport, policy)


def handlers(request):
    return policy.users_with_permission("change").order_by("username")


class ReportFilterSet(WagtailFilterSet):
    assigned_to = django_filters.ModelChoiceFilter(queryset=handlers, label=_("assigned to"))

    class Meta:
        model = ConsumerReport
        fields = ["status", "problem", "district", "assigned_to"]


class ConsumerReportViewSet(DistrictScopedViewSet):
    """District editors see their district's reports (by where the product was bought, or
    the matched enterprise's district); reports without a district are for city editors."""

    model = ConsumerReport
    icon = "mail"
    menu_label = _("Consumer reports")
    menu_order = 230
    add_to_admin_menu = True
    list_display = [
        "__str__",
        "status",
        "problem",
        "masked_contact",
        "district",
        "assigned_to",
        "created_at",
    ]
    filterset_class = ReportFilterSet
    # Never the contact fields: a search would tell who reported what without the permission.
    search_fields = ["product_text", "enterprise_text", "gtin", "description", "purchase_place"]
    inspect_view_fields = [
        "product_text",
        "gtin",
        "enterprise_text",
        "problem",
        "description",
        "purchased_on",
        "purchase_place",
        "district",
        "product",
        "enterprise",
        "status",
        "assigned_to",
        "public_answer",
        "internal_notes",
        "warning",
        "created_at",
    ]
    edit_handler = ObjectList(
        [
            ReportDetailsPanel(heading=_("The report")),
            MultiFieldPanel([FieldPanel("status"), FieldPanel("assigned_to")], heading=_("Triage")),
            FieldPanel("public_answer"),
            FieldPanel("internal_notes"),
            MultiFieldPanel(
                [
                    FieldPanel("warning"),
                    FieldPanel("product"),
                    FieldPanel("enterprise"),
                    FieldPanel("district"),
                ],
                heading=_("Links"),
            ),
        ],
        base_form_class=TriageForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("district", "assigned_to")


register_snippet(ConsumerReportViewSet)


@hooks.register("register_admin_urls")
def report_admin_urls():
    return [
        path("consumer-reports/photos/<int:pk>/", views.photo, name="reports_photo"),
        path("personal-data/", SubjectAccessView.as_view(), name="personal_data_requests"),
    ]


@hooks.register(subject_access.HOLDER_HOOK)
def personal_data_holder():
    return personal_data.holder()


@hooks.register("register_settings_menu_item")
def personal_data_menu_item():
    return PermittedMenuItem(
        _("Personal data requests"),
        reverse("personal_data_requests"),
        icon_name="user",
        order=900,
        permission=subject_access.PERMISSION,
    )
