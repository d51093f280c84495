"""Prefect flow: PubMed bulk files into the warehouse, extraction on local cores or a Dask cluster.

Orchestration only. The warehouse has one writer, so every task that touches it is called directly
(it runs in the flow's process); only `extract-papers` is mapped, so only it goes to the task
runner. With `dask_address` that runner is prefect-dask's `DaskTaskRunner` on an existing cluster:
each task takes a chunk of papers (~200, several seconds of work, against ~0.1 s of per-task
overhead), builds the pipeline once per worker process and returns plain rows, which the flow
stores. Without it, extraction runs in local worker processes (`litmus.bulk.parallel`).
Papers waiting for extraction are read a page at a time, and DuckDB works under the bulk memory
cap (`litmus.bulk.run.bulk_memory_limit`), as in the local path.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import asdict

from prefect import flow, task
from prefect.cache_policies import NONE

from litmus.bulk import bulk_memory_limit, compile_query, discover_files, ingest_file
from litmus.bulk.parallel import DEFAULT_CHUNK_SIZE, ExtractionPool, add_totals, chunked, extract_chunk, extract_pending
from litmus.extraction import PENDING_PAGE_SIZE, PaperExtraction, PaperText, papers_to_extract, store_extractions
from litmus.warehouse import bounded_memory, open_warehouse

@contextmanager
def bulk_writer(warehouse: str, memory: str | None):
    with open_warehouse(warehouse) as con, bounded_memory(con, bulk_memory_limit(memory)):
        yield con


@task(name="ingest-bulk-file", cache_policy=NONE)
def ingest_bulk_file(
    path: str, warehouse: str, keep: str | None, batch_size: int, force: bool, memory: str | None = None
) -> dict:
    query = compile_query(keep) if keep else None
    with bulk_writer(warehouse, memory) as con:
        return asdict(ingest_file(con, path, keep=query, batch_size=batch_size, force=force))


@task(name="pending-papers", cache_policy=NONE)
def pending_papers_page(warehouse: str, version: str, after: str | None, memory: str | None = None) -> list[PaperText]:
    """The next page of papers waiting for extraction, after PMID `after`."""
    with bulk_writer(warehouse, memory) as con:
        return papers_to_extract(con, version, after=after, limit=PENDING_PAGE_SIZE)


@task(name="extract-papers", cache_policy=NONE, retries=1)
def extract_papers_task(papers: list[PaperText], version: str) -> list[PaperExtraction]:
    return extract_chunk(papers, version)


@task(name="store-extractions", cache_policy=NONE)
def store_extraction_rows(warehouse: str, rows: list[PaperExtraction], version: str, memory: str | None = None) -> int:
    with bulk_writer(warehouse, memory) as con:
        return store_extractions(con, rows, version)


@task(name="extract-locally", cache_policy=NONE)
def extract_locally(warehouse: str, version: str, workers: int, chunk_size: int, memory: str | None = None) -> dict:
    """Every paper waiting for extraction, page by page, on one pool of local worker processes."""
    with ExtractionPool(workers, chunk_size=chunk_size) as pool, bulk_writer(warehouse, memory) as con:
        return extract_pending(con, pool, version)


@flow(name="bulk-ingest", log_prints=True)
def bulk_ingest_flow(
    paths: list[str],
    warehouse: str | None = None,
    keep: str | None = None,
    extract: bool = False,
    batch_size: int = 2000,
    force: bool = False,
    workers: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    on_cluster: bool = False,
    version: str | None = None,
    memory: str | None = None,
) -> dict:
    """Ingest `paths` file by file; with `extract`, extract each file's papers before the next file."""
    from litmus.paths import default_warehouse_path

    warehouse = warehouse or str(default_warehouse_path())
    if keep:
        compile_query(keep)  # a bad query fails here, before any file is touched
    if extract and version is None:
        from litmus.extraction import extractor_version

        version = extractor_version()
    files, extracted = [], {"papers": 0, "sentences": 0, "entities": 0, "metrics": 0}
    for path in discover_files(paths):
        outcome = ingest_bulk_file(str(path), warehouse, keep, batch_size, force, memory)
        files.append(outcome)
        print(f"{outcome['name']}: {outcome['status']}, {outcome['records']} records, {outcome['kept']} stored")
        if not extract:
            continue
        if not on_cluster:
            for key, value in extract_locally(warehouse, version, workers, chunk_size, memory).items():
                extracted[key] += value
            continue
        after = None
        while papers := pending_papers_page(warehouse, version, after, memory):
            after = papers[-1].pmid
            futures = extract_papers_task.map(chunked(papers, chunk_size), version)
            for future in futures:  # in input order; the flow is the only writer
                rows = future.result()
                store_extraction_rows(warehouse, rows, version, memory)
                add_totals(extracted, rows)
    totals = {
        "files": len(files),
        "completed": sum(f["status"] == "completed" for f in files),
        "skipped": sum(f["status"] == "skipped" for f in files),
        "failed": sum(f["status"] == "failed" for f in files),
        **{k: sum(f[k] for f in files if f["status"] != "skipped") for k in ("records", "kept", "deletions")},
    }
    return {"warehouse": warehouse, "totals": totals, "files": files, "extracted": extracted}


def run_bulk_flow(paths: list[str], *, dask_address: str | None = None, **parameters) -> dict:
    """Run `bulk_ingest_flow` with extraction tasks on the Dask cluster at `dask_address`, if given."""
    if not dask_address:
        return bulk_ingest_flow(paths=paths, **parameters)
    from prefect_dask import DaskTaskRunner

    on_dask = bulk_ingest_flow.with_options(task_runner=DaskTaskRunner(address=dask_address))
    return on_dask(paths=paths, on_cluster=True, **parameters)
