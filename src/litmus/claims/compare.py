"""One number a review states against one cited abstract. Pure functions, no I/O.

The source's figures of the same endpoint (CR also matches a CR/CRi composite; enrolled, treated and
evaluable counts are one family) are read in order:

1. a figure that agrees within rounding (half a unit in the last place of the less precise of the
   two: 86 vs 86.7) in the same context: `supported`, or `supported_with_discrepancy` when the
   context differs in a small way: the source's figure is a composite the review quotes as its
   component (`composite_endpoint`), the review adds a time point (`timepoint_only_in_review`) or a
   subgroup (`subgroup_only_in_review`) the source does not state, the review's count is another kind
   of count than the source gives under that name (`population_count`), or the review's figure
   rounds the source's k/n differently from the source (`rounding`);
2. a figure the abstract writes in a sentence naming the endpoint that the extractor did not link
   (the same rules, read from the sentence): supported as above;
3. otherwise `contradicted` when the source reports the endpoint in the same context with another
   value (`value`), gives the claimed value for another endpoint (`endpoint_swap`), or gives the
   claimed value at another time point (`timepoint_differs`);
4. otherwise `not_in_source`; `source_unavailable` when there is no record or no abstract.

A time point read from the figure's sentence ("The 1-year OS and EFS were 60% and 32%") counts as
the source's when the extractor attached none to the figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from litmus.claims.records import ClaimFact, Discrepancy, FactVerdict, SourceEvidence
from litmus.claims.source_text import (
    SourceSentence, abstract_sentences, composite_of, endpoints_in, sentence_of, timepoints_in,
    with_population_counts, written_numbers,
)
from litmus.records import OutcomeMetric

SAMPLE_SIZE_ENDPOINTS = frozenset({"N_ENROLLED", "N_TREATED", "N_EVALUABLE"})
_MONTHS_PER_UNIT = {"months": 1.0, "years": 12.0, "days": 12 / 365.25, "weeks": 7 * 12 / 365.25}
_TIMEPOINT_TOLERANCE_MONTHS = 0.5
# Words that say a figure belongs to a group, not which group: "in the CAR T-cell arm" is the CAR T-cell arm.
_GROUP_FILLER = {"in", "the", "with", "patients", "of", "among", "for", "those", "a", "an", "and", "who", "had",
                 "arm", "arms", "group", "groups", "cohort", "cohorts", "subgroup", "receiving", "treated", "given"}


@dataclass(frozen=True, slots=True)
class _Reading:
    """One source figure of the claimed endpoint, read against the claimed fact."""

    metric: OutcomeMetric
    sentence: SourceSentence
    agrees: bool
    in_context: bool  # time point and group compatible (a count may still be of another kind)
    same_kind: bool  # the same kind of count (always true for other endpoints)
    moved: bool  # the source states another time point for it
    discrepancies: tuple[Discrepancy, ...] = ()
    notes: tuple[str, ...] = field(default=())


def compare_fact(fact: ClaimFact, source: SourceEvidence) -> FactVerdict:
    """One claimed number against one cited paper's abstract; see the module docstring."""
    key = source.key
    if source.pmid is None or not source.has_abstract:
        why = "citation not resolved to a PubMed record" if source.pmid is None else "record has no abstract"
        return FactVerdict(fact, key, "source_unavailable", f"[{key}] {why}")
    source = _with_counts(source)
    readings = [_read(fact, m, source) for m in source.metrics if _same_endpoint(fact, m, source.abstract)]
    agreeing = sorted((r for r in readings if r.agrees and not r.moved), key=_preference)
    in_context = [r for r in agreeing if r.in_context]
    if in_context:
        return _agreement(fact, source, in_context[0], readings)
    others_in_context = [r for r in readings if r.in_context and r.same_kind]
    if agreeing and (not others_in_context or fact.group and all(r.metric.group is None for r in others_in_context)):
        return _agreement(fact, source, agreeing[0], readings)  # another subgroup's figure: a discrepancy
    unlinked = _unlinked_mention(fact, source)
    if unlinked is not None:
        return unlinked
    return _disagreement(fact, source, readings)


