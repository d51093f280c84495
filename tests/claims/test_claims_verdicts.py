"""Graded verdicts of single figures and whole claims, on abstracts written for these tests.

Metrics are built by hand (as the extractor would give them, composites included), so each test
states exactly what the source reports; every discrepancy kind has a test that fails without its rule.
"""

import pytest

from litmus.claims.records import Claim, ClaimFact, SourceEvidence
from litmus.claims.verdicts import verify_claim, verify_fact
from litmus.records import OutcomeMetric

# A phase 1/2 tandem CAR-T trial in lymphoma, and a phase 1 bispecific CAR-T trial in B-ALL.
LYMPHOMA = (
    "In this single-arm phase 1/2 trial of tandem CD19/CD20 CAR T cells in relapsed or refractory B-cell "
    "non-Hodgkin lymphoma, 40 patients were enrolled and 36 were infused. The overall response rate was 81% "
    "and the complete response rate 58%. The 12-month progression-free survival was 55%, and median overall "
    "survival was 20.4 months. In patients with bulky disease, the complete response rate was 40%."
)
LEUKAEMIA = (
    "Fifteen children with relapsed B-ALL received bispecific CD19/CD22 CAR T cells in a phase 1 trial. "
    "At 1 month, 13 of 15 patients (86%) were in complete remission or complete remission with incomplete "
    "bone marrow recovery. The 1-year overall survival and event-free survival were 60% and 32%, respectively."
)


def metric(text, endpoint, value, written, unit="%", stat="rate", occurrence=0, **extra):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(written, start + 1)
    return OutcomeMetric(endpoint, stat, value, unit, start, start + len(written), text, **extra)


def source(key, text, *metrics, pmid="1", **extra):
    return SourceEvidence(key=key, pmid=pmid, title="A trial", has_abstract=True, abstract=text,
                          metrics=tuple(metrics), **extra)


TANDEM = source(
    "6", LYMPHOMA,
    metric(LYMPHOMA, "N_ENROLLED", 40, "40", "patients", "count"),
    metric(LYMPHOMA, "N_TREATED", 36, "36", "patients", "count"),
    metric(LYMPHOMA, "ORR", 81, "81%"),
    metric(LYMPHOMA, "CR", 58, "58%"),
    metric(LYMPHOMA, "PFS", 55, "55%", timepoint="12-month", timepoint_months=12),
    metric(LYMPHOMA, "OS", 20.4, "20.4 months", "months", "median"),
    metric(LYMPHOMA, "CR", 40, "40%", group="in patients with bulky disease"),
)
BISPECIFIC = source(
    "5", LEUKAEMIA,
    metric(LEUKAEMIA, "N_TREATED", 15, "Fifteen", "patients", "count"),
    metric(LEUKAEMIA, "CR", 86, "86%", timepoint="At 1 month", timepoint_months=1, count=13, total=15,
           composite="CR/CRi"),
    metric(LEUKAEMIA, "OS", 60, "60%", timepoint="1-year", timepoint_months=12),
    metric(LEUKAEMIA, "EFS", 32, "32%"),  # the extractor missed "1-year" here: the sentence gives it
)


def fact(endpoint, value, decimals=0, unit="%", stat="rate", **extra):
    return ClaimFact(endpoint, stat, value, unit, 0, 0, f"{value:.{decimals}f}", decimals, **extra)


def kinds(verdict):
    return [d.kind for d in verdict.discrepancies]


# ------------------------------------------------------------------------------- no false alarms


@pytest.mark.parametrize("claimed,evidence", [
    (fact("ORR", 81), TANDEM),
    (fact("CR", 58), TANDEM),
    (fact("PFS", 55, timepoint_months=12), TANDEM),
    (fact("OS", 20.4, 1, "months", "median"), TANDEM),
    (fact("OS", 1.7, 1, "years", "median"), TANDEM),  # 20.4 months in years, within rounding
    (fact("N_ENROLLED", 40, 0, "patients", "count"), TANDEM),
    (fact("N_TREATED", 36, 0, "patients", "count"), TANDEM),
    (fact("CR", 40, group="in patients with bulky disease"), TANDEM),
    (fact("OS", 60, timepoint_months=12), BISPECIFIC),
    (fact("EFS", 32, timepoint_months=12), BISPECIFIC),
    (fact("CR", 86, composite="CR/CRi"), BISPECIFIC),
    (fact("ORR", 81.0, 1), TANDEM),
])
def test_a_figure_stated_as_the_source_states_it_is_supported(claimed, evidence):
    verdict = verify_fact(claimed, evidence)
    assert verdict.verdict == "supported", verdict.explanation
    assert verdict.discrepancies == ()
    assert evidence.abstract[verdict.evidence_start:verdict.evidence_end] == verdict.evidence_sentence


