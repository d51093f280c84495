"""A thread-safe token bucket, so every thread of a process shares NCBI's request budget."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable

# NCBI's published limits: 3 requests/s per IP without an API key, 10 with one.
NCBI_RATE_WITHOUT_KEY = 3.0
NCBI_RATE_WITH_KEY = 10.0
# NCBI counts arrivals on its own clock; network jitter can bunch requests that left evenly spaced,
# so we stay a little under the limit rather than exactly on it.
NCBI_SAFETY_FACTOR = 0.95


class RateLimiter:
    """Allows `rate_per_second` acquisitions on average, at most `burst` back to back.

    Each caller reserves the next free slot under the lock and sleeps outside it, so waiting
    threads neither spin nor hold each other up, and slots are handed out in arrival order.
    """

    def __init__(
        self,
        rate_per_second: float,
        burst: int = 1,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if rate_per_second <= 0:
            raise ValueError(f"rate_per_second must be positive, got {rate_per_second!r}")
        if burst < 1:
            raise ValueError(f"burst must be at least 1, got {burst!r}")
        self.rate = float(rate_per_second)
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = float(burst)
        self._updated = clock()

    def acquire(self) -> float:
        """Block until a request may go out; return the seconds waited."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            self._tokens -= 1.0
            wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
        if wait > 0:
            self._sleep(wait)
        return wait

    def __repr__(self) -> str:
        return f"RateLimiter(rate_per_second={self.rate:g}, burst={self.burst})"


_shared: dict[str, RateLimiter] = {}
_shared_lock = threading.Lock()


def ncbi_rate_limiter(api_key: str | None) -> RateLimiter:
    """The limiter NCBI's policy asks for: 3 requests/s without an API key, 10 with one.

    NCBI counts per key (or per IP without one), not per connection, so every transport of the
    process using the same key shares one limiter.
    """
    # Keyed by a digest so the key itself is not kept around in yet another place.
    slot = hashlib.sha256(api_key.encode()).hexdigest() if api_key else ""
    with _shared_lock:
        if slot not in _shared:
            rate = NCBI_RATE_WITH_KEY if api_key else NCBI_RATE_WITHOUT_KEY
            _shared[slot] = RateLimiter(rate * NCBI_SAFETY_FACTOR)
        return _shared[slot]
