"""Reading a sentence the way verification needs: counts by their verbs, composites, time points."""

import pytest

from litmus.claims.source_text import composite_of, population_counts, timepoints_in, with_population_counts
from litmus.records import OutcomeMetric


def counts(sentence):
    return [(c.endpoint, c.value) for c in population_counts(sentence)]


@pytest.mark.parametrize("sentence,expected", [
    ("In this phase 1/2 trial, 52 patients aged 3 to 45 years with B-ALL were enrolled and 47 received the cells.",
     [("N_ENROLLED", 52), ("N_TREATED", 47)]),
    ("Of 113 patients who underwent apheresis, 101 were infused.", [("N_ENROLLED", 113), ("N_TREATED", 101)]),
    ("Twenty-one adults relapsing after murine CAR T cells were enrolled, and 18 were infused.",
     [("N_ENROLLED", 21), ("N_TREATED", 18)]),
    ("Lee et al. recruited 40 r/r MCL cases given a new product.", [("N_ENROLLED", 40)]),
    ("Twelve adults were treated with the drug.", [("N_TREATED", 12)]),
    ("They infused CAR T cells into 18 of 21 enrolled adults.", [("N_TREATED", 18), ("N_ENROLLED", 21)]),
    ("Of 94 patients enrolled, 86 were evaluable for efficacy.", [("N_ENROLLED", 94), ("N_EVALUABLE", 86)]),
    ("40 patients had a fever.", []),  # no enrolment or treatment verb: not a sample size
    ("Two thirds of infused patients responded.", []),
    ("Patients received 2 x 10^6 cells/kg; 14 patients had received three prior lines.", []),
    ("Cytokine release syndrome occurred in 16 patients (76%), of grade 3 or higher in 2 (10%).", []),
])
def test_population_counts_by_the_verb_that_governs_them(sentence, expected):
    assert counts(sentence) == expected


def test_counts_correct_and_complete_the_extractors():
    sentence = "Of 33 patients enrolled, 28 received the cells; two thirds of infused patients responded."
    at, two = sentence.index("28"), sentence.index("two thirds")
    extracted = [OutcomeMetric("N_ENROLLED", "count", 28, "patients", at, at + 2, sentence),  # wrong kind
                 OutcomeMetric("N_TREATED", "count", 2, "patients", two, two + 3, sentence)]  # "two thirds"
    fixed = with_population_counts(extracted, sentence)
    assert [(m.endpoint, m.value) for m in fixed] == [("N_ENROLLED", 33), ("N_TREATED", 28)]


@pytest.mark.parametrize("sentence,label,composite", [
    ("At 1 month, 13 of 15 patients (86%) were in complete remission or complete remission with incomplete "
     "bone marrow recovery.", "complete remission", "CR/CRi"),
    ("The CR/CRi rate was 80%.", "CR/CRi rate", "CR/CRi"),
    ("A stringent complete response was seen in 71%.", "stringent complete response", "sCR"),
    ("By day 28, 90% were in complete remission without detectable minimal residual disease.", "complete remission",
     "MRD-negative CR"),
    ("The CR rate was 50% and the CR/CRi rate 60%.", "CR rate", None),
])
def test_composite_responses_read_around_the_figure(sentence, label, composite):
    value = "86%" if "86%" in sentence else "71%" if "71%" in sentence else "90%" if "90%" in sentence else (
        "80%" if "80%" in sentence else "50%")
    start = sentence.index(value)
    metric = OutcomeMetric("CR", "rate", float(value[:-1]), "%", start, start + len(value), sentence, label=label)
    assert composite_of(metric, sentence) == composite


def test_time_points_of_a_sentence_include_those_after_an_event():
    assert timepoints_in("The 1-year OS and EFS were 60% and 32%.") == [12.0]
    assert timepoints_in("The CR rate was 81% six months after infusion.") == [6.0]
    assert timepoints_in("The CR rate was 81%.") == []
