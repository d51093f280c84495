"""Deaths and hazard ratios: mechanisms added while tuning on the released rounds r6-r10 (extractor 2.6.0).

Sentences are written for these tests; each reads what only its mechanism can read.
"""

from __future__ import annotations

from litmus.nlp.metrics import extract_metrics


def read(text: str) -> list[tuple]:
    return [(m.endpoint, m.stat, m.value, m.group) for m in extract_metrics(text) if m.endpoint != "OTHER"]


def test_a_single_death_counted_in_words():
    assert read("There was one death in the placebo group.") == [("MORTALITY", "count", 1, "placebo")]


def test_a_hazard_ratio_names_what_it_compares():
    assert read("The hazard ratio of death comparing drug A with placebo was 0.79 (95% CI 0.66-0.94).") == [
        ("OS", "hr", 0.79, None)]
    assert read("The HR for death was 0.79.") == [("OS", "hr", 0.79, None)]


def test_a_hazard_ratio_of_a_composite_keeps_the_survival_endpoint_of_its_sentence():
    text = "Progression-free survival was longer with drug A (HR for progression, relapse or death 0.5)."
    assert [r[:3] for r in read(text)] == [("PFS", "hr", 0.5)]


def test_a_death_of_a_named_cause_in_a_composite_is_no_death():
    text = "Heart failure hospitalization or cardiovascular death occurred in 5.7% of adults given drug A."
    assert read(text) == []


def test_an_estimate_written_with_plus_or_minus():
    assert read("Mortality did not differ between A (26 +/- 9%) and B (24 +/- 10%, p = .86).") == [
        ("MORTALITY", "rate", 26, None), ("MORTALITY", "rate", 24, None)]


def test_a_list_of_reductions_states_changes_not_levels():
    text = ("Drug A lowered the risk of the primary outcome by 25% (95% CI 12-36), stroke by 33% (10-50) and "
            "death from cardiovascular causes by 37% (21-51).")
    assert read(text) == []


def test_a_hedged_figure_is_no_result():
    assert read("Kidney injury carries a mortality of up to 60%.") == []
    assert read("Mortality remains as high as 8% to 12% in this period.") == []


def zeros(text: str) -> list[tuple]:
    return [(m.endpoint, m.value, m.timepoint_months, m.group) for m in extract_metrics(text) if m.negated]


def test_nobody_died_within_a_window():
    assert zeros("Nobody died during the first 30 days.") == [("MORTALITY", 0, 0.9856, None)]
    assert read("No one died within 100 days.") == [("MORTALITY", "rate", 0, None)]  # and no count of one


def test_deaths_none_of_which_was_related_to_the_treatment():
    text = "Three adults died of progression; none of the deaths was judged related to the CAR T cells."
    assert zeros(text) == [("NRM", 0, None, None)]
    assert zeros("Two adults died of infection; neither was related to the infused product.") == [("NRM", 0, None, None)]


def test_no_death_of_a_toxicity_is_a_zero_of_non_relapse_deaths_not_of_the_toxicity():
    assert zeros("No patient died of cytokine release syndrome or neurotoxicity.") == [("NRM", 0, None, None)]


def test_a_comparator_with_none():
    assert zeros("Two adults died with drug A versus none in the placebo group.") == [("MORTALITY", 0, None, "placebo")]
    assert zeros("Three adults relapsed in arm A vs zero in arm B.") == [("RELAPSE", 0, None, "arm B")]


def toxicities(text: str) -> list[tuple]:
    return [(m.endpoint, m.value) for m in extract_metrics(text) if m.endpoint.startswith(("CRS", "ICANS"))]


def test_a_low_grade_figure_beside_a_grade_3_figure_is_a_part():
    text = "Adverse events comprised CRS of grade 1-2 in 48 adults (87%) and of grade 3 in 6 (11%)."
    assert toxicities(text) == [("CRS_GE3", 11)]
    text = "Grade 1 CRS occurred in 7 adults (70%) and settled; only one adult had grade 2 CRS."
    assert toxicities(text) == []


