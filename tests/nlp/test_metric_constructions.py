"""The ten constructions of issue 11, one mechanism each, on sentences written for these tests.

Each test reads what only its mechanism can read: take the mechanism out and the test fails.
"""

from __future__ import annotations

import pytest

from litmus.nlp.metrics import extract_metrics


def read(text: str, *, with_other: bool = False) -> list[tuple]:
    return [(m.endpoint, m.stat, m.value, m.unit) for m in extract_metrics(text) if with_other or m.endpoint != "OTHER"]


def metric(text: str, endpoint: str, value: float | None = None):
    found = [m for m in extract_metrics(text) if m.endpoint == endpoint and (value is None or m.value == pytest.approx(value))]
    assert len(found) == 1, extract_metrics(text)
    return found[0]


# 1. Zero events ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, endpoint", [
    ("None of the patients had grade 3-4 CRS.", "CRS_GE3"),
    ("Severe ICANS did not occur.", "ICANS_GE3"),
    ("There were no deaths attributed to treatment.", "NRM"),
    ("No patient in the cohort relapsed.", "RELAPSE"),
    ("Grade 3 or higher neurotoxicity was not observed.", "ICANS_GE3"),
])
def test_an_absence_is_a_zero_rate(sentence, endpoint):
    zero = metric(sentence, endpoint)
    assert (zero.stat, zero.value, zero.unit, zero.count, zero.negated) == ("rate", 0.0, "%", 0, True)
    assert sentence[zero.start:zero.end].strip()  # traceable to the words that state the absence


def test_a_zero_event_takes_the_stated_or_the_treated_population_as_denominator():
    assert metric("None of the 18 patients developed grade 3 or higher CRS.", "CRS_GE3").total == 18
    text = "Thirty-one adults were infused with the product. No grade ≥3 ICANS or CRS was observed."
    assert metric(text, "ICANS_GE3").total == 31 and metric(text, "CRS_GE3").total == 31


@pytest.mark.parametrize("sentence", [
    "There was no significant difference in mortality between the arms.",
    "No responses were seen in the control arm.",
    "No grade 5 cytokine release syndrome was reported.",
    "Neither the incidence of infections nor non-relapse mortality differed.",
])
def test_what_is_not_an_absence_of_a_safety_event(sentence):
    assert [m for m in extract_metrics(sentence) if m.negated] == []


# 2. Group sizes ------------------------------------------------------------------------------------------------

def test_arm_sizes_in_parentheses_take_their_labels():
    text = "We compared brexu-cel (n = 64) versus liso-cel (n = 91) in mantle cell lymphoma."
    assert [(m.endpoint, m.value, m.group) for m in extract_metrics(text)] == [
        ("N_TREATED", 64, "brexu-cel"), ("N_TREATED", 91, "liso-cel")]


def test_dose_level_sizes_take_the_dose_as_label():
    text = "Patients were treated at dose levels of 50 (N = 5), 150 (N = 12) and 450 (N = 9) × 10^6 cells."
    assert [(m.endpoint, m.value, m.group) for m in extract_metrics(text)] == [
        ("N_TREATED", 5, "50 × 10^6"), ("N_TREATED", 12, "150 × 10^6"), ("N_TREATED", 9, "450 × 10^6")]


def test_arm_sizes_after_a_randomisation_verb_are_enrolled():
    text = "A total of 140 adults were randomly assigned to rituximab (n = 70) or observation (n = 70)."
    assert [(m.endpoint, m.value, m.group) for m in extract_metrics(text)] == [
        ("N_ENROLLED", 140, None), ("N_ENROLLED", 70, "rituximab"), ("N_ENROLLED", 70, "observation")]


def test_an_arm_size_after_comparator_words():
    assert metric("Relapse was less frequent than in the observation arm (n=40).", "N_TREATED").group == "observation"


def test_counts_sent_to_arms():
    text = "Patients were randomly assigned, 251 to the maintenance group and 249 to the observation group."
    assert [(m.endpoint, m.value, m.group) for m in extract_metrics(text)] == [
        ("N_ENROLLED", 251, "maintenance"), ("N_ENROLLED", 249, "observation")]


def test_a_count_split_by_group_when_the_parts_add_up():
    text = "Overall, 90 deaths were recorded (52 in the standard arm and 38 in the experimental arm)."
    assert [(m.endpoint, m.value, m.group) for m in extract_metrics(text)] == [
        ("MORTALITY", 90, None), ("MORTALITY", 52, "standard"), ("MORTALITY", 38, "experimental")]
    # parts that do not add up to the count are not its breakdown
    assert len(extract_metrics("Overall, 90 deaths were recorded (52 in arm A and 20 in arm B).")) == 1


