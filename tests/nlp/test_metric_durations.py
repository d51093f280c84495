"""Durations: the median follow-up named after its length, how long responses lasted, intervals open at the top.

Sentences written for these tests; each fails if its mechanism is taken out.
"""

from __future__ import annotations

from litmus.nlp.metrics import extract_metrics


def read(text: str) -> list[tuple]:
    return [(m.endpoint, m.stat, m.value, m.unit) for m in extract_metrics(text) if m.endpoint != "OTHER"]


def test_a_length_followed_by_of_median_follow_up_is_the_follow_up():
    assert read("After 15.4 months of median follow-up, the overall response rate was 71%.") == [
        ("FOLLOW_UP", "median", 15.4, "months"), ("ORR", "rate", 71.0, "%")]
    assert ("FOLLOW_UP", "median", 2.5, "years") in read("With 2.5 years of median post-infusion follow-up, 9 patients relapsed.")


def test_a_length_of_plain_follow_up_stays_no_median():
    assert [m for m in read("After 20 months of follow-up, the overall response rate was 64%.") if m[0] == "FOLLOW_UP"] == []


def test_how_long_responses_lasted_is_their_duration():
    assert read("Responses lasted a median of 13.2 months in the expansion cohort.") == [("DOR", "median", 13.2, "months")]


def test_an_interval_open_at_the_top_is_no_figure_of_its_own():
    text = "Median PFS was 7.4 months (95% CI, 3.3-not reached) and median OS was 19.0 months (95% CI, 12.1-NR)."
    assert read(text) == [("PFS", "median", 7.4, "months"), ("OS", "median", 19.0, "months")]
    pfs = extract_metrics(text)[0]
    assert (pfs.ci_low, pfs.ci_high) == (3.3, None)


def test_a_landmark_rate_is_the_rate_of_the_endpoint_in_hand():
    text = "Event-free survival had 3- and 9-month rates of 72% and 51%."
    assert read(text) == [("EFS", "rate", 72.0, "%"), ("EFS", "rate", 51.0, "%")]


def test_rates_in_a_clause_naming_no_endpoint_are_those_of_the_endpoint_before_it():
    text = "Overall survival favoured the combination, with 2-year rates of 58% and 41%."
    assert read(text) == [("OS", "rate", 58.0, "%"), ("OS", "rate", 41.0, "%")]
    text = "Event-free survival had not reached its median, and its 12-month rates were 70% and 52%."
    assert [r for r in read(text) if r[1] == "rate"] == [("EFS", "rate", 70.0, "%"), ("EFS", "rate", 52.0, "%")]


def test_an_interval_abbreviated_ic_is_an_interval():
    text = "Progression-free survival at 1 year was 44% (95% IC, 25%-62%)."
    assert read(text) == [("PFS", "rate", 44.0, "%")]
    assert (extract_metrics(text)[0].ci_low, extract_metrics(text)[0].ci_high) == (25.0, 62.0)
