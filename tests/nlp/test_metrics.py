"""The outcome-metric extractor on one sentence per pattern it must read, and on what it must not."""

from __future__ import annotations

import pytest

from litmus.nlp.metrics import extract_metrics, find_proportions
from litmus.nlp.numbers import normalise_text, parse_number, parse_number_words
from litmus.nlp.sentences import split_sentences


def only(text: str, endpoint: str | None = None):
    metrics = [m for m in extract_metrics(text) if endpoint is None or m.endpoint == endpoint]
    assert len(metrics) == 1, metrics
    return metrics[0]


# (sentence, expected fields of the single metric of that endpoint)
PATTERNS = [
    ("The overall response rate was 87.5% (95% CI, 60-92).",
     dict(endpoint="ORR", stat="rate", value=87.5, unit="%", ci_low=60, ci_high=92)),
    ("Objective response was seen in 13 of 15 patients.",
     dict(endpoint="ORR", value=86.67, unit="%", count=13, total=15)),
    ("The best overall response was 93%.", dict(endpoint="ORR", value=93, unit="%")),
    ("Complete remission was achieved in 13/15 (86.7%).",
     dict(endpoint="CR", value=86.7, unit="%", count=13, total=15)),
    ("The CR/CRi rate was 86.7% (13 of 15).", dict(endpoint="CR", value=86.7, count=13, total=15)),
    ("CR with incomplete hematologic recovery was seen in 2 patients.",
     dict(endpoint="CRi", stat="count", value=2, unit="patients")),
    ("Thirteen of 15 patients (86.7%) achieved complete response.",
     dict(endpoint="CR", value=86.7, count=13, total=15)),
    ("Minimal residual disease negativity was 92.3% (12/13).",
     dict(endpoint="MRD_NEG", value=92.3, count=12, total=13)),
    ("Nine of 10 patients were MRD-negative.", dict(endpoint="MRD_NEG", value=90, count=9, total=10)),
    ("Median progression-free survival was 14.8 months (95% CI: 10.1–19.2).",
     dict(endpoint="PFS", stat="median", value=14.8, unit="months", ci_low=10.1, ci_high=19.2)),
    ("Median overall survival was not reached.",
     dict(endpoint="OS", stat="median", value=None, unit=None, not_reached=True)),
    ("The 3-year event-free survival was 58·2%.", dict(endpoint="EFS", value=58.2, timepoint_months=36)),
    ("Leukemia-free survival at one year was 71 per cent.", dict(endpoint="LFS", value=71, timepoint_months=12)),
    ("OS at 12 months was 80 percent.", dict(endpoint="OS", value=80, unit="%", timepoint_months=12)),
    ("The 6-month PFS rate was 60%.", dict(endpoint="PFS", value=60, timepoint_months=6)),
    ("The CR rate at day 28 was 90%.", dict(endpoint="CR", value=90, timepoint_months=28 / 30.4375)),
    ("Median duration of response was 10.9 months.", dict(endpoint="DOR", stat="median", value=10.9)),
    ("Cytokine release syndrome (CRS) of grade ≥3 occurred in 3 of 30 patients (10%).",
     dict(endpoint="CRS_GE3", value=10, count=3, total=30)),
    ("Grade 3 or higher CRS was seen in 6.7%.", dict(endpoint="CRS_GE3", value=6.7)),
    ("Severe CRS developed in 4 (14%) patients.", dict(endpoint="CRS_GE3", value=14, count=4)),
    ("CRS of any grade occurred in 21 (87.5%) patients.", dict(endpoint="CRS_ANY", value=87.5, count=21)),
    ("Neurotoxicity occurred in 31%.", dict(endpoint="ICANS_ANY", value=31)),
    ("CRES was observed in 5 patients.", dict(endpoint="ICANS_ANY", stat="count", value=5, unit="patients")),
    ("Grade ⩾3 ICANS occurred in 2 patients (6.7%).", dict(endpoint="ICANS_GE3", value=6.7, count=2)),
    ("Non-relapse mortality at 1 year was 5.2%.", dict(endpoint="NRM", value=5.2, timepoint_months=12)),
    ("Treatment-related death occurred in one patient.", dict(endpoint="NRM", stat="count", value=1)),
    ("The cumulative incidence of relapse was 24.5%.", dict(endpoint="RELAPSE", value=24.5)),
    ("Sixty-six patients were enrolled.", dict(endpoint="N_ENROLLED", stat="count", value=66, unit="patients")),
    ("A total of 33 patients were enrolled.", dict(endpoint="N_ENROLLED", value=33, unit="patients")),
    ("Of these, 28 were infused.", dict(endpoint="N_TREATED", value=28, unit="patients")),
    ("There were 15 evaluable patients.", dict(endpoint="N_EVALUABLE", value=15, unit="patients")),
    ("After a median follow-up of 14.2 months (range, 3–30), no new events occurred.",
     dict(endpoint="FOLLOW_UP", stat="median", value=14.2, unit="months")),
    ("Progression-free survival was longer with CAR-T (HR 0.62; 95% CI 0.45-0.88).",
     dict(endpoint="PFS", stat="hr", value=0.62, unit=None, ci_low=0.45, ci_high=0.88)),
    ("Overall survival was similar (hazard ratio, 0.83 [95% CI 0.61 to 1.12]).",
     dict(endpoint="OS", stat="hr", value=0.83, ci_low=0.61, ci_high=1.12)),
    # an n inside a rate's parentheses is its denominator (guideline v2.2)
    ("The CR rate was 51% (n = 37).", dict(endpoint="CR", value=51, count=None, total=37)),
    ("CR was achieved in 13/15 (86.7%) patients with TP53 mutation.",
     dict(endpoint="CR", value=86.7, group="patients with TP53 mutation")),
    ("In the B-ALL cohort, the CR rate was 90%.", dict(endpoint="CR", value=90, group="B-ALL")),
    # a population stated before the comma is the denominator of what follows (guideline v2)
    ("Among 11 patients not in CR, 8 achieved MRD negativity.",
     dict(endpoint="MRD_NEG", value=72.73, unit="%", count=8, total=11, group="patients not in CR")),
    ("The ORR was 73% in the ASCT group.", dict(endpoint="ORR", value=73, group="ASCT")),
    ("ORR was 45.6 and 36.3 % for arm A and arm B.", dict(endpoint="ORR", value=45.6)),
]


