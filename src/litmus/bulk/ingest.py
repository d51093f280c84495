"""Bulk PubMed files (baseline and update `.xml`/`.xml.gz`) into the warehouse, in bounded memory.

A file is streamed record by record (`iter_pubmed_xml` clears each element after use), records are
loaded in Arrow batches of `batch_size`, one transaction each, and the file's `bulk_files` row is
checkpointed after every batch. So memory depends on the batch size, not the file size, and an
interrupted file resumes after its last committed batch (re-loading a batch is harmless: loads
are upserts keyed by PMID).

PubMed's update rules, as applied here:
- files are applied in name order (pubmed25n0001 … n1274 baseline, then the daily updates);
- a later occurrence of a PMID replaces the stored record, unless it has a lower `<PMID Version>`
  than the stored one (versioned records are distinct revisions; an older one never wins);
- `<DeleteCitation>` removes the paper and everything extracted from it, in file order.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterable

import duckdb
import pyarrow as pa

from litmus.bulk import ledger
from litmus.bulk.query import RecordQuery
from litmus.pubmed import PubmedParseError, iter_pubmed_xml
from litmus.records import DeletedCitation, PubmedRecord
from litmus.warehouse.connection import bounded_memory, memory_limit
from litmus.warehouse.load import delete_papers, load_papers

BULK_SUFFIXES = (".xml", ".xml.gz")

# DuckDB's memory cap while loading. With DuckDB's own (80% of RAM) its cache of table blocks keeps
# what a long load writes, and the writer grows with the warehouse (eight 30k-record files: 339 ->
# 735 MB); capped it stayed at 318-366 MB, as fast. 64MB also carried a 60k-record file with
# extraction, 32MB did not: 128MB leaves a 2x margin (docs/scaling.md, bench/run_benchmarks.py --cap-margin).
DEFAULT_MEMORY_LIMIT = "128MB"
DEFAULT_BATCH_SIZE = 2_000
PROGRESS_EVERY = 500  # records between progress callbacks: smooth bars, negligible cost

# on_progress(file name, compressed bytes read, file size, records read so far)
ProgressCallback = Callable[[str, int, int, int], None]
# on_batch(file name, items committed so far): called after each committed batch
BatchCallback = Callable[[str, int], None]


class BulkInputError(ValueError):
    """A path given to `ingest-files` that does not exist or holds no PubMed files."""


@dataclass
class FileOutcome:
    name: str
    path: str
    status: str  # completed | skipped | failed (interrupted files raise KeyboardInterrupt)
    records: int = 0  # records read (this run and, when resumed, before)
    kept: int = 0
    deletions: int = 0
    seconds: float = 0.0
    resumed_from: int = 0  # items skipped because an earlier run had committed them
    message: str | None = None


@dataclass
class IngestSummary:
    files: list[FileOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "failed"]

    def totals(self) -> dict[str, int]:
        return {
            "files": len(self.files),
            "completed": sum(f.status == "completed" for f in self.files),
            "skipped": sum(f.status == "skipped" for f in self.files),
            "failed": len(self.failed),
            "records": sum(f.records for f in self.files if f.status != "skipped"),
            "kept": sum(f.kept for f in self.files if f.status != "skipped"),
            "deletions": sum(f.deletions for f in self.files if f.status != "skipped"),
        }


def bulk_memory_limit(requested: str | None = None) -> str:
    """The cap for a bulk run: the one asked for, else LITMUS_DUCKDB_MEMORY, else the default."""
    return requested or memory_limit(DEFAULT_MEMORY_LIMIT)


# --------------------------------------------------------------------------- finding files


def is_bulk_file(path: Path) -> bool:
    return path.is_file() and path.name.endswith(BULK_SUFFIXES)


def _refuse_unless_regular(path: Path) -> None:
    """A FIFO, socket or device (or a link to one) never ends or is not a file: refuse it by name."""
    if path.exists() and not path.is_file() and not path.is_dir():
        raise BulkInputError(
            f"{path} is not a regular file (a FIFO, socket or device): give PubMed .xml or .xml.gz files, "
            "or folders holding them"
        )


def discover_files(paths: Iterable[Path | str]) -> list[Path]:
    """The PubMed files named or held (recursively) by `paths`, in the order PubMed applies them.

    NLM numbers baseline and update files so that name order is application order; sorting by
    name also makes a re-run see the same sequence however the paths were typed.
    """
    found: dict[str, Path] = {}
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            raise BulkInputError(f"{path} does not exist: give PubMed .xml or .xml.gz files, or folders holding them")
        _refuse_unless_regular(path)
        if path.is_dir():
            for candidate in path.rglob("*"):
                if candidate.name.endswith(BULK_SUFFIXES):
                    _refuse_unless_regular(candidate)
            inside = [p for p in path.rglob("*") if is_bulk_file(p)]
            if not inside:
                raise BulkInputError(f"{path} holds no .xml or .xml.gz files")
            for file in inside:
                found[str(file.resolve())] = file
        elif path.is_file():
            if not path.name.endswith(BULK_SUFFIXES):
                raise BulkInputError(f"{path} is not a .xml or .xml.gz file")
            found[str(path.resolve())] = path
    return sorted(found.values(), key=lambda p: (p.name, str(p)))


# --------------------------------------------------------------------------- one file


class _CountingReader:
    """A binary file that counts the bytes handed out, for a progress bar on compressed input."""

    def __init__(self, raw: BinaryIO):
        self.raw, self.bytes_read, self.name = raw, 0, getattr(raw, "name", "<stream>")

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.bytes_read += len(data)
        return data


EXTRACTION_TABLES = ("sentences", "entities", "metrics", "extractions")


def prepare_batch(con: duckdb.DuckDBPyConnection, records: list[PubmedRecord]) -> list[PubmedRecord]:
    """Settle a batch against what is stored, before it is loaded.

    - A record whose version is lower than the stored one is left out (an older revision never wins).
    - A paper whose title or abstract changes loses its extraction rows, so offsets never point into
      text that is gone and the next extraction picks it up again (`papers_to_extract`).
    """
    if not records:
        return records
    con.register("_litmus_batch_pmids", pa.table({"pmid": [r.pmid for r in records]}))
    try:
        stored = {
            pmid: (version, title, abstract)
            for pmid, version, title, abstract in con.execute(
                "SELECT p.pmid, p.version, p.title, p.abstract FROM papers p JOIN _litmus_batch_pmids b USING (pmid)"
            ).fetchall()
        }
    finally:
        con.unregister("_litmus_batch_pmids")
    if not stored:
        return records
    kept = [r for r in records if r.version >= stored.get(r.pmid, (0,))[0]]
    changed = sorted(
        {r.pmid for r in kept if r.pmid in stored and stored[r.pmid][1:] != (r.title, r.abstract or None)}
    )
    if changed:
        con.register("_litmus_changed", pa.table({"pmid": changed}))
        try:
            for table in EXTRACTION_TABLES:
                con.execute(f"DELETE FROM {table} WHERE pmid IN (SELECT pmid FROM _litmus_changed)")
        finally:
            con.unregister("_litmus_changed")
    return kept


def ingest_file(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    *,
    keep: RecordQuery | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    force: bool = False,
    on_progress: ProgressCallback | None = None,
    on_batch: BatchCallback | None = None,
) -> FileOutcome:
    """Ingest one bulk file; a parse error marks it failed (what was committed before stays)."""
    path = Path(path)
    started = time.perf_counter()
    identity = ledger.identify(path)
    filter_text = keep.text if keep else ""
    previous = ledger.entry(con, identity.name)
    same_input = previous is not None and previous.sha256 == identity.sha256 and previous.filter == filter_text
    if same_input and previous.status == "completed" and not force:
        return FileOutcome(identity.name, identity.path, "skipped", previous.records, previous.kept, previous.deletions)
    resume = previous if same_input and previous.status != "completed" and not force else None
    crash_point = _crash_point(con, identity, resume)
    if isinstance(crash_point, FileOutcome):
        return crash_point
    ledger.start(con, identity, filter_text, resume_from=resume, crash_point=crash_point)

    skip = resume.items_done if resume else 0
    counts = {
        "items_done": skip,
        "records": resume.records if resume else 0,
        "kept": resume.kept if resume else 0,
        "deletions": resume.deletions if resume else 0,
    }
    pending_records: list[PubmedRecord] = []
    pending_deletions: list[str] = []
    pending_items = 0
    source = f"bulk:{identity.name}"

    def commit() -> None:
        nonlocal pending_items
        if pending_records:
            counts["kept"] += load_papers(con, prepare_batch(con, pending_records), source=source)
            pending_records.clear()
        if pending_deletions:
            counts["deletions"] += delete_papers(con, pending_deletions)
            pending_deletions.clear()
        counts["items_done"] += pending_items
        pending_items = 0
        ledger.checkpoint(con, identity.name, **counts)
        if on_batch:
            on_batch(identity.name, counts["items_done"])

    try:
        with path.open("rb") as raw:
            reader = _CountingReader(raw)
            for position, item in enumerate(iter_pubmed_xml(reader)):
                if position < skip:
                    continue
                pending_items += 1
                if isinstance(item, DeletedCitation):
                    if pending_records:  # keep file order: a deletion follows the records before it
                        pending_items -= 1
                        commit()
                        pending_items = 1
                    pending_deletions.append(item.pmid)
                    continue
                if pending_deletions:
                    pending_items -= 1
                    commit()
                    pending_items = 1
                counts["records"] += 1
                if keep is None or keep(item):
                    pending_records.append(item)
                if pending_items >= batch_size:
                    commit()
                if on_progress and counts["records"] % PROGRESS_EVERY == 0:
                    on_progress(identity.name, reader.bytes_read, identity.size_bytes, counts["records"])
            commit()
    except (PubmedParseError, OSError) as error:
        commit()  # what was read before the fault is sound: keep it, and the resume point with it
        seconds = time.perf_counter() - started
        ledger.finish(con, identity.name, status="failed", seconds=seconds, message=str(error))
        return FileOutcome(identity.name, identity.path, "failed", counts["records"], counts["kept"],
                           counts["deletions"], seconds, skip, str(error))
    except KeyboardInterrupt:
        # Not a crash: the next run resumes after the last committed batch without counting it as one.
        with contextlib.suppress(duckdb.Error):
            ledger.finish(con, identity.name, status="interrupted", seconds=time.perf_counter() - started,
                          message="interrupted (Ctrl-C); the next run resumes it")
        raise
    if on_progress:
        on_progress(identity.name, identity.size_bytes, identity.size_bytes, counts["records"])
    seconds = time.perf_counter() - started
    ledger.finish(con, identity.name, status="completed", seconds=seconds)
    return FileOutcome(identity.name, identity.path, "completed", counts["records"], counts["kept"],
                       counts["deletions"], seconds, skip)


def _crash_point(con: duckdb.DuckDBPyConnection, identity: ledger.FileIdentity, resume: ledger.LedgerEntry | None):
    """Where an earlier attempt at this file died, or the failed outcome of a file that killed the process twice.

    A row left 'running' means the process died inside the file (a crash, the OOM killer, kill -9). The first
    time the run resumes after the last committed batch; if it dies again at that same point, the file is
    marked failed and skipped until --force, so one poisonous record cannot crash every later run.
    """
    if resume is None:
        return None
    if resume.status == "failed" and resume.crash_point is not None:
        return FileOutcome(identity.name, identity.path, "failed", resume.records, resume.kept, resume.deletions,
                           message=_died_twice(resume.crash_point))
    if not resume.died_mid_file:
        return resume.crash_point
    if resume.crash_point == resume.items_done:
        message = _died_twice(resume.items_done)
        ledger.finish(con, identity.name, status="failed", seconds=0.0, message=message)
        return FileOutcome(identity.name, identity.path, "failed", resume.records, resume.kept, resume.deletions,
                           message=message)
    return resume.items_done


def _died_twice(items_done: int) -> str:
    return (
        f"the process died twice while reading this file after item {items_done:,} (a record that crashes the "
        "parser or exhausts memory); it is skipped from now on: check or re-download the file, then run with "
        "--force to try it again"
    )


def ingest_files(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[Path | str],
    *,
    keep: RecordQuery | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    force: bool = False,
    on_progress: ProgressCallback | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    memory: str | None = None,
) -> IngestSummary:
    """Ingest every file in PubMed order; a failed file is recorded and the others still run.
    DuckDB works under the bulk memory cap (`bulk_memory_limit(memory)`)."""
    summary = IngestSummary()
    files = discover_files(paths)
    with bounded_memory(con, bulk_memory_limit(memory)):
        for path in files:
            outcome = ingest_file(con, path, keep=keep, batch_size=batch_size, force=force, on_progress=on_progress)
            summary.files.append(outcome)
            if on_file:
                on_file(outcome)
    return summary
