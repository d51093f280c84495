"""CAR-T and cell-therapy constructions: mechanisms added while tuning on cart-own and cart-own2.

Sentences are written for these tests; each reads what only its mechanism can read.
"""

from __future__ import annotations

from litmus.nlp.metrics import extract_metrics


def read(text: str) -> list[tuple]:
    return [(m.endpoint, m.stat, m.value) for m in extract_metrics(text) if m.endpoint != "OTHER"]


def codes(text: str) -> list[str]:
    return [m.endpoint for m in extract_metrics(text) if m.endpoint != "OTHER"]


# ----------------------------------------------------------------------------- grade-restricted toxicity


def test_a_low_grade_part_beside_a_higher_grade_is_no_any_grade_figure():
    text = "Cytokine release syndrome arose in 20 of 22 patients (91%); it stayed at grade 1 or 2 in 18 and reached grade 3 in 2."
    assert ("CRS_ANY", "count", 18) not in read(text)
    assert ("CRS_ANY", "rate", 90.91) in read(text) or ("CRS_ANY", "rate", 91) in read(text)
    assert ("CRS_GE3", "count", 2) in read(text)


def test_a_low_grade_figure_is_the_whole_when_no_higher_grade_occurred():
    text = "Grade 1-2 cytokine release syndrome occurred in 40% of patients, and no patient had grade 3 or higher CRS."
    assert ("CRS_ANY", "rate", 40) in read(text)


def test_mild_neurotoxicity_beside_a_severe_case_is_a_part():
    text = ("Among 30 infused patients, mild ICANS developed in 6 (20%), and a single patient had grade 4 ICANS. "
            "Low-grade CRS was seen in 12 (40%).")
    found = read(text)
    assert ("ICANS_ANY", "rate", 20) not in found
    assert ("CRS_ANY", "rate", 40) in found


def test_two_low_grade_parts_state_no_whole():
    text = "Grade 1 CRS developed in 9 patients (45%) and grade 2 CRS in 3 patients (15%)."
    assert [c for c in codes(text) if c.startswith("CRS")] == []


def test_a_low_grade_part_and_its_higher_grade_in_separate_sentences():
    text = "Grade 1-2 CRS occurred in 20 patients (67%). Grade 3 CRS was seen in 2 patients (7%)."
    assert read(text) == [("CRS_GE3", "rate", 7)]


def test_a_low_grade_part_of_an_any_grade_figure_in_its_sentence():
    text = "CRS developed in 5 of 8 patients, all at the higher dose; it was of grade 1 in 4 patients."
    assert read(text) == [("CRS_ANY", "rate", 62.5)]


def test_a_range_from_grade_2_is_neither_endpoint():
    text = "The cumulative incidence of grade 2-4 CRS was 25% at day 28."
    assert [c for c in codes(text) if c.startswith("CRS")] == []


def test_above_grade_2_is_grade_3_or_higher():
    text = "Cytokine release syndrome developed in 30 of 40 patients (75%) and was severe (above grade 2) in 4 (10%)."
    assert ("CRS_GE3", "rate", 10) in read(text)
    assert ("CRS_ANY", "rate", 10) not in read(text)


# ----------------------------------------------------------------------------- adverse events outside the inventory


def test_events_listed_after_neurotoxicity_are_not_neurotoxicity():
    text = ("Early toxicities were grade 1 neurotoxicity in 3 (10%), graft-versus-host disease in 6 (20%) and grade 3 "
            "infections in 2 (7%).")
    assert read(text) == [("ICANS_ANY", "rate", 10)]


def test_a_death_of_an_infection_stays_a_death():
    text = "Mortality from invasive infection was 6 (5%) with drug A and 9 (8%) with drug B."
    assert [c for c in codes(text)] == ["MORTALITY", "MORTALITY"]


# ----------------------------------------------------------------------------- remission as a state


def test_patients_in_remission_name_who_is_counted():
    text = "After a median follow-up of 9 months, 5 of the 11 patients in CR had relapsed."
    assert codes(text) == ["FOLLOW_UP", "RELAPSE"]


