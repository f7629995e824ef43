"""Admin for spot checks: snippet viewsets per model, and the import views."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_filters import NumberFilter
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from portal.core.snippets import SnippetViewSet
from portal.registry.scoping import DistrictScopedViewSet

from . import admin_views
from .models import (
    AgencyEvaluation,
    FailedItem,
    InspectionAgency,
    SourceFile,
    SpotCheckBatch,
    SpotCheckResult,
)


class SpotCheckBatchViewSet(DistrictScopedViewSet):
    model = SpotCheckBatch
    icon = "clipboard-list"
    list_display = ["notice_number", "title", "level", "year", "status", "version"]
    list_filter = ["year", "level", "status", "district", "category"]
    search_fields = ["notice_number", "title", "authority"]


class ResultFilterSet(WagtailFilterSet):
    year = NumberFilter(field_name="batch__year", label=_("year"))

    class Meta:
        model = SpotCheckResult
        fields = ["outcome", "channel", "category", "producer_match", "producer_disputed"]


class SpotCheckResultViewSet(DistrictScopedViewSet):
    model = SpotCheckResult
    icon = "list-ul"
    list_display = ["sample_name", "producer_name", "nominal_brand", "outcome", "batch"]
    filterset_class = ResultFilterSet
    search_fields = ["sample_name", "producer_name", "nominal_brand", "nominal_model"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("batch")


class FailedItemViewSet(DistrictScopedViewSet):
    model = FailedItem
    icon = "warning"
    list_display = ["item", "result", "measured", "limit", "is_safety_item"]
    list_filter = ["is_safety_item"]
    search_fields = ["item"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("result")


class InspectionAgencyViewSet(SnippetViewSet):
    model = InspectionAgency
    icon = "group"
    list_display = ["name", "cma_number", "cnas_number"]
    search_fields = ["name", "cma_number", "cnas_number"]
    inspect_view_enabled = True


class AgencyEvaluationViewSet(SnippetViewSet):
    model = AgencyEvaluation
    icon = "tick"
    list_display = ["agency", "year", "result"]
    list_filter = ["year", "result"]
    search_fields = ["agency__name"]


class SourceFileViewSet(DistrictScopedViewSet):
    model = SourceFile
    icon = "doc-full"
    list_display = ["batch", "version", "original_name", "imported_at", "imported_by"]
    search_fields = ["original_name", "sha256", "batch__notice_number"]


class SpotChecksGroup(SnippetViewSetGroup):
    menu_label = _("Spot checks")
    menu_icon = "clipboard-list"
    menu_order = 210
    items = (
        SpotCheckBatchViewSet,
        SpotCheckResultViewSet,
        FailedItemViewSet,
        InspectionAgencyViewSet,
        AgencyEvaluationViewSet,
        SourceFileViewSet,
    )


register_snippet(SpotChecksGroup)


@hooks.register("register_admin_urls")
def import_urls():
    return [
        path(
            "spotcheck-imports/",
            admin_views.ImportListView.as_view(),
            name="inspections_import_list",
        ),
        path(
            "spotcheck-imports/new/",
            admin_views.ImportUploadView.as_view(),
            name="inspections_import_upload",
        ),
        path(
            "spotcheck-imports/<int:pk>/",
            admin_views.ImportDetailView.as_view(),
            name="inspections_import_detail",
        ),
        path(
            "spotcheck-imports/<int:pk>/report.csv",
            admin_views.ImportReportCsvView.as_view(),
            name="inspections_import_report_csv",
        ),
        path(
            "spotcheck-imports/<int:pk>/file/",
            admin_views.ImportFileView.as_view(),
            name="inspections_import_file",
        ),
        path(
            "spotcheck-source-files/<int:pk>/file/",
            admin_views.source_file,
            name="inspections_source_file",
        ),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION)


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return ImportMenuItem(
        _("Import results"),
        reverse("inspections_import_list"),
        icon_name="upload",
        order=215,
    )
