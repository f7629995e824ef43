"""A draw's two steps, commit and run, and the document that publishes it.

Commit freezes what the draw will use — the candidate firms of its scope, the inspector pool,
the ratios and the exclusions — as the `inputs` document, generates the seed with `secrets` and
publishes only its SHA-256. Run applies `algorithm.draw` to the seed and those inputs. Both lock
the row and check the state they start from, and write Wagtail's audit log.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from portal.registry.catalogue import CategoryTree
from portal.registry.models import Enterprise, SupervisionClass

from . import algorithm
from .models import Draw, Inspector

ACTIONS = {
    "supervision.commit": "提交承诺值 Draw committed",
    "supervision.run": "执行抽取 Draw run",
}
UNCLASSIFIED = "U"


def firm_key(uscc: str | None, pk: int) -> str:
    """How a firm is named in the published inputs: its credit code, else its registry id."""
    return uscc or f"enterprise-{pk}"


def class_label(code: str) -> str:
    """A class by its letter; "U" (the firms without a class) in words."""
    return code if code in SupervisionClass.values else _("unclassified")


def _percent_text(value) -> str:
    """A ratio as the shortest exact decimal string: 5.00 → "5", 12.50 → "12.5"."""
    return format(Decimal(str(value)).normalize(), "f")


def candidate_firms(draw: Draw):
    """Enterprises of the draw's scope: makers of its categories' product types and of the types
    below them, in every catalogue edition (as the API, feeds and subscriptions read the
    catalogue), in its districts if any."""
    tree = CategoryTree()
    categories = set().union(
        *(tree.subtree(pk) for pk in draw.categories.values_list("pk", flat=True))
    )
    firms = Enterprise.objects.filter(products__category__in=categories)
    districts = list(draw.districts.all())
    if districts:
        firms = firms.filter(district__in=districts)
    return firms.distinct()


def build_inputs(draw: Draw) -> dict:
    """The inputs document, exactly as it will be published and hashed at commit."""
    firms = sorted(
        (
            {
                "key": firm_key(uscc, pk),
                "class": supervision_class or UNCLASSIFIED,
                "district": district or "",
            }
            for pk, uscc, supervision_class, district in candidate_firms(draw).values_list(
                "pk", "uscc", "supervision_class", "district__code"
            )
        ),
        key=lambda firm: firm["key"],
    )
    inspectors = [
        {"key": code, "district": district}
        for code, district in draw.inspectors.filter(active=True)
        .order_by("code")
        .values_list("code", "district__code")
    ]
    firm_keys, inspector_keys = {f["key"] for f in firms}, {i["key"] for i in inspectors}
    previous = draw.previous_draw.result.get("selected", []) if draw.previous_draw else []
    excluded = sorted(
        [inspector, chosen["firm"]]
        for chosen in previous
        for inspector in chosen["inspectors"]
        if inspector in inspector_keys and chosen["firm"] in firm_keys
    )
    return {
        "format": algorithm.FORMAT,
        "ratios": {c: _percent_text(draw.ratio(c)) for c in algorithm.CLASSES},
        "inspectors_per_firm": draw.inspectors_per_firm,
        "firms": firms,
        "inspectors": inspectors,
        "excluded_pairs": excluded,
    }


@dataclass(frozen=True)
class Preparation:
    """What committing the draw now would freeze, and why it cannot be committed (if so)."""

    inputs: dict
    classes: dict[str, dict[str, int]]
    problems: list[str]


def prepare(draw: Draw) -> Preparation:
    inputs = build_inputs(draw)
    parsed = algorithm.DrawInputs.from_json(inputs)
    classes = algorithm.plan(parsed)
    problems = []
    if not parsed.firms:
        problems.append(_("No enterprise makes products of the chosen categories in its scope."))
    elif not any(counts["selected"] for counts in classes.values()):
        problems.append(_("Every ratio is 0 for the classes in scope: nobody would be drawn."))
    if not parsed.inspectors:
        problems.append(_("The inspector pool has no active inspector."))
    elif short := algorithm.short_of_inspectors(parsed):
        problems.append(
            ngettext(
                "%(count)d firm has fewer than %(needed)d eligible inspectors (%(firms)s): "
                "add inspectors from other districts to the pool.",
                "%(count)d firms have fewer than %(needed)d eligible inspectors (%(firms)s): "
                "add inspectors from other districts to the pool.",
                len(short),
            )
            % {
                "count": len(short),
                "needed": parsed.inspectors_per_firm,
                "firms": ", ".join(short[:5]),
            }
        )
    return Preparation(inputs, classes, problems)


def _locked(draw: Draw, state: str) -> Draw:
    locked = Draw.objects.select_for_update().get(pk=draw.pk)
    if locked.state != state:
        raise ValidationError(
            _("This draw is %(state)s; that step is not possible now.")
            % {"state": locked.get_state_display()},
            code="wrong_state",
        )
    return locked


@transaction.atomic
def commit(draw: Draw, user=None) -> Draw:
    """Freeze the inputs and publish the commitment; the seed stays secret until the run."""
    locked = _locked(draw, Draw.State.DRAFT)
    preparation = prepare(locked)
    if preparation.problems:
        raise ValidationError(preparation.problems, code="not_ready")
    seed = secrets.token_bytes(algorithm.SEED_BYTES)
    locked.seed = seed.hex()
    locked.commitment = algorithm.commitment_for(seed)
    locked.inputs = preparation.inputs
    locked.inputs_sha256 = hashlib.sha256(algorithm.canonical_json(preparation.inputs)).hexdigest()
    locked.state, locked.committed_at = Draw.State.COMMITTED, timezone.now()
    locked.save(
        update_fields=["seed", "commitment", "inputs", "inputs_sha256", "state", "committed_at"]
    )
    log(locked, "supervision.commit", user=user, data={"commitment": locked.commitment})
    return locked


@transaction.atomic
def run(draw: Draw, user=None) -> Draw:
    """Draw with the committed seed and inputs; the seed and the result become public."""
    locked = _locked(draw, Draw.State.COMMITTED)
    inputs = algorithm.DrawInputs.from_json(locked.inputs)
    locked.result = algorithm.draw(bytes.fromhex(locked.seed), inputs)
    locked.state, locked.drawn_at = Draw.State.DRAWN, timezone.now()
    locked.save(update_fields=["result", "state", "drawn_at"])
    log(locked, "supervision.run", user=user, data={"selected": len(locked.result["selected"])})
    return locked


def firms_by_key(keys) -> dict[str, Enterprise]:
    """The registry's enterprises behind published firm keys, in one query."""
    usccs = [key for key in keys if not key.startswith("enterprise-")]
    ids = [int(key.removeprefix("enterprise-")) for key in keys if key.startswith("enterprise-")]
    found = Enterprise.objects.filter(Q(uscc__in=usccs) | Q(pk__in=ids)).select_related("district")
    return {firm_key(firm.uscc, firm.pk): firm for firm in found}


def inspectors_by_key(keys) -> dict[str, Inspector]:
    return {i.code: i for i in Inspector.objects.filter(code__in=keys).select_related("district")}


def public_document(draw: Draw) -> dict:
    """The downloadable record of a committed or drawn draw: what `algorithm.verify` checks.

    The names are for reading only; they are not part of the hashed inputs.
    """
    drawn = draw.state == Draw.State.DRAWN
    firms = firms_by_key([firm["key"] for firm in draw.inputs["firms"]])
    inspectors = inspectors_by_key([i["key"] for i in draw.inputs["inspectors"]])
    return {
        "draw": {
            "reference": draw.reference,
            "title": draw.title,
            "state": draw.state,
            "committed_at": draw.committed_at.isoformat(),
            "drawn_at": draw.drawn_at.isoformat() if drawn else None,
        },
        "commitment": draw.commitment,
        "inputs_sha256": draw.inputs_sha256,
        "inputs": draw.inputs,
        "seed": draw.seed if drawn else None,
        "result": draw.result if drawn else None,
        "names": {
            "firms": {key: firm.name for key, firm in firms.items()},
            "inspectors": {key: inspector.name for key, inspector in inspectors.items()},
        },
    }
