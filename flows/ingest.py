"""Prefect flow: a review's citations resolved, the cited papers fetched and stored.

Orchestration only: each task opens what it needs and calls one function of `litmus`.
Tasks receive settings, never open connections or clients, so Prefect can record their
parameters and none of them carries a secret. Calls to NCBI are retried by the flow only when
the failure is transient (`flows.runs.retry_if_transient`); each EFetch batch is its own task,
so a retry repeats one batch, not the whole fetch.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NONE

from flows.runs import flow_parameters, mode_label, retry_if_transient, run_tags, tag_flow_run
from litmus.ingest import FetchOutcome, ResolveOutcome, fetch_and_store, fetch_batches, resolve_review
from litmus.progress import progress_bar, step
from litmus.records import Review
from litmus.reviews import load_review_input, review_label
from litmus.settings import EntrezSettings, make_client
from litmus.warehouse import open_warehouse


@task(name="load-review", task_run_name="load-review", cache_policy=NONE,
      retries=2, retry_delay_seconds=[10, 60], retry_condition_fn=retry_if_transient)
def load_review(review: str | None, entrez: EntrezSettings) -> Review:
    client = make_client(entrez) if entrez.mode != "replay" else None
    return load_review_input(review, client=client)


@task(name="resolve-citations", task_run_name="resolve-citations", cache_policy=NONE,
      retries=2, retry_delay_seconds=[10, 60], retry_condition_fn=retry_if_transient)
def resolve_citations(review: Review, entrez: EntrezSettings, warehouse: Path, refresh: bool) -> tuple[ResolveOutcome, int]:
    client = make_client(entrez)
    with open_warehouse(warehouse) as con, step(f"resolving {len(review.citations)} citations"):
        outcome = resolve_review(con, review, client, refresh=refresh)
    return outcome, client.requests_sent


@task(name="efetch-batch", task_run_name="efetch-batch-{number}", cache_policy=NONE, retries=3,
      retry_delay_seconds=[5, 30, 120], retry_condition_fn=retry_if_transient)
def fetch_batch(number: int, pmids: list[str], entrez: EntrezSettings, warehouse: Path, refresh: bool) -> tuple[FetchOutcome, int]:
    """Fetch and store the papers of one batch (at most one EFetch request) the warehouse lacks."""
    client = make_client(entrez)
    source = "replay" if entrez.mode == "replay" else "eutils"
    with open_warehouse(warehouse) as con:
        outcome = fetch_and_store(con, client, pmids, source=source, refresh=refresh)
    return outcome, client.requests_sent


def ingest_review(review: str | None, entrez: EntrezSettings, warehouse: Path, refresh: bool) -> dict:
    """The ingestion tasks in order; the body of `ingest_review_flow`, and a stage of `litmus-run`."""
    loaded = load_review(review, entrez)
    resolved, resolve_requests = resolve_citations(loaded, entrez, warehouse, refresh)
    pmids = [r.pmid for r in resolved.resolved]
    outcomes, fetch_requests = [], 0
    with progress_bar(len(pmids), "fetching", unit="papers") as advance:
        for number, batch in enumerate(fetch_batches(pmids), start=1):
            outcome, requests = fetch_batch(number, batch, entrez, warehouse, refresh)
            outcomes.append(outcome)
            fetch_requests += requests
            advance(len(batch))
    fetched = FetchOutcome.combined(outcomes)
    return {
        "review_id": loaded.review_id,
        "citations": len(loaded.citations),
        "resolved": len(resolved.resolved),
        "resolved_citations": [
            {"citation_key": r.citation_key, "pmid": r.pmid, "method": r.method, "confidence": r.confidence}
            for r in resolved.resolved
        ],
        "unresolved": [{"citation_key": r.citation_key, "reason": r.detail} for r in resolved.unresolved],
        "reused_resolutions": resolved.reused,
        "papers_stored": fetched.stored,
        "papers_already_stored": fetched.already_stored,
        "papers_missing": fetched.missing,
        "fetch_batches": len(outcomes),
        "entrez_requests": resolve_requests + fetch_requests,
        "fetch_requests": fetch_requests,
        "mode": entrez.describe(),
        "failed_steps": resolved.failures() + fetched.failures(),  # what was kept from earlier runs, and why
    }


def _ingest_run_name() -> str:
    parameters = flow_parameters()
    return f"ingest-{review_label(parameters.get('review'))}-{mode_label(parameters.get('live'), parameters.get('record'))}"


@flow(name="ingest-review", flow_run_name=_ingest_run_name, log_prints=True)
def ingest_review_flow(
    review: str | None = None,
    warehouse: str | None = None,
    live: bool = False,
    record: bool = False,
    refresh: bool = False,
) -> dict:
    """Resolve every citation of a review to PubMed and store the cited papers.

    Args:
        review: a .toml transcription, a .md/.txt review with a numbered reference list, a JATS .xml
            file, or (live) a PMCID or DOI (default: the shipped editorial).
        warehouse: the DuckDB file (default: warehouse/litmus.duckdb of the checkout or LITMUS_HOME).
        live: ask NCBI instead of replaying corpus/entrez (NCBI_EMAIL from the environment or the
            Prefect Variable `ncbi-email`).
        record: with live, also save every answer under corpus/entrez for offline replay.
        refresh: resolve and fetch again what the warehouse already holds.
    """
    from litmus.paths import default_warehouse_path

    entrez = EntrezSettings.from_flags(live=live, record=record)
    warehouse_path = Path(warehouse) if warehouse else default_warehouse_path()
    tag_flow_run(run_tags("ingest", live=live, record=record, review=review_label(review)))
    return ingest_review(review, entrez, warehouse_path, refresh)
