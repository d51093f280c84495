"""Exceptions of the E-utilities layer, each with a message a person can act on."""

from __future__ import annotations


class EntrezError(Exception):
    """An E-utilities call failed for good: retries were spent, or NCBI refused the request."""

    def __init__(
        self,
        message: str,
        *,
        utility: str | None = None,
        attempts: int | None = None,
        status: int | None = None,
    ):
        super().__init__(message)
        self.utility = utility
        self.attempts = attempts
        self.status = status


class EntrezQueryError(EntrezError):
    """NCBI answered that the request itself is wrong (bad term, parameter or id): retrying is useless."""


class TransportError(EntrezError):
    """No HTTP answer at all: connection refused or reset, timeout, truncated transfer."""


class MissingDTDError(RuntimeError):
    """An NCBI answer names a DTD that is neither bundled with Biopython nor shipped by litmus."""


def is_transient(error: BaseException | None) -> bool:
    """Whether the same call may succeed later: NCBI busy or unreachable after the client's own
    retries, as opposed to a request NCBI refused, an answer the replay corpus lacks, or bad input."""
    if isinstance(error, TransportError):
        return True
    if isinstance(error, EntrezQueryError):
        return False
    if isinstance(error, EntrezError):
        return error.attempts is not None  # the client spent its attempts on 429s, 5xx or timeouts
    return isinstance(error, (ConnectionError, TimeoutError))
