"""Head counts: what was counted, read from the verb or noun governing the count (extractor 2.7.1).

Sentences are written for these tests; each reads what only its mechanism can read.
"""

from __future__ import annotations

from litmus.nlp.metrics import extract_metrics


def counts(text: str) -> list[tuple]:
    return [(m.endpoint, m.value, m.group) for m in extract_metrics(text) if m.endpoint != "OTHER"]


def test_an_aside_between_an_arm_and_the_parenthesis_counting_it():
    text = "Adults were randomized to drug A (20 mg daily) (n = 44) or drug B (10 mg twice daily) (n = 40)."
    assert counts(text) == [("N_ENROLLED", 44, "drug A"), ("N_ENROLLED", 40, "drug B")]
    text = "The historical group (spring 2004) (n = 300) was compared with the current group (spring 2005) (n = 320)."
    assert [c[:2] for c in counts(text)] == [("N_TREATED", 300), ("N_TREATED", 320)]


def test_an_aside_that_is_itself_a_count_is_not_skipped():
    text = "Adults were randomized to drug A (n = 44) (n = 44 analysed) or drug B (n = 40)."
    assert ("N_ENROLLED", 44, "drug A") in counts(text)


def test_a_count_measured_or_analysed_in_a_passive_clause_is_evaluable():
    assert counts("Serum ferritin levels were measured in 52 adults with gout.") == [("N_EVALUABLE", 52, None)]
    assert counts("Bone density was examined in 48 adults at one year.") == [("N_EVALUABLE", 48, None)]
    assert counts("An interim analysis conducted in 58 adults found no difference.") == [("N_EVALUABLE", 58, None)]


def test_a_passive_clause_that_judges_the_treatment_or_gives_it_is_not_an_evaluation():
    assert counts("The efficacy of drug A was evaluated in 60 adults.") == [("N_ENROLLED", 60, None)]
    assert not any(c[0] == "N_EVALUABLE" for c in counts("Surgery was performed in 58 adults with gout."))


def test_a_population_heading_the_sentence_that_was_tested_or_surveyed_is_evaluable():
    assert counts("Of the 90 adults who underwent a second biopsy, 43 had healed.")[0] == ("N_EVALUABLE", 90, None)
    assert counts("Among 300 children surveyed in the second year, anaemia was common.") == [("N_EVALUABLE", 300, None)]
    assert counts("Of the 401 infants included in the final analysis, 30 died.")[0] == ("N_EVALUABLE", 401, None)


def test_a_population_heading_the_sentence_that_had_the_therapy_stays_treated():
    assert counts("Of the 90 adults who underwent surgery, 43 had healed.")[0] == ("N_TREATED", 90, None)


def test_a_count_the_therapy_was_given_to_or_started_in_is_treated():
    assert counts("Lithium augmentation was initiated in 23 adults.") == [("N_TREATED", 23, None)]
    assert counts("Drug A was administered to 40 adults with gout.") == [("N_TREATED", 40, None)]
    assert counts("We gave drug A to 4 adults with gout.") == [("N_TREATED", 4, None)]


def test_supportive_care_started_in_a_count_is_not_the_therapy():
    assert counts("Tocilizumab was started in 12 adults.") == []


def test_people_named_by_their_work_or_condition_are_counted():
    assert counts("Lung function was measured in 41 asthmatics.") == [("N_EVALUABLE", 41, None)]
    assert counts("In total, 75 nurses and 40 physicians were enrolled.") == [("N_ENROLLED", 75, None),
                                                                             ("N_ENROLLED", 40, None)]


def test_a_breakdown_into_boys_and_girls_is_not_a_count():
    assert counts("Thirty children (18 boys, 12 girls) were enrolled.") == [("N_ENROLLED", 30, None)]


