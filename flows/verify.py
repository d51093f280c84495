"""Prefect flow: a review's claims checked against the stored papers it cites."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NONE

from litmus.reviews import fetch_review_jats, is_remote_review, load_review_input, transcription_for
from litmus.settings import EntrezSettings, make_client
from litmus.verification import load_claims, source_evidence, store_verdicts, verify_claims, verify_inputs
from litmus.warehouse import open_warehouse


@task(name="verify-claims", cache_policy=NONE)
def verify_review(review: str | None, review_text: str | None, warehouse: Path, live: bool = False) -> dict:
    review, text_path = verify_inputs(review, review_text)
    client = make_client(EntrezSettings.from_flags(live=True)) if live and is_remote_review(review) else None
    loaded = load_review_input(review, client=client)
    jats = fetch_review_jats(str(review), client) if client is not None else None
    claim_set = load_claims(loaded, review_text=Path(text_path) if text_path else None,
                            transcription=transcription_for(review), jats=jats,
                            jats_source=str(review) if jats is not None else None)
    with open_warehouse(warehouse) as con:
        evidence = source_evidence(con, loaded.review_id)
        verdicts = verify_claims(claim_set.claims, evidence)
        store_verdicts(con, loaded.review_id, verdicts, origin=claim_set.origin, evidence=evidence)
    if not evidence:
        ingest = f"litmus ingest --review {review}" if review else "litmus ingest"
        claim_set = replace(claim_set, note=f"{claim_set.note}; none of the review's citations is in the warehouse: "
                                            f"run `{ingest}` first")
    counts: dict[str, int] = {}
    for verdict in verdicts:
        counts[verdict.verdict] = counts.get(verdict.verdict, 0) + 1
    return {
        "review_id": loaded.review_id, "claims": len(verdicts), "origin": claim_set.origin,
        "claims_source": claim_set.source, "claims_note": claim_set.note, "verdicts": counts,
        "arithmetic_findings": sum(len(v.arithmetic) for v in verdicts),
    }


@flow(name="verify")
def verify_flow(warehouse: str, review: str | None = None, review_text: str | None = None, live: bool = False) -> dict:
    """Verify the review's claims against the warehouse (the review's JATS fetched from PMC when live)."""
    return verify_review(review, review_text, Path(warehouse), live)
