"""Hazard ratios and mortality compared between subgroups.

Sentences written for these tests; each fails if its mechanism is taken out.
"""

from __future__ import annotations

from litmus.nlp.metrics import extract_metrics


def read(text: str) -> list[tuple]:
    return [(m.endpoint, m.stat, m.value, m.group) for m in extract_metrics(text) if m.endpoint != "OTHER"]


def test_covariate_hazard_ratios_before_an_association_with_mortality():
    text = "Body mass index (HR 1.34; CI 1.12 to 1.60) and smoking (HR 1.81; CI 1.45 to 2.26) were associated with mortality."
    assert read(text) == [("OS", "hr", 1.34, "Body mass index"), ("OS", "hr", 1.81, "smoking")]


def test_a_later_mortality_not_associated_with_the_ratio_does_not_take_it():
    text = "The primary endpoint fell with A [9.1 vs. 11.0%; HR 0.82], as did cardiovascular mortality."
    assert [r for r in read(text) if r[1] == "hr"] == []


def test_mortality_compared_in_named_subgroups():
    text = "Mortality was higher in women than in men (7.2% vs 3.1%, HR 2.40, 95% CI 1.30 to 4.43)."
    assert [r[:3] for r in read(text)] == [("MORTALITY", "rate", 7.2), ("MORTALITY", "rate", 3.1), ("OS", "hr", 2.4)]
