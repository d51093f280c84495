"""Choose fresh real abstracts for annotation rounds, the same way every time.

    .venv/bin/python bench/eval/select_texts.py --split r1 --count 30 [--write]
    .venv/bin/python bench/eval/select_texts.py --spread test-real:45,r1:30,r2:30 [--write]

Candidates are the abstracts of ../shared/data (evidence-inference articles and MEDLINE trial
records) that state outcome figures, are not yet in bench/eval/texts, and are not publications kept
for independent evaluation (../shared/data/RESERVED-EVAL.md, matched by PMID and by title).
Haematology and cell therapy come first, then other oncology, then other trials; within a tier the
order is a hash of the document id, so a selection does not depend on who runs it. --spread deals
the next candidates out to several splits in proportion to their sizes, so that each split gets the
same mix of tiers. Without --write it prints the chosen ids; with it, it appends them to
bench/eval/texts/<split>.jsonl.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))  # the scoring harness is a tool, not part of the package
from metric_scoring import (
    EVIDENCE_INFERENCE_PREFIX, MEDLINE_PREFIX, load_texts, read_evidence_inference_abstract, read_medline_abstracts,
)

EVAL = Path(__file__).resolve().parent
SHARED_DATA = Path(os.environ.get("LITMUS_SHARED_DIR", EVAL.parents[2] / "shared")) / "data"

HAEMATOLOGY = re.compile(r"lymphoma|leuk(?:a)?emi|myeloma|myelodysplas|chimeric antigen|CAR[- ]T|haematopoietic"
                         r"|hematopoietic|bone marrow|haematolog|hematolog|stem cell", re.IGNORECASE)
ONCOLOGY = re.compile(r"cancer|carcinoma|tumou?r|malignan|metasta|sarcoma|glioma|melanoma|chemotherap|oncolog",
                      re.IGNORECASE)
OUTCOME_WORDS = re.compile(r"respon[sd]|remission|survival|progression|relapse|died|death|mortality|toxicit"
                           r"|cytokine release|neurotoxic|enrol|randomi[sz]ed|median", re.IGNORECASE)
FIGURE = re.compile(r"\d+(?:\.\d+)?\s*%|\d+\s*(?:months|years)\b")


def reserved(shared_data: Path) -> tuple[set[str], list[str]]:
    """PMIDs and normalised titles of RESERVED-EVAL.md."""
    pmids, titles = set(), []
    path = shared_data / "RESERVED-EVAL.md"
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].isdigit():
            pmids.add(cells[0])
        if len(cells) >= 3 and cells[2] and not cells[2].startswith("---") and cells[2] != "title (as catalogued)":
            titles.append(_norm(cells[2]))
    return pmids, titles


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _is_reserved(title: str, pmid: str | None, reserved_pmids: set[str], reserved_titles: list[str]) -> bool:
    if pmid and pmid in reserved_pmids:
        return True
    title = _norm(title)
    return bool(title) and any(SequenceMatcher(None, title, r).ratio() > 0.8 for r in reserved_titles)


def candidates(shared_data: Path) -> list[tuple[int, str, str]]:
    """(tier, doc id, text) of every eligible abstract, in selection order."""
    reserved_pmids, reserved_titles = reserved(shared_data)
    found = []
    folder = shared_data / "real-text" / "evidence-inference-articles"
    for path in sorted(folder.glob("*.abst")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        title = raw.split("ABSTRACT", 1)[0].replace("TITLE:", " ")
        found.append((f"{EVIDENCE_INFERENCE_PREFIX}{path.name}", title, None, read_evidence_inference_abstract(path)))
    medline_titles = _medline_titles(shared_data)
    for pmid, text in read_medline_abstracts(shared_data).items():
        found.append((f"{MEDLINE_PREFIX}{pmid}", medline_titles.get(pmid, ""), pmid, text))
    chosen = []
    for doc, title, pmid, text in found:
        if not text or _is_reserved(title, pmid, reserved_pmids, reserved_titles):
            continue
        if len(FIGURE.findall(text)) < 3 or len(OUTCOME_WORDS.findall(text)) < 3 or len(text) > 3500:
            continue
        whole = f"{title} {text}"
        tier = 0 if HAEMATOLOGY.search(whole) else 1 if ONCOLOGY.search(whole) else 2
        chosen.append((tier, hashlib.sha256(doc.encode()).hexdigest(), doc, text))
    return [(tier, doc, text) for tier, _, doc, text in sorted(chosen)]


def _medline_titles(shared_data: Path) -> dict[str, str]:
    path = shared_data / "real-text" / "robotreviewer-medline-1000.txt"
    titles, pmid, field = {}, None, None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if path.exists() else []:
        if line[:4].strip() and line[4:6] == "- ":
            field = line[:4].strip()
            if field == "PMID":
                pmid = line[6:].strip()
            elif field == "TI" and pmid:
                titles[pmid] = line[6:].strip()
        elif field == "TI" and pmid and line.startswith("      "):
            titles[pmid] += " " + line.strip()
    return titles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", help="the split to fill, e.g. r1 or test-real")
    parser.add_argument("--count", type=int, help="how many abstracts to choose")
    parser.add_argument("--spread", type=_quotas, help="SPLIT:COUNT,…: fill several splits with the same mix")
    parser.add_argument("--tier", type=int, choices=(0, 1, 2), help="only this tier (0 haematology, 1 oncology)")
    parser.add_argument("--write", action="store_true", help="append them to bench/eval/texts/<split>.jsonl")
    args = parser.parse_args()
    quotas = args.spread or ({args.split: args.count} if args.split and args.count else None)
    if not quotas:
        parser.error("give --split and --count, or --spread")
    if not SHARED_DATA.exists():
        sys.exit(f"{SHARED_DATA} is absent: real abstracts are read from ../shared/data")
    used = {t.doc for t in load_texts(EVAL / "texts", None)}
    pool = [(tier, doc) for tier, doc, _ in candidates(SHARED_DATA)
            if doc not in used and (args.tier is None or tier == args.tier)]
    wanted = sum(quotas.values())
    if len(pool) < wanted:
        sys.exit(f"only {len(pool)} eligible abstracts left, {wanted} wanted")
    for split, docs in deal(pool[:wanted], quotas).items():
        for tier, doc in docs:
            print(f"{split} {tier} {doc}")
        if args.write:
            with open(EVAL / "texts" / f"{split}.jsonl", "a", encoding="utf-8") as out:
                for _, doc in docs:
                    out.write(json.dumps({"doc": doc, "split": split, "source": "shared"}) + "\n")


def deal(pool: list, quotas: dict[str, int]) -> dict[str, list]:
    """Hand out `pool` in order, each item to the split furthest below its share so far."""
    dealt: dict[str, list] = {split: [] for split in quotas}
    for item in pool:
        split = min((s for s in quotas if len(dealt[s]) < quotas[s]), key=lambda s: len(dealt[s]) / quotas[s])
        dealt[split].append(item)
    return dealt


def _quotas(text: str) -> dict[str, int]:
    try:
        return {name: int(count) for name, count in (part.split(":") for part in text.split(","))}
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected SPLIT:COUNT,SPLIT:COUNT") from None


if __name__ == "__main__":
    main()
