"""Prefect flow: a review's citations resolved, the cited papers fetched and stored.

Orchestration only: each task opens what it needs and calls one function of `litmus`.
Tasks receive settings, never open connections or clients, so Prefect can record their
parameters and none of them carries a secret.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NONE

from litmus.errors import user_facing_errors
from litmus.ingest import FetchOutcome, ResolveOutcome, fetch_and_store, resolve_review
from litmus.progress import progress_bar
from litmus.records import Review
from litmus.reviews import load_review_input
from litmus.settings import EntrezSettings, make_client
from litmus.warehouse import open_warehouse


@task(name="load-review", cache_policy=NONE)
def load_review(review: str | None, entrez: EntrezSettings) -> Review:
    client = make_client(entrez) if entrez.mode != "replay" else None
    return load_review_input(review, client=client)


def _retry_unless_user_error(task, task_run, state) -> bool:
    """Retry network trouble, not a mistake the user has to fix (a busy warehouse, a bad review)."""
    error = state.result(raise_on_failure=False)
    return not isinstance(error, user_facing_errors())


@task(name="resolve-citations", cache_policy=NONE, retries=2, retry_delay_seconds=10,
      retry_condition_fn=_retry_unless_user_error)
def resolve_citations(review: Review, entrez: EntrezSettings, warehouse: Path, refresh: bool) -> tuple[ResolveOutcome, int]:
    client = make_client(entrez)
    with open_warehouse(warehouse) as con:
        outcome = resolve_review(con, review, client, refresh=refresh)
    return outcome, client.requests_sent


@task(name="fetch-papers", cache_policy=NONE, retries=3, retry_delay_seconds=[5, 30, 120],
      retry_condition_fn=_retry_unless_user_error)
def fetch_papers(pmids: list[str], entrez: EntrezSettings, warehouse: Path, refresh: bool) -> tuple[FetchOutcome, int]:
    client = make_client(entrez)
    source = "replay" if entrez.mode == "replay" else "eutils"
    with open_warehouse(warehouse) as con, progress_bar(len(pmids), "fetching", unit="papers") as advance:
        outcome = fetch_and_store(con, client, pmids, source=source, refresh=refresh, on_batch=advance)
    return outcome, client.requests_sent


@flow(name="ingest-review", log_prints=True)
def ingest_review_flow(
    review: str | None = None,
    warehouse: str | None = None,
    live: bool = False,
    record: bool = False,
    refresh: bool = False,
) -> dict:
    """Resolve every citation of a review to PubMed and store the cited papers."""
    from litmus.paths import default_warehouse_path

    entrez = EntrezSettings.from_flags(live=live, record=record)
    warehouse_path = Path(warehouse) if warehouse else default_warehouse_path()
    loaded = load_review(review, entrez)
    resolved, resolve_requests = resolve_citations(loaded, entrez, warehouse_path, refresh)
    pmids = [r.pmid for r in resolved.resolved]
    fetched, fetch_requests = fetch_papers(pmids, entrez, warehouse_path, refresh)
    return {
        "review_id": loaded.review_id,
        "citations": len(loaded.citations),
        "resolved": len(resolved.resolved),
        "resolved_citations": [(r.citation_key, r.pmid, r.method) for r in resolved.resolved],
        "unresolved": [(r.citation_key, r.detail) for r in resolved.unresolved],
        "reused_resolutions": resolved.reused,
        "papers_stored": fetched.stored,
        "papers_already_stored": fetched.already_stored,
        "papers_missing": fetched.missing,
        "entrez_requests": resolve_requests + fetch_requests,
        "fetch_requests": fetch_requests,
        "mode": entrez.describe(),
    }