def test_the_source_sentence_gives_a_time_point_the_extractor_missed():
    verdict = verify_fact(fact("EFS", 32, timepoint_months=12), BISPECIFIC)
    assert verdict.verdict == "supported"
    assert verify_fact(fact("EFS", 32, timepoint_months=24), BISPECIFIC).verdict == "contradicted"


# -------------------------------------------------------------------- minor: supported_with_discrepancy


def test_enrolled_for_treated_is_a_population_count_discrepancy():
    verdict = verify_fact(fact("N_ENROLLED", 36, 0, "patients", "count"), TANDEM)
    assert verdict.verdict == "supported_with_discrepancy"
    assert kinds(verdict) == ["population_count"]
    assert "36 enrolled" in verdict.discrepancies[0].reason and "enrolled 40" in verdict.discrepancies[0].reason


def test_a_count_of_another_kind_is_only_a_note_when_the_source_gives_no_count_of_the_claimed_kind():
    verdict = verify_fact(fact("N_ENROLLED", 15, 0, "patients", "count"), BISPECIFIC)
    assert verdict.verdict == "supported" and "counts them as treated" in " ".join(verdict.notes)


def test_a_composite_quoted_as_its_component():
    verdict = verify_fact(fact("CR", 86), BISPECIFIC)
    assert verdict.verdict == "supported_with_discrepancy"
    assert kinds(verdict) == ["composite_endpoint"]
    assert "CR/CRi" in verdict.discrepancies[0].reason and "calls it CR" in verdict.discrepancies[0].reason


def test_a_composite_is_read_from_the_source_sentence_when_the_metric_does_not_name_it():
    plain = source("5", LEUKAEMIA, metric(LEUKAEMIA, "CR", 86, "86%", timepoint_months=1, count=13, total=15,
                                          label="complete remission"))
    assert kinds(verify_fact(fact("CR", 86), plain)) == ["composite_endpoint"]


def test_a_time_point_only_the_review_states():
    verdict = verify_fact(fact("CR", 58, timepoint_months=12), TANDEM)
    assert verdict.verdict == "supported_with_discrepancy"
    assert kinds(verdict) == ["timepoint_only_in_review"]
    assert "12 months" in verdict.discrepancies[0].reason


def test_a_subgroup_only_the_review_states():
    verdict = verify_fact(fact("ORR", 81, group="in patients with TP53 mutation"), TANDEM)
    assert verdict.verdict == "supported_with_discrepancy"
    assert kinds(verdict) == ["subgroup_only_in_review"]
    assert verify_fact(fact("ORR", 81, group="in B-cell non-Hodgkin lymphoma"), TANDEM).verdict == "supported"


def test_a_figure_rounded_from_the_sources_own_k_of_n():
    verdict = verify_fact(fact("CR", 87, composite="CR/CRi"), BISPECIFIC)  # 13/15 = 86.7%: the source printed 86
    assert verdict.verdict == "supported_with_discrepancy"
    assert kinds(verdict) == ["rounding"]
    assert "13/15" in verdict.discrepancies[0].reason
    assert verify_fact(fact("CR", 88, composite="CR/CRi"), BISPECIFIC).verdict == "contradicted"


# ------------------------------------------------------------------------------- major: contradicted


def test_another_value_for_the_same_endpoint_and_time_point():
    verdict = verify_fact(fact("PFS", 65, timepoint_months=12), TANDEM)
    assert verdict.verdict == "contradicted" and kinds(verdict) == ["value"]
    assert "55%" in verdict.explanation and verdict.reported.value == 55


def test_a_count_that_matches_no_count_of_the_source():
    verdict = verify_fact(fact("N_ENROLLED", 30, 0, "patients", "count"), TANDEM)
    assert verdict.verdict == "contradicted" and kinds(verdict) == ["value"]
    assert "40 enrolled" in verdict.explanation and "36 treated" in verdict.explanation


def test_a_figure_the_source_gives_for_another_endpoint():
    verdict = verify_fact(fact("CR", 81), TANDEM)
    assert verdict.verdict == "contradicted" and kinds(verdict) == ["endpoint_swap"]
    assert "ORR" in verdict.discrepancies[0].reason and "58%" in verdict.discrepancies[0].reason


def test_a_figure_moved_to_another_time_point():
    verdict = verify_fact(fact("PFS", 55, timepoint_months=24), TANDEM)
    assert verdict.verdict == "contradicted" and kinds(verdict) == ["timepoint_differs"]
    assert "12 months" in verdict.discrepancies[0].reason


