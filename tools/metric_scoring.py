"""Scoring the outcome-metric extractor against hand-annotated gold (bench/eval/README.md, GUIDELINES.md).

A predicted metric matches a gold one when the document, endpoint and unit are the same and the
values agree within 0.05 (or are both absent, as for "not reached"). Three levels:
`overall` asks for endpoint, value and unit; `timed` also for the time point whenever the gold
states one (the target score); `strict` also for count and total when the gold states them.
All leave out OTHER (its labels are free text); OTHER is scored on its own by endpoint only.
Beside them: recall of stated group sizes and of zero-event safety results, and how often a
matched rate carries the k and n its gold states.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from litmus.records import OutcomeMetric

VALUE_TOLERANCE = 0.05
EVIDENCE_INFERENCE_PREFIX = "evidence-inference:"
MEDLINE_PREFIX = "medline:"  # a PMID of real-text/robotreviewer-medline-1000.txt
SHARED_PREFIXES = (EVIDENCE_INFERENCE_PREFIX, MEDLINE_PREFIX)
COUNT_ENDPOINTS = frozenset({"N_ENROLLED", "N_TREATED", "N_EVALUABLE"})
SAFETY_ENDPOINTS = frozenset({"CRS_ANY", "CRS_GE3", "ICANS_ANY", "ICANS_GE3", "NRM", "MORTALITY"})


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
    composite: str | None = None  # "CR/CRi", "sCR", ">=VGPR": which composite the figure is
    at: int | None = None  # character offset of the value in the harness text (real texts carry no quote)
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
class Recall:
    found: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.found / self.total if self.total else None

    def as_dict(self) -> dict:
        rate = self.rate
        return {"found": self.found, "total": self.total, "recall": None if rate is None else round(rate, 4)}


@dataclass(frozen=True, slots=True)
class Scores:
    overall: PRF  # every endpoint but OTHER: endpoint, value, unit
    strict: PRF  # as timed, also requiring count/total when the gold has them
    other: PRF  # OTHER alone
    per_endpoint: dict[str, PRF] = field(default_factory=dict)
    errors: tuple[str, ...] = ()  # one line per false positive / negative, for reading
    timed: PRF = PRF(0, 0, 0)  # as overall, also requiring the time point when the gold states one
    group_sizes: Recall = Recall(0, 0)  # gold N_* with a group, found (endpoint, value, unit)
    zero_events: Recall = Recall(0, 0)  # gold safety results of value 0, found
    kn_carried: Recall = Recall(0, 0)  # matched metrics whose gold states k or n: how many carry them
    composites: Recall = Recall(0, 0)  # matched metrics whose gold names a composite: how many name it too
    timed_per_endpoint: dict[str, PRF] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"overall": self.overall.as_dict(), "timed": self.timed.as_dict(), "strict": self.strict.as_dict(),
                "other": self.other.as_dict(), "group_sizes": self.group_sizes.as_dict(),
                "zero_events": self.zero_events.as_dict(), "kn_carried": self.kn_carried.as_dict(),
                "composites": self.composites.as_dict(),
                "per_endpoint": {k: v.as_dict() for k, v in sorted(self.per_endpoint.items())},
                "timed_per_endpoint": {k: v.as_dict() for k, v in sorted(self.timed_per_endpoint.items())}}


def _jsonl_records(path: str | Path) -> list[dict]:
    """The records of a JSONL file, or of every *.jsonl file of a folder in name order."""
    path = Path(path)
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    return [json.loads(line) for file in files for line in file.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def load_gold(path: str | Path) -> list[GoldMetric]:
    """Gold metrics from a JSONL file (or a folder of them), one metric per line.

    In a folder, a document's gold is the lines of the last file (in name order) that annotates it:
    a re-annotation (`heldout-v2.jsonl`) replaces the older lines (`base.jsonl`) without editing them.
    """
    path = Path(path)
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    owner: dict[str, Path] = {}
    per_file = [(file, _jsonl_records(file)) for file in files]
    for file, records in per_file:
        for record in records:
            owner[record["doc"]] = file
    fields = GoldMetric.__slots__
    return [GoldMetric(**{k: record.get(k) for k in fields})
            for file, records in per_file for record in records if owner[record["doc"]] == file]


def load_texts(path: str | Path, shared_data: Path | None) -> list[EvalText]:
    """Texts of the evaluation set: inline ones, and shared ones read from `shared_data` when present."""
    texts = []
    medline = None
    for record in _jsonl_records(path):
        split = record.get("split", "dev")
        if record.get("source") == "shared":
            doc = record["doc"]
            if doc.startswith(MEDLINE_PREFIX) and medline is None:
                medline = read_medline_abstracts(shared_data) if shared_data is not None else {}
            texts.append(EvalText(doc, shared_text(doc, shared_data, medline), split, "shared"))
        else:
            texts.append(EvalText(record["doc"], record["text"], split, "inline"))
    return texts


def shared_text(doc: str, shared_data: Path | None, medline: Mapping[str, str] | None = None) -> str | None:
    """The text the harness gives the extractor for a shared document reference, or None when absent."""
    if shared_data is None:
        return None
    if doc.startswith(EVIDENCE_INFERENCE_PREFIX):
        path = shared_data / "real-text" / "evidence-inference-articles" / doc[len(EVIDENCE_INFERENCE_PREFIX):]
        return read_evidence_inference_abstract(path) if path.exists() else None
    if doc.startswith(MEDLINE_PREFIX):
        abstracts = medline if medline is not None else read_medline_abstracts(shared_data)
        return abstracts.get(doc[len(MEDLINE_PREFIX):])
    return None


def read_medline_abstracts(shared_data: Path) -> dict[str, str]:
    """PMID -> the AB field (continuation lines joined) of ../shared's MEDLINE-format trial records."""
    path = shared_data / "real-text" / "robotreviewer-medline-1000.txt"
    if not path.exists():
        return {}
    abstracts: dict[str, str] = {}
    pmid, field_name, parts = None, None, []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line[:4].strip() and line[4:6] == "- ":
            if field_name == "AB" and pmid:
                abstracts[pmid] = " ".join(parts)
            field_name, parts = line[:4].strip(), [line[6:].strip()]
            if field_name == "PMID":
                pmid = line[6:].strip()
        elif line.startswith("      ") and field_name:
            parts.append(line.strip())
    if field_name == "AB" and pmid:
        abstracts[pmid] = " ".join(parts)
    return abstracts


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


