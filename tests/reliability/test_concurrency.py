"""Two processes, one warehouse: DuckDB lets one process write (and nobody else even read).
A second writer waits for the lock up to a limit, then says which file is busy; `litmus status`
says why it cannot look; nothing is ever half-written."""

from __future__ import annotations

import functools
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fake_eutils import Fault

import crash_driver
from litmus.warehouse import WarehouseBusy, connect
from reliability_support import row_counts, snapshot

HOLD_LOCK = (
    "import duckdb, sys, time\n"
    "con = duckdb.connect(sys.argv[1])\n"
    "open(sys.argv[2], 'w').write('locked')\n"
    "time.sleep(float(sys.argv[3]))\n"
    "con.close()\n"
)


def hold_lock(warehouse: Path, seconds: float, tmp_path: Path) -> subprocess.Popen:
    """Another process holding the writer's lock for `seconds`; returns once it holds it."""
    marker = tmp_path / "locked"
    process = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(warehouse), str(marker), str(seconds)])
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert process.poll() is None and time.monotonic() < deadline, "the lock holder did not start"
        time.sleep(0.02)
    return process


@pytest.fixture
def built_warehouse(tmp_path) -> Path:
    path = tmp_path / "litmus.duckdb"
    connect(path).close()
    return path


def test_a_second_writer_waits_then_says_the_warehouse_is_busy(built_warehouse, tmp_path):
    holder = hold_lock(built_warehouse, 30, tmp_path)
    try:
        started = time.monotonic()
        with pytest.raises(WarehouseBusy) as busy:
            connect(built_warehouse, wait_seconds=0.6)
        assert time.monotonic() - started >= 0.6
        message = str(busy.value)
        assert str(built_warehouse) in message and "locked by another litmus process" in message
        assert "\n" not in message
    finally:
        holder.kill(), holder.wait()


def test_a_second_writer_gets_in_when_the_first_finishes(built_warehouse, tmp_path):
    holder = hold_lock(built_warehouse, 1.0, tmp_path)
    started = time.monotonic()
    con = connect(built_warehouse, wait_seconds=30)
    waited = time.monotonic() - started
    con.close()
    holder.wait()
    assert 0.3 < waited < 30


def test_status_while_a_run_writes_exits_2_with_the_reason(built_warehouse, tmp_path, run_cli, monkeypatch):
    # `status` waits like any opener (30 s by default); a short wait keeps the test fast.
    import litmus.status

    monkeypatch.setattr(litmus.status, "connect", functools.partial(connect, wait_seconds=0.5))
    holder = hold_lock(built_warehouse, 30, tmp_path)
    try:
        status, out, err = run_cli("status", "--warehouse", str(built_warehouse))
    finally:
        holder.kill(), holder.wait()
    assert status == 2 and out == ""
    assert err.startswith("error: warehouse") and "locked by another litmus process" in err
    assert "Traceback" not in err

    status, out, err = run_cli("status", "--warehouse", str(built_warehouse), "--json")  # lock released
    assert status == 0 and '"papers": 0' in out


def test_the_wait_the_busy_message_advises_exists(built_warehouse, run_cli):
    status, out, _ = run_cli("status", "--warehouse", str(built_warehouse), "--wait", "0.5")
    assert status == 0 and "papers" in out


def test_two_runs_at_once_both_complete_and_store_everything_once(fake, tmp_path):
    """One run in another process holds the warehouse while its 1st EFetch is slow; this process's
    run waits for the lock, then finds everything stored and adds nothing twice."""
    crash_driver.add_records(fake)
    warehouse = tmp_path / "litmus.duckdb"
    fake.script("efetch", Fault.slow(1.5))
    other = subprocess.Popen(
        [sys.executable, str(Path(crash_driver.__file__)), str(warehouse), fake.base_url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while fake.counts["efetch"] < 1:  # the other run holds the lock now
        assert other.poll() is None and time.monotonic() < deadline, other.stderr.read().decode()[-2000:]
        time.sleep(0.02)

    crash_driver.run(warehouse, fake.base_url)  # waits for the lock (connect's default 30 s)

    _, err = other.communicate(timeout=60)
    assert other.returncode == 0, err.decode()[-2000:]
    assert fake.counts["efetch"] == 3  # our run fetched nothing again: 6 PMIDs in batches of 2, once
    con = connect(warehouse, read_only=True)
    try:
        counts = row_counts(con)
        tables = snapshot(con)
    finally:
        con.close()
    assert counts["papers"] == counts["authors"] == counts["extractions"] == 6
    assert len(set(tables["papers"])) == 6
