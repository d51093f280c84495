"""Idempotent loads into the warehouse: Arrow batches, one transaction per batch, keyed by natural ids."""

from __future__ import annotations

import json
import os
import socket
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterable, Sequence

import duckdb
import pyarrow as pa

from litmus.records import PubmedRecord, Resolution, Review
from litmus.warehouse.arrow import latest_per_pmid, paper_tables, rows_to_table

PAPER_CHILD_TABLES = ("abstract_sections", "authors", "publication_types", "mesh_headings", "comments_corrections")
STRINGS = pa.list_(pa.string())

REVIEW_SCHEMA = pa.schema(
    [
        ("review_id", pa.string()), ("title", pa.string()), ("doi", pa.string()), ("pmid", pa.string()),
        ("pmcid", pa.string()), ("journal", pa.string()), ("year", pa.int32()),
        ("authors", STRINGS), ("source", pa.string()),
    ]
)
CITATION_SCHEMA = pa.schema(
    [
        ("review_id", pa.string()), ("citation_key", pa.string()), ("position", pa.int32()),
        ("kind", pa.string()), ("authors", STRINGS), ("title", pa.string()), ("journal", pa.string()),
        ("year", pa.int32()), ("volume", pa.string()), ("issue", pa.string()), ("pages", pa.string()),
        ("doi", pa.string()), ("stated_pmid", pa.string()), ("pmcid", pa.string()), ("note", pa.string()),
        ("pmid", pa.string()), ("resolution_method", pa.string()),
        ("resolution_confidence", pa.float64()), ("resolution_detail", pa.string()),
        ("resolved_at", pa.timestamp("us")),
    ]
)


def insert_arrow(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table, *, replace: bool = False) -> int:
    if data.num_rows == 0:
        return 0
    verb = "INSERT OR REPLACE INTO" if replace else "INSERT INTO"
    with registered(con, f"_litmus_batch_{table}", data) as view:
        con.execute(f"{verb} {table} BY NAME SELECT * FROM {view}")
    return data.num_rows


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, data: pa.Table):
    """Expose an Arrow table to SQL under `name` for the duration of the block."""
    con.register(name, data)
    try:
        yield name
    finally:
        try:
            con.unregister(name)
        except duckdb.Error:
            pass  # an aborted transaction refuses this too; the error that aborted it is what matters


