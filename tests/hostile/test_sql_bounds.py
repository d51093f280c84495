"""Finding 7: `litmus sql` is bounded. `--limit` raised AttributeError on the DuckDB in the lock file,
`range(1e12)` ran until killed, a 30M-row CSV reached 3.3 GB, read-only connections had no memory cap
or timeout, and Ctrl-C printed a traceback instead of "interrupted" and 130."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from helpers import load_bench_script

from litmus.cli import main
from litmus.query import QueryRefused, run_query
from litmus.warehouse import connect

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sql") / "litmus.duckdb"
    connect(path).close()
    return path


def test_limit_works_with_the_locked_duckdb(warehouse, capsys):
    assert duckdb.__version__.startswith("2.")  # the version whose relations lost fetchmany()
    for fmt, check in (("--csv", lambda out: out.splitlines() == ["range", "0", "1", "2"]),
                       ("--json", lambda out: json.loads(out) == [{"range": 0}, {"range": 1}, {"range": 2}]),
                       (None, lambda out: "│ 2 " in out and "│ 3 " not in out and "first 3 row(s) shown" in out)):
        argv = ["sql", "--warehouse", str(warehouse), "--limit", "3", "SELECT * FROM range(10)"]
        code = main(argv + ([fmt] if fmt else []))
        out, err = capsys.readouterr()
        assert code == 0 and check(out), (fmt, out, err)
    assert run_query(warehouse, "SELECT * FROM range(10)", limit=4).rows == [(0,), (1,), (2,), (3,)]


@pytest.mark.parametrize("value", ["0", "-1", "x"])
def test_a_bad_limit_or_timeout_is_refused_by_argparse(warehouse, capsys, value):
    for flag in ("--limit", "--timeout"):
        with pytest.raises(SystemExit) as exit_info:
            main(["sql", "--warehouse", str(warehouse), flag, value, "SELECT 1"])
        assert exit_info.value.code == 2


def test_a_query_past_its_timeout_is_stopped_with_one_line(warehouse, capsys):
    started = time.monotonic()
    code = main(["sql", "--warehouse", str(warehouse), "--timeout", "1", "SELECT count(*) FROM range(1000000000000)"])
    err = capsys.readouterr().err
    assert code == 2 and time.monotonic() - started < 30
    assert err.startswith("error: the query ran past the 1 s statement timeout") and "--timeout" in err
    assert err.count("\n") == 1


def test_the_timeout_and_memory_cap_come_from_the_environment_too(warehouse, monkeypatch):
    monkeypatch.setenv("LITMUS_MAX_SQL_SECONDS", "1")
    with pytest.raises(QueryRefused, match="1 s statement timeout"):
        run_query(warehouse, "SELECT count(*) FROM range(1000000000000)")
    monkeypatch.setenv("LITMUS_MAX_SQL_MEMORY_BYTES", "64MB")
    assert run_query(warehouse, "SELECT current_setting('memory_limit')").rows[0][0] == "61.0 MiB"


def test_a_query_over_the_memory_cap_is_refused_naming_the_cap(warehouse, capsys):
    code = main(["sql", "--warehouse", str(warehouse), "--memory", "64MB", "SELECT list(range) FROM range(100000000)"])
    err = capsys.readouterr().err
    assert code == 2 and "the query needs more than the 64MB memory cap" in err and "--memory" in err


def test_a_bad_memory_size_is_one_line(warehouse, capsys):
    assert main(["sql", "--warehouse", str(warehouse), "--memory", "lots", "SELECT 1"]) == 2
    assert "is not a memory size" in capsys.readouterr().err


def test_csv_of_millions_of_rows_streams_in_flat_memory(warehouse):
    bench = load_bench_script("hostile_inputs")
    peaks = {}
    for rows in (100_000, 1_000_000):
        result = bench.run_measured(["litmus.cli", "sql", "--warehouse", str(warehouse), "--csv",
                                     f"SELECT range AS n, 'row ' || range AS label FROM range({rows})"])
        assert result["returncode"] == 0, result["stderr"]
        assert result["stdout"].count("\n") == rows + 1
        peaks[rows] = result["peak_rss_mb"]
    assert peaks[1_000_000] < peaks[100_000] + 40, peaks  # ten times the rows: a fetchall took ~150 MB more


def test_ctrl_c_stops_a_query_with_interrupted_and_130(warehouse):
    process = subprocess.Popen(
        [sys.executable, "-m", "litmus.cli", "sql", "--warehouse", str(warehouse), "--timeout", "120",
         "SELECT count(*) FROM range(1000000000000)"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _threads(process.pid) < 2:  # DuckDB's workers: the query runs
            time.sleep(0.2)
        time.sleep(1.0)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err
    assert err.strip() == "interrupted: nothing half-written is kept; run the command again to finish"


def _threads(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return int(status.split("Threads:")[1].split()[0])
