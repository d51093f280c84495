"""Incremental ESearch for saved searches: date windows from watermarks, slicing past the 10,000 cap.

A search's watermark is the date of its last successful run. A run on `as_of` asks PubMed about
the whole days since then: the window runs from the watermark to the day before `as_of` (a day
still in progress is left for the next run, so nothing added late in a day is missed and no day
is asked twice). Two questions per window:

- datetype=edat (added to PubMed): PMIDs the warehouse does not hold are fetched and stored;
- datetype=mdat (modified): PMIDs it already held are fetched again, to be re-extracted.

The first run of a search (or of a changed query) looks `lookback_days` back on EDAT and only
sets the MDAT watermark (there is nothing to update yet). A run whose date is not after the
watermark asks nothing: re-running a day adds nothing. ESearch lists at most 9,999 ids of a
result set, so a window whose Count is larger is cut in halves until each slice fits.
Everything a run learns (run rows, hits, watermarks) is written in one transaction after the
papers are stored, so a crash leaves the watermark where it was and the next run redoes the
window without fetching twice what it already stored.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import duckdb
import pyarrow as pa

from litmus.entrez.errors import EntrezQueryError
from litmus.ingest import fetch_and_store
from litmus.updates.searches import SavedSearch
from litmus.warehouse.connection import WarehouseBusy
from litmus.warehouse.load import insert_arrow, stored_pmids, transaction

log = logging.getLogger("litmus.updates")

ESEARCH_CAP = 9_999  # ESearch cannot page past the 10,000th id of a result set
DEFAULT_PAGE_SIZE = 1_000


class WindowTooLarge(EntrezQueryError):
    """Even a one-day window finds more than ESearch can list: the query must be narrower."""


class UpdateBusy(WarehouseBusy):
    """Another update run holds the update lock of this warehouse."""


class SearchesFailed(RuntimeError):
    """Some saved searches of a run failed; the others completed and are stored. `summary` is the
    run's summary, `failed` maps each failed search to its one-line reason."""

    def __init__(self, failed: dict[str, str], summary: dict):
        total = len(summary.get("searches", [])) + len(failed)
        reasons = "; ".join(f"{name}: {reason}" for name, reason in failed.items())
        super().__init__(
            f"{len(failed)} of {total} saved searches failed ({reasons}); the other {total - len(failed)} completed "
            "and are stored. The failed ones keep their watermark: the next `litmus update` asks their window again."
        )
        self.failed = failed
        self.summary = summary

    def __reduce__(self):  # picklable, should Prefect persist the failed state
        return type(self), (self.failed, self.summary)


# --------------------------------------------------------------------------- date windows


@dataclass(frozen=True, slots=True)
class Window:
    """Whole days from `mindate` to `maxdate`, both included (as ESearch reads them)."""

    mindate: date
    maxdate: date

    def __post_init__(self) -> None:
        if self.mindate > self.maxdate:
            raise ValueError(f"window starts {self.mindate} after it ends {self.maxdate}")

    @property
    def days(self) -> int:
        return (self.maxdate - self.mindate).days + 1

    def entrez(self) -> tuple[str, str]:
        return self.mindate.strftime("%Y/%m/%d"), self.maxdate.strftime("%Y/%m/%d")

    def halves(self) -> tuple["Window", "Window"] | None:
        if self.days < 2:
            return None
        middle = self.mindate + timedelta(days=(self.days - 1) // 2)
        return Window(self.mindate, middle), Window(middle + timedelta(days=1), self.maxdate)

    def __str__(self) -> str:
        return f"{self.mindate}..{self.maxdate}"


@dataclass(frozen=True)
class Slice:
    window: Window
    count: int


@dataclass
class Collected:
    """Every id of a window, in PubMed's order, and the slices asked to get them."""

    ids: list[str] = field(default_factory=list)
    slices: list[Slice] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    history: list[tuple[str, str]] = field(default_factory=list)  # (WebEnv, query_key) per slice

    @property
    def count(self) -> int:
        return sum(s.count for s in self.slices)


def collect_ids(
    client,
    term: str,
    window: Window,
    *,
    datetype: str = "edat",
    page_size: int = DEFAULT_PAGE_SIZE,
    cap: int = ESEARCH_CAP,
) -> Collected:
    """All PMIDs `term` finds in `window`, slicing the window while its Count exceeds `cap`.

    The first page of each slice keeps the result set on the history server (usehistory=y);
    further pages ask the same search with retstart/retmax.
    """
    collected = Collected()
    _collect(client, term, window, datetype, page_size, cap, collected)
    collected.ids = list(dict.fromkeys(collected.ids))
    return collected


def _collect(client, term, window, datetype, page_size, cap, collected: Collected) -> None:
    mindate, maxdate = window.entrez()

    def page(retstart: int):
        return client.esearch(
            term, retmax=page_size, retstart=retstart, usehistory=True,
            datetype=datetype, mindate=mindate, maxdate=maxdate,
        )

    first = page(0)
    if first.count > cap:
        halves = window.halves()
        if halves is None:
            raise WindowTooLarge(
                f"{first.count:,} PubMed records carry the {datetype} date {window.mindate} for {term!r}: "
                f"more than ESearch lists ({cap:,}). Narrow the saved search (add filters)."
            )
        log.info("ESearch window %s has %d results (> %d): slicing", window, first.count, cap)
        for half in halves:
            _collect(client, term, half, datetype, page_size, cap, collected)
        return
    collected.slices.append(Slice(window, first.count))
    collected.warnings.extend(first.errors + first.warnings)
    if first.webenv:
        collected.history.append((first.webenv, first.query_key or ""))
    collected.ids.extend(first.ids)
    retstart = len(first.ids)
    while retstart < first.count:
        result = page(retstart)
        if not result.ids:  # PubMed's Count shrank between pages
            break
        collected.ids.extend(result.ids)
        retstart += len(result.ids)


# --------------------------------------------------------------------------- watermarks


def read_watermark(con: duckdb.DuckDBPyConnection, search: SavedSearch, datetype: str) -> date | None:
    """The date of the last run of this search and datetype (its next window starts there);
    None when it never ran or its term changed since."""
    rows = con.execute(
        "SELECT watermark, term FROM search_watermarks WHERE search_name = ? AND datetype = ?",
        [search.name, datetype],
    ).fetchall()
    if not rows or rows[0][1] != search.term:
        return None
    return rows[0][0]


def watermarks(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], date]:
    rows = con.execute("SELECT search_name, datetype, watermark FROM search_watermarks").fetchall()
    return {(name, datetype): mark for name, datetype, mark in rows}