def test_a_figure_inside_a_counting_parenthesis_leaves_the_name_before_it():
    text = "Adults were treated at dose level 1 (50 × 10^6; n = 12) or dose level 2 (100 × 10^6; n = 20)."
    assert counts(text) == [("N_TREATED", 12, "dose level 1"), ("N_TREATED", 20, "dose level 2")]
    text = "Adults were treated with drug A (10 mg/kg; n = 14) or drug B (20 mg/kg; n = 9)."
    assert counts(text) == [("N_TREATED", 14, "drug A"), ("N_TREATED", 9, "drug B")]


def test_a_name_inside_a_counting_parenthesis_still_wins():
    text = "Adults were given drug A at two doses (low dose, n = 14; high dose, n = 9)."
    assert counts(text) == [("N_TREATED", 14, "low dose"), ("N_TREATED", 9, "high dose")]


def test_each_figures_denominator_sized_where_its_group_is_named():
    text = "The median stay was 2.4 days in 56 adults in the drug A group and 1.8 days in 57 adults in the placebo group."
    assert counts(text) == [("N_TREATED", 56, "drug A"), ("N_TREATED", 57, "placebo")]
    text = "Pain lasted 3.1 days in 40 adults in the gel group; 2.2 days in 41 adults in the spray group."
    assert counts(text) == [("N_TREATED", 40, "gel"), ("N_TREATED", 41, "spray")]


def test_the_n_of_a_k_of_n_in_a_group_is_no_count():
    text = "Fever occurred in 4 of 41 adults in the drug A group compared with 11 of 39 adults in the placebo group."
    assert not any(c[0] == "N_TREATED" for c in counts(text))
    assert counts("Fever lasted 2.4 days in 56 adults in the drug A group.") == []


def test_a_count_with_its_share_of_the_study_given_or_measured_in_a_passive_clause():
    assert counts("Lung function was measured in 290 (96%) adults at one year.") == [("N_EVALUABLE", 290, None)]
    assert counts("Drug A was prescribed in 539 (24%) adults.") == [("N_TREATED", 539, None)]


def test_a_counted_noun_described_by_adjectives_joined_with_a_comma():
    text = "We conducted a 24-week study in 106 treatment-naive, HIV-infected adults (median age 40 years)."
    assert counts(text) == [("N_ENROLLED", 106, None)]
    assert counts("A total of 44 intubated, ventilated adults requiring sedation were studied.") == [("N_ENROLLED", 44, None)]
    assert counts("At 12 months, adults in group A had fewer relapses.") == []


def test_a_second_count_coordinated_with_the_first_shares_its_clause():
    assert counts("Blood levels were measured in 52 and 50 adults in the two groups.") == [
        ("N_EVALUABLE", 52, None), ("N_EVALUABLE", 50, None)]


def test_a_long_name_of_what_was_given_before_the_count():
    assert counts("We gave sequential drug A and drug B infusions to 4 adults.") == [("N_TREATED", 4, None)]


def test_an_arm_named_after_as_or_described_by_its_period():
    text = "The vaccine was given as one dose (n = 30) or as two doses (n = 12)."
    assert counts(text) == [("N_TREATED", 30, "one dose"), ("N_TREATED", 12, "two doses")]
    text = "Adults were randomized to drug A for six weeks (n = 44) or placebo (n = 40)."
    assert counts(text) == [("N_ENROLLED", 44, "drug A"), ("N_ENROLLED", 40, "placebo")]


def test_a_short_name_after_the_size_inside_its_parenthesis():
    text = ("Thirty adults with refractory or relapsed acute myeloid leukaemia (n = 18, AML) or myelodysplasia of"
            " high-risk type (n = 12, MDS) were treated.")
    assert ("N_TREATED", 12, "MDS") in counts(text)
    text = "Four hundred adults were randomized (drug A, n = 203; drug B, n = 197)."
    assert counts(text)[1:] == [("N_ENROLLED", 203, "drug A"), ("N_ENROLLED", 197, "drug B")]