# ------------------------------------------------------------------------------------------ reading


@lru_cache(maxsize=512)
def _with_counts(source: SourceEvidence) -> SourceEvidence:
    """The source with its enrolled/treated/evaluable counts read by their verbs (see `population_counts`)."""
    if not source.abstract:
        return source
    counted = with_population_counts(source.metrics, source.abstract, abstract_sentences(source.abstract))
    return replace(source, metrics=tuple(counted))



def _same_endpoint(fact: ClaimFact, metric: OutcomeMetric, abstract: str | None) -> bool:
    if metric.value is None or not _units_compatible(fact.unit, metric.unit):
        return False
    if (fact.stat == "hr") != (metric.stat == "hr"):
        return False
    if fact.endpoint in SAMPLE_SIZE_ENDPOINTS:
        return metric.endpoint in SAMPLE_SIZE_ENDPOINTS
    if fact.endpoint == "CR":  # a CR figure, or a composite or stricter form of it (CR/CRi, CR/CRh, sCR, MRD-negative CR)
        return metric.endpoint == "CR" or (
            metric.endpoint in {"CRi", "OTHER", "MRD_NEG"}
            and composite_of(metric, abstract) in {"CR/CRi", "CR/CRh", "sCR", "MRD-negative CR"})
    if fact.endpoint == "OTHER":
        return metric.endpoint == "OTHER" and _labels_overlap(fact.label, metric.label)
    return metric.endpoint == fact.endpoint


def _labels_overlap(a: str | None, b: str | None) -> bool:
    words_a = {w for w in (a or "").lower().split() if len(w) > 3}
    words_b = {w for w in (b or "").lower().split() if len(w) > 3}
    return bool(words_a & words_b)


def _units_compatible(a: str | None, b: str | None) -> bool:
    if a in _MONTHS_PER_UNIT and b in _MONTHS_PER_UNIT:
        return True
    count_like = {None, "patients"}
    return a == b or (a in count_like and b in count_like)


def _read(fact: ClaimFact, metric: OutcomeMetric, source: SourceEvidence) -> _Reading:
    sentence = sentence_of(source.abstract, metric)
    written = _written_decimals(metric, sentence)
    agrees = _fact_agrees(fact, metric.value, metric.unit, written)
    discrepancies: list[Discrepancy] = []
    notes: list[str] = []
    if not agrees and metric.count is not None and metric.total:
        rounding = _rounding(fact, metric)
        if rounding is not None:
            agrees = True
            discrepancies.append(rounding)
    timepoint_ok, moved = _timepoints(fact, metric, sentence, discrepancies, notes)
    group_ok = _groups(fact, metric, source, discrepancies, notes)
    same_kind = fact.endpoint not in SAMPLE_SIZE_ENDPOINTS or fact.endpoint == metric.endpoint
    composite = _composite(fact, metric, source.abstract)
    if composite is not None:
        discrepancies.append(composite)
    return _Reading(metric, sentence, agrees, timepoint_ok and group_ok, same_kind, moved,
                    tuple(discrepancies), tuple(notes))


def _fact_agrees(fact: ClaimFact, reported: float | None, unit: str | None, decimals: int | None) -> bool:
    """The reported figure is the claimed one within rounding, or lies inside the claimed range."""
    if fact.value_high is None:
        return values_agree(fact.value, fact.unit, fact.decimals, reported, unit, decimals)
    if reported is None or unit != fact.unit:
        return False
    half_unit = 0.5 * 10 ** -(fact.decimals or 0)
    return fact.value - half_unit <= reported <= fact.value_high + half_unit