# --------------------------------------------------------------------------- one search, one run


@dataclass
class WindowRun:
    datetype: str
    status: str  # searched | up_to_date | baseline
    window: Window | None = None
    collected: Collected = field(default_factory=Collected)


@dataclass
class SearchOutcome:
    search: str
    as_of: date
    run_id: str
    added: WindowRun
    modified: WindowRun
    new_pmids: list[str] = field(default_factory=list)  # fetched and stored: new to the warehouse
    updated_pmids: list[str] = field(default_factory=list)  # re-fetched: modified upstream
    missing: list[str] = field(default_factory=list)  # found but not returned by EFetch
    requests: list[str] = field(default_factory=list)  # requests made, canonical form (when the transport keeps them)
    requests_sent: int = 0  # every attempt sent, retries included (live transports keep no log)

    @property
    def found(self) -> list[str]:
        return self.added.collected.ids

    def summary(self) -> dict:
        return {
            "search": self.search, "as_of": str(self.as_of), "status": self.added.status,
            "window": str(self.added.window) if self.added.window else None,
            "count": self.added.collected.count, "slices": len(self.added.collected.slices),
            "found": len(self.found), "new": list(self.new_pmids), "updated": list(self.updated_pmids),
            "missing": list(self.missing), "requests": self.requests_sent,
        }


def update_search(
    con: duckdb.DuckDBPyConnection,
    client,
    search: SavedSearch,
    as_of: date,
    *,
    run_id: str,
    source: str = "replay",
    page_size: int = DEFAULT_PAGE_SIZE,
) -> SearchOutcome:
    """Run one saved search for the window ending `as_of`; store what is new, refresh what changed."""
    sent_before = len(getattr(client.transport, "requests", []))
    attempts_before = client.requests_sent
    added = _window_run(con, client, search, "edat", as_of, page_size)
    modified = _window_run(con, client, search, "mdat", as_of, page_size)
    outcome = SearchOutcome(search.name, as_of, run_id, added, modified)

    # Decide from what the warehouse held before this search fetched anything.
    stored_before = stored_pmids(con, added.collected.ids + modified.collected.ids)
    earlier_in_run = _handled_in_run(con, run_id)
    new = [p for p in added.collected.ids if p not in stored_before]
    updated = [p for p in modified.collected.ids if p in stored_before and p not in earlier_in_run]
    fetched = fetch_and_store(con, client, new, source=source)
    outcome.new_pmids = [p for p in new if p not in set(fetched.missing)]
    outcome.missing = list(fetched.missing)
    if updated:
        refreshed = fetch_and_store(con, client, updated, source=source, refresh=True)
        outcome.updated_pmids = [p for p in updated if p not in set(refreshed.missing)]
        outcome.missing += refreshed.missing
    requests = getattr(client.transport, "requests", [])
    outcome.requests = [r.canonical for r in requests[sent_before:]]
    outcome.requests_sent = client.requests_sent - attempts_before
    _record(con, search, outcome, came_in_earlier=earlier_in_run)
    return outcome


