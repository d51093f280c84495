"""Extraction over worker processes writes exactly the rows one process writes."""

from __future__ import annotations

import pytest

from litmus.bulk import ingest_and_extract
from litmus.warehouse import connect

from .conftest import make_record, warehouse_content, write_pubmed_file

pytest.importorskip("litmus.nlp.pipeline")
VERSION = "bulk-test"


def test_two_workers_store_the_same_rows_as_one(tmp_path):
    path = write_pubmed_file(tmp_path / "trials.xml.gz", [make_record(i) for i in range(1, 41)])
    contents = []
    for workers in (1, 2):
        con = connect(tmp_path / f"w{workers}.duckdb")
        summary = ingest_and_extract(con, [path], extract=True, version=VERSION, workers=workers, chunk_size=7)
        assert summary.extracted["papers"] == 40
        contents.append(warehouse_content(con))
        con.close()
    single, parallel = contents
    assert single["metrics"], "the fixture abstracts report outcome numbers: metrics expected"
    assert single == parallel
