"""`--keep` queries: which records of a bulk file are worth storing.

A query is terms joined by AND / OR / NOT with parentheses, e.g.

    mesh:"Immunotherapy, Adoptive" OR keyword:CAR-T OR (pubtype:"Clinical Trial" AND year:2015-2024)

Fields (case-insensitive; a value with spaces or parentheses goes in double quotes):

    mesh:      a MeSH descriptor, exact            keyword:   an author keyword, exact
    pubtype:   a publication type; "Clinical Trial" also matches "Clinical Trial, Phase II"
    journal:   words of the journal title          lang:      eng, fre, …
    year:      2020, or a range 2015-2024          text:      a regular expression over title + abstract

AND binds tighter than OR; `a b` (no operator) means `a AND b`. The query is compiled once into a
predicate over `PubmedRecord`, so it costs microseconds per record and pickles to workers as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from litmus.records import PubmedRecord

Predicate = Callable[[PubmedRecord], bool]
FIELDS = ("mesh", "keyword", "pubtype", "journal", "lang", "year", "text")
_TOKEN = re.compile(r'\s*(?:(\()|(\))|([A-Za-z]+):(?:"([^"]*)"|([^\s()"]+))|(\S+))')


class QueryError(ValueError):
    """A `--keep` query that cannot be read; the message says where and how to fix it."""


@dataclass(frozen=True)
class RecordQuery:
    """A compiled `--keep` query; `text` is what was written (stored with each ingested file)."""

    text: str
    predicate: Predicate

    def __call__(self, record: PubmedRecord) -> bool:
        return self.predicate(record)


def compile_query(text: str) -> RecordQuery:
    tokens = _tokenize(text)
    if not tokens:
        raise QueryError("empty --keep query: give at least one field:value term, e.g. mesh:Neoplasms")
    parser = _Parser(tokens, text)
    predicate = parser.parse_or()
    if parser.position < len(tokens):
        raise QueryError(f"unexpected {tokens[parser.position][1]!r} in --keep query {text!r}")
    return RecordQuery(text=text, predicate=predicate)


def _tokenize(text: str) -> list[tuple[str, object]]:
    tokens: list[tuple[str, object]] = []
    for match in _TOKEN.finditer(text):
        opening, closing, field, quoted, bare, word = match.groups()
        if opening:
            tokens.append(("(", "("))
        elif closing:
            tokens.append((")", ")"))
        elif field:
            value = quoted if quoted is not None else bare
            tokens.append(("term", (field.lower(), value)))
        elif word and word.upper() in ("AND", "OR", "NOT"):
            tokens.append((word.upper(), word))
        elif word:
            raise QueryError(
                f"{word!r} in --keep query {text!r} is not field:value; fields are {', '.join(FIELDS)}"
            )
    return tokens


class _Parser:
    """Recursive descent: or := and (OR and)*; and := not (AND? not)*; not := NOT not | atom."""

    def __init__(self, tokens: list[tuple[str, object]], text: str):
        self.tokens, self.text, self.position = tokens, text, 0

    def _peek(self) -> str | None:
        return self.tokens[self.position][0] if self.position < len(self.tokens) else None

    def parse_or(self) -> Predicate:
        parts = [self.parse_and()]
        while self._peek() == "OR":
            self.position += 1
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else (lambda r, ps=tuple(parts): any(p(r) for p in ps))

    def parse_and(self) -> Predicate:
        parts = [self.parse_not()]
        while self._peek() in ("AND", "NOT", "term", "("):
            if self._peek() == "AND":
                self.position += 1
            parts.append(self.parse_not())
        return parts[0] if len(parts) == 1 else (lambda r, ps=tuple(parts): all(p(r) for p in ps))

    def parse_not(self) -> Predicate:
        if self._peek() == "NOT":
            self.position += 1
            inner = self.parse_not()
            return lambda r: not inner(r)
        return self.parse_atom()

    def parse_atom(self) -> Predicate:
        kind = self._peek()
        if kind is None:
            raise QueryError(f"--keep query {self.text!r} ends where a term was expected")
        token = self.tokens[self.position]
        self.position += 1
        if kind == "(":
            inner = self.parse_or()
            if self._peek() != ")":
                raise QueryError(f"missing ')' in --keep query {self.text!r}")
            self.position += 1
            return inner
        if kind != "term":
            raise QueryError(f"unexpected {token[1]!r} in --keep query {self.text!r}")
        field, value = token[1]  # type: ignore[misc]
        return term_predicate(field, value)


def term_predicate(field: str, value: str) -> Predicate:
    """One `field:value` term as a predicate (exposed for tests and for callers building queries)."""
    wanted = value.casefold()
    if field == "mesh":
        return lambda r: any(h.descriptor.casefold() == wanted for h in r.mesh_headings)
    if field == "keyword":
        return lambda r: any(k.casefold() == wanted for k in r.keywords)
    if field == "pubtype":
        # "Clinical Trial" should find the phase-specific types NLM assigns instead of it.
        return lambda r: any(t.casefold() == wanted or t.casefold().startswith(wanted + ",") for t in r.publication_types)
    if field == "journal":
        return lambda r: wanted in " ".join(filter(None, (r.journal, r.journal_iso))).casefold()
    if field == "lang":
        return lambda r: (r.language or "").casefold() == wanted
    if field == "year":
        low, high = _year_range(value)
        return lambda r: r.pub_year is not None and low <= r.pub_year <= high
    if field == "text":
        try:
            pattern = re.compile(value, re.IGNORECASE)
        except re.error as error:
            raise QueryError(f"text:{value!r} is not a valid regular expression ({error})") from error
        return lambda r: bool(pattern.search(r.title) or pattern.search(r.abstract))
    raise QueryError(f"unknown field {field!r} in --keep query; fields are {', '.join(FIELDS)}")


def _year_range(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", value)
    if not match:
        raise QueryError(f"year:{value} must be a year (2020) or a range (2015-2024)")
    low = int(match.group(1))
    return low, int(match.group(2) or low)
