"""Opening the DuckDB warehouse: migrations on write, waiting politely for another writer's lock."""

from __future__ import annotations

import os
import re
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from litmus.paths import sql_dir

MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class WarehouseError(RuntimeError):
    """A warehouse problem a person can act on."""


class WarehouseBusy(WarehouseError):
    pass


class WarehouseDamaged(WarehouseError):
    """The file is not a readable DuckDB database (truncated, overwritten, a bad block)."""


# How DuckDB says a file is damaged; other IO errors (a lock, a full disk, permissions) are not damage.
DAMAGE_SIGNS = ("Corrupt database file", "not a valid DuckDB database file", "Could not read enough bytes", "checksum")


def is_damage(error: BaseException) -> bool:
    return isinstance(error, duckdb.Error) and any(sign in str(error) for sign in DAMAGE_SIGNS)


def damaged(path: Path | str, error: BaseException, *, opened: bool) -> WarehouseDamaged:
    """One line naming the file, what DuckDB found, and what to do."""
    if opened:
        advice = ("`litmus export DIR` saves every table that is still readable; then restore the file from a backup, "
                  "or move it aside and run `litmus run` to build a new one")
    else:
        advice = "restore it from a backup, or move it aside and run `litmus run` (or `litmus ingest`) to build a new one"
    return WarehouseDamaged(f"warehouse {path} is damaged ({_first_line(error)}): {advice}")


def _is_lock_conflict(error: Exception) -> bool:
    text = str(error)
    return "Could not set lock" in text or "Conflicting lock" in text


