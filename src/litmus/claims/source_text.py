"""Reading a cited abstract around the metrics extracted from it: the sentence a figure stands in, the
composite response it reports, the time points and endpoints that sentence names, and the figures it
writes that the extractor did not link.

A thin adapter over the outcome-metric extractor's public helpers (`litmus.nlp.sentences`,
`litmus.nlp.endpoints.find_endpoints`, `litmus.nlp.values.find_masks`), so verification reads the
source with the same grammar the extractor does and one module follows it when it changes. The
composite reading fills in `OutcomeMetric.composite` for metrics extracted before the extractor named
composites (the field is None there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from litmus.records import OutcomeMetric

# Composite responses as abstracts write them, most specific first; the code is what litmus calls it.
_COMPOSITES = (
    ("CR/CRi", re.compile(
        r"\bCRs?\s*(?:/|\+|\bor\b|\band\b)\s*CRi\b|\bCR\s*/\s*CRi\b|"
        r"complete\s+(?:remission|response)s?\s*(?:\(CR\)\s*)?(?:or|and|/|plus)\s*(?:a\s+)?complete\s+"
        r"(?:remission|response)s?\s+with\s+incomplete\s+(?:[\w-]+\s+){0,3}recovery", re.I)),
    ("CR/CRh", re.compile(
        r"\bCRs?\s*(?:/|\+|\bor\b|\band\b)\s*CRh\b|complete\s+(?:remission|response)s?\s*(?:or|and|/)\s*"
        r"complete\s+(?:remission|response)s?\s+with\s+partial\s+(?:[\w-]+\s+){0,2}recovery", re.I)),
    ("sCR", re.compile(r"\bsCR\b|stringent\s+complete\s+(?:remission|response)", re.I)),
    (">=VGPR", re.compile(
        r"(?:≥|>=)\s*VGPR|\bVGPR\s+or\s+better|at\s+least\s+(?:a\s+)?(?:very\s+good\s+partial\s+response|VGPR)",
        re.I)),
)
_COMPOSITE_LABEL = re.compile(r"/|\bor\b|\+|with incomplete", re.I)
_GAP_BEFORE_VALUE = 45  # "CR/CRi was achieved in 13 of 15 patients (86%)"
_GAP_AFTER_VALUE = 30  # "13 of 15 patients (86%) were in CR or CRi"
_NUMBER = re.compile(
    r"(?<![\w.])(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>%|percent\b|per\s?cent\b|months?\b|years?\b|days?\b|"
    r"weeks?\b|patients\b|subjects\b|participants\b|cases\b|children\b|adults\b)",
    re.I,
)
_UNIT_NAMES = {"%": "%", "percent": "%", "per cent": "%", "percentage": "%", "month": "months", "year": "years",
               "day": "days", "week": "weeks", "patient": "patients", "subject": "patients",
               "participant": "patients", "case": "patients", "children": "patients", "adult": "patients"}


@dataclass(frozen=True, slots=True)
class SourceSentence:
    text: str
    start: int  # offsets in the abstract
    end: int


@dataclass(frozen=True, slots=True)
class WrittenNumber:
    value: float
    unit: str  # "%", "months", "years", "days", "weeks", "patients"
    written: str
    start: int  # offsets in the sentence
    end: int


def abstract_sentences(abstract: str) -> tuple[SourceSentence, ...]:
    return _sentences(abstract)


@lru_cache(maxsize=256)
def _sentences(abstract: str) -> tuple[SourceSentence, ...]:
    from litmus.nlp.sentences import split_sentences

    return tuple(SourceSentence(abstract[a:b], a, b) for a, b in split_sentences(abstract))


def sentence_of(abstract: str | None, metric: OutcomeMetric) -> SourceSentence:
    """The abstract sentence a metric stands in, with its offsets (the metric's own sentence without them)."""
    if abstract and 0 <= metric.start < len(abstract):
        for sentence in abstract_sentences(abstract):
            if sentence.start <= metric.start < sentence.end:
                return sentence
    return SourceSentence(metric.sentence, -1, -1)


def value_span_in_sentence(metric: OutcomeMetric, sentence: SourceSentence) -> tuple[int, int] | None:
    if sentence.start < 0:
        return None
    return metric.start - sentence.start, metric.end - sentence.start


def composite_of(metric: OutcomeMetric, abstract: str | None = None) -> str | None:
    """The composite response a metric reports: its own field, else read around its value."""
    if metric.composite:
        return metric.composite
    if metric.endpoint not in {"CR", "CRi", "ORR", "OTHER"}:
        return None
    label = metric.label or ""
    for code, pattern in _COMPOSITES:
        if pattern.search(label) or (metric.endpoint == "CRi" and code == "CR/CRi" and _COMPOSITE_LABEL.search(label)):
            return code
    sentence = sentence_of(abstract, metric)
    span = value_span_in_sentence(metric, sentence)
    if span is None:
        found = metric.sentence.find(label) if label else -1
        span = (found, found + len(label)) if found >= 0 else None
    if span is None:
        return None
    return _composite_near(sentence.text, *span)


def _composite_near(text: str, value_start: int, value_end: int) -> str | None:
    for code, pattern in _COMPOSITES:
        for match in pattern.finditer(text):
            before = match.end() <= value_start and value_start - match.end() <= _GAP_BEFORE_VALUE
            after = match.start() >= value_end and match.start() - value_end <= _GAP_AFTER_VALUE
            between = text[match.end():value_start] if before else text[value_end:match.start()] if after else ""
            if (before or after) and not re.search(r"\d|;", between):
                return code
    return None


def timepoints_in(sentence: str) -> list[float]:
    """Every time point a sentence states, in months: "The 1-year OS and EFS were …" -> [12.0]."""
    from litmus.nlp.values import find_masks

    _, _, timepoints = find_masks(sentence)
    return [months for t in timepoints for months in t.months]


def endpoints_in(sentence: str) -> set[str]:
    """Endpoint codes a sentence names ("complete remission" -> CR)."""
    from litmus.nlp.endpoints import find_endpoints

    return {mention.code for mention in find_endpoints(sentence)}


def written_numbers(sentence: str) -> list[WrittenNumber]:
    """Figures written with a unit ("71%", "14.8 months", "28 patients"), whether or not they were linked."""
    found = []
    for match in _NUMBER.finditer(sentence):
        unit_word = re.sub(r"\s+", " ", match.group("unit").lower())
        unit = _UNIT_NAMES.get(unit_word) or _UNIT_NAMES.get(unit_word.rstrip("s"), unit_word)
        found.append(WrittenNumber(float(match.group("number")), unit, match.group("number"),
                                   match.start("number"), match.end()))
    return found
