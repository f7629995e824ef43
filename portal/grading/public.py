"""Public grading report pages: each scheme version with its method and the approved grades."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from portal.core.params import PagedListMixin

from .models import GradingScheme
from .selectors import approved_submissions

PUBLIC_STATUSES = [GradingScheme.Status.ACTIVE, GradingScheme.Status.RETIRED]


class SchemeListView(ListView):
    template_name = "grading/report_index.html"
    context_object_name = "schemes"

    def get_queryset(self):
        return GradingScheme.objects.filter(status__in=PUBLIC_STATUSES)


class SchemeReportView(PagedListMixin, ListView):
    """The scheme (criteria, scale, downgrade rules, method) above its approved grades."""

    template_name = "grading/report.html"
    context_object_name = "grades"
    paginate_by = 50

    def get_queryset(self):
        self.scheme = get_object_or_404(
            GradingScheme.objects.prefetch_related("criteria", "bands", "downgrade_rules"),
            code=self.kwargs["code"],
            version=self.kwargs["version"],
            status__in=PUBLIC_STATUSES,
        )
        return approved_submissions().filter(scheme=self.scheme).select_related("product")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "scheme": self.scheme}
