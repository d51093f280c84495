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
    ("MRD-negative CR", re.compile(
        r"(?:MRD|minimal\s+residual\s+disease)[- ]negative\s+(?:CRs?|complete\s+(?:remission|response)s?)|"
        r"(?:CRs?|complete\s+(?:remission|response)s?)\s+(?:without\s+(?:detectable\s+)?|with\s+negative\s+)"
        r"(?:MRD|minimal\s+residual\s+disease)", re.I)),
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
    if metric.endpoint not in {"CR", "CRi", "ORR", "OTHER", "MRD_NEG"}:
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
            # "13 of 15 (86%) were in CR or CRi" links them; "50% and the CR/CRi rate" coordinates two figures.
            if (before or after) and not re.search(r"\d|;|,|\band\b|\bwhile\b|\bwhereas\b|\bversus\b|\bvs\b", between):
                return code
    return None


_AFTER_AN_EVENT = re.compile(
    r"\b(?P<n>\d+(?:\.\d+)?)\s+(?P<unit>days?|weeks?|months?|years?)\s+(?:after|from|post|following)\s+"
    r"(?:the\s+)?(?:infusion|treatment|transplant\w*|therapy|CAR|enrol\w*|randomi[sz]ation)", re.I)
_MONTHS_PER = {"day": 1 / 30.4375, "week": 7 / 30.4375, "month": 1.0, "year": 12.0}


def timepoints_in(sentence: str) -> list[float]:
    """Every time point a sentence states, in months: "The 1-year OS and EFS were …" -> [12.0]; also
    "six months after infusion", which the extractor's grammar leaves to the reader."""
    from litmus.nlp.numbers import digitise_number_words
    from litmus.nlp.values import find_masks

    _, _, timepoints = find_masks(sentence)
    months = [m for t in timepoints for m in t.months]
    for match in _AFTER_AN_EVENT.finditer(digitise_number_words(sentence)[0]):
        value = round(float(match.group("n")) * _MONTHS_PER[match.group("unit").lower().rstrip("s")], 4)
        if value not in months:
            months.append(value)
    return months


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


# ------------------------------------------------------------------------------ population counts

_COUNT = r"(?P<n>\d[\d,]*)"  # number words are digitised first
_ENROLLED = r"enrolled|recruited|included|registered|accrued|screened\s+and\s+enrolled|underwent\s+(?:leuk)?apheresis"
_TREATED = r"treated|infused|received|given|dosed"
_EVALUABLE = r"evaluable|evaluated|analy[sz]ed"
_KINDS = (("N_ENROLLED", _ENROLLED), ("N_TREATED", _TREATED), ("N_EVALUABLE", _EVALUABLE))
_PEOPLE = r"(?:patients|subjects|participants|children|adults|adolescents|cases|individuals|people|women|men)"
_POPULATION_PATTERNS = tuple(
    (endpoint, re.compile(pattern.replace("VERB", verb), re.I))
    for endpoint, verb in _KINDS
    for pattern in (
        # "52 patients aged 3 to 45 years with B-ALL were enrolled", "101 were infused", "113 patients who underwent apheresis"
        rf"(?<![\w.]){_COUNT}\s+(?:[^\s.;:]+\s+){{0,16}}?(?:(?:were|was|had\s+been|have\s+been|who)\s+)?(?:\w+ly\s+)?(?:VERB)\b",
        # "enrolled 52 patients", "infused CD22 CAR T cells into 24 children"
        rf"\b(?:VERB)\s+(?:[^\s.;:]+\s+){{0,6}}?(?:into\s+|in\s+|to\s+)?{_COUNT}\s+(?:[\w/()-]+\s+){{0,4}}?{_PEOPLE}\b",
    )
)


@dataclass(frozen=True, slots=True)
class PopulationCount:
    endpoint: str  # N_ENROLLED, N_TREATED, N_EVALUABLE
    value: int
    start: int  # offsets of the number in the sentence
    end: int


