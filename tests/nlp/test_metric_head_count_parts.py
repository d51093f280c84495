"""A head count, the parenthesis that splits it, and the verb that counts both.

Sentences written for these tests; each fails if its mechanism is taken out.
"""

from __future__ import annotations

from litmus.nlp.metrics import extract_metrics


def counts(text: str) -> list[tuple]:
    return [(m.endpoint, m.value, m.group) for m in extract_metrics(text) if m.stat == "count"]


def test_a_description_after_the_split_still_reaches_the_verb():
    text = "A total of 612 adults (300 in the mobile arm and 312 in the leaflet arm) living in two provinces were enrolled."
    assert counts(text) == [("N_ENROLLED", 612, None), ("N_ENROLLED", 300, "mobile"), ("N_ENROLLED", 312, "leaflet")]
    assert counts("950 adults who attended the public clinics were included.") == [("N_ENROLLED", 950, None)]


def test_sizes_written_before_their_labels_between_semicolons():
    text = "In all, 330 adults were randomised (n=166, tablet A; n=164 tablet B)."
    assert counts(text) == [("N_ENROLLED", 330, None), ("N_ENROLLED", 166, "tablet A"), ("N_ENROLLED", 164, "tablet B")]


def test_entering_a_described_trial_enrols():
    assert counts("Fifty-two volunteers entered a 10-week open-label trial of yoga.") == [("N_ENROLLED", 52, None)]


def test_the_parts_of_an_opening_head_count_share_its_later_verb():
    text = "Seventy adults with gout (early, n = 31; late, n = 39) and obesity entered the trial."
    assert counts(text) == [("N_ENROLLED", 70, None), ("N_ENROLLED", 31, "early"), ("N_ENROLLED", 39, "late")]


def test_a_population_set_before_a_comma_is_not_counted_by_the_verb_after_it():
    text = "Of the 415 mothers admitted to the ward, 120 were enrolled."
    assert counts(text) == [("N_ENROLLED", 120, None)]


def test_a_heading_before_the_head_count_and_a_long_description_before_the_verb():
    text = "METHODS: Seventy adults with gout (early, n = 31; late, n = 39) and obesity entered a 12-week trial."
    assert [c for c in counts(text) if c[2]] == [("N_ENROLLED", 31, "early"), ("N_ENROLLED", 39, "late")]
    text = ("1500 older women (760 smokers and 740 controls) who attended the outpatient clinics in the three northern"
            " provinces were included.")
    assert counts(text) == [("N_ENROLLED", 1500, None), ("N_ENROLLED", 760, "smokers"), ("N_ENROLLED", 740, "controls")]


def test_completers_after_a_total_of_are_no_study_population():
    text = "A total of 58 patients completed the study: 20 in the tai chi group, 19 in the walking group, and 19 in the control group."
    assert counts(text) == []


def test_a_relative_clause_naming_what_the_patients_were_reaches_the_verb():
    text = "A total of 96 adults who were candidates for liver transplantation (LT) were randomized."
    assert counts(text) == [("N_ENROLLED", 96, None)]
    assert counts("We studied the 9 patients who were in partial response after induction.") == []


def test_an_age_between_commas_and_an_irregular_relative_verb_reach_the_count_verb():
    assert counts("Sixty-four patients, median age 77 years (range, 70-91), were included.") == [("N_ENROLLED", 64, None)]
    assert counts("Twenty-eight adults who met at least one frailty criterion received tisa-cel.") == [("N_TREATED", 28, None)]


def test_deaths_counted_are_no_study_population():
    assert [(m.endpoint, m.value) for m in extract_metrics("Three deaths were attributed to treatment.")] == [("NRM", 3.0)]


def test_a_size_in_each_group_stated_without_a_verb_keeps_its_label_as_written():
    assert counts("After matching, there were 412 patients in each cohort.") == [("N_ENROLLED", 412, "each cohort")]
    assert counts("Matching left two balanced cohorts, with 233 patients in each cohort.") == [
        ("N_ENROLLED", 233, "each cohort")]
    assert counts("In all, 300 patients were randomized, 150 in each arm.") == [
        ("N_ENROLLED", 300, None), ("N_ENROLLED", 150, "each arm")]


def test_groups_of_a_described_size_take_the_verb_after_them():
    text = "PARTICIPANTS: Two groups of 17 older adults with insomnia (age 65 to 80) recruited through local clinics."
    assert counts(text) == [("N_ENROLLED", 17, "each group")]
    assert counts("We randomized 30 rats into 3 groups of 10 rats each.") == []


def test_a_study_population_sized_in_a_parenthesis_with_its_age_takes_its_verb():
    assert counts("Teenagers (N=96; 14-17 years) with anxiety were recruited.")[0][:2] == ("N_ENROLLED", 96)


def test_patients_a_measurement_was_made_in_are_evaluable_unlike_a_treatment_evaluated_in_them():
    text = "METHODS: In a crossover design, gastric emptying was simultaneously assessed in 16 diabetic patients for 3 h."
    assert counts(text) == [("N_EVALUABLE", 16, None)]
    text = "The efficacy of drug A was evaluated in 640 subjects with mild asthma in a multicentre trial."
    assert counts(text) == [("N_ENROLLED", 640, None)]


def test_the_verb_right_before_a_described_count_counts_it():
    text = "We retrospectively analysed 410 patients with lymphoma treated with a CD19 CAR T-cell product."
    assert counts(text) == [("N_EVALUABLE", 410, None)]
