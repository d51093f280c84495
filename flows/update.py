"""Prefect flow: run the saved PubMed searches incrementally and carry what they find through the job.

Orchestration only: each task opens what it needs and calls one function of `litmus`. One run:
each saved search is its own task (`search-<name>`): it succeeds or fails on its own, and a
failed one keeps its watermark so the next run asks its window again; the new and modified
papers are extracted (`extract-page-<n>`), classified as clinical or not and into the review's
strategies; the stored reviews are verified again (`verify-<review>`); the digest, the evidence
table and the verdicts are published as artifacts. A run with failed searches finishes all of
that, then fails with `SearchesFailed` naming them.

The whole run holds the warehouse's update lock, so two runs (a cron run and a manual one)
never interleave their tasks: the second waits `wait_seconds`, then stops with a clear message.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NONE

from flows.extract import classify_strategies, extract_papers
from flows.publish import publish_digest, publish_evidence
from flows.runs import flow_parameters, mode_label, retry_if_transient, run_tags, tag_flow_run
from flows.verify import verify_and_publish
from litmus.progress import step
from litmus.settings import EntrezSettings, make_client
from litmus.updates.digest import build_digest, digests_dir, next_digest_path, write_digest
from litmus.updates.incremental import SearchesFailed, found_by_searches, update_lock, update_search
from litmus.updates.relevance import classify_and_store
from litmus.updates.reverify import reviews_to_reverify
from litmus.updates.searches import SavedSearch, load_searches
from litmus.warehouse import open_warehouse


@task(name="load-saved-searches", task_run_name="load-saved-searches", cache_policy=NONE)
def load_saved_searches(searches_path: str | None) -> list[SavedSearch]:
    return load_searches(searches_path)


@task(name="search", task_run_name="search-{search.name}", cache_policy=NONE, retries=2,
      retry_delay_seconds=[10, 60], retry_condition_fn=retry_if_transient)
def run_saved_search(search: SavedSearch, as_of: date, run_id: str, entrez: EntrezSettings, warehouse: Path) -> dict:
    """ESearch the days since the search's last run, fetch and store what is new or modified."""
    client = make_client(entrez)
    with open_warehouse(warehouse) as con, step(f"saved search {search.name}"):
        outcome = update_search(
            con, client, search, as_of, run_id=run_id, source="replay" if entrez.mode == "replay" else "eutils"
        )
    summary = outcome.summary()
    summary["request_log"] = outcome.requests
    return summary


@task(name="pmids-to-extract", task_run_name="pmids-to-extract", cache_policy=NONE)
def pmids_to_extract(new_pmids: list[str], warehouse: Path) -> list[str]:
    """New papers, and papers earlier runs found but did not extract (the extract task skips done ones)."""
    with open_warehouse(warehouse) as con:
        return sorted(set(found_by_searches(con)) | set(new_pmids))


@task(name="classify-relevance", task_run_name="classify-relevance", cache_policy=NONE)
def classify_relevance(pmids: list[str], warehouse: Path) -> dict[str, bool]:
    with open_warehouse(warehouse) as con:
        verdicts = classify_and_store(con, pmids)
    return {pmid: clinical for pmid, (clinical, _reasons) in verdicts.items()}


@task(name="reviews-to-verify", task_run_name="reviews-to-verify", cache_policy=NONE)
def stored_reviews(warehouse: Path) -> list[dict]:
    with open_warehouse(warehouse) as con:
        return reviews_to_reverify(con)


@task(name="write-digest", task_run_name="write-digest", cache_policy=NONE)
def write_run_digest(run_id: str, as_of: date, warehouse: Path, digest: str | None, failed: dict[str, str]) -> dict:
    """The run's digest in a file of its own (or as a new section of the file `digest` names)."""
    with open_warehouse(warehouse) as con:
        text = build_digest(con, run_id, as_of, failed)
    path = write_digest(Path(digest) if digest else next_digest_path(digests_dir(warehouse), as_of), text)
    return {"path": str(path), "text": text}


def one_line(error: BaseException) -> str:
    return " ".join(f"{type(error).__name__}: {error}".split())


def _update_run_name() -> str:
    parameters = flow_parameters()
    return f"update-{parameters.get('as_of') or date.today().isoformat()}-{mode_label(parameters.get('live'), parameters.get('record'))}"


