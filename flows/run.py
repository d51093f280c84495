"""Prefect flow: the whole default job on a review — ingest, extract, verify — as one flow run whose
task runs are the stages' tasks (no subflows: each would cost a flow run and a heartbeat thread).
The verdict table and the evidence table are published as artifacts."""

from __future__ import annotations

import time
from pathlib import Path

from prefect import flow

from flows.extract import classify_strategies, extract_papers, preload_pipeline
from flows.ingest import ingest_review
from flows.publish import publish_evidence
from flows.runs import flow_parameters, mode_label, run_tags, tag_flow_run
from flows.verify import verify_and_publish
from litmus.paths import default_warehouse_path
from litmus.reviews import review_label
from litmus.runlog import recorded_run
from litmus.settings import EntrezSettings


def _run_name() -> str:
    parameters = flow_parameters()
    return f"run-{review_label(parameters.get('review'))}-{mode_label(parameters.get('live'), parameters.get('record'))}"


@flow(name="litmus-run", flow_run_name=_run_name)
def litmus_run_flow(
    review: str | None = None,
    warehouse: str | None = None,
    live: bool = False,
    record: bool = False,
    refresh: bool = False,
    review_text: str | None = None,
) -> dict:
    """Resolve and fetch what the review cites, extract every stored paper, verify the claims.

    Args:
        review: a .toml transcription, a .md/.txt review, a JATS .xml file, or (live) a PMCID or DOI
            (default: the shipped editorial).
        warehouse: the DuckDB file (default: warehouse/litmus.duckdb of the checkout or LITMUS_HOME).
        live: ask NCBI instead of replaying corpus/entrez. NCBI_EMAIL and NCBI_API_KEY come from the
            environment, or the Prefect Variable `ncbi-email` and Secret block `ncbi-api-key`.
        record: with live, also save every answer under corpus/entrez for offline replay.
        refresh: resolve and fetch again what the warehouse already holds.
        review_text: the review's own prose (Markdown or plain text), to read its claims from.
    """
    entrez = EntrezSettings.from_flags(live=live, record=record)
    warehouse_path = Path(warehouse) if warehouse else default_warehouse_path()
    if not warehouse_path.exists():
        preload_pipeline()  # a new warehouse: every paper will be extracted after ingestion
    parameters = {"review": review, "live": live, "record": record, "refresh": refresh, "review_text": review_text}
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = round(now - clock, 3)
        clock = now

    tag_flow_run(run_tags("run", live=live, record=record, review=review_label(review)))
    with recorded_run(warehouse_path, "litmus-run", parameters) as run:
        ingest = ingest_review(review, entrez, warehouse_path, refresh)
        lap("ingest")
        extraction = extract_papers(warehouse_path)
        extraction["strategy_assignments"] = classify_strategies(warehouse_path)
        lap("extract")
        verification = verify_and_publish(ingest["review_id"], review, review_text, warehouse_path)
        lap("verify")
        publish_evidence(warehouse_path)
        lap("publish")
        run.counts = {
            "citations": ingest["citations"], "resolved": ingest["resolved"],
            "papers_stored": ingest["papers_stored"], "entrez_requests": ingest["entrez_requests"],
            "papers_extracted": extraction["papers"], "metrics": extraction["metrics"],
            "claims": verification["claims"],
        }
    return {"ingest": ingest, "extraction": extraction, "verification": verification, "timings": timings}