# 3. Distributed lists ------------------------------------------------------------------------------------------

def test_a_heading_time_point_holds_for_a_list_of_endpoints():
    text = "At 24 months, estimated OS, EFS and relapse incidence were 71%, 48% and 35%."
    assert [(m.endpoint, m.value, m.timepoint_months) for m in extract_metrics(text)] == [
        ("OS", 71, 24), ("EFS", 48, 24), ("RELAPSE", 35, 24)]


def test_a_heading_time_point_holds_for_every_rate_of_its_sentence():
    text = "At 12 months, the ORR was 60% and the CR rate 40%."
    assert [(m.endpoint, m.value, m.timepoint_months) for m in extract_metrics(text)] == [("ORR", 60, 12), ("CR", 40, 12)]


def test_a_time_point_heading_an_endpoint_list_from_afar():
    text = "The 36-month estimates for duration of response and for event-free survival were 81% and 73%, respectively."
    assert [(m.endpoint, m.value, m.timepoint_months) for m in extract_metrics(text)] == [("DOR", 81, 36), ("EFS", 73, 36)]


def test_a_time_point_before_a_coordinated_list_applies_to_each_endpoint():
    text = "The 2-year PFS and OS were 44% and 63%."
    assert [(m.endpoint, m.value, m.timepoint_months) for m in extract_metrics(text)] == [("PFS", 44, 24), ("OS", 63, 24)]


def test_a_list_of_time_points_pairs_with_a_list_of_values():
    text = "The day 28 and month 3 CR rates were 72% and 58%."
    assert [(m.endpoint, m.value, m.timepoint_months) for m in extract_metrics(text)] == [
        ("CR", 72, pytest.approx(0.9199, abs=1e-4)), ("CR", 58, 3)]


def test_the_same_list_for_two_groups_in_one_sentence():
    text = "The ORR and CR rate were 81% and 52% in cohort A and 60% and 31% in cohort B."
    assert [(m.endpoint, m.value, m.group) for m in extract_metrics(text)] == [
        ("ORR", 81, "cohort A"), ("CR", 52, "cohort A"), ("ORR", 60, "cohort B"), ("CR", 31, "cohort B")]


def test_respectively_distributes_values_over_named_groups():
    text = "Two-year OS rates were 66% and 49% in the tandem and single transplant groups, respectively."
    assert [(m.value, m.group) for m in extract_metrics(text)] == [(66, "tandem"), (49, "single transplant")]


# 4. Parenthetical breakdowns -----------------------------------------------------------------------------------

def test_a_grade_breakdown_in_parentheses_after_the_figure():
    assert read("CRS was seen in 67% (grade 3 or higher, 6%).") == [
        ("CRS_ANY", "rate", 67, "%"), ("CRS_GE3", "rate", 6, "%")]


def test_a_grade_written_after_its_figure_inside_the_parenthesis():
    assert read("Neurotoxicity occurred in 21% (3% grade ≥3).") == [
        ("ICANS_ANY", "rate", 21, "%"), ("ICANS_GE3", "rate", 3, "%")]


def test_the_grade_of_the_breakdown_does_not_grade_the_whole():
    assert [m.endpoint for m in extract_metrics("Cytokine release syndrome developed in 84% (grade 3-4 in 8%).")] == [
        "CRS_ANY", "CRS_GE3"]


# 5. Counts and denominators ------------------------------------------------------------------------------------

def test_k_of_the_remaining_n_is_a_rate_never_n():
    orr = metric("Seven of the remaining 9 evaluable patients responded.", "ORR")
    assert (orr.value, orr.count, orr.total) == (pytest.approx(77.78), 7, 9)
    assert [m for m in extract_metrics("Seven of the remaining 9 evaluable patients responded.") if m.value == 9] == []


def test_a_population_before_the_comma_is_counted_and_carried_as_denominator():
    text = "Of 44 patients assessed for MRD, 86% were MRD-negative."
    assert [(m.endpoint, m.value, m.total) for m in extract_metrics(text)] == [("N_EVALUABLE", 44, None), ("MRD_NEG", 86, 44)]
    text = "Among the 52 patients infused, the ORR was 83% and the CR rate 60%."
    assert [(m.endpoint, m.value, m.total) for m in extract_metrics(text)] == [
        ("N_TREATED", 52, None), ("ORR", 83, 52), ("CR", 60, 52)]


def test_a_count_after_a_stated_population_becomes_its_rate():
    mrd = metric("Among 11 patients not in CR, 8 achieved MRD negativity.", "MRD_NEG")
    assert (mrd.stat, mrd.value, mrd.count, mrd.total) == ("rate", pytest.approx(72.73), 8, 11)