def test_a_subgroups_figure_given_for_another_subgroup_is_not_supported():
    verdict = verify_fact(fact("CR", 40, group="in patients with TP53 mutation"), TANDEM)
    assert verdict.verdict == "supported_with_discrepancy" and kinds(verdict) == ["subgroup_only_in_review"]


# --------------------------------------------------------------------------------- absent, unavailable


def test_absent_endpoint_and_unavailable_sources():
    assert verify_fact(fact("MRD_NEG", 90), TANDEM).verdict == "not_in_source"
    unresolved = SourceEvidence("9", None)
    no_abstract = SourceEvidence("9", "123", has_abstract=False)
    assert verify_fact(fact("ORR", 90), unresolved).verdict == "source_unavailable"
    assert "no abstract" in verify_fact(fact("ORR", 90), no_abstract).explanation


def test_a_figure_written_in_a_sentence_naming_its_endpoint_is_found_though_not_linked():
    unlinked = source("6", LYMPHOMA, metric(LYMPHOMA, "ORR", 81, "81%"))  # the extractor missed the CR rate
    verdict = verify_fact(fact("CR", 58), unlinked)
    assert verdict.verdict == "supported" and "did not link" in verdict.notes[0]
    assert verify_fact(fact("CR", 57), unlinked).verdict == "not_in_source"


# ------------------------------------------------------------------------------------------- claims


def claim(*facts, cites=("6",), text="text"):
    return Claim("c01", "S", text, 0, 4, cites, tuple(facts), "numeric" if facts else "qualitative")


@pytest.mark.parametrize("facts,expected", [
    ((fact("CR", 58), fact("PFS", 55, timepoint_months=12)), "supported"),
    ((fact("CR", 58, timepoint_months=12), fact("PFS", 55, timepoint_months=12)), "supported_with_discrepancy"),
    ((fact("CR", 58), fact("PFS", 50, timepoint_months=12)), "contradicted"),
    ((fact("CR", 58, timepoint_months=12), fact("PFS", 50, timepoint_months=12)), "contradicted"),
    ((fact("CR", 58), fact("MRD_NEG", 90)), "not_in_source"),
])
def test_claim_verdicts(facts, expected):
    assert verify_claim(claim(*facts), {"6": TANDEM}).verdict == expected


def test_claim_verdict_names_each_discrepancy_and_lists_kinds_major_first():
    verdict = verify_claim(claim(fact("CR", 58, timepoint_months=12), fact("PFS", 50, timepoint_months=12)),
                           {"6": TANDEM})
    assert [d.kind for d in verdict.discrepancies] == ["value", "timepoint_only_in_review"]
    assert "value:" in verdict.explanation and "timepoint_only_in_review:" in verdict.explanation


def test_unsourced_unavailable_and_uncheckable_claims():
    assert verify_claim(claim(fact("ORR", 50), cites=()), {}).verdict == "source_unavailable"
    assert verify_claim(claim(fact("ORR", 50), cites=("9",)), {}).verdict == "source_unavailable"
    uncheckable = verify_claim(claim(text="Much remains to be learned."), {"6": TANDEM})
    assert uncheckable.verdict == "unverifiable" and "nothing checkable" in uncheckable.explanation
    assert verify_claim(claim(text="Tandem CAR T cells were given."), {}).verdict == "source_unavailable"


def test_a_figure_takes_its_best_verdict_across_the_cited_sources():
    verdict = verify_claim(claim(fact("OS", 60, timepoint_months=12), cites=("6", "5")), {"6": TANDEM, "5": BISPECIFIC})
    assert verdict.verdict == "supported" and verdict.facts[0].citation_key == "5"


def test_retraction_is_flagged_and_arithmetic_reported_once():
    retracted = source("6", LYMPHOMA, *TANDEM.metrics, retracted=True)
    facts = (fact("N_ENROLLED", 30, 0, "patients", "count"), fact("ORR", 81.5, 1), fact("CR", 81.5, 1))
    verdict = verify_claim(claim(*facts), {"6": retracted})
    assert verdict.flags == ("retracted: 6",) and "retracted" in verdict.explanation
    assert [a.message for a in verdict.arithmetic] == ["81.5% of 30: no k/30 rounds to 81.5% (22/27 does)"]


def test_the_sources_own_truncation_is_a_note_not_a_finding():
    verdict = verify_claim(claim(fact("N_ENROLLED", 15, 0, "patients", "count"), fact("CR", 86, composite="CR/CRi"),
                                 cites=("5",)), {"5": BISPECIFIC})
    assert verdict.arithmetic == ()
    assert verdict.notes == ("the source reports 13/15 as 86% (86.7% truncated)",)
    assert verdict.verdict == "supported"
