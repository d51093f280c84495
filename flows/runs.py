"""What every flow shares: retries for transient errors only, and names and tags that say what ran."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from litmus.entrez.errors import is_transient


def retry_if_transient(task, task_run, state) -> bool:
    """Prefect's `retry_condition_fn`: try again when NCBI was busy or unreachable, never when the
    request was refused, the replay corpus lacks the answer, or the input needs fixing."""
    return is_transient(state.result(raise_on_failure=False))


def mode_label(live: bool = False, record: bool = False) -> str:
    return "record" if record else "live" if live else "offline"


def run_tags(kind: str, *, live: bool = False, record: bool = False, review: str | None = None) -> list[str]:
    """Tags of a flow run and its task runs: `litmus`, what ran, the mode, and the review if any."""
    tags = ["litmus", kind, mode_label(live, record)]
    return tags + ([f"review:{review}"] if review else [])


@contextmanager
def tagged_run(tags: list[str]) -> Iterator[None]:
    """Add `tags` to the flow run in progress (however it was started: CLI, deployment, UI) and to
    every task run created inside the block."""
    from prefect import tags as task_tags
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    if context is not None and context.flow_run is not None:
        merged = list(dict.fromkeys([*context.flow_run.tags, *tags]))
        if merged != list(context.flow_run.tags):
            context.client.update_flow_run(context.flow_run.id, tags=merged)
            context.flow_run.tags = merged
    with task_tags(*tags):
        yield


def flow_parameters() -> dict:
    """The parameters of the flow run being named (inside a `flow_run_name` callable)."""
    from prefect.runtime import flow_run

    return dict(flow_run.parameters or {})