@pytest.mark.parametrize("sentence, expected", PATTERNS, ids=[p[0][:40] for p in PATTERNS])
def test_reads_each_pattern(sentence, expected):
    metric = next(m for m in extract_metrics(sentence) if m.endpoint == expected["endpoint"])
    for name, value in expected.items():
        actual = getattr(metric, name)
        if isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool) and name != "count"):
            assert actual == pytest.approx(value, abs=0.01), name
        else:
            assert actual == value, name


def test_respectively_pairs_endpoints_in_order():
    metrics = extract_metrics("ORR and CR rates were 87.5% and 62.5%, respectively.")
    assert [(m.endpoint, m.value) for m in metrics] == [("ORR", 87.5), ("CR", 62.5)]


def test_listed_timepoints_pair_with_values():
    metrics = extract_metrics("The 1- and 2-year OS were 80% and 70%.")
    assert [(m.endpoint, m.value, m.timepoint_months) for m in metrics] == [("OS", 80, 12), ("OS", 70, 24)]


def test_values_shared_by_a_comparison_keep_the_endpoint():
    metrics = extract_metrics("Median PFS was 13.3 vs. 4.4 months.")
    assert [(m.endpoint, m.value, m.unit) for m in metrics] == [("PFS", 13.3, "months"), ("PFS", 4.4, "months")]


def test_offsets_cover_the_value_expression():
    text = "Background text. Thirteen of 15 patients (86.7%) achieved CR."
    metric = only(text)
    assert text[metric.start:metric.end] == "Thirteen of 15 patients (86.7%)"
    assert metric.sentence_index == 1 and text[metric.sentence_start:].startswith("Thirteen")
    assert metric.sentence == "Thirteen of 15 patients (86.7%) achieved CR."


def test_given_sentence_spans_are_used():
    text = "ORR was 80%. CR was 50%."
    metrics = extract_metrics(text, sentences=[(0, len(text))])
    assert {m.sentence_index for m in metrics} == {0}
    assert [m.endpoint for m in metrics] == ["ORR", "CR"]