def values_agree(claimed: float | None, claimed_unit: str | None, claimed_decimals: int | None,
                 reported: float | None, reported_unit: str | None, reported_decimals: int | None) -> bool:
    """Within half a unit in the last place of the less precise number; durations in any unit."""
    if claimed is None or reported is None:
        return False
    if claimed_unit != reported_unit and claimed_unit in _MONTHS_PER_UNIT and reported_unit in _MONTHS_PER_UNIT:
        in_months = claimed * _MONTHS_PER_UNIT[claimed_unit], reported * _MONTHS_PER_UNIT[reported_unit]
        half_unit = 0.5 * _MONTHS_PER_UNIT[claimed_unit] * 10 ** -(claimed_decimals or 0)
        return abs(in_months[0] - in_months[1]) <= half_unit
    places = min(_places(claimed_decimals, claimed), _places(reported_decimals, reported))
    return abs(Decimal(str(claimed)) - Decimal(str(reported))) <= Decimal(5).scaleb(-(places + 1))


def _places(decimals: int | None, value: float) -> int:
    if decimals is not None:
        return decimals
    text = repr(float(value))
    return 0 if text.endswith(".0") else len(text.partition(".")[2])


def _written_decimals(metric: OutcomeMetric, sentence: SourceSentence) -> int | None:
    """Places after the point as the abstract writes the figure: "86%" -> 0 though 13/15 is 86.67."""
    start = metric.start - sentence.start if sentence.start >= 0 else None
    for number in written_numbers(sentence.text):
        near = start is None or abs(number.start - start) <= 40
        if near and number.value == metric.value:
            return len(number.written.partition(".")[2])
    return None


def _rounding(fact: ClaimFact, metric: OutcomeMetric) -> Discrepancy | None:
    """The review's figure is the source's own k/n rounded (or truncated) another way than the source."""
    if fact.unit != "%" or fact.value is None or fact.decimals is None:
        return None
    exact = Decimal(100 * metric.count) / Decimal(metric.total)
    quantum = Decimal(1).scaleb(-fact.decimals)
    stated = Decimal(str(fact.value)).quantize(quantum)
    if not any(exact.quantize(quantum, rounding=mode) == stated for mode in (ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN)):
        return None
    return Discrepancy("rounding", f"the review's {fact.written}% and the source's {_number(metric.value, '%')} "
                                   f"are both {metric.count}/{metric.total} ({exact:.1f}%), rounded differently")


def _timepoints(fact: ClaimFact, metric: OutcomeMetric, sentence: SourceSentence,
                discrepancies: list[Discrepancy], notes: list[str]) -> tuple[bool, bool]:
    """(compatible, moved): whether the time points agree, and whether the source gives another."""
    source_months = [metric.timepoint_months] if metric.timepoint_months is not None else timepoints_in(sentence.text)
    if fact.timepoint_months is None:
        if source_months:
            notes.append(f"the source states the time point: {metric.timepoint or _months(source_months[0])}")
        return True, False
    if not source_months:
        discrepancies.append(Discrepancy(
            "timepoint_only_in_review",
            f"the review puts {_describe(fact)} at {_months(fact.timepoint_months)}; the source gives no time point for it"))
        return True, False
    if any(abs(fact.timepoint_months - m) <= _TIMEPOINT_TOLERANCE_MONTHS for m in source_months):
        return True, False
    return False, True


def _groups(fact: ClaimFact, metric: OutcomeMetric, source: SourceEvidence,
            discrepancies: list[Discrepancy], notes: list[str]) -> bool:
    if fact.group and metric.group:
        if _groups_compatible(fact.group, metric.group):
            return True
        discrepancies.append(Discrepancy(
            "subgroup_only_in_review", f"the review gives it for {fact.group}; the source's figure is {metric.group}"))
        return False
    if metric.group:
        notes.append(f"the source reports it for a subgroup: {metric.group}")
    elif fact.group and not _named_in(fact.group, source.abstract or ""):
        discrepancies.append(Discrepancy(
            "subgroup_only_in_review",
            f"the review gives it for {fact.group}; the source names no such subgroup"))
    return True


