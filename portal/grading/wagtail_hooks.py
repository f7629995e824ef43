"""Admin for grading: organisations and schemes as snippets; review queue and tokens as views.
On the public side, the latest comparisons on the home page."""

from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from portal.core.hooks import HOME_PAGE_SECTIONS
from portal.core.permissions import PermittedMenuItem
from portal.core.snippets import SnippetViewSet

from . import admin_views, audit
from .comparison import published_comparisons
from .models import GraderOrganisation, GradingScheme


class GraderOrganisationViewSet(SnippetViewSet):
    model = GraderOrganisation
    icon = "group"
    list_display = ["name", "cma_number", "cnas_number", "contact_name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "cma_number", "cnas_number"]
    inspect_view_enabled = True


class GradingSchemeViewSet(SnippetViewSet):
    model = GradingScheme
    icon = "list-ol"
    list_display = ["name", "code", "version", "status"]
    list_filter = ["status"]
    search_fields = ["name", "code"]
    inspect_view_enabled = True


class GradingGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Grading")
    menu_icon = "tick"
    menu_order = 220
    items = (GraderOrganisationViewSet, GradingSchemeViewSet)


register_snippet(GradingGroup)


@hooks.register("register_admin_urls")
def grading_admin_urls():
    return [
        path("grading/review/", admin_views.ReviewQueueView.as_view(), name="grading_queue"),
        path("grading/review/<int:pk>/", admin_views.ReviewView.as_view(), name="grading_review"),
        path("grading/tokens/", admin_views.TokenAdminView.as_view(), name="grading_tokens"),
    ]


@hooks.register("register_admin_menu_item")
def review_menu_item():
    return PermittedMenuItem(
        gettext_lazy("Grade review"),
        reverse("grading_queue"),
        icon_name="tick",
        order=221,
        permission=admin_views.REVIEW_PERMISSION,
    )


@hooks.register("register_admin_menu_item")
def token_menu_item():
    return PermittedMenuItem(
        gettext_lazy("Grader tokens"),
        reverse("grading_tokens"),
        icon_name="key",
        order=222,
        permission=admin_views.TOKEN_PERMISSION,
    )


@hooks.register("register_log_actions")
def grading_log_actions(actions):
    for action, label in audit.ACTIONS.items():
        actions.register_action(action, label, label)


LATEST_COMPARISONS = 6


@hooks.register(HOME_PAGE_SECTIONS)
def latest_comparisons(request) -> str:
    comparisons = published_comparisons(LATEST_COMPARISONS)
    if not comparisons:
        return ""
    context = {"comparisons": comparisons}
    return render_to_string("grading/home_comparisons.html", context, request)
