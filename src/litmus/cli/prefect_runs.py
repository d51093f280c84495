"""How a command runs a Prefect flow: the Prefect API it talks to is ready before the flow starts,
with progress on a terminal while it gets ready, and one temporary server at most per command."""

from __future__ import annotations

from litmus.progress import step


def load_flow(module: str, name: str):
    """Import a flow (Prefect, and what the flow's tasks import) behind a spinner: ~2-3 s."""
    import importlib

    with step("loading Prefect and the flows"):
        return getattr(importlib.import_module(module), name)


def ensure_prefect_api() -> str:
    """The API URL the flows will use: PREFECT_API_URL when set, else a temporary local server,
    started here once for the whole command (the flows of this process then reuse it)."""
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    configured = PREFECT_API_URL.value()
    if configured or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        return configured
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # one per process: Prefect's client finds this same instance
    if not server.running:
        with step("starting a temporary Prefect server (~15 s; set PREFECT_API_URL to a running one to skip)"):
            server.start()
    return server.api_url


def run_flow(module: str, name: str, **parameters):
    """Run flow `module:name` with `parameters` and return its result."""
    flow = load_flow(module, name)
    ensure_prefect_api()
    return flow(**parameters)
