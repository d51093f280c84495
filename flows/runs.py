"""What every flow shares: retries for transient errors only, and names and tags that say what ran."""

from __future__ import annotations

from litmus.entrez.errors import is_transient


def retry_if_transient(task, task_run, state) -> bool:
    """Prefect's `retry_condition_fn`: try again when NCBI was busy or unreachable, never when the
    request was refused, the replay corpus lacks the answer, or the input needs fixing."""
    return is_transient(state.result(raise_on_failure=False))


def mode_label(live: bool = False, record: bool = False) -> str:
    return "record" if record else "live" if live else "offline"


def run_tags(kind: str, *, live: bool = False, record: bool = False, review: str | None = None) -> list[str]:
    """Tags of a flow run: `litmus`, what ran, the mode, and the review if any."""
    tags = ["litmus", kind, mode_label(live, record)]
    return tags + ([f"review:{review}"] if review else [])


def tag_flow_run(tags: list[str]) -> None:
    """Add `tags` to the flow run in progress, however it was started (CLI, deployment, UI).

    Task runs are not tagged: Prefect asks the server for tag concurrency slots before every tagged
    task run (one more round trip each, ~0.1-0.3 s here), and the flow run's tags already say what ran.
    """
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    if context is not None and context.flow_run is not None:
        merged = list(dict.fromkeys([*context.flow_run.tags, *tags]))
        if merged != list(context.flow_run.tags):
            context.client.update_flow_run(context.flow_run.id, tags=merged)
            context.flow_run.tags = merged


def flow_parameters() -> dict:
    """The parameters of the flow run being named (inside a `flow_run_name` callable)."""
    from prefect.runtime import flow_run

    return dict(flow_run.parameters or {})
