"""The shipped lexicon: shape, hierarchy, drug classes, spelling variants, case rules."""

from __future__ import annotations

import pytest

from litmus.nlp.lexicon import LexiconError, load_lexicon, surface_forms


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def test_lexicon_is_versioned_and_sizeable(lexicon):
    assert lexicon.version and lexicon.version != "unversioned"
    assert len(lexicon.checksum) == 16
    names = {name.lower() for concept in lexicon for name in concept.names}
    assert len(names) >= 800  # hand-curated names, before spelling expansion
    categories = {concept.category for concept in lexicon}
    assert categories == {"TARGET", "DRUG", "CAR_PRODUCT", "DISEASE", "TOXICITY", "PROCEDURE",
                          "CELL_THERAPY", "CAR_DESIGN", "COSTIM_DOMAIN"}


@pytest.mark.parametrize(
    ("child", "ancestor"),
    [
        ("disease:B-ALL", "disease:ALL"),
        ("disease:ALL", "disease:leukaemia"),
        ("disease:DLBCL", "disease:B-NHL"),
        ("disease:B-NHL", "disease:NHL"),
        ("disease:NHL", "disease:lymphoma"),
        ("disease:DHL", "disease:HGBL"),
        ("disease:THL", "disease:B-NHL"),
        ("disease:PCNSL", "disease:CNS_lymphoma"),
        ("tox:ICANS", "tox:neurotoxicity"),
        ("procedure:ASCT", "procedure:HSCT"),
        ("design:tandem_CAR", "design:dual_targeting"),
    ],
)
def test_hierarchy(lexicon, child, ancestor):
    assert lexicon.is_a(child, ancestor)
    assert not lexicon.is_a(ancestor, child)


@pytest.mark.parametrize(
    ("name", "concept_id", "drug_class"),
    [
        ("zanubrutinib", "drug:zanubrutinib", "BTK inhibitor"),
        ("BGB-3111", "drug:zanubrutinib", "BTK inhibitor"),
        ("Venclexta", "drug:venetoclax", "BCL-2 inhibitor"),
        ("tucidinostat", "drug:chidamide", "HDAC inhibitor"),
        ("pembrolizumab", "drug:pembrolizumab", "PD-1/PD-L1 antibody"),
        ("lenalidomide", "drug:lenalidomide", "IMiD"),
        ("everolimus", "drug:everolimus", "PI3K/AKT/mTOR inhibitor"),
        ("azacitidine", "drug:azacitidine", "hypomethylating agent"),
        ("nirogacestat", "drug:nirogacestat", "γ-secretase inhibitor"),
        ("fludarabine", "drug:fludarabine", "lymphodepleting agent"),
        ("bendamustine", "drug:bendamustine", "lymphodepleting agent"),
        ("tocilizumab", "drug:tocilizumab", "IL-6 blockade"),
        ("siltuximab", "drug:siltuximab", "IL-6 blockade"),
        ("anakinra", "drug:anakinra", "IL-1 blockade"),
        ("dexamethasone", "drug:dexamethasone", "corticosteroid"),
    ],
)
def test_drug_classes(lexicon, name, concept_id, drug_class):
    concept = lexicon.lookup(name)
    assert concept is not None and concept.concept_id == concept_id
    assert concept.drug_class == drug_class


@pytest.mark.parametrize(
    ("name", "concept_id", "target"),
    [("Yescarta", "product:axi-cel", "target:CD19"), ("tisa-cel", "product:tisa-cel", "target:CD19"),
     ("bb2121", "product:ide-cel", "target:BCMA"), ("Carvykti", "product:cilta-cel", "target:BCMA"),
     ("obe-cel", "product:obe-cel", "target:CD19")],
)
def test_products_know_their_target(lexicon, name, concept_id, target):
    concept = lexicon.lookup(name)
    assert concept.concept_id == concept_id and concept.category == "CAR_PRODUCT"
    assert target in concept.attributes["target"].split("|")


def test_british_american_hyphen_and_plural_forms(lexicon):
    for text in ("acute lymphoblastic leukemia", "Acute Lymphoblastic Leukaemia",
                 "B cell acute lymphoblastic leukemia", "diffuse large B cell lymphomas"):
        assert lexicon.lookup(text) is not None, text
    assert lexicon.lookup("haematological malignancies").concept_id == "disease:haematological_malignancy"
    assert "BTK inhibitors" in surface_forms("BTK inhibitor")
    assert "hematologic malignancies" in surface_forms("hematologic malignancy")
    assert surface_forms("4-1BB") == ["4-1BB"]  # codes keep their hyphen


def test_abbreviations_and_capitalised_names_are_case_sensitive(lexicon):
    assert lexicon.lookup("ALL").concept_id == "disease:ALL"
    assert lexicon.lookup("all") is None
    assert lexicon.lookup("MM").concept_id == "disease:MM"
    assert lexicon.lookup("mm") is None
    assert lexicon.lookup("KIT").concept_id == "target:CD117"
    assert lexicon.lookup("kit") is None


def test_concept_ids_are_unique_and_prefixed_by_category(lexicon):
    prefixes = {"TARGET": "target:", "DRUG": "drug:", "CAR_PRODUCT": "product:", "DISEASE": "disease:",
                "TOXICITY": "tox:", "PROCEDURE": "procedure:", "CELL_THERAPY": "celltherapy:",
                "CAR_DESIGN": "design:", "COSTIM_DOMAIN": "costim:"}
    for concept in lexicon:
        assert concept.concept_id.startswith(prefixes[concept.category]), concept.concept_id


def test_malformed_file_names_file_and_line(tmp_path):
    (tmp_path / "VERSION").write_text("test\n")
    (tmp_path / "drugs.tsv").write_text("# header\ndrug:x\tx\n")
    with pytest.raises(LexiconError, match=r"drugs.tsv:2"):
        load_lexicon(tmp_path)


def test_dangling_parent_is_an_error(tmp_path):
    (tmp_path / "diseases.tsv").write_text("disease:a\tA disease\t\t\tparent=disease:missing\n")
    with pytest.raises(LexiconError, match="disease:missing"):
        load_lexicon(tmp_path)


def test_custom_lexicon_directory(tmp_path):
    (tmp_path / "VERSION").write_text("9.9\n")
    (tmp_path / "drugs.tsv").write_text("drug:foo\tfoomab\tFoo-1\tFM\tdrug_class=test\n")
    lexicon = load_lexicon(tmp_path)
    assert lexicon.version == "9.9" and len(lexicon) == 1
    assert lexicon.lookup("FOOMAB").concept_id == "drug:foo"
    assert lexicon.lookup("FM").concept_id == "drug:foo" and lexicon.lookup("fm") is None