def test_remaining_in_remission_is_not_a_response_rate():
    assert codes("At the last visit, 4 patients remained in complete remission.") == []


# ----------------------------------------------------------------------------- landmark time points


def timed(text: str) -> list[tuple]:
    return [(m.endpoint, m.value, m.timepoint_months) for m in extract_metrics(text) if m.endpoint != "OTHER"]


def test_a_list_of_time_points_in_mixed_units_pairs_with_its_values():
    text = "Event-free survival at 3 months, 1 year and 2 years was 88%, 61% and 47%, respectively."
    assert timed(text) == [("EFS", 88, 3), ("EFS", 61, 12), ("EFS", 47, 24)]


def test_a_time_point_right_after_a_value_is_its_own():
    text = "The estimated OS was 90% (95% CI, 80 to 95) at 6 months and 72% (95% CI, 60 to 81) at 18 months."
    assert timed(text) == [("OS", 90, 6), ("OS", 72, 18)]


# ----------------------------------------------------------------------------- neurotoxicity vocabulary


def test_cytokine_release_associated_encephalopathy_is_icans():
    text = "Two of 10 patients developed CRS-related encephalopathy syndrome after CAR T-cell infusion."
    assert codes(text) == ["ICANS_ANY"]


def test_neurotoxic_events_are_icans():
    text = "After CAR T-cell infusion, neurotoxic events occurred in 4 patients and were severe in 1."
    assert read(text) == [("ICANS_ANY", "count", 4), ("ICANS_GE3", "count", 1)]


# ----------------------------------------------------------------------------- responses counted in a shared-verb list


def test_counts_whose_list_shares_one_verb():
    text = "At the first assessment, five had stable disease, two a partial response and one a complete response."
    assert read(text) == [("SD", "count", 5), ("PR", "count", 2), ("CR", "count", 1)]


def test_a_count_before_an_achievement_verb():
    text = "Of the 4 patients with plasma cell leukemia, one reached a VGPR and 2 more achieved CR."
    assert ("VGPR", "rate", 25) in read(text)
    assert ("CR", "rate", 50) in read(text)


# ----------------------------------------------------------------------------- one figure for a list of endpoints


def test_a_figure_both_endpoints_share():
    text = "Median EFS and median OS were both 4.2 months (95% CI, 3.1-6.0)."
    assert sorted((m.endpoint, m.value, m.ci_low) for m in extract_metrics(text)) == [("EFS", 4.2, 3.1), ("OS", 4.2, 3.1)]


def test_not_reached_for_a_list_of_endpoints():
    text = "The medians of overall survival, duration of response and progression-free survival were not reached."
    assert sorted(codes(text)) == ["DOR", "OS", "PFS"]


def test_a_list_with_a_figure_each_is_not_shared():
    text = "The 2-year PFS and OS were 41% and 60%."
    assert read(text) == [("PFS", "rate", 41), ("OS", "rate", 60)]


def test_a_heading_time_point_counted_from_an_event():
    text = "On day 28 after infusion, 18 of 20 patients (90%) were in complete remission."
    assert timed(text) == [("CR", 90, 0.9199)]


def test_a_heading_time_point_naming_its_assessment():
    text = "At the month 3 assessment, 12 of 16 patients (75%) had an objective response."
    assert timed(text) == [("ORR", 75, 3)]


def test_an_interval_heading_the_sentence_is_a_landmark():
    text = "Two weeks after the second infusion, 6 of 10 patients (60%) were in complete response."
    assert timed(text) == [("CR", 60, 0.46)]


# ----------------------------------------------------------------------------- responses named by the bare noun


def test_responses_seen_in_patients_are_the_overall_response():
    assert read("Responses were seen in 9 of 15 patients (60%).") == [("ORR", "rate", 60)]
    assert read("The bispecific antibody produced a response in 38% of patients.") == [("ORR", "rate", 38)]


# ----------------------------------------------------------------------------- MRD positivity


