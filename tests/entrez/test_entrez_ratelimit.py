"""The token bucket alone (fake clock) and NCBI's limits seen from the server (real time)."""

from __future__ import annotations

import threading

import pytest

from litmus.entrez import EntrezRequest, RateLimiter, ncbi_rate_limiter


class FrozenClock:
    """Time stands still unless a test moves it, so reservations are exact."""

    def __init__(self):
        self.now = 100.0
        self.waits: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.waits.append(seconds)


def test_bucket_spaces_requests_at_the_rate():
    clock = FrozenClock()
    limiter = RateLimiter(4, clock=clock, sleep=clock.sleep)
    waits = [limiter.acquire() for _ in range(4)]
    assert waits == pytest.approx([0.0, 0.25, 0.5, 0.75])


def test_idle_time_refills_up_to_burst_only():
    clock = FrozenClock()
    limiter = RateLimiter(2, burst=3, clock=clock, sleep=clock.sleep)
    assert [limiter.acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    clock.now += 60  # a long pause earns 3 tokens, not 120
    assert [limiter.acquire() for _ in range(4)] == pytest.approx([0.0, 0.0, 0.0, 0.5])


def test_threads_get_distinct_slots():
    clock = FrozenClock()
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep)
    threads = [threading.Thread(target=lambda: [limiter.acquire() for _ in range(5)]) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 30 acquisitions at 10/s with time frozen: one free, then one slot per 0.1 s, none shared.
    assert sorted(clock.waits) == pytest.approx([k / 10 for k in range(1, 30)])


def test_invalid_settings_are_refused():
    with pytest.raises(ValueError, match="rate"):
        RateLimiter(0)
    with pytest.raises(ValueError, match="burst"):
        RateLimiter(3, burst=0)


def test_ncbi_limits_depend_on_the_key_and_are_shared_per_key():
    assert 2.5 < ncbi_rate_limiter(None).rate <= 3
    assert 9 < ncbi_rate_limiter("key").rate <= 10
    assert ncbi_rate_limiter("key") is ncbi_rate_limiter("key")
    assert ncbi_rate_limiter("key") is not ncbi_rate_limiter("other key")


def max_in_any_window(times: list[float], window: float = 1.0) -> int:
    times = sorted(times)
    return max(sum(1 for t in times[i:] if t < start + window) for i, start in enumerate(times))


def test_live_requests_respect_ncbi_limits_on_the_server_clock(fake_eutils, make_transport):
    request = EntrezRequest.build("einfo")
    without_key = make_transport(limiter=None)  # the default: chosen from api_key
    for _ in range(10):
        without_key.send(request)
    unkeyed = [entry.time for entry in fake_eutils.log]
    fake_eutils.reset_log()

    with_key = make_transport(api_key="rate-test-key", limiter=None)
    for _ in range(12):
        with_key.send(request)
    keyed = [entry.time for entry in fake_eutils.log]

    assert len(unkeyed) == 10 and max_in_any_window(unkeyed) <= 3
    assert len(keyed) == 12 and max_in_any_window(keyed) <= 10
    # …and the key really buys speed: 12 keyed requests take about a third of the unkeyed time.
    assert keyed[-1] - keyed[0] < 2.5 < unkeyed[-1] - unkeyed[0]
