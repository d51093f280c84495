"""prefect.yaml and `litmus serve`: one definition of the deployments; serving refuses without a real
Prefect server; with one, the served deployments run and the server holds their INFO logs, named
task runs and artifacts."""

from __future__ import annotations

import asyncio
import inspect
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from litmus.updates.deploy import (
    DeploymentConfigError, Overrides, PrefectServerUnavailable, check_prefect_server, load_deployments, serve_plan,
)

SEARCHES = ("cd19-cd22-dual-car-t", "bcma-car-t-myeloma", "car-t-btk-inhibitors", "car-nk-b-cell",
            "car-t-bridging-lbcl", "car-t-imid-maintenance")
REVIEW = "zhang2022-editorial-car-t-resistance"


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/api"


# --------------------------------------------------------------------------- the definitions


def test_prefect_yaml_defines_the_daily_update_and_the_full_run():
    specs = {spec.name: spec for spec in load_deployments()}
    assert set(specs) == {"daily-evidence-update", "weekly-full-run"}
    update, run = specs["daily-evidence-update"], specs["weekly-full-run"]
    assert update.flow_name == "update-evidence" and run.flow_name == "litmus-run"
    for spec in specs.values():
        assert spec.schedules and all(s.timezone == "America/New_York" and s.active for s in spec.schedules)
        assert spec.parameters["live"] is True  # live by default
        accepted = inspect.signature(spec.load_flow().fn).parameters
        assert set(spec.parameters) <= set(accepted), spec.name
        assert "as_of" not in spec.parameters  # each scheduled run takes its own date
        assert not any("key" in name or "email" in name for name in spec.parameters)  # never a secret
    assert update.schedules[0].cron == "0 6 * * *"


def test_every_deployment_parameter_is_documented_for_the_prefect_ui():
    from prefect.utilities.callables import parameter_schema

    for spec in load_deployments():
        schema = parameter_schema(spec.load_flow().fn)
        undocumented = [name for name, field in schema.properties.items() if not field.get("description")]
        assert undocumented == [], spec.name


def test_serving_offline_or_elsewhere_changes_only_what_each_flow_takes():
    specs = load_deployments()
    plan = {s.name: s for s in serve_plan(specs, overrides=Overrides(offline=True, warehouse="/tmp/w.duckdb", extract=False))}
    assert plan["daily-evidence-update"].parameters == {
        "live": False, "extract": False, "wait_seconds": 600, "warehouse": "/tmp/w.duckdb",
    }
    assert plan["weekly-full-run"].parameters == {"live": False, "warehouse": "/tmp/w.duckdb"}  # no `extract` there
    assert "offline" in plan["weekly-full-run"].tags and "live" not in plan["weekly-full-run"].tags
    only = serve_plan(specs, ["daily-evidence-update"], Overrides(cron="30 5 * * *", timezone="Europe/Berlin"))
    assert [(s.cron, s.timezone) for s in only[0].schedules] == [("30 5 * * *", "Europe/Berlin")]


@pytest.mark.parametrize("overrides, only, message", [
    (Overrides(cron="every day at six"), ["daily-evidence-update"], "every day at six"),
    (Overrides(timezone="Mars/Olympus"), ["daily-evidence-update"], "Mars/Olympus"),
    (Overrides(cron="0 6 * * *"), None, "name it with --deployment"),
    (Overrides(), ["nightly"], "no deployment named nightly"),
])
def test_a_bad_schedule_or_name_is_refused_before_anything_starts(overrides, only, message):
    with pytest.raises(ValueError, match=message):
        serve_plan(load_deployments(), only, overrides)


def test_a_schedule_without_a_time_zone_is_refused(tmp_path):
    broken = tmp_path / "prefect.yaml"
    broken.write_text(
        "deployments:\n  - name: daily\n    entrypoint: flows/update.py:update_evidence_flow\n"
        "    schedules:\n      - cron: '0 6 * * *'\n"
    )
    with pytest.raises(DeploymentConfigError, match="explicit timezone"):
        load_deployments(broken)


# --------------------------------------------------------------------------- refusing to serve


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


def test_serving_live_without_a_contact_address_is_refused(monkeypatch, capsys, litmus):
    monkeypatch.setattr("litmus.updates.deploy.check_prefect_server", lambda api_url=None: "http://127.0.0.1:1/api")
    monkeypatch.setattr("litmus.settings.ncbi_email", lambda ask_prefect=False: None)
    assert litmus(["serve"]) == 2
    err = capsys.readouterr().err
    assert "NCBI_EMAIL" in err and "prefect variable set ncbi-email" in err and "--offline" in err


