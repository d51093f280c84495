"""The verification stage: a review's claims checked against what the warehouse holds of its sources.

Claims come from the review's own text when we have it (`litmus.claims.extract`), otherwise from
our transcription of them (`corpus/reviews/<id>.claims.toml`); either way each fact is compared
with the metrics extracted from the cited paper's abstract and the verdicts are stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import duckdb
import pyarrow as pa

from litmus.claims.records import Claim, ClaimFact, ClaimVerdict, SourceEvidence
from litmus.records import OutcomeMetric
from litmus.warehouse.load import insert_arrow, transaction


@dataclass(frozen=True)
class ClaimSet:
    claims: list[Claim]
    origin: str  # "prose" | "transcription"
    source: str  # the file they were read from


def decimals_written(value: float | None) -> int | None:
    if value is None:
        return None
    text = repr(float(value))
    if text.endswith(".0"):
        return 0
    return len(text.split(".")[1]) if "." in text else 0


def claims_from_transcription(transcribed: Sequence) -> list[Claim]:
    """Our hand transcription as `Claim` records (no review text: offsets are empty)."""
    claims = []
    for item in transcribed:
        facts = []
        for fact in item.facts:
            if fact.value is None:
                continue
            decimals = decimals_written(fact.value)
            written = f"{fact.value:.{decimals}f}" if decimals is not None else None
            facts.append(
                ClaimFact(
                    endpoint=fact.endpoint, stat=fact.stat or "count", value=fact.value, unit=fact.unit,
                    start=0, end=0, written=written, decimals=decimals, label=fact.label,
                    timepoint_months=fact.timepoint_months, group=fact.group, qualifier=fact.qualifier,
                    population=fact.population, intervention=fact.intervention,
                )
            )
        claims.append(
            Claim(
                claim_id=item.claim_id, section=item.section, text=item.topic, start=0, end=0,
                cites=tuple(item.cites), facts=tuple(facts), kind="numeric" if facts else "qualitative",
            )
        )
    return claims


def load_claims(review, *, review_text: Path | None, transcription: Path | None) -> ClaimSet:
    """Claims read from the review's text if given and readable, else from the transcription."""
    if review_text is not None:
        from litmus.claims.extract import extract_claims

        named = [c.key for c in review.citations if c.kind == "named"]
        numbered = [c for c in review.citations if c.kind == "numbered"]
        text = Path(review_text).read_text(encoding="utf-8")
        claims = extract_claims(text, named_citations=named, n_references=len(numbered) or None)
        return ClaimSet(claims, "prose", str(review_text))
    if transcription is not None and Path(transcription).is_file():
        from litmus.corpus.sources import load_claims as load_transcribed

        return ClaimSet(claims_from_transcription(load_transcribed(transcription)), "transcription", str(transcription))
    return ClaimSet([], "none", "")


def _metric(row: tuple) -> OutcomeMetric:
    (endpoint, stat, value, unit, start, end, sentence, label, timepoint, months, count, total,
     ci_low, ci_high, not_reached, group, sentence_index) = row
    return OutcomeMetric(
        endpoint=endpoint, stat=stat, value=value, unit=unit, start=start, end=end, sentence=sentence,
        label=label, timepoint=timepoint, timepoint_months=months, count=count, total=total,
        ci_low=ci_low, ci_high=ci_high, not_reached=not_reached, group=group, sentence_index=sentence_index,
    )


def source_evidence(con: duckdb.DuckDBPyConnection, review_id: str) -> dict[str, SourceEvidence]:
    """Every citation of the review with what its resolved paper offers for checking."""
    rows = con.execute(
        "SELECT c.citation_key, c.pmid, p.title, coalesce(p.has_abstract, false), p.abstract,"
        " coalesce(p.is_retracted, false), coalesce(p.has_correction, false)"
        " FROM citations c LEFT JOIN papers p ON p.pmid = c.pmid WHERE c.review_id = ?",
        [review_id],
    ).fetchall()
    metrics: dict[str, list[OutcomeMetric]] = {}
    for pmid, *rest in con.execute(
        "SELECT m.pmid, endpoint, stat, value, unit, start_offset, end_offset, quote, label, timepoint,"
        " timepoint_months, count, total, ci_low, ci_high, not_reached, subgroup, sentence_index"
        " FROM metrics m JOIN citations c ON c.pmid = m.pmid"
        " WHERE c.review_id = ? AND m.source = 'abstract' ORDER BY m.pmid, m.metric_index",
        [review_id],
    ).fetchall():
        metrics.setdefault(pmid, []).append(_metric(tuple(rest)))
    evidence = {}
    for key, pmid, title, has_abstract, abstract, retracted, corrected in rows:
        evidence[key] = SourceEvidence(
            key=key, pmid=pmid if title is not None else None, title=title,
            has_abstract=bool(has_abstract), metrics=tuple(metrics.get(pmid, ())), abstract=abstract,
            retracted=bool(retracted), erratum=bool(corrected),
        )
    return evidence


