"""Fixtures for the saved-search updates: replay clients, a fresh warehouse, one Prefect harness."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from litmus.entrez import EntrezClient, ReplayTransport
from litmus.paths import corpus_dir

# The fake E-utilities server lives with the entrez tests; reuse it, never copy it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "entrez"))


@pytest.fixture
def replay_client():
    """A client on the shipped replay corpus; its transport keeps `.requests`."""
    return EntrezClient(ReplayTransport(corpus_dir() / "entrez"))


@pytest.fixture
def warehouse(tmp_path) -> Path:
    return tmp_path / "warehouse" / "litmus.duckdb"


@pytest.fixture
def con(warehouse):
    from litmus.warehouse import open_warehouse

    with open_warehouse(warehouse) as connection:
        yield connection


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(api_url + "/health", timeout=2) as response:
            return response.read().strip() == b"true"
    except OSError:
        return False


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """One real `prefect server start` on 127.0.0.1 for the session: flows run against it, and the
    cron deployment of `litmus serve` registers on it (a temporary server cannot schedule).
    Yields (api_url, environment for subprocesses)."""
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update({
        "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
        # The server's own loggers only: PREFECT_LOGGING_LEVEL would also keep the runs' INFO lines
        # from the processes started with this environment away from the server.
        "PREFECT_UI_ENABLED": "false", "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    })
    log = open(home / "server.log", "wb")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while not _healthy(api_url):
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"prefect server did not start: {(home / 'server.log').read_text()[-2000:]}")
        time.sleep(0.5)
    env["PREFECT_API_URL"] = api_url
    try:
        yield api_url, env
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture
def prefect_api(prefect_server):
    """Flows of this test run against the session's Prefect server."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: prefect_server[0]}):
        yield prefect_server[0]


@pytest.fixture
def litmus():
    """Call as `litmus(["update", …])`: the CLI in-process, returns the exit status."""
    return litmus_main


def litmus_main(argv: list[str]) -> int:
    from litmus.cli import main

    return main(argv)
