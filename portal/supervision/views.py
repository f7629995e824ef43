"""Public pages of the draws: the list, each draw, its JSON record and the verifying script.

Drafts are not public. A committed draw shows its commitment and frozen inputs but never its
seed; a drawn one shows the seed, the drawn firms with their inspectors and the spot-check
results of those firms published after the draw.
"""

from __future__ import annotations

from pathlib import Path

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.generic import ListView

from portal.core.params import PagedListMixin
from portal.core.site import absolute_url
from portal.inspections.models import SpotCheckResult

from . import algorithm
from .draws import class_label, firms_by_key, inspectors_by_key, public_document
from .models import Draw

PUBLIC_STATES = (Draw.State.COMMITTED, Draw.State.DRAWN)


def _public_draws():
    return Draw.objects.filter(state__in=PUBLIC_STATES)


class DrawListView(PagedListMixin, ListView):
    template_name = "supervision/draw_list.html"
    context_object_name = "draws"
    paginate_by = 20

    def get_queryset(self):
        # The inputs (every candidate firm) are only needed on the draw's own page.
        return _public_draws().defer("inputs").order_by("-committed_at", "-pk")


def _results_since(draw: Draw, firms) -> dict[int, list[SpotCheckResult]]:
    """Public spot-check results of the drawn firms, from notices published after the draw."""
    by_firm: dict[int, list[SpotCheckResult]] = {}
    results = (
        SpotCheckResult.public.filter(
            producer__in=firms, batch__published_on__gt=timezone.localdate(draw.drawn_at)
        )
        .select_related("batch")
        .order_by("batch__published_on", "pk")
    )
    for result in results:
        by_firm.setdefault(result.producer_id, []).append(result)
    return by_firm


def draw_detail(request, pk: int):
    draw = get_object_or_404(
        _public_draws().prefetch_related("categories", "districts").select_related("previous_draw"),
        pk=pk,
    )
    plan = algorithm.plan(algorithm.DrawInputs.from_json(draw.inputs))
    context = {
        "draw": draw,
        "classes": [
            {"label": class_label(c), "ratio": draw.inputs["ratios"][c], **plan[c]}
            for c in algorithm.CLASSES
        ],
        "candidates": len(draw.inputs["firms"]),
        "pool": len(draw.inputs["inspectors"]),
        "canonical_url": absolute_url(request, draw.get_absolute_url()),
    }
    if draw.state == Draw.State.DRAWN:
        selected = draw.result["selected"]
        firms = firms_by_key([chosen["firm"] for chosen in selected])
        inspectors = inspectors_by_key({key for chosen in selected for key in chosen["inspectors"]})
        results = _results_since(draw, list(firms.values()))
        context["selected"] = []
        for chosen in selected:
            enterprise = firms.get(chosen["firm"])  # None if the registry no longer has it
            context["selected"].append(
                {
                    **chosen,
                    "class_label": class_label(chosen["class"]),
                    "enterprise": enterprise,
                    "inspectors": [(key, inspectors.get(key)) for key in chosen["inspectors"]],
                    "results": results.get(enterprise.pk, []) if enterprise else [],
                }
            )
    return render(request, "supervision/draw_detail.html", context)


@require_GET
def draw_document(request, pk: int):
    draw = get_object_or_404(_public_draws(), pk=pk)
    response = JsonResponse(
        public_document(draw), json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    response["Content-Disposition"] = f'attachment; filename="draw-{draw.pk}.json"'
    return response


@require_GET
def algorithm_source(request):
    """The algorithm module itself: the exact code the portal drew with."""
    source = Path(algorithm.__file__).read_bytes()
    response = HttpResponse(source, content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="anxin_draw.py"'
    return response
