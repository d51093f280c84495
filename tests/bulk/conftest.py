"""Small real-shaped PubMed files for the bulk tests, and one Prefect test server per session."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from pubmed_render import render_pubmed_article_set
from litmus.records import AbstractSection, Author, DeletedCitation, MeshHeading, PubmedRecord
from litmus.warehouse import connect

RESULTS = [
    "The overall response rate was 82% (41/50), with complete remission in 60% of patients.",
    "Median progression-free survival was 11.2 months (95% CI 8.1-14.0).",
    "Cytokine release syndrome occurred in 70% of patients (grade 3 or higher in 4 of 40).",
    "At 12 months, event-free survival was 55% and overall survival 78%.",
]


def make_record(pmid: int, *, version: int = 1, title: str | None = None, mesh: tuple[str, ...] = ("Humans",),
                keywords: tuple[str, ...] = (), pubtypes: tuple[str, ...] = ("Journal Article",)) -> PubmedRecord:
    return PubmedRecord(
        pmid=str(pmid),
        version=version,
        title=title or f"CD19-directed CAR-T cells in relapsed leukemia: trial {pmid}.",
        abstract_sections=(
            AbstractSection("BACKGROUND", "BACKGROUND", "Relapsed B-cell acute lymphoblastic leukemia has few options."),
            AbstractSection("RESULTS", "RESULTS", " ".join(RESULTS[pmid % 4 :] + RESULTS[: pmid % 4])),
        ),
        authors=(Author("Tester", "Ada", "A", affiliations=(f"Hospital {pmid % 7}",)), Author("Sample", "Bo", "B")),
        journal="Blood", journal_iso="Blood", pub_year=2015 + pmid % 10, pub_date=f"{2015 + pmid % 10}-03",
        publication_types=pubtypes, mesh_headings=tuple(MeshHeading(m) for m in mesh), keywords=keywords,
        language="eng",
    )


def write_pubmed_file(path: Path, items) -> Path:
    data = render_pubmed_article_set(items)
    path.write_bytes(gzip.compress(data, mtime=0) if path.name.endswith(".gz") else data)
    return path


@pytest.fixture
def con(tmp_path):
    connection = connect(tmp_path / "bulk.duckdb")
    yield connection
    connection.close()


def table_rows(con, table: str, drop: tuple[str, ...] = ("loaded_at", "extracted_at")) -> list[tuple]:
    columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] not in drop]
    return sorted(con.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall(), key=repr)


CONTENT_TABLES = ("papers", "abstract_sections", "authors", "publication_types", "mesh_headings",
                  "comments_corrections", "sentences", "entities", "metrics", "extractions")


def warehouse_content(con) -> dict[str, list[tuple]]:
    return {table: table_rows(con, table) for table in CONTENT_TABLES}


@pytest.fixture(scope="session")
def prefect_server(prefect_harness):
    """The suite's one Prefect test server (tests/conftest.py)."""
    yield


__all__ = ["DeletedCitation", "make_record", "write_pubmed_file", "warehouse_content", "table_rows"]
