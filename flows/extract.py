"""Prefect flow: stored papers → entities and outcome metrics, in batches through one spaCy pipeline."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NONE

from litmus.outcomes import refresh_evidence
from litmus.extraction import extract_and_store, extraction_pages, extractor_version
from litmus.progress import progress_bar
from litmus.warehouse import open_warehouse


@task(name="extract-papers", cache_policy=NONE)
def extract_pending(warehouse: Path, pmids: list[str] | None, force: bool, batch_size: int) -> dict:
    from litmus.nlp.pipeline import build_pipeline

    version = extractor_version()
    totals = {"papers": 0, "sentences": 0, "entities": 0, "metrics": 0}
    with open_warehouse(warehouse) as con:
        pending, pages = extraction_pages(con, version, pmids=pmids, force=force)
        nlp = build_pipeline() if pending else None
        with progress_bar(pending, "extracting", unit="papers") as advance:
            for papers in pages:
                done = extract_and_store(con, nlp, papers, version, batch_size=batch_size, on_batch=advance)
                totals = {key: totals[key] + done[key] for key in totals}
    return {**totals, "version": version}


@task(name="classify-strategies", cache_policy=NONE)
def classify_strategies(warehouse: Path) -> int:
    with open_warehouse(warehouse) as con:
        return refresh_evidence(con)  # strategies, then the pooled estimates grouped by them


@flow(name="extract")
def extract_flow(warehouse: str, pmids: list[str] | None = None, force: bool = False, batch_size: int = 200) -> dict:
    """Extract every stored paper not yet extracted by this extractor version."""
    totals = extract_pending(Path(warehouse), pmids, force, batch_size)
    totals["strategy_assignments"] = classify_strategies(Path(warehouse))
    return totals
