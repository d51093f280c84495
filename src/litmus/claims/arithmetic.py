"""Arithmetic checks on reported proportions: can a percentage of n patients exist at all?

The GRIM test (Brown & Heathers, 2017, "The GRIM Test", Soc Psychol Personal Sci 8:363) asks
whether some whole count k of n gives the stated mean, here the stated percentage, once rounded to
the places it was written with. "87.7% of 66" fails (57/66 = 86.4%, 58/66 = 87.9%) while 57/65 =
87.69% passes, which usually means the percentage is of a different denominator than the one the
review states. Only proportions are checked: survival rates at a time point are Kaplan-Meier
estimates and need not be k/n.

The cited source comes first: when it reports the claimed figure as k/n ("13 of 15 patients (86%)"),
that fraction decides, and a percentage the source itself rounds or truncates ("86%" for 86.7%) is a
note about the source ("the source reports 13/15 as 86% (86.7% truncated)"), not a finding against
the review. Each finding is reported once per claim.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Iterable, Sequence

from litmus.claims.records import ArithmeticFinding, ClaimFact
from litmus.records import OutcomeMetric

# Endpoints that are simple proportions of the patients counted (k/n), unlike time-to-event rates.
PROPORTION_ENDPOINTS = frozenset({
    "ORR", "CR", "CRi", "PR", "SD", "PD", "MRD_NEG", "CRS_ANY", "CRS_GE3", "ICANS_ANY", "ICANS_GE3",
})
SAMPLE_SIZE_ENDPOINTS = ("N_ENROLLED", "N_TREATED", "N_EVALUABLE")
DENOMINATOR_SEARCH = 5


def _rounds_to(k: int, n: int, stated: Decimal, decimals: int) -> bool:
    exact = Decimal(100 * k) / Decimal(n)
    quantum = Decimal(1).scaleb(-decimals)
    return any(exact.quantize(quantum, rounding=mode) == stated for mode in (ROUND_HALF_UP, ROUND_HALF_EVEN))


def _stated(percent: float, decimals: int) -> Decimal:
    return Decimal(str(percent)).quantize(Decimal(1).scaleb(-decimals))


def consistent_counts(percent: float, n: int, decimals: int) -> list[int]:
    """Every k in 0..n whose 100k/n rounds (half-up or half-even) to `percent` at `decimals` places."""
    if n <= 0:
        return []
    stated = _stated(percent, decimals)
    # Only counts near p·n can round to p: check a small window instead of all of 0..n.
    centre = int(Decimal(str(percent)) * n / 100)
    return [k for k in range(max(0, centre - 2), min(n, centre + 2) + 1) if _rounds_to(k, n, stated, decimals)]


def grim_consistent(percent: float, n: int, decimals: int) -> bool:
    """True when some whole count k of n gives `percent` as written with `decimals` places."""
    return bool(consistent_counts(percent, n, decimals))


def closest_fractions(
    percent: float, n: int, decimals: int, spread: int = DENOMINATOR_SEARCH
) -> list[tuple[int, int]]:
    """(k, m) pairs with m in n−spread..n+spread that give `percent`, nearest denominators first."""
    denominators = sorted(range(max(1, n - spread), n + spread + 1), key=lambda m: (abs(m - n), m))
    return [(k, m) for m in denominators for k in consistent_counts(percent, m, decimals)]


def check_metric_arithmetic(
    percent: float, count: int, total: int, decimals: int, endpoint: str = "OTHER"
) -> ArithmeticFinding | None:
    """A stated k/n next to its percentage ("20/28 (71%)"): None when they agree, else a finding."""
    if total <= 0 or _rounds_to(count, total, _stated(percent, decimals), decimals):
        return None
    exact = Decimal(100 * count) / Decimal(total)
    return ArithmeticFinding(
        kind="count_percent_mismatch",
        endpoint=endpoint,
        message=f"{endpoint} {_show(percent, decimals)}% stated with {count}/{total}, which is {exact:.{decimals + 1}f}%",
        percent=percent,
        n=total,
        alternatives=tuple((k, total) for k in consistent_counts(percent, total, decimals)),
    )


def check_claim_arithmetic(
    facts: Sequence[ClaimFact], source_metrics: Iterable[OutcomeMetric] = ()
) -> list[ArithmeticFinding]:
    """Impossible percentages of the claim's own N, k/n that disagree with their percentage, and a
    claim N that matches none of the paper's enrolled/treated/evaluable counts; once each.

    `source_metrics`: what the cited sources report; a figure they give as k/n is not GRIM-checked
    against the claim's N (the source's own fraction decides, see `source_fraction_notes`)."""
    source_metrics = list(source_metrics)
    findings: list[ArithmeticFinding] = []
    n = _claim_sample_size(facts)
    for fact in facts:
        if fact.unit != "%" or fact.value is None or fact.decimals is None or fact.value_high is not None:
            continue
        if fact.endpoint not in PROPORTION_ENDPOINTS:
            continue
        if fact.count is not None and fact.total:
            finding = check_metric_arithmetic(fact.value, fact.count, fact.total, fact.decimals, fact.endpoint)
        elif n and source_fraction(fact, source_metrics) is None:
            finding = _grim_finding(fact, n)
        else:
            finding = None
        if finding:
            findings.append(finding)
    sample_size = _sample_size_finding(n, source_metrics)
    findings += [sample_size] if sample_size else []
    return list({finding.message: finding for finding in findings}.values())


def source_fraction(fact: ClaimFact, source_metrics: Sequence[OutcomeMetric]) -> OutcomeMetric | None:
    """The source's figure for the claimed proportion when the source gives it as k/n."""
    for metric in source_metrics:
        if metric.count is None or not metric.total or metric.value is None or metric.unit != "%":
            continue
        same_endpoint = metric.endpoint == fact.endpoint or {metric.endpoint, fact.endpoint} == {"CR", "CRi"}
        if same_endpoint and abs(metric.value - fact.value) < 1.0:
            return metric
    return None