def _groups_compatible(claimed: str, reported: str) -> bool:
    a, b = _group_words(claimed), _group_words(reported)
    return not a or not b or a <= b or b <= a


def _group_words(group: str) -> set[str]:
    return {w for w in group.lower().replace("-", " ").split() if w not in _GROUP_FILLER}


def _named_in(group: str, abstract: str) -> bool:
    words = _group_words(group)
    lowered = abstract.lower().replace("-", " ")
    return bool(words) and all(word in lowered for word in words)


def _composite(fact: ClaimFact, metric: OutcomeMetric, abstract: str | None) -> Discrepancy | None:
    reported = composite_of(metric, abstract)
    if reported is None or reported == fact.composite:
        return None
    claimed = fact.composite or fact.endpoint
    return Discrepancy("composite_endpoint",
                       f"the review calls it {claimed}; the source's {_number(metric.value, metric.unit)} is {reported}")


def _preference(reading: _Reading) -> tuple:
    """Clean agreement first, then in-context, then the figure stated for the whole study."""
    return (bool(reading.discrepancies), not reading.same_kind, reading.metric.group is not None)


# ---------------------------------------------------------------------------------------- verdicts


def _agreement(fact: ClaimFact, source: SourceEvidence, best: _Reading, readings: list[_Reading]) -> FactVerdict:
    discrepancies = list(best.discrepancies)
    notes = list(best.notes)
    if fact.endpoint in SAMPLE_SIZE_ENDPOINTS and best.metric.endpoint != fact.endpoint:
        same_kind = [r.metric for r in readings if r.metric.endpoint == fact.endpoint]
        if same_kind:
            discrepancies.insert(0, _count_kind(fact, best.metric, same_kind[0]))
        else:
            notes.append(f"the source counts them as {_count_word(best.metric.endpoint)}")
    verdict = "supported_with_discrepancy" if discrepancies else "supported"
    explanation = f"[{source.key}] reports {_reported(best.metric)}"
    if discrepancies:
        explanation += "; " + "; ".join(d.reason for d in discrepancies)
    return _verdict(fact, source, verdict, explanation, best.metric, best.sentence, notes, discrepancies)


def _count_kind(fact: ClaimFact, matched: OutcomeMetric, same_kind: OutcomeMetric) -> Discrepancy:
    return Discrepancy(
        "population_count",
        f"the review says {fact.written or _number(fact.value, None)} {_count_word(fact.endpoint)}; the source "
        f"{_count_word(same_kind.endpoint)} {_number(same_kind.value, None)} and {_count_word(matched.endpoint)} "
        f"{_number(matched.value, None)}")


def _unlinked_mention(fact: ClaimFact, source: SourceEvidence) -> FactVerdict | None:
    """The claimed figure written in a sentence of the abstract that names its endpoint, unlinked."""
    if fact.endpoint in {"OTHER"} or fact.value is None or not source.abstract:
        return None
    linked = [(m.start, m.end) for m in source.metrics]
    for sentence in abstract_sentences(source.abstract):
        for number in written_numbers(sentence.text):
            at = sentence.start + number.start
            if any(a <= at < b for a, b in linked) or not _units_compatible(fact.unit, number.unit):
                continue
            if not _fact_agrees(fact, number.value, number.unit, len(number.written.partition(".")[2])):
                continue
            if not _names_endpoint(sentence.text, fact.endpoint):
                continue
            months = timepoints_in(sentence.text)
            discrepancies: list[Discrepancy] = []
            if fact.timepoint_months is not None and months and not any(
                    abs(fact.timepoint_months - m) <= _TIMEPOINT_TOLERANCE_MONTHS for m in months):
                continue
            if fact.timepoint_months is not None and not months:
                discrepancies.append(Discrepancy(
                    "timepoint_only_in_review",
                    f"the review puts {_describe(fact)} at {_months(fact.timepoint_months)}; "
                    "the source gives no time point for it"))
            metric = OutcomeMetric(fact.endpoint, fact.stat, number.value, number.unit, at, at + len(number.written),
                                   sentence.text)
            verdict = "supported_with_discrepancy" if discrepancies else "supported"
            explanation = f"[{source.key}] writes {number.written}{'%' if number.unit == '%' else ' ' + number.unit} " \
                          f"in a sentence about {_describe(fact)}"
            if discrepancies:
                explanation += "; " + "; ".join(d.reason for d in discrepancies)
            notes = ["read from the source sentence: the extractor did not link this figure"]
            return _verdict(fact, source, verdict, explanation, metric, sentence, notes, discrepancies)
    return None