NEGATIVES = [
    "Median age was 54 years (range, 22-75).",
    "Patients aged 18 to 75 years old were eligible.",
    "57% were male and bridging therapy was given in 87.8%.",
    "Patients received 1 × 10^6 CAR-T cells/kg after fludarabine 30 mg/m2.",
    "Between 2016 and 2019, the trial was registered.",
    "This phase 2 trial used the 95% CI for all estimates.",
    "The difference was significant (P = 0.004; p<0.001).",
    "Grade 3 neutropenia was managed with growth factors.",
    "Patients had received a median of 5 prior lines of therapy.",
]


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_non_outcome_numbers_are_not_outcomes(sentence):
    assert [m for m in extract_metrics(sentence) if m.endpoint != "OTHER"] == []


def test_ci_level_is_never_a_value():
    metrics = extract_metrics("The ORR was 52% (95% CI, 41–62).")
    assert [m.value for m in metrics] == [52]


def test_survey_response_rates_are_not_tumour_responses():
    text = "Questionnaires were mailed to physicians. The response rate was 61.9% with a pen."
    assert [m.endpoint for m in extract_metrics(text)] == ["OTHER"]


def test_splitter_keeps_abbreviations_and_decimals():
    text = "CAR-T vs. chemotherapy (e.g. i.v. dosing; Fig. 2; Smith et al. 2020) gave 14.8 months. Next one."
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == [text[: text.index(" Next")], "Next one."]


def test_number_normalisation():
    assert normalise_text("14·8 − 2\u2009%") == "14.8 - 2 %"
    assert len(normalise_text("a\u2013b\u2a7e3")) == 5
    assert parse_number_words("Twenty-four") == 24
    assert parse_number_words("one hundred and twelve") == 112
    assert parse_number("1,171") == 1171 and parse_number("Nine") == 9


def test_find_proportions_reads_every_k_of_n():
    text = "Events: 13/15 (86.7%) vs 86.7% (26 of 30); 4 of 9 overall."
    assert find_proportions(text) == [(13, 15), (26, 30), (4, 9)]


# Review-prose shapes, each written several ways so the rule is not one sentence's.
SHAPES = [
    # "only one patient experienced <event>": a counted subject past a comma starts its own clause
    ("Relapse risk was low, such that only one patient experienced antigen-negative relapse.",
     [("RELAPSE", "count", 1, "patients", None)]),
    ("The risk of late events was small, and just two patients died of infection.",
     [("MORTALITY", "count", 2, "patients", None)]),
    ("Toxicity was mild, so that only three subjects developed severe CRS.",
     [("CRS_GE3", "count", 3, "patients", None)]),
    # "X% patients achieved <endpoint>"
    ("Eleven adults were infused, of which 73% patients achieved complete remission.",
     [("N_TREATED", "count", 11, "patients", None), ("CR", "rate", 73, "%", None)]),
    # values first, then a coordinated endpoint list, the timepoint after it
    ("Of those, 90% reached CR, with 55% and 41% of overall and progression-free survival rates at two years.",
     [("CR", "rate", 90, "%", None), ("OS", "rate", 55, "%", 24), ("PFS", "rate", 41, "%", 24)]),
    ("The cohort showed 78% and 66% of overall and leukemia-free survival at 18 months.",
     [("OS", "rate", 78, "%", 18), ("LFS", "rate", 66, "%", 18)]),
    # a described population, then its verb
    ("Forty adults with refractory multiple myeloma after three prior lines were enrolled in this trial.",
     [("N_ENROLLED", "count", 40, "patients", None)]),
    ("Twelve children with relapsed B-ALL (CD19-negative) were treated with CD22 CAR-T cells.",
     [("N_TREATED", "count", 12, "patients", None)]),
    # endpoint lists paired with value lists, with the timepoint in the middle
    ("The ORR and CR rates at 6 months were 80% and 52%, respectively.",
     [("ORR", "rate", 80, "%", 6), ("CR", "rate", 52, "%", 6)]),
    ("The EFS and OS rates at 24 months were 45% and 60%, respectively.",
     [("EFS", "rate", 45, "%", 24), ("OS", "rate", 60, "%", 24)]),
    # counts of an endpoint: "two partial responses", "1 CR case and 12 PR cases"
    ("Two partial responses (PR) and one complete response were seen.",
     [("PR", "count", 2, "patients", None), ("CR", "count", 1, "patients", None)]),
    ("There were 3 CR cases and 9 PR cases.", [("CR", "count", 3, "patients", None), ("PR", "count", 9, "patients", None)]),
    ("Overall, 4 deaths occurred during follow-up.", [("MORTALITY", "count", 4, "patients", None)]),
    # arm-by-endpoint matrices before "respectively"
    ("The ORR and CR were 62% and 30% in arm A and 41% and 18% in arm B, respectively.",
     [("ORR", "rate", 62, "%", None), ("CR", "rate", 30, "%", None), ("ORR", "rate", 41, "%", None),
      ("CR", "rate", 18, "%", None)]),
    ("Median PFS and OS were 8.1 vs 5.2 months and 20.4 vs 15.0 months, respectively.",
     [("PFS", "median", 8.1, "months", None), ("PFS", "median", 5.2, "months", None),
      ("OS", "median", 20.4, "months", None), ("OS", "median", 15.0, "months", None)]),
    # "median survival" in months is OS
    ("Median survival was 9.4 months with the combination.", [("OS", "median", 9.4, "months", None)]),
]