def source_fraction_notes(facts: Sequence[ClaimFact], source_metrics: Iterable[OutcomeMetric]) -> list[str]:
    """ "the source reports 13/15 as 86% (86.7% truncated)": the source's own rounding, said once."""
    source_metrics = list(source_metrics)
    notes: list[str] = []
    for fact in facts:
        if fact.unit != "%" or fact.value is None or fact.endpoint not in PROPORTION_ENDPOINTS:
            continue
        metric = source_fraction(fact, source_metrics)
        if metric is None:
            continue
        exact = Decimal(100 * metric.count) / Decimal(metric.total)
        printed = Decimal(str(metric.value))
        places = max(0, -printed.normalize().as_tuple().exponent)
        quantum = Decimal(1).scaleb(-places)
        if exact.quantize(quantum, rounding=ROUND_HALF_UP) == printed.quantize(quantum):
            continue  # the source rounds as usual: nothing to say
        how = "truncated" if exact.quantize(quantum, rounding=ROUND_DOWN) == printed.quantize(quantum) else "as printed"
        note = (f"the source reports {metric.count}/{metric.total} as {_show(metric.value, places)}% "
                f"({exact:.{places + 1}f}% {how})")
        if note not in notes:
            notes.append(note)
    return notes


def _claim_sample_size(facts: Sequence[ClaimFact]) -> int | None:
    for endpoint in SAMPLE_SIZE_ENDPOINTS:
        for fact in facts:
            if fact.endpoint == endpoint and fact.value is not None and fact.value >= 1:
                return int(fact.value)
    return None


def _grim_finding(fact: ClaimFact, n: int) -> ArithmeticFinding | None:
    percent, decimals = fact.value, fact.decimals
    if grim_consistent(percent, n, decimals):
        return None
    nearby = closest_fractions(percent, n, decimals)
    shown = _show(percent, decimals)
    hint = f" ({nearby[0][0]}/{nearby[0][1]} does)" if nearby else ""
    return ArithmeticFinding(
        kind="grim_inconsistent",
        endpoint=fact.endpoint,
        message=f"{shown}% of {n}: no k/{n} rounds to {shown}%{hint}",
        percent=percent,
        n=n,
        alternatives=tuple(nearby),
    )


def _sample_size_finding(n: int | None, source_counts: list[OutcomeMetric]) -> ArithmeticFinding | None:
    reported = [m for m in source_counts if m.endpoint in SAMPLE_SIZE_ENDPOINTS and m.value is not None]
    if n is None or not reported or any(int(m.value) == n for m in reported):
        return None
    described = ", ".join(f"{int(m.value)} {m.endpoint.removeprefix('N_').lower()}" for m in reported)
    return ArithmeticFinding(
        kind="sample_size_differs",
        endpoint="N",
        message=f"the claim's {n} patients match none of the paper's counts ({described})",
        n=n,
    )


def _show(percent: float, decimals: int) -> str:
    return f"{percent:.{decimals}f}"
