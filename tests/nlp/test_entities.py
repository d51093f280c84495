"""The `litmus_entities` component on single sentences, and on the real review when present."""

from __future__ import annotations

import pytest

from litmus.nlp.entities import find_disease_heads, find_drug_stems, find_target_constructs, words_of
from litmus.nlp.pipeline import PipelineConfig, build_pipeline
from litmus.records import EntityMention


@pytest.fixture(scope="module")
def nlp(tmp_path_factory):
    cache = tmp_path_factory.getbasetemp() / "linker-cache"  # one index per test session
    return build_pipeline(PipelineConfig(base_model=None, metrics=False,
                                         entity_config={"linker_cache_dir": str(cache)}))


def ents(nlp, text):
    return {(e.text, e.label_, e._.concept_id) for e in nlp(text).ents}


def find(doc, text):
    matches = [e for e in doc.ents if e.text == text]
    assert matches, f"{text!r} not among {[e.text for e in doc.ents]}"
    return matches[0]


def test_anti_target_construct(nlp):
    doc = nlp("Patients received anti-CD19 CAR T cells.")
    span = find(doc, "anti-CD19")
    assert (span.label_, span._.concept_id, span._.score) == ("TARGET", "target:CD19", 1.0)


def test_directed_and_car_number_constructs(nlp):
    doc = nlp("CD19-directed therapy failed; CAR19/22 cocktail and CD19/CD22 targeting followed.")
    assert find(doc, "CD19-directed")._.concept_id == "target:CD19"
    dual = find(doc, "CAR19/22")
    assert dual._.concept_ids == ("target:CD19", "target:CD22")
    assert dual._.attributes["targets"] == "CD19|CD22"
    assert find(doc, "CD19/CD22")._.concept_ids == ("target:CD19", "target:CD22")


def test_negative_and_positive_antigen_status(nlp):
    doc = nlp("CD19- relapse and CD22+ blasts were seen.")
    negative = find(doc, "CD19-")
    assert negative._.concept_id == "target:CD19" and negative._.attributes["form"] == "negative"
    assert find(doc, "CD22")._.concept_id == "target:CD22"


def test_drug_with_code_name(nlp):
    doc = nlp("He achieved CR with zanubrutinib (BGB-3111) and venetoclax.")
    for text in ("zanubrutinib", "BGB-3111"):
        span = find(doc, text)
        assert span._.concept_id == "drug:zanubrutinib" and span._.attributes["drug_class"] == "BTK inhibitor"
    assert find(doc, "venetoclax")._.attributes["drug_class"] == "BCL-2 inhibitor"


def test_misspelled_drug_is_linked_fuzzily(nlp):
    span = find(nlp("She then received ibrutinb for six months."), "ibrutinb")
    assert span._.concept_id == "drug:ibrutinib" and 0.7 <= span._.score < 1.0


def test_cd200_is_a_target_but_not_cd20(nlp):
    span = find(nlp("High CD200 expression was seen in the tumour."), "CD200")
    assert span.label_ == "TARGET" and span._.concept_id is None


def test_unknown_inn_stems_are_unlinked_drugs(nlp):
    assert ("foxabrutinib", "DRUG", None) in ents(nlp, "A new agent, foxabrutinib, was given.")
    assert ("newa-cel", "CAR_PRODUCT", None) in ents(nlp, "The product newa-cel was infused.")


def test_defined_abbreviation_takes_long_form_concept(nlp):
    doc = nlp("Relapsed diffuse large B-cell lymphoma (DLBCL) is common. DLBCL patients were treated.")
    short = [e for e in doc.ents if e.text == "DLBCL"]
    assert len(short) == 2 and {e._.concept_id for e in short} == {"disease:DLBCL"}
    assert short[0]._.attributes["long_form"] == "diffuse large B-cell lymphoma"


def test_document_definition_overrides_lexicon_abbreviation(nlp):
    doc = nlp("Patients with chronic rhinosinusitis (CRS) were enrolled. CRS was assessed.")
    assert all(e._.concept_id != "tox:CRS" for e in doc.ents)
    doc = nlp("Cytokine release syndrome (CRS) occurred in 10%. Grade 3 CRS was rare.")
    assert [e._.concept_id for e in doc.ents if e.text == "CRS"] == ["tox:CRS", "tox:CRS"]