@pytest.mark.parametrize("sentence, expected", SHAPES, ids=[s[0][:40] for s in SHAPES])
def test_reads_review_prose_shapes(sentence, expected):
    metrics = [m for m in extract_metrics(sentence) if m.endpoint != "OTHER"]
    actual = [(m.endpoint, m.stat, m.value, m.unit, m.timepoint_months) for m in metrics]
    assert actual == [(e, s, pytest.approx(v), u, None if t is None else pytest.approx(t)) for e, s, v, u, t in expected]


@pytest.mark.parametrize("sentence", [
    "201 patients were analysed for KRAS mutation.",
    "Tumour samples from 88 subjects were analyzed for PD-L1 expression.",
    "Participants received four years of supplementation; follow-up lasted ten years.",
])
def test_laboratory_analyses_and_treatment_durations_are_not_outcomes(sentence):
    assert [(m.endpoint, m.value) for m in extract_metrics(sentence) if m.endpoint not in ("OTHER", "FOLLOW_UP")] == []
    assert all(m.value != 4 for m in extract_metrics(sentence))


def test_spelled_out_numbers_report_from_the_words():
    text = "Twenty-four patients were enrolled; one patient died."
    metrics = extract_metrics(text)
    assert [(m.endpoint, m.value, text[m.start:m.end]) for m in metrics] == [
        ("N_ENROLLED", 24, "Twenty-four patients"), ("MORTALITY", 1, "one patient")]