class transaction:
    """`with transaction(con):` commits on success and rolls back on any error."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con

    def __enter__(self):
        self.con.execute("BEGIN TRANSACTION")
        return self.con

    def __exit__(self, exc_type, exc, tb):
        self.con.execute("ROLLBACK" if exc_type else "COMMIT")
        return False


def upsert_review(con: duckdb.DuckDBPyConnection, review: Review) -> None:
    row = {
        "review_id": review.review_id, "title": review.title, "doi": review.doi, "pmid": review.pmid,
        "pmcid": review.pmcid, "journal": review.journal, "year": review.year,
        "authors": list(review.authors), "source": review.source,
    }
    citation_rows = [
        {
            "review_id": review.review_id, "citation_key": c.key, "position": position, "kind": c.kind,
            "authors": list(c.authors), "title": c.title, "journal": c.journal, "year": c.year,
            "volume": c.volume, "issue": c.issue, "pages": c.pages, "doi": c.doi,
            "stated_pmid": c.pmid, "pmcid": c.pmcid, "note": c.note,
        }
        for position, c in enumerate(review.citations, start=1)
    ]
    with transaction(con):
        insert_arrow(con, "reviews", rows_to_table([row], REVIEW_SCHEMA), replace=True)
        # Citations keep their resolution columns when the review is reloaded unchanged.
        existing = {
            key: rest
            for key, *rest in con.execute(
                "SELECT citation_key, pmid, resolution_method, resolution_confidence, resolution_detail,"
                " resolved_at, doi, title, year FROM citations WHERE review_id = ?",
                [review.review_id],
            ).fetchall()
        }
        for citation_row in citation_rows:
            previous = existing.get(citation_row["citation_key"])
            if previous is None:
                continue
            pmid, method, confidence, detail, resolved_at, doi, title, year = previous
            if (doi, title, year) == (citation_row["doi"], citation_row["title"], citation_row["year"]):
                citation_row.update(
                    pmid=pmid, resolution_method=method, resolution_confidence=confidence,
                    resolution_detail=detail, resolved_at=resolved_at,
                )
        con.execute("DELETE FROM citations WHERE review_id = ?", [review.review_id])
        insert_arrow(con, "citations", rows_to_table(citation_rows, CITATION_SCHEMA))


def save_resolutions(con: duckdb.DuckDBPyConnection, resolutions: Iterable[Resolution]) -> int:
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = [
        (r.pmid, r.method, r.confidence, r.detail, now, r.review_id, r.citation_key)
        for r in resolutions
    ]
    if not rows:
        return 0
    data = pa.table(
        {
            "pmid": [r[0] for r in rows], "resolution_method": [r[1] for r in rows],
            "resolution_confidence": [r[2] for r in rows], "resolution_detail": [r[3] for r in rows],
            "resolved_at": pa.array([r[4] for r in rows], pa.timestamp("us")),
            "review_id": [r[5] for r in rows], "citation_key": [r[6] for r in rows],
        }
    )
    con.register("_litmus_resolutions", data)
    try:
        with transaction(con):
            con.execute(
                "UPDATE citations SET pmid = r.pmid, resolution_method = r.resolution_method,"
                " resolution_confidence = r.resolution_confidence, resolution_detail = r.resolution_detail,"
                " resolved_at = r.resolved_at FROM _litmus_resolutions r"
                " WHERE citations.review_id = r.review_id AND citations.citation_key = r.citation_key"
            )
    finally:
        con.unregister("_litmus_resolutions")
    return len(rows)


def load_papers(con: duckdb.DuckDBPyConnection, records: Sequence[PubmedRecord], *, source: str) -> int:
    """Upsert papers and replace their child rows, all in one transaction."""
    records = latest_per_pmid(records)
    if not records:
        return 0
    tables = paper_tables(records, source)
    pmids = pa.table({"pmid": [r.pmid for r in records]})
    con.register("_litmus_pmids", pmids)
    try:
        with transaction(con):
            for child in PAPER_CHILD_TABLES:
                con.execute(f"DELETE FROM {child} WHERE pmid IN (SELECT pmid FROM _litmus_pmids)")
            insert_arrow(con, "papers", tables["papers"], replace=True)
            for child in PAPER_CHILD_TABLES:
                insert_arrow(con, child, tables[child])
    finally:
        con.unregister("_litmus_pmids")
    return len(records)


def delete_papers(con: duckdb.DuckDBPyConnection, pmids: Iterable[str]) -> int:
    pmids = sorted(set(pmids))
    if not pmids:
        return 0
    con.register("_litmus_pmids", pa.table({"pmid": pmids}))
    try:
        with transaction(con):
            dependent = PAPER_CHILD_TABLES + tuple(t for t in ("sentences", "entities", "metrics", "extractions") if _has_table(con, t))
            for table in dependent + ("papers",):
                con.execute(f"DELETE FROM {table} WHERE pmid IN (SELECT pmid FROM _litmus_pmids)")
    finally:
        con.unregister("_litmus_pmids")
    return len(pmids)


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchall()[0][0]
    )


def stored_pmids(con: duckdb.DuckDBPyConnection, pmids: Iterable[str] | None = None) -> set[str]:
    if pmids is None:
        return {row[0] for row in con.execute("SELECT pmid FROM papers").fetchall()}
    wanted = sorted(set(pmids))
    if not wanted:
        return set()
    con.register("_litmus_wanted", pa.table({"pmid": wanted}))
    try:
        rows = con.execute("SELECT p.pmid FROM papers p JOIN _litmus_wanted w USING (pmid)").fetchall()
    finally:
        con.unregister("_litmus_wanted")
    return {row[0] for row in rows}


def start_run(con: duckdb.DuckDBPyConnection, flow: str, parameters: dict) -> str:
    mark_interrupted_runs(con)
    run_id = uuid.uuid4().hex
    con.execute(
        "INSERT INTO run_log (run_id, flow, started_at, status, parameters, pid, host) VALUES (?, ?, ?, 'running', ?, ?, ?)",
        [run_id, flow, datetime.now(timezone.utc).replace(tzinfo=None), json.dumps(parameters, default=str),
         os.getpid(), socket.gethostname()],
    )
    return run_id


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mark_interrupted_runs(con: duckdb.DuckDBPyConnection) -> int:
    """Runs still 'running' whose process on this host is gone were killed: say so in the log."""
    stale = [
        run_id
        for run_id, pid in con.execute(
            "SELECT run_id, pid FROM run_log WHERE status = 'running' AND host = ? AND pid IS NOT NULL",
            [socket.gethostname()],
        ).fetchall()
        if not _process_alive(pid)
    ]
    for run_id in stale:
        con.execute(
            "UPDATE run_log SET status = 'interrupted', message = 'the process ended before the run finished'"
            " WHERE run_id = ?",
            [run_id],
        )
    return len(stale)


def finish_run(
    con: duckdb.DuckDBPyConnection, run_id: str, *, status: str, counts: dict, message: str | None = None
) -> None:
    con.execute(
        "UPDATE run_log SET finished_at = ?, status = ?, counts = ?, message = ? WHERE run_id = ?",
        [datetime.now(timezone.utc).replace(tzinfo=None), status, json.dumps(counts, default=str), message, run_id],
    )
