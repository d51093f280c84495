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
