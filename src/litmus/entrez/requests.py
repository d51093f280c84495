"""E-utilities requests and responses as values, so transports can be swapped and replayed.

A request is identified by its utility and its parameters, minus the caller's identity
(`tool`, `email`, `api_key`): the same question asked by another user, or with another key,
has the same answer, and credentials must never end up in a file name or a log line.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlencode

EUTILS_BASE_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
IDENTITY_PARAMS = frozenset({"tool", "email", "api_key"})
UTILITIES = frozenset(
    {"esearch", "efetch", "epost", "esummary", "elink", "einfo", "espell", "ecitmatch", "egquery"}
)


def _normalise_value(name: str, value: object) -> str:
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [str(item).strip() for item in value]
        return ",".join(items)
    text = str(value).strip()
    if name == "id":
        return ",".join(part.strip() for part in text.split(",") if part.strip())
    return text


@dataclass(frozen=True, slots=True)
class EntrezRequest:
    utility: str  # "esearch", "efetch", … (without ".fcgi")
    params: tuple[tuple[str, str], ...]  # sorted, identity parameters removed

    @classmethod
    def build(cls, utility: str, **params: object) -> "EntrezRequest":
        utility = utility.removesuffix(".fcgi")
        if utility not in UTILITIES:
            raise ValueError(f"unknown E-utility {utility!r}; expected one of {sorted(UTILITIES)}")
        cleaned = {
            name: _normalise_value(name, value)
            for name, value in params.items()
            if value is not None and name not in IDENTITY_PARAMS
        }
        return cls(utility, tuple(sorted(cleaned.items())))

    def param(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.params:
            if key == name:
                return value
        return default

    @property
    def ids(self) -> tuple[str, ...]:
        raw = self.param("id")
        return tuple(raw.split(",")) if raw else ()

    def with_params(self, **changes: object) -> "EntrezRequest":
        merged = dict(self.params)
        merged.update({k: v for k, v in changes.items() if v is not None})
        for name, value in changes.items():
            if value is None:
                merged.pop(name, None)
        return EntrezRequest.build(self.utility, **merged)

    @property
    def canonical(self) -> str:
        """The normalised request as one readable line: the replay key."""
        return f"{self.utility}?{urlencode(self.params)}"

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.canonical.encode()).hexdigest()[:20]

    def url(self, base_url: str = EUTILS_BASE_URL) -> str:
        # ECitMatch is the one utility NCBI serves as .cgi only.
        suffix = "cgi" if self.utility == "ecitmatch" else "fcgi"
        return f"{base_url.rstrip('/')}/{self.utility}.{suffix}"

    def describe(self, limit: int = 160) -> str:
        text = self.canonical
        return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class EntrezResponse:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    request: EntrezRequest | None = None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")
