import pytest

from litmus.claims.records import Claim, ClaimFact, SourceEvidence
from litmus.claims.verdicts import verify_claim, verify_fact
from litmus.records import OutcomeMetric

ABSTRACT = ("Of 33 enrolled patients, 28 were infused. CR was 71.4% (20/28). "
            "The 12-month PFS was 64%. Median PFS was 14.8 months.")


def metric(endpoint, value, written, unit="%", stat="rate", **extra):
    start = ABSTRACT.index(written)
    return OutcomeMetric(endpoint, stat, value, unit, start, start + len(written), ABSTRACT, **extra)


SOURCE = SourceEvidence(
    key="6", pmid="32777041", title="A trial", has_abstract=True, abstract=ABSTRACT,
    metrics=(
        metric("N_ENROLLED", 33, "33", "patients", "count"),
        metric("N_TREATED", 28, "28", "patients", "count"),
        metric("CR", 71.4, "71.4%", count=20, total=28),
        metric("PFS", 64, "64%", timepoint="12-month", timepoint_months=12),
        metric("PFS", 14.8, "14.8 months", "months", "median"),
    ),
)


def fact(endpoint, value, decimals, unit="%", stat="rate", **extra):
    return ClaimFact(endpoint, stat, value, unit, 0, 0, f"{value:.{decimals}f}", decimals, **extra)


def test_value_within_rounding_and_claim_only_time_point_is_supported_with_note():
    verdict = verify_fact(fact("CR", 71, 0, timepoint_months=12), SOURCE)
    assert verdict.verdict == "supported"
    assert "time point not stated in source" in verdict.notes
    assert ABSTRACT[verdict.evidence_start:verdict.evidence_end] == "71.4%"


def test_rounding_tolerance_uses_the_less_precise_number():
    assert verify_fact(fact("CR", 71.4, 1), SOURCE).verdict == "supported"
    assert verify_fact(fact("CR", 71.0, 1), SOURCE).verdict == "mismatch"
    assert verify_fact(fact("CR", 72, 0), SOURCE).verdict == "mismatch"


def test_mismatch_gives_the_papers_value_and_sentence():
    verdict = verify_fact(fact("PFS", 60, 0, timepoint_months=12), SOURCE)
    assert verdict.verdict == "mismatch"
    assert verdict.reported.value == 64 and "64%" in verdict.explanation
    assert verdict.evidence_sentence == ABSTRACT


def test_same_value_at_another_time_point_is_a_mismatch():
    verdict = verify_fact(fact("PFS", 64, 0, timepoint_months=24), SOURCE)
    assert verdict.verdict == "mismatch" and "12 months" in verdict.explanation


def test_sample_sizes_are_one_family_and_say_which():
    verdict = verify_fact(fact("N_ENROLLED", 28, 0, "patients", "count"), SOURCE)
    assert verdict.verdict == "supported"
    assert any("enrolled vs source's treated" in note for note in verdict.notes)


def test_cr_matches_cr_or_cri():
    source = SourceEvidence("5", "1", has_abstract=True, abstract=ABSTRACT,
                            metrics=(metric("CRi", 86.0, "28", label="CR/CRi"),))
    assert verify_fact(fact("CR", 86, 0), source).verdict == "supported"


def test_absent_endpoint_and_unavailable_sources():
    assert verify_fact(fact("ORR", 90, 0), SOURCE).verdict == "not_in_abstract"
    unresolved = SourceEvidence("9", None)
    no_abstract = SourceEvidence("9", "123", has_abstract=False)
    assert verify_fact(fact("ORR", 90, 0), unresolved).verdict == "source_unavailable"
    assert "no abstract" in verify_fact(fact("ORR", 90, 0), no_abstract).explanation


def claim(*facts, cites=("6",)):
    return Claim("c01", "S", "text", 0, 4, cites, tuple(facts), "numeric" if facts else "qualitative")


@pytest.mark.parametrize("facts,expected", [
    ((fact("CR", 71, 0), fact("PFS", 64, 0, timepoint_months=12)), "supported"),
    ((fact("CR", 71, 0), fact("PFS", 50, 0, timepoint_months=12)), "partly_supported"),
    ((fact("CR", 71, 0), fact("ORR", 90, 0)), "partly_supported"),
    ((fact("CR", 60, 0), fact("ORR", 90, 0)), "contradicted"),
    ((fact("ORR", 90, 0),), "unverifiable"),
])
def test_claim_verdicts(facts, expected):
    assert verify_claim(claim(*facts), {"6": SOURCE}).verdict == expected


def test_qualitative_claim_says_whether_its_source_is_available():
    verdict = verify_claim(claim(), {"6": SOURCE})
    assert verdict.verdict == "unverifiable"
    assert "qualitative" in verdict.explanation and "sources available: 6" in verdict.explanation
    assert "no cited source" in verify_claim(claim(), {}).explanation


def test_retraction_is_flagged_and_arithmetic_reported():
    retracted = SourceEvidence("6", "1", has_abstract=True, abstract=ABSTRACT, metrics=SOURCE.metrics,
                               retracted=True)
    verdict = verify_claim(claim(fact("N_ENROLLED", 30, 0, "patients", "count"), fact("CR", 71, 0)),
                           {"6": retracted})
    assert verdict.flags == ("retracted: 6",) and "retracted" in verdict.explanation
    assert {a.kind for a in verdict.arithmetic} == {"sample_size_differs", "grim_inconsistent"}
