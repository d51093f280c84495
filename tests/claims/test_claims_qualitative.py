"""Qualitative checks of a claim's words against abstracts written for these tests."""

import pytest

from litmus.claims.qualitative import check_qualitative, comparative_words
from litmus.claims.records import Claim, SourceEvidence
from litmus.claims.verdicts import verify_claim

SINGLE_ARM = SourceEvidence(
    "1", "101", title="CD19 CAR T cells and ibrutinib in lymphoma", has_abstract=True,
    abstract=("We treated 12 adults with relapsed diffuse large B-cell lymphoma with tandem CD19/CD20 CAR T cells "
              "followed by ibrutinib in a single-arm phase 2 study. Nine patients responded. "
              "No patient had severe cytokine release syndrome."),
    publication_types=("Clinical Trial, Phase II", "Journal Article"),
)
RANDOMISED = SourceEvidence(
    "2", "102", title="BCMA CAR T cells versus standard regimens", has_abstract=True,
    abstract=("In this randomised phase 3 trial, 200 adults with multiple myeloma were randomly assigned to BCMA "
              "CAR T cells or a standard regimen. Progression-free survival was longer with CAR T cells "
              "(hazard ratio 0.41; P<0.001)."),
    publication_types=("Randomized Controlled Trial",),
)
REVIEW = SourceEvidence(
    "3", "103", title="Combining CAR T cells with other treatments", has_abstract=True,
    abstract="In this review we discuss how CAR T cells combine with chemotherapy, radiotherapy and transplantation.",
    publication_types=("Review",),
)
CASE = SourceEvidence(
    "4", "104", title="Venetoclax after CAR T-cell failure", has_abstract=True,
    abstract=("A 54-year-old man with mantle cell lymphoma relapsed after CD19 CAR T cells. Venetoclax given with "
              "ibrutinib led to a complete remission lasting 14 months."),
    publication_types=("Case Reports",),
)
PROSPECTIVE = SourceEvidence(
    "5", "105", title="A prospective cohort", has_abstract=True,
    abstract="We prospectively followed 30 children with B-ALL given CD19 CAR T cells at one centre.",
)


def findings(text, *sources):
    return {(f.check, f.subject): f for f in check_qualitative(text, list(sources))}


def only(found, check):
    return [f for (kind, _), f in found.items() if kind == check]


# ------------------------------------------------------------------------------------------ concepts


def test_named_concepts_are_found_with_the_sentence_that_names_them():
    found = findings("Tandem CD19/CD20 CAR T cells with ibrutinib", SINGLE_ARM)
    ibrutinib = found[("concept", "ibrutinib")]
    assert ibrutinib.verdict == "supported"
    assert SINGLE_ARM.abstract[ibrutinib.evidence_start:ibrutinib.evidence_end] == ibrutinib.evidence_sentence
    assert "ibrutinib" in ibrutinib.evidence_sentence
    assert found[("concept", "CD19/CD20")].verdict == "supported"


def test_a_concept_no_cited_abstract_names_is_reported_missing():
    found = findings("CD19 CAR T cells with venetoclax", SINGLE_ARM)
    missing = found[("concept", "venetoclax")]
    assert missing.verdict == "not_in_source" and "venetoclax" in missing.explanation
    assert found[("concept", "venetoclax")].evidence_sentence is None


def test_a_narrower_concept_in_the_source_confirms_the_claims_broader_one():
    assert findings("dual-targeting CAR T cells", SINGLE_ARM)[("concept", "dual-targeting CAR")].verdict == "supported"
    broader_source = findings("a CD22 target", SINGLE_ARM)[("concept", "CD22")]
    assert broader_source.verdict == "not_in_source"


# --------------------------------------------------------------------------------------- comparisons


@pytest.mark.parametrize("text,words", [
    ("showed superior overall response rate", ["superior"]),
    ("reduced the occurrence of severe CRS", ["reduced"]),
    ("chemotherapy synergizes with CAR-T cell function", ["synergizes"]),
    ("was more effective at preventing relapse", ["more effective"]),
    ("improved 3-year survival compared to chemotherapy", ["improved", "compared to"]),
    ("grade 3 or higher CRS in 10%", []),
    ("responses lasting more than 10 months", []),
    ("a higher dose level was given", []),
    ("reduced-intensity conditioning was used", []),
    ("CAR-NK cells were safer than CAR T cells", ["safer than"]),
    ("a less toxic regimen than chemotherapy", ["less toxic regimen than"]),
    ("patients older than 65 years and other than those with CNS disease", []),
])
def test_comparative_wording_and_what_is_not(text, words):
    assert comparative_words(text) == words


