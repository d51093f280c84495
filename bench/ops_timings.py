"""Where the time of litmus's commands goes, and their wall times, as a user runs them.

Measured, each in fresh processes (medians of --repeat runs):
- the parts: Python + litmus CLI import, Prefect import, the flows' import, spaCy + scispaCy pipeline
  build, starting Prefect's temporary server, one empty flow run against a running server;
- wall times: `make run` with .venv in place (no PREFECT_API_URL: a temporary Prefect server),
  `litmus status`, `litmus sql`, an empty `litmus update` (nothing new: the window is done), and
  the default run against an already running `prefect server start` (first run on an empty
  warehouse, then a second run), with the run's own per-stage timings.

    .venv/bin/python bench/ops_timings.py [--repeat 3]

Results: bench/results/ops_timings.json. The machine is shared: the load average before and after
is recorded with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results" / "ops_timings.json"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
LITMUS = str(ROOT / ".venv" / "bin" / "litmus")
QUIET = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1", "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120"}


def environment(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    return {**env, **QUIET, **extra}


def timed(argv: list[str], env: dict, *, cwd: Path = ROOT) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=900)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed, done


def median_of(repeat: int, argv: list[str], env: dict) -> dict:
    times = [timed(argv, env)[0] for _ in range(repeat)]
    return {"median_s": round(statistics.median(times), 2), "runs_s": [round(t, 2) for t in times]}


def python_snippet(code: str) -> list[str]:
    return [PYTHON, "-c", code]


def measured_in_process(code: str, env: dict, repeat: int) -> dict:
    """Run `code` (which prints one float: seconds) in fresh interpreters."""
    values = []
    for _ in range(repeat):
        _, done = timed(python_snippet(code), env)
        values.append(float(done.stdout.strip().splitlines()[-1]))
    return {"median_s": round(statistics.median(values), 2), "runs_s": [round(v, 2) for v in values]}


CLOCK = "import time; t = time.perf_counter()\n"
PARTS = {
    "python_and_litmus_cli_import": CLOCK + "import litmus.cli\nprint(time.perf_counter() - t)",
    "prefect_import": CLOCK + "import prefect\nprint(time.perf_counter() - t)",
    "flows_import (Prefect + flows + libraries)": CLOCK + "import flows.run, flows.update\nprint(time.perf_counter() - t)",
    "spacy_scispacy_pipeline_build": (
        "import time\nfrom litmus.nlp.pipeline import build_pipeline\nt = time.perf_counter()\nbuild_pipeline()\n"
        "print(time.perf_counter() - t)"
    ),
    "prefect_temporary_server_start": (
        "import time\nfrom prefect.server.api.server import SubprocessASGIServer\ns = SubprocessASGIServer()\n"
        "t = time.perf_counter()\ns.start()\nprint(time.perf_counter() - t)\ns.stop()"
    ),
}
EMPTY_FLOW = (
    "import time\nfrom prefect import flow\n@flow\ndef empty():\n    return 1\n"
    "t = time.perf_counter()\nempty()\nprint(time.perf_counter() - t)"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_prefect_server(home: Path) -> tuple[subprocess.Popen, str, float]:
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = environment(PREFECT_HOME=str(home), PREFECT_UI_ENABLED="false", PREFECT_SERVER_LOGGING_LEVEL="WARNING")
    log = open(home / "server.log", "wb")
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    while True:
        try:
            with urllib.request.urlopen(api_url + "/health", timeout=2) as answer:
                if answer.read().strip() == b"true":
                    break
        except OSError:
            pass
        if server.poll() is not None or time.perf_counter() - started > 180:
            raise SystemExit(f"prefect server did not start: {(home / 'server.log').read_text()[-2000:]}")
        time.sleep(0.2)
    return server, api_url, time.perf_counter() - started


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def run_with_timings(warehouse: Path, env: dict) -> dict:
    elapsed, done = timed([LITMUS, "run", "--json", "--warehouse", str(warehouse)], env)
    result = json.loads(done.stdout)
    return {"wall_s": round(elapsed, 2), "stages_s": result["timings"], "papers_extracted": result["extraction"]["papers"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median reported)")
    repeat = parser.parse_args(argv).repeat
    load_before = os.getloadavg()
    figures: dict = {"parts": {}, "wall": {}}
    scratch = Path(tempfile.mkdtemp(prefix="litmus-ops-bench-"))
    env = environment()
    try:
        for name, code in PARTS.items():
            figures["parts"][name] = measured_in_process(code, env, repeat)
            print(f"{name:<48} {figures['parts'][name]['median_s']:>6.2f} s")

        warehouse_existed = (ROOT / "warehouse" / "litmus.duckdb").exists()
        figures["wall"]["make run (venv in place, temporary Prefect server)"] = {
            **median_of(max(2, repeat - 1), ["make", "-s", "run"], env), "warehouse_existed_before": warehouse_existed,
        }
        default = ROOT / "warehouse" / "litmus.duckdb"
        figures["wall"]["litmus status"] = median_of(repeat, [LITMUS, "status", "--warehouse", str(default)], env)
        figures["wall"]["litmus sql"] = median_of(
            repeat, [LITMUS, "sql", "SELECT count(*) AS papers FROM papers", "--warehouse", str(default)], env
        )
        updates = scratch / "updates.duckdb"
        update = [LITMUS, "update", "--as-of", "2026-01-05", "--no-extract", "--warehouse", str(updates)]
        timed(update, env)  # the window is now done: the next runs find nothing
        figures["wall"]["empty litmus update (temporary Prefect server)"] = median_of(repeat, update, env)

        home = scratch / "prefect-home"
        home.mkdir()
        server, api_url, ready = start_prefect_server(home)
        figures["parts"]["prefect server start (prefect server start, to healthy)"] = {"median_s": round(ready, 2)}
        try:
            served = environment(PREFECT_API_URL=api_url)
            figures["parts"]["one empty flow run against a running server"] = measured_in_process(EMPTY_FLOW, served, repeat)
            figures["wall"]["empty litmus update (running Prefect server)"] = median_of(repeat, update, served)
            first_runs, second_runs = [], []
            for attempt in range(repeat):
                warehouse = scratch / f"run-{attempt}.duckdb"
                first_runs.append(run_with_timings(warehouse, served))
                second_runs.append(run_with_timings(warehouse, served))
            for label, runs in (("litmus run, running Prefect server, empty warehouse", first_runs),
                                ("litmus run, running Prefect server, second run", second_runs)):
                figures["wall"][label] = {
                    "median_s": round(statistics.median(r["wall_s"] for r in runs), 2),
                    "runs_s": [r["wall_s"] for r in runs], "stages_s": runs[0]["stages_s"],
                }
        finally:
            stop(server)
        for label, value in figures["wall"].items():
            print(f"{label:<62} {value['median_s']:>6.2f} s  {value['runs_s']}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    figures["machine"] = {
        "cpus": os.cpu_count(), "python": platform.python_version(), "load_average_before": load_before,
        "load_average_after": os.getloadavg(), "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE"),
        "measured_at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"written {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
