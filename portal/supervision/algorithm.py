"""The double-random draw (双随机), as a pure function anyone can re-run.

This module uses only the Python standard library and never touches the database, so the
portal serves it as it is (`/draws/anxin_draw.py`) and a citizen can check a published draw:

    python3 anxin_draw.py draw-12.json

The algorithm, step by step (docs/supervision.md says the same in prose):

1. The seed is 32 random bytes, published as 64 hex digits once the draw has run. The
   commitment, published before, is SHA-256 of those 32 bytes.
2. The inputs are fixed at commitment and published with it; their digest is SHA-256 of their
   canonical JSON (keys sorted, no spaces, UTF-8).
3. Per supervision class (A, B, C, D, then U for unclassified), the number of firms drawn is
   ceil(candidates × ratio / 100), computed exactly, never more than the candidates. Any ratio
   above 0 therefore draws at least one firm of a class that has firms.
4. Within a class, firms are ranked by HMAC-SHA256(seed, "firm\\n" + firm key), ascending
   as hexadecimal text, the firm key breaking ties; the first ones of the ranking are drawn.
5. Drawn firms take inspectors in that order (class A first, by rank). An inspector is
   eligible for a firm unless they work in the firm's district or were assigned to that firm
   in the previous draw (the `excluded_pairs`). Eligible inspectors are ordered by how many
   firms they already have in this draw, then by HMAC-SHA256(seed, "inspector\\n" + firm key
   + "\\n" + inspector key), then by key; the first `inspectors_per_firm` are assigned.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

FORMAT = "anxin-draw/1"
#: Draw order of the supervision classes; U is "unclassified".
CLASSES = ("A", "B", "C", "D", "U")
SEED_BYTES = 32


class DrawError(ValueError):
    """Inputs the algorithm cannot draw from: malformed, or too few eligible inspectors."""


@dataclass(frozen=True)
class Firm:
    key: str  # unified social credit code, or "enterprise-<id>" when the registry has none
    supervision_class: str
    district: str


@dataclass(frozen=True)
class Inspector:
    key: str  # enforcement ID number
    district: str


@dataclass(frozen=True)
class DrawInputs:
    ratios: dict[str, Fraction]  # percent per class
    inspectors_per_firm: int
    firms: tuple[Firm, ...]
    inspectors: tuple[Inspector, ...]
    excluded_pairs: frozenset[tuple[str, str]]  # (inspector key, firm key)

    @classmethod
    def from_json(cls, data: dict) -> DrawInputs:
        """Read the published inputs, refusing anything the algorithm would misread."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise DrawError(f"the inputs are not in the {FORMAT} format")
        try:
            ratios = {c: _percent(data["ratios"][c]) for c in CLASSES}
            per_firm = data["inspectors_per_firm"]
            firms = tuple(Firm(f["key"], f["class"], f["district"]) for f in data["firms"])
            inspectors = tuple(Inspector(i["key"], i["district"]) for i in data["inspectors"])
            pairs = frozenset((inspector, firm) for inspector, firm in data["excluded_pairs"])
        except (KeyError, TypeError, ValueError, InvalidOperation) as error:
            raise DrawError(f"malformed inputs: {error!r}") from error
        if type(per_firm) is not int or per_firm < 1:
            raise DrawError("inspectors_per_firm must be a whole number of at least 1")
        if any(f.supervision_class not in CLASSES for f in firms):
            raise DrawError(f"a firm's class must be one of {', '.join(CLASSES)}")
        for keys in ([f.key for f in firms], [i.key for i in inspectors]):
            if len(set(keys)) != len(keys) or not all(key and "\n" not in key for key in keys):
                raise DrawError("firm and inspector keys must be unique, non-empty, one line")
        return cls(ratios, per_firm, firms, inspectors, pairs)


def _percent(text: str) -> Fraction:
    """A ratio is written as a decimal string ("12.5"), never a float, so it reads exactly."""
    if not isinstance(text, str):
        raise TypeError(f"ratio {text!r} is not a string")
    ratio = Fraction(Decimal(text))
    if not 0 <= ratio <= 100:
        raise ValueError(f"ratio {text} is not between 0 and 100")
    return ratio


