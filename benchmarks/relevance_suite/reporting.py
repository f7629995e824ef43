"""The suite's results as a Markdown table, a list of misses, docs/search.md and the baseline."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

from .data import ROOT, SHEET
from .scoring import Miss

BASELINE = ROOT / "benchmarks/relevance_baseline.json"
DOCS = ROOT / "docs/search.md"
DOCS_START, DOCS_END = "<!-- relevance:start -->", "<!-- relevance:end -->"


def label(kind: str, pk: int) -> str:
    from portal.registry.models import Enterprise, Product

    model = Enterprise if kind == "enterprise" else Product
    found = model.objects.filter(pk=pk).first()
    return f"{kind[0]}{pk} {found}" if found else f"{kind[0]}{pk} (gone)"


def table(result: dict) -> str:
    """A Markdown table, kinds in the order of the suite, overall last."""
    lines = [
        "| kind | queries | recall@5 engine / fallback | MRR engine / fallback "
        "| nDCG@10 engine / fallback |",
        "|---|--:|--:|--:|--:|",
    ]
    for kind in [*result["kinds"], "all"]:
        e, f = result["engine"][kind], result["fallback"][kind]
        cells = [f"{e[m]:.2f} / {f[m]:.2f}" for m in ("recall_at_5", "mrr", "ndcg_at_10")]
        name = "**overall**" if kind == "all" else kind
        lines.append(f"| {name} | {e['queries']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def failures(result: dict, side: str) -> str:
    """The misses of one side, per kind: the query, what was expected, what came first."""
    lines = []
    by_kind: dict[str, list[Miss]] = defaultdict(list)
    for miss in result[f"{side}_misses"]:
        by_kind[miss.kind].append(miss)
    for kind in result["kinds"]:
        misses = by_kind.get(kind, [])
        lines.append(f"\n## {side}: {kind} ({len(misses)} missed)")
        for miss in misses:
            more = f" (+{len(miss.expected) - 1} more)" if len(miss.expected) > 1 else ""
            first = label(*miss.first) if miss.first else "nothing"
            lines.append(f"  {miss.text!r}\n    want  {label(*miss.expected[0])}{more}")
            lines.append(f"    first {first}")
    return "\n".join(lines)


def write_docs(result: dict, scale: float, seconds: float) -> None:
    text = DOCS.read_text()
    start, end = text.index(DOCS_START) + len(DOCS_START), text.index(DOCS_END)
    block = (
        "\n`benchmarks/relevance.py` (written by its `--write-docs`) derives judged queries from "
        "the data by rules, one rule per way citizens type, with every answer a fair judge "
        "would accept, and scores the engine (`LookupQuery`) and the database fallback side by "
        "side: recall@5 (an acceptable answer in the top 5), MRR and nDCG@10. "
        "`--failures` lists each miss with what was wanted and what came first; "
        "`tests/search/test_relevance_suite.py` fails when overall engine recall@5 drops more "
        "than 0.02 below the figure in `benchmarks/relevance_baseline.json`.\n\n"
        f"{result['queries']} queries over the demo at scale {scale:g} plus the imported sheet "
        f"`{SHEET.relative_to(ROOT)}`, measured {date.today():%Y-%m-%d} "
        f"({seconds:.0f} s for the queries of `relevance.py --scale {scale:g}`):\n\n"
        f"{table(result)}\n"
    )
    DOCS.write_text(text[:start] + block + text[end:])


def record(result: dict, scale: float, section: str) -> None:
    """Keep the figures in relevance_baseline.json under `section` ("benchmark" or "test")."""
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    baseline[section] = {
        "date": f"{date.today():%Y-%m-%d}",
        "scale": scale,
        "queries": result["queries"],
        "overall": {side: result[side]["all"]["recall_at_5"] for side in ("engine", "fallback")},
        "recall_at_5": {
            kind: {side: result[side][kind]["recall_at_5"] for side in ("engine", "fallback")}
            for kind in result["kinds"]
        },
    }
    BASELINE.write_text(json.dumps(baseline, ensure_ascii=False, indent=2) + "\n")
