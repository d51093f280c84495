"""The misquote benchmark end to end: its abstracts ingested as a PubMed file and extracted, its
review's citations resolved, the review's own prose verified with `litmus verify --review FILE`, and the
verdicts scored against the answer key (bench/misquote_eval.py, bench/misquote/)."""

from __future__ import annotations

import json

import pytest
from helpers import load_bench_script

from litmus.cli import main

pytestmark = pytest.mark.integration


def load_benchmark():
    return load_bench_script("misquote_eval")


@pytest.fixture(scope="module")
def benchmark(tmp_path_factory):
    module = load_benchmark()
    workdir = tmp_path_factory.mktemp("misquote")
    warehouse = workdir / "misquote.duckdb"
    ingested = module.ingest(warehouse, workdir)
    return module, warehouse, ingested


def test_every_reference_is_resolved_from_the_ingested_pubmed_file(benchmark):
    _, _, ingested = benchmark
    assert ingested["records"] == ingested["citations"] == ingested["resolved"] == 15
    assert ingested["already_stored"] == 15  # nothing fetched: the PubMed file holds them all


def test_verify_review_file_reads_its_own_prose_and_meets_the_targets(benchmark, prefect_harness, capsys):
    module, warehouse, _ = benchmark
    review = module.DATA / "review.md"
    code = main(["verify", "--review", str(review), "--warehouse", str(warehouse), "--json"])
    claims = json.loads(capsys.readouterr().out)
    assert code == 0 and all(c["origin"] == "prose" for c in claims)
    text = review.read_text(encoding="utf-8")
    for claim in claims:
        sentence = claim["review_sentence"]
        assert text[sentence["start"]:sentence["end"]] == claim["claim"], claim["claim_id"]
    result = module.score(claims, module.load_answers())
    assert result["missed_claims"] == 0 and result["claims_sharing_a_verdict"] == 0
    assert result["error_recall"] >= 0.95, result["by_kind"]
    assert all(kind["recall"] >= 0.8 for kind in result["by_kind"].values()), result["by_kind"]
    assert result["false_alarm_rate"] <= 0.05
    assert result["correct_supported"] >= 0.85


def test_the_score_counts_what_it_says():
    module = load_benchmark()
    answers = [{"phrase": "alpha", "truth": "correct"}, {"phrase": "beta", "truth": "value"},
               {"phrase": "gamma", "truth": "composite"}, {"phrase": "delta", "truth": "correct"}]
    claims = [
        {"claim_id": "c1", "claim": "alpha", "verdict": "supported", "discrepancy_kinds": []},
        {"claim_id": "c2", "claim": "beta", "verdict": "contradicted", "discrepancy_kinds": ["value"]},
        {"claim_id": "c3", "claim": "gamma", "verdict": "supported_with_discrepancy", "discrepancy_kinds": ["rounding"]},
        {"claim_id": "c4", "claim": "delta", "verdict": "contradicted", "discrepancy_kinds": ["value"]},
    ]
    result = module.score(claims, answers)
    assert (result["error_recall"], result["kind_named"], result["false_alarm_rate"], result["correct_supported"]) == (
        1.0, 0.5, 0.5, 0.5)
    assert result["by_kind"]["composite"] == {"claims": 1, "recall": 1.0, "kind_named": 0.0}
