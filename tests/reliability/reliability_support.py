"""Helpers of the reliability suite (imported by its tests and by the crash driver)."""

from __future__ import annotations

EMAIL = "reliability@example.org"
# Not a real key: a recognisable string so a leak is easy to grep for.
FAKE_API_KEY = "k3y-SECRET-0123456789abcdef"
# Columns that legitimately differ between two runs of the same job.
VOLATILE_COLUMNS = {
    "loaded_at", "resolved_at", "run_id", "started_at", "finished_at", "extracted_at", "applied_at", "seconds",
}


def base_tables(con) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1"
        ).fetchall()
    ]


def row_counts(con) -> dict[str, int]:
    return {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0] for name in base_tables(con)}


def snapshot(con) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without the columns that hold times or run ids."""
    tables = {}
    for name in base_tables(con):
        columns = [
            row[0]
            for row in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [name],
            ).fetchall()
            if row[0] not in VOLATILE_COLUMNS
        ]
        select = ", ".join(f'CAST("{c}" AS VARCHAR)' for c in columns)
        tables[name] = sorted(con.execute(f'SELECT {select} FROM "{name}"').fetchall(), key=repr)
    return tables


def paper_pmids(con) -> list[str]:
    return [row[0] for row in con.execute("SELECT pmid FROM papers ORDER BY pmid").fetchall()]
