"""A run Prefect starts finds the NCBI contact address in the Variable `ncbi-email` and the API key in
the Secret block `ncbi-api-key` (nothing in its environment), uses them, and writes the key nowhere:
not in the run's parameters, its logs on the server, its artifacts, the digest or the run log."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import date

import pytest
from fake_eutils import FakeEutils

from litmus.warehouse import open_warehouse

pytestmark = pytest.mark.integration

EMAIL = "variables@example.org"
KEY = "prefect-SECRET-key-0123456789"
SEARCHES = '[[search]]\nname = "tandem"\nquery = "tandem CAR[tiab]"\nlookback_days = 30\n'


@pytest.fixture
def prefect_held_credentials(prefect_api):
    from prefect.blocks.system import Secret
    from prefect.variables import Variable

    Variable.set("ncbi-email", EMAIL, overwrite=True)
    Secret(value=KEY).save("ncbi-api-key", overwrite=True)
    yield
    Variable.unset("ncbi-email")
    Secret.delete("ncbi-api-key")


def test_a_prefect_run_reads_the_variable_and_the_secret_and_leaks_neither(
    prefect_held_credentials, prefect_api, monkeypatch, warehouse, tmp_path,
):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, LogFilter, LogFilterFlowRunId

    from flows.update import update_evidence_flow
    from litmus.updates.searches import SavedSearch

    monkeypatch.delenv("NCBI_EMAIL", raising=False)
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    searches = tmp_path / "searches.toml"
    searches.write_text(SEARCHES)
    term = SavedSearch("tandem", "tandem CAR[tiab]").term
    with FakeEutils() as fake:
        monkeypatch.setenv("LITMUS_EUTILS_URL", fake.base_url)
        fake.add_records(["36100001"])
        fake.add_search(term, ["36100001"], dates={"36100001": date(2026, 1, 3)})
        state = update_evidence_flow(searches_path=str(searches), as_of="2026-01-05", live=True,
                                     warehouse=str(warehouse), extract=False, return_state=True)
        requests = list(fake.log)
    summary = state.result()
    assert summary["new_pmids"] == ["36100001"] and "with API key" in summary["mode"]
    assert requests and all(r.params.get("api_key") == KEY and r.params.get("email") == EMAIL for r in requests)

    run_id = state.state_details.flow_run_id

    async def held_by_the_server():
        async with get_client() as client:
            flow_run = await client.read_flow_run(run_id)
            logs = await client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))
            artifacts = await client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id])))
            return flow_run, logs, artifacts

    deadline = time.monotonic() + 30
    while True:  # logs reach the server in batches, sent in the background
        flow_run, logs, artifacts = asyncio.run(held_by_the_server())
        if (logs and artifacts) or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert logs and artifacts
    with open_warehouse(warehouse, read_only=True) as con:
        run_log = con.execute("SELECT parameters, counts, message FROM run_log").fetchall()
    seen = [json.dumps(flow_run.parameters), *(log.message for log in logs), *(json.dumps(a.data) for a in artifacts),
            summary["digest"], json.dumps(summary, default=str), repr(run_log)]
    assert [text for text in seen if KEY in text] == []
