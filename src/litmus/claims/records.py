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
# Graded as in the quotation-accuracy literature: accurate, minor error, major error; or not checkable.
FactVerdictKind = Literal[
    "supported", "supported_with_discrepancy", "contradicted", "not_in_source", "source_unavailable",
]
ClaimVerdictKind = Literal[
    "supported", "supported_with_discrepancy", "contradicted", "not_in_source", "source_unavailable",
    "unverifiable",
]
Severity = Literal["minor", "major"]
DiscrepancyKind = Literal[
    # minor: the source supports the statement, but not as worded
    "population_count",          # enrolled vs treated vs evaluable count
    "composite_endpoint",        # "CR 86%" where the source's 86% is CR or CRi
    "timepoint_only_in_review",  # "CR 71% at 12 months" where the source gives no time point
    "subgroup_only_in_review",   # a subgroup the source does not name
    "rounding",                  # the source rounds or truncates the same k/n differently
    "no_comparator",             # "superior", "reduced": the source has nothing to compare with
    # major: the source says otherwise
    "value",                     # another value for the same endpoint, population and time point
    "endpoint_swap",             # the number is the source's figure for another endpoint
    "timepoint_differs",         # the source gives that value at another time point
    "population_not_studied",    # a disease or population the source does not study
    "study_design",              # "randomised", "phase 3" where the source says otherwise
]
MINOR_KINDS = frozenset({
    "population_count", "composite_endpoint", "timepoint_only_in_review", "subgroup_only_in_review",
    "rounding", "no_comparator",
})
QualitativeCheck = Literal["concept", "comparison", "population", "design"]
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
    composite: str | None = None  # "CR/CRi" when the review names the composite it quotes
    value_high: float | None = None  # a range's upper bound ("40% to 60%"): `value` is its lower bound


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
    # Offsets of `text` in the review file as given (Markdown, JATS), None where it could not be
    # located there (and for transcribed claims, which have no review text).
    review_start: int | None = None
    review_end: int | None = None


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
    publication_types: tuple[str, ...] = ()  # PubMed's: "Clinical Trial, Phase I", "Review", …


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """One way the review's statement departs from its source; `reason` names both sides."""

    kind: DiscrepancyKind
    reason: str  # "the review says 28 enrolled; the source enrolled 33 and treated 28"

    @property
    def severity(self) -> Severity:
        return "minor" if self.kind in MINOR_KINDS else "major"


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
    discrepancies: tuple[Discrepancy, ...] = ()  # major ones first

    @property
    def discrepancy_kind(self) -> str | None:
        return self.discrepancies[0].kind if self.discrepancies else None


@dataclass(frozen=True, slots=True)
class QualitativeFinding:
    """What a cited abstract says about a word of the claim: a concept, a comparison, a population, a design."""

    check: QualitativeCheck
    subject: str  # the claim's word or concept: "CD22", "superior", "B-ALL", "randomised"
    citation_key: str
    verdict: FactVerdictKind
    explanation: str  # one line
    evidence_sentence: str | None = None  # the source sentence the finding rests on
    evidence_start: int | None = None  # its offsets in the abstract
    evidence_end: int | None = None
    discrepancy: Discrepancy | None = None


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
    findings: tuple[QualitativeFinding, ...] = ()
    notes: tuple[str, ...] = ()  # what is worth knowing but no error of the review ("the source truncates")

    @property
    def discrepancies(self) -> tuple[Discrepancy, ...]:
        found = [d for f in self.facts for d in f.discrepancies]
        found += [q.discrepancy for q in self.findings if q.discrepancy is not None]
        return tuple(sorted(found, key=lambda d: d.severity == "minor"))
