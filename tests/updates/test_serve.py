"""`litmus serve`: refuses without a real Prefect server, registers the cron deployment with one."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import sys
import time

import pytest

from litmus.updates.deploy import DEFAULT_CRON, PrefectServerUnavailable, check_prefect_server, serve_plan


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/api"


def test_no_server_means_instructions_not_a_silent_schedule():
    with pytest.raises(PrefectServerUnavailable) as caught:
        check_prefect_server(closed_port_url(), timeout=1)
    message = str(caught.value)
    assert "prefect server start" in message and "export PREFECT_API_URL=http://127.0.0.1:4200/api" in message


def test_litmus_serve_exits_non_zero_without_prefect_api_url(monkeypatch, capsys, litmus):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setattr("litmus.updates.deploy._configured_api_url", lambda: None)
    assert litmus(["serve"]) == 2
    err = capsys.readouterr().err
    assert "PREFECT_API_URL is not set" in err and "prefect server start" in err


def test_a_bad_cron_is_refused_before_anything_starts():
    with pytest.raises(ValueError):
        serve_plan(cron="every day at six")
    assert serve_plan().parameters == {"live": False, "extract": True, "wait_seconds": 600.0}


@pytest.mark.integration
def test_serve_registers_the_daily_deployment(prefect_server, tmp_path):
    api_url, env = prefect_server
    serving = subprocess.Popen(
        [sys.executable, "-m", "litmus.cli", "serve", "--name", "nightly-test", "--no-extract",
         "--warehouse", str(tmp_path / "w.duckdb")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )

    async def deployment():
        from prefect.client.orchestration import get_client
        from prefect.exceptions import ObjectNotFound
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            async with get_client() as client:
                try:
                    return await client.read_deployment_by_name("update-evidence/nightly-test")
                except ObjectNotFound:
                    return None

    try:
        found, deadline = None, time.monotonic() + 60
        while found is None and time.monotonic() < deadline and serving.poll() is None:
            time.sleep(0.5)
            found = asyncio.run(deployment())
        assert found is not None, serving.stdout.read().decode() if serving.poll() is not None else "not registered in 60 s"
        assert [s.schedule.cron for s in found.schedules] == [DEFAULT_CRON]
        assert all(s.active for s in found.schedules)
        assert found.parameters["extract"] is False and found.parameters["warehouse"] == str(tmp_path / "w.duckdb")
        assert "as_of" not in found.parameters  # each scheduled run takes its own date
    finally:
        serving.send_signal(signal.SIGTERM)
        try:
            serving.wait(20)
        except subprocess.TimeoutExpired:
            serving.kill()
    assert serving.returncode is not None
