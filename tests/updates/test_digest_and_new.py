"""The digest of a run and `litmus new --since`: what came in, found by which search, clinical or not."""

from __future__ import annotations

import json
import uuid

import pytest

from litmus.updates.digest import build_digest, new_since
from litmus.updates.incremental import update_search
from litmus.updates.relevance import classify_and_store
from search_replay import FIRST_DAY, SECOND_DAY
from litmus.updates.searches import load_searches
from litmus.warehouse import open_warehouse


def run_days(con, client, days) -> list[str]:
    run_ids = []
    for day in days:
        run_id = uuid.uuid4().hex
        for search in load_searches():
            update_search(con, client, search, day, run_id=run_id)
        classify_and_store(con, [r[0] for r in con.execute("SELECT pmid FROM papers").fetchall()])
        run_ids.append(run_id)
    return run_ids


def add_metric(con, pmid: str, endpoint: str, value: float) -> None:
    con.execute(
        "INSERT INTO metrics (pmid, metric_index, source, start_offset, end_offset, endpoint, stat, value, unit,"
        " not_reached, quote, extractor_version) VALUES (?, 0, 'abstract', 0, 1, ?, 'rate', ?, '%', false, 'q', 't')",
        [pmid, endpoint, value],
    )


@pytest.fixture
def two_days(warehouse, replay_client):
    with open_warehouse(warehouse) as con:
        run_ids = run_days(con, replay_client, (FIRST_DAY, SECOND_DAY))
        add_metric(con, "30988175", "ORR", 88.2)  # the figure its abstract states
        yield con, run_ids


def test_the_digest_lists_new_studies_with_search_verdict_and_metrics(two_days):
    con, (day1, day2) = two_days
    text = build_digest(con, day1, FIRST_DAY)
    assert text.startswith("# litmus update, 2026-01-05")
    assert "3 new studies (3 clinical) and 0 updated from 6 saved searches." in text
    assert "### [30988175](https://pubmed.ncbi.nlm.nih.gov/30988175/) Exploratory trial of a biepitopic" in text
    assert "found by `bcma-car-t-myeloma`" in text
    assert "clinical study: yes (publication type: Clinical Trial)" in text
    assert "headline metrics: ORR 88.2%" in text
    assert "| `car-nk-b-cell` | edat | 2025-01-05..2026-01-04 | searched | 0 | 1 | 0 | 0 |" in text
    second = build_digest(con, day2, SECOND_DAY)
    assert "4 new studies" in second and "30988175" not in second.split("## Searches")[0]


def test_new_since_lists_what_came_in(two_days):
    con, _ = two_days
    assert [p["pmid"] for p in new_since(con, SECOND_DAY)] == ["31042825", "35433994", "36346962", "36724512"]
    everything = new_since(con, FIRST_DAY)
    assert len(everything) == 7
    first = everything[0]
    assert first["first_seen"] == "2026-01-05" and first["is_clinical"] is True and first["cited_by_review"] is False


def test_litmus_new_prints_text_and_json(two_days, warehouse, capsys, litmus):
    con, _ = two_days
    con.close()
    assert litmus(["new", "--since", "2026-01-06", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert "4 paper(s) new since 2026-01-06" in out
    assert "36346962" in out and "searches: cd19-cd22-dual-car-t" in out and "30988175" not in out

    assert litmus(["new", "--since", "2026-01-05", "--json", "--warehouse", str(warehouse)]) == 0
    papers = json.loads(capsys.readouterr().out)["papers"]
    assert {p["pmid"] for p in papers} >= {"30988175", "34312556"}
    assert next(p for p in papers if p["pmid"] == "30988175")["metrics"] == ["ORR 88.2%"]

    assert litmus(["new", "--since", "2030-01-01", "--warehouse", str(warehouse)]) == 0
    assert "nothing new since 2030-01-01" in capsys.readouterr().out


def test_litmus_new_before_any_update_says_what_to_do(warehouse, capsys, litmus):
    open_warehouse(warehouse).__enter__().close()
    assert litmus(["new", "--since", "2026-01-01", "--warehouse", str(warehouse)]) == 2
    assert "run `litmus update` first" in capsys.readouterr().err


def test_bad_dates_and_config_errors_are_one_line(tmp_path, warehouse, capsys, litmus):
    with pytest.raises(SystemExit):
        litmus(["new", "--since", "2026-13-01"])
    assert "not a date (YYYY-MM-DD)" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text('[[search]]\nname = "x"\nquery = ""\n')
    assert litmus(["update", "--searches", str(bad), "--warehouse", str(warehouse), "--as-of", "2026-01-05"]) == 2
    assert "search 'x': query is empty" in capsys.readouterr().err
