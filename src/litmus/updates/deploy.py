"""litmus's Prefect deployments, defined once in `prefect.yaml` and served by `litmus serve`.

`prefect.yaml` (at the root of the checkout) is what `prefect deploy --all` reads; `litmus serve`
reads the same entries (name, entrypoint, description, tags, parameters, cron schedules with
their time zone) and serves them from one process, with overrides from its command line
(`--offline`, `--warehouse`, …). Cron runs fire only against a real Prefect server, never the
temporary one a flow starts on its own (see STACK-NOTES), so serving first checks that
PREFECT_API_URL is set and that the server answers `/api/health`; otherwise it says what to do.
"""

from __future__ import annotations

import importlib
import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path

from litmus.paths import PACKAGE_DIR

LOCAL_API_URL = "http://127.0.0.1:4200/api"
UPDATE_DEPLOYMENT = "daily-evidence-update"


class PrefectServerUnavailable(RuntimeError):
    """No reachable Prefect server: the schedule would never fire."""


class DeploymentConfigError(ValueError):
    """prefect.yaml is missing or does not describe the deployments as expected."""


def deployments_file() -> Path:
    """prefect.yaml of the checkout litmus runs from (like the SQL files, it is code)."""
    return PACKAGE_DIR.parents[1] / "prefect.yaml"


# --------------------------------------------------------------------------- the definitions


@dataclass(frozen=True)
class Schedule:
    cron: str
    timezone: str
    active: bool = True


@dataclass(frozen=True)
class DeploymentSpec:
    name: str
    entrypoint: str  # flows/update.py:update_evidence_flow
    description: str = ""
    tags: tuple[str, ...] = ()
    parameters: dict = field(default_factory=dict)
    schedules: tuple[Schedule, ...] = ()

    @property
    def flow_name(self) -> str:
        return self.load_flow().name

    def load_flow(self):
        path, _, attribute = self.entrypoint.partition(":")
        module = path.removesuffix(".py").replace("/", ".")
        return getattr(importlib.import_module(module), attribute)

    def describe(self) -> str:
        when = "; ".join(f"cron {s.cron!r} {s.timezone}" + ("" if s.active else " (paused)") for s in self.schedules)
        shown = ", ".join(f"{k}={v!r}" for k, v in self.parameters.items())
        return f"{self.name}: {when or 'no schedule'}; {shown or 'default parameters'}"


def load_deployments(path: Path | None = None) -> list[DeploymentSpec]:
    """The deployments of prefect.yaml, checked: every schedule a valid cron with an explicit time zone."""
    import yaml

    path = path or deployments_file()
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeploymentConfigError(f"{path} is missing: it defines the deployments `litmus serve` serves") from None
    except yaml.YAMLError as error:
        raise DeploymentConfigError(f"{path} is not valid YAML: {' '.join(str(error).split())}") from None
    entries = (document or {}).get("deployments")
    if not isinstance(entries, list) or not entries:
        raise DeploymentConfigError(f"{path} has no deployments list")
    return [_deployment(entry, path) for entry in entries]


def _deployment(entry: dict, path: Path) -> DeploymentSpec:
    name = entry.get("name")
    if not isinstance(name, str) or not entry.get("entrypoint"):
        raise DeploymentConfigError(f"{path}: every deployment needs a name and an entrypoint, got {entry!r}")
    schedules = []
    for item in entry.get("schedules") or []:
        if not item.get("cron") or not item.get("timezone"):
            raise DeploymentConfigError(
                f"{path}: deployment {name!r}: every schedule needs a cron and an explicit timezone, got {item!r}"
            )
        schedules.append(Schedule(check_cron(item["cron"], item["timezone"]), item["timezone"], bool(item.get("active", True))))
    return DeploymentSpec(
        name=name, entrypoint=entry["entrypoint"], description=" ".join(str(entry.get("description") or "").split()),
        tags=tuple(entry.get("tags") or ()), parameters=dict(entry.get("parameters") or {}), schedules=tuple(schedules),
    )


