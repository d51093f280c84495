"""Is a paper a clinical study? A small, explainable classifier for papers found by saved searches.

`classify(facts)` is pure and returns (is_clinical, reasons), each reason a short phrase a reader
can check against the record. The evidence, strongest first:

1. PubMed publication types: a clinical-study type (trial, observational, multicenter study,
   case report) decides yes; a review, editorial, comment, letter or meta-analysis without one
   decides no.
2. Otherwise points: design words in the title or abstract ("phase II trial", "retrospective",
   "single-arm", "we enrolled"), patient counts ("148 patients"), study-design MeSH headings,
   clinical outcome metrics the extractor found in the `metrics` table; minus points for
   animal-only MeSH or preclinical words (mice, xenograft) with no patients in sight.
   Two points make a clinical study.

`classify_and_store` writes `paper_relevance`, which evidence tables join on pmid; papers found
only by saved searches carry `cited_by_review = false` and enter evidence only when clinical.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

import duckdb
import pyarrow as pa

from litmus.warehouse.load import insert_arrow, transaction

CLASSIFIER_VERSION = "relevance-1"

CLINICAL_TYPES = frozenset({
    "Clinical Trial", "Clinical Trial, Phase I", "Clinical Trial, Phase II", "Clinical Trial, Phase III",
    "Clinical Trial, Phase IV", "Controlled Clinical Trial", "Randomized Controlled Trial",
    "Pragmatic Clinical Trial", "Adaptive Clinical Trial", "Equivalence Trial", "Clinical Study",
    "Observational Study", "Multicenter Study", "Case Reports", "Twin Study", "Validation Study",
})
NOT_PRIMARY_TYPES = frozenset({
    "Review", "Systematic Review", "Meta-Analysis", "Editorial", "Comment", "Letter", "News",
    "Newspaper Article", "Published Erratum", "Retraction of Publication", "Practice Guideline",
    "Guideline", "Consensus Development Conference", "Biography", "Historical Article", "Interview",
    "Lecture", "Expression of Concern",
})
DESIGN_MESH = frozenset({
    "Retrospective Studies", "Prospective Studies", "Cohort Studies", "Follow-Up Studies",
    "Treatment Outcome", "Survival Analysis", "Kaplan-Meier Estimate", "Progression-Free Survival",
    "Case-Control Studies", "Cross-Sectional Studies",
})
ANIMAL_MESH = frozenset({"Animals", "Mice", "Rats", "Disease Models, Animal", "Xenograft Model Antitumor Assays"})
CLINICAL_ENDPOINTS = frozenset({
    "ORR", "CR", "CRi", "PR", "MRD_NEG", "PFS", "OS", "EFS", "LFS", "DOR", "RELAPSE", "CRS_ANY", "CRS_GE3",
    "ICANS_ANY", "ICANS_GE3", "NRM", "MORTALITY", "N_ENROLLED", "N_TREATED", "N_EVALUABLE",
})

DESIGN_WORDS = re.compile(
    r"\bphase\s*(?:[1-4]|I{1,3}V?|IV)(?:\s*/\s*(?:[1-4]|I{1,3}V?))?[ab]?\b(?:\s+\w+){0,3}?\s+(?:trial|study)"
    r"|\bclinical trial\b|\bsingle[- ]arm\b|\bmulti-?cent(?:er|re)\b|\bsingle[- ]cent(?:er|re)\b"
    r"|\bretrospective(?:ly)?\b|\bprospective(?:ly)?\b|\bcohort\b|\brandomi[sz]ed\b|\bobservational\b"
    r"|\bwe (?:enrolled|treated|reviewed|compared|analy[sz]ed)\b|\bwere (?:enrolled|infused|treated)\b",
    re.IGNORECASE,
)
PATIENT_COUNT = re.compile(r"\b\d[\d,]*\s+(?:\w+\s+){0,3}?(?:patients|participants|subjects|children|adults)\b", re.IGNORECASE)
PRECLINICAL_WORDS = re.compile(r"\b(?:mice|murine|mouse|xenografts?|in vivo models?|cell lines?)\b", re.IGNORECASE)
REVIEW_WORDS = re.compile(r"\b(?:in this review|this review|we review|here we review|we summari[sz]e)\b", re.IGNORECASE)


@dataclass(frozen=True)
class PaperFacts:
    pmid: str
    title: str
    abstract: str = ""
    publication_types: tuple[str, ...] = ()
    mesh: tuple[str, ...] = ()
    metric_endpoints: tuple[str, ...] | None = None  # None: extraction has not run on this paper
    extra: dict = field(default_factory=dict, compare=False)


def classify(facts: PaperFacts) -> tuple[bool, tuple[str, ...]]:
    """(is_clinical, reasons) for one paper; pure, so it is tested on hand-made facts."""
    types = set(facts.publication_types)
    clinical_types = sorted(types & CLINICAL_TYPES)
    other_types = sorted(types & NOT_PRIMARY_TYPES)
    if clinical_types:
        return True, (f"publication type: {', '.join(clinical_types)}",)
    if other_types:
        return False, (f"publication type: {', '.join(other_types)} (not a primary study)",)

    text = f"{facts.title}\n{facts.abstract}"
    reasons: list[str] = []
    score = 0
    design = sorted({m.group(0).lower() for m in DESIGN_WORDS.finditer(text)})
    if design:
        score += 1 if len(design) == 1 else 2
        reasons.append(f"design words: {', '.join(design[:3])}")
    patients = PATIENT_COUNT.search(text)
    if patients:
        score += 1
        reasons.append(f"patient count: {patients.group(0)!r}")
    mesh = set(facts.mesh)
    design_mesh = sorted(mesh & DESIGN_MESH)
    if design_mesh and "Humans" in mesh:
        score += 1
        reasons.append(f"MeSH: Humans, {', '.join(design_mesh[:2])}")
    if facts.metric_endpoints is not None:
        endpoints = sorted(set(facts.metric_endpoints) & CLINICAL_ENDPOINTS)
        if endpoints:
            score += 1
            reasons.append(f"outcome metrics extracted: {', '.join(endpoints[:4])}")
        else:
            reasons.append("no clinical outcome metrics extracted")
    if (mesh & ANIMAL_MESH) and "Humans" not in mesh:
        score -= 2
        reasons.append("MeSH: animals, no humans")
    elif PRECLINICAL_WORDS.search(text) and not patients:
        score -= 2
        reasons.append(f"preclinical words: {PRECLINICAL_WORDS.search(text).group(0)!r}, no patients")
    if REVIEW_WORDS.search(text):
        score -= 2
        reasons.append(f"review wording: {REVIEW_WORDS.search(text).group(0)!r}")
    if not reasons:
        reasons.append("no sign of a clinical study in type, MeSH, title or abstract")
    return score >= 2, tuple(reasons)


# --------------------------------------------------------------------------- warehouse


def paper_facts(con: duckdb.DuckDBPyConnection, pmids: Iterable[str]) -> list[PaperFacts]:
    wanted = sorted(set(pmids))
    if not wanted:
        return []
    rows = con.execute(
        """
        SELECT p.pmid, p.title, coalesce(p.abstract, ''),
               (SELECT list(t.publication_type ORDER BY t.publication_type) FROM publication_types t WHERE t.pmid = p.pmid),
               (SELECT list(m.descriptor ORDER BY m.position) FROM mesh_headings m WHERE m.pmid = p.pmid),
               EXISTS (SELECT 1 FROM extractions e WHERE e.pmid = p.pmid),
               (SELECT list(x.endpoint) FROM metrics x WHERE x.pmid = p.pmid)
        FROM papers p WHERE list_contains(?, p.pmid) ORDER BY p.pmid
        """,
        [wanted],
    ).fetchall()
    return [
        PaperFacts(
            pmid, title, abstract, tuple(types or ()), tuple(mesh or ()),
            tuple(endpoints or ()) if extracted else None,
        )
        for pmid, title, abstract, types, mesh, extracted, endpoints in rows
    ]


RELEVANCE_SCHEMA = pa.schema([
    ("pmid", pa.string()), ("is_clinical", pa.bool_()), ("reasons", pa.list_(pa.string())),
    ("searches", pa.list_(pa.string())), ("cited_by_review", pa.bool_()), ("in_evidence", pa.bool_()),
    ("classifier", pa.string()),
])


def classify_and_store(con: duckdb.DuckDBPyConnection, pmids: Iterable[str]) -> dict[str, tuple[bool, tuple[str, ...]]]:
    """Classify stored papers, upsert `paper_relevance`, refresh `cited_by_review` for every row."""
    facts = paper_facts(con, pmids)
    found_by = dict(con.execute(
        "SELECT pmid, list(DISTINCT search_name ORDER BY search_name) FROM search_hits GROUP BY pmid"
    ).fetchall())
    cited = {row[0] for row in con.execute("SELECT DISTINCT pmid FROM citations WHERE pmid IS NOT NULL").fetchall()}
    verdicts = {f.pmid: classify(f) for f in facts}
    rows = [
        {
            "pmid": pmid, "is_clinical": clinical, "reasons": list(reasons),
            "searches": list(found_by.get(pmid, [])), "cited_by_review": pmid in cited,
            "in_evidence": clinical or pmid in cited, "classifier": CLASSIFIER_VERSION,
        }
        for pmid, (clinical, reasons) in verdicts.items()
    ]
    table = pa.table({name: [row[name] for row in rows] for name in RELEVANCE_SCHEMA.names}, schema=RELEVANCE_SCHEMA)
    with transaction(con):
        insert_arrow(con, "paper_relevance", table, replace=True)
        # A review ingested later may cite a paper a search found first.
        con.execute(
            "UPDATE paper_relevance SET cited_by_review = (pmid IN (SELECT pmid FROM citations WHERE pmid IS NOT NULL)),"
            " in_evidence = is_clinical OR (pmid IN (SELECT pmid FROM citations WHERE pmid IS NOT NULL))"
        )
    return verdicts
