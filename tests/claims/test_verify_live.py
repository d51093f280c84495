"""`litmus verify --review PMC… --live`: the review's JATS fetched from a local fake E-utilities server,
its prose read, each verdict carrying its sentence and offsets in that JATS."""

from __future__ import annotations

import json

import pytest
from fake_eutils import FakeEutils

from litmus.cli import main

pytestmark = pytest.mark.integration

# Written for this test: a review in JATS whose body cites two synthetic records.
JATS = b"""<?xml version="1.0" ?>
<pmc-articleset><article article-type="review-article">
<front><article-meta>
<article-id pub-id-type="pmc">PMC7000002</article-id>
<title-group><article-title>Tandem CAR T cells in review</article-title></title-group>
</article-meta></front>
<body><sec><title>Results</title>
<p>Alpha et al. enrolled 40 patients with lymphoma, and the complete response rate was 58% <xref ref-type="bibr" rid="r1">1</xref>.
The overall response rate in the second trial was 90% <xref ref-type="bibr" rid="r2">2</xref>.</p>
</sec></body>
<back><ref-list>
<ref id="r1"><label>1</label><element-citation publication-type="journal">
<person-group person-group-type="author"><name><surname>Alpha</surname><given-names>A</given-names></name></person-group>
<article-title>A trial</article-title><source>Blood</source><year>2020</year>
<pub-id pub-id-type="pmid">30000011</pub-id></element-citation></ref>
<ref id="r2"><label>2</label><element-citation publication-type="journal">
<person-group person-group-type="author"><name><surname>Gamma</surname><given-names>C</given-names></name></person-group>
<article-title>Another trial</article-title><source>Blood</source><year>2021</year>
<pub-id pub-id-type="pmid">30000012</pub-id></element-citation></ref>
</ref-list></back></article></pmc-articleset>
"""


@pytest.fixture
def fake_ncbi(monkeypatch):
    with FakeEutils() as server:
        server.add_record("30000011", abstract="In a phase 1 trial, 40 patients with lymphoma were enrolled. "
                                               "The complete response rate was 58%.")
        server.add_record("30000012", abstract="Twenty patients were treated. The overall response rate was 75%.")
        server.add_pmc_article("7000002", JATS)
        monkeypatch.setenv("LITMUS_EUTILS_URL", server.base_url)
        monkeypatch.setenv("NCBI_EMAIL", "tester@example.org")
        yield server


def test_verify_a_pmc_review_reads_its_own_prose(prefect_harness, fake_ncbi, tmp_path, capsys):
    warehouse = str(tmp_path / "w.duckdb")
    assert main(["ingest", "--live", "--review", "PMC7000002", "--warehouse", warehouse, "--json"]) == 0
    main(["extract", "--warehouse", warehouse, "--json"])
    capsys.readouterr()
    code = main(["verify", "--live", "--review", "PMC7000002", "--warehouse", warehouse, "--json"])
    claims = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [(c["cites"], c["origin"], c["verdict"]) for c in claims] == [
        (["1"], "prose", "supported"), (["2"], "prose", "contradicted")]
    jats = JATS.decode()
    first = claims[0]["review_sentence"]
    assert jats[first["start"]:first["end"]].startswith("Alpha et al. enrolled 40 patients")
    assert claims[1]["facts"][0]["discrepancy_kind"] == "value"
    assert claims[1]["facts"][0]["source"]["sentence"] == "The overall response rate was 75%."


def test_verify_a_pmc_review_offline_says_what_to_do(tmp_path, capsys):
    code = main(["verify", "--review", "PMC7000002", "--warehouse", str(tmp_path / "w.duckdb")])
    assert code == 2 and "--live" in capsys.readouterr().err