def test_a_comparison_without_a_comparator_in_a_primary_study_is_a_discrepancy():
    comparison = only(findings("The combination reduced severe CRS and gave a superior response", SINGLE_ARM),
                      "comparison")[0]
    assert comparison.verdict == "supported_with_discrepancy"
    assert comparison.discrepancy.kind == "no_comparator"
    assert "single-arm" in comparison.evidence_sentence and "12 patients" in comparison.explanation
    assert "reduced" in comparison.explanation


def test_a_comparison_with_a_comparator_is_supported_by_its_sentence():
    comparison = only(findings("CAR T cells gave longer progression-free survival than a standard regimen, "
                               "a superior result", RANDOMISED), "comparison")[0]
    assert comparison.verdict == "supported" and comparison.discrepancy is None
    assert "randomly assigned" in comparison.evidence_sentence or "hazard ratio" in comparison.evidence_sentence


def test_a_comparison_a_review_abstract_does_not_state_is_not_in_source():
    comparison = only(findings("Radiotherapy synergizes with CAR T cells", REVIEW), "comparison")[0]
    assert comparison.verdict == "not_in_source" and comparison.discrepancy is None


# --------------------------------------------------------------------------------------- populations


def test_a_disease_the_source_does_not_study_is_flagged():
    population = only(findings("CAR T cells with ibrutinib in B-ALL", SINGLE_ARM), "population")[0]
    assert population.verdict == "contradicted"
    assert population.discrepancy.kind == "population_not_studied"
    assert "B-ALL" in population.explanation and "DLBCL" in population.explanation
    assert "diffuse large B-cell lymphoma" in population.evidence_sentence


def test_a_broader_or_narrower_disease_is_the_same_population():
    assert only(findings("CAR T cells in B-NHL", SINGLE_ARM), "population")[0].verdict == "supported"
    assert only(findings("CAR T cells in DLBCL", SINGLE_ARM), "population")[0].verdict == "supported"


def test_an_age_group_the_source_does_not_study_is_flagged():
    age = only(findings("CAR T cells with ibrutinib in paediatric lymphoma", SINGLE_ARM), "population")
    flagged = [f for f in age if f.subject == "paediatric"][0]
    assert flagged.verdict == "contradicted" and flagged.discrepancy.kind == "population_not_studied"
    assert only(findings("children with B-ALL", PROSPECTIVE), "population")[-1].verdict == "supported"


# -------------------------------------------------------------------------------------------- design


def test_a_phase_the_source_does_not_have_is_flagged():
    phase = only(findings("a phase 3 study of tandem CAR T cells", SINGLE_ARM), "design")[0]
    assert phase.verdict == "contradicted" and phase.discrepancy.kind == "study_design"
    assert "phase 2" in phase.explanation
    assert only(findings("a phase 2 study", SINGLE_ARM), "design")[0].verdict == "supported"


@pytest.mark.parametrize("text,evidence,expected", [
    ("a randomised trial of tandem CAR T cells", SINGLE_ARM, "contradicted"),
    ("a randomised trial of BCMA CAR T cells", RANDOMISED, "supported"),
    ("a single-arm study", RANDOMISED, "contradicted"),
    ("a retrospective study of children", PROSPECTIVE, "contradicted"),
    ("a case report of venetoclax", CASE, "supported"),
    ("a retrospective study", SINGLE_ARM, "not_in_source"),
])
def test_design_words(text, evidence, expected):
    design = [f for f in only(findings(text, evidence), "design") if f.subject != "phase"]
    assert design[0].verdict == expected
    if expected == "contradicted":
        assert design[0].discrepancy.kind == "study_design" and design[0].evidence_sentence


# --------------------------------------------------------------------------------------- claim verdicts


def claim(text, cites):
    return Claim("c01", None, text, 0, len(text), tuple(cites), (), "qualitative")


def test_qualitative_claim_verdicts():
    sources = {"1": SINGLE_ARM, "2": RANDOMISED, "3": REVIEW}
    assert verify_claim(claim("Tandem CD19/CD20 CAR T cells with ibrutinib in DLBCL", ["1"]), sources).verdict == "supported"
    assert verify_claim(claim("CD19 CAR T cells with venetoclax", ["1"]), sources).verdict == "not_in_source"
    no_comparator = verify_claim(claim("Ibrutinib gave a superior response with CAR T cells", ["1"]), sources)
    assert no_comparator.verdict == "supported_with_discrepancy"
    assert [d.kind for d in no_comparator.discrepancies] == ["no_comparator"]
    wrong_population = verify_claim(claim("CAR T cells with ibrutinib in multiple myeloma", ["1"]), sources)
    assert wrong_population.verdict == "contradicted"


def test_one_cited_source_with_a_comparator_is_enough():
    verdict = verify_claim(claim("BCMA CAR T cells gave superior survival", ["1", "2"]), {"1": SINGLE_ARM, "2": RANDOMISED})
    assert not verdict.discrepancies and verdict.verdict == "supported"
