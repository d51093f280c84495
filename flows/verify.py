"""Prefect flow: a review's claims checked against the stored papers it cites, and the verdict table
published as an artifact."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NONE

from flows.publish import publish_verdicts
from flows.runs import flow_parameters, run_tags, tag_flow_run
from litmus.progress import step
from litmus.reviews import load_review_input, review_label, review_text_for, transcription_for
from litmus.verification import load_claims, source_evidence, store_verdicts, verify_claims
from litmus.warehouse import open_warehouse


@task(name="verify", task_run_name="verify-{review_id}", cache_policy=NONE)
def verify_review(review_id: str, review: str | None, review_text: str | None, warehouse: Path) -> dict:
    """Verify the claims of the review read from `review` (its id, `review_id`, names the task run)."""
    with step(f"verifying the claims of {review_id}"):
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


def verify_and_publish(review_id: str, review: str | None, review_text: str | None, warehouse: Path) -> dict:
    """Verify a review and publish its verdict table; a stage of `verify`, `litmus-run` and `update-evidence`."""
    summary = verify_review(review_id, review, review_text, warehouse)
    publish_verdicts(summary["review_id"], warehouse)
    return summary


def _verify_run_name() -> str:
    return f"verify-{review_label(flow_parameters().get('review'))}"


@flow(name="verify", flow_run_name=_verify_run_name)
def verify_flow(warehouse: str, review: str | None = None, review_text: str | None = None) -> dict:
    """Verify the review's claims against the warehouse."""
    review_id = review_label(review)
    tag_flow_run(run_tags("verify", review=review_id))
    return verify_and_publish(review_id, review, review_text, Path(warehouse))
