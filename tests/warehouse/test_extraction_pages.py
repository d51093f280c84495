from __future__ import annotations

from litmus.extraction import PaperExtraction, count_papers_to_extract, extraction_pages, pending_papers, store_extractions
from litmus.records import AbstractSection, PubmedRecord
from litmus.warehouse import connect
from litmus.warehouse.load import load_papers


def stored(tmp_path, n: int):
    con = connect(tmp_path / "w.duckdb")
    records = [
        PubmedRecord(pmid=str(100 + i), title=f"Trial {i}",
                     abstract_sections=(AbstractSection("RESULTS", "RESULTS", "CR was 50%."),) if i % 2 else ())
        for i in range(n)
    ]
    load_papers(con, records, source="replay")
    return con


def test_pending_papers_come_page_by_page_each_once(tmp_path):
    con = stored(tmp_path, 5)
    pages = list(pending_papers(con, "v1", page_size=2))
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [p.pmid for page in pages for p in page] == ["100", "101", "102", "103", "104"]
    with_sections = {p.pmid: (p.section_starts, p.section_labels) for page in pages for p in page}
    assert with_sections["101"] == ((9,), ("RESULTS",)) and with_sections["100"] == ((), ())


def test_papers_extracted_at_this_version_are_not_pending(tmp_path):
    con = stored(tmp_path, 4)
    store_extractions(con, [PaperExtraction("101", [], [], [])], "v1")
    count, pages = extraction_pages(con, "v1")
    assert count == 3 and [p.pmid for page in pages for p in page] == ["100", "102", "103"]
    count, pages = extraction_pages(con, "v2")
    assert count == 4
    count, pages = extraction_pages(con, "v1", pmids=["101"], force=True)
    assert count == 1 and [p.pmid for page in pages for p in page] == ["101"]
    assert count_papers_to_extract(con, "v1") == 3