def verify_claims(claims: Sequence[Claim], evidence: dict[str, SourceEvidence]) -> list[ClaimVerdict]:
    from litmus.claims.verdicts import verify_claim

    return [verify_claim(claim, evidence) for claim in claims]


CLAIM_SCHEMA = pa.schema([
    ("review_id", pa.string()), ("claim_id", pa.string()), ("origin", pa.string()), ("section", pa.string()),
    ("text", pa.string()), ("start_offset", pa.int32()), ("end_offset", pa.int32()), ("cites", pa.list_(pa.string())),
    ("kind", pa.string()), ("population", pa.string()), ("intervention", pa.string()), ("verdict", pa.string()),
    ("explanation", pa.string()), ("flags", pa.list_(pa.string())),
])
FACT_SCHEMA = pa.schema([
    ("review_id", pa.string()), ("claim_id", pa.string()), ("fact_index", pa.int32()), ("endpoint", pa.string()),
    ("label", pa.string()), ("stat", pa.string()), ("value", pa.float64()), ("unit", pa.string()),
    ("written", pa.string()), ("timepoint_months", pa.float64()), ("subgroup", pa.string()),
    ("qualifier", pa.string()), ("citation_key", pa.string()), ("verdict", pa.string()),
    ("explanation", pa.string()), ("reported_pmid", pa.string()), ("reported_endpoint", pa.string()),
    ("reported_value", pa.float64()), ("reported_unit", pa.string()), ("reported_timepoint_months", pa.float64()),
    ("evidence_sentence", pa.string()), ("evidence_start", pa.int32()), ("evidence_end", pa.int32()),
    ("notes", pa.list_(pa.string())),
])
FINDING_SCHEMA = pa.schema([
    ("review_id", pa.string()), ("claim_id", pa.string()), ("position", pa.int32()), ("kind", pa.string()),
    ("endpoint", pa.string()), ("message", pa.string()), ("percent", pa.float64()), ("n", pa.int32()),
    ("alternatives", pa.list_(pa.string())),
])


def _rows(schema: pa.Schema, rows: list[dict]) -> pa.Table:
    return pa.table({name: [row.get(name) for row in rows] for name in schema.names}, schema=schema)


def store_verdicts(
    con: duckdb.DuckDBPyConnection, review_id: str, verdicts: Sequence[ClaimVerdict], *, origin: str,
    evidence: dict[str, SourceEvidence],
) -> int:
    """Replace the review's verdicts in one transaction."""
    claims, facts, findings = [], [], []
    for verdict in verdicts:
        claim = verdict.claim
        claims.append({
            "review_id": review_id, "claim_id": claim.claim_id, "origin": origin, "section": claim.section,
            # Prose claims keep the review's sentence; transcribed ones our one-line summary of it.
            "text": claim.text,
            "start_offset": claim.start if origin == "prose" else None,
            "end_offset": claim.end if origin == "prose" else None,
            "cites": list(claim.cites), "kind": claim.kind, "population": claim.population,
            "intervention": claim.intervention, "verdict": verdict.verdict, "explanation": verdict.explanation,
            "flags": list(verdict.flags),
        })
        for index, fact_verdict in enumerate(verdict.facts):
            fact, reported = fact_verdict.fact, fact_verdict.reported
            source = evidence.get(fact_verdict.citation_key or "")
            facts.append({
                "review_id": review_id, "claim_id": claim.claim_id, "fact_index": index,
                "endpoint": fact.endpoint, "label": fact.label, "stat": fact.stat, "value": fact.value,
                "unit": fact.unit, "written": fact.written, "timepoint_months": fact.timepoint_months,
                "subgroup": fact.group, "qualifier": fact.qualifier, "citation_key": fact_verdict.citation_key,
                "verdict": fact_verdict.verdict, "explanation": fact_verdict.explanation,
                "reported_pmid": source.pmid if (source and reported) else None,
                "reported_endpoint": reported.endpoint if reported else None,
                "reported_value": reported.value if reported else None,
                "reported_unit": reported.unit if reported else None,
                "reported_timepoint_months": reported.timepoint_months if reported else None,
                "evidence_sentence": fact_verdict.evidence_sentence, "evidence_start": fact_verdict.evidence_start,
                "evidence_end": fact_verdict.evidence_end, "notes": list(fact_verdict.notes),
            })
        for position, finding in enumerate(verdict.arithmetic):
            findings.append({
                "review_id": review_id, "claim_id": claim.claim_id, "position": position, "kind": finding.kind,
                "endpoint": finding.endpoint, "message": finding.message, "percent": finding.percent,
                "n": finding.n, "alternatives": [f"{k}/{n}" for k, n in finding.alternatives],
            })
    with transaction(con):
        for table in ("claims", "claim_facts", "arithmetic_findings"):
            con.execute(f"DELETE FROM {table} WHERE review_id = ?", [review_id])
        insert_arrow(con, "claims", _rows(CLAIM_SCHEMA, claims))
        insert_arrow(con, "claim_facts", _rows(FACT_SCHEMA, facts))
        insert_arrow(con, "arithmetic_findings", _rows(FINDING_SCHEMA, findings))
    return len(claims)
