"""Prefect flow: stored papers → entities and outcome metrics, a page of papers per task, through one
spaCy pipeline per process; then the studies' strategies for the evidence table."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NONE

from flows.runs import flow_parameters, run_tags, tag_flow_run
from litmus.extraction import PENDING_PAGE_SIZE, extract_and_store, extractor_version, papers_to_extract
from litmus.outcomes import refresh_evidence
from litmus.progress import progress_bar, step
from litmus.warehouse import open_warehouse


_loading: Future | None = None


def preload_pipeline() -> None:
    """Start building the spaCy pipeline in a background thread. Its imports (spaCy, scispaCy's
    linker with scikit-learn and SciPy: 2-4 s here) then overlap the ingestion stage, which mostly
    waits on DuckDB, the E-utilities and the Prefect API."""
    global _loading
    if _loading is None:
        _loading = ThreadPoolExecutor(1, thread_name_prefix="litmus-pipeline").submit(_build_pipeline)


def _build_pipeline():
    from litmus.nlp.pipeline import build_pipeline  # imported here, in the background thread

    return build_pipeline()


def pipeline():
    """The spaCy pipeline, built once per process however many pages it extracts."""
    preload_pipeline()
    if not _loading.done():
        with step("loading the spaCy/scispaCy pipeline"):
            return _loading.result()
    return _loading.result()


@task(name="extract-page", task_run_name="extract-page-{number}", cache_policy=NONE)
def extract_page(
    number: int, warehouse: Path, version: str, pmids: list[str] | None, force: bool, after: str | None,
    batch_size: int = 200, page_size: int = PENDING_PAGE_SIZE,
) -> dict:
    """Extract the next page of papers after PMID `after` that this extractor version has not done
    (all of `pmids` when forced); `last` is where the next page starts, None when none is left."""
    totals = {"papers": 0, "sentences": 0, "entities": 0, "metrics": 0}
    with open_warehouse(warehouse) as con:
        papers = papers_to_extract(con, version, pmids=pmids, force=force, after=after, limit=page_size)
        if papers:
            with progress_bar(len(papers), f"extracting page {number}", unit="papers") as advance:
                totals = extract_and_store(con, pipeline(), papers, version, batch_size=batch_size, on_batch=advance)
    more = len(papers) == page_size
    return {**totals, "pmids": [p.pmid for p in papers], "last": papers[-1].pmid if more else None}


@task(name="classify-strategies", task_run_name="classify-strategies", cache_policy=NONE)
def classify_strategies(warehouse: Path, pmids: list[str] | None = None) -> int:
    with open_warehouse(warehouse) as con:
        return refresh_evidence(con, pmids)  # strategies, then the pooled estimates grouped by them


def extract_papers(
    warehouse: Path, *, pmids: list[str] | None = None, force: bool = False, batch_size: int = 200, first_page: int = 1,
) -> dict:
    """The extraction tasks, page by page; the body of `extract_flow`, and a stage of `litmus-run`
    and `update-evidence`. Returns the totals, the extracted PMIDs and the number of pages."""
    version = extractor_version()
    totals = {"papers": 0, "sentences": 0, "entities": 0, "metrics": 0}
    extracted: list[str] = []
    number, after = first_page, None
    while True:
        page = extract_page(number, warehouse, version, pmids, force, after, batch_size)
        totals = {key: totals[key] + page[key] for key in totals}
        extracted += page["pmids"]
        if page["last"] is None:
            break
        number, after = number + 1, page["last"]
    return {**totals, "version": version, "extracted_pmids": extracted, "pages": number - first_page + 1}


def _extract_run_name() -> str:
    parameters = flow_parameters()
    chosen = parameters.get("pmids")
    return "extract-" + (f"{len(chosen)}-papers" if chosen else "pending") + ("-forced" if parameters.get("force") else "")


@flow(name="extract", flow_run_name=_extract_run_name)
def extract_flow(warehouse: str, pmids: list[str] | None = None, force: bool = False, batch_size: int = 200) -> dict:
    """Extract every stored paper not yet extracted by this extractor version (or `pmids`; with
    `force`, again), then classify the studies into the review's strategies."""
    tag_flow_run(run_tags("extract"))
    totals = extract_papers(Path(warehouse), pmids=pmids, force=force, batch_size=batch_size)
    totals["strategy_assignments"] = classify_strategies(Path(warehouse))
    return totals
