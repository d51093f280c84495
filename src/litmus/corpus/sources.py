"""Load the corpus we write by hand (see corpus/README.md) into typed records.

Three kinds of TOML file:

- `corpus/reviews/<review_id>.toml`: a review's record and the works it cites -> `Review`;
- `corpus/reviews/<review_id>.claims.toml`: our transcription of the review's claims, the
  expected output of a claim extractor -> `TranscribedClaim`s;
- `corpus/papers/<pmid>.toml`: a cited paper as a PubMed record, its abstract written by us from
  known facts -> `PubmedRecord`.

Loaders are pure: they read one file, check it and return records. Every error is a
`CorpusError` naming the file and the field, so a typo is found where it was made. Unknown keys
are errors too: a misspelt optional field would otherwise be silently dropped.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from litmus.records import (
    AbstractSection,
    Author,
    Citation,
    Endpoint,
    PubmedRecord,
    Review,
    Statistic,
    Unit,
)

ENDPOINTS = frozenset(get_args(Endpoint))
STATISTICS = frozenset(get_args(Statistic))
UNITS = frozenset(get_args(Unit))
CLAIM_KINDS = frozenset({"numeric", "qualitative"})
QUALIFIERS = frozenset({"around", "over", "under", "within", "only"})
CITATION_KINDS = frozenset({"numbered", "named"})

# Structured-abstract labels we use, and the NLM category PubMed files them under.
NLM_CATEGORIES = {
    "BACKGROUND": "BACKGROUND",
    "INTRODUCTION": "BACKGROUND",
    "PURPOSE": "OBJECTIVE",
    "OBJECTIVE": "OBJECTIVE",
    "OBJECTIVES": "OBJECTIVE",
    "AIMS": "OBJECTIVE",
    "METHODS": "METHODS",
    "PATIENTS AND METHODS": "METHODS",
    "DESIGN": "METHODS",
    "RESULTS": "RESULTS",
    "CONCLUSION": "CONCLUSIONS",
    "CONCLUSIONS": "CONCLUSIONS",
}

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_PMCID = re.compile(r"^PMC\d+$")
_INITIALS = re.compile(r"^[A-Z]{1,4}$")


class CorpusError(ValueError):
    """A corpus file is missing, is not valid TOML, or holds a field that does not check out."""


# --------------------------------------------------------------------------- transcribed claims


@dataclass(frozen=True, slots=True)
class TranscribedFact:
    """One number (or numberless outcome) a review states, as we transcribed it."""

    endpoint: str  # one of records.Endpoint
    stat: str | None = None  # one of records.Statistic; None where none fits ("within 80 days")
    value: float | None = None
    unit: str | None = None  # one of records.Unit
    timepoint_months: float | None = None
    group: str | None = None
    population: str | None = None  # "r/r B-NHL"
    intervention: str | None = None  # "CAR19/22 cocktail"
    label: str | None = None  # the endpoint in the review's words; required for OTHER
    qualifier: str | None = None  # "around", "over", "within", …
    composite: str | None = None  # the composite response the review names ("CR/CRi"), if it names one


@dataclass(frozen=True, slots=True)
class TranscribedClaim:
    """One claim of a review: what it says, which citations it leans on, and its numbers."""

    claim_id: str
    cites: tuple[str, ...]  # citation keys of the review: "5", "Nan et al."
    topic: str
    section: str  # the review's section heading
    kind: str  # "numeric" when at least one fact has a value, else "qualitative"
    facts: tuple[TranscribedFact, ...] = ()


# --------------------------------------------------------------------------- public loaders


def load_review(path: str | Path) -> Review:
    """A review's record and its citations from `corpus/reviews/<review_id>.toml`."""
    path = Path(path)
    table = _Table(_read_toml(path), str(path))
    review = Review(
        review_id=table.text("review_id", required=True),
        title=table.text("title", required=True),
        citations=_citations(table),
        doi=table.doi("doi"),
        pmid=table.digits("pmid"),
        pmcid=table.pmcid("pmcid"),
        journal=table.text("journal"),
        year=table.year("year"),
        authors=table.text_list("authors"),
        source=str(path),
    )
    # Checked but not kept: `Review` has no place for them (yet).
    table.text("journal_iso")
    table.text("volume")
    table.text("article_number")
    table.text_list("publication_types")
    table.reject_unknown_keys()
    return review


