"""Fixtures for the E-utilities tests: a fake server on 127.0.0.1 and clients that talk to it."""

from __future__ import annotations

import random
import socket

import pytest
from fake_eutils import FakeEutils

from litmus.entrez import EntrezClient, LiveTransport, RateLimiter, RetryPolicy

TEST_EMAIL = "tests@example.org"


@pytest.fixture
def fake_eutils():
    with FakeEutils() as server:
        yield server


class RecordedSleep:
    """Stands in for time.sleep in retry tests: remembers the delays instead of waiting."""

    def __init__(self):
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def recorded_sleep() -> RecordedSleep:
    return RecordedSleep()


@pytest.fixture
def make_transport(fake_eutils):
    """A real LiveTransport pointed at the fake server; no rate limit unless asked for."""
    made = []

    def make(**overrides) -> LiveTransport:
        options = {"email": TEST_EMAIL, "base_url": fake_eutils.base_url, "timeout": 5.0,
                   "limiter": RateLimiter(10_000)}
        options.update(overrides)
        transport = LiveTransport(**options)
        made.append(transport)
        return transport

    yield make
    for transport in made:
        transport.close()


@pytest.fixture
def make_client(make_transport, recorded_sleep):
    def make(transport=None, **options) -> EntrezClient:
        options.setdefault("retry", RetryPolicy(rng=random.Random(7)))
        options.setdefault("sleep", recorded_sleep)
        return EntrezClient(transport or make_transport(), **options)

    return make


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""
    attempts: list[object] = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise AssertionError(f"a socket was opened to {address!r} while parsing")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))
    # Name resolution comes first and fails offline before any connect: watch it too.
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: refuse(None, host))
    return attempts
