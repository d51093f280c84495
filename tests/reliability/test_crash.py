"""Crash safety: the pipeline is SIGKILLed mid-fetch, mid-load (a transaction open) and
mid-extraction (a transaction open); the warehouse opens cleanly, holds no half-written batch,
and a re-run leaves it identical, row by row, to an uninterrupted run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fake_eutils import Fault

import crash_driver
from litmus.warehouse import connect
from reliability_support import row_counts, snapshot

DRIVER = Path(crash_driver.__file__)
COMPARED_AWAY = {"run_log"}  # no run is logged by the stages themselves


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The warehouse an uninterrupted run leaves."""
    from fake_eutils import FakeEutils

    with FakeEutils() as server:
        crash_driver.add_records(server)
        path = tmp_path_factory.mktemp("reference") / "litmus.duckdb"
        crash_driver.run(path, server.base_url)
    con = connect(path, read_only=True)
    try:
        tables = {k: v for k, v in snapshot(con).items() if k not in COMPARED_AWAY}
    finally:
        con.close()
    assert len(tables["papers"]) == 6 and len(tables["extractions"]) == 6 and tables["metrics"]
    return tables


def _wait_for(condition, process, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"driver ended before the crash point: {process.stderr.read().decode()[-2000:]}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("the driver never reached the crash point")
        time.sleep(0.05)


def _start(warehouse: Path, base_url: str, pause: str, marker: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(DRIVER), str(warehouse), base_url, "--pause", pause, "--marker", str(marker)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


@pytest.mark.parametrize("crash_point", ["mid-fetch", "mid-load", "mid-extraction"])
def test_sigkill_then_rerun_matches_an_uninterrupted_run(crash_point, fake, tmp_path, reference):
    crash_driver.add_records(fake)
    warehouse, marker = tmp_path / "litmus.duckdb", tmp_path / "paused"
    if crash_point == "mid-fetch":
        fake.script("efetch", Fault(), Fault.slow(120))  # the 2nd batch hangs
        process = _start(warehouse, fake.base_url, "none", marker)
        _wait_for(lambda: fake.counts["efetch"] >= 2, process)
        time.sleep(0.2)
    else:
        process = _start(warehouse, fake.base_url, "load" if crash_point == "mid-load" else "extract", marker)
        _wait_for(marker.exists, process)

    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    process.stdout.close(), process.stderr.close()

    con = connect(warehouse)  # opens, replays its WAL, migrates: no corruption
    try:
        counts = row_counts(con)
        # Exactly the committed batches survive (2 papers a batch), never a part of one.
        expected_papers = 6 if crash_point == "mid-extraction" else 2
        assert counts["papers"] == expected_papers
        assert counts["authors"] == counts["papers"] == counts["publication_types"]
        assert counts["abstract_sections"] == counts["papers"]
        expected_extracted = 2 if crash_point == "mid-extraction" else 0
        assert counts["extractions"] == expected_extracted
        extracted = con.execute("SELECT count(DISTINCT pmid) FROM sentences").fetchall()[0][0]
        assert extracted == expected_extracted  # no sentences without their extraction row
        assert counts["citations"] == 6
    finally:
        con.close()

    crash_driver.run(warehouse, fake.base_url)  # the re-run, in-process

    con = connect(warehouse, read_only=True)
    try:
        after = {k: v for k, v in snapshot(con).items() if k not in COMPARED_AWAY}
    finally:
        con.close()
    assert after == reference
