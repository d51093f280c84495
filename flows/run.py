"""Prefect flow: the whole default job on a review — ingest, extract, verify."""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from flows.extract import extract_flow
from flows.ingest import ingest_review_flow
from flows.verify import verify_flow
from litmus.paths import default_warehouse_path
from litmus.runlog import recorded_run


@flow(name="litmus-run")
def litmus_run_flow(
    review: str | None = None,
    warehouse: str | None = None,
    live: bool = False,
    record: bool = False,
    refresh: bool = False,
    review_text: str | None = None,
) -> dict:
    """Resolve and fetch what the review cites, extract every stored paper, verify the claims."""
    warehouse_path = Path(warehouse) if warehouse else default_warehouse_path()
    parameters = {"review": review, "live": live, "record": record, "refresh": refresh, "review_text": review_text}
    with recorded_run(warehouse_path, "litmus-run", parameters) as run:
        ingest = ingest_review_flow(review=review, warehouse=str(warehouse_path), live=live, record=record, refresh=refresh)
        extraction = extract_flow(warehouse=str(warehouse_path))
        verification = verify_flow(warehouse=str(warehouse_path), review=review, review_text=review_text)
        run.counts = {
            "citations": ingest["citations"], "resolved": ingest["resolved"],
            "papers_stored": ingest["papers_stored"], "entrez_requests": ingest["entrez_requests"],
            "papers_extracted": extraction["papers"], "metrics": extraction["metrics"],
            "claims": verification["claims"],
        }
    return {"ingest": ingest, "extraction": extraction, "verification": verification}
