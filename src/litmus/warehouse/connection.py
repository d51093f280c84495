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
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; a writer applies pending migrations and refreshes the views.

    DuckDB allows one writing process per file, so a second run waits for the lock up to
    `wait_seconds` and then says which file is busy instead of failing half-way.
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
            config = {"memory_limit": memory_limit()} if memory_limit() else {}
            if not external_access:
                config["enable_external_access"] = False
            con = duckdb.connect(str(path), read_only=read_only, config=config)
            break
        except duckdb.IOException as error:
            if not _is_lock_conflict(error):
                raise WarehouseError(f"cannot open warehouse {path}: {error}") from error
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"warehouse {path} is locked by another litmus process (a run in progress?); "
                    f"waited {wait_seconds:g} s. Try again when it finishes, or wait longer with --wait SECONDS "
                    "(LITMUS_WAREHOUSE_WAIT)."
                ) from error
            time.sleep(poll_seconds)
    if not read_only and migrate:
        apply_migrations(con)
        apply_views(con)
    return con


def memory_limit() -> str | None:
    """DuckDB's memory cap from LITMUS_DUCKDB_MEMORY (e.g. "1GB"); None keeps DuckDB's default.

    DuckDB's default (80% of RAM) lets its cache of table blocks grow during a long bulk load; a
    cap bounds that, but primary-key indexes must fit under it too, so too small a cap fails a
    large warehouse (128MB already did at 60k records).
    """
    return os.environ.get("LITMUS_DUCKDB_MEMORY") or None


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
