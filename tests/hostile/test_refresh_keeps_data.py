"""Finding 6: a refresh that cannot reach NCBI keeps what earlier runs found, says which steps failed and
exits non-zero. `litmus run --live --refresh` with NCBI unreachable used to drop every resolved citation
to unresolved, turn supported claims unverifiable, print "done" and exit 0."""

from __future__ import annotations

import json
import socket

import duckdb
import pytest
from fake_eutils import FakeEutils

from litmus.cli import main
from litmus.entrez import EntrezClient, LiveTransport, RetryPolicy
from litmus.ingest import fetch_and_store, resolve_review
from litmus.references.markdown import parse_review_markdown
from litmus.warehouse import connect

REVIEW = """# A short review of dual targeting

Tandem CAR-T cells gave an overall response rate of 80% (1). Bispecific CAR-T cells gave a complete
remission rate of 60% (2).

## References

1. Alpha A, Beta B. A first trial of tandem CAR-T cells. *Blood* (2020) 136(14):1632-44. doi: 10.1000/first.1
2. Gamma C, Delta D. A second trial of bispecific CAR-T cells. *Nat Med* (2021) 27(10):1797-805.
"""


def _dead_url() -> str:
    """An address nobody listens on: connections are refused, as when NCBI is unreachable."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/entrez/eutils/"


@pytest.fixture
def ncbi():
    with FakeEutils() as server:
        server.add_record("30000001", abstract="Twenty patients received tandem CAR-T cells. The overall response rate was 80% (16/20).")
        server.add_record("30000002", abstract="Fifteen patients received bispecific CAR-T cells. Complete remission was 60% (9/15).")
        server.add_search('"10.1000/first.1"[doi]', ["30000001"])
        server.add_citation("Nat Med", 2021, "27", "1797", "30000002")
        yield server


def _client(base_url: str) -> EntrezClient:
    transport = LiveTransport("tester@example.org", base_url=base_url, timeout=2.0)
    return EntrezClient(transport, retry=RetryPolicy(max_attempts=2, base_delay=0.0, max_delay=0.0))


def _state(con) -> dict:
    return {
        "citations": con.execute("SELECT citation_key, pmid, resolution_method FROM citations ORDER BY 1").fetchall(),
        "papers": con.execute("SELECT pmid, title, abstract FROM papers ORDER BY 1").fetchall(),
    }


def test_a_refresh_without_ncbi_keeps_resolutions_and_papers_and_names_the_failures(ncbi, tmp_path):
    review = parse_review_markdown(REVIEW, review_id="refresh-review")
    con = connect(tmp_path / "w.duckdb")
    try:
        resolved = resolve_review(con, review, _client(ncbi.base_url))
        fetch_and_store(con, _client(ncbi.base_url), [r.pmid for r in resolved.resolved], source="eutils")
        before = _state(con)
        assert [c[1] for c in before["citations"]] == ["30000001", "30000002"] and len(before["papers"]) == 2

        dead = _client(_dead_url())
        refreshed = resolve_review(con, review, dead, refresh=True)
        fetched = fetch_and_store(con, dead, [r.pmid for r in refreshed.resolved], source="eutils", refresh=True)

        assert _state(con) == before
        assert [r.pmid for r in refreshed.resolved] == ["30000001", "30000002"]
        assert refreshed.kept == ("1", "2") and refreshed.ncbi_failed == {"1", "2"}
        (failure,) = refreshed.failures()
        assert failure.startswith("resolution: NCBI failed the lookup of 2 citation(s) (1, 2); earlier resolutions kept")
        (fetch_failure,) = fetched.failures()
        assert fetch_failure.startswith("fetch: could not fetch 2 of 2 papers again") and "2 stored copies kept" in fetch_failure
    finally:
        con.close()


def test_a_first_run_without_ncbi_still_fails_loudly(ncbi, tmp_path):
    """Nothing to keep: a fetch that cannot reach NCBI without --refresh stops as before."""
    from litmus.entrez import EntrezError

    con = connect(tmp_path / "w.duckdb")
    try:
        with pytest.raises(EntrezError):
            fetch_and_store(con, _client(_dead_url()), ["30000001"], source="eutils")
    finally:
        con.close()


@pytest.mark.integration
def test_run_live_refresh_without_ncbi_exits_non_zero_with_verdicts_intact(prefect_harness, ncbi, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NCBI_EMAIL", "tester@example.org")
    monkeypatch.setenv("COLUMNS", "400")  # the summary's lines unwrapped, for the assertions
    monkeypatch.setattr(RetryPolicy, "delay", lambda self, attempt, retry_after=None: 0.0)  # fail fast, not slow
    review = tmp_path / "review.md"
    review.write_text(REVIEW)
    warehouse = tmp_path / "w.duckdb"
    argv = ["run", "--live", "--review", str(review), "--warehouse", str(warehouse), "--json"]

    monkeypatch.setenv("LITMUS_EUTILS_URL", ncbi.base_url)
    assert main(argv) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["ingest"]["resolved"] == 2 and first["ingest"]["failed_steps"] == []
    verdicts = _verdicts(warehouse)
    assert verdicts.count("supported") == 2

    monkeypatch.setenv("LITMUS_EUTILS_URL", _dead_url())
    code = main(["run", "--live", "--refresh", "--review", str(review), "--warehouse", str(warehouse)])
    out = capsys.readouterr().out
    assert code == 1
    assert "failed resolution: NCBI failed the lookup of 2 citation(s) (1, 2); earlier resolutions kept for 1, 2" in out
    assert "failed fetch: could not fetch 2 of 2 papers again" in out
    assert "finished with failed steps" in out and "\ndone" not in out
    assert _verdicts(warehouse) == verdicts
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT count(pmid) FROM citations").fetchall()[0][0] == 2
    finally:
        con.close()


def _verdicts(warehouse) -> list[str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return [row[0] for row in con.execute("SELECT verdict FROM claims ORDER BY claim_id").fetchall()]
    finally:
        con.close()
