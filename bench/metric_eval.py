"""Score the outcome-metric extractor on the hand-annotated dev set and time it on real abstracts.

    .venv/bin/python bench/metric_eval.py [--errors] [--per-endpoint] [--no-throughput] [--frozen]

Prints P/R/F1 for every split of bench/eval/splits.toml, for development (every split tuned on) and
never-tuned (every split nobody studied): overall (endpoint, value, unit), timed (also the time point
when stated: the target score), strict (also k and n), and recall of group sizes, zero events and
k/n. --errors prints the errors of tuned splits only (never-tuned texts stay unread); --per-endpoint
the timed scores per endpoint. Splits still being annotated (`annotated = false`) are left out, and
frozen ones and rounds annotated but not yet released (`pending`) are scored only with
--frozen. Also k/n recall on the numeric-outcomes abstracts and extract_metrics
throughput on evidence-inference abstracts; writes bench/results/metric_eval.json. Shared texts are read from ../shared/data (or
$LITMUS_SHARED_DIR/data); without it only our own texts are scored.
"""

from __future__ import annotations

import json
import os
import sys
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))  # the scoring harness is a tool, not part of the package
from metric_scoring import (
    evaluate, load_gold, load_texts, numeric_outcome_pairs, proportion_recall, read_evidence_inference_abstract,
)
from litmus.nlp.metrics import extract_metrics
from litmus.nlp.metrics import EXTRACTOR_VERSION

BENCH = Path(__file__).resolve().parent
EVAL = BENCH / "eval"
SHARED_DATA = Path(os.environ.get("LITMUS_SHARED_DIR", BENCH.parents[1] / "shared")) / "data"


def throughput(shared_data: Path, limit: int = 3000) -> dict:
    folder = shared_data / "real-text" / "evidence-inference-articles"
    texts = [read_evidence_inference_abstract(p) for p in sorted(folder.glob("*.abst"))[:limit]]
    started = time.perf_counter()
    found = sum(len(extract_metrics(t)) for t in texts)
    seconds = time.perf_counter() - started
    return {"abstracts": len(texts), "seconds": round(seconds, 3), "abstracts_per_s": round(len(texts) / seconds),
            "metrics_found": found}


def load_splits() -> dict[str, dict]:
    return tomllib.loads((EVAL / "splits.toml").read_text(encoding="utf-8"))


def main() -> None:
    args = sys.argv[1:]
    shared = SHARED_DATA if SHARED_DATA.exists() else None
    texts = load_texts(EVAL / "texts", shared)
    gold = load_gold(EVAL / "gold")
    splits = load_splits()
    unknown = sorted({t.split for t in texts} - set(splits))
    if unknown:
        sys.exit(f"bench/eval/texts uses splits not described in bench/eval/splits.toml: {', '.join(unknown)}")
    result: dict = {"extractor_version": EXTRACTOR_VERSION,
                    "texts": {s: sum(1 for t in texts if t.split == s and t.text) for s in splits}}
    # A split is scored once its annotation is complete; a frozen one only when asked (--frozen), so
    # that nobody developing the extractor watches its score move.
    scored = {name: meta for name, meta in splits.items() if meta.get("annotated", True)
              and (not (meta.get("frozen") or meta.get("pending")) or "--frozen" in args)}
    tuned = tuple(name for name, meta in scored.items() if meta.get("tuned"))
    never_tuned = tuple(name for name, meta in scored.items() if not meta.get("tuned"))
    # "all" stays dev + heldout, comparable across versions; "development" is every split tuned on,
    # "never-tuned" every split nobody studied. Errors are printed for tuned splits only.
    groups = [(name, (name,)) for name in scored] + [
        ("all", ("dev", "heldout")), ("development", tuned), ("never-tuned", never_tuned)]
    errors: list[str] = []
    for name, chosen in groups:
        if not any(t.split in chosen and t.text for t in texts):
            continue
        scores = evaluate(texts, gold, splits=chosen)
        result[name] = scores.as_dict()
        o, timed = scores.overall, scores.timed
        print(f"{name:14} P {o.precision:.3f} R {o.recall:.3f} F1 {o.f1:.3f}  timed F1 {timed.f1:.3f}"
              f"  strict F1 {scores.strict.f1:.3f}  groups {_recall(scores.group_sizes)}"
              f"  zero-events {_recall(scores.zero_events)}  k/n carried {_recall(scores.kn_carried)}")
        if name in tuned and "--errors" in args:
            errors += scores.errors
        if name in ("development", "never-tuned") and "--per-endpoint" in args:
            for code, prf in sorted(scores.timed_per_endpoint.items()):
                print(f"   {code:12} P {prf.precision:.2f} R {prf.recall:.2f} F1 {prf.f1:.2f}"
                      f"  (tp {prf.tp} fp {prf.fp} fn {prf.fn})")
    if "--errors" in args:
        print("\n".join(errors))
    if shared:
        found, total = proportion_recall(numeric_outcome_pairs(shared))
        result["numeric_outcomes_kn_recall"] = {"found": found, "total": total, "recall": round(found / total, 4)}
        print(f"k/n recall on numeric-outcomes abstracts: {found}/{total} = {found / total:.3f}")
        if "--no-throughput" not in args:
            result["throughput"] = throughput(shared)
            print(f"throughput: {result['throughput']}")
    out = BENCH / "results" / "metric_eval.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


def _recall(recall) -> str:
    return "-" if recall.total == 0 else f"{recall.found}/{recall.total}"


if __name__ == "__main__":
    main()