def load_claims(path: str | Path) -> list[TranscribedClaim]:
    """Our transcription of a review's claims from `corpus/reviews/<review_id>.claims.toml`."""
    path = Path(path)
    table = _Table(_read_toml(path), str(path))
    table.text("review_id")
    claims = [_claim(claim_table) for claim_table in table.tables("claims")]
    table.reject_unknown_keys()
    _reject_duplicates([claim.claim_id for claim in claims], f"{path}: [[claims]] claim_id")
    return claims


def load_paper(path: str | Path) -> PubmedRecord:
    """One paper from `corpus/papers/<pmid>.toml` as the PubMed record we ship for it."""
    path = Path(path)
    table = _Table(_read_toml(path), str(path))
    pmid = table.digits("pmid", required=True)
    if path.stem != pmid:
        raise CorpusError(f"{path}: field 'pmid' is {pmid!r} but the file must then be named {pmid}.toml")
    year = table.year("year", required=True)
    record = PubmedRecord(
        pmid=pmid,
        title=table.text("title", required=True),
        doi=table.doi("doi"),
        pmcid=table.pmcid("pmcid"),
        abstract_sections=tuple(_abstract_section(section) for section in table.tables("abstract")),
        authors=tuple(_author(name) for name in table.text_list("authors")),
        journal=table.text("journal"),
        journal_iso=table.text("journal_iso"),
        pub_year=year,
        pub_date=_pub_date(table, year),
        volume=table.text("volume"),
        issue=table.text("issue"),
        pages=table.text("pages"),
        publication_types=table.text_list("publication_types"),
        keywords=table.text_list("keywords"),
        language=table.text("language"),
    )
    table.boolean("authors_complete")  # checked but not kept: PubmedRecord has no such field
    table.reject_unknown_keys()
    return record