def test_longest_match_wins_and_disease_heads_link_to_their_head(nlp):
    doc = nlp("Two had diffuse large B-cell lymphoma and one T-cell lymphoblastic lymphoma.")
    assert find(doc, "diffuse large B-cell lymphoma")._.concept_id == "disease:DLBCL"
    assert not [e for e in doc.ents if e.text == "B-cell lymphoma"]
    partial = find(doc, "T-cell lymphoblastic lymphoma")
    assert partial._.concept_id == "disease:lymphoma" and partial._.score < 1.0


def test_costimulatory_domains_and_designs(nlp):
    found = ents(nlp, "A tandem CAR with 4-1BB and CD28ζ domains and armored CAR-T cells secreting IL-15.")
    assert ("4-1BB", "COSTIM_DOMAIN", "costim:4-1BB") in found
    assert ("CD28ζ", "COSTIM_DOMAIN", "costim:CD28") in found
    assert ("tandem CAR", "CAR_DESIGN", "design:tandem_CAR") in found
    assert ("armored CAR-T cells", "CAR_DESIGN", "design:armoured") in found


def test_case_sensitive_abbreviations_do_not_fire_on_words(nlp):
    assert not [e for e in nlp("We treated all patients with 5 mm margins.").ents if e.label_ == "DISEASE"]
    assert ("ALL", "DISEASE", "disease:ALL") in ents(nlp, "Children with ALL relapsed.")


def test_entity_mentions_are_records_with_sentences(nlp):
    doc = nlp("CAR-T therapy was given. Venetoclax followed in MM.")
    mentions = doc._.entity_mentions
    assert all(isinstance(m, EntityMention) for m in mentions)
    venetoclax = next(m for m in mentions if m.concept_id == "drug:venetoclax")
    assert venetoclax.sentence_index == 1 and venetoclax.linked
    assert doc.text[venetoclax.start:venetoclax.end] == "Venetoclax"
    assert next(m for m in mentions if m.text == "MM").concept_name == "multiple myeloma"


def test_real_review_mentions(nlp, shared_reviews):
    text = (shared_reviews / "zhang2022-editorial-car-t-resistance.md").read_text(encoding="utf-8")
    concepts = {m.concept_id for m in nlp(text)._.entity_mentions if m.concept_id}
    expected = {"target:CD19", "drug:zanubrutinib", "drug:chidamide", "drug:ibrutinib", "drug:venetoclax",
                "drug:pembrolizumab", "drug:lenalidomide", "procedure:ASCT", "procedure:allo-HSCT",
                "disease:DLBCL", "disease:B-NHL", "disease:B-ALL", "disease:DHL", "disease:THL",
                "tox:CRS", "celltherapy:CAR-NK", "design:tandem_CAR", "design:cocktail", "costim:4-1BB",
                "costim:CD40", "drug:HDAC_inhibitor", "drug:BTK_inhibitor", "design:universal"}
    assert expected <= concepts, sorted(expected - concepts)


# --------------------------------------------------------------------------- the pure rules


def test_target_constructs_on_text():
    text = "anti-CD19, CD19/22, CAR-T19, BCMA-targeted and CD200 cells"
    found = {(text[c.start:c.end], c.symbols, c.form)
             for c in find_target_constructs(text, {"CD19", "CD22", "BCMA"}.__contains__)}
    assert found == {("anti-CD19", ("CD19",), "anti"), ("CD19/22", ("CD19", "CD22"), "multi"),
                     ("CAR-T19", ("CD19",), "car_number"), ("BCMA-targeted", ("BCMA",), "directed"),
                     ("CD200", ("CD200",), "symbol")}
    assert list(find_target_constructs("no antigens here / at all", lambda s: True)) == []


def test_drug_stems_inside_hyphenated_words():
    text = "apomorphine-induced yawning; examine the zanubrutinib arm; vir alone"
    assert [text[s:e] for s, e in find_drug_stems(words_of(text))] == ["apomorphine", "zanubrutinib"]


def test_generic_disease_heads_are_flagged():
    text = "renal failure, hepatitis, diagnosis and lymphoma-free survival"
    heads = [(text[s:e], generic) for s, e, generic in find_disease_heads(words_of(text))]
    assert heads == [("failure", True), ("hepatitis", False)]
