"""Head counts and the figures around them: mechanisms added while tuning on the released rounds (r4, r5).

Sentences are written for these tests; each reads what only its mechanism can read.
"""

from __future__ import annotations

import pytest

from litmus.nlp.groups import group_before
from litmus.nlp.metrics import extract_metrics


def counts(text: str) -> list[tuple]:
    return [(m.endpoint, m.value, m.group) for m in extract_metrics(text) if m.endpoint != "OTHER"]


def test_an_allocation_ratio_between_the_verb_and_its_count():
    text = "The trial randomized (2:1) 96 Japanese de-novo kidney recipients to drug A or drug B."
    assert ("N_ENROLLED", 96, None) in counts(text)


def test_patients_left_out_are_not_counted_nor_their_reasons():
    text = ("Overall, 220 patients were enrolled. Forty patients were not randomised because of anaemia (n = 15) "
            "or withdrawal (n = 25).")
    assert counts(text) == [("N_ENROLLED", 220, None)]


def test_an_arm_described_at_length_before_its_size():
    text = ("Sixty patients were randomized to receive a cooling device programmed to 4 degrees with pauses of 10 min "
            "(28 patients) or no device (32 patients).")
    assert counts(text)[1:] == [("N_ENROLLED", 28, "cooling device"), ("N_ENROLLED", 32, "no device")]


def test_a_label_and_its_size_separated_by_a_dash_inside_the_parenthesis():
    text = "In all, 200 infants were randomized to vaccine X (single injection - 101 infants) or X+Y (two injections - 99 infants)."
    assert counts(text)[1:] == [("N_ENROLLED", 101, "single injection"), ("N_ENROLLED", 99, "two injections")]


def test_a_split_of_a_count_over_groups_named_after_it_respectively():
    text = "In total 150 children were enrolled; 100 and 50 in the active and control arms, respectively."
    assert counts(text)[1:] == [("N_ENROLLED", 100, "active"), ("N_ENROLLED", 50, "control")]


def test_coordinated_counts_of_the_sexes_compared_by_a_design():
    text = "This pooled analysis compared the effect of the drug in 1200 men and 400 women."
    assert counts(text) == [("N_ENROLLED", 1200, "men"), ("N_ENROLLED", 400, "women")]


def test_a_count_described_by_for_whom_takes_the_verb_after():
    text = "Of 90 enrolled patients, 84 for whom outcome data were complete were analysed."
    assert ("N_EVALUABLE", 84, None) in counts(text)


def test_a_count_that_met_criteria_and_was_randomized():
    text = "A total of 300 patients entered the run-in; 210 met the stability criteria and were randomized to A or B."
    assert ("N_ENROLLED", 210, None) in counts(text)


def test_a_number_restated_in_a_parenthesis_is_one_figure_of_each_group():
    text = "We randomized eighty patients into two groups of forty (n = 40) patients each."
    assert counts(text) == [("N_ENROLLED", 80, None), ("N_ENROLLED", 40, "each group")]


def test_a_breakdown_whose_parts_had_their_treatments():
    text = ("310 patients who were randomly assigned (150 patients had surgery and 160 patients had radiotherapy) "
            "were followed.")
    assert counts(text)[1:] == [("N_TREATED", 150, "surgery"), ("N_TREATED", 160, "radiotherapy")]


def test_a_median_timing_of_another_examination_is_not_the_follow_up():
    text = "All 120 patients had clinical follow-up at a median of 6 years and imaging at a median of 3 years."
    assert [(m.endpoint, m.value) for m in extract_metrics(text) if m.endpoint == "FOLLOW_UP"] == [("FOLLOW_UP", 6)]


def test_an_arm_named_after_an_article_before_its_size():
    text = "Patients who were treated with a catheter (n=40) did better than those given tablets alone (n=60)."
    assert counts(text) == [("N_TREATED", 40, "catheter"), ("N_TREATED", 60, "tablets alone")]


def test_an_analysis_that_included_or_evaluated_patients_counts_an_analysis_set():
    assert counts("The primary analysis included 812 women with any form of diabetes.") == [("N_EVALUABLE", 812, None)]
    text = "A subgroup analysis evaluated the two regimens among 240 women with prior disease."
    assert counts(text) == [("N_EVALUABLE", 240, None)]


def test_an_analysis_population_sized_in_a_parenthesis():
    text = "At week 52, 61% of patients in the full ITT population (n = 420) had a response."
    assert ("N_EVALUABLE", 420, None) in counts(text)


def test_figures_in_parentheses_after_the_modifiers_of_the_endpoint_that_follows():
    text = ("Patients with high marker levels had higher 90-day (12.0% versus 2.5%, P=0.01) and long-term "
            "(20.0% versus 6.0%, P=0.02) cardiac mortalities.")
    found = [(m.endpoint, m.value, m.timepoint_months, m.group) for m in extract_metrics(text)]
    assert found == [("MORTALITY", 12.0, pytest.approx(2.9569, abs=1e-3), None),
                     ("MORTALITY", 2.5, pytest.approx(2.9569, abs=1e-3), None),
                     ("MORTALITY", 20.0, None, None), ("MORTALITY", 6.0, None, None)]


