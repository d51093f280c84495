"""Read-only SQL over the warehouse, and exporting every table and view to files."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from litmus.warehouse import connect

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


def run_query(warehouse: Path, sql: str, params: list | None = None, *, limit: int | None = None) -> QueryResult:
    """Run reading statements on a read-only connection with no file-system access; the last one's rows.

    `params` fill `?` placeholders (one statement only), so callers never splice values into SQL.
    """
    check_read_only(sql)
    con = connect(warehouse, read_only=True, external_access=False)
    try:
        try:
            relation = None
            statements = duckdb.extract_statements(sql)
            if params is not None and len(statements) != 1:
                raise QueryRefused("query parameters go with exactly one statement")
            for statement in statements:
                relation = con.sql(statement.query, params=params)
            if relation is None:
                return QueryResult([], [])
            rows = relation.fetchmany(limit) if limit else relation.fetchall()
            return QueryResult(list(relation.columns), rows)
        except duckdb.Error as error:
            raise QueryRefused(f"query failed: {error}") from error
    finally:
        con.close()


def export_warehouse(warehouse: Path, out_dir: Path, *, file_format: str = "parquet") -> list[Path]:
    """Write every table and view of the warehouse to `out_dir/<name>.<format>`."""
    if file_format not in {"parquet", "csv"}:
        raise QueryRefused(f"unknown export format {file_format!r}: use parquet or csv")
    out_dir.mkdir(parents=True, exist_ok=True)
    con = connect(warehouse, read_only=True)
    written = []
    try:
        names = [
            row[0]
            for row in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name"
            ).fetchall()
        ]
        for name in names:
            target = out_dir / f"{name}.{file_format}"
            options = "(FORMAT parquet)" if file_format == "parquet" else "(FORMAT csv, HEADER true)"
            select = f'SELECT * FROM "{name}"' if file_format == "parquet" else csv_select(con, name)
            escaped = str(target).replace("'", "''")
            con.execute(f"COPY ({select}) TO '{escaped}' {options}").fetchall()
            written.append(target)
    finally:
        con.close()
    return written