def _names_endpoint(sentence: str, endpoint: str) -> bool:
    named = endpoints_in(sentence)
    if endpoint in SAMPLE_SIZE_ENDPOINTS:
        return bool(named & SAMPLE_SIZE_ENDPOINTS)
    return endpoint in named or (endpoint == "CR" and "CRi" in named)


def _disagreement(fact: ClaimFact, source: SourceEvidence, readings: list[_Reading]) -> FactVerdict:
    key = source.key
    in_context = [r for r in readings if r.in_context and r.same_kind]
    swapped = _other_endpoint_with_value(fact, source)
    if swapped is not None and (in_context or not readings):
        metric, sentence = swapped
        reason = (f"the review gives {_claimed(fact)}; {_number(metric.value, metric.unit)} is the source's "
                  f"{_endpoint_name(metric)}")
        if in_context:
            reason += f", its {_describe(fact)} is {_number(in_context[0].metric.value, in_context[0].metric.unit)}"
        return _verdict(fact, source, "contradicted", f"[{key}] reports {_reported(metric)}; {reason}", metric,
                        sentence, [], [Discrepancy("endpoint_swap", reason)])
    if in_context:
        best = min(in_context, key=lambda r: _distance(fact, r.metric))
        if fact.endpoint in SAMPLE_SIZE_ENDPOINTS:
            counts = ", ".join(f"{_number(r.metric.value, None)} {_count_word(r.metric.endpoint)}" for r in readings)
            reason = f"the review says {_claimed(fact)}; the source counts {counts}"
        else:
            reason = f"the review says {_claimed(fact)}; the source reports {_reported(best.metric)}"
        return _verdict(fact, source, "contradicted", f"[{key}] reports {_reported(best.metric)}; {reason}",
                        best.metric, best.sentence, list(best.notes), [Discrepancy("value", reason)])
    moved = [r for r in readings if r.moved and r.agrees]
    if moved:
        reading = moved[0]
        reason = (f"the review gives {_claimed(fact)}; the source's {_number(reading.metric.value, reading.metric.unit)} "
                  f"is at {_source_timepoint(reading)}")
        return _verdict(fact, source, "contradicted", f"[{key}] reports {_reported(reading.metric)}; {reason}",
                        reading.metric, reading.sentence, [], [Discrepancy("timepoint_differs", reason)])
    if readings:
        where = "; ".join(_where(r) for r in readings[:3])
        return FactVerdict(fact, key, "not_in_source", f"abstract of [{key}] reports {_describe(fact)} only {where}")
    return FactVerdict(fact, key, "not_in_source", f"abstract of [{key}] reports no {_describe(fact)} figure")


def _other_endpoint_with_value(fact: ClaimFact, source: SourceEvidence) -> tuple[OutcomeMetric, SourceSentence] | None:
    """The source figure of another endpoint that has the claimed value (rates, durations and ratios only)."""
    if fact.unit == "patients" or fact.unit is None and fact.stat != "hr":
        return None
    for metric in source.metrics:
        if _same_endpoint(fact, metric, source.abstract) or metric.value is None:
            continue
        if metric.endpoint in SAMPLE_SIZE_ENDPOINTS or not _units_compatible(fact.unit, metric.unit):
            continue
        sentence = sentence_of(source.abstract, metric)
        if _fact_agrees(fact, metric.value, metric.unit, _written_decimals(metric, sentence)):
            return metric, sentence
    return None


