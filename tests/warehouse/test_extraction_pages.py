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


def test_pages_stay_full_across_stretches_of_papers_already_extracted(tmp_path):
    con = stored(tmp_path, 12)
    done = ["100", "101", "102", "103", "104", "107", "108", "110"]
    store_extractions(con, [PaperExtraction(pmid, [], [], []) for pmid in done], "v1")
    store_extractions(con, [PaperExtraction("105", [], [], [])], "v0")  # an older version is still pending
    pages = [[p.pmid for p in page] for page in pending_papers(con, "v1", page_size=2)]
    assert pages == [["105", "106"], ["109", "111"]]
    assert count_papers_to_extract(con, "v1") == 4


def test_chosen_pmids_are_pending_unless_extracted_or_forced(tmp_path):
    con = stored(tmp_path, 6)
    store_extractions(con, [PaperExtraction("102", [], [], [])], "v1")
    count, pages = extraction_pages(con, "v1", pmids=["105", "102", "999", "101"])
    assert count == 2 and [p.pmid for page in pages for p in page] == ["101", "105"]
    count, pages = extraction_pages(con, "v1", pmids=["102"], force=False)
    assert count == 0 and list(pages) == []


def test_everything_pending_when_forced_without_a_choice(tmp_path):
    con = stored(tmp_path, 3)
    store_extractions(con, [PaperExtraction(p, [], [], []) for p in ("100", "101", "102")], "v1")
    count, pages = extraction_pages(con, "v1", force=True)
    assert count == 3 and [p.pmid for page in pages for p in page] == ["100", "101", "102"]
    assert count_papers_to_extract(con, "v1") == 0
