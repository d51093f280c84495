"""Saved PubMed searches: `corpus/searches.toml` (or any file with the same shape) -> `SavedSearch`es.

    [[search]]
    name = "bcma-car-t-myeloma"                     # a slug: lower-case letters, digits, dashes
    query = '(BCMA[tiab] OR ...) AND myeloma[tiab]'  # PubMed query syntax, sent as written
    description = "..."                             # optional
    publication_types = ["Clinical Trial"]          # optional: ORed as [pt]
    languages = ["english"]                         # optional: ORed as [la]
    published_from = 2015-01-01                     # optional: [dp] range (TOML date or "YYYY-MM-DD")
    published_to = 2030-12-31                       # optional
    lookback_days = 365                             # optional: first run's window (default below)

A top-level `lookback_days` sets the default for every search. Every problem is a
`SearchConfigError` naming the file and the search, and unknown keys are errors: a misspelt
filter would otherwise be dropped silently and widen the search.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from litmus.corpus.sources import CorpusError
from litmus.paths import corpus_dir

DEFAULT_LOOKBACK_DAYS = 365
SEARCH_KEYS = frozenset(
    {"name", "query", "description", "publication_types", "languages", "published_from", "published_to", "lookback_days"}
)
TOP_LEVEL_KEYS = frozenset({"search", "lookback_days"})
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class SearchConfigError(CorpusError):
    """A saved-searches file is missing, not TOML, or holds a search that does not check out."""


@dataclass(frozen=True, slots=True)
class SavedSearch:
    name: str
    query: str
    description: str | None = None
    publication_types: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    published_from: datetime.date | None = None
    published_to: datetime.date | None = None
    lookback_days: int = DEFAULT_LOOKBACK_DAYS
    source_file: str | None = None

    @property
    def term(self) -> str:
        """The ESearch term: the query with its filters ANDed on."""
        parts = [f"({self.query})"]
        if self.publication_types:
            parts.append("(" + " OR ".join(f'"{value}"[pt]' for value in self.publication_types) + ")")
        if self.languages:
            parts.append("(" + " OR ".join(f"{value}[la]" for value in self.languages) + ")")
        if self.published_from or self.published_to:
            low = self.published_from.strftime("%Y/%m/%d") if self.published_from else "1800/01/01"
            high = self.published_to.strftime("%Y/%m/%d") if self.published_to else "3000/12/31"
            parts.append(f'("{low}"[dp] : "{high}"[dp])')
        return " AND ".join(parts) if len(parts) > 1 else self.query


def default_searches_path() -> Path:
    return corpus_dir() / "searches.toml"


def load_searches(path: str | Path | None = None) -> list[SavedSearch]:
    """Read and check every saved search of a file; names must be unique."""
    path = Path(path) if path else default_searches_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SearchConfigError(f"{path}: no such saved-searches file (see docs/updates.md for the format)") from None
    except tomllib.TOMLDecodeError as error:
        raise SearchConfigError(f"{path}: not valid TOML: {error}") from None
    unknown = sorted(set(data) - TOP_LEVEL_KEYS)
    if unknown:
        raise SearchConfigError(
            f"{path}: unknown top-level key(s) {', '.join(unknown)}; expected [[search]] tables and lookback_days"
        )
    default_lookback = _lookback(data.get("lookback_days", DEFAULT_LOOKBACK_DAYS), f"{path}: lookback_days")
    tables = data.get("search")
    if not isinstance(tables, list) or not tables:
        raise SearchConfigError(f"{path}: no [[search]] table; add at least one saved search")
    searches: list[SavedSearch] = []
    seen: set[str] = set()
    for position, table in enumerate(tables, start=1):
        search = _search(table, path, position, default_lookback)
        if search.name in seen:
            raise SearchConfigError(f"{path}: search {search.name!r} is defined twice; names must be unique")
        seen.add(search.name)
        searches.append(search)
    return searches


def _search(table: dict, path: Path, position: int, default_lookback: int) -> SavedSearch:
    raw_name = table.get("name")
    label = f"search {raw_name!r}" if isinstance(raw_name, str) and raw_name else f"search #{position}"
    where = f"{path}: {label}"
    unknown = sorted(set(table) - SEARCH_KEYS)
    if unknown:
        raise SearchConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(SEARCH_KEYS))}")
    if not isinstance(raw_name, str) or not _NAME.match(raw_name):
        raise SearchConfigError(f"{where}: name must be a slug of lower-case letters, digits and dashes, got {raw_name!r}")
    query = table.get("query")
    if not isinstance(query, str) or not query.strip():
        raise SearchConfigError(f"{where}: query is empty; write a PubMed query, e.g. 'BCMA[tiab] AND myeloma[tiab]'")
    if query.count("(") != query.count(")") or query.count('"') % 2:
        raise SearchConfigError(f"{where}: query has unbalanced parentheses or quotes: {query!r}")
    description = table.get("description")
    if description is not None and not isinstance(description, str):
        raise SearchConfigError(f"{where}: description must be a string")
    published_from = _date(table.get("published_from"), f"{where}: published_from")
    published_to = _date(table.get("published_to"), f"{where}: published_to")
    if published_from and published_to and published_from > published_to:
        raise SearchConfigError(f"{where}: published_from {published_from} is after published_to {published_to}")
    return SavedSearch(
        name=raw_name,
        query=" ".join(query.split()),
        description=description,
        publication_types=_strings(table.get("publication_types"), f"{where}: publication_types"),
        languages=_strings(table.get("languages"), f"{where}: languages"),
        published_from=published_from,
        published_to=published_to,
        lookback_days=_lookback(table.get("lookback_days", default_lookback), f"{where}: lookback_days"),
        source_file=str(path),
    )


def _strings(value, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise SearchConfigError(f"{where} must be a list of non-empty strings, got {value!r}")
    return tuple(item.strip() for item in value)


def _date(value, where: str) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        raise SearchConfigError(f"{where}: give a date (YYYY-MM-DD), not a date and time: {value}")
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise SearchConfigError(f"{where}: not a date (YYYY-MM-DD): {value!r}")


def _lookback(value, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SearchConfigError(f"{where} must be a whole number of days >= 1, got {value!r}")
    return value