LOOSE, TIMED, STRICT = 0, 1, 2  # what a match asks for, in increasing order


def _matches(predicted: OutcomeMetric, gold: GoldMetric, level: int) -> bool:
    if predicted.endpoint != gold.endpoint or (predicted.unit or None) != (gold.unit or None):
        return False
    if not _values_agree(predicted.value, gold.value):
        return False
    if level >= TIMED and gold.timepoint_months is not None:
        if not _values_agree(predicted.timepoint_months, gold.timepoint_months):
            return False
    if level >= STRICT:
        for name in ("count", "total"):
            expected = getattr(gold, name)
            if expected is not None and getattr(predicted, name) != expected:
                return False
    return True


def _normalised_composite(text: str | None) -> str | None:
    return "".join(ch for ch in text.lower() if ch.isalnum()) if text else None


def _match_doc(predicted: Sequence[OutcomeMetric], gold: Sequence[GoldMetric], level: int):
    """Greedy one-to-one matching; returns (matched pairs, unmatched predicted, unmatched gold)."""
    free = list(predicted)
    pairs, missed = [], []
    for expected in gold:
        hit = next((p for p in free if _matches(p, expected, level)), None)
        if hit is None:
            missed.append(expected)
        else:
            free.remove(hit)
            pairs.append((hit, expected))
    return pairs, free, missed


