"""CRS/ICANS figures and their grade breakdowns, and adverse events outside the inventory.

Sentences written for these tests; each fails if its mechanism is taken out.
"""

from __future__ import annotations

from litmus.nlp.metrics import extract_metrics


def read(text: str, *, with_other: bool = False) -> list[tuple]:
    return [(m.endpoint, m.value) for m in extract_metrics(text) if with_other or m.endpoint != "OTHER"]


def test_a_grade_then_a_comma_then_its_figure_breaks_down_the_figure_before():
    text = "CRS developed in 64% (grade ≥3, 4%) and neurotoxicity in 22% (grade ≥3, 6%)."
    assert read(text) == [("CRS_ANY", 64.0), ("CRS_GE3", 4.0), ("ICANS_ANY", 22.0), ("ICANS_GE3", 6.0)]


def test_a_grade_of_an_earlier_figure_does_not_grade_a_later_toxicity():
    text = "In all, 70% had an adverse event of grade ≥3, 45% had cytokine release syndrome and 20% had ICANS."
    assert read(text) == [("CRS_ANY", 45.0), ("ICANS_ANY", 20.0)]


def test_an_adverse_event_outside_the_inventory_keeps_its_own_figure():
    text = "Neurotoxicity occurred in 18% and infections of grade ≥3 in 11%."
    assert read(text) == [("ICANS_ANY", 18.0)]
    assert ("OTHER", 11.0) in read(text, with_other=True)


def test_deaths_from_an_infection_stay_deaths():
    text = "Mortality from bacterial infection (5 [4%] given A versus 3 [2%] given B) did not differ."
    assert read(text) == [("MORTALITY", 4.0), ("MORTALITY", 2.0)]


def test_no_death_attributed_to_the_procedure_is_a_zero_nrm():
    zero = [m for m in extract_metrics("No death was attributed to the procedure.") if m.negated]
    assert [(m.endpoint, m.value) for m in zero] == [("NRM", 0.0)]


def test_one_figure_each_of_a_list_reaches_past_a_verb_of_measure():
    text = "Grade 3-4 CRS and grade 3-4 neurotoxicity were each limited to 6%."
    assert sorted(read(text)) == [("CRS_GE3", 6.0), ("ICANS_GE3", 6.0)]