def test_a_low_grade_figure_covering_every_event_is_any_grade():
    assert toxicities("Grade 1 neurotoxicity occurred in 5 adults (9%).") == [("ICANS_ANY", 9)]
    text = "CRS of grade 1 or 2 developed in 94.6% of adults, and no adult had grade 3 or higher CRS."
    assert toxicities(text) == [("CRS_ANY", 94.6), ("CRS_GE3", 0)]
    assert toxicities("CRS, mostly of low grade, occurred in 85% of adults.") == [("CRS_ANY", 85)]


def test_a_grade_2_to_4_figure_is_neither_any_grade_nor_grade_3():
    assert toxicities("The incidence of grade 2-4 CRS was 39.3% (11/28).") == []


def test_survival_of_a_thing_or_without_an_event_is_not_overall_survival():
    assert read("Implant survival rates at 10 years were 93.7% and 89.8%.") == []
    assert read("The probability of survival without transplantation was 69 percent at one year.") == []
    assert read("Survival without progression was 40% at 2 years.") == [("PFS", "rate", 40, None)]


def test_coordinated_subjects_named_by_what_they_received_share_the_verb():
    text = "Twelve adults (2.9%) receiving drug A and 10 adults (2.4%) receiving placebo died during the study."
    assert read(text) == [("MORTALITY", "rate", 2.9, "drug A"), ("MORTALITY", "rate", 2.4, None)]


def test_crs_associated_encephalopathy_and_neurotoxic_symptoms_are_neurotoxicity():
    assert toxicities("Three adults developed CRS-associated encephalopathy (CRES) after CAR-T cell infusion.") == [
        ("ICANS_ANY", 3)]
    assert toxicities("Six adults had neurotoxic symptoms after CAR-T cells, which were severe (grade ≥3) in 3.") == [
        ("ICANS_ANY", 6), ("ICANS_GE3", 3)]


def test_a_list_of_graded_toxicities_pairs_with_its_figures():
    text = "Grade 3 cytokine release syndrome and grade 3 neurological events were seen in 1% and 4%, respectively."
    assert toxicities(text) == [("CRS_GE3", 1), ("ICANS_GE3", 4)]


def outcomes(text: str) -> list[tuple]:
    return [(m.endpoint, m.value, m.timepoint_months) for m in extract_metrics(text) if m.endpoint != "OTHER"]


def test_one_figure_shared_by_a_list_of_endpoints():
    assert sorted(outcomes("Progression-free and overall survival at 1 year were both 55.6%.")) == [
        ("OS", 55.6, 12.0), ("PFS", 55.6, 12.0)]
    assert sorted(outcomes("Median PFS and median OS were both 1.9 months.")) == [("OS", 1.9, None), ("PFS", 1.9, None)]
    text = "Medians for progression-free survival (PFS), duration of response (DOR) and overall survival (OS) have not been reached."
    assert sorted(outcomes(text)) == [("DOR", None, None), ("OS", None, None), ("PFS", None, None)]


def test_a_figure_that_names_its_endpoint_in_parentheses():
    assert outcomes("Responses were objective in 90% (ORR) and complete in 43.3% (CR rate).") == [
        ("ORR", 90, None), ("CR", 43.3, None)]


def test_a_hyphenated_duration_of_response():
    assert outcomes("The duration-of-response rate at 6 months was 44.8%.") == [("DOR", 44.8, 6.0)]


def test_above_grade_2_is_grade_3_or_higher():
    text = "CRS of any grade developed in 41 of 47 adults (87.23%); it was severe (above grade 2) in 8 (17.02%)."
    assert toxicities(text) == [("CRS_ANY", 87.23), ("CRS_GE3", 17.02)]


def test_time_points_listed_with_their_own_units():
    text = "Overall survival at 6 months, 1 year and 3 years was 50.3%, 42.0% and 10.5%, respectively."
    assert outcomes(text) == [("OS", 50.3, 6.0), ("OS", 42.0, 12.0), ("OS", 10.5, 36.0)]


def test_a_time_point_in_abbreviated_years():
    assert outcomes("At 8 y, the estimated proportion alive was 77.9%.") == [("OS", 77.9, 96.0)]
