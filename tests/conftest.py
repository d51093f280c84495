"""Shared fixtures: where the optional real data lives, and a clean Prefect/DuckDB environment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("LITMUS_SHARED_DIR", PROJECT_ROOT.parent / "shared"))

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def _shared_path(relative: str) -> Path:
    path = SHARED_DIR / relative
    if not path.exists():
        pytest.skip(f"{path} is absent: real shared data is optional (see ../shared/data/README.md)")
    return path


@pytest.fixture
def shared_data() -> Path:
    """`../shared/data`, or a skip with the reason when this checkout has no shared folder beside it."""
    return _shared_path("data")


@pytest.fixture
def shared_reviews() -> Path:
    return _shared_path("reviews")


@pytest.fixture
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server (and database) for every test that runs a real flow."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def shipped_run(prefect_harness, tmp_path_factory):
    """The default job run twice on the shipped corpus into one warehouse: (path, first, second).

    Several suites read this warehouse (flows, SQL examples, report); it is built once per session.
    """
    from flows.run import litmus_run_flow

    warehouse = tmp_path_factory.mktemp("shipped-run") / "litmus.duckdb"
    first = litmus_run_flow(warehouse=str(warehouse))
    from helpers import table_row_counts

    counts = table_row_counts(warehouse)
    second = litmus_run_flow(warehouse=str(warehouse))
    return warehouse, first, counts, second



@pytest.fixture(scope="session")
def trials_warehouse(tmp_path_factory):
    """tests/evidence_trials.py's invented trials, extracted by the real pipeline, classified and pooled."""
    from evidence_trials import build_trials_warehouse

    con = build_trials_warehouse(tmp_path_factory.mktemp("outcomes") / "w.duckdb")
    yield con
    con.close()