def test_turning_mrd_positive_is_no_relapse():
    text = "Two patients relapsed, and 4 patients became positive for minimal residual disease (MRD) without relapse."
    assert read(text) == [("RELAPSE", "count", 2)]


def test_an_mrd_positive_remission_stays_a_remission():
    text = "Eight (40%) reached an MRD-negative CR and 3 (15%) an MRD-positive CR."
    assert read(text) == [("MRD_NEG", "rate", 40), ("CR", "rate", 15)]


# ----------------------------------------------------------------------------- graded counts


def test_a_graded_count_with_no_count_before_it():
    text = "Cytokine release syndrome occurred in every patient and was of grade 3 or higher in 4."
    assert read(text) == [("CRS_GE3", "count", 4)]


def test_a_graded_count_followed_by_its_grading_scale():
    text = "Five of 9 patients had CRS, of grade 1 in 3 and grade 3 in 2 by the ASTCT criteria."
    assert ("CRS_GE3", "count", 2) in read(text)


# ----------------------------------------------------------------------------- one figure in two mentions; CR/CRi


def strict(text: str) -> list[tuple]:
    return [(m.endpoint, m.value, m.count, m.total, m.composite) for m in extract_metrics(text) if m.endpoint != "OTHER"]


def test_a_count_of_them_and_its_percentage_are_one_rate():
    text = "Twenty patients were evaluable, and 15 of them (75%) had an objective response."
    assert strict(text) == [("N_EVALUABLE", 20, 20, None, None), ("ORR", 75, 15, 20, None)]


def test_a_percentage_of_a_counted_population_takes_it_as_denominator():
    text = "Complete responses were seen in 40% of the 25 patients infused."
    assert strict(text) == [("CR", 40, None, 25, None)]


def test_remission_or_remission_with_incomplete_recovery_of_counts_is_one_composite():
    text = "Overall, 18 patients (60%) were in complete remission or in CR with incomplete recovery of blood counts (CRi)."
    assert strict(text) == [("CR", 60, 18, None, "CR/CRi")]


# ----------------------------------------------------------------------------- endpoints the abstract defines


def test_a_remission_rate_defined_as_cr_or_cri_is_the_composite():
    text = ("The primary end point was the overall remission rate, i.e. the rate of complete remission or complete "
            "remission with incomplete count recovery. The overall remission rate was 70% at day 28.")
    assert strict(text) == [("CR", 70, None, None, "CR/CRi")]


def test_an_undefined_remission_rate_keeps_its_reading():
    assert codes("The overall remission rate was 70% at day 28.") == ["ORR"]


def test_a_population_written_after_a_rate_is_its_denominator():
    text = "Two-year EFS was 80% for the 15 transplanted patients."
    assert strict(text) == [("EFS", 80, None, 15, None)]


def test_among_a_population_covers_the_rates_listed_before_it():
    text = "The overall response rate was 60% and the complete response rate 35% among 40 evaluable patients."
    assert [(e, v, n) for e, v, _, n, _ in strict(text)] == [("ORR", 60, 40), ("CR", 35, 40), ("N_EVALUABLE", 40, None)]


# ----------------------------------------------------------------------------- median follow-up


def test_median_follow_up_written_at_its_value():
    text = "With median follow-up at 9.4 months, 1-year PFS was 48%."
    assert timed(text) == [("FOLLOW_UP", 9.4, None), ("PFS", 48, 12)]


def test_median_follow_up_written_after_its_value():
    assert timed("After 20.1 months of median follow-up, 5 patients had died.") == [
        ("FOLLOW_UP", 20.1, None), ("MORTALITY", 5, None)]
    assert codes("After 24 months of follow-up, OS was 60%.") == ["OS"]


def test_a_percentage_restating_a_k_of_n_after_its_verb_is_one_figure():
    text = "Four of the 16 adults responded (overall response rate, 25%)."
    assert strict(text) == [("ORR", 25, 4, 16, None)]


def test_a_k_of_n_and_its_percentage_around_the_verb():
    assert strict("Nine of 20 patients responded (45%).") == [("ORR", 45, 9, 20, None)]


