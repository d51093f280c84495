"""Does the cited paper's abstract say what the review says it says? Pure functions, no I/O.

Fact verdicts (one number of a claim against one cited source):

- `source_unavailable`: the citation was not resolved to a PubMed record, or the record has no abstract.
- `not_in_abstract`: the abstract reports no figure of the same endpoint family, statistic and unit at
  a compatible time point and group.
- `supported`: some figure of the same family (CR matches CR and CR/CRi; enrolled, treated and
  evaluable counts are one family) agrees within rounding: |claimed − reported| ≤ half a unit in the
  last place of the less precise of the two (86 vs 86.7, 71 vs 71.4). Time points must agree when
  both are stated; a time point only the claim states is accepted with a note, as is a subgroup only
  one side names.
- `mismatch`: the abstract reports that endpoint at a compatible time point and group with another
  value, or reports the claimed value at a different time point; the paper's value and sentence are given.

With several cited sources a fact takes its best verdict across them (supported > mismatch >
not_in_abstract > source_unavailable).

Claim verdicts:

- `supported`: every numeric fact is supported.
- `partly_supported`: at least one fact is supported and at least one is not.
- `contradicted`: at least one fact is a mismatch and none is supported.
- `unverifiable`: no fact is supported or contradicted: a qualitative claim (numbers cannot check
  it; the explanation still says whether its sources are available), a claim that cites nothing, or
  one whose numbers are absent from, or whose sources lack, an abstract.

Retractions and errata of a cited paper are flagged on the claim whatever its verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from litmus.claims.arithmetic import check_claim_arithmetic
from litmus.claims.records import Claim, ClaimFact, ClaimVerdict, FactVerdict, SourceEvidence
from litmus.records import OutcomeMetric

SAMPLE_SIZE_FAMILY = "N"
_FAMILIES = {"CRi": "CR", "N_ENROLLED": SAMPLE_SIZE_FAMILY, "N_TREATED": SAMPLE_SIZE_FAMILY,
             "N_EVALUABLE": SAMPLE_SIZE_FAMILY}
_VERDICT_RANK = {"supported": 3, "mismatch": 2, "not_in_abstract": 1, "source_unavailable": 0}
_MONTHS_PER_UNIT = {"months": 1.0, "years": 12.0, "days": 12 / 365.25}
_TIMEPOINT_TOLERANCE_MONTHS = 0.5


def endpoint_family(endpoint: str) -> str:
    return _FAMILIES.get(endpoint, endpoint)


@dataclass(frozen=True, slots=True)
class _Comparison:
    metric: OutcomeMetric
    equal: bool
    timepoint_ok: bool
    group_ok: bool
    notes: tuple[str, ...]


def verify_fact(fact: ClaimFact, source: SourceEvidence) -> FactVerdict:
    """One claimed number against one cited paper's abstract."""
    if source.pmid is None or not source.has_abstract:
        why = "citation not resolved to a PubMed record" if source.pmid is None else "record has no abstract"
        return FactVerdict(fact, source.key, "source_unavailable", f"[{source.key}] {why}")
    comparisons = [_compare(fact, m, source.abstract) for m in source.metrics if _comparable(fact, m)]
    if not comparisons:
        return FactVerdict(fact, source.key, "not_in_abstract",
                           f"abstract of [{source.key}] reports no {_describe(fact)} figure")
    compatible = [c for c in comparisons if c.timepoint_ok and c.group_ok]
    agreeing = sorted((c for c in compatible if c.equal), key=_preference, reverse=True)
    if agreeing:
        return _verdict(fact, source, agreeing[0], "supported",
                        f"[{source.key}] reports {_reported(agreeing[0].metric)}")
    if compatible:
        best = min(compatible, key=lambda c: _distance(fact, c.metric))
        return _verdict(fact, source, best, "mismatch",
                        f"review says {_claimed(fact)}, [{source.key}] reports {_reported(best.metric)}")
    moved = [c for c in comparisons if c.equal]
    if moved:
        return _verdict(fact, source, moved[0], "mismatch",
                        f"review says {_claimed(fact)}; [{source.key}] reports that value "
                        f"{_where(moved[0].metric)}")
    return FactVerdict(fact, source.key, "not_in_abstract",
                       f"abstract of [{source.key}] reports {_describe(fact)} only {_where(comparisons[0].metric)}")


