"""Public grading pages: the comparisons and schemes, each scheme version's report, and the
comparison of one category under one scheme (a table, and up to four products side by side).

Ids in the addresses are read here, not by the URL converters, so that a mistyped or stale
link gets a page that says what is wrong instead of a bare "Not Found".
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import ListView

from portal.core.params import PagedListMixin, echo_query
from portal.registry.models import ProductCategory

from . import comparison
from .forms import ComparisonFilterForm, price_band_label
from .models import GradingScheme
from .selectors import PUBLIC_SCHEME_STATUSES, approved_submissions
from .templatetags.grading_tags import script

TABLE_PAGE_SIZE = 25  # rows a page: the rendering, not the queries, sets the time


class SchemeListView(ListView):
    """The published comparisons, then every public scheme version."""

    template_name = "grading/report_index.html"
    context_object_name = "schemes"

    def get_queryset(self):
        return GradingScheme.objects.filter(status__in=PUBLIC_SCHEME_STATUSES)

    def get_context_data(self, **kwargs):
        comparisons = comparison.published_comparisons()
        return {**super().get_context_data(**kwargs), "comparisons": comparisons}


class SchemeReportView(PagedListMixin, ListView):
    """The scheme (criteria, scale, downgrade rules, method) above its approved grades."""

    template_name = "grading/report.html"
    context_object_name = "grades"
    paginate_by = 50

    def get_queryset(self):
        self.scheme = get_object_or_404(
            GradingScheme.objects.prefetch_related(
                "criteria", "bands", "downgrade_rules", "price_bands"
            ),
            code=self.kwargs["code"],
            version=self.kwargs["version"],
            status__in=PUBLIC_SCHEME_STATUSES,
        )
        return approved_submissions().filter(scheme=self.scheme).select_related("product")

    def get_context_data(self, **kwargs):
        ranges = comparison.price_ranges(self.scheme).values()
        return {
            **super().get_context_data(**kwargs),
            "scheme": self.scheme,
            "price_bands": [price_band_label(*ends) for ends in ranges],
        }


def _comparison_of(request, scheme_id: str, category_id: str):
    """(scheme, category, None), or (None, None, the 404 page saying which id is wrong)."""
    scheme_pk, category_pk = comparison.as_id(scheme_id), comparison.as_id(category_id)
    scheme = comparison.public_scheme(scheme_pk) if scheme_pk is not None else None
    category = ProductCategory.objects.filter(pk=category_pk).first() if category_pk else None
    problems = []
    if scheme is None:
        problems.append(
            _("No published grading scheme has the number “%(id)s”.") % {"id": scheme_id[:20]}
        )
    if category is None:
        problems.append(
            _("No product category has the number “%(id)s”.") % {"id": category_id[:20]}
        )
    if problems:
        context = {"problems": problems, "comparisons": comparison.published_comparisons(8)}
        return None, None, render(request, "grading/unavailable.html", context, status=404)
    return scheme, category, None


def _without(query, *names: str) -> str:
    """The query string without `names` (a sort link replaces the sort, keeps the filters),
    bounded as every echoed query is (`echo_query`)."""
    return echo_query(query, drop=names)


def _filters_query(chosen: dict, drop: str = "") -> str:
    """The valid filters and sort as a query string for the table's links: what was not valid
    (an unknown brand, a 5,000-character value) is not repeated in every link."""
    return urlencode(
        {name: value for name, value in chosen.items() if name != drop and value not in ("", None)}
    )


@require_GET
def comparison_table(request, scheme_id: str, category_id: str):
    scheme, category, unavailable = _comparison_of(request, scheme_id, category_id)
    if unavailable:
        return unavailable
    grades = comparison.graded(scheme, category)
    ranges = comparison.price_ranges(scheme)
    form = ComparisonFilterForm(
        request.GET,
        brands=comparison.brands(grades),
        grades=[band.label for band in scheme.bands.all()],
        price_bands=[(pk, price_band_label(*ends)) for pk, ends in ranges.items()],
        sorts=_sort_labels(scheme),
    )
    form.is_valid()  # the errors are shown; the valid filters still apply
    chosen = form.cleaned_data
    shown = grades
    if chosen.get("brand"):
        shown = shown.filter(product__brand=chosen["brand"])
    if chosen.get("grade"):
        shown = shown.filter(grade=chosen["grade"])
    if chosen.get("price") is not None:
        shown = comparison.in_price_range(shown, *ranges[chosen["price"]])
    sort = chosen.get("sort") or "score"
    page = Paginator(comparison.sorted_grades(shown, scheme, sort), TABLE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    records = comparison.spot_check_records(page)
    context = {
        "scheme": scheme,
        "category": category,
        "form": form,
        "page_obj": page,
        "rows": [(grade, records[grade.product_id]) for grade in page],
        "criteria": list(scheme.criteria.all()),
        "has_prices": bool(ranges),
        "sort": sort,
        "sort_query": _filters_query(chosen, drop="sort"),
        "page_query": _filters_query(chosen),
        "max_picked": comparison.MAX_PICKED,
    }
    return render(request, "grading/compare.html", context)


def _sort_labels(scheme: GradingScheme) -> list[tuple[str, str]]:
    labels = {
        "score": _("overall score"),
        "grade": _("grade"),
        "price": _("price, lowest first"),
        "tested": _("test date, newest first"),
        "brand": _("brand"),
    }
    criteria = {comparison.CRITERION_SORT + c.code: script(c.name) for c in scheme.criteria.all()}
    return [(key, labels.get(key) or criteria[key]) for key in comparison.sort_keys(scheme)]


@require_GET
def side_by_side(request, scheme_id: str, category_id: str):
    scheme, category, unavailable = _comparison_of(request, scheme_id, category_id)
    if unavailable:
        return unavailable
    context = {"scheme": scheme, "category": category}
    try:
        ids = comparison.parse_pick(request.GET.getlist("product"))
    except comparison.PickError as error:
        return render(
            request, "grading/side_by_side.html", {**context, "refusal": error}, status=400
        )
    picked = comparison.pick(scheme, category, ids)
    only_differences = request.GET.get("only") == "differences"
    rows = comparison.side_by_side(scheme, picked.grades)
    records = comparison.spot_check_records(picked.grades)
    context |= {
        "picked": picked,
        "columns": [(grade, records[grade.product_id]) for grade in picked.grades],
        "rows": [row for row in rows if row.differs or not only_differences],
        "only_differences": only_differences,
        "toggle_query": _without(request.GET, "only"),
    }
    return render(request, "grading/side_by_side.html", context)