def test_a_median_below_a_bound_is_not_a_figure_of_the_study():
    text = "After relapse, median overall survival is below 6 months; in our study it was 14.2 months."
    assert [(e, v) for e, _, v in read(text)] == [("OS", 14.2)]


# ----------------------------------------------------------------------------- a parallel statement by pronoun


def test_a_pronoun_repeats_the_endpoint_for_another_time_point():
    text = "At 3 months, the cumulative incidence of relapse was 8%, and by 12 months it had risen to 21%."
    assert timed(text) == [("RELAPSE", 8, 3), ("RELAPSE", 21, 12)]


def test_the_time_point_of_a_rates_noun_holds_for_its_pair():
    text = "The 3-year cumulative incidence of NRM was 11% and 7% (P = 0.4); relapse at 3 years was 30% and 35%."
    assert timed(text)[:2] == [("NRM", 11, 36), ("NRM", 7, 36)]


def test_a_long_list_after_a_colon_reports_the_endpoint_before_it():
    text = ("Complete response rates were similar across the subgroups examined: younger patients (61%, n=40) versus "
            "older patients (58%, n=52); bulky disease (55%, n=31) versus no bulky disease (62%, n=61); prior "
            "autologous transplant (57%, n=28) versus no prior transplant (60%, n=64); and elevated LDH (52%, n=50) "
            "versus normal LDH (68%, n=42).")
    assert [v for e, _, v in read(text) if e == "CR"] == [61, 58, 55, 62, 57, 60, 52, 68]


def test_not_estimable_closing_a_ci_is_no_figure_of_its_own():
    text = "Median OS was 17.9 months (95% CI, 14.0-not estimable), and median PFS was not reached (95% CI, 8.1-NE)."
    assert read(text) == [("OS", "median", 17.9), ("PFS", "median", None)]


def test_going_into_remission_is_a_complete_remission():
    assert read("Marrow disease went into remission in 72% of the children.") == [("CR", "rate", 72)]


# ----------------------------------------------------------------------------- "respectively" with other subjects


def test_respectively_pairs_each_figure_with_its_own_subject():
    text = "Fever, a rise in ferritin and CRS were recorded in 15, 11 and 8 patients, respectively."
    assert read(text) == [("CRS_ANY", "count", 8)]


def test_respectively_over_a_list_of_outcomes_is_left_to_pairing():
    assert read("The ORR and the CR rate were 80% and 40%, respectively.") == [("ORR", "rate", 80), ("CR", "rate", 40)]


def test_a_toxicity_named_as_the_cause_of_deaths_gives_the_deaths_figure():
    text = "Non-relapse mortality was mainly due to ICANS (2.4% by day 28)."
    assert timed(text) == [("NRM", 2.4, 0.9199)]


def test_a_response_defined_to_include_stable_disease_is_disease_control():
    text = "Restaging showed a response (stable disease, partial or complete response) in 9 patients (45%)."
    assert codes(text) == []


def test_lasting_responses_are_counted():
    assert strict("Among them were 3 long-lasting complete responses (15%).") == [("CR", 15, 3, None, None)]


def test_remaining_in_remission_is_a_state_not_the_response_named_before():
    text = "The response rate was 60%, and 7 patients remained in remission without further therapy."
    assert read(text) == [("ORR", "rate", 60)]


def test_not_estimable_closing_a_bare_range_is_no_figure():
    text = "Median OS was 20.1 months (95% CI, 11.0-29.0) overall and 38.9 months (25.4-not estimable) for responders."
    assert [v for _, _, v in read(text)] == [20.1, 38.9]


def test_overall_after_a_median_qualifies_it_and_is_no_landmark():
    assert [v for _, _, v in read("Median OS was 20.1 months overall and 38.9 months for responders.")] == [20.1, 38.9]
    assert timed("The 12 month overall survival was 60%.") == [("OS", 60, 12)]


def test_confidence_limits_are_an_interval():
    text = "The ORR was 40% (95% confidence limits, 30% to 50%), with 12 partial remissions (95% CL, 8-16)."
    assert [(e, v) for e, _, v in read(text)] == [("ORR", 40), ("PR", 12)]


