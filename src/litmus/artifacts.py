"""What a run publishes for people watching it in Prefect: the verdict table and the evidence table,
as rows of plain values (strings, numbers, booleans), ready for a table artifact.

Each table is read through one function, so when the views behind it change, only the function
does: columns named here that a view no longer has are left out instead of failing a run.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import duckdb

VERDICT_COLUMNS = (
    "claim_id", "cites", "claim_verdict", "endpoint", "claimed", "fact_verdict", "reported_pmid",
    "reported_value", "fact_explanation", "arithmetic", "flags",
)
EVIDENCE_COLUMNS = (
    "family", "strategy", "pmid", "first_author", "pub_year", "n", "orr_pct", "cr_pct",
    "pfs_median_months", "os_median_months", "cited_by_review", "found_by_searches", "why",
)


def artifact_key(*parts: str) -> str:
    """A Prefect artifact key (lower-case letters, digits, dashes) from free text."""
    return re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")


def plain(value):
    """A value a table artifact can show: lists joined, dates as ISO text."""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(plain(item)) for item in value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return "; ".join(f"{k}: {plain(v)}" for k, v in value.items())
    return value


def _quoted(names) -> str:
    return ", ".join(f'"{name}"' for name in names)


def _rows(
    con: duckdb.DuckDBPyConnection, relation: str, wanted: tuple[str, ...], order: tuple[str, ...],
    where: str = "", params: tuple = (),
) -> list[dict]:
    columns = {row[0] for row in con.execute(f"DESCRIBE {relation}").fetchall()}
    chosen = [name for name in wanted if name in columns]
    if not chosen:
        return []
    ordering = _quoted(name for name in order if name in columns)
    sql = f"SELECT {_quoted(chosen)} FROM {relation} {where}" + (f" ORDER BY {ordering}" if ordering else "")
    result = con.execute(sql, list(params))
    return [{name: plain(value) for name, value in zip(chosen, row)} for row in result.fetchall()]


def verdict_rows(con: duckdb.DuckDBPyConnection, review_id: str) -> list[dict]:
    """One row per claimed fact of the review (qualitative claims: one row with no fact)."""
    return _rows(con, "claim_verdicts", VERDICT_COLUMNS, ("claim_id", "fact_index"), "WHERE review_id = ?", (review_id,))


def evidence_rows(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The evidence table: one row per study and strategy, grouped by strategy."""
    return _rows(con, "evidence_table", EVIDENCE_COLUMNS, ("family", "strategy", "pub_year", "pmid"))
