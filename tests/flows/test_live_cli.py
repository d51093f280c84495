"""`litmus ingest --live` end to end: the real CLI, flow, LiveTransport and retries against a local
fake E-utilities server (LITMUS_EUTILS_URL), and `--record` writing a replay that then runs offline."""

from __future__ import annotations

import json
import logging

import duckdb
import pytest
from fake_eutils import Fault, FakeEutils

from litmus.cli import main

pytestmark = pytest.mark.integration

REVIEW = """# A short review of dual targeting

Dual targeting worked well (1). A second trial agreed (2).

## References

1. Alpha A, Beta B. A first trial of tandem CAR-T cells. *Blood* (2020) 136(14):1632-44. doi: 10.1000/first.1
2. Gamma C, Delta D. A second trial of bispecific CAR-T cells. *Nat Med* (2021) 27(10):1797-805.
"""


@pytest.fixture
def fake_ncbi(monkeypatch):
    with FakeEutils() as server:
        server.add_records(["30000001", "30000002"])
        server.add_search('"10.1000/first.1"[doi]', ["30000001"])
        server.add_citation("Nat Med", 2021, "27", "1797", "30000002")
        monkeypatch.setenv("LITMUS_EUTILS_URL", server.base_url)
        monkeypatch.setenv("NCBI_EMAIL", "tester@example.org")
        monkeypatch.setenv("NCBI_API_KEY", "very-secret-key-0123")
        yield server


def test_live_ingest_resolves_fetches_and_records_a_replay(prefect_harness, fake_ncbi, tmp_path, capsys, caplog, monkeypatch):
    review = tmp_path / "review.md"
    review.write_text(REVIEW)
    warehouse = tmp_path / "w.duckdb"
    replay_dir = tmp_path / "corpus" / "entrez"
    monkeypatch.setenv("LITMUS_HOME", str(tmp_path))  # --record writes under $LITMUS_HOME/corpus/entrez
    fake_ncbi.script("efetch", Fault.http(503), Fault.http(429, retry_after=0.1))
    caplog.set_level(logging.DEBUG)

    code = main(["ingest", "--live", "--record", "--review", str(review), "--warehouse", str(warehouse), "--json"])
    out = capsys.readouterr().out
    summary = json.loads(out)
    assert code == 0
    assert summary["resolved"] == 2 and summary["papers_stored"] == 2
    assert fake_ncbi.counts["efetch"] == 3  # one batch, after a 503 and a 429
    assert summary["entrez_requests"] == sum(fake_ncbi.counts.values())  # retries counted too
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        methods = dict(con.execute("SELECT citation_key, resolution_method FROM citations").fetchall())
    finally:
        con.close()
    assert methods == {"1": "doi", "2": "ecitmatch"}
    assert "very-secret-key-0123" not in out + caplog.text

    # The recorded answers replay offline into a fresh warehouse with no request to the server.
    fake_ncbi.reset_log()
    code = main(["ingest", "--review", str(review), "--warehouse", str(tmp_path / "replayed.duckdb"), "--json"])
    replayed = json.loads(capsys.readouterr().out)
    assert code == 0 and replayed["resolved"] == 2 and replayed["papers_stored"] == 2
    assert sum(fake_ncbi.counts.values()) == 0
    assert sorted(p.name for p in (replay_dir / "pubmed").glob("*.xml")) == ["30000001.xml", "30000002.xml"]


JATS_REVIEW = b"""<?xml version="1.0" ?>
<pmc-articleset><article article-type="review-article">
<front><article-meta>
<article-id pub-id-type="pmc">PMC7000001</article-id>
<article-id pub-id-type="doi">10.1000/review.7</article-id>
<title-group><article-title>A small review of CAR-T combinations</article-title></title-group>
</article-meta></front>
<back><ref-list>
<ref id="r1"><label>1</label><element-citation publication-type="journal">
<person-group person-group-type="author"><name><surname>Alpha</surname><given-names>A</given-names></name></person-group>
<article-title>A first trial of tandem CAR-T cells</article-title><source>Blood</source><year>2020</year>
<volume>136</volume><fpage>1632</fpage><pub-id pub-id-type="pmid">30000001</pub-id></element-citation></ref>
<ref id="r2"><label>2</label><element-citation publication-type="journal">
<person-group person-group-type="author"><name><surname>Gamma</surname><given-names>C</given-names></name></person-group>
<article-title>A second trial</article-title><source>Nat Med</source><year>2021</year>
<volume>27</volume><fpage>1797</fpage></element-citation></ref>
</ref-list></back></article></pmc-articleset>
"""


def test_a_review_fetched_from_pmc_by_pmcid(prefect_harness, fake_ncbi, tmp_path, capsys):
    fake_ncbi.add_pmc_article("7000001", JATS_REVIEW)
    code = main(["ingest", "--live", "--review", "PMC7000001", "--warehouse", str(tmp_path / "w.duckdb"), "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    assert summary["citations"] == 2 and summary["resolved"] == 2 and summary["papers_stored"] == 2
    assert {(c["pmid"], c["method"]) for c in summary["resolved_citations"]} == {
        ("30000001", "known_pmid"), ("30000002", "ecitmatch")
    }
    assert fake_ncbi.counts["efetch"] >= 2  # the JATS, then the papers