def _window_run(con, client, search: SavedSearch, datetype: str, as_of: date, page_size: int) -> WindowRun:
    mark = read_watermark(con, search, datetype)
    if mark is not None and mark >= as_of:
        return WindowRun(datetype, "up_to_date")
    if mark is None and datetype == "mdat":
        return WindowRun(datetype, "baseline")  # nothing of this search stored yet to update
    start = mark if mark is not None else as_of - timedelta(days=search.lookback_days)
    window = Window(start, as_of - timedelta(days=1))  # whole days only: as_of is still running
    collected = collect_ids(client, search.term, window, datetype=datetype, page_size=page_size)
    return WindowRun(datetype, "searched", window, collected)


def _handled_in_run(con, run_id: str) -> set[str]:
    """PMIDs an earlier search of the same run already fetched (new or refreshed)."""
    rows = con.execute(
        "SELECT DISTINCT unnest(list_concat(new_pmids, updated_pmids)) FROM search_runs WHERE run_id = ?",
        [run_id],
    ).fetchall()
    return {row[0] for row in rows}


RUN_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("search_name", pa.string()), ("datetype", pa.string()), ("as_of", pa.date32()),
    ("mindate", pa.date32()), ("maxdate", pa.date32()), ("status", pa.string()), ("result_count", pa.int32()),
    ("slices", pa.int32()), ("found_pmids", pa.list_(pa.string())), ("new_pmids", pa.list_(pa.string())),
    ("updated_pmids", pa.list_(pa.string())), ("warnings", pa.list_(pa.string())),
])


def _record(con, search: SavedSearch, outcome: SearchOutcome, *, came_in_earlier: set[str]) -> None:
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = []
    for run, new, updated in (
        (outcome.added, outcome.new_pmids, []),
        (outcome.modified, [], outcome.updated_pmids),
    ):
        rows.append({
            "run_id": outcome.run_id, "search_name": search.name, "datetype": run.datetype, "as_of": outcome.as_of,
            "mindate": run.window.mindate if run.window else None, "maxdate": run.window.maxdate if run.window else None,
            "status": run.status, "result_count": run.collected.count, "slices": len(run.collected.slices),
            "found_pmids": run.collected.ids, "new_pmids": new, "updated_pmids": updated,
            "warnings": run.collected.warnings + [f"not returned by EFetch: {p}" for p in outcome.missing if p in run.collected.ids],
        })
    runs = pa.table({name: [row[name] for row in rows] for name in RUN_SCHEMA.names}, schema=RUN_SCHEMA)
    new = set(outcome.new_pmids)
    stored_found = stored_pmids(con, outcome.found)
    hits = [p for p in outcome.found if p in stored_found]
    hit_table = pa.table({
        "pmid": hits, "search_name": [search.name] * len(hits),
        "first_seen": pa.array([outcome.as_of] * len(hits), pa.date32()),
        "run_id": [outcome.run_id] * len(hits),
        "new_to_warehouse": [p in new or p in came_in_earlier for p in hits],
    })
    with transaction(con):
        con.execute(
            "INSERT OR REPLACE INTO saved_searches (search_name, query, term, description, source_file, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [search.name, search.query, search.term, search.description, search.source_file, now],
        )
        insert_arrow(con, "search_runs", runs, replace=True)
        if hits:
            con.register("_litmus_hits", hit_table)
            try:  # the first run that found a paper keeps it
                con.execute(
                    "INSERT INTO search_hits BY NAME SELECT * FROM _litmus_hits ON CONFLICT DO NOTHING"
                )
            finally:
                con.unregister("_litmus_hits")
        for run in (outcome.added, outcome.modified):
            if run.status != "up_to_date":
                con.execute(
                    "INSERT OR REPLACE INTO search_watermarks (search_name, datetype, watermark, term, updated_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [search.name, run.datetype, outcome.as_of, search.term, now],
                )


# --------------------------------------------------------------------------- one run at a time


def lock_path(warehouse: Path | str) -> Path:
    warehouse = Path(warehouse)
    return warehouse.with_name(warehouse.name + ".update.lock")


@contextmanager
def update_lock(warehouse: Path | str, *, wait_seconds: float = 0.0, poll_seconds: float = 0.2) -> Iterator[Path]:
    """Hold the update lock of a warehouse for a whole run (all its tasks, across processes).

    A second run waits up to `wait_seconds` for the first to finish, then raises `UpdateBusy`.
    The lock is an OS file lock: it is released when the holder exits, even when it crashes.
    """
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise UpdateBusy(
                        f"an update of {warehouse} is already running ({holder}); waited {wait_seconds:.0f} s. "
                        "Nothing was written: let it finish (it covers the same days), or pass --wait SECONDS."
                    ) from None
                time.sleep(poll_seconds)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now().isoformat(timespec='seconds')}\n")
        handle.flush()
        yield path
    finally:
        handle.close()  # closing releases the lock


def found_by_searches(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every PMID a saved search has found and the warehouse stored; those never extracted (say, by a
    run with --no-extract) are extracted by the next run that extracts."""
    return [row[0] for row in con.execute("SELECT DISTINCT pmid FROM search_hits ORDER BY pmid").fetchall()]