def _distance(fact: ClaimFact, metric: OutcomeMetric) -> float:
    return abs((fact.value or 0) - (metric.value or 0)) + (0 if metric.group is None else 1e6)


def _verdict(fact: ClaimFact, source: SourceEvidence, verdict: str, explanation: str, metric: OutcomeMetric,
             sentence: SourceSentence, notes: list[str], discrepancies: list[Discrepancy]) -> FactVerdict:
    located = sentence.start >= 0
    ordered = sorted(discrepancies, key=lambda d: d.severity == "minor")
    return FactVerdict(
        fact=fact, citation_key=source.key, verdict=verdict, explanation=explanation, reported=metric,
        evidence_sentence=sentence.text, evidence_start=sentence.start if located else None,
        evidence_end=sentence.end if located else None, notes=tuple(notes), discrepancies=tuple(ordered),
    )


# ----------------------------------------------------------------------------------------- wording


def _describe(fact: ClaimFact) -> str:
    if fact.endpoint in SAMPLE_SIZE_ENDPOINTS:
        return f"the {_count_word(fact.endpoint)} count"
    if fact.endpoint == "OTHER":
        return fact.label or "OTHER"
    name = fact.composite or fact.endpoint
    return f"{name} {fact.stat}" if fact.stat in {"median", "hr"} else name


def _claimed(fact: ClaimFact) -> str:
    if fact.endpoint in SAMPLE_SIZE_ENDPOINTS:
        return f"{fact.written or _number(fact.value, None)} {_count_word(fact.endpoint)}"
    shown = fact.written or fact.value
    if fact.value_high is not None:
        shown = f"{_number(fact.value, None)}–{_number(fact.value_high, None)}"
    text = f"{_describe(fact)} {_number(shown, fact.unit)}"
    return text + (f" at {_months(fact.timepoint_months)}" if fact.timepoint_months is not None else "")


def _endpoint_name(metric: OutcomeMetric) -> str:
    return metric.endpoint if metric.endpoint != "OTHER" else (metric.label or "OTHER")


def _reported(metric: OutcomeMetric) -> str:
    if metric.endpoint in SAMPLE_SIZE_ENDPOINTS:
        return f"{_number(metric.value, None)} {_count_word(metric.endpoint)}"
    text = f"{_endpoint_name(metric)} {_number(metric.value, metric.unit)}"
    if metric.count is not None and metric.total is not None:
        text += f" ({metric.count}/{metric.total})"
    if metric.timepoint_months is not None:
        text += f" at {_months(metric.timepoint_months)}"
    return text + (f" {metric.group}" if metric.group else "")


def _where(reading: _Reading) -> str:
    metric = reading.metric
    parts = [_number(metric.value, metric.unit)]
    if metric.timepoint_months is not None or reading.moved:
        parts.append(f"at {_source_timepoint(reading)}")
    if metric.group:
        parts.append(metric.group)
    return " ".join(parts)


def _source_timepoint(reading: _Reading) -> str:
    if reading.metric.timepoint_months is not None:
        return _months(reading.metric.timepoint_months)
    months = timepoints_in(reading.sentence.text)
    return _months(months[0]) if months else "another time point"


def _number(value: object, unit: str | None) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if unit == "%":
        return f"{value}%"
    return f"{value} {unit}" if unit and unit != "patients" else f"{value}"


def _months(months: float) -> str:
    return f"{months:g} month{'' if months == 1 else 's'}"


def _count_word(endpoint: str) -> str:
    return {"N_ENROLLED": "enrolled", "N_TREATED": "treated", "N_EVALUABLE": "evaluable"}.get(endpoint, endpoint)