def test_a_remission_reached_together_with_mrd_negativity_gives_both():
    text = "Six of the 10 patients achieved CRi together with MRD negativity."
    assert strict(text) == [("CRi", 60, 6, 10, None), ("MRD_NEG", 60, 6, 10, None)]


# ----------------------------------------------------------------------------- dose levels with N


def sized(text: str) -> list[tuple]:
    return [(m.endpoint, m.value, m.group) for m in extract_metrics(text)]


def test_dose_levels_sized_in_parentheses_after_the_dose():
    text = "Patients received 30 × 10^6 (n = 4), 90 × 10^6 (n = 10) or 270 × 10^6 (n = 7) CAR T cells."
    assert sized(text) == [("N_TREATED", 4, "30 × 10^6"), ("N_TREATED", 10, "90 × 10^6"), ("N_TREATED", 7, "270 × 10^6")]


def test_weight_based_dose_levels_and_a_named_dose_level():
    text = "Two dose levels were tested: 2 × 10^6/kg (n = 5) and 6 × 10^6/kg (n = 8)."
    assert sized(text) == [("N_TREATED", 5, "2 × 10^6/kg"), ("N_TREATED", 8, "6 × 10^6/kg")]
    assert sized("At dose level 3 (n = 11), the ORR was 64%.") == [("N_TREATED", 11, "dose level 3"), ("ORR", 64, None)]


# ----------------------------------------------------------------------------- zero events of CAR-T toxicities


def zeros(text: str) -> list[tuple]:
    return [(m.endpoint, m.value, m.count, m.total) for m in extract_metrics(text)]


def test_an_absence_in_any_of_a_counted_population():
    assert zeros("Grade 3 or higher CRS was not seen in any of the 26 patients.") == [("CRS_GE3", 0, 0, 26)]


def test_none_of_a_higher_grade_after_the_toxicity_is_named():
    assert zeros("ICANS of any grade occurred in 9 patients (30%); none were grade 3 or higher.") == [
        ("ICANS_ANY", 30, 9, None), ("ICANS_GE3", 0, 0, None)]
    assert ("CRS_GE3", 0, 0, None) in zeros("CRS developed in 14 patients, and none of these events was severe.")


def test_a_figure_with_its_own_verb_and_response_leaves_the_list_before_it():
    text = "Among the 40 patients infused, the overall response rate was 85% and 55% achieved stringent CR."
    assert strict(text)[1:] == [("ORR", 85, None, 40, None), ("CR", 55, None, 40, "sCR")]


def test_responders_counted_as_the_denominator_are_not_the_outcome():
    text = "In total, 45 of 50 patients (90%) responded, and 40 of 45 responders (89%) were MRD negative."
    assert strict(text) == [("ORR", 90, 45, 50, None), ("MRD_NEG", 89, 40, 45, None)]


def test_non_relapse_deaths_are_nrm():
    assert timed("No non-relapse deaths occurred within 100 days of infusion.") == [("NRM", 0, 3.2854)]


def test_a_grade_stated_after_the_count_it_qualifies():
    text = "ICANS was reported in 12 (24%) patients; 4 (8%) had grade 3 or higher events."
    assert read(text) == [("ICANS_ANY", "rate", 24), ("ICANS_GE3", "rate", 8)]


def test_a_breakdown_by_grade_with_n_is_not_a_list_of_groups():
    text = "ICANS occurred in 6 patients (grade 1, n = 3; grade 2, n = 2; grade 3, n = 1)."
    assert read(text) == [("ICANS_ANY", "count", 6), ("ICANS_GE3", "count", 1)]


def test_a_time_point_carries_over_to_the_parallel_statement():
    text = "The 3-year cumulative incidence of relapse was 27% and non-relapse mortality was 9%."
    assert timed(text) == [("RELAPSE", 27, 36), ("NRM", 9, 36)]


def test_neither_nor_states_two_absences():
    assert zeros("Neither grade ≥3 CRS nor grade ≥3 ICANS was observed.") == [("CRS_GE3", 0, 0, None), ("ICANS_GE3", 0, 0, None)]


