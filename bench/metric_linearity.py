"""Does the outcome-metric extractor read a sentence in time linear in its length?

Builds sentences of 500, 1,000 and 2,000 repetitions of constructions that stress the linker (long
lists of figures, arm sizes, breakdowns, endpoint lists, absences, population counts), times
`extract_metrics` on each (CPU time, best of three) and prints the growth factor per doubling: about
2 is linear, about 4 quadratic. Writes bench/results/metric_linearity.json.

    .venv/bin/python bench/metric_linearity.py
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from litmus.nlp.metrics import extract_metrics

RESULTS = Path(__file__).resolve().parent / "results" / "metric_linearity.json"
# Each repeated unit stresses one mechanism; the sentence around it is always "The ORR was … 40%."
UNITS = {
    "figures in a list": "12, ",
    "rates joined by and": "12% and ",
    "endpoint and figure pairs": "ORR 12% ",
    "endpoint lists": "ORR and CR ",
    "k of n": "12 of 15 of ",
    "comparisons": "12 vs ",
    "arm sizes": "drug A (n = 12) or ",
    "labelled sizes": "; n = 5",
    "grade breakdowns": "CRS in 12% (grade 3 in 5%) ",
    "subject counts": "13/15 patients achieved CR, ",
    "counts sent to arms": "12 to arm A and ",
    "absences": "no CRS or ",
    "populations": "Among 12 patients with ",
    "time point lists": "at 1 year and 2 years and ",
    "numbers in words": "twenty-four ",
    "respectively": "respectively, ",
    "figures after modifiers": "30-day (12% vs 5%) and ",
    "sizes after a left-out count": "were not randomised because of A (n = 5) or ",
    "coordinated counts of the sexes": "in 12 men and 10 women and ",
    "restated numbers": "forty (n = 40) patients each and ",
    "sizes per group": "randomised with 12 patients in each arm and ",
}
SIZES = (500, 1000, 2000)


def seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        extract_metrics(text)
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    result = {}
    for name, unit in UNITS.items():
        times = [seconds("The ORR was " + unit * size + "40%.") for size in SIZES]
        growth = [round(later / max(earlier, 1e-6), 2) for earlier, later in zip(times, times[1:])]
        result[name] = {"sizes": list(SIZES), "cpu_seconds": [round(t, 4) for t in times], "growth_per_doubling": growth}
        print(f"{name:26} " + "  ".join(f"{t:.3f}s" for t in times) + "   growth " + " ".join(f"x{g}" for g in growth))
    worst = max(max(r["growth_per_doubling"]) for r in result.values())
    print(f"worst growth per doubling: x{worst} (2 is linear, 4 quadratic)")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"worst_growth_per_doubling": worst, "constructions": result}, indent=2) + "\n",
                       encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