def connect(
    path: Path | str,
    *,
    read_only: bool = False,
    wait_seconds: float | None = None,
    poll_seconds: float = 0.25,
    migrate: bool = True,
    external_access: bool = True,
    memory: str | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; a writer applies pending migrations and refreshes the views.

    DuckDB allows one writing process per file, so a second run waits for the lock up to
    `wait_seconds` and then says which file is busy instead of failing half-way. `memory` caps
    DuckDB's memory (else LITMUS_DUCKDB_MEMORY, else DuckDB's own 80% of RAM).
    """
    path = Path(path)
    if wait_seconds is None:
        wait_seconds = default_wait_seconds()
    if read_only and not path.exists():
        raise WarehouseError(f"no warehouse at {path}: run `litmus run` (or `litmus ingest`) first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            limit = memory or memory_limit()
            config = {"memory_limit": checked_memory_size(limit, "LITMUS_DUCKDB_MEMORY")} if limit else {}
            if not external_access:
                config["enable_external_access"] = False
            con = duckdb.connect(str(path), read_only=read_only, config=config)
            break
        except duckdb.Error as error:
            if is_damage(error):
                raise damaged(path, error, opened=False) from error
            if not isinstance(error, duckdb.IOException) or not _is_lock_conflict(error):
                raise WarehouseError(f"cannot open warehouse {path}: {_first_line(error)}") from error
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"warehouse {path} is locked by another litmus process (a run in progress?); "
                    f"waited {wait_seconds:g} s. Try again when it finishes, or wait longer with --wait SECONDS "
                    "(LITMUS_WAREHOUSE_WAIT)."
                ) from error
            time.sleep(poll_seconds)
    if not read_only and migrate:
        try:
            apply_migrations(con)
            apply_views(con)
        except (duckdb.Error, WarehouseError) as error:
            con.close()
            cause = error if isinstance(error, duckdb.Error) else error.__cause__
            if cause is not None and is_damage(cause):
                raise damaged(path, cause, opened=True) from error
            raise
    return con


class WarehouseMemoryError(WarehouseError):
    """DuckDB needed more memory than the cap litmus gave it."""


def memory_limit(default: str | None = None) -> str | None:
    """DuckDB's memory cap: LITMUS_DUCKDB_MEMORY (e.g. "1GB") when set, else `default`
    (None keeps DuckDB's own, 80% of RAM)."""
    return os.environ.get("LITMUS_DUCKDB_MEMORY") or default


def current_memory_limit(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]


@contextmanager
def bounded_memory(con: duckdb.DuckDBPyConnection, limit: str | None) -> Iterator[None]:
    """Run a long write under a DuckDB memory cap, restoring the previous cap afterwards.

    With DuckDB's default cap (80% of RAM) its cache of table blocks grows with everything a long
    bulk load writes, so the process grows with the input although nothing needs that memory.
    A cap makes DuckDB evict cached blocks (and spill, when an operator needs more) instead. If a
    statement cannot fit at all, the error says which cap to raise; the transaction it was in is
    rolled back, so nothing half-written is left behind.
    """
    if not limit:
        yield
        return
    previous = current_memory_limit(con)
    try:
        con.execute(f"SET memory_limit = '{checked_memory_size(limit)}'")
    except duckdb.OutOfMemoryException as error:
        raise WarehouseMemoryError(
            f"the memory cap {limit} is below what DuckDB already holds for this warehouse; give a larger one"
            f" with --memory or LITMUS_DUCKDB_MEMORY (e.g. 512MB). ({_first_line(error)})"
        ) from error
    except duckdb.Error as error:
        raise WarehouseError(f"the memory cap {limit!r} is not a size DuckDB accepts (e.g. 256MB, 2GB): {_first_line(error)}") from error
    try:
        yield
    except duckdb.OutOfMemoryException as error:
        raise WarehouseMemoryError(
            f"DuckDB needed more than its memory cap of {limit}: raise it with --memory or LITMUS_DUCKDB_MEMORY "
            f"(e.g. 1GB) and run again; what was committed stays. ({_first_line(error)})"
        ) from error
    finally:
        try:
            con.execute(f"SET memory_limit = '{previous}'")
        except duckdb.Error:
            pass  # the connection is already closed or broken; nothing to restore


def _first_line(error: Exception) -> str:
    """DuckDB's message without the generic advice it appends after a blank line."""
    return str(error).strip().split("\n", 1)[0]


_MEMORY_SIZE = re.compile(r"^\s*\d+(\.\d+)?\s*[KMGT]?i?B\s*$", re.IGNORECASE)


def checked_memory_size(limit: str, source: str = "the memory cap") -> str:
    """The size, once it is known to be a plain size: it is spliced into SET, which takes no parameters."""
    if not _MEMORY_SIZE.match(limit):
        raise WarehouseError(f"{source} {limit!r} is not a memory size (use e.g. 256MB, 2GB)")
    return limit.strip()


def default_wait_seconds() -> float:
    """Seconds a writer waits for another's lock: LITMUS_WAREHOUSE_WAIT (the CLI's --wait), else 30."""
    configured = os.environ.get("LITMUS_WAREHOUSE_WAIT")
    try:
        return max(0.0, float(configured)) if configured else 30.0
    except ValueError as error:
        raise WarehouseError(f"LITMUS_WAREHOUSE_WAIT must be a number of seconds, got {configured!r}") from error


@contextmanager
def open_warehouse(path: Path | str, **kwargs) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(path, **kwargs)
    try:
        yield con
    finally:
        con.close()


def migration_files(directory: Path | None = None) -> list[tuple[int, Path]]:
    directory = directory or sql_dir() / "migrations"
    found = []
    for file in sorted(directory.glob("*.sql")):
        match = MIGRATION_NAME.match(file.name)
        if not match:
            raise WarehouseError(f"migration {file} is not named NNN_description.sql")
        found.append((int(match.group(1)), file))
    versions = [version for version, _ in found]
    if len(set(versions)) != len(versions):
        raise WarehouseError(f"two migrations share a number in {directory}")
    return found


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchall()[0][0]


def apply_migrations(
    con: duckdb.DuckDBPyConnection, directory: Path | None = None, *, up_to: int | None = None
) -> list[int]:
    """Apply every migration newer than the warehouse, each in its own transaction."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    current = schema_version(con)
    applied = []
    for version, file in migration_files(directory):
        if version <= current or (up_to is not None and version > up_to):
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(file.read_text())
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, file.stem])
            con.execute("COMMIT")
        except Exception as error:
            con.execute("ROLLBACK")
            raise WarehouseError(f"migration {file.name} failed: {error}") from error
        applied.append(version)
    return applied


def apply_views(con: duckdb.DuckDBPyConnection, directory: Path | None = None) -> None:
    """(Re)create the analytical views; they hold no data, so this is always safe."""
    directory = directory or sql_dir() / "views"
    for file in sorted(directory.glob("*.sql")):
        try:
            con.execute(file.read_text())
        except duckdb.Error as error:
            raise WarehouseError(f"view file {file.name} failed: {error}") from error
