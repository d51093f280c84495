"""Shared fixtures of the reliability suite: a fake E-utilities server, a fast client and
warehouse snapshots to compare "before" and "after"."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from fake_eutils import FakeEutils

from litmus.entrez import EntrezClient, LiveTransport, RateLimiter, RetryPolicy
from litmus.warehouse import connect

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # reliability_support, shared with the crash driver

from reliability_support import EMAIL  # noqa: E402


@pytest.fixture
def fake():
    with FakeEutils() as server:
        yield server


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_client(fake, sleeps):
    """A real LiveTransport + EntrezClient against the fake, with instant back-off and no rate limit."""

    def build(*, attempts: int = 4, timeout: float = 2.0, batch_size: int = 3, api_key: str | None = None):
        transport = LiveTransport(
            EMAIL, api_key=api_key, base_url=fake.base_url, timeout=timeout,
            limiter=RateLimiter(1000.0, burst=1000),
        )
        return EntrezClient(
            transport,
            retry=RetryPolicy(max_attempts=attempts, base_delay=0.001, max_delay=0.002),
            batch_size=batch_size,
            sleep=sleeps.append,
        )

    return build


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "litmus.duckdb"
    con = connect(path)
    yield con
    con.close()


@pytest.fixture
def all_logs(caplog):
    """Every logger at DEBUG, so a leak anywhere is seen."""
    caplog.set_level(logging.DEBUG)
    return caplog


@pytest.fixture
def run_cli(capsys):
    """`litmus.cli.main(argv)` in-process -> (exit status, stdout, stderr)."""
    from litmus.cli import main

    def run(*argv: str) -> tuple[int, str, str]:
        status = main(list(argv))
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run