# Extractor 1.2.0: phrasings added with general rules (one sentence each, not taken from the dev texts).
SHAPES_1_2 = [
    ("Forty patients with relapsed diffuse large B-cell lymphoma were enrolled.",
     [("N_ENROLLED", 40, "patients")]),
    ("In all, 52 patients with relapsed and/or refractory AML were treated.", [("N_TREATED", 52, "patients")]),
    ("Three patients relapsed within 6 months.", [("RELAPSE", 3, "patients")]),
    ("The rate of MRD negativity was 44%.", [("MRD_NEG", 44, "%")]),
    ("The incidence of non-relapse mortality was 9%.", [("NRM", 9, "%")]),
    ("CRS occurred in 90% of patients (grade 3 or higher in 6%).", [("CRS_ANY", 90, "%"), ("CRS_GE3", 6, "%")]),
    ("Grade 3 or higher CRS and neurotoxicity occurred in 8% and 14%, respectively.",
     [("CRS_GE3", 8, "%"), ("ICANS_GE3", 14, "%")]),
    ("Median OS was 20.1 months (hazard ratio for death, 0.71).", [("OS", 20.1, "months"), ("OS", 0.71, None)]),
    ("Twenty patients (50%) achieved at least a partial response.", [("ORR", 50, "%")]),
    ("There were nine deaths in arm A and 4 in the control arm.",
     [("MORTALITY", 9, "patients"), ("MORTALITY", 4, "patients")]),
    ("The ORR was 60%, including 8 complete responses (20%).", [("ORR", 60, "%"), ("CR", 20, "%")]),
    ("The PFS and OS rates at 2 years were, respectively, 51% and 70%.", [("PFS", 51, "%"), ("OS", 70, "%")]),
    ("The ORR was 45%, and the rates of PFS and OS at 1 year were 60% and 82%, respectively.",
     [("ORR", 45, "%"), ("PFS", 60, "%"), ("OS", 82, "%")]),
    ("The CR rate increased from 31.5% to 40.2% after consolidation.", [("CR", 31.5, "%"), ("CR", 40.2, "%")]),
    ("Median follow-up was 22.5 (range 3.1-40.2) months.", [("FOLLOW_UP", 22.5, "months")]),
    ("The 3-year cumulative incidence of TRM was 12.1 ± 3.4%.", [("NRM", 12.1, "%")]),
    ("In the 30 evaluable patients, the ORR was 70%.", [("N_EVALUABLE", 30, "patients"), ("ORR", 70, "%")]),
    ("The phase 2 part enrolled 80 evaluable patients.", [("N_ENROLLED", 80, "patients")]),
    ("CR or CR with incomplete hematologic recovery (CR/CRi) was achieved in 20 patients (50%).", [("CR", 50, "%")]),
]


@pytest.mark.parametrize("sentence, expected", SHAPES_1_2)
def test_reads_1_2_shapes(sentence, expected):
    metrics = [m for m in extract_metrics(sentence) if m.endpoint != "OTHER"]
    assert [(m.endpoint, m.value, m.unit) for m in metrics] == expected


NOT_LEVELS_1_2 = [
    "Treatment reduced the annualised relapse rate by 48%.",
    "The absolute improvement in overall survival at 5 years was 6.2%.",
    "FEV1 (mean ± SD) was 88.4 ± 12% of predicted.",
]


@pytest.mark.parametrize("sentence", NOT_LEVELS_1_2)
def test_changes_and_standard_deviations_are_not_read(sentence):
    metrics = [(m.endpoint, m.value) for m in extract_metrics(sentence) if m.endpoint != "OTHER"]
    assert metrics == []


@pytest.mark.parametrize(
    "sentence, treated",
    [
        ("Of 33 patients enrolled, 28 received TanCAR7 after conditioning chemotherapy.", 28),
        ("Of the 40 patients enrolled, 35 received axicabtagene ciloleucel.", 35),
        ("Twelve patients received CTL019 at the target dose.", 12),
    ],
)
def test_patients_receiving_a_named_product_are_treated(sentence, treated):
    found = [(m.endpoint, m.value) for m in extract_metrics(sentence)]
    assert ("N_TREATED", treated) in found


def test_receiving_placebo_is_not_a_treated_count():
    assert extract_metrics("Ten patients received placebo.") == []


# Shapes met in real trial abstracts after 1.2.1 (bench/eval dev2); sentences written for these tests.
def test_hazard_ratio_with_a_bracketed_abbreviation():
    metrics = extract_metrics("Median overall survival was 10.1 months versus 7.9 months "
                              "(hazard ratio [HR] 0·81, 95% CI 0·66–0·99; p=0·04).")
    assert [(m.endpoint, m.stat, m.value) for m in metrics] == [
        ("OS", "median", 10.1), ("OS", "median", 7.9), ("OS", "hr", pytest.approx(0.81))]
    assert (metrics[2].ci_low, metrics[2].ci_high) == (pytest.approx(0.66), pytest.approx(0.99))


def test_a_survival_figure_does_not_take_the_size_of_its_group():
    metrics = extract_metrics("Median progression-free survival in 120 patients given drug A was 6.2 months.")
    assert [(m.endpoint, m.stat, m.value, m.unit) for m in metrics] == [("PFS", "median", 6.2, "months")]


def test_time_to_progression_is_not_progression_free_survival():
    metrics = extract_metrics("Median PFS was 5.0 months and median time to progression was 7.5 months.")
    assert [(m.endpoint, m.value) for m in metrics] == [("PFS", 5.0), ("OTHER", 7.5)]
    metrics = extract_metrics("The median TTP was 210 days.")
    assert [m.endpoint for m in metrics] == ["OTHER"]


