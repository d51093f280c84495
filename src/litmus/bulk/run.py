"""Ingest bulk files and, optionally, extract each file's papers right after it is loaded.

Extraction follows each file (not the whole set) so the papers waiting for extraction are never
more than one file's worth, and they are read a page at a time.

DuckDB runs under a memory cap while loading (`litmus.bulk.ingest.bulk_memory_limit`); why, and
what was measured, is in docs/scaling.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import duckdb

from litmus.bulk.ingest import (
    DEFAULT_BATCH_SIZE,
    FileOutcome,
    IngestSummary,
    ProgressCallback,
    bulk_memory_limit,
    discover_files,
    ingest_file,
)
from litmus.bulk.parallel import DEFAULT_CHUNK_SIZE, ExtractionPool, extract_pending
from litmus.bulk.query import RecordQuery
from litmus.extraction import count_papers_to_extract
from litmus.warehouse.connection import bounded_memory


@dataclass
class BulkRunSummary(IngestSummary):
    extracted: dict[str, int] = field(default_factory=lambda: {"papers": 0, "sentences": 0, "entities": 0, "metrics": 0})


def ingest_and_extract(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[Path | str],
    *,
    keep: RecordQuery | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    force: bool = False,
    extract: bool = False,
    version: str | None = None,
    workers: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    on_progress: ProgressCallback | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    on_extract_start: Callable[[str, int], None] | None = None,
    on_extracted: Callable[[int], None] | None = None,
    memory: str | None = None,
) -> BulkRunSummary:
    """`ingest_files`, then (with `extract`) every paper not yet extracted at `version`, file by file,
    with DuckDB capped at `memory` (see `bulk_memory_limit`)."""
    files = discover_files(paths)  # fails on a missing path before anything is written
    if extract and version is None:
        from litmus.extraction import extractor_version

        version = extractor_version()
    summary = BulkRunSummary()
    with (
        bounded_memory(con, bulk_memory_limit(memory)),
        ExtractionPool(workers if extract else 1, chunk_size=chunk_size) as pool,
    ):
        for path in files:
            outcome = ingest_file(con, path, keep=keep, batch_size=batch_size, force=force, on_progress=on_progress)
            summary.files.append(outcome)
            if on_file:
                on_file(outcome)
            if not extract:
                continue
            # Everything pending, not just this file: a paper left by an interrupted run is caught up too.
            if on_extract_start:
                on_extract_start(outcome.name, count_papers_to_extract(con, version))
            for key, value in extract_pending(con, pool, version, on_chunk=on_extracted).items():
                summary.extracted[key] += value
    return summary


def summary_dict(summary: IngestSummary, warehouse: Path | str) -> dict:
    """The run as plain data: what the CLI prints, `--json` emits and the flow returns."""
    from dataclasses import asdict

    return {
        "warehouse": str(warehouse),
        "totals": summary.totals(),
        "files": [asdict(f) for f in summary.files],
        "extracted": dict(getattr(summary, "extracted", {}) or {}),
    }
