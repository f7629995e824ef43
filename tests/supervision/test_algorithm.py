"""The draw algorithm on its own (no database): reproducible, as documented, ratios per class,
both exclusions, and a verifier that catches any change to a published record."""

from __future__ import annotations

import copy
import hashlib
import hmac
from collections import Counter
from fractions import Fraction

import pytest

from portal.supervision import algorithm
from portal.supervision.algorithm import DrawError, DrawInputs

SEED = bytes(range(32))
OTHER_SEED = bytes(range(1, 33))
DISTRICTS = ("huangpu", "xuhui", "minhang", "pudong")


def inputs_json(firms_per_class=None, ratios=None, inspectors=8, per_firm=2, excluded=()):
    """Inputs as published: firms keyed like credit codes, spread over four districts."""
    firms_per_class = firms_per_class or {"A": 40, "B": 30, "C": 20, "D": 10, "U": 5}
    firms = [
        {"key": f"91310{c}{n:012d}", "class": c, "district": DISTRICTS[n % len(DISTRICTS)]}
        for c, count in firms_per_class.items()
        for n in range(count)
    ]
    return {
        "format": algorithm.FORMAT,
        "ratios": ratios or {"A": "5", "B": "10", "C": "20", "D": "50", "U": "12.5"},
        "inspectors_per_firm": per_firm,
        "firms": sorted(firms, key=lambda f: f["key"]),
        "inspectors": [
            {"key": f"3101190{n:04d}", "district": DISTRICTS[n % len(DISTRICTS)]}
            for n in range(inspectors)
        ],
        "excluded_pairs": [list(pair) for pair in excluded],
    }


def run(seed=SEED, **kwargs):
    return algorithm.draw(seed, DrawInputs.from_json(inputs_json(**kwargs)))


def test_same_seed_and_inputs_give_the_same_result():
    assert run() == run()
    shuffled = inputs_json()
    shuffled["firms"].reverse()
    shuffled["inspectors"].reverse()
    assert algorithm.draw(SEED, DrawInputs.from_json(shuffled)) == run()


def test_a_different_seed_gives_a_different_result():
    first, second = run(), run(OTHER_SEED)
    assert first["classes"] == second["classes"]  # the counts depend on the inputs only
    assert [s["firm"] for s in first["selected"]] != [s["firm"] for s in second["selected"]]


def test_firms_are_ranked_by_the_documented_hmac():
    """An independent re-implementation of step 4 of the documentation gives the same firms."""
    inputs = inputs_json()
    expected = []
    for c in algorithm.CLASSES:
        keys = sorted(f["key"] for f in inputs["firms"] if f["class"] == c)
        ranked = sorted(
            keys,
            key=lambda k: (hmac.new(SEED, f"firm\n{k}".encode(), hashlib.sha256).hexdigest(), k),
        )
        expected += ranked[: algorithm.quota(len(keys), Fraction(inputs["ratios"][c]))]
    assert [s["firm"] for s in run()["selected"]] == expected


@pytest.mark.parametrize(
    ("candidates", "ratio", "drawn"),
    [
        (40, "5", 2),  # exact
        (30, "10", 3),
        (21, "10", 3),  # 2.1 rounds up
        (1, "0.5", 1),  # any ratio above 0 draws at least one
        (3, "33.33", 1),  # 0.9999 rounds up to 1, not 2: no floating point
        (3, "33.34", 2),  # 1.0002 rounds up to 2
        (7, "0", 0),
        (0, "50", 0),
        (9, "100", 9),
    ],
)
def test_quota_rounds_up_exactly(candidates, ratio, drawn):
    assert algorithm.quota(candidates, Fraction(ratio)) == drawn


def test_ratio_per_class():
    result = run()
    assert result["classes"] == {
        "A": {"candidates": 40, "selected": 2},
        "B": {"candidates": 30, "selected": 3},
        "C": {"candidates": 20, "selected": 4},
        "D": {"candidates": 10, "selected": 5},
        "U": {"candidates": 5, "selected": 1},  # 0.625 → 1
    }
    drawn = Counter(s["class"] for s in result["selected"])
    assert drawn == {"A": 2, "B": 3, "C": 4, "D": 5, "U": 1}
    assert [s["rank"] for s in result["selected"] if s["class"] == "C"] == [1, 2, 3, 4]


