"""Is an E-utilities answer usable, worth another try, or a definitive refusal?

NCBI reports many failures with HTTP 200: an empty or truncated body, an HTML error page, or an
`<ERROR>` element. Backend hiccups among those go away on retry; complaints about the request
itself (bad database, invalid ids, malformed query) never do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from lxml import etree

from litmus.entrez.requests import EntrezResponse
from litmus.entrez.retry import RETRY_STATUSES, parse_retry_after

AnswerFormat = Literal["xml", "text"]

_PERMANENT_ERROR = re.compile(
    r"invalid|empty id list|nothing to store|not supported|unknown|neither query_key nor id"
    r"|is not valid|too long|syntax|required|missing|not allowed|no such",
    re.IGNORECASE,
)
_SECRET = re.compile(r"""(api[-_]key["']?\s*[:=]\s*["']?)[^"'&\s,}]+""", re.IGNORECASE)
_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
)


@dataclass(frozen=True)
class Problem:
    reason: str  # one line, safe to log
    transient: bool
    retry_after: float | None = None


def excerpt(body: bytes, limit: int = 200) -> str:
    """The start of a body for a message, on one line, with anything resembling an API key blanked."""
    text = " ".join(body[:limit].decode("utf-8", errors="replace").split())
    return _SECRET.sub(r"\1***", text) + ("…" if len(body) > limit else "")


def is_transient_error_message(message: str) -> bool:
    return not _PERMANENT_ERROR.search(message)


def check_answer(
    response: EntrezResponse,
    expected: AnswerFormat = "xml",
    retry_statuses: frozenset[int] = RETRY_STATUSES,
) -> Problem | None:
    """None when the answer is usable, else what is wrong and whether retrying may help."""
    if response.status != 200:
        transient = response.status in retry_statuses
        reason = f"HTTP {response.status}"
        if not transient and response.body:
            reason += f": {excerpt(response.body)}"
        return Problem(reason, transient, parse_retry_after(response.headers.get("retry-after")))
    if not response.body.strip():
        return Problem("HTTP 200 with an empty body", transient=True)
    if expected == "text":
        return _check_text(response.body)
    return _check_xml(response.body)


def _check_xml(body: bytes) -> Problem | None:
    try:
        root = etree.fromstring(body, _XML_PARSER)
    except etree.XMLSyntaxError as error:
        return Problem(f"malformed or truncated XML ({error})", transient=True)
    if root.tag.lower() == "html":
        return Problem(f"an HTML page instead of XML: {excerpt(body)}", transient=True)
    messages = [root.text or ""] if root.tag == "ERROR" else [
        child.text or "" for child in root if child.tag == "ERROR"
    ]
    if messages:
        return _error_problem(messages)
    return None


def _check_text(body: bytes) -> Problem | None:
    stripped = body.lstrip()
    if not stripped.startswith(b"<"):
        return None
    messages = re.findall(rb"<ERROR>(.*?)</ERROR>", body, re.DOTALL)
    if messages:
        return _error_problem([m.decode("utf-8", errors="replace") for m in messages])
    return Problem(f"markup instead of a text answer: {excerpt(body)}", transient=True)


def _error_problem(messages: list[str]) -> Problem:
    text = "; ".join(" ".join(m.split()) for m in messages) or "(empty ERROR element)"
    transient = all(is_transient_error_message(m) for m in messages)
    return Problem(f"NCBI reported ERROR: {excerpt(text.encode())}", transient)