def test_changes_in_parentheses_after_modifiers_are_not_levels():
    text = "Similar reductions in the risk of early (30%, p=0.03) and late (25%, p=0.05) relapse were seen."
    assert [m for m in extract_metrics(text) if m.endpoint == "RELAPSE"] == []


def test_a_label_never_starts_inside_a_word():
    text = "Local relapse was seen more often after invasive surgery (40%) than after radiotherapy (20%)."
    position = text.index("(40%)")
    assert group_before(text, position) is None and group_before(text, position, boundaries_extra=True) is None


def test_lettered_arms_take_the_noun_of_their_list():
    text = "Responders were randomised to arms A (n:9) and B (n:8)."
    assert counts(text) == [("N_ENROLLED", 9, "arm A"), ("N_ENROLLED", 8, "arm B")]


def test_parts_named_by_a_relative_clause_keep_the_totals_verb():
    text = ("A total of 70 patients had been randomized, 36 of which received zinc [zinc group, ZG] and 34 serving "
            "as controls [control group, CG].")
    assert counts(text) == [("N_ENROLLED", 70, None), ("N_ENROLLED", 36, "zinc"), ("N_ENROLLED", 34, "controls")]


def test_a_subgroup_heading_the_sentence_is_counted():
    text = "In the sub-group of 310 women with prior disease, use of drug A (OR 2.1) was associated with the outcome."
    assert ("N_ENROLLED", 310, None) in counts(text)


def test_one_size_for_every_group():
    assert ("N_ENROLLED", 12, "each group") in counts("Twenty-four volunteers were randomly divided into two groups of 12.")
    text = "In this trial, 80 patients were allocated to diet or exercise with forty patients in each arm during follow-up."
    assert ("N_ENROLLED", 40, "each arm") in counts(text)  # the label as written (guideline v2.1, 2)
    assert counts("We enrolled 10 patients and randomized 24 rats into 3 groups of 8 rats each.") == [("N_ENROLLED", 10, None)]
    assert counts("Of those randomised to A or B, one patient in each group discontinued treatment.") == []


def test_a_size_per_group_in_parentheses_before_the_verb():
    assert ("N_ENROLLED", 60, "each group") in counts("In all, 120 patients (60 in each group) were enrolled.")


def test_analysis_sets_listed_with_commas_and_named_before_their_size():
    text = "We used data from the ALPHA study (N = 210 for the efficacy set, N = 230 for the safety set)."
    assert counts(text) == [("N_EVALUABLE", 210, "efficacy set"), ("N_EVALUABLE", 230, "safety set")]
    text = "At the primary efficacy analysis (n = 44; median follow-up, 12.0 months), the ORR was 70%."
    assert ("N_EVALUABLE", 44, "primary efficacy analysis") in counts(text)


def test_a_figure_inside_the_parenthesis_is_no_group_label():
    text = "Median OS was 20.1 months (10.2-30.0; N = 64) overall."
    assert [m.group for m in extract_metrics(text) if m.value == 64] in ([], [None])


def test_an_arm_with_its_dose_in_parentheses_before_its_size():
    text = "Twelve patients were randomized to continue drug A (5 patients) or to receive drug B (20 mg/day) plus A (7 patients)."
    assert counts(text)[1:] == [("N_ENROLLED", 5, "continue drug A"), ("N_ENROLLED", 7, "drug B")]


def test_included_in_the_per_protocol_group_is_evaluable():
    assert counts("Ninety patients were included in the per-protocol group.") == [("N_EVALUABLE", 90, None)]


def test_patients_allocated_an_arm_are_enrolled_in_it():
    text = "Median survival in 150 patients allocated ABC was 11.0 months."
    assert ("N_ENROLLED", 150, "ABC") in counts(text)


def test_a_count_described_by_age_before_its_verb():
    text = "METHODS: 300 women younger than 65 years of age with high-risk operable primary breast cancer were randomised after surgery."
    assert counts(text) == [("N_ENROLLED", 300, None)]


def test_a_population_heading_a_sentence_without_other_figures():
    assert counts("In 850 newly diagnosed HNC patients, weight loss was recorded weekly.") == [("N_ENROLLED", 850, None)]
    assert counts("In a substudy of 120 participants, we measured bone density.") == [("N_ENROLLED", 120, None)]
    text = "PATIENTS AND METHODS: Of the 30 women with breast cancer (age 30 to 70 years), 10 were chemotherapy-naive."
    assert ("N_ENROLLED", 30, None) in counts(text)


def test_an_n_after_the_patients_it_counts_is_the_study_population():
    assert ("N_ENROLLED", 64, None) in counts("Median follow-up in all patients (N = 64) was 20.5 months.")


def test_a_group_that_consisted_of_a_count():
    assert ("N_ENROLLED", 25, None) in counts("The control group consisted of 25 individuals (50 eyes).")