def test_an_absence_among_a_counted_population():
    assert zeros("Neither treatment-related deaths nor neurotoxicity occurred among the 8 patients.") == [
        ("NRM", 0, 0, 8), ("ICANS_ANY", 0, 0, 8)]


# ----------------------------------------------------------------------------- product names as groups


def test_a_product_cohort_sized_in_its_heading_names_the_group_without_its_size():
    text = "In the liso-cel cohort (n = 70), the CR rate was 61%."
    assert sized(text) == [("N_TREATED", 70, "liso-cel"), ("CR", 61, "liso-cel")]


def test_a_dose_group_after_a_figure_does_not_make_it_a_dose():
    text = "Grade 3 or higher CRS occurred in 2 patients (5%) at dose level 1 and 3 patients (9%) at dose level 2."
    assert read(text) == [("CRS_GE3", "rate", 5), ("CRS_GE3", "rate", 9)]


def test_rates_among_a_population_past_their_intervals():
    text = "The ORR was 81% (95% CI, 71-89) and the CR rate 54% (95% CI, 43-65) among 82 evaluable patients."
    assert strict(text) == [("ORR", 81, None, 82, None), ("CR", 54, None, 82, None), ("N_EVALUABLE", 82, 82, None, None)]
    assert strict("ORR was 100% in the 6 patients with extramedullary disease.") == [("ORR", 100, None, 6, None)]


def test_a_time_point_right_before_its_value():
    text = "Progression-free survival at 6 months was 59% (95% CI 47-69) and at 12 months 44% (95% CI 32-55)."
    assert timed(text) == [("PFS", 59, 6), ("PFS", 44, 12)]


def test_responses_occurring_in_patients():
    assert read("Responses occurred in 15 of 20 patients (75%).") == [("ORR", "rate", 75)]
    assert codes("A satisfactory response occurred in 68% of the patients given drug A.") == []


def test_responders_sized_in_parentheses_are_a_subgroup():
    text = "Median OS was 21.0 months overall and 40.2 months for responders (n = 44)."
    assert sized(text) == [("OS", 21.0, None), ("OS", 40.2, "responders"), ("N_TREATED", 44, "responders")]


def test_patients_who_completed_the_assessment_are_evaluable():
    assert sized("All 12 patients completed the response assessment.") == [("N_EVALUABLE", 12, None)]


def test_a_head_count_in_the_heading_is_the_denominator_of_the_rates_after_it():
    text = "In the efficacy population (n = 80), the ORR was 90% and the sCR rate 60%."
    assert [(e, v, n) for e, v, _, n, _ in strict(text)] == [("N_EVALUABLE", 80, None), ("ORR", 90, 80), ("CR", 60, 80)]


def test_respectively_over_groups_keeps_every_figure():
    assert [v for _, _, v in read("The CR rates with axi-cel and tisa-cel were 58% and 41%, respectively.")] == [58, 41]


def test_a_share_of_responders_with_its_own_outcome():
    text = "The CR/CRi rate was 90%, and 85% of responders were MRD-negative."
    assert [(e, v) for e, _, v in read(text)] == [("CR", 90), ("MRD_NEG", 85)]


def test_deaths_from_non_relapse_causes_are_nrm():
    assert read("Overall, 3 patients (5%) died from non-relapse causes.") == [("NRM", "rate", 5)]


def test_the_duration_of_a_response_named_by_its_abbreviation():
    assert read("The median duration of CR was 9.6 months.") == [("DOR", "median", 9.6)]


def test_a_list_of_grades_pairs_with_its_figures_respectively():
    text = "CRS of any grade and of grade ≥3 occurred in 78% and 4% of patients, respectively."
    assert read(text) == [("CRS_ANY", "rate", 78), ("CRS_GE3", "rate", 4)]
    assert read("Any-grade and grade ≥3 ICANS were reported in 25% and 9%, respectively.") == [
        ("ICANS_ANY", "rate", 25), ("ICANS_GE3", "rate", 9)]