def population_counts(sentence: str) -> list[PopulationCount]:
    """Enrolled, treated and evaluable counts by the verb that governs each number; one per number.

    "52 patients … were enrolled, of whom 47 received …" -> enrolled 52, treated 47; "Of 113 patients
    who underwent apheresis, 101 were infused" -> enrolled 113, treated 101. Ages, phases, grades,
    durations, doses and ranges are never counts."""
    from litmus.nlp.numbers import digitise_number_words

    sentence, _ = digitise_number_words(sentence)  # "Twenty-one" -> "21" at the same offsets
    numbers = [m for m in re.finditer(rf"(?<![\w.]){_COUNT}(?![\w.])", sentence) if _may_count(sentence, m)]
    found: dict[int, PopulationCount] = {}
    word_starts = [m.start() for m in re.finditer(r"\b\w", sentence)]
    for endpoint, pattern in _POPULATION_PATTERNS:
        # Tried at every word: "52 … were enrolled and 47 received" has two answers.
        for match in filter(None, (pattern.match(sentence, at) for at in word_starts)):
            start = match.start("n")
            # Between the count and its verb: "52 … were enrolled and 47 received", "infused into 18 of 21"
            low, high = (match.end("n"), match.end()) if match.start() == start else (match.start(), start)
            inside = [n for n in numbers if low <= n.start() < high]
            if start in found or inside or not any(n.start() == start for n in numbers):
                continue  # another number nearer the verb owns it
            if len(re.findall(rf"\b(?:{_ENROLLED}|{_TREATED}|{_EVALUABLE})\b", sentence[low:high], re.I)) > 1:
                continue  # the verb of another count stands between
            if endpoint == "N_TREATED" and _PRIOR_THERAPY_AFTER.match(sentence[match.end():]):
                continue  # "had received three prior lines": earlier treatment, not the study's
            written = match.group("n").replace(",", "")
            value = int(written) if written.isdigit() else None
            if value:
                found[start] = PopulationCount(endpoint, value, start, match.end("n"))
    return sorted(found.values(), key=lambda c: c.start)


_NOT_A_COUNT_BEFORE = re.compile(r"(?:\b(?:phase|grade|aged?|ages|day|days|cycle|dose|level|version)|\d\s*(?:to|and)|[-–/])\s*$",
                                 re.I)
_PRIOR_THERAPY_AFTER = re.compile(r"^[^.;]{0,30}\b(?:prior|previous|lines?\s+of)\b", re.I)
_NOT_A_COUNT_AFTER = re.compile(r"^\s*(?:%|/|-|–|to\b|years?|months?|weeks?|days?|mg|kg|x\b|×|cells|doses?|lines?|prior"
                                r"|thirds?|quarters?|halves|half|fifths?|fold|times|percent|per\s*cent)", re.I)


def _may_count(sentence: str, number: re.Match[str]) -> bool:
    before = sentence[max(0, number.start() - 12):number.start()]
    return not _NOT_A_COUNT_BEFORE.search(before) and not _NOT_A_COUNT_AFTER.match(sentence[number.end():])


def with_population_counts(metrics: tuple[OutcomeMetric, ...] | list[OutcomeMetric], text: str,
                           sentences: tuple[SourceSentence, ...] | None = None) -> list[OutcomeMetric]:
    """`metrics` with each count's kind read from its verb, and the counts the extractor missed added."""
    from dataclasses import replace

    sentences = sentences if sentences is not None else (SourceSentence(text, 0, len(text)),)
    counts = {s.start + c.start: c for s in sentences for c in population_counts(s.text)}
    result = []
    for metric in metrics:
        if metric.endpoint in _COUNT_CODES and _FRACTION_AFTER.match(text, metric.start):
            continue  # "two thirds of infused patients" counts no one
        count = counts.get(metric.start)
        # The verb decides what a head count counts: "Among 86 evaluable patients …" is no count of responses.
        if count is not None and (metric.endpoint in _COUNT_CODES or metric.stat == "count"):
            del counts[metric.start]
            if count.endpoint != metric.endpoint:
                metric = replace(metric, endpoint=count.endpoint, stat="count", label=_COUNT_LABELS[count.endpoint])
        result.append(metric)
    # A count the extractor gave another endpoint ("21 adults relapsing after … were enrolled" read as
    # relapses) is added beside it: the verb says it is the enrolled count too.
    taken = [(m.start, m.end) for m in result if m.endpoint in _COUNT_CODES]
    for start, count in counts.items():
        if not any(a <= start < b for a, b in taken):
            sentence = next(s for s in sentences if s.start <= start < s.end)
            result.append(OutcomeMetric(count.endpoint, "count", float(count.value), "patients", start,
                                        start + count.end - count.start, sentence.text,
                                        label=_COUNT_LABELS[count.endpoint], count=count.value))
    return sorted(result, key=lambda m: m.start)


_COUNT_CODES = {"N_ENROLLED", "N_TREATED", "N_EVALUABLE"}
_FRACTION_AFTER = re.compile(r"\w+\s+(?:thirds?|quarters?|halves|half|fifths?)\b", re.I)
_COUNT_LABELS = {"N_ENROLLED": "enrolled", "N_TREATED": "treated", "N_EVALUABLE": "evaluable"}
