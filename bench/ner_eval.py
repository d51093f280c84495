"""Mention-level evaluation of litmus entities against BC5CDR and the NCBI disease corpus.

Our labels are mapped to the corpora's: DISEASE and TOXICITY -> Disease, DRUG -> Chemical. Scores
are mention-level precision, recall and F1, exact (same start, end and type) and overlap (a
prediction counts if it overlaps a gold mention of its type, and a gold mention counts as found
if any prediction of its type overlaps it). Tune on the training sets, report on the development
sets (the default); the test sets are not in ../shared on purpose.

    .venv/bin/python bench/ner_eval.py [--split dev|train] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LITMUS_SHARED_DIR", ROOT.parent / "shared"))
CORPORA = SHARED / "data" / "ner-corpora"
RESULTS = ROOT / "bench" / "results" / "ner_eval.json"

SPLITS = {
    "dev": {"bc5cdr": "bc5cdr/CDR_DevelopmentSet.PubTator.txt", "ncbi-disease": "ncbi-disease/NCBIdevelopset_corpus.txt"},
    "train": {"bc5cdr": "bc5cdr/CDR_TrainingSet.PubTator.txt", "ncbi-disease": "ncbi-disease/NCBItrainset_corpus.txt"},
}
CORPUS_TYPES = {"bc5cdr": ("Disease", "Chemical"), "ncbi-disease": ("Disease",)}
# NCBI's finer disease classes all count as Disease
GOLD_TYPES = {"Disease": "Disease", "Chemical": "Chemical", "SpecificDisease": "Disease",
              "DiseaseClass": "Disease", "CompositeMention": "Disease", "Modifier": "Disease"}
OUR_TYPES = {"DISEASE": "Disease", "TOXICITY": "Disease", "DRUG": "Chemical"}
# our DRUG concepts for classes ("BTK inhibitors", "chemotherapy") and regimens ("R-CHOP") are not
# chemical names in the corpora's sense
NOT_CHEMICAL_MENTIONS = {"class", "regimen"}

Mention = tuple[int, int, str]  # start, end, type


@dataclass
class Document:
    pmid: str
    text: str
    mentions: list[Mention] = field(default_factory=list)


def read_pubtator(lines: Iterable[str]) -> list[Document]:
    """PubTator blocks: `pmid|t|title`, `pmid|a|abstract`, then tab-separated mentions."""
    documents: dict[str, Document] = {}
    titles: dict[str, str] = {}
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            continue
        if "|t|" in line[:20]:
            pmid, _, title = line.split("|", 2)
            titles[pmid] = title
        elif "|a|" in line[:20]:
            pmid, _, abstract = line.split("|", 2)
            documents[pmid] = Document(pmid, f"{titles.get(pmid, '')} {abstract}")
        else:
            fields = line.split("\t")
            if len(fields) >= 5 and fields[0] in documents and fields[4] in GOLD_TYPES:
                documents[fields[0]].mentions.append((int(fields[1]), int(fields[2]), GOLD_TYPES[fields[4]]))
    return list(documents.values())


def predicted_mentions(doc) -> list[Mention]:
    return [(m.start, m.end, OUR_TYPES[m.label]) for m in doc._.entity_mentions
            if m.label in OUR_TYPES and m.attributes.get("kind") not in NOT_CHEMICAL_MENTIONS]


def _prf(tp_precision: int, predicted: int, tp_recall: int, gold: int) -> dict[str, float]:
    precision = tp_precision / predicted if predicted else 0.0
    recall = tp_recall / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _overlaps(a: Mention, b: Mention) -> bool:
    return a[2] == b[2] and a[0] < b[1] and b[0] < a[1]


def score(gold: list[list[Mention]], predicted: list[list[Mention]], types: Iterable[str]) -> dict:
    """Exact and overlap P/R/F1 per type over parallel lists of documents' mentions."""
    report = {}
    for mention_type in types:
        counts = {"gold": 0, "predicted": 0, "exact": 0, "overlap_predicted": 0, "overlap_gold": 0}
        for gold_doc, predicted_doc in zip(gold, predicted, strict=True):
            g = {m for m in gold_doc if m[2] == mention_type}
            p = {m for m in predicted_doc if m[2] == mention_type}
            counts["gold"] += len(g)
            counts["predicted"] += len(p)
            counts["exact"] += len(g & p)
            counts["overlap_predicted"] += sum(any(_overlaps(m, n) for n in g) for m in p)
            counts["overlap_gold"] += sum(any(_overlaps(m, n) for n in p) for m in g)
        report[mention_type] = {
            **counts,
            "exact": _prf(counts["exact"], counts["predicted"], counts["exact"], counts["gold"]),
            "overlap": _prf(counts["overlap_predicted"], counts["predicted"], counts["overlap_gold"], counts["gold"]),
            "exact_matches": counts["exact"],
        }
    return report


def evaluate(nlp, documents: list[Document], types: Iterable[str]) -> dict:
    predictions = [predicted_mentions(doc) for doc in nlp.pipe((d.text for d in documents), batch_size=64)]
    return score([d.mentions for d in documents], predictions, types)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=sorted(SPLITS), default="dev")
    parser.add_argument("--limit", type=int, default=None, help="first N documents of each corpus")
    args = parser.parse_args(argv)
    if not CORPORA.is_dir():
        print(f"{CORPORA} is absent: this evaluation needs ../shared/data", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT / "src"))
    from litmus.nlp.pipeline import PipelineConfig, build_pipeline

    nlp = build_pipeline(PipelineConfig(base_model=None, metrics=False))
    results = {"split": args.split, "label_map": OUR_TYPES, "corpora": {}}
    for corpus, relative in SPLITS[args.split].items():
        with (CORPORA / relative).open(encoding="utf-8") as lines:
            documents = read_pubtator(lines)[: args.limit]
        start = time.perf_counter()
        report = evaluate(nlp, documents, CORPUS_TYPES[corpus])
        results["corpora"][corpus] = {"documents": len(documents), "file": relative,
                                      "seconds": round(time.perf_counter() - start, 2), "scores": report}
        for mention_type, s in report.items():
            print(f"{corpus:13} {mention_type:9} gold={s['gold']:5} pred={s['predicted']:5}  "
                  f"exact P/R/F1 {s['exact']['precision']:.3f}/{s['exact']['recall']:.3f}/{s['exact']['f1']:.3f}  "
                  f"overlap P/R/F1 {s['overlap']['precision']:.3f}/{s['overlap']['recall']:.3f}/{s['overlap']['f1']:.3f}")
    if args.split == "dev" and args.limit is None:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
