"""Tools for annotating outcome metrics by hand (bench/eval/GUIDELINES.md).

    .venv/bin/python bench/eval/annotate.py list SPLIT              the split's documents
    .venv/bin/python bench/eval/annotate.py show DOC                the exact text the extractor is given
    .venv/bin/python bench/eval/annotate.py locate DOC "87.7%"      offsets of a snippet (for `at`)
    .venv/bin/python bench/eval/annotate.py check gold/SPLIT.jsonl  validate a gold file

None of these runs the extractor: annotation stays blind.
"""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))  # the scoring harness is a tool, not part of the package
from metric_scoring import load_texts

EVAL = Path(__file__).resolve().parent
SHARED_DATA = Path(os.environ.get("LITMUS_SHARED_DIR", EVAL.parents[2] / "shared")) / "data"

ENDPOINTS = {"ORR", "CR", "CRi", "PR", "SD", "PD", "VGPR", "MRD_NEG", "PFS", "OS", "EFS", "LFS", "DOR", "RELAPSE",
             "CRS_ANY", "CRS_GE3", "ICANS_ANY", "ICANS_GE3", "NRM", "MORTALITY", "N_ENROLLED", "N_TREATED",
             "N_EVALUABLE", "FOLLOW_UP"}
STATS = {"rate", "median", "count", "hr"}
UNITS = {"%", "months", "years", "weeks", "days", "patients", None}
# Splits annotated under guideline v1 quote nothing and carry no offsets.
V1_SPLITS = {"dev", "dev2", "heldout", "heldout-new", "heldout-real2"}
FIELDS = {"doc", "endpoint", "stat", "value", "unit", "timepoint_months", "count", "total", "ci_low", "ci_high",
          "group", "composite", "at", "quote"}


def texts_by_doc() -> dict:
    shared = SHARED_DATA if SHARED_DATA.exists() else None
    return {t.doc: t for t in load_texts(EVAL / "texts", shared)}


def problems(record: dict, text: str | None) -> list[str]:
    """What is wrong with one gold record (an empty list when nothing is)."""
    found = [f"unknown field {name!r}" for name in record if name not in FIELDS]
    endpoint, stat, unit, value = record.get("endpoint"), record.get("stat"), record.get("unit"), record.get("value")
    if endpoint not in ENDPOINTS:
        found.append(f"endpoint {endpoint!r} is not in the inventory")
    if stat not in STATS:
        found.append(f"stat {stat!r} is not one of {sorted(STATS)}")
    if unit not in UNITS:
        found.append(f"unit {unit!r} is not one of {sorted(u for u in UNITS if u)} or null")
    if "value" not in record or "unit" not in record:
        found.append("value and unit are always present (null for 'not reached')")
    if stat == "rate" and unit != "%":
        found.append("a rate has unit %")
    if stat == "count" and unit != "patients":
        found.append("a count has unit patients")
    if stat == "hr" and unit is not None:
        found.append("a hazard ratio has unit null")
    if stat == "median" and value is not None and unit not in {"months", "years", "weeks", "days"}:
        found.append("a median has a time unit")
    if value is None and unit is not None:
        found.append("'not reached' has value and unit null")
    count, total = record.get("count"), record.get("total")
    if stat == "rate" and value is not None and count is not None and total:
        if not math.isclose(100 * count / total, value, abs_tol=1.0):
            found.append(f"{count}/{total} is {100 * count / total:.1f}%, not {value}%")
    at = record.get("at")
    if text is not None and record.get("quote") is None:
        if at is None:
            found.append("a real text's gold needs `at`, the offset of the value")
        elif not 0 <= at < len(text):
            found.append(f"at {at} is outside the text ({len(text)} characters)")
    return found


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in {"list", "show", "locate", "check"}:
        print(__doc__)
        return 2
    command, target = argv[0], argv[1]
    if command == "check":
        texts = texts_by_doc()
        bad = 0
        for number, line in enumerate(Path(target).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            record = json.loads(line)
            known = texts.get(record.get("doc"))
            if known is None:
                print(f"line {number}: doc {record.get('doc')!r} is in no bench/eval/texts file")
                bad += 1
                continue
            needs_offset = known.source == "shared" and known.split not in V1_SPLITS
            for problem in problems(record, known.text if needs_offset else None):
                print(f"line {number} ({record['doc']} {record.get('endpoint')} {record.get('value')}): {problem}")
                bad += 1
        print(f"{bad} problem(s)")
        return 1 if bad else 0
    texts = texts_by_doc()
    if command == "list":
        for text in texts.values():
            if text.split == target:
                print(text.doc)
        return 0
    text = texts.get(target)
    if text is None or text.text is None:
        print(f"{target}: unknown document, or ../shared/data is absent")
        return 2
    if command == "show":
        print(text.text)
        return 0
    snippet = argv[2] if len(argv) > 2 else ""
    start = text.text.find(snippet)
    if not snippet or start < 0:
        print("not found")
        return 1
    while start >= 0:
        print(f"{start}: …{text.text[max(0, start - 60):start + len(snippet) + 60]}…")
        start = text.text.find(snippet, start + 1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
