"""After an update: which stored reviews to verify again, read from the file they were ingested from.

An update re-fetches papers PubMed modified (corrections, retractions) and extracts new ones, so
the verdicts of the reviews in the warehouse may change. Reviews read from a file are verified again;
one fetched from PMC by id (live) is left as it is until `litmus verify` or `litmus run` reads it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb


def reviews_to_reverify(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """[{review_id, source}] for every stored review whose source file is still readable."""
    rows = con.execute("SELECT review_id, source FROM reviews WHERE source IS NOT NULL ORDER BY review_id").fetchall()
    return [{"review_id": review_id, "source": source} for review_id, source in rows if Path(source).is_file()]
