"""Findings 1 and 8 for bulk files: non-regular files are refused by name, and a record that kills the
process (a parser crash, the OOM killer) cannot crash every later run: its file is marked failed after
the second death at the same point and skipped until --force."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from litmus.bulk import BulkInputError, discover_files, ingested_files
from litmus.cli import main
from pubmed_render import render_pubmed_article_set
from litmus.records import PubmedRecord
from litmus.warehouse import connect


def _records(*pmids: int) -> bytes:
    return render_pubmed_article_set([PubmedRecord(pmid=str(p), title=f"Trial {p}.") for p in pmids])


def test_a_fifo_is_refused_by_name_not_ignored(tmp_path, capsys):
    fifo = tmp_path / "n0001.xml.gz"
    os.mkfifo(fifo)
    with pytest.raises(BulkInputError, match=r"n0001\.xml\.gz is not a regular file \(a FIFO, socket or device\)"):
        discover_files([fifo])
    code = main(["ingest-files", "--warehouse", str(tmp_path / "w.duckdb"), str(fifo)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and "not a regular file" in err and "Traceback" not in err


def test_a_fifo_inside_a_folder_is_refused_by_name(tmp_path):
    (tmp_path / "n0001.xml").write_bytes(_records(1))
    os.mkfifo(tmp_path / "n0002.xml")
    with pytest.raises(BulkInputError, match=r"n0002\.xml is not a regular file"):
        discover_files([tmp_path])


def test_a_link_to_a_device_is_refused(tmp_path):
    link = tmp_path / "zero.xml"
    link.symlink_to("/dev/zero")
    with pytest.raises(BulkInputError, match="not a regular file"):
        discover_files([link])
    with pytest.raises(BulkInputError, match="not a regular file"):
        discover_files(["/dev/null"])


# A test-only driver: ingests FILE into WAREHOUSE, and dies by SIGKILL when the record POISON is read,
# as the process did on the 2 GB attribute (rc 139) before the parser was bounded.
DRIVER = textwrap.dedent("""
    import os, signal, sys
    import litmus.bulk.ingest as ingest
    from litmus.warehouse import connect
    warehouse, file, poison, force = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "force"
    real = ingest.iter_pubmed_xml
    def poisoned(source):
        for item in real(source):
            if item.pmid == poison:
                os.kill(os.getpid(), signal.SIGKILL)
            yield item
    ingest.iter_pubmed_xml = poisoned
    con = connect(warehouse)
    outcome = ingest.ingest_file(con, file, batch_size=2, force=force)
    print(outcome.status, outcome.message or "")
    con.close()
""")


def _drive(warehouse: Path, file: Path, poison: str, *, force: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", DRIVER, str(warehouse), str(file), poison, "force" if force else "-"],
                          capture_output=True, text=True, timeout=300)


def _ledger(warehouse: Path) -> dict:
    con = connect(warehouse, read_only=True)
    try:
        return ingested_files(con)[0]
    finally:
        con.close()


def test_a_file_that_kills_the_process_twice_is_failed_and_skipped_until_force(tmp_path):
    file = tmp_path / "n0001.xml"
    file.write_bytes(_records(1, 2, 3, 4, 5, 6))
    warehouse = tmp_path / "w.duckdb"

    first = _drive(warehouse, file, poison="5")
    assert first.returncode == -9
    assert (_ledger(warehouse)["status"], _ledger(warehouse)["items_done"]) == ("running", 4)

    second = _drive(warehouse, file, poison="5")  # resumes after item 4 and dies at the same record
    assert second.returncode == -9
    third = _drive(warehouse, file, poison="5")  # does not try again: no third crash
    assert third.returncode == 0, third.stderr
    assert third.stdout.startswith("failed the process died twice while reading this file after item 4")
    row = _ledger(warehouse)
    assert (row["status"], row["crash_point"]) == ("failed", 4) and "--force" in row["message"]
    assert _drive(warehouse, file, poison="5").stdout.startswith("failed")  # still skipped

    fixed = _drive(warehouse, file, poison="none", force=True)  # e.g. after a fixed parser or file
    assert fixed.stdout.startswith("completed"), fixed.stderr
    assert _ledger(warehouse)["status"] == "completed"


def test_a_process_that_dies_once_resumes_and_completes(tmp_path):
    file = tmp_path / "n0001.xml"
    file.write_bytes(_records(1, 2, 3, 4, 5, 6))
    warehouse = tmp_path / "w.duckdb"
    assert _drive(warehouse, file, poison="5").returncode == -9
    resumed = _drive(warehouse, file, poison="none")
    assert resumed.stdout.startswith("completed"), resumed.stderr
    con = connect(warehouse, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM papers").fetchall()[0][0] == 6
    finally:
        con.close()
