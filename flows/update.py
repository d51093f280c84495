"""Prefect flow: run the saved PubMed searches incrementally and extend the evidence.

Orchestration only: each task opens what it needs and calls one function of `litmus.updates`.
The whole run holds the warehouse's update lock, so two runs (a cron run and a manual one)
never interleave their tasks: the second waits `wait_seconds`, then stops with a clear message.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NONE

from litmus.settings import EntrezSettings, make_client
from litmus.updates.digest import build_digest, default_digest_path, write_digest
from litmus.updates.incremental import update_lock, update_search
from litmus.updates.relevance import classify_and_store
from litmus.updates.searches import SavedSearch, load_searches
from litmus.warehouse import open_warehouse


@task(name="load-saved-searches", cache_policy=NONE)
def load_saved_searches(searches_path: str | None) -> list[SavedSearch]:
    return load_searches(searches_path)


@task(name="run-saved-search", cache_policy=NONE, retries=2, retry_delay_seconds=[10, 60])
def run_saved_search(search: SavedSearch, as_of: date, run_id: str, entrez: EntrezSettings, warehouse: Path) -> dict:
    client = make_client(entrez)
    with open_warehouse(warehouse) as con:
        outcome = update_search(
            con, client, search, as_of, run_id=run_id, source="replay" if entrez.mode == "replay" else "eutils"
        )
    summary = outcome.summary()
    summary["request_log"] = outcome.requests
    return summary


@task(name="extract-new-papers", cache_policy=NONE)
def extract_new_papers(new_pmids: list[str], updated_pmids: list[str], warehouse: Path) -> dict[str, int]:
    """Extract papers that came in (or were found earlier and never extracted), re-extract updated ones."""
    from litmus.extraction import extract_and_store, extractor_version
    from litmus.nlp.pipeline import build_pipeline
    from litmus.updates.incremental import papers_to_extract_after_update

    version = extractor_version()
    with open_warehouse(warehouse) as con:
        papers = papers_to_extract_after_update(con, version, new_pmids, updated_pmids)
        if not papers:
            return {"papers": 0, "sentences": 0, "entities": 0, "metrics": 0}
        return extract_and_store(con, build_pipeline(), papers, version)


@task(name="classify-relevance", cache_policy=NONE)
def classify_relevance(pmids: list[str], warehouse: Path) -> dict[str, bool]:
    with open_warehouse(warehouse) as con:
        verdicts = classify_and_store(con, pmids)
    return {pmid: clinical for pmid, (clinical, _reasons) in verdicts.items()}


@task(name="refresh-evidence", cache_policy=NONE)
def refresh_evidence_tables(warehouse: Path) -> int:
    """New studies join the evidence tables: their strategies, and the pooled estimates that group by them."""
    from litmus.outcomes import refresh_evidence

    with open_warehouse(warehouse) as con:
        return refresh_evidence(con)


@task(name="write-digest", cache_policy=NONE)
def write_run_digest(run_id: str, as_of: date, warehouse: Path, digest_path: Path) -> str:
    with open_warehouse(warehouse) as con:
        text = build_digest(con, run_id, as_of)
    write_digest(digest_path, text)
    return text


def _publish_artifact(text: str, as_of: date) -> None:
    """A Markdown artifact in the Prefect UI, only inside a real flow run (not `flow.fn()`)."""
    from prefect.context import FlowRunContext

    if FlowRunContext.get() is None:
        return
    from prefect.artifacts import create_markdown_artifact

    create_markdown_artifact(markdown=text, key=f"evidence-digest-{as_of.isoformat()}",
                             description=f"New studies from the saved searches, {as_of.isoformat()}")


@flow(name="update-evidence", log_prints=True)
def update_evidence_flow(
    searches_path: str | None = None,
    as_of: str | None = None,
    live: bool = False,
    warehouse: str | None = None,
    extract: bool = True,
    digest: str | None = None,
    wait_seconds: float = 0.0,
) -> dict:
    """Run every saved search for the days since its last run; store, extract and classify what is new.

    `as_of` is the run date (YYYY-MM-DD, default today); the window covers whole days up to the
    day before it. Scheduled runs leave it empty, so each run takes its own date.
    """
    from litmus.paths import default_warehouse_path
    from litmus.runlog import recorded_run

    run_date = date.fromisoformat(as_of) if as_of else date.today()
    entrez = EntrezSettings.from_flags(live=live)
    warehouse_path = Path(warehouse) if warehouse else default_warehouse_path()
    digest_path = Path(digest) if digest else default_digest_path(warehouse_path, run_date)
    searches = load_saved_searches(searches_path)
    run_id = uuid.uuid4().hex
    parameters = {"searches_path": searches_path, "as_of": run_date.isoformat(), "live": live,
                  "extract": extract, "search_run_id": run_id}
    with update_lock(warehouse_path, wait_seconds=wait_seconds), \
            recorded_run(warehouse_path, "update-evidence", parameters) as run:
        results = [run_saved_search(search, run_date, run_id, entrez, warehouse_path) for search in searches]
        new = list(dict.fromkeys(p for r in results for p in r["new"]))
        updated = list(dict.fromkeys(p for r in results for p in r["updated"] if p not in new))
        extracted = extract_new_papers(new, updated, warehouse_path) if extract else None
        classify_relevance(sorted(set(new) | set(updated)), warehouse_path)
        if new or updated:
            refresh_evidence_tables(warehouse_path)
        text = write_run_digest(run_id, run_date, warehouse_path, digest_path)
        requests = [line for r in results for line in r.pop("request_log")]
        run.counts = {"searches": len(searches), "new": len(new), "updated": len(updated), "requests": len(requests)}
        run.message = f"search run {run_id}"
    _publish_artifact(text, run_date)
    print(f"update {run_date}: {len(new)} new, {len(updated)} updated; digest {digest_path}")
    return {
        "run_id": run_id,
        "as_of": run_date.isoformat(),
        "searches": results,
        "new_pmids": new,
        "updated_pmids": updated,
        "extracted": extracted,
        "requests": requests,
        "digest_path": str(digest_path),
        "digest": text,
        "mode": entrez.describe(),
    }
