"""Admin: draws, inspectors and capability assessments as snippets, under one menu group.

A draw is edited and deleted only while it is a draft; its listing and inspect page offer
the next step (commit, then run) to users with the `run_draw` permission.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from portal.core.snippets import DocumentChooser, SnippetViewSet
from portal.registry.scoping import DistrictScopedViewSet

from . import admin_views, draws
from .models import LOCKED, CapabilityAssessment, Draw, Inspector


class DrawViewSet(SnippetViewSet):
    model = Draw
    icon = "resubmit"
    list_display = ["reference", "title", "state", "committed_at", "drawn_at"]
    list_filter = ["state"]
    search_fields = ["reference", "title"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "reference",
        "title",
        "description",
        "state",
        "categories",
        "districts",
        *Draw.RATIO_FIELDS.values(),
        "inspectors",
        "inspectors_per_firm",
        "previous_draw",
        "commitment",
        "inputs_sha256",
        "seed",
        "committed_at",
        "drawn_at",
    ]
    index_view_class = admin_views.DrawIndexView
    inspect_view_class = admin_views.DrawInspectView
    panels = [
        FieldPanel("reference"),
        FieldPanel("title"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
                FieldPanel("districts", widget=forms.CheckboxSelectMultiple),
            ],
            heading=gettext_lazy("Draw scope"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel(name) for name in Draw.RATIO_FIELDS.values()])],
            heading=gettext_lazy("Sampling ratio per supervision class"),
            help_text=gettext_lazy(
                "Firms drawn per class: candidates × ratio, rounded up (so at least one when "
                "the class has candidates and its ratio is above 0)."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("inspectors", widget=forms.CheckboxSelectMultiple),
                FieldPanel("inspectors_per_firm"),
                FieldPanel("previous_draw", widget=forms.Select),
            ],
            heading=gettext_lazy("Inspectors"),
        ),
    ]

    def _step_urls(self) -> dict[str, str]:
        return {
            "commit_url_name": self.get_url_name("commit"),
            "run_url_name": self.get_url_name("run"),
        }

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(**self._step_urls(), **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(**self._step_urls(), **kwargs)

    def get_urlpatterns(self):
        inspect = {"inspect_url_name": self.get_url_name("inspect")}
        return [
            *super().get_urlpatterns(),
            path("commit/<int:pk>/", admin_views.CommitView.as_view(**inspect), name="commit"),
            path("run/<int:pk>/", admin_views.RunView.as_view(**inspect), name="run"),
        ]


class InspectorViewSet(DistrictScopedViewSet):
    model = Inspector
    icon = "user"
    list_display = ["name", "code", "district", "active"]
    list_filter = ["district", "active"]
    search_fields = ["name", "code"]
    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("district", widget=forms.Select),
        FieldPanel("active"),
    ]


class CapabilityAssessmentViewSet(DistrictScopedViewSet):
    model = CapabilityAssessment
    icon = "tick-inverse"
    list_display = ["enterprise", "body", "assessed_on", "level", "score", "valid_until"]
    list_filter = ["assessed_on"]
    search_fields = ["enterprise__name", "enterprise__uscc", "body"]
    panels = [
        FieldPanel("enterprise"),
        FieldPanel("body"),
        FieldRowPanel([FieldPanel("assessed_on"), FieldPanel("valid_until")]),
        FieldPanel("scope"),
        FieldRowPanel([FieldPanel("score"), FieldPanel("level")]),
        FieldPanel("summary"),
        FieldPanel("report", widget=DocumentChooser()),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enterprise")


class SupervisionGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Supervision")
    menu_icon = "resubmit"
    menu_order = 230
    items = (DrawViewSet, InspectorViewSet, CapabilityAssessmentViewSet)


register_snippet(SupervisionGroup)


def _refuse_locked(request, draws_to_change):
    """Committed draws are not edited or deleted: back to the draw, with the reason."""
    locked = [d for d in draws_to_change if isinstance(d, Draw) and d.state != Draw.State.DRAFT]
    if locked:
        messages.error(request, str(LOCKED))
        return redirect(Draw.snippet_viewset.get_url_name("inspect"), locked[0].pk)
    return None


@hooks.register("before_edit_snippet")
def refuse_editing_committed_draws(request, instance):
    return _refuse_locked(request, [instance])


@hooks.register("before_delete_snippet")
def refuse_deleting_committed_draws(request, instances):
    return _refuse_locked(request, instances)


@hooks.register("register_log_actions")
def draw_log_actions(actions):
    for action, label in draws.ACTIONS.items():
        actions.register_action(action, label, label)
