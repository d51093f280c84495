"""Clinical study or not: a pure classifier with reasons, and the table evidence tables join."""

from __future__ import annotations

import uuid

from litmus.updates.incremental import update_search
from litmus.updates.relevance import PaperFacts, classify, classify_and_store
from search_replay import FIRST_DAY, SECOND_DAY
from litmus.updates.searches import load_searches


def test_a_clinical_trial_publication_type_decides():
    clinical, reasons = classify(PaperFacts("1", "Anything", publication_types=("Journal Article", "Clinical Trial, Phase I")))
    assert clinical and reasons == ("publication type: Clinical Trial, Phase I",)


def test_a_review_is_not_a_clinical_study():
    clinical, reasons = classify(PaperFacts(
        "2", "CAR T cells in myeloma: a phase 1 trial landscape", "We enrolled nothing; 300 patients were studied elsewhere.",
        publication_types=("Journal Article", "Review"),
    ))
    assert not clinical and "Review" in reasons[0]


def test_design_words_and_patient_counts_make_a_journal_article_clinical():
    clinical, reasons = classify(PaperFacts(
        "3", "Bridging therapy before CAR T cells",
        "We reviewed 148 patients with relapsed lymphoma treated at a single center.",
        publication_types=("Journal Article",),
    ))
    assert clinical
    assert any(r.startswith("design words:") for r in reasons)
    assert any("148 patients" in r for r in reasons)


def test_preclinical_work_is_not_clinical():
    clinical, reasons = classify(PaperFacts(
        "4", "A novel CAR construct eradicates lymphoma xenografts", "CAR T cells cleared tumours in mice.",
        publication_types=("Journal Article",), mesh=("Animals", "Mice"),
    ))
    assert not clinical and "MeSH: animals, no humans" in reasons


def test_extracted_outcome_metrics_count_as_evidence():
    facts = PaperFacts("5", "CD19 CAR T cells in ALL", "A prospective study.", publication_types=("Journal Article",))
    assert classify(facts)[0] is False
    with_metrics = PaperFacts(**{**facts.__dict__, "metric_endpoints": ("CR", "N_ENROLLED")})
    clinical, reasons = classify(with_metrics)
    assert clinical and "outcome metrics extracted: CR, N_ENROLLED" in reasons


def test_shipped_papers_are_classified_and_found_only_by_searches(con, replay_client):
    for day in (FIRST_DAY, SECOND_DAY):
        run_id = uuid.uuid4().hex
        for search in load_searches():
            update_search(con, replay_client, search, day, run_id=run_id)
    pmids = [row[0] for row in con.execute("SELECT pmid FROM papers").fetchall()]
    verdicts = classify_and_store(con, pmids)
    assert len(verdicts) == 7 and all(clinical for clinical, _ in verdicts.values())
    rows = con.execute(
        "SELECT pmid, is_clinical, cited_by_review, in_evidence, searches FROM paper_relevance ORDER BY pmid"
    ).fetchall()
    assert all(cited is False and in_evidence is True for _, _, cited, in_evidence, _ in rows)
    assert dict((r[0], r[4]) for r in rows)["35433994"] == ["car-t-imid-maintenance"]
    # Journal articles without a trial type are classified from their design and patient numbers.
    assert any("patient count" in r for r in verdicts["32589728"][1])


def test_a_paper_the_review_cites_enters_evidence_even_when_not_clinical(con):
    from litmus.records import PubmedRecord
    from litmus.warehouse.load import load_papers

    load_papers(con, [PubmedRecord(pmid="123", title="Mechanisms of resistance", publication_types=("Review",))], source="test")
    con.execute("INSERT INTO reviews (review_id, title) VALUES ('r', 'A review')")
    classify_and_store(con, ["123"])
    assert con.execute("SELECT is_clinical, cited_by_review, in_evidence FROM paper_relevance").fetchall() == [(False, False, False)]
    con.execute(
        "INSERT INTO citations (review_id, citation_key, position, kind, pmid) VALUES ('r', '1', 1, 'numbered', '123')"
    )
    classify_and_store(con, [])  # any later run refreshes who is cited
    assert con.execute("SELECT is_clinical, cited_by_review, in_evidence FROM paper_relevance").fetchall() == [(False, True, True)]
