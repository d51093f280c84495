"""Commands that only read the warehouse start no Prefect server and load neither Prefect nor spaCy.

Each command runs in a fresh interpreter (this test process has Prefect loaded already) and reports
which heavy packages it imported. Wall times are measured by bench/ops_timings.py, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("prefect", "spacy", "scispacy", "flows")

PROBE = """
import json, sys
from litmus.cli import main
status = main(sys.argv[1:])
print(json.dumps({"status": status, "loaded": [name for name in %r if name in sys.modules]}))
""" % (HEAVY,)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    from litmus.warehouse import open_warehouse

    path = tmp_path_factory.mktemp("fast") / "litmus.duckdb"
    with open_warehouse(path) as con:
        con.execute("INSERT INTO reviews (review_id, title) VALUES ('r', 'A review')")
    return path


def probe(*argv: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=120)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("argv", [
    ["status"],
    ["status", "--json"],
    ["sql", "SELECT count(*) AS n FROM papers"],
    ["sql", "--csv", "SELECT * FROM reviews"],
    ["show", "12345"],  # not stored: a one-line error, still without Prefect
    ["new", "--since", "2026-01-01"],
    ["export", "{tmp}", "--format", "csv"],
    ["report", "--out", "{tmp}/report"],
])
def test_read_only_commands_load_neither_prefect_nor_spacy(warehouse, argv, tmp_path):
    argv = [arg.format(tmp=tmp_path) for arg in argv]
    found = probe(*argv, "--warehouse", str(warehouse))
    assert found["loaded"] == [], f"litmus {' '.join(argv)} imported {found['loaded']}"
    assert found["status"] in (0, 2)


ONE_SERVER = """
import json, subprocess, sys
launches = []
Popen = subprocess.Popen


class Counting(Popen):
    def __init__(self, args, *rest, **options):
        if any("uvicorn" in str(part) for part in args):
            launches.append(args)
        super().__init__(args, *rest, **options)


subprocess.Popen = Counting
from litmus.cli import main
status = main(sys.argv[1:])
print(json.dumps({"status": status, "servers": len(launches)}))
"""


@pytest.mark.integration
def test_a_command_that_runs_flows_starts_one_temporary_prefect_server_at_most(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    argv = ["update", "--as-of", "2026-01-05", "--warehouse", str(tmp_path / "w.duckdb")]
    done = subprocess.run([sys.executable, "-c", ONE_SERVER, *argv], capture_output=True, text=True, timeout=600, env=env)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {"status": 0, "servers": 1}, done.stderr[-2000:]