@flow(name="update-evidence", flow_run_name=_update_run_name, log_prints=True)
def update_evidence_flow(
    searches_path: str | None = None,
    as_of: str | None = None,
    live: bool = False,
    record: bool = False,
    warehouse: str | None = None,
    extract: bool = True,
    digest: str | None = None,
    wait_seconds: float = 0.0,
) -> dict:
    """Run every saved search for the days since its last run; store, extract, classify and verify.

    Args:
        searches_path: saved searches TOML (default: corpus/searches.toml).
        as_of: the run date, YYYY-MM-DD (default: today); the window covers whole days up to the day
            before it. Scheduled runs leave it empty, so each run takes its own date.
        live: ask NCBI instead of replaying corpus/entrez. NCBI_EMAIL and NCBI_API_KEY come from the
            environment, or the Prefect Variable `ncbi-email` and Secret block `ncbi-api-key`.
        record: with live, also save every answer under corpus/entrez for offline replay.
        warehouse: the DuckDB file (default: warehouse/litmus.duckdb of the checkout or LITMUS_HOME).
        extract: extract entities and metrics of the new papers and classify their strategies.
        digest: a Markdown file to add this run's digest to (default: a new digests/<date>[-n].md).
        wait_seconds: how long to wait for another update of the same warehouse to finish.
    """
    from litmus.paths import default_warehouse_path
    from litmus.runlog import recorded_run

    run_date = date.fromisoformat(as_of) if as_of else date.today()
    entrez = EntrezSettings.from_flags(live=live, record=record)
    warehouse_path = Path(warehouse) if warehouse else default_warehouse_path()
    searches = load_saved_searches(searches_path)
    run_id = uuid.uuid4().hex
    parameters = {"searches_path": searches_path, "as_of": run_date.isoformat(), "live": live, "record": record,
                  "extract": extract, "search_run_id": run_id}
    tag_flow_run(run_tags("update", live=live, record=record))
    with update_lock(warehouse_path, wait_seconds=wait_seconds), \
            recorded_run(warehouse_path, "update-evidence", parameters) as run:
        results, failed = [], {}
        for search in searches:
            state = run_saved_search(search, run_date, run_id, entrez, warehouse_path, return_state=True)
            if state.is_completed():
                results.append(state.result())
            else:
                failed[search.name] = one_line(state.result(raise_on_failure=False))
        new = list(dict.fromkeys(p for r in results for p in r["new"]))
        updated = list(dict.fromkeys(p for r in results for p in r["updated"] if p not in new))
        extracted = None
        if extract:
            extracted = extract_papers(warehouse_path, pmids=pmids_to_extract(new, warehouse_path))
            if updated:  # modified upstream: extracted again whatever the version
                again = extract_papers(warehouse_path, pmids=updated, force=True, first_page=extracted["pages"] + 1)
                extracted = {**extracted, **{k: extracted[k] + again[k] for k in again if k != "version"}}
            extracted["strategy_assignments"] = classify_strategies(warehouse_path, extracted["extracted_pmids"])
        changed = sorted(set(new) | set(updated) | set(extracted["extracted_pmids"] if extracted else []))
        classify_relevance(changed, warehouse_path)
        verified = [verify_and_publish(r["review_id"], r["source"], None, warehouse_path)
                    for r in (stored_reviews(warehouse_path) if changed else [])]
        if changed:
            publish_evidence(warehouse_path)
        written = write_run_digest(run_id, run_date, warehouse_path, digest, failed)
        publish_digest(written["text"], run_date.isoformat())
        requests = [line for r in results for line in r.pop("request_log")]
        sent = sum(r["requests"] for r in results)
        run.counts = {"searches": len(searches), "failed": len(failed), "new": len(new), "updated": len(updated),
                      "requests": sent}
        run.message = f"search run {run_id}"
        summary = {
            "run_id": run_id,
            "as_of": run_date.isoformat(),
            "searches": results,
            "failed_searches": [{"search": name, "error": reason} for name, reason in failed.items()],
            "new_pmids": new,
            "updated_pmids": updated,
            "extracted": extracted,
            "verified": [{"review_id": v["review_id"], "claims": v["claims"], "verdicts": v["verdicts"]} for v in verified],
            "requests": requests,
            "requests_sent": sent,
            "digest_path": written["path"],
            "digest": written["text"],
            "mode": entrez.describe(),
        }
        print(f"update {run_date}: {len(new)} new, {len(updated)} updated, {len(failed)} failed searches; "
              f"digest {written['path']}")
        if failed:
            raise SearchesFailed(failed, summary)
    return summary
