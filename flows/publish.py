"""Prefect tasks that publish a run's results as artifacts: the verdict table, the evidence table and
the update digest (content from `litmus.artifacts` and `litmus.updates.digest`)."""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.cache_policies import NONE

from litmus.artifacts import artifact_key, evidence_rows, verdict_rows
from litmus.warehouse import open_warehouse


def _in_a_run() -> bool:
    """Artifacts belong to a run; a task called as a plain function (`task.fn()`) publishes nothing."""
    from prefect.context import TaskRunContext

    return TaskRunContext.get() is not None


@task(name="publish-verdicts", task_run_name="publish-verdicts-{review_id}", cache_policy=NONE)
def publish_verdicts(review_id: str, warehouse: Path) -> int:
    with open_warehouse(warehouse, read_only=True) as con:
        rows = verdict_rows(con, review_id)
    if _in_a_run():
        from prefect.artifacts import create_table_artifact

        create_table_artifact(
            table=rows, key=artifact_key("verdicts", review_id),
            description=f"Claims of {review_id} checked against their sources: one row per claimed figure",
        )
    return len(rows)


@task(name="publish-evidence-table", task_run_name="publish-evidence-table", cache_policy=NONE)
def publish_evidence(warehouse: Path) -> int:
    with open_warehouse(warehouse, read_only=True) as con:
        rows = evidence_rows(con)
    if _in_a_run():
        from prefect.artifacts import create_table_artifact

        create_table_artifact(
            table=rows, key="evidence-table",
            description="The evidence table: studies by strategy, with N, response and survival, cited or found by saved searches",
        )
    return len(rows)


@task(name="publish-digest", task_run_name="publish-digest", cache_policy=NONE)
def publish_digest(text: str, as_of: str) -> None:
    if _in_a_run():
        from prefect.artifacts import create_markdown_artifact

        create_markdown_artifact(
            markdown=text, key=artifact_key("evidence-digest", as_of),
            description=f"New studies from the saved searches, {as_of}",
        )
