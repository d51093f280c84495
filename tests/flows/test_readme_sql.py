"""The SQL examples in README.md run on the warehouse of the default job and answer their question."""

from __future__ import annotations

import re

import pytest

from litmus.query import run_query

pytestmark = pytest.mark.integration


def readme_queries(project_root) -> list[str]:
    text = (project_root / "README.md").read_text()
    return re.findall(r"```sql\n(.*?)```", text, flags=re.DOTALL)


def test_the_readme_has_sql_examples(project_root):
    assert len(readme_queries(project_root)) >= 4


def test_every_readme_query_runs_and_returns_rows(shipped_run, project_root):
    warehouse = shipped_run[0]
    for query in readme_queries(project_root):
        result = run_query(warehouse, query)
        assert result.columns, query
        assert result.rows, f"no rows for:\n{query}"


def test_dual_targeting_cr_query_quotes_the_source_sentence(shipped_run, project_root):
    first = readme_queries(project_root)[0]
    rows = run_query(shipped_run[0], first).as_dicts()
    for row in rows:
        assert row["quote"] and str(int(row["cr_pct"])) in row["quote"]
