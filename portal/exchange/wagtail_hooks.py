"""Admin: partners as a snippet (model permissions), the review queue as its own view; the
block of partner warnings at the foot of the city's warnings listing."""

from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from content.models import WARNINGS_FOOT_HOOK
from portal.core.permissions import PermittedMenuItem

from . import admin_views
from .models import Partner, PartnerItem

LATEST_WARNINGS = 5


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "globe"
    menu_label = gettext_lazy("Partner regions")
    menu_order = 240
    add_to_admin_menu = True
    list_display = [
        "name",
        "region_code",
        "algorithm",
        "is_active",
        "last_pull_at",
        "last_pull_ok",
        "last_error",
    ]
    list_filter = ["is_active", "algorithm"]
    search_fields = ["name", "name_en", "region_code"]


register_snippet(PartnerViewSet)


@hooks.register("register_admin_urls")
def exchange_admin_urls():
    return [
        path("exchange/review/", admin_views.QueueView.as_view(), name="exchange_queue"),
        path("exchange/review/<int:pk>/", admin_views.ReviewView.as_view(), name="exchange_review"),
    ]


@hooks.register("register_admin_menu_item")
def review_menu_item():
    return PermittedMenuItem(
        gettext_lazy("Partner items"),
        reverse("exchange_queue"),
        icon_name="globe",
        order=241,
        permission=admin_views.REVIEW_PERMISSION,
    )


@hooks.register("register_log_actions")
def exchange_log_actions(actions):
    for action, label in admin_views.ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register(WARNINGS_FOOT_HOOK)
def latest_partner_warnings(request):
    """The newest accepted partner warnings not withdrawn; nothing when there are none."""
    warnings = PartnerItem.objects.public_warnings().filter(published__withdrawn_on=None)
    warnings = warnings[:LATEST_WARNINGS]
    if not warnings:
        return ""
    return render_to_string(
        "exchange/includes/latest_partner_warnings.html",
        {"partner_warnings": warnings},
        request,
    )