# --------------------------------------------------------------------------- serving for real


def read_back(api_url: str, query):
    """Run `query(client)` against the session's Prefect server."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    async def go():
        async with get_client() as client:
            return await query(client)

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        return asyncio.run(go())


@pytest.fixture
def served(prefect_server, tmp_path):
    """`litmus serve --offline` in a subprocess, on the session's Prefect server, until the test ends."""
    api_url, env = prefect_server
    env = {**env, "PREFECT_RUNNER_POLL_FREQUENCY": "1"}  # pick up a new run within a second
    warehouse = tmp_path / "served.duckdb"
    serving = subprocess.Popen(
        [sys.executable, "-m", "litmus.cli", "serve", "--offline", "--warehouse", str(warehouse)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        yield api_url, warehouse, serving
    finally:
        os.killpg(serving.pid, signal.SIGTERM)
        try:
            serving.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(serving.pid, signal.SIGKILL)
            serving.wait()


def wait_for_deployments(api_url: str, serving, names: list[str], seconds: float = 90) -> dict:
    from prefect.exceptions import ObjectNotFound

    async def lookup(client):
        found = {}
        for name in names:
            try:
                found[name] = await client.read_deployment_by_name(name)
            except ObjectNotFound:
                return None
        return found

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if serving.poll() is not None:
            pytest.fail(f"litmus serve stopped: {serving.stdout.read().decode()[-3000:]}")
        found = read_back(api_url, lookup)
        if found:
            return found
        time.sleep(0.5)
    pytest.fail(f"deployments not registered in {seconds:.0f} s")


@pytest.mark.integration
def test_the_served_deployments_run_and_the_server_holds_logs_named_task_runs_and_artifacts(served):
    from prefect.client.schemas.filters import (
        ArtifactFilter, ArtifactFilterFlowRunId, FlowRunFilter, FlowRunFilterId, LogFilter, LogFilterFlowRunId,
    )
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    api_url, warehouse, serving = served
    deployments = wait_for_deployments(api_url, serving, ["update-evidence/daily-evidence-update", "litmus-run/weekly-full-run"])
    update = deployments["update-evidence/daily-evidence-update"]
    assert [(s.schedule.cron, s.schedule.timezone) for s in update.schedules] == [("0 6 * * *", "America/New_York")]
    assert update.parameters == {"live": False, "extract": True, "wait_seconds": 600, "warehouse": str(warehouse)}

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        full_run = run_deployment("litmus-run/weekly-full-run", timeout=600, poll_interval=1, as_subflow=False)
        assert full_run.state.is_completed(), full_run.state
        run = run_deployment("update-evidence/daily-evidence-update", parameters={"as_of": "2026-01-05"},
                             timeout=600, poll_interval=1, as_subflow=False)
    assert run.state.is_completed(), run.state

    async def what_the_server_holds(client):
        flow_run = await client.read_flow_run(run.id)
        task_runs = await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id])))
        logs = await client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])))
        artifacts = await client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id])))
        return flow_run, task_runs, logs, artifacts

    deadline = time.monotonic() + 60
    while True:  # the run's last log lines reach the server shortly after the run ends
        flow_run, task_runs, logs, artifacts = read_back(api_url, what_the_server_holds)
        if any("update 2026-01-05:" in log.message for log in logs) or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert flow_run.name == "update-2026-01-05-offline"
    assert {"litmus", "update", "offline"} <= set(flow_run.tags)
    names = {t.name for t in task_runs}
    assert {f"search-{name}" for name in SEARCHES} <= names
    assert {"extract-page-1", f"verify-{REVIEW}", "write-digest", "publish-digest"} <= names
    info = [log.message for log in logs if log.level == 20]
    assert any("update 2026-01-05: 3 new" in message for message in info), info[-10:]
    assert any("Finished in state Completed" in message for message in info)
    kinds = {(a.key, a.type) for a in artifacts}
    assert ("evidence-digest-2026-01-05", "markdown") in kinds
    assert (f"verdicts-{REVIEW}", "table") in kinds and ("evidence-table", "table") in kinds
    digest = next(a for a in artifacts if a.key == "evidence-digest-2026-01-05")
    assert "3 new studies (3 clinical)" in digest.data
