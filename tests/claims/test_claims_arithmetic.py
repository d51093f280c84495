import pytest

from litmus.claims.arithmetic import (
    check_claim_arithmetic, check_metric_arithmetic, closest_fractions, grim_consistent,
)
from litmus.claims.records import ClaimFact
from litmus.records import OutcomeMetric


def fact(endpoint, value, decimals, unit="%", **extra):
    return ClaimFact(endpoint, "count" if unit == "patients" else "rate", value, unit, 0, 0,
                     f"{value:.{decimals}f}", decimals, **extra)


@pytest.mark.parametrize("percent,n,decimals,expected", [
    (87.7, 66, 1, False), (87.7, 65, 1, True), (71, 28, 0, True), (86, 15, 0, False), (86, 14, 0, True),
    (0, 7, 0, True), (100, 7, 0, True), (12.5, 8, 1, True), (33.33, 3, 2, True), (33.34, 3, 2, False),
])
def test_grim_consistency(percent, n, decimals, expected):
    assert grim_consistent(percent, n, decimals) is expected


def test_half_even_rounding_is_accepted_too():
    # 1/8 = 12.5% -> "12%" under half-even, "13%" under half-up: both are honest roundings.
    assert grim_consistent(12, 8, 0) and grim_consistent(13, 8, 0)


def test_closest_fractions_prefer_nearby_denominators():
    assert closest_fractions(87.7, 66, 1)[0] == (57, 65)
    assert all(abs(m - 66) <= 5 for _, m in closest_fractions(87.7, 66, 1))


def test_claim_percentages_impossible_for_its_n_are_flagged():
    facts = [fact("N_ENROLLED", 66, 0, "patients"), fact("ORR", 87.7, 1), fact("CR", 47.7, 1),
             fact("PFS", 64.0, 0)]  # a survival estimate, not k/n: never GRIM-checked
    messages = [f.message for f in check_claim_arithmetic(facts)]
    assert messages == ["87.7% of 66: no k/66 rounds to 87.7% (57/65 does)",
                        "47.7% of 66: no k/66 rounds to 47.7% (31/65 does)"]


def test_stated_k_of_n_must_match_its_percentage():
    assert check_metric_arithmetic(71, 20, 28, 0) is None
    finding = check_metric_arithmetic(75, 20, 28, 0, "CR")
    assert finding.kind == "count_percent_mismatch" and "71.4%" in finding.message
    facts = [fact("CR", 75, 0, count=20, total=28)]
    assert [f.kind for f in check_claim_arithmetic(facts)] == ["count_percent_mismatch"]


def test_claim_n_differing_from_the_papers_counts_is_flagged():
    paper = [OutcomeMetric("N_ENROLLED", "count", 33, "patients", 0, 2, "33 enrolled"),
             OutcomeMetric("N_TREATED", "count", 28, "patients", 0, 2, "28 infused")]
    assert check_claim_arithmetic([fact("N_ENROLLED", 28, 0, "patients")], paper) == []
    findings = check_claim_arithmetic([fact("N_ENROLLED", 30, 0, "patients")], paper)
    assert [f.kind for f in findings] == ["sample_size_differs"]
    assert "33 enrolled" in findings[0].message and "28 treated" in findings[0].message