def test_k_with_its_percentage_takes_the_population_it_is_a_share_of():
    text = "Seventy-one patients were infused. Of these, 38 (53.5%) achieved complete remission."
    cr = metric(text, "CR")
    assert (cr.count, cr.total) == (38, 71)


def test_a_screened_population_is_not_a_count_of_the_study():
    assert [m.endpoint for m in extract_metrics("Among 194 patients screened, 71 were treated.")] == ["N_TREATED"]


# 6. Numbers in words -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, endpoint, value", [
    ("Forty-six patients were enrolled at nine centres.", "N_ENROLLED", 46),
    ("Twenty-three consecutive adults with relapsed/refractory B-ALL were treated.", "N_TREATED", 23),
    ("One hundred and twelve participants were randomly assigned.", "N_ENROLLED", 112),
])
def test_counts_written_in_words(sentence, endpoint, value):
    found = metric(sentence, endpoint)
    assert found.value == value and sentence[found.start:].split()[0][0].isalpha()


# 7. Hazard ratios per covariate --------------------------------------------------------------------------------

def test_each_covariate_hazard_ratio_on_the_sentences_survival_endpoint():
    text = ("In multivariable analysis of progression-free survival, elevated LDH (HR, 1.87; 95% CI, 1.2–2.9) and "
            "bulky disease (HR, 2.10; 95% CI, 1.3–3.4) were independent risk factors.")
    assert [(m.endpoint, m.stat, m.value, m.group, m.ci_low, m.ci_high) for m in extract_metrics(text)] == [
        ("PFS", "hr", 1.87, "elevated LDH", 1.2, 2.9), ("PFS", "hr", 2.10, "bulky disease", 1.3, 3.4)]


def test_a_hazard_ratio_of_death_is_an_overall_survival_ratio():
    assert read("The mortality hazard ratio was 0.74 (95% CI 0.60-0.91).") == [("OS", "hr", 0.74, None)]


# 8. Comparisons ------------------------------------------------------------------------------------------------

def test_a_compared_pair_in_parentheses_takes_the_groups_named_before_it():
    text = "The CR rate was higher with drug A than with drug B (64% vs 29%)."
    assert [(m.endpoint, m.value, m.group) for m in extract_metrics(text)] == [("CR", 64, "drug A"), ("CR", 29, "drug B")]


def test_a_compared_pair_with_a_p_value():
    text = "In patients given ibrutinib versus placebo, grade 3 or higher CRS occurred in 4% vs 38%, P = .02."
    assert [(m.endpoint, m.value, m.group) for m in extract_metrics(text)] == [
        ("CRS_GE3", 4, "ibrutinib"), ("CRS_GE3", 38, "placebo")]


def test_labelled_figures_inside_parentheses():
    text = "The response rate was similar (GC, 49%; MVAC, 46%)."
    assert [(m.endpoint, m.value, m.group) for m in extract_metrics(text)] == [("ORR", 49, "GC"), ("ORR", 46, "MVAC")]


# 9. Composite and graded responses -----------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, endpoint, composite", [
    ("The CR/CRi rate was 86%.", "CR", "CR/CRi"),
    ("CR or CR with incomplete hematologic recovery was achieved in 40 of 50 patients.", "CR", "CR/CRi"),
    ("A stringent complete response was seen in 20%.", "CR", "sCR"),
    ("Very good partial response or better was achieved in 58%.", "VGPR", "≥VGPR"),
    ("The CR/CRh rate was 70%.", "CR", "CR/CRh"),
])
def test_a_composite_response_keeps_which_composite_it_is(sentence, endpoint, composite):
    assert metric(sentence, endpoint).composite == composite


def test_a_plain_complete_response_has_no_composite():
    assert metric("Complete response was achieved in 45%.", "CR").composite is None


# 10. Words that are not outcomes -------------------------------------------------------------------------------

def test_relapsed_refractory_is_a_population():
    assert [m.endpoint for m in extract_metrics("Forty patients with relapsed/refractory myeloma were enrolled.")] == [
        "N_ENROLLED"]


def test_a_remission_state_at_entry_is_not_a_response_rate():
    assert [m.endpoint for m in extract_metrics("Forty patients in second CR were enrolled.")] == ["N_ENROLLED"]


def test_non_relapse_mortality_and_relapse_are_two_endpoints():
    text = "Non-relapse mortality and relapse at 1 year were 14% and 41%."
    assert [(m.endpoint, m.value, m.timepoint_months) for m in extract_metrics(text)] == [("NRM", 14, 12), ("RELAPSE", 41, 12)]


def test_a_relapse_before_the_study_is_history():
    assert [m for m in extract_metrics("Of these, 25 (66%) had relapsed after an earlier allogeneic transplant.")
            if m.endpoint == "RELAPSE"] == []