def test_the_second_value_of_a_comparison_keeps_its_endpoint_before_another_one():
    metrics = extract_metrics("Median OS was 300 days with drug A versus 250 days with drug B, "
                              "with a median TTP of 200 days.")
    assert [(m.endpoint, m.value) for m in metrics] == [("OS", 300), ("OS", 250), ("OTHER", 200)]


def test_complete_clinical_response_is_a_complete_response():
    assert only("A complete clinical response was seen in 41% of patients.").endpoint == "CR"


def test_deaths_from_treatment_related_causes_are_non_relapse_mortality():
    metric = only("Nine patients died from treatment-related complications.")
    assert (metric.endpoint, metric.value, metric.unit) == ("NRM", 9, "patients")
    assert only("Twelve patients died of progressive myeloma.").endpoint == "MORTALITY"


@pytest.mark.parametrize("sentence", [
    "We did a multicentre phase 2 study of 64 patients with relapsed myeloma.",
    "This was a randomised trial with 212 patients after autologous transplantation.",
    "An open-label trial including 90 patients was done at six centres.",
])
def test_the_size_of_a_trial_is_its_enrolment(sentence):
    metric = only(sentence, "N_ENROLLED")
    assert metric.stat == "count" and metric.unit == "patients"


def test_a_trial_lasting_months_is_not_an_enrolment():
    assert [m for m in extract_metrics("In a trial of 12 months, the ORR was 40%.") if m.endpoint == "N_ENROLLED"] == []


def test_timepoint_lists_with_a_serial_comma_pair_with_each_arm_in_order():
    metrics = extract_metrics("The 1-, 2-, and 4-year event-free survival rates were 70.1%, 61.5%, and 50.2% for "
                              "arm A and 75.3%, 66.0%, and 58.8% for arm B.")
    assert [(m.endpoint, m.value, m.timepoint_months) for m in metrics] == [
        ("EFS", 70.1, 12), ("EFS", 61.5, 24), ("EFS", 50.2, 48),
        ("EFS", 75.3, 12), ("EFS", 66.0, 24), ("EFS", 58.8, 48)]


def test_a_list_of_values_stops_at_the_next_endpoint():
    metrics = extract_metrics("The 1- and 2-year overall survival rates were 90% and 80% for group A. "
                              "The 1- and 2-year PFS rates were 70% and 60% for group B.")
    assert [(m.endpoint, m.value, m.timepoint_months) for m in metrics] == [
        ("OS", 90, 12), ("OS", 80, 24), ("PFS", 70, 12), ("PFS", 60, 24)]
    one_sentence = extract_metrics("The 1- and 2-year OS rates were 90% and 80%, and the 1- and 2-year PFS rates "
                                   "were 70% and 60%.")
    assert [m.endpoint for m in one_sentence] == ["OS", "OS", "PFS", "PFS"]


def test_a_letter_naming_an_arm_ends_a_sentence_but_an_initial_does_not():
    text = "CR was 40% in arm B. The ORR was 70%. As reported by Smith J. Doe, relapse was rare."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "CR was 40% in arm B.", "The ORR was 70%.", "As reported by Smith J. Doe, relapse was rare."]


@pytest.mark.parametrize("sentence, count", [
    ("Between 2014 and 2019, 88 previously untreated elderly myeloma patients were randomly assigned to A or B.", 88),
    ("In total, 57 heavily pretreated adult ALL patients were enrolled.", 57),
])
def test_a_long_description_of_the_enrolled_patients_keeps_their_count(sentence, count):
    metric = only(sentence, "N_ENROLLED")
    assert (metric.value, metric.unit) == (count, "patients")


@pytest.mark.parametrize("sentence", [
    "Responses lasted 12 months after infusion in most treated patients overall.",
    "Of 40 eligible and consenting adult patients, most were treated as outpatients.",
])
def test_a_long_stretch_without_an_enrolment_verb_is_not_a_count(sentence):
    assert [m for m in extract_metrics(sentence) if m.unit == "patients" and m.endpoint == "N_ENROLLED"] == []
