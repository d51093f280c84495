"""Serve the update flow as a Prefect deployment with a daily cron schedule.

Cron runs fire only against a real Prefect server, never the temporary one a flow starts on
its own (see STACK-NOTES), so `serve_updates` first checks that PREFECT_API_URL is set and that
the server answers `/api/health`; otherwise it says what to do and refuses to start.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass

DEPLOYMENT_NAME = "daily-evidence-update"
DEFAULT_CRON = "0 6 * * *"
LOCAL_API_URL = "http://127.0.0.1:4200/api"


class PrefectServerUnavailable(RuntimeError):
    """No reachable Prefect server: the schedule would never fire."""


def _instructions(reason: str) -> str:
    return (
        f"{reason}. Scheduled runs need a running Prefect server:\n"
        "  1. in another terminal:  prefect server start   (listens on 127.0.0.1:4200)\n"
        f"  2. here:                 export PREFECT_API_URL={LOCAL_API_URL}\n"
        "  3. then again:           litmus serve\n"
        "The UI at http://127.0.0.1:4200 then shows the deployment, its schedule and every run."
    )


def check_prefect_server(api_url: str | None = None, *, timeout: float = 5.0) -> str:
    """The API URL of a reachable Prefect server, or `PrefectServerUnavailable` saying what to do."""
    api_url = api_url or _configured_api_url()
    if not api_url:
        raise PrefectServerUnavailable(_instructions("PREFECT_API_URL is not set"))
    health = api_url.rstrip("/") + "/health"
    try:
        with urllib.request.urlopen(health, timeout=timeout) as response:
            body = response.read()
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise PrefectServerUnavailable(_instructions(f"no Prefect server answers at {health} ({error})")) from error
    try:
        healthy = json.loads(body) is True
    except ValueError:
        healthy = False
    if not healthy:
        raise PrefectServerUnavailable(_instructions(f"{health} answered {body[:80]!r}, not a healthy Prefect server"))
    return api_url


def _configured_api_url() -> str | None:
    """PREFECT_API_URL from the environment or the active Prefect profile."""
    from_env = os.environ.get("PREFECT_API_URL")
    if from_env:
        return from_env
    try:
        from prefect.settings import PREFECT_API_URL

        return PREFECT_API_URL.value() or None
    except Exception:  # a broken profile must not hide the instructions
        return None


@dataclass(frozen=True)
class ServePlan:
    name: str
    cron: str
    parameters: dict

    def describe(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.parameters.items() if v is not None)
        return f"deployment update-evidence/{self.name}, cron {self.cron!r} (server time zone UTC unless set), {shown}"


def serve_plan(
    *,
    name: str = DEPLOYMENT_NAME,
    cron: str = DEFAULT_CRON,
    searches_path: str | None = None,
    warehouse: str | None = None,
    live: bool = False,
    extract: bool = True,
    wait_seconds: float = 600.0,
) -> ServePlan:
    from prefect.client.schemas.schedules import CronSchedule

    CronSchedule(cron=cron)  # raises ValueError on a bad expression before anything starts
    # No as_of: each scheduled run takes its own date.
    parameters = {"searches_path": searches_path, "warehouse": warehouse, "live": live,
                  "extract": extract, "wait_seconds": wait_seconds}
    return ServePlan(name, cron, {k: v for k, v in parameters.items() if v is not None})


def serve_updates(plan: ServePlan, *, api_url: str | None = None) -> None:
    """Register the deployment with its schedule and serve it until SIGTERM or Ctrl-C."""
    check_prefect_server(api_url)
    from flows.update import update_evidence_flow

    update_evidence_flow.serve(name=plan.name, cron=plan.cron, parameters=plan.parameters, print_starting_message=True)