def verify_claim(claim: Claim, sources: dict[str, SourceEvidence]) -> ClaimVerdict:
    """A claim against all the works it cites; see the module docstring for the verdicts."""
    cited = [sources.get(key) or SourceEvidence(key=key, pmid=None) for key in claim.cites]
    available = tuple(s.key for s in cited if s.pmid is not None and s.has_abstract)
    flags = tuple(f"retracted: {s.key}" for s in cited if s.retracted) + tuple(
        f"erratum: {s.key}" for s in cited if s.erratum)
    fact_verdicts = tuple(_best_verdict(f, cited) for f in claim.facts if f.value is not None)
    counts = [m for s in cited for m in s.metrics if endpoint_family(m.endpoint) == SAMPLE_SIZE_FAMILY]
    arithmetic = tuple(check_claim_arithmetic(claim.facts, counts))
    verdict, explanation = _claim_verdict(claim, fact_verdicts, available)
    if flags:
        explanation += "; cited paper " + ", ".join(flags)
    if arithmetic:
        explanation += "; arithmetic: " + "; ".join(a.message for a in arithmetic)
    return ClaimVerdict(claim, verdict, explanation, fact_verdicts, available, flags, arithmetic)


def _best_verdict(fact: ClaimFact, cited: list[SourceEvidence]) -> FactVerdict:
    if not cited:
        return FactVerdict(fact, None, "source_unavailable", "the review cites no source for this number")
    verdicts = [verify_fact(fact, source) for source in cited]
    return max(verdicts, key=lambda v: _VERDICT_RANK[v.verdict])


def _claim_verdict(claim: Claim, facts: tuple[FactVerdict, ...], available: tuple[str, ...]) -> tuple[str, str]:
    sources_note = (f"sources available: {', '.join(available)}" if available
                    else "no cited source has an abstract on record" if claim.cites else "cites no source")
    if not facts:
        return "unverifiable", f"qualitative claim: numbers cannot check it ({sources_note})"
    tally = {kind: sum(1 for f in facts if f.verdict == kind) for kind in _VERDICT_RANK}
    summary = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in tally.items() if n)
    mismatches = "; ".join(f.explanation for f in facts if f.verdict == "mismatch")
    detail = f"{summary}" + (f" ({mismatches})" if mismatches else "")
    if tally["supported"] == len(facts):
        return "supported", f"all {len(facts)} figures match the cited abstract(s)"
    if tally["supported"]:
        return "partly_supported", detail
    if tally["mismatch"]:
        return "contradicted", detail
    return "unverifiable", f"{detail}; {sources_note}"


# ------------------------------------------------------------------------------------ comparisons


def _comparable(fact: ClaimFact, metric: OutcomeMetric) -> bool:
    if endpoint_family(fact.endpoint) != endpoint_family(metric.endpoint) or metric.value is None:
        return False
    if fact.endpoint == "OTHER" and (fact.label or "").lower() != (metric.label or "").lower():
        return False
    if fact.stat != metric.stat:
        return False
    both_durations = _in_months(1.0, fact.unit) is not None and _in_months(1.0, metric.unit) is not None
    return both_durations or _same_unit(fact.unit, metric.unit)


def _same_unit(a: str | None, b: str | None) -> bool:
    count_like = {None, "patients"}
    return a == b or (a in count_like and b in count_like)


def _in_months(value: float, unit: str | None) -> float | None:
    factor = _MONTHS_PER_UNIT.get(unit or "")
    return value * factor if factor is not None else None


def _compare(fact: ClaimFact, metric: OutcomeMetric, abstract: str | None) -> _Comparison:
    notes: list[str] = []
    equal = _values_agree(fact, metric, abstract)
    timepoint_ok = True
    if fact.timepoint_months is not None and metric.timepoint_months is not None:
        timepoint_ok = abs(fact.timepoint_months - metric.timepoint_months) <= _TIMEPOINT_TOLERANCE_MONTHS
    elif fact.timepoint_months is not None:
        notes.append("time point not stated in source")
    elif metric.timepoint_months is not None:
        notes.append(f"source states the time point: {metric.timepoint or _months(metric.timepoint_months)}")
    group_ok = _groups_compatible(fact.group, metric.group)
    if group_ok and metric.group and not fact.group:
        notes.append(f"source reports it for a subgroup: {metric.group}")
    if endpoint_family(fact.endpoint) == SAMPLE_SIZE_FAMILY and fact.endpoint != metric.endpoint:
        notes.append(f"review's {_count_kind(fact.endpoint)} vs source's {_count_kind(metric.endpoint)} count")
    if fact.endpoint != metric.endpoint and endpoint_family(fact.endpoint) == "CR":
        notes.append(f"source reports {metric.label or metric.endpoint}")
    return _Comparison(metric, equal, timepoint_ok, group_ok, tuple(notes))