def canonical_json(value) -> bytes:
    """The one byte string a JSON value is hashed as."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def commitment_for(seed: bytes) -> str:
    return hashlib.sha256(seed).hexdigest()


def quota(candidates: int, ratio: Fraction) -> int:
    """ceil(candidates × ratio / 100) in exact arithmetic, at most `candidates`."""
    share = Fraction(candidates) * ratio / 100
    return min(candidates, -(-share.numerator // share.denominator))


def _score(seed: bytes, *parts: str) -> str:
    return hmac.new(seed, "\n".join(parts).encode(), hashlib.sha256).hexdigest()


def _eligible(inputs: DrawInputs, firm: Firm) -> list[Inspector]:
    return [
        inspector
        for inspector in inputs.inspectors
        if inspector.district != firm.district
        and (inspector.key, firm.key) not in inputs.excluded_pairs
    ]


def short_of_inspectors(inputs: DrawInputs) -> list[str]:
    """Keys of the firms that could be drawn but have too few eligible inspectors.

    Checked before a draw is committed, so a committed draw can always run.
    """
    return [
        firm.key
        for firm in inputs.firms
        if inputs.ratios[firm.supervision_class] > 0
        and len(_eligible(inputs, firm)) < inputs.inspectors_per_firm
    ]


def plan(inputs: DrawInputs) -> dict[str, dict[str, int]]:
    """Per class: how many firms are candidates, and how many of them are drawn."""
    plans = {}
    for supervision_class in CLASSES:
        candidates = sum(1 for f in inputs.firms if f.supervision_class == supervision_class)
        selected = quota(candidates, inputs.ratios[supervision_class])
        plans[supervision_class] = {"candidates": candidates, "selected": selected}
    return plans


def draw(seed: bytes, inputs: DrawInputs) -> dict:
    """The draw's result: per-class counts and the drawn firms with their inspectors."""
    if len(seed) != SEED_BYTES:
        raise DrawError(f"the seed must be {SEED_BYTES} bytes")
    classes, drawn = plan(inputs), []
    for supervision_class in CLASSES:
        members = [f for f in inputs.firms if f.supervision_class == supervision_class]
        ranking = sorted(members, key=lambda f: (_score(seed, "firm", f.key), f.key))
        count = classes[supervision_class]["selected"]
        drawn += [(rank, firm) for rank, firm in enumerate(ranking[:count], start=1)]
    load = {inspector.key: 0 for inspector in inputs.inspectors}
    selected = []
    for rank, firm in drawn:
        eligible = sorted(
            _eligible(inputs, firm),
            key=lambda i: (load[i.key], _score(seed, "inspector", firm.key, i.key), i.key),
        )
        if len(eligible) < inputs.inspectors_per_firm:
            raise DrawError(f"too few eligible inspectors for firm {firm.key}")
        chosen = [inspector.key for inspector in eligible[: inputs.inspectors_per_firm]]
        for key in chosen:
            load[key] += 1
        selected.append(
            {"firm": firm.key, "class": firm.supervision_class, "rank": rank, "inspectors": chosen}
        )
    return {"classes": classes, "selected": selected}


def verify(document: dict) -> tuple[list[str], list[str]]:
    """Check a published draw document; returns (what was checked, what is wrong)."""
    checked, problems = [], []
    digest = hashlib.sha256(canonical_json(document.get("inputs"))).hexdigest()
    if digest == document.get("inputs_sha256"):
        checked.append(f"inputs digest {digest}")
    else:
        problems.append(f"the inputs' SHA-256 is {digest}, not {document.get('inputs_sha256')}")
    if document.get("seed") is None:
        checked.append("not drawn yet: the seed is published when the draw runs")
        return checked, problems
    try:
        seed = bytes.fromhex(document["seed"])
        result = draw(seed, DrawInputs.from_json(document["inputs"]))
    except (DrawError, ValueError, TypeError) as error:
        return checked, [*problems, f"cannot re-run the draw: {error}"]
    if commitment_for(seed) == document.get("commitment"):
        checked.append(f"commitment {document['commitment']} = SHA-256(seed)")
    else:
        problems.append("SHA-256 of the seed is not the published commitment")
    if result == document.get("result"):
        checked.append(f"result reproduced: {len(result['selected'])} firms, same inspectors")
    else:
        problems.append("re-running the draw gives a different result from the published one")
    return checked, problems


def main(argv: Iterable[str]) -> int:
    """`python3 anxin_draw.py draw.json`: verify a downloaded draw document."""
    paths = list(argv)
    if len(paths) != 1:
        print("usage: python3 anxin_draw.py draw.json", file=sys.stderr)
        return 2
    with open(paths[0], encoding="utf-8") as file:
        checked, problems = verify(json.load(file))
    for line in checked:
        print(f"OK    {line}")
    for line in problems:
        print(f"WRONG {line}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
