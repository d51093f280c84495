"""Read-only SQL over the warehouse, and exporting every table and view to files."""

from __future__ import annotations

import csv
import io
import json
import re
import signal
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from litmus.warehouse import connect
from litmus.limits import SQL_MEMORY, SQL_SECONDS
from litmus.outputs import prepare_output_folder
from litmus.warehouse.connection import _first_line, checked_memory_size, damaged, is_damage

READ_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN, duckdb.StatementType.PRAGMA}


class QueryRefused(ValueError):
    pass


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]

    def as_dicts(self) -> list[dict]:
        return [dict(zip(self.columns, row)) for row in self.rows]

    def to_json(self) -> str:
        return json.dumps(self.as_dicts(), indent=2, default=str)

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows([csv_value(value) for value in row] for row in self.rows)
        return buffer.getvalue()


def csv_value(value):
    """A cell of CSV: lists, maps and structs as JSON text (which any reader can parse back, unlike
    Python's or DuckDB's literals), dates and times as ISO text, the rest as it is."""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, default=str, ensure_ascii=False)
    return value


NESTED_TYPE = re.compile(r"\[\d*\]$|^(STRUCT|MAP|UNION)\(")


def csv_select(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """SELECT every column of table or view `name`, nested ones (lists, structs, maps) as JSON text."""
    columns = []
    for column, column_type, *_ in con.execute(f'DESCRIBE "{name}"').fetchall():
        quoted = '"' + column.replace('"', '""') + '"'
        columns.append(f"to_json({quoted})::VARCHAR AS {quoted}" if NESTED_TYPE.search(column_type) else quoted)
    return f'SELECT {", ".join(columns)} FROM "{name}"'


def check_read_only(sql: str) -> None:
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as error:
        raise QueryRefused(f"cannot parse the query: {error}") from error
    if not statements:
        raise QueryRefused("the query is empty")
    for statement in statements:
        if statement.type not in READ_STATEMENTS:
            kind = statement.type.name
            raise QueryRefused(
                f"`litmus sql` only reads: a {kind} statement would change the warehouse or touch files. "
                "Use `litmus export` to write files."
            )


FETCH_BATCH = 10_000  # rows fetched at a time: memory stays flat however many rows a query returns


def sql_memory(requested: str | None = None) -> str:
    """The cap in DuckDB's words: --memory as given, else the sql_memory_bytes limit."""
    return checked_memory_size(requested, "--memory") if requested else f"{SQL_MEMORY.value}B"


def sql_timeout(requested: float | None = None) -> float:
    return requested if requested is not None else float(SQL_SECONDS.value)


@dataclass
class QueryStream:
    columns: list[str]
    _cursor: duckdb.DuckDBPyConnection

    def batches(self, limit: int | None = None) -> Iterator[list[tuple]]:
        """The rows in batches of at most FETCH_BATCH, `limit` rows at most."""
        left = limit
        while left is None or left > 0:
            rows = self._cursor.fetchmany(FETCH_BATCH if left is None else min(FETCH_BATCH, left))
            if not rows:
                return
            yield rows
            left = None if left is None else left - len(rows)


@contextmanager
def interrupt_on_ctrl_c(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Ctrl-C interrupts the running statement at once.

    Python runs its SIGINT handler only between bytecodes of the main thread, which waits inside DuckDB
    until the statement ends, and DuckDB does not always notice the signal itself (seen: a Ctrl-C lost
    until the statement timeout). The C-level handler also writes the signal number to the wakeup fd at
    once, so a watcher thread reading it interrupts the connection.
    """
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) in (
        signal.SIG_IGN, signal.SIG_DFL, None,
    ):
        yield
        return
    reader, writer = socket.socketpair()
    writer.setblocking(False)
    previous = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)

    def watch() -> None:
        while data := reader.recv(64):
            if signal.SIGINT in data:
                con.interrupt()

    watcher = threading.Thread(target=watch, name="sql-ctrl-c", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous)
        writer.close()  # the reader sees end of file and the watcher ends
        watcher.join(timeout=5)
        reader.close()


@contextmanager
def open_query(
    warehouse: Path, sql: str, params: list | None = None, *, memory: str | None = None, timeout: float | None = None
) -> Iterator[QueryStream]:
    """Run reading statements on a read-only connection without file access; stream the last one's rows.

    DuckDB works under a memory cap (`memory`, else the sql_memory_bytes limit: 1 GB), and the statements,
    rows fetched included, under a timeout (`timeout` seconds, else the sql_seconds limit: 60) after which
    the query is interrupted. `params` fill `?` placeholders (one statement only), so callers never splice
    values into SQL. Ctrl-C stops the query and raises KeyboardInterrupt.
    """
    check_read_only(sql)
    statements = duckdb.extract_statements(sql)
    if params is not None and len(statements) != 1:
        raise QueryRefused("query parameters go with exactly one statement")
    cap, seconds = sql_memory(memory), sql_timeout(timeout)
    con = connect(warehouse, read_only=True, external_access=False, memory=cap)
    timer = threading.Timer(seconds, con.interrupt)
    timer.daemon = True
    timer.start()
    try:
        with interrupt_on_ctrl_c(con):
            try:
                cursor = None
                for statement in statements:
                    cursor = con.execute(statement.query, params)
                description = cursor.description if cursor is not None else None
                yield QueryStream([column[0] for column in description or []], cursor)
            except duckdb.InterruptException as error:
                if timer.finished.is_set():
                    raise QueryRefused(
                        f"the query ran past the {seconds:g} s statement timeout and was stopped; allow longer with"
                        f" --timeout SECONDS ({SQL_SECONDS.variable}), or narrow it (WHERE, LIMIT)"
                    ) from error
                raise KeyboardInterrupt from error
            except duckdb.OutOfMemoryException as error:
                raise QueryRefused(
                    f"the query needs more than the {cap} memory cap: raise it with --memory SIZE ({SQL_MEMORY.variable}),"
                    f" or narrow it ({_first_line(error)})"
                ) from error
            except duckdb.Error as error:
                if is_damage(error):
                    raise damaged(warehouse, error, opened=True) from error
                raise QueryRefused(f"query failed: {_first_line(error)}") from error
            except RuntimeError as error:
                if "interrupted" in str(error).lower():  # DuckDB's answer to Ctrl-C inside a query
                    raise KeyboardInterrupt from error
                raise
    finally:
        timer.cancel()
        con.close()


def run_query(
    warehouse: Path, sql: str, params: list | None = None, *, limit: int | None = None,
    memory: str | None = None, timeout: float | None = None,
) -> QueryResult:
    """The last statement's rows (at most `limit`), read as `open_query` reads them."""
    with open_query(warehouse, sql, params, memory=memory, timeout=timeout) as stream:
        rows = [row for batch in stream.batches(limit) for row in batch]
        return QueryResult(stream.columns, rows)


@dataclass(frozen=True)
class ExportResult:
    written: list[Path]
    unreadable: dict[str, str]  # table -> why it could not be read (a damaged warehouse)


def export_warehouse(warehouse: Path, out_dir: Path | str, *, file_format: str = "parquet", force: bool = False) -> ExportResult:
    """Write every table and view of the warehouse to `out_dir/<name>.<format>`.

    The folder is checked before anything is written (`outputs.prepare_output_folder`): existing files
    are overwritten only with `force`. A table a damaged warehouse cannot give back is skipped and
    reported, so an export saves everything that is still readable.
    """
    if file_format not in {"parquet", "csv"}:
        raise QueryRefused(f"unknown export format {file_format!r}: use parquet or csv")
    con = connect(warehouse, read_only=True)
    written, unreadable = [], {}
    try:
        names = [
            row[0]
            for row in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name"
            ).fetchall()
        ]
        folder = prepare_output_folder(out_dir, [f"{name}.{file_format}" for name in names], force=force,
                                       command="litmus export")
        for name in names:
            target = folder / f"{name}.{file_format}"
            options = "(FORMAT parquet)" if file_format == "parquet" else "(FORMAT csv, HEADER true)"
            select = f'SELECT * FROM "{name}"' if file_format == "parquet" else csv_select(con, name)
            escaped = str(target).replace("'", "''")
            try:
                con.execute(f"COPY ({select}) TO '{escaped}' {options}").fetchall()
            except duckdb.Error as error:
                if not is_damage(error):
                    raise QueryRefused(f"could not export {name} to {target}: {_first_line(error)}") from error
                unreadable[name] = _first_line(error)
                target.unlink(missing_ok=True)
                continue
            written.append(target)
    except duckdb.Error as error:
        if is_damage(error):
            raise damaged(warehouse, error, opened=True) from error
        raise
    finally:
        con.close()
    return ExportResult(written, unreadable)
