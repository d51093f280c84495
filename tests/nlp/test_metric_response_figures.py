"""Response figures: the interval between a figure and the endpoint it is the subject of.

Sentences written for these tests; each fails if its mechanism is taken out.
"""

from __future__ import annotations

from litmus.nlp.metrics import extract_metrics


def read(text: str) -> list[tuple]:
    return [(m.endpoint, m.value) for m in extract_metrics(text) if m.endpoint != "OTHER" and m.stat == "rate"]


def test_a_figure_with_its_interval_is_still_the_subject_of_the_endpoint_after_it():
    text = "Of the evaluable adults, 81% (95% CI, 70–89) had an objective response and 57% (95% CI, 44–69) a complete response."
    assert read(text) == [("ORR", 81.0), ("CR", 57.0)]
    text = "The objective response rate was 88% (95% CI, 69%–97%), and 63% (95% CI, 41%–81%) of patients had a complete response."
    assert read(text) == [("ORR", 88.0), ("CR", 63.0)]


def test_a_complete_remission_without_residual_disease_is_mrd_negativity():
    assert read("All 7 adults reached complete remission with negative minimal residual disease.") == [("MRD_NEG", 100.0)]
    assert read("By day 30, 58% of patients were in complete response without measurable residual disease.") == [
        ("MRD_NEG", 58.0)]
    assert read("All 5 children achieved CR without detectable MRD.") == [("MRD_NEG", 100.0)]


def test_a_list_ends_with_its_last_full_row_before_a_statement_of_its_own():
    text = ("In marginal zone lymphoma the overall and complete response rates were 95% and 60%, compared with 50% and"
            " 30% in DLBCL, and 35% of older patients responded.")
    assert read(text) == [("ORR", 95.0), ("CR", 60.0), ("ORR", 50.0), ("CR", 30.0), ("ORR", 35.0)]


def test_the_count_after_a_share_is_its_denominator_not_a_count_of_its_own():
    text = "MRD negativity was reached in 65% of the 40 patients with a complete response."
    assert [(m.endpoint, m.stat, m.value) for m in extract_metrics(text)] == [("MRD_NEG", "rate", 65.0)]


def test_a_clause_repeating_the_preposition_keeps_the_endpoint_and_its_population_words_describe():
    text = ("MRD negativity was confirmed in 21 patients, 30% of all those treated, and in 75% of the 28 patients"
            " with a complete response or better.")
    assert [(m.endpoint, m.value) for m in extract_metrics(text) if m.stat == "rate"] == [("MRD_NEG", 30.0), ("MRD_NEG", 75.0)]
