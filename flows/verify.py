"""Prefect flow: a review's claims checked against the stored papers it cites, and the verdict table
published as an artifact."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NONE

from flows.publish import publish_verdicts
from flows.runs import flow_parameters, run_tags, tag_flow_run
from litmus.progress import step
from litmus.reviews import fetch_review_jats, is_remote_review, load_review_input, review_label, transcription_for
from litmus.settings import EntrezSettings, make_client
from litmus.verification import load_claims, source_evidence, store_verdicts, verify_claims, verify_inputs
from litmus.warehouse import open_warehouse


@task(name="verify", task_run_name="verify-{review_id}", cache_policy=NONE)
def verify_review(review_id: str, review: str | None, review_text: str | None, warehouse: Path,
                  live: bool = False) -> dict:
    """Verify the claims of the review read from `review` (its id, `review_id`, names the task run);
    live, a review given by PMCID or DOI has its JATS fetched from PMC and its own prose read."""
    with step(f"verifying the claims of {review_id}"):
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


def verify_and_publish(review_id: str, review: str | None, review_text: str | None, warehouse: Path,
                       live: bool = False) -> dict:
    """Verify a review and publish its verdict table; a stage of `verify`, `litmus-run` and `update-evidence`."""
    summary = verify_review(review_id, review, review_text, warehouse, live)
    publish_verdicts(summary["review_id"], warehouse)
    return summary


def _verify_run_name() -> str:
    return f"verify-{review_label(flow_parameters().get('review'))}"


@flow(name="verify", flow_run_name=_verify_run_name)
def verify_flow(warehouse: str, review: str | None = None, review_text: str | None = None, live: bool = False) -> dict:
    """Verify the review's claims against the warehouse.

    Args:
        warehouse: the DuckDB file.
        review: the review (a .toml transcription, a Markdown/JATS file, or with `live` a PMCID or DOI);
            the shipped editorial when omitted.
        review_text: a file holding the review's own prose, read against `review`'s citations.
        live: fetch a review given by PMCID or DOI from PMC and read its prose.
    """
    review_id = review_label(review)
    tag_flow_run(run_tags("verify", review=review_id))
    return verify_and_publish(review_id, review, review_text, Path(warehouse), live)