def check_cron(cron: str, timezone: str) -> str:
    """`cron`, or ValueError naming what is wrong with it or with the time zone."""
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron, timezone=timezone)
    except Exception as error:  # pydantic's ValidationError: a bad expression or an unknown zone
        reason = error.errors()[0]["msg"] if hasattr(error, "errors") else str(error)
        raise ValueError(f"bad schedule --cron {cron!r} --timezone {timezone!r}: {reason}") from None
    return cron


# --------------------------------------------------------------------------- what `litmus serve` serves


@dataclass(frozen=True)
class Overrides:
    """What the command line changes in the deployments it serves."""

    offline: bool = False
    warehouse: str | None = None
    searches_path: str | None = None
    extract: bool | None = None
    cron: str | None = None
    timezone: str | None = None


def serve_plan(specs: list[DeploymentSpec], only: list[str] | None = None, overrides: Overrides = Overrides()) -> list[DeploymentSpec]:
    """The deployments to serve, with the command line's overrides applied to those that take them."""
    if only:
        unknown = sorted(set(only) - {s.name for s in specs})
        if unknown:
            raise DeploymentConfigError(
                f"no deployment named {', '.join(unknown)} in {deployments_file().name}; "
                f"there are: {', '.join(s.name for s in specs)}"
            )
        specs = [s for s in specs if s.name in only]
    if (overrides.cron or overrides.timezone) and len(specs) != 1:
        raise DeploymentConfigError("--cron and --timezone change one deployment's schedule: name it with --deployment")
    return [_apply(spec, overrides) for spec in specs]


def _apply(spec: DeploymentSpec, overrides: Overrides) -> DeploymentSpec:
    accepted = set(_flow_parameters(spec))
    parameters = dict(spec.parameters)
    for name, value in (("live", False if overrides.offline else None), ("warehouse", overrides.warehouse),
                        ("searches_path", overrides.searches_path), ("extract", overrides.extract)):
        if value is not None and name in accepted:
            parameters[name] = value
    tags = tuple("offline" if t == "live" and overrides.offline else t for t in spec.tags)
    schedules = spec.schedules
    if overrides.cron or overrides.timezone:
        base = schedules[0] if schedules else Schedule(overrides.cron or "", overrides.timezone or "UTC")
        cron, timezone = overrides.cron or base.cron, overrides.timezone or base.timezone
        schedules = (Schedule(check_cron(cron, timezone), timezone, True),)
    return replace(spec, parameters=parameters, tags=tags, schedules=schedules)


def _flow_parameters(spec: DeploymentSpec) -> list[str]:
    import inspect

    return list(inspect.signature(spec.load_flow().fn).parameters)


def needs_ncbi(specs: list[DeploymentSpec]) -> bool:
    return any(spec.parameters.get("live") for spec in specs)


# --------------------------------------------------------------------------- the server


def _instructions(reason: str) -> str:
    return (
        f"{reason}. Scheduled runs need a running Prefect server:\n"
        "  1. in another terminal:  prefect server start   (listens on 127.0.0.1:4200)\n"
        f"  2. here:                 export PREFECT_API_URL={LOCAL_API_URL}\n"
        "  3. then again:           litmus serve\n"
        "The UI at http://127.0.0.1:4200 then shows the deployments, their schedules and every run."
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


def serve_deployments(specs: list[DeploymentSpec], *, api_url: str | None = None) -> None:
    """Register the deployments with their schedules and serve them until SIGTERM or Ctrl-C."""
    check_prefect_server(api_url)
    from prefect import serve
    from prefect.schedules import Cron

    deployments = [
        spec.load_flow().to_deployment(
            name=spec.name, description=spec.description or None, tags=list(spec.tags), parameters=spec.parameters,
            schedules=[Cron(s.cron, timezone=s.timezone, active=s.active) for s in spec.schedules],
        )
        for spec in specs
    ]
    serve(*deployments, print_starting_message=True)