def _values_agree(fact: ClaimFact, metric: OutcomeMetric, abstract: str | None) -> bool:
    claimed, reported = fact.value, metric.value
    if fact.unit != metric.unit and _in_months(1.0, fact.unit) and _in_months(1.0, metric.unit):
        claimed, reported = _in_months(claimed, fact.unit), _in_months(reported, metric.unit)
        return abs(claimed - reported) <= 0.5 * _MONTHS_PER_UNIT[fact.unit or "months"] * 10 ** -(fact.decimals or 0)
    places = min(_places(fact.decimals, fact.value), _places(_reported_decimals(metric, abstract), metric.value))
    tolerance = Decimal(5).scaleb(-(places + 1))
    return abs(Decimal(str(claimed)) - Decimal(str(reported))) <= tolerance


def _places(decimals: int | None, value: float) -> int:
    if decimals is not None:
        return decimals
    text = repr(float(value))
    return 0 if text.endswith(".0") else len(text.partition(".")[2])


def _reported_decimals(metric: OutcomeMetric, abstract: str | None) -> int | None:
    # Imported here to keep verdicts independent of the prose reader's module at import time.
    from litmus.claims.extract import decimals_of, written_number

    for text, start, end in ((abstract, metric.start, metric.end), (metric.sentence, 0, len(metric.sentence))):
        if text and 0 <= start < end <= len(text):
            written, _ = written_number(text, start, end, metric.value)
            if written:
                return decimals_of(written)
    return None


def _groups_compatible(claimed: str | None, reported: str | None) -> bool:
    if not claimed or not reported:
        return True
    a, b = _normal(claimed), _normal(reported)
    return a in b or b in a


def _normal(group: str) -> str:
    words = [w for w in group.lower().replace("-", " ").split() if w not in {"in", "the", "with", "patients", "of"}]
    return " ".join(words)


def _preference(comparison: _Comparison) -> tuple[bool, bool, bool]:
    metric = comparison.metric
    return (metric.group is None, metric.timepoint_months is not None, not comparison.notes)


def _distance(fact: ClaimFact, metric: OutcomeMetric) -> float:
    return abs((fact.value or 0) - (metric.value or 0)) + (0 if metric.group is None else 1e6)


def _verdict(fact: ClaimFact, source: SourceEvidence, comparison: _Comparison, kind: str, explanation: str) -> FactVerdict:
    metric = comparison.metric
    if comparison.notes:
        explanation += f" ({'; '.join(comparison.notes)})"
    return FactVerdict(
        fact=fact, citation_key=source.key, verdict=kind, explanation=explanation, reported=metric,
        evidence_sentence=metric.sentence, evidence_start=metric.start, evidence_end=metric.end,
        notes=comparison.notes,
    )


# ----------------------------------------------------------------------------------------- wording


def _describe(fact: ClaimFact) -> str:
    name = fact.label if fact.endpoint == "OTHER" and fact.label else fact.endpoint
    return f"{name} {fact.stat}" if fact.stat in {"median", "hr"} else name


def _claimed(fact: ClaimFact) -> str:
    return f"{_describe(fact)} {_number(fact.written or fact.value, fact.unit)}" + (
        f" at {_months(fact.timepoint_months)}" if fact.timepoint_months is not None else "")


def _reported(metric: OutcomeMetric) -> str:
    text = f"{metric.label or metric.endpoint} {_number(metric.value, metric.unit)}"
    if metric.count is not None and metric.total is not None:
        text += f" ({metric.count}/{metric.total})"
    if metric.timepoint_months is not None:
        text += f" at {_months(metric.timepoint_months)}"
    return text + (f" {metric.group}" if metric.group else "")


def _where(metric: OutcomeMetric) -> str:
    parts = [f"{_number(metric.value, metric.unit)}"]
    if metric.timepoint_months is not None:
        parts.append(f"at {_months(metric.timepoint_months)}")
    if metric.group:
        parts.append(metric.group)
    return " ".join(parts)


def _number(value: object, unit: str | None) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if unit == "%":
        return f"{value}%"
    return f"{value} {unit}" if unit else f"{value}"


def _months(months: float) -> str:
    return f"{months:g} months"


def _count_kind(endpoint: str) -> str:
    return endpoint.removeprefix("N_").lower()