def load_papers(directory: str | Path) -> list[PubmedRecord]:
    """Every `<pmid>.toml` in `directory`, ordered by PMID."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CorpusError(f"{directory}: no such directory of paper TOML files")
    records = [load_paper(path) for path in directory.glob("*.toml")]
    return sorted(records, key=lambda record: int(record.pmid))


# --------------------------------------------------------------------------- pieces


def _citations(table: _Table) -> tuple[Citation, ...]:
    citations = tuple(_citation(citation_table) for citation_table in table.tables("citations"))
    _reject_duplicates([citation.key for citation in citations], f"{table.where}: [[citations]] key")
    return citations


def _citation(table: _Table) -> Citation:
    citation = Citation(
        key=table.text("key", required=True),
        kind=table.choice("kind", CITATION_KINDS, required=True),
        authors=table.text_list("authors"),
        title=table.text("title"),
        journal=table.text("journal"),
        year=table.year("year"),
        volume=table.text("volume"),
        issue=table.text("issue"),
        pages=table.text("pages"),
        doi=table.doi("doi"),
        pmid=table.digits("pmid"),
        pmcid=table.pmcid("pmcid"),
        note=table.text("note"),
    )
    table.reject_unknown_keys()
    return citation


def _claim(table: _Table) -> TranscribedClaim:
    claim = TranscribedClaim(
        claim_id=table.text("claim_id", required=True),
        cites=table.text_list("cites"),
        topic=table.text("topic", required=True),
        section=table.text("section", required=True),
        kind=table.choice("kind", CLAIM_KINDS, required=True),
        facts=tuple(_fact(fact_table) for fact_table in table.tables("facts")),
    )
    table.reject_unknown_keys()
    has_value = any(fact.value is not None for fact in claim.facts)
    if has_value != (claim.kind == "numeric"):
        raise CorpusError(
            f"{table.where}: field 'kind' is {claim.kind!r} but "
            + ("a fact has a value: use 'numeric'" if has_value else "no fact has a value: use 'qualitative'")
        )
    return claim


def _fact(table: _Table) -> TranscribedFact:
    fact = TranscribedFact(
        endpoint=table.choice("endpoint", ENDPOINTS, required=True),
        stat=table.choice("stat", STATISTICS),
        value=table.number("value"),
        unit=table.choice("unit", UNITS),
        timepoint_months=table.number("timepoint_months"),
        group=table.text("group"),
        population=table.text("population"),
        intervention=table.text("intervention"),
        label=table.text("label"),
        qualifier=table.choice("qualifier", QUALIFIERS),
        composite=table.text("composite"),
    )
    table.reject_unknown_keys()
    if fact.endpoint == "OTHER" and not fact.label:
        raise CorpusError(f"{table.where}: endpoint OTHER needs a 'label' saying what was measured")
    return fact


def _abstract_section(table: _Table) -> AbstractSection:
    label = table.text("label")
    category = table.text("nlm_category")
    if label is not None and category is None:
        category = NLM_CATEGORIES.get(label.upper())
        if category is None:
            raise CorpusError(
                f"{table.where}: label {label!r} has no known NLM category; add nlm_category "
                f"(one of {', '.join(sorted(set(NLM_CATEGORIES.values())))})"
            )
    section = AbstractSection(label=label, nlm_category=category, text=table.text("text", required=True))
    table.reject_unknown_keys()
    return section


def _author(name: str) -> Author:
    """ "Pignataro DS" -> last name and initials; a bare surname ("Xiao") keeps no initials."""
    surname, _, initials = name.rpartition(" ")
    if surname and _INITIALS.match(initials):
        return Author(last_name=surname, initials=initials)
    return Author(last_name=name)


def _pub_date(table: _Table, year: int) -> str:
    month = table.integer("month")
    day = table.integer("day")
    if day is not None and month is None:
        raise CorpusError(f"{table.where}: field 'day' needs a 'month'")
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError as error:
        raise CorpusError(f"{table.where}: year/month/day do not form a date ({error})") from None
    parts = [f"{year:04d}"] + [f"{part:02d}" for part in (month, day) if part is not None]
    return "-".join(parts)


def _reject_duplicates(values: list[str], where: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise CorpusError(f"{where} {value!r} appears twice")
        seen.add(value)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise CorpusError(f"{path}: no such corpus file") from None
    except tomllib.TOMLDecodeError as error:
        raise CorpusError(f"{path}: not valid TOML ({error})") from None
    except UnicodeDecodeError as error:  # TOML is UTF-8 by definition
        raise CorpusError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8") from None


class _Table:
    """A TOML table read field by field; remembers which keys were read to reject the rest."""

    def __init__(self, data: dict[str, Any], where: str):
        self.data = data
        self.where = where
        self._read: set[str] = set()

    def _get(self, key: str, required: bool) -> Any:
        self._read.add(key)
        value = self.data.get(key)
        if value is None and required:
            raise CorpusError(f"{self.where}: missing required field {key!r}")
        return value

    def _fail(self, key: str, expected: str, value: Any) -> CorpusError:
        return CorpusError(f"{self.where}: field {key!r} must be {expected}, got {value!r}")

    def text(self, key: str, required: bool = False) -> str | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self._fail(key, "a non-empty string", value)
        return " ".join(value.split())  # the PubMed parser normalises whitespace; so do we

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self._get(key, False)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
            raise self._fail(key, "a list of non-empty strings", value)
        return tuple(" ".join(item.split()) for item in value)

    def integer(self, key: str, required: bool = False) -> int | None:
        value = self._get(key, required)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise self._fail(key, "an integer", value)
        return value

    def number(self, key: str) -> float | None:
        value = self._get(key, False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._fail(key, "a number", value)
        return float(value)

    def boolean(self, key: str) -> bool | None:
        value = self._get(key, False)
        if value is not None and not isinstance(value, bool):
            raise self._fail(key, "true or false", value)
        return value

    def year(self, key: str, required: bool = False) -> int | None:
        value = self.integer(key, required)
        if value is not None and not 1800 <= value <= datetime.date.today().year + 1:
            raise self._fail(key, "a four-digit publication year", value)
        return value

    def digits(self, key: str, required: bool = False) -> str | None:
        value = self.text(key, required)
        if value is not None and not (value.isascii() and value.isdigit()):  # "３４" is isdigit() too
            raise self._fail(key, "a PMID of digits only (a string, e.g. \"34642489\")", value)
        return value

    def doi(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None and not _DOI.match(value):
            raise self._fail(key, "a bare DOI such as \"10.1182/blood.2020005278\"", value)
        return value

    def pmcid(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None and not _PMCID.match(value):
            raise self._fail(key, "a PMC id such as \"PMC8282870\"", value)
        return value

    def choice(self, key: str, options: frozenset[str], required: bool = False) -> str | None:
        value = self.text(key, required)
        if value is not None and value not in options:
            raise self._fail(key, f"one of {', '.join(sorted(options))}", value)
        return value

    def tables(self, key: str) -> list[_Table]:
        value = self._get(key, False)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self._fail(key, "an array of tables ([[...]])", value)
        return [_Table(item, f"{self.where}: [[{key}]] #{number}") for number, item in enumerate(value, 1)]

    def reject_unknown_keys(self) -> None:
        unknown = sorted(set(self.data) - self._read)
        if unknown:
            raise CorpusError(f"{self.where}: unknown field(s) {', '.join(map(repr, unknown))}")
