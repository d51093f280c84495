"""The `litmus` command in-process, through its real Prefect flows (one temporary Prefect server
for this module): bad input exits 2 and changes nothing; the API key stays out of Prefect's
parameters, the run log and every log line; a user's error is not retried by the flow."""

from __future__ import annotations

import contextlib
import io
import json
import logging
from pathlib import Path

import pytest
from fake_eutils import Fault

from litmus.records import Citation, Review
from litmus.pubmed import parse_pubmed_xml
from litmus.warehouse import WarehouseBusy, connect
from litmus.warehouse.load import load_papers, upsert_review
from reliability_support import EMAIL, FAKE_API_KEY, snapshot

BAD = Path(__file__).resolve().parent / "bad_inputs"
# One per reader (TOML, Markdown, JATS, unsupported); the whole corpus is in test_bad_inputs.py.
CLI_SAMPLE = ["review_not_utf8.toml", "review_no_reference_list.md", "jats_no_article.xml", "review.pdf"]


@pytest.fixture(scope="module", autouse=True)
def harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def cli(*argv: str) -> tuple[int, str, str]:
    from litmus.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def populated(tmp_path) -> Path:
    path = tmp_path / "litmus.duckdb"
    con = connect(path)
    upsert_review(con, Review("kept-review", "Kept", (Citation("1", "numbered", pmid="35000011"),)))
    load_papers(con, parse_pubmed_xml(BAD / "stored_pubmed_unicode_title.xml"), source="eutils")
    con.close()
    return path


def state(path: Path):
    con = connect(path, read_only=True)
    try:
        return snapshot(con)
    finally:
        con.close()


def test_bad_reviews_exit_2_with_a_clear_error_and_change_nothing(populated, tmp_path):
    before = state(populated)
    specs = [str(BAD / name) for name in CLI_SAMPLE] + [str(tmp_path / "missing.toml"), "/etc/passwd"]
    for spec in specs:
        status, out, err = cli("ingest", "--review", spec, "--warehouse", str(populated))
        assert status == 2 and out == "", (spec, out, err)
        message = err[err.index("error: "):]
        assert "Traceback" not in message and len(" ".join(message.split())) < 600, (spec, message)
        assert "root:x" not in err
    assert state(populated) == before


def test_an_sql_looking_review_is_stored_verbatim_through_the_cli(tmp_path):
    warehouse = tmp_path / "litmus.duckdb"
    status, out, err = cli("ingest", "--review", str(BAD / "stored_review_sql_title.toml"), "--warehouse", str(warehouse))
    assert status == 0, err
    con = connect(warehouse, read_only=True)
    try:
        assert con.execute("SELECT title FROM reviews").fetchall() == [("'); DROP TABLE papers; --",)]
        assert con.execute("SELECT count(*) FROM citations").fetchall() == [(1,)]
    finally:
        con.close()



def test_the_user_sees_one_line_and_no_traceback(populated, caplog):
    caplog.set_level(logging.DEBUG)
    status, _, err = cli("ingest", "--review", str(BAD / "review_syntax_error.toml"), "--warehouse", str(populated))
    assert status == 2
    with_traceback = [r for r in caplog.records if r.exc_info and r.levelno >= logging.ERROR]
    assert with_traceback == []
    assert len(err.strip().splitlines()) == 1


def test_a_users_error_is_not_retried_by_the_flow(monkeypatch, tmp_path):
    import flows.ingest as ingest_flow
    from prefect import flow

    calls = []

    def busy(path, **kwargs):
        calls.append(path)
        raise WarehouseBusy(f"warehouse {path} is locked by another litmus process")

    monkeypatch.setattr(ingest_flow, "open_warehouse", busy)
    fetch = ingest_flow.fetch_batch.with_options(retry_delay_seconds=0)

    @flow
    def one_fetch():
        return fetch(1, [], ingest_flow.EntrezSettings(), tmp_path / "w.duckdb", False)

    with pytest.raises(WarehouseBusy):
        one_fetch()
    assert len(calls) == 1


def test_the_api_key_stays_out_of_prefect_the_run_log_and_the_logs(fake, tmp_path, monkeypatch, caplog):
    """Live mode against the fake server (LITMUS_EUTILS_URL); the key comes from NCBI_API_KEY."""
    from prefect.client.orchestration import get_client

    monkeypatch.setenv("LITMUS_EUTILS_URL", fake.base_url)
    monkeypatch.setenv("NCBI_API_KEY", FAKE_API_KEY)
    monkeypatch.setenv("NCBI_EMAIL", EMAIL)
    fake.add_records(["34642489"])
    fake.script("esearch", Fault.http(429, body=f'{{"error":"API rate limit exceeded","api-key":"{FAKE_API_KEY}"}}'.encode()))
    caplog.set_level(logging.DEBUG)
    warehouse = tmp_path / "litmus.duckdb"

    status, out, err = cli("run", "--live", "--warehouse", str(warehouse), "--json")

    assert status == 0, err
    assert any(r.params.get("api_key") == FAKE_API_KEY for r in fake.log)  # the key was used...
    seen = [out, err] + [r.getMessage() for r in caplog.records] + [str(r.args) for r in caplog.records]
    assert not [text for text in seen if FAKE_API_KEY in text]  # ...and never shown
    con = connect(warehouse, read_only=True)
    try:
        run_log = con.execute("SELECT parameters, counts, message FROM run_log").fetchall()
    finally:
        con.close()
    assert run_log and FAKE_API_KEY not in repr(run_log)

    async def flow_runs():
        async with get_client() as client:
            return await client.read_flow_runs()

    import asyncio

    runs = asyncio.run(flow_runs())
    assert runs and FAKE_API_KEY not in json.dumps([r.parameters for r in runs], default=str)
