"""Typed records handed between stages.

Every stage takes and returns these plain, immutable records, so each stage can be tested and
re-run alone, and the warehouse loaders only need to know these shapes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# --------------------------------------------------------------------------- reviews & citations

CitationKind = Literal["numbered", "named"]
ResolutionMethod = Literal["known_pmid", "doi", "ecitmatch", "title", "unresolved"]


@dataclass(frozen=True, slots=True)
class Citation:
    """One work a review cites: a numbered reference or an article named by author ("Nan et al.")."""

    key: str  # "1" … "10" for numbered references, "Nan et al." for named ones
    kind: CitationKind
    authors: tuple[str, ...] = ()  # "Wei J" style: surname then initials
    title: str | None = None
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None  # "1797-1805", or an article number such as "e176"
    doi: str | None = None
    pmid: str | None = None  # only when the source states it (a JATS ref-list, our transcription)
    pmcid: str | None = None
    note: str | None = None

    @property
    def first_page(self) -> str | None:
        if not self.pages:
            return None
        return self.pages.split("-")[0].split("–")[0].strip() or None

    @property
    def first_author_surname(self) -> str | None:
        if not self.authors:
            return None
        return self.authors[0].split()[0]


@dataclass(frozen=True, slots=True)
class Review:
    """A review article and what it cites."""

    review_id: str  # a stable slug, e.g. "zhang2022-editorial-car-t-resistance"
    title: str
    citations: tuple[Citation, ...]
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    journal: str | None = None
    year: int | None = None
    authors: tuple[str, ...] = ()
    source: str | None = None  # the file or identifier it was read from


@dataclass(frozen=True, slots=True)
class Resolution:
    """How one citation was matched to a PubMed record, or why it was not."""

    review_id: str
    citation_key: str
    pmid: str | None
    method: ResolutionMethod
    confidence: float  # 1.0 for an identifier match, a similarity for a title match, 0 unresolved
    detail: str  # one line a person can read: what was tried and what it gave

    @property
    def resolved(self) -> bool:
        return self.pmid is not None


# --------------------------------------------------------------------------- PubMed records


@dataclass(frozen=True, slots=True)
class Author:
    last_name: str | None
    fore_name: str | None = None
    initials: str | None = None
    collective_name: str | None = None
    affiliations: tuple[str, ...] = ()

    @property
    def display_name(self) -> str:
        if self.collective_name:
            return self.collective_name
        return " ".join(part for part in (self.last_name, self.initials) if part)


@dataclass(frozen=True, slots=True)
class MeshQualifier:
    name: str
    ui: str | None = None
    major: bool = False


@dataclass(frozen=True, slots=True)
class MeshHeading:
    descriptor: str
    ui: str | None = None
    major: bool = False
    qualifiers: tuple[MeshQualifier, ...] = ()


@dataclass(frozen=True, slots=True)
class AbstractSection:
    label: str | None  # "RESULTS" as printed, None for an unstructured abstract
    nlm_category: str | None
    text: str


@dataclass(frozen=True, slots=True)
class CommentCorrection:
    ref_type: str  # "RetractionIn", "ErratumIn", "CommentIn", …
    pmid: str | None
    source: str | None


@dataclass(frozen=True, slots=True)
class PubmedRecord:
    pmid: str
    title: str
    version: int = 1
    doi: str | None = None
    pmcid: str | None = None
    abstract_sections: tuple[AbstractSection, ...] = ()
    authors: tuple[Author, ...] = ()
    journal: str | None = None
    journal_iso: str | None = None
    issn: str | None = None
    pub_year: int | None = None
    pub_date: str | None = None  # ISO-like, as precise as the record: "2021", "2021-10", "2021-10-12"
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publication_types: tuple[str, ...] = ()
    mesh_headings: tuple[MeshHeading, ...] = ()
    keywords: tuple[str, ...] = ()
    chemicals: tuple[str, ...] = ()
    language: str | None = None
    comments_corrections: tuple[CommentCorrection, ...] = ()
    date_revised: str | None = None
    abstract_truncated: bool = False  # the abstract was over litmus.limits.ABSTRACT_CHARS and is cut short

    @property
    def abstract(self) -> str:
        """The abstract as one text; section labels are kept so offsets stay meaningful."""
        return abstract_text(self.abstract_sections)

    @property
    def is_retracted(self) -> bool:
        return any(c.ref_type == "RetractionIn" for c in self.comments_corrections)


def abstract_text(sections: tuple[AbstractSection, ...]) -> str:
    parts = []
    for section in sections:
        parts.append(f"{section.label}: {section.text}" if section.label else section.text)
    return "\n".join(parts)


@dataclass(frozen=True, slots=True)
class DeletedCitation:
    """A `<DeleteCitation>` entry of a PubMed update file."""

    pmid: str


# --------------------------------------------------------------------------- extraction

Endpoint = Literal[
    "ORR", "CR", "CRi", "PR", "SD", "PD", "VGPR", "MRD_NEG", "PFS", "OS", "EFS", "LFS", "DOR",
    "RELAPSE", "CRS_ANY", "CRS_GE3", "ICANS_ANY", "ICANS_GE3", "NRM", "MORTALITY",
    "N_ENROLLED", "N_TREATED", "N_EVALUABLE", "FOLLOW_UP", "OTHER",
]
Statistic = Literal["rate", "median", "count", "hr"]
Unit = Literal["%", "months", "years", "days", "patients"]


@dataclass(frozen=True, slots=True)
class OutcomeMetric:
    """One number a text reports about an outcome, with where it came from.

    Offsets are character offsets into the text the extractor was given.
    """

    endpoint: str  # one of Endpoint
    stat: str  # one of Statistic
    value: float | None
    unit: str | None
    start: int
    end: int
    sentence: str
    label: str | None = None  # the endpoint as written, required for OTHER
    timepoint: str | None = None  # as written: "at 12 months", "1-year"
    timepoint_months: float | None = None
    count: int | None = None  # k of k/n
    total: int | None = None  # n of k/n
    ci_low: float | None = None
    ci_high: float | None = None
    not_reached: bool = False
    group: str | None = None  # subgroup or arm: "in ALL", "patients with TP53 mutation"
    composite: str | None = None  # which composite response the figure is: "CR/CRi", "sCR", ">=VGPR"
    negated: bool = False  # a zero event stated as an absence ("no grade ≥3 CRS"): value 0, count 0
    sentence_index: int | None = None
    sentence_start: int | None = None


@dataclass(frozen=True, slots=True)
class EntityMention:
    text: str
    label: str  # TARGET, CAR_DESIGN, DRUG, DISEASE, PROCEDURE, TOXICITY, …
    start: int
    end: int
    concept_id: str | None  # None when caught by a rule but not in the lexicon
    concept_name: str | None = None
    score: float | None = None  # linker similarity; 1.0 for an exact lexicon match
    sentence_index: int | None = None
    attributes: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def linked(self) -> bool:
        return self.concept_id is not None
