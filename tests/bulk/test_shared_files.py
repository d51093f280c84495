"""The real bulk files in ../shared/data: record counts, and bulk == E-utilities for the same PMIDs."""

from __future__ import annotations

import pytest

from litmus.bulk import ingest_files
from litmus.entrez.client import EntrezClient
from litmus.entrez.replay import ReplayTransport
from litmus.pubmed import iter_pubmed_xml
from pubmed_render import render_pubmed_article
from litmus.records import PubmedRecord
from litmus.warehouse.arrow import latest_per_pmid

pytestmark = pytest.mark.shared_data


@pytest.mark.parametrize(
    ("name", "records", "deletions"),
    [("pubmed20n1015.xml.gz", 756, 0), ("medline16n0902.xml.gz", 604, 1)],
)
def test_shared_bulk_files_ingest_with_expected_counts(con, shared_data, name, records, deletions):
    outcome = ingest_files(con, [shared_data / "pubmed-files" / name]).files[0]
    assert (outcome.status, outcome.records, outcome.deletions) == ("completed", records, deletions)
    stored = con.execute("SELECT count(*) FROM papers").fetchall()[0][0]
    unique = {r.pmid for r in iter_pubmed_xml(shared_data / "pubmed-files" / name) if isinstance(r, PubmedRecord)}
    assert stored == len(unique)  # duplicates collapse to one row per PMID


def test_bulk_and_eutilities_paths_give_identical_records(shared_data, tmp_path):
    path = shared_data / "pubmed-files" / "pubmed20n1015.xml.gz"
    bulk = latest_per_pmid(r for r in iter_pubmed_xml(path) if isinstance(r, PubmedRecord))[:150]
    transport = ReplayTransport(tmp_path / "entrez")
    for record in bulk:  # the same records, served as NCBI would answer an EFetch by id
        transport.store.save_article(record.pmid, render_pubmed_article(record))
    fetched = EntrezClient(transport).fetch_records([r.pmid for r in bulk], use_history=False)
    assert fetched.missing == []
    by_pmid = {r.pmid: r for r in fetched.records}
    for record in bulk:
        other = by_pmid[record.pmid]
        for field in PubmedRecord.__slots__:
            assert getattr(other, field) == getattr(record, field), (record.pmid, field)
