"""Arm and group sizes: mechanisms added while tuning on the released rounds r6-r10 (extractor 2.6.0).

Sentences are written for these tests; each reads what only its mechanism can read.
"""

from __future__ import annotations

from litmus.nlp.metrics import extract_metrics


def counts(text: str) -> list[tuple]:
    return [(m.endpoint, m.value, m.group) for m in extract_metrics(text) if m.endpoint != "OTHER"]


def test_the_groups_a_population_heading_the_sentence_splits_into():
    text = "Of the 120 adults randomized, 58 received drug A and 62 received placebo."
    assert counts(text) == [("N_ENROLLED", 120, None), ("N_TREATED", 58, "drug A"), ("N_TREATED", 62, "placebo")]
    text = "Out of the 90 volunteers enrolled, 30 were on drug A and 60 were on drug B."
    assert counts(text) == [("N_ENROLLED", 90, None), ("N_TREATED", 30, "drug A"), ("N_TREATED", 60, "drug B")]


def test_a_part_whose_verb_follows_an_auxiliary_or_a_share():
    text = "Of the 150 Korean patients, 100 had been allocated to drug A and 50 to placebo."
    assert counts(text)[1:] == [("N_ENROLLED", 100, "drug A"), ("N_ENROLLED", 50, "placebo")]
    text = "Eighty-five patients were enrolled; 40 (47%) received cefuroxime and 45 (53%) ampicillin."
    assert counts(text)[1:] == [("N_TREATED", 40, "cefuroxime"), ("N_TREATED", 45, "ampicillin")]


def test_a_bare_on_describes_a_part_without_kinding_it():
    text = "Twenty children (12 on drug A and eight not on therapy) were enrolled."
    assert [c[0] for c in counts(text)] == ["N_ENROLLED"] * 3
