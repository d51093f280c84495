"""`build_pipeline`: components and config, the base-model path, and the extraction helpers."""

from __future__ import annotations

import random

import pytest
import spacy
from spacy.training import Example

from litmus.nlp.extract import ExtractionResult, extract_document, extract_many
from litmus.nlp.pipeline import MODEL_ENV_VAR, BaseModelNotAvailable, PipelineConfig, build_pipeline
from litmus.records import EntityMention, OutcomeMetric


@pytest.fixture(scope="module")
def linker_cache(tmp_path_factory):
    return str(tmp_path_factory.getbasetemp() / "linker-cache")  # one index per test session


@pytest.fixture(scope="module")
def nlp(linker_cache):
    return build_pipeline(PipelineConfig(base_model=None, entity_config={"linker_cache_dir": linker_cache}))


def test_default_pipeline_components_in_order(nlp):
    assert nlp.pipe_names == ["sentencizer", "abbreviation_detector", "litmus_entities", "litmus_metrics"]
    assert type(nlp.tokenizer).__name__ == "BoundedTokenizer"  # linear on any text (nlp/bounds.py)
    assert type(nlp.tokenizer._tokenizer).__name__ == "Tokenizer"
    assert nlp.tokenizer("anti-CD19 B-cell")[0].text == "anti-CD19"  # scispaCy's rules, not spaCy's


def test_settings_are_visible_in_config(linker_cache):
    nlp = build_pipeline(PipelineConfig(base_model=None, linker=False, abbreviations=False, metrics=False,
                                        entity_config={"linker_cache_dir": linker_cache}))
    assert nlp.pipe_names == ["sentencizer", "litmus_entities"]
    settings = nlp.config["components"]["litmus_entities"]
    assert settings["factory"] == "litmus_entities"
    assert settings["fuzzy_linking"] is False and settings["expand_abbreviations"] is False
    # without the linker a misspelling stays unlinked
    assert not [e for e in nlp("ibrutinb was given").ents if e._.concept_id]


def test_base_model_defaults_to_environment(monkeypatch):
    monkeypatch.setenv(MODEL_ENV_VAR, "en_core_sci_sm")
    assert PipelineConfig().base_model == "en_core_sci_sm"
    monkeypatch.delenv(MODEL_ENV_VAR)
    assert PipelineConfig().base_model is None


def test_missing_base_model_says_what_to_do():
    with pytest.raises(BaseModelNotAvailable) as raised:
        build_pipeline(PipelineConfig(base_model="en_core_sci_nonexistent"))
    message = str(raised.value)
    assert "en_core_sci_nonexistent" in message and "pip install" in message and MODEL_ENV_VAR in message


def _train_tiny_ner(path):
    """A blank English model with an NER trained for a few seconds; enough to exercise loading."""
    base = spacy.blank("en")
    base.add_pipe("ner").add_label("CHEMICAL")
    sentences = [("Patients received fludarabine daily.", "fludarabine"),
                 ("Cyclophosphamide was given before infusion.", "Cyclophosphamide"),
                 ("We added rituximab to the regimen.", "rituximab")]
    examples = []
    for text, drug in sentences:
        start = text.index(drug)
        examples.append(Example.from_dict(base.make_doc(text), {"entities": [(start, start + len(drug), "CHEMICAL")]}))
    random.seed(0)
    optimizer = base.initialize(lambda: examples)
    for _ in range(3):
        base.update(examples, sgd=optimizer)
    base.to_disk(path)


def test_real_base_model_is_loaded_and_extended(tmp_path, linker_cache):
    _train_tiny_ner(tmp_path / "model")
    nlp = build_pipeline(PipelineConfig(base_model=str(tmp_path / "model"), metrics=False,
                                        entity_config={"linker_cache_dir": linker_cache}))
    assert nlp.pipe_names == ["ner", "sentencizer", "abbreviation_detector", "litmus_entities"]
    doc = nlp("Venetoclax was given. CRS followed.")
    assert len(list(doc.sents)) == 2  # a sentencizer was added: the model has no parser or senter
    assert [e._.concept_id for e in doc.ents if e.text == "Venetoclax"] == ["drug:venetoclax"]


def test_saved_litmus_pipeline_round_trips_as_base_model(tmp_path, linker_cache):
    saved = build_pipeline(PipelineConfig(base_model=None, metrics=False,
                                          entity_config={"linker_cache_dir": linker_cache, "link_threshold": 0.8}))
    saved.to_disk(tmp_path / "litmus-model")
    nlp = build_pipeline(PipelineConfig(base_model=str(tmp_path / "litmus-model"), metrics=False))
    assert nlp.pipe_names == ["sentencizer", "abbreviation_detector", "litmus_entities"]
    assert nlp.get_pipe("litmus_entities").link_threshold == 0.8  # the saved settings, not defaults
    doc = nlp("anti-CD19 CAR-T cells (axi-cel) in DLBCL.")
    assert [e._.concept_id for e in doc.ents if e.text == "axi-cel"] == ["product:axi-cel"]


def test_extract_document_returns_plain_records(nlp):
    text = "Axi-cel was infused in 101 patients with DLBCL. The ORR was 82%. CRS occurred in 13%."
    result = extract_document(nlp, text)
    assert isinstance(result, ExtractionResult)
    assert all(isinstance(m, EntityMention) for m in result.entities)
    assert all(isinstance(m, OutcomeMetric) for m in result.metrics)
    assert [text[s:e] for s, e, _ in result.sentences] == [sentence for _, _, sentence in result.sentences]
    assert len(result.sentences) == 3
    assert {"product:axi-cel", "disease:DLBCL", "tox:CRS"} <= {m.concept_id for m in result.entities}


def test_extract_many_keeps_order(nlp):
    texts = ["Venetoclax was given.", "No drugs here.", "Tocilizumab for CRS."]
    results = list(extract_many(nlp, texts, batch_size=2))
    assert len(results) == 3
    assert [m.concept_id for m in results[0].entities] == ["drug:venetoclax"]
    assert results[1].entities == []
    assert {m.concept_id for m in results[2].entities} == {"drug:tocilizumab", "tox:CRS"}
