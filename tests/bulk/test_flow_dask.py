"""The bulk flow: extraction tasks on a Dask cluster give the same warehouse as local extraction."""

from __future__ import annotations

import pytest

from litmus.warehouse import connect

from .conftest import make_record, warehouse_content, write_pubmed_file

pytest.importorskip("prefect_dask")
pytest.importorskip("litmus.nlp.pipeline")
pytestmark = pytest.mark.integration
VERSION = "bulk-test"


def test_dask_cluster_and_local_runs_store_identical_content(tmp_path, prefect_server):
    from distributed import LocalCluster

    from flows.bulk import run_bulk_flow

    write_pubmed_file(tmp_path / "n0001.xml.gz", [make_record(i) for i in range(1, 21)])
    write_pubmed_file(tmp_path / "n0002.xml.gz", [make_record(i, title=f"Update {i}.") for i in range(15, 31)])
    local = run_bulk_flow([str(tmp_path / "n0001.xml.gz"), str(tmp_path / "n0002.xml.gz")],
                          warehouse=str(tmp_path / "local.duckdb"), extract=True, version=VERSION, chunk_size=6)
    # processes=True: the workers are separate processes, as on a real cluster (pickling included).
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = run_bulk_flow([str(tmp_path)], dask_address=cluster.scheduler_address,
                               warehouse=str(tmp_path / "dask.duckdb"), extract=True, version=VERSION, chunk_size=6)
    assert local["totals"] == remote["totals"] == {"files": 2, "completed": 2, "skipped": 0, "failed": 0,
                                                   "records": 36, "kept": 36, "deletions": 0}
    # 20 papers, then 10 new ones and the 6 whose update changed their title: extracted again
    assert local["extracted"]["papers"] == remote["extracted"]["papers"] == 36
    contents = []
    for name in ("local", "dask"):
        con = connect(tmp_path / f"{name}.duckdb")
        contents.append(warehouse_content(con))
        con.close()
    assert contents[0]["metrics"] and contents[0] == contents[1]