def score(predicted: Mapping[str, Sequence[OutcomeMetric]], gold: Iterable[GoldMetric],
          texts: Mapping[str, str] | None = None) -> Scores:
    """P/R/F1 of `predicted` (metrics per document key) against `gold`, over the documents in `predicted`.

    `texts` (document key -> text) lets error lines show where a missed gold value stands.
    """
    gold_by_doc: dict[str, list[GoldMetric]] = defaultdict(list)
    for metric in gold:
        gold_by_doc[metric.doc].append(metric)
    counts = defaultdict(lambda: [0, 0, 0])  # endpoint -> tp, fp, fn
    timed_counts = defaultdict(lambda: [0, 0, 0])
    strict_counts = [0, 0, 0]
    extra = {name: [0, 0] for name in ("group_sizes", "zero_events", "kn_carried", "composites")}
    errors = []
    for doc, metrics in predicted.items():
        expected = gold_by_doc.get(doc, [])
        pairs, spurious, missed = _match_doc(metrics, expected, LOOSE)
        for p, _ in pairs:
            counts[p.endpoint][0] += 1
        for p in spurious:
            counts[p.endpoint][1] += 1
            errors.append(f"FP {doc} {p.endpoint} {p.value} {p.unit} | {p.sentence[:140]}")
        for g in missed:
            counts[g.endpoint][2] += 1
            errors.append(f"FN {doc} {g.endpoint} {g.value} {g.unit} | {g.quote or _context(texts, doc, g.at)}")
        headline = [m for m in metrics if m.endpoint != "OTHER"]
        headline_gold = [g for g in expected if g.endpoint != "OTHER"]
        timed_pairs, timed_fp, timed_fn = _match_doc(headline, headline_gold, TIMED)
        for p, _ in timed_pairs:
            timed_counts[p.endpoint][0] += 1
        for p in timed_fp:
            timed_counts[p.endpoint][1] += 1
        for g in timed_fn:
            timed_counts[g.endpoint][2] += 1
        strict_pairs, strict_fp, strict_fn = _match_doc(headline, headline_gold, STRICT)
        strict_counts[0] += len(strict_pairs)
        strict_counts[1] += len(strict_fp)
        strict_counts[2] += len(strict_fn)
        found = {id(g) for _, g in pairs}
        for g in headline_gold:
            if g.endpoint in COUNT_ENDPOINTS and g.group:
                _tally(extra["group_sizes"], id(g) in found)
            if g.endpoint in SAFETY_ENDPOINTS and g.value == 0:
                _tally(extra["zero_events"], id(g) in found)
        for p, g in pairs:
            if g.count is not None or g.total is not None:
                _tally(extra["kn_carried"], (g.count is None or p.count == g.count)
                       and (g.total is None or p.total == g.total))
            if g.composite:
                _tally(extra["composites"], _normalised_composite(getattr(p, "composite", None))
                       == _normalised_composite(g.composite))
    per_endpoint = {code: PRF(*c) for code, c in counts.items()}
    headline_counts = [sum(c[i] for code, c in counts.items() if code != "OTHER") for i in range(3)]
    timed_per_endpoint = {code: PRF(*c) for code, c in timed_counts.items()}
    return Scores(
        overall=PRF(*headline_counts),
        strict=PRF(*strict_counts),
        other=per_endpoint.get("OTHER", PRF(0, 0, 0)),
        per_endpoint=per_endpoint,
        errors=tuple(errors),
        timed=PRF(*[sum(c[i] for c in timed_counts.values()) for i in range(3)]),
        group_sizes=Recall(*extra["group_sizes"]),
        zero_events=Recall(*extra["zero_events"]),
        kn_carried=Recall(*extra["kn_carried"]),
        composites=Recall(*extra["composites"]),
        timed_per_endpoint=timed_per_endpoint,
    )


def _tally(counter: list[int], hit: bool) -> None:
    counter[0] += int(hit)
    counter[1] += 1


def _context(texts: Mapping[str, str] | None, doc: str, at: int | None, width: int = 70) -> str:
    text = (texts or {}).get(doc)
    if text is None or at is None:
        return ""
    return " ".join(text[max(0, at - width):at + width].split())


def evaluate(texts: Iterable[EvalText], gold: Iterable[GoldMetric],
             extractor: Callable[[str], list[OutcomeMetric]] | None = None,
             splits: tuple[str, ...] = ("dev", "heldout")) -> Scores:
    """Run the extractor on every available text of the chosen splits and score it."""
    if extractor is None:
        from litmus.nlp.metrics import extract_metrics as extractor
    chosen = {t.doc: t.text for t in texts if t.text is not None and t.split in splits}
    predicted = {doc: extractor(text) for doc, text in chosen.items()}
    return score(predicted, gold, chosen)


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
