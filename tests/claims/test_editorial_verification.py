"""The shipped editorial, verified from our transcription and (when ../shared has it) from its own prose.

Runs on the warehouse of the default job (`shipped_run`), reading it only: verdicts are computed
with the library, not stored.
"""

from __future__ import annotations

import json

import pytest

from litmus.reviews import default_review_path, load_review_input, transcription_for
from litmus.verification import load_claims, source_evidence, verify_claims
from litmus.warehouse import connect

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def evidence(shipped_run):
    con = connect(shipped_run[0], read_only=True)
    try:
        review = load_review_input(None)
        return review, source_evidence(con, review.review_id)
    finally:
        con.close()


@pytest.fixture(scope="module")
def transcribed(evidence):
    review, sources = evidence
    claim_set = load_claims(review, review_text=None, transcription=transcription_for(None))
    assert claim_set.origin == "transcription" and "own-words transcription" in claim_set.note
    return {v.claim.claim_id: v for v in verify_claims(claim_set.claims, sources)}


def kinds(verdict) -> set[str]:
    return {d.kind for d in verdict.discrepancies}


def test_ref5_composite_endpoint_is_a_discrepancy_and_its_truncation_a_note(transcribed):
    ref5 = transcribed["c07"]
    assert ref5.claim.cites == ("5",)
    assert ref5.verdict == "supported_with_discrepancy" and kinds(ref5) == {"composite_endpoint"}
    assert ref5.arithmetic == ()  # "86% of 15" is the source's own 13/15, not the review's error
    assert ref5.notes == ("the source reports 13/15 as 86% (86.7% truncated)",)


def test_ref6_population_count_and_time_point(transcribed):
    ref6 = transcribed["c08"]
    assert ref6.verdict == "supported_with_discrepancy"
    assert kinds(ref6) == {"population_count", "timepoint_only_in_review"}
    reasons = " ".join(d.reason for d in ref6.discrepancies)
    assert "enrolled 33" in reasons and "treated 28" in reasons and "12 months" in reasons


def test_ref_3_7_8_comparison_lacks_a_comparator_in_the_one_available_source(transcribed):
    claim = transcribed["c11"]
    assert claim.sources_available == ("8",)
    (comparison,) = [f for f in claim.findings if f.check == "comparison"]
    assert comparison.discrepancy.kind == "no_comparator"
    assert "13 patients" in comparison.explanation and comparison.evidence_sentence


def test_87_7_of_66_is_still_impossible(transcribed):
    assert any("87.7% of 66" in a.message for a in transcribed["c05"].arithmetic)


def test_only_claims_with_nothing_checkable_are_unverifiable(transcribed):
    for verdict in transcribed.values():
        if verdict.verdict == "unverifiable":
            assert not verdict.facts and not verdict.findings


def test_the_prose_path_agrees_with_the_transcription(shared_reviews, evidence, transcribed):
    review, sources = evidence
    path = shared_reviews / "zhang2022-editorial-car-t-resistance.md"
    own = load_review_input(path)
    assert own.review_id == review.review_id  # the same review: its citations are the ingested ones
    claim_set = load_claims(own, review_text=path, transcription=None)
    assert claim_set.origin == "prose"
    prose = verify_claims(claim_set.claims, sources)
    text = path.read_text(encoding="utf-8")
    for verdict in prose:
        claim = verdict.claim
        assert claim.review_start is not None, claim.text
        located = text[claim.review_start:claim.review_end]
        assert located.split()[0] == claim.text.split()[0] and located.split()[-1] == claim.text.split()[-1]
    by_cites = {}
    for verdict in prose:
        by_cites.setdefault(verdict.claim.cites, verdict)
    for claim_id in ("c07", "c08"):
        expected = transcribed[claim_id]
        found = by_cites[expected.claim.cites]
        assert (found.verdict, kinds(found)) == (expected.verdict, kinds(expected)), claim_id
        assert [(f.fact.endpoint, f.fact.value, f.verdict) for f in found.facts] == [
            (f.fact.endpoint, f.fact.value, f.verdict) for f in expected.facts]
    comparison = by_cites[("3", "7", "8")]
    assert "no_comparator" in kinds(comparison)
    ref3 = by_cites[("3",)]
    assert any("87.7% of 66" in a.message for a in ref3.arithmetic)


def test_the_bibliography_facts_agree_on_which_claims_carry_numbers(shared_reviews, transcribed):
    facts = json.loads((shared_reviews / "bibliography-facts.json").read_text())["review"]["claims"]
    numbered = {c["claim_id"] for c in facts if any(n.get("value") is not None for n in c["numbers"])}
    assert numbered <= {claim_id for claim_id, v in transcribed.items() if v.facts}
    assert default_review_path().is_file()
