"""Scoring the outcome-metric extractor against hand-annotated gold (format: bench/eval/README.md).

A predicted metric matches a gold one when the document, endpoint and unit are the same and the
values agree within 0.05 (or are both absent, as for "not reached"). The strict score also asks
for the gold's count, total and timepoint when the gold states them. The headline score leaves
out OTHER (its labels are free text); OTHER is scored on its own by endpoint only.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from litmus.records import OutcomeMetric

VALUE_TOLERANCE = 0.05
SHARED_PREFIX = "evidence-inference:"


@dataclass(frozen=True, slots=True)
class GoldMetric:
    doc: str
    endpoint: str
    stat: str
    value: float | None
    unit: str | None
    timepoint_months: float | None = None
    count: int | None = None
    total: int | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    group: str | None = None
    quote: str | None = None


@dataclass(frozen=True, slots=True)
class EvalText:
    doc: str
    text: str | None  # None when it lives in ../shared and that folder is absent
    split: str  # "dev" (tuned on) or "heldout"
    source: str  # "inline" or "shared"


@dataclass(frozen=True, slots=True)
class PRF:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass(frozen=True, slots=True)
class Scores:
    overall: PRF  # every endpoint but OTHER
    strict: PRF  # as overall, also requiring count/total/timepoint when the gold has them
    other: PRF  # OTHER alone
    per_endpoint: dict[str, PRF] = field(default_factory=dict)
    errors: tuple[str, ...] = ()  # one line per false positive / negative, for reading

    def as_dict(self) -> dict:
        return {"overall": self.overall.as_dict(), "strict": self.strict.as_dict(),
                "other": self.other.as_dict(),
                "per_endpoint": {k: v.as_dict() for k, v in sorted(self.per_endpoint.items())}}


def load_gold(path: str | Path) -> list[GoldMetric]:
    """Gold metrics from a JSONL file, one metric per line."""
    fields = GoldMetric.__slots__
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            rows.append(GoldMetric(**{k: record.get(k) for k in fields}))
    return rows


def load_texts(path: str | Path, shared_data: Path | None) -> list[EvalText]:
    """Texts of the evaluation set: inline ones, and shared ones read from `shared_data` when present."""
    texts = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        split = record.get("split", "dev")
        if record.get("source") == "shared":
            text = _shared_text(record["doc"], shared_data)
            texts.append(EvalText(record["doc"], text, split, "shared"))
        else:
            texts.append(EvalText(record["doc"], record["text"], split, "inline"))
    return texts


def _shared_text(doc: str, shared_data: Path | None) -> str | None:
    if shared_data is None or not doc.startswith(SHARED_PREFIX):
        return None
    path = shared_data / "real-text" / "evidence-inference-articles" / doc[len(SHARED_PREFIX):]
    return read_evidence_inference_abstract(path) if path.exists() else None


def read_evidence_inference_abstract(path: Path) -> str:
    """The ABSTRACT.* sections of an evidence-inference article, one section per line, headings dropped."""
    sections, current = [], None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        heading = line.strip()
        if heading.startswith(("TITLE", "ABSTRACT", "BODY")) and heading.endswith((":", ".")) and " " not in heading:
            current = [] if line.startswith("ABSTRACT") else None
            if current is not None:
                sections.append(current)
        elif current is not None and line.strip():
            current.append(line.strip())
    return "\n".join(" ".join(section) for section in sections if section)


def _values_agree(predicted: float | None, gold: float | None) -> bool:
    if predicted is None or gold is None:
        return predicted is None and gold is None
    return abs(predicted - gold) <= VALUE_TOLERANCE


def _matches(predicted: OutcomeMetric, gold: GoldMetric, strict: bool) -> bool:
    if predicted.endpoint != gold.endpoint or (predicted.unit or None) != (gold.unit or None):
        return False
    if not _values_agree(predicted.value, gold.value):
        return False
    if strict:
        for name in ("count", "total"):
            expected = getattr(gold, name)
            if expected is not None and getattr(predicted, name) != expected:
                return False
        if gold.timepoint_months is not None and not _values_agree(predicted.timepoint_months, gold.timepoint_months):
            return False
    return True


def _match_doc(predicted: Sequence[OutcomeMetric], gold: Sequence[GoldMetric], strict: bool):
    """Greedy one-to-one matching; returns (matched pairs, unmatched predicted, unmatched gold)."""
    free = list(predicted)
    pairs, missed = [], []
    for expected in gold:
        hit = next((p for p in free if _matches(p, expected, strict)), None)
        if hit is None:
            missed.append(expected)
        else:
            free.remove(hit)
            pairs.append((hit, expected))
    return pairs, free, missed


def score(predicted: Mapping[str, Sequence[OutcomeMetric]], gold: Iterable[GoldMetric]) -> Scores:
    """P/R/F1 of `predicted` (metrics per document key) against `gold`, over the documents in `predicted`."""
    gold_by_doc: dict[str, list[GoldMetric]] = defaultdict(list)
    for metric in gold:
        gold_by_doc[metric.doc].append(metric)
    counts = defaultdict(lambda: [0, 0, 0])  # endpoint -> tp, fp, fn
    strict_counts = [0, 0, 0]
    errors = []
    for doc, metrics in predicted.items():
        expected = gold_by_doc.get(doc, [])
        pairs, spurious, missed = _match_doc(metrics, expected, strict=False)
        for p, _ in pairs:
            counts[p.endpoint][0] += 1
        for p in spurious:
            counts[p.endpoint][1] += 1
            errors.append(f"FP {doc} {p.endpoint} {p.value} {p.unit} | {p.sentence[:140]}")
        for g in missed:
            counts[g.endpoint][2] += 1
            errors.append(f"FN {doc} {g.endpoint} {g.value} {g.unit} | {g.quote or ''}")
        headline = [m for m in metrics if m.endpoint != "OTHER"]
        strict_pairs, strict_fp, strict_fn = _match_doc(headline, [g for g in expected if g.endpoint != "OTHER"], True)
        strict_counts[0] += len(strict_pairs)
        strict_counts[1] += len(strict_fp)
        strict_counts[2] += len(strict_fn)
    per_endpoint = {code: PRF(*c) for code, c in counts.items()}
    headline_counts = [sum(c[i] for code, c in counts.items() if code != "OTHER") for i in range(3)]
    return Scores(
        overall=PRF(*headline_counts),
        strict=PRF(*strict_counts),
        other=per_endpoint.get("OTHER", PRF(0, 0, 0)),
        per_endpoint=per_endpoint,
        errors=tuple(errors),
    )


def evaluate(texts: Iterable[EvalText], gold: Iterable[GoldMetric],
             extractor: Callable[[str], list[OutcomeMetric]] | None = None,
             splits: tuple[str, ...] = ("dev", "heldout")) -> Scores:
    """Run the extractor on every available text of the chosen splits and score it."""
    if extractor is None:
        from litmus.nlp.metrics import extract_metrics as extractor
    predicted = {t.doc: extractor(t.text) for t in texts if t.text is not None and t.split in splits}
    return score(predicted, gold)


def numeric_outcome_pairs(shared_data: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    """(abstract text, annotated (events, group size) pairs) per trial of ../shared numeric-outcomes."""
    from lxml import etree

    folder = shared_data / "numeric-outcomes"
    items = json.loads((folder / "annotated_rct_dataset.json").read_text(encoding="utf-8"))
    pairs: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for item in items:
        for arm in ("intervention", "comparator"):
            events, size = str(item.get(f"{arm}_events") or ""), str(item.get(f"{arm}_group_size") or "")
            if events.isdigit() and size.isdigit() and 0 < int(size):
                pairs[str(item["pmcid"])].add((int(events), int(size)))
    trials = []
    for pmcid, expected in sorted(pairs.items()):
        path = folder / "abstract_and_results_xml_files" / f"PMC{pmcid}.xml"
        if not path.exists():
            continue
        root = etree.fromstring(b"<root>" + path.read_bytes() + b"</root>", etree.XMLParser(recover=True))
        abstract = root.find("abstract")
        if abstract is not None:
            trials.append((" ".join(" ".join(abstract.itertext()).split()), sorted(expected)))
    return trials


def proportion_recall(trials: Sequence[tuple[str, list[tuple[int, int]]]]) -> tuple[int, int]:
    """How many annotated (events, group size) pairs the extractor reads as k/n from the abstracts."""
    from litmus.nlp.metrics import find_proportions

    found = total = 0
    for text, expected in trials:
        read = set(find_proportions(text))
        total += len(expected)
        found += sum(1 for pair in expected if pair in read)
    return found, total