def test_never_an_inspector_of_the_firms_own_district():
    inputs = inputs_json()
    districts = {f["key"]: f["district"] for f in inputs["firms"]}
    districts |= {i["key"]: i["district"] for i in inputs["inspectors"]}
    for seed in (SEED, OTHER_SEED, bytes(32)):
        for chosen in algorithm.draw(seed, DrawInputs.from_json(inputs))["selected"]:
            assert len(chosen["inspectors"]) == 2
            assert len(set(chosen["inspectors"])) == 2
            assert all(districts[i] != districts[chosen["firm"]] for i in chosen["inspectors"])


def test_never_the_inspector_who_had_the_firm_in_the_previous_draw():
    first = run()
    pairs = [(i, s["firm"]) for s in first["selected"] for i in s["inspectors"]]
    second = run(excluded=pairs)
    # Same seed and firms: the same firms are drawn, but every one gets other inspectors.
    assert [s["firm"] for s in second["selected"]] == [s["firm"] for s in first["selected"]]
    for before, after in zip(first["selected"], second["selected"], strict=True):
        assert not set(before["inspectors"]) & set(after["inspectors"])


def test_the_work_is_spread_over_the_pool():
    load = Counter(i for s in run()["selected"] for i in s["inspectors"])
    assert max(load.values()) - min(load.values()) <= 1
    assert len(load) == 8


def test_too_few_eligible_inspectors_is_found_before_and_refused_during_the_draw():
    # Two inspectors, both in huangpu: the huangpu firms have nobody eligible.
    inputs = inputs_json(inspectors=1) | {
        "inspectors": [{"key": "a", "district": "huangpu"}, {"key": "b", "district": "huangpu"}]
    }
    parsed = DrawInputs.from_json(inputs)
    short = algorithm.short_of_inspectors(parsed)
    assert short and all(key in {f["key"] for f in inputs["firms"]} for key in short)
    with pytest.raises(DrawError, match="too few eligible inspectors"):
        algorithm.draw(SEED, parsed)


def test_a_ratio_of_zero_leaves_the_class_out_of_the_inspector_check():
    inputs = inputs_json(
        firms_per_class={"A": 4}, ratios={"A": "0", "B": "0", "C": "0", "D": "0", "U": "0"}
    )
    inputs["inspectors"] = []
    assert algorithm.short_of_inspectors(DrawInputs.from_json(inputs)) == []


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(format="other/1"),
        lambda d: d["ratios"].update(A=5),  # a number, not a decimal string
        lambda d: d["ratios"].update(A="abc"),
        lambda d: d["ratios"].update(A="101"),
        lambda d: d["ratios"].pop("U"),
        lambda d: d.update(inspectors_per_firm=0),
        lambda d: d.update(inspectors_per_firm="2"),
        lambda d: d["firms"][0].update({"class": "E"}),
        lambda d: d["firms"].append(dict(d["firms"][0])),  # duplicate key
        lambda d: d["inspectors"][0].update(key="a\nb"),
        lambda d: d.pop("excluded_pairs"),
    ],
)
def test_malformed_inputs_are_refused(change):
    inputs = inputs_json()
    change(inputs)
    with pytest.raises(DrawError):
        DrawInputs.from_json(inputs)


def test_the_seed_has_32_bytes():
    with pytest.raises(DrawError):
        algorithm.draw(b"short", DrawInputs.from_json(inputs_json()))


def published():
    inputs = inputs_json()
    return {
        "commitment": hashlib.sha256(SEED).hexdigest(),
        "inputs_sha256": hashlib.sha256(algorithm.canonical_json(inputs)).hexdigest(),
        "inputs": inputs,
        "seed": SEED.hex(),
        "result": algorithm.draw(SEED, DrawInputs.from_json(inputs)),
    }


def test_verify_accepts_a_true_record():
    checked, problems = algorithm.verify(published())
    assert problems == []
    assert len(checked) == 3


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda d: d.update(seed=OTHER_SEED.hex()), "not the published commitment"),
        (lambda d: d["result"]["selected"].reverse(), "different result"),
        (lambda d: d["inputs"]["firms"].pop(), "inputs' SHA-256"),
        (lambda d: d.update(seed="zz"), "cannot re-run"),
    ],
)
def test_verify_catches_a_changed_record(change, complaint):
    document = copy.deepcopy(published())
    change(document)
    _, problems = algorithm.verify(document)
    assert any(complaint in problem for problem in problems)


def test_verify_of_a_committed_record_checks_the_inputs_only():
    document = published() | {"seed": None, "result": None}
    checked, problems = algorithm.verify(document)
    assert problems == [] and "not drawn yet" in checked[-1]
