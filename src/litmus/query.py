"""Read-only SQL over the warehouse, and exporting every table and view to files."""

from __future__ import annotations

import csv
import io
import json
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
        writer.writerows(self.rows)
        return buffer.getvalue()


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
            escaped = str(target).replace("'", "''")
            con.execute(f'COPY (SELECT * FROM "{name}") TO \'{escaped}\' {options}').fetchall()
            written.append(target)
    finally:
        con.close()
    return written
