"""Typed records of the claims stage: what a review says, and what its sources say back.

Offsets in `Claim`, `ClaimFact` and `CitationMarker` are character offsets into the cleaned review
text (`litmus.claims.text.clean_review(...).text`); offsets in a `FactVerdict`'s evidence are offsets
into the cited paper's abstract.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from litmus.records import OutcomeMetric

ClaimKind = Literal["numeric", "qualitative"]
MarkerKind = Literal["numbered", "named", "author_year"]
FactVerdictKind = Literal["supported", "mismatch", "not_in_abstract", "source_unavailable"]
ClaimVerdictKind = Literal["supported", "partly_supported", "contradicted", "unverifiable"]
ArithmeticKind = Literal["grim_inconsistent", "count_percent_mismatch", "sample_size_differs"]


@dataclass(frozen=True, slots=True)
class CitationMarker:
    """A place where the review cites: "(4, 5)" gives keys ("4", "5"); "Nan et al." gives ("Nan et al.",)."""

    keys: tuple[str, ...]
    kind: MarkerKind
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class ClaimFact:
    """One number a claim states, with the claim's context (population, intervention) attached."""

    endpoint: str  # an Endpoint code of litmus.records
    stat: str
    value: float | None
    unit: str | None
    start: int
    end: int
    written: str  # the number as the review wrote it: "87.7"
    decimals: int | None  # places after the decimal point as written ("87.7" -> 1, "86" -> 0)
    label: str | None = None
    timepoint_months: float | None = None
    group: str | None = None
    count: int | None = None
    total: int | None = None
    qualifier: str | None = None  # "around", "over", "within", … as written before the number
    population: str | None = None
    intervention: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """A run of one or more sentences of a review about the work(s) it cites."""

    claim_id: str  # "c01", … in reading order
    section: str | None
    text: str
    start: int
    end: int
    cites: tuple[str, ...]  # citation keys: "3", "Nan et al."; empty for an unsourced number
    facts: tuple[ClaimFact, ...]
    kind: ClaimKind
    population: str | None = None
    intervention: str | None = None
    mentioned_authors: tuple[str, ...] = ()  # "Tong et al." written in the text, cited or not
    sentence_count: int = 1


@dataclass(frozen=True, slots=True)
class SourceEvidence:
    """What a cited paper offers for checking: its abstract's metrics, or why there is nothing."""

    key: str
    pmid: str | None  # None when the citation was not resolved
    title: str | None = None
    has_abstract: bool = False
    metrics: tuple[OutcomeMetric, ...] = ()
    abstract: str | None = None  # lets verdicts read numbers as written at the metrics' offsets
    retracted: bool = False
    erratum: bool = False


@dataclass(frozen=True, slots=True)
class FactVerdict:
    fact: ClaimFact
    citation_key: str | None
    verdict: FactVerdictKind
    explanation: str  # one line
    reported: OutcomeMetric | None = None  # the source metric compared with
    evidence_sentence: str | None = None
    evidence_start: int | None = None  # offsets of the reported metric in the abstract
    evidence_end: int | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ArithmeticFinding:
    kind: ArithmeticKind
    endpoint: str
    message: str  # "87.7% of 66: no k/66 rounds to 87.7% (57/65 does)"
    percent: float | None = None
    n: int | None = None
    alternatives: tuple[tuple[int, int], ...] = ()  # (k, n) pairs that do round to the percent


@dataclass(frozen=True, slots=True)
class ClaimVerdict:
    claim: Claim
    verdict: ClaimVerdictKind
    explanation: str
    facts: tuple[FactVerdict, ...] = ()
    sources_available: tuple[str, ...] = ()  # cited keys with a resolved record and an abstract
    flags: tuple[str, ...] = ()  # "retracted: 3", "erratum: 5"
    arithmetic: tuple[ArithmeticFinding, ...] = ()
