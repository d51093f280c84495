"""Upgrading a warehouse keeps every row: a warehouse built at schema version N, filled, then opened
by a normal `connect()` (which applies the newer migrations) still holds what it held."""

from __future__ import annotations

import duckdb
import pytest

from litmus.pubmed import parse_pubmed_xml
from litmus.records import Citation, Review, Resolution
from litmus.warehouse import apply_migrations, connect, schema_version
from litmus.warehouse.connection import migration_files
from litmus.warehouse.arrow import paper_tables
from litmus.warehouse.load import insert_arrow, save_resolutions, upsert_review
from pathlib import Path

from reliability_support import snapshot

BAD = Path(__file__).resolve().parent / "bad_inputs"
VERSIONS = [version for version, _ in migration_files()]


def fill(con) -> None:
    review = Review("old-review", "Old", (Citation("1", "numbered", pmid="35000011", title="'); DROP TABLE papers; --"),))
    upsert_review(con, review)
    save_resolutions(con, [Resolution("old-review", "1", "35000011", "known_pmid", 1.0, "stated")])
    for name in ("stored_pubmed_unicode_title.xml", "stored_pubmed_sql_title.xml"):
        _load_papers_as_the_schema_has_them(con, parse_pubmed_xml(BAD / name))
    # Written as the first schema had it: today's start_run writes columns later migrations add.
    con.execute(
        "INSERT INTO run_log (run_id, flow, started_at, status, parameters)"
        " VALUES ('old-run', 'litmus-run', TIMESTAMP '2026-01-01 06:00:00', 'completed', '{\"review\": null}')"
    )


def _load_papers_as_the_schema_has_them(con, records) -> None:
    """Today's paper rows without the columns a later migration adds (papers.abstract_truncated, 013)."""
    for table, data in paper_tables(records, "eutils").items():
        columns = {row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()}
        insert_arrow(con, table, data.select([name for name in data.column_names if name in columns]))


@pytest.mark.parametrize("start", VERSIONS[:-1] or [VERSIONS[0]])
def test_upgrading_keeps_every_row(start, tmp_path):
    path = tmp_path / "litmus.duckdb"
    con = duckdb.connect(str(path))
    assert apply_migrations(con, up_to=start) == VERSIONS[: VERSIONS.index(start) + 1]
    fill(con)
    before = snapshot(con)
    con.close()

    con = connect(path)  # the normal way in: applies every later migration
    try:
        assert schema_version(con) == VERSIONS[-1]
        after = snapshot(con)
    finally:
        con.close()
    for table, rows in before.items():
        if table == "schema_migrations":
            continue
        old_width = len(rows[0]) if rows else 0
        # A migration may add columns (appended last); the old columns of every row are unchanged.
        assert sorted(row[:old_width] for row in after[table]) == rows, table
    assert len(after["schema_migrations"]) == len(VERSIONS)


def test_a_second_connect_applies_nothing(tmp_path):
    path = tmp_path / "litmus.duckdb"
    connect(path).close()
    con = connect(path)
    try:
        assert apply_migrations(con) == []
    finally:
        con.close()
