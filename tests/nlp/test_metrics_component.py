"""The litmus_metrics spaCy component on a blank pipeline."""

from __future__ import annotations

import spacy

from litmus.nlp.metrics_component import EXTRACTOR_VERSION


def test_component_stores_metrics_and_spans_using_doc_sentences():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("litmus_metrics")
    doc = nlp("Sixty patients were enrolled. Thirteen of 15 patients (86.7%) achieved CR. Median OS was 14.8 months.")
    assert [(m.endpoint, m.value) for m in doc._.metrics] == [("N_ENROLLED", 60), ("CR", 86.7), ("OS", 14.8)]
    assert [m.sentence_index for m in doc._.metrics] == [0, 1, 2]
    assert [(s.text, s.label_) for s in doc.spans["metrics"]] == [
        ("Sixty patients", "N_ENROLLED"), ("Thirteen of 15 patients (86.7%)", "CR"), ("14.8 months", "OS")]
    assert nlp.get_pipe_config("litmus_metrics")["spans_key"] == "metrics"
    assert EXTRACTOR_VERSION


def test_component_splits_sentences_itself_without_a_sentencizer():
    nlp = spacy.blank("en")
    nlp.add_pipe("litmus_metrics", config={"spans_key": "outcomes"})
    doc = nlp("ORR was 80% vs. 60%. CR was 50%.")
    assert [(m.endpoint, m.value, m.sentence_index) for m in doc._.metrics] == [
        ("ORR", 80, 0), ("ORR", 60, 0), ("CR", 50, 1)]
    assert len(doc.spans["outcomes"]) == 3
