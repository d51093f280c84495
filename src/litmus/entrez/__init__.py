"""NCBI E-utilities: a client that speaks them, and transports that are live, replayed or recorded."""

from litmus.entrez.client import (
    CitationQuery,
    EntrezClient,
    FetchResult,
    HistoryHandle,
    SearchResult,
    validated_pmids,
)
from litmus.entrez.dtd import MissingDTDError, entrez_read, use_local_dtds
from litmus.entrez.errors import EntrezError, EntrezQueryError, TransportError
from litmus.entrez.live import LiveTransport
from litmus.entrez.ratelimit import RateLimiter, ncbi_rate_limiter
from litmus.entrez.replay import RecordingTransport, ReplayMiss, ReplayStore, ReplayTransport
from litmus.entrez.requests import EUTILS_BASE_URL, EntrezRequest, EntrezResponse
from litmus.entrez.retry import RetryPolicy

__all__ = [
    "EUTILS_BASE_URL",
    "CitationQuery",
    "EntrezClient",
    "EntrezError",
    "EntrezQueryError",
    "EntrezRequest",
    "EntrezResponse",
    "FetchResult",
    "HistoryHandle",
    "LiveTransport",
    "MissingDTDError",
    "RateLimiter",
    "RecordingTransport",
    "ReplayMiss",
    "ReplayStore",
    "ReplayTransport",
    "RetryPolicy",
    "SearchResult",
    "TransportError",
    "entrez_read",
    "ncbi_rate_limiter",
    "use_local_dtds",
    "validated_pmids",
]
