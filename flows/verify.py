"""Prefect flow: a review's claims checked against the stored papers it cites."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NONE

from litmus.reviews import load_review_input, review_text_for, transcription_for
from litmus.verification import load_claims, source_evidence, store_verdicts, verify_claims
from litmus.warehouse import open_warehouse


@task(name="verify-claims", cache_policy=NONE)
def verify_review(review: str | None, review_text: str | None, warehouse: Path) -> dict:
    loaded = load_review_input(review)
    text_path = Path(review_text) if review_text else review_text_for(review)
    claim_set = load_claims(loaded, review_text=text_path, transcription=transcription_for(review))
    with open_warehouse(warehouse) as con:
        evidence = source_evidence(con, loaded.review_id)
        verdicts = verify_claims(claim_set.claims, evidence)
        store_verdicts(con, loaded.review_id, verdicts, origin=claim_set.origin, evidence=evidence)
    counts: dict[str, int] = {}
    for verdict in verdicts:
        counts[verdict.verdict] = counts.get(verdict.verdict, 0) + 1
    return {
        "review_id": loaded.review_id, "claims": len(verdicts), "origin": claim_set.origin,
        "claims_source": claim_set.source, "verdicts": counts,
        "arithmetic_findings": sum(len(v.arithmetic) for v in verdicts),
    }


@flow(name="verify")
def verify_flow(warehouse: str, review: str | None = None, review_text: str | None = None) -> dict:
    """Verify the review's claims against the warehouse."""
    return verify_review(review, review_text, Path(warehouse))
