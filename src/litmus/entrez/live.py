"""Real HTTP to NCBI E-utilities with the standard library: identity, rate limit, GET or POST.

The transport answers every HTTP status with an `EntrezResponse` and raises only when there is no
answer at all (`TransportError`); deciding what is worth a retry is the client's job.
"""

from __future__ import annotations

import http.client
import logging
import socket
import urllib.error
import urllib.request
from urllib.parse import urlencode

from litmus.entrez.errors import TransportError
from litmus.entrez.ratelimit import RateLimiter, ncbi_rate_limiter
from litmus.entrez.requests import EUTILS_BASE_URL, EntrezRequest, EntrezResponse

logger = logging.getLogger("litmus.entrez")

# NCBI asks for POST when a request carries more than ~200 ids; URLs beyond a few thousand
# characters are cut by proxies. We switch well before either limit.
POST_QUERY_LENGTH = 1500
POST_ID_COUNT = 100
REDACTED = "***"


class LiveTransport:
    """Sends `EntrezRequest`s to NCBI (or any E-utilities look-alike at `base_url`)."""

    def __init__(
        self,
        email: str,
        api_key: str | None = None,
        tool: str = "litmus",
        base_url: str = EUTILS_BASE_URL,
        timeout: float = 30.0,
        limiter: RateLimiter | None = None,
    ):
        if not email or "@" not in email:
            raise ValueError(
                "NCBI requires a contact email for E-utilities: pass email= (e.g. from NCBI_EMAIL)."
            )
        self.email = email
        self.tool = tool
        self.base_url = base_url
        self.timeout = timeout
        self._api_key = api_key or None
        self.limiter = limiter if limiter is not None else ncbi_rate_limiter(self._api_key)

    def __repr__(self) -> str:
        key = REDACTED if self._api_key else None
        return (
            f"LiveTransport(email={self.email!r}, api_key={key!r}, tool={self.tool!r}, "
            f"base_url={self.base_url!r}, timeout={self.timeout}, limiter={self.limiter!r})"
        )

    def redact(self, text: str) -> str:
        """`text` with the API key blanked out, for anything that may reach a log or a traceback."""
        return text.replace(self._api_key, REDACTED) if self._api_key else text

    def _encoded_query(self, request: EntrezRequest) -> str:
        identity = [("tool", self.tool), ("email", self.email)]
        if self._api_key:
            identity.append(("api_key", self._api_key))
        return urlencode(list(request.params) + identity)

    def build_http_request(self, request: EntrezRequest) -> urllib.request.Request:
        query = self._encoded_query(request)
        url = request.url(self.base_url)
        headers = {"User-Agent": f"{self.tool} (mailto:{self.email})"}
        if len(query) > POST_QUERY_LENGTH or len(request.ids) > POST_ID_COUNT:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            return urllib.request.Request(url, data=query.encode(), headers=headers, method="POST")
        return urllib.request.Request(f"{url}?{query}", headers=headers, method="GET")

    def send(self, request: EntrezRequest) -> EntrezResponse:
        http_request = self.build_http_request(request)
        self.limiter.acquire()
        logger.debug("%s %s", http_request.get_method(), request.describe())
        try:
            with urllib.request.urlopen(http_request, timeout=self.timeout) as answer:
                return EntrezResponse(answer.status, answer.read(), _headers(answer.headers), request)
        except urllib.error.HTTPError as error:
            try:
                body = error.read()
            except (OSError, http.client.HTTPException):
                body = b""
            return EntrezResponse(error.code, body, _headers(error.headers), request)
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            # `from None`: the original exception may carry the full URL, api_key included.
            raise TransportError(
                f"no answer from {request.url(self.base_url)} for {request.describe()}: "
                f"{self.redact(_reason(error))}",
                utility=request.utility,
            ) from None

    def close(self) -> None:
        pass  # urllib opens one connection per request; nothing is pooled


def _headers(message) -> dict[str, str]:
    return {name.lower(): value for name, value in (message.items() if message else [])}


def _reason(error: BaseException) -> str:
    reason = getattr(error, "reason", None)
    if isinstance(reason, BaseException):
        error = reason
    if isinstance(error, (socket.timeout, TimeoutError)):
        return "timed out"
    return f"{type(error).__name__}: {error}"
