"""The SQL examples in README.md run on the warehouse of the default job and answer their question."""

from __future__ import annotations

import re

import pytest

from litmus.query import run_query

pytestmark = pytest.mark.integration

# A query whose honest answer on the shipped corpus is "none" says so in a comment that starts this way.
NONE_SHIPPED = "-- none in the shipped corpus"


def readme_queries(project_root) -> list[str]:
    text = (project_root / "README.md").read_text()
    return re.findall(r"```sql\n(.*?)```", text, flags=re.DOTALL)


def readme_query(project_root, *words: str) -> str:
    (query,) = [q for q in readme_queries(project_root) if all(word in q for word in words)]
    return query


def test_the_readme_has_sql_examples(project_root):
    assert len(readme_queries(project_root)) >= 6


def test_every_readme_query_runs_and_returns_rows(shipped_run, project_root):
    warehouse = shipped_run[0]
    for query in readme_queries(project_root):
        result = run_query(warehouse, query)
        assert result.columns, query
        if query.startswith(NONE_SHIPPED):
            assert result.rows == [], f"the README says this finds nothing in the shipped corpus:\n{query}"
        else:
            assert result.rows, f"no rows for:\n{query}"


def test_dual_targeting_cr_query_quotes_the_source_sentence(shipped_run, project_root):
    first = readme_queries(project_root)[0]
    rows = run_query(shipped_run[0], first).as_dicts()
    assert {(row["outcome"], row["study"]) for row in rows} >= {("CR/CRi", "Cordoba 2021"), ("CR", "Tong 2020")}
    for row in rows:
        assert row["quote"] and str(int(row["cr_pct"])) in row["quote"]
        if row["k_n_source"] != "stated":
            assert row["events"] is None and row["total"] is None  # never a count the paper does not state


def test_pooled_dual_targeting_cr_query(shipped_run, project_root):
    rows = run_query(shipped_run[0], readme_query(project_root, "pooled_estimates", "'CR'")).as_dicts()
    # No dual-targeting study states a plain CR as k/n (Tong 2020 gives 71%, Wu 2021 54.55%): no CR row.
    # Cordoba 2021 states CR or CRi as 13/15: one study, reported with its exact interval, not pooled.
    assert [(r["outcome"], r["method"], r["k"], r["events"], r["total"], r["cr_pct"]) for r in rows] == [
        ("CR/CRi", "single study", 1, 13, 15, 86.7)]
    assert rows[0]["pmids"] == ["34642489"]


def test_grade_3_crs_query_finds_a_study_above_20_percent(trials_warehouse, project_root):
    query = readme_query(project_root, "CRS_GE3", "> 20")
    rows = [dict(zip([d[0] for d in trials_warehouse.execute(query).description], r))
            for r in trials_warehouse.execute(query).fetchall()]
    # tests/evidence_trials.py: Alpha 2021 states 6 of 20 (30%); Gamma 2023 states 3 of 30 (10%)
    assert [(r["study"], r["crs_ge3_pct"], r["events"], r["total"]) for r in rows] == [("Alpha 2021", 30.0, 6, 20)]
