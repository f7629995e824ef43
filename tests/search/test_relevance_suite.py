"""The relevance suite of benchmarks/relevance.py on a small copy of its data: overall engine
recall@5 must not drop below the figure recorded for this scale in relevance_baseline.json."""

import json

import pytest

from benchmarks import relevance

pytestmark = [pytest.mark.search, pytest.mark.slow, pytest.mark.django_db]

TOLERANCE = 0.02


def test_engine_recall_at_5_holds_the_recorded_figure(search_prefix):
    recorded = json.loads(relevance.BASELINE.read_text())["test"]
    assert recorded["scale"] == relevance.TEST_SCALE

    relevance.load_data(relevance.TEST_SCALE, out=lambda line: None)
    result = relevance.run_suite(relevance.per_kind_for(relevance.TEST_SCALE))

    assert result["queries"] == recorded["queries"], "the judged queries changed: record again"
    assert len(result["kinds"]) >= 12
    recall = result["engine"]["all"]["recall_at_5"]
    assert recall >= recorded["overall"]["engine"] - TOLERANCE, (
        f"engine recall@5 {recall:.3f}, recorded {recorded['overall']['engine']:.3f}; per kind: "
        + ", ".join(f"{k} {v['recall_at_5']:.2f}" for k, v in result["engine"].items())
    )
