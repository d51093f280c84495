"""The verification stage: a review's claims checked against what the warehouse holds of its sources.

Claims come from the review's own prose wherever we have it: a Markdown or plain-text file, a JATS
file, or (live) the JATS of a PMCID or DOI; each claim then carries its sentence and its offsets in
that file. Otherwise they come from our own-words transcription (`corpus/reviews/<id>.claims.toml`),
which carries every fact as the review states it but no sentence of the review. Each fact is compared
with the metrics extracted from the cited paper's abstract, each claim's words with the abstract's
text, and the graded verdicts are stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import duckdb
import pyarrow as pa

from litmus.claims.records import Claim, ClaimFact, ClaimVerdict, SourceEvidence
from litmus.records import OutcomeMetric, Review
from litmus.warehouse.load import insert_arrow, transaction

PROSE_SUFFIXES = {".md", ".markdown", ".txt", ".xml"}


@dataclass(frozen=True)
class ClaimSet:
    claims: list[Claim]
    origin: str  # "prose" | "transcription" | "none"
    source: str  # the file (or PMCID) they were read from
    note: str = ""  # one line for the reader: where the claims come from


def decimals_written(value: float | None) -> int | None:
    if value is None:
        return None
    text = repr(float(value))
    if text.endswith(".0"):
        return 0
    return len(text.split(".")[1]) if "." in text else 0


def _stat_for(stat: str | None, unit: str | None) -> str:
    if stat:
        return stat
    return {"%": "rate", "patients": "count", None: "count"}.get(unit, "median")


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
            facts.append(ClaimFact(
                endpoint=fact.endpoint, stat=_stat_for(fact.stat, fact.unit), value=fact.value, unit=fact.unit,
                start=0, end=0, written=written, decimals=decimals, label=fact.label,
                timepoint_months=fact.timepoint_months, group=fact.group, qualifier=fact.qualifier,
                population=fact.population, intervention=fact.intervention, composite=fact.composite,
            ))
        claims.append(Claim(
            claim_id=item.claim_id, section=item.section, text=item.topic, start=0, end=0,
            cites=tuple(item.cites), facts=tuple(facts), kind="numeric" if facts else "qualitative",
            population=_first(f.population for f in item.facts), intervention=_first(f.intervention for f in item.facts),
        ))
    return claims


def _first(values) -> str | None:
    return next((v for v in values if v), None)


def verify_inputs(review: str | None, review_text: str | None) -> tuple[str | None, str | None]:
    """(the review whose citations are checked, the file its prose is read from).

    `--review FILE` alone reads FILE's own prose when it is Markdown, text or JATS; `--review-text
    FILE` alone makes FILE the review too when it has a reference list of its own, else it is read
    against the default review's citations."""
    if review_text is None:
        if review is not None and Path(review).suffix.lower() in PROSE_SUFFIXES and Path(review).is_file():
            return review, review
        return review, None
    if review is not None:
        return review, review_text
    return (review_text if _has_own_references(Path(review_text)) else None), review_text


def _has_own_references(path: Path) -> bool:
    from litmus.reviews import ReviewInputError, load_review_input
    from litmus.references.markdown import ReviewParseError

    try:
        review = load_review_input(path)
    except (ReviewInputError, ReviewParseError, OSError, ValueError):
        return False
    return bool(review.citations)


def load_claims(review: Review, *, review_text: Path | None, transcription: Path | None,
                jats: bytes | None = None, jats_source: str | None = None) -> ClaimSet:
    """Claims read from the review's prose when we have it, else from our transcription."""
    if jats is not None:
        from litmus.claims.jats_prose import jats_body_markdown

        text = jats_body_markdown(jats, source=jats_source)
        return _prose_claims(review, text, jats.decode("utf-8", errors="replace"), jats_source or "PMC")
    if review_text is not None:
        path = Path(review_text)
        raw = path.read_bytes()
        if path.suffix.lower() == ".xml":
            from litmus.claims.jats_prose import jats_body_markdown

            original = raw.decode("utf-8", errors="replace")
            return _prose_claims(review, jats_body_markdown(raw, source=str(path)), original, str(path))
        text = raw.decode("utf-8")
        return _prose_claims(review, text, text, str(path))
    if transcription is not None and Path(transcription).is_file():
        from litmus.corpus.sources import load_claims as load_transcribed

        note = (f"claims from our own-words transcription ({transcription}): no sentence of the review ships with "
                "litmus; give the review's text with --review-text FILE to check its own sentences")
        return ClaimSet(claims_from_transcription(load_transcribed(transcription)), "transcription",
                        str(transcription), note)
    return ClaimSet([], "none", "", "no claims: give the review's text (--review-text) or a transcription")


def _prose_claims(review: Review, markdown: str, original: str, source: str) -> ClaimSet:
    from dataclasses import replace

    from litmus.claims.extract import extract_claims
    from litmus.claims.text import locate_in_source

    named = [c.key for c in review.citations if c.kind == "named"]
    numbered = [c for c in review.citations if c.kind == "numbered"]
    claims = extract_claims(markdown, named_citations=named, n_references=len(numbered) or None,
                            citations=review.citations)
    located, near = [], 0
    for claim in claims:
        span = locate_in_source(original, claim.text, near=near)
        if span:
            near = span[0]
        located.append(replace(claim, review_start=span[0] if span else None, review_end=span[1] if span else None))
    note = f"claims read from the review's own sentences ({source}); review offsets are character offsets into it"
    return ClaimSet(located, "prose", source, note)


def _metric(row: tuple) -> OutcomeMetric:
    (endpoint, stat, value, unit, start, end, sentence, label, timepoint, months, count, total,
     ci_low, ci_high, not_reached, group, composite, sentence_index) = row
    return OutcomeMetric(
        endpoint=endpoint, stat=stat, value=value, unit=unit, start=start, end=end, sentence=sentence,
        label=label, timepoint=timepoint, timepoint_months=months, count=count, total=total,
        ci_low=ci_low, ci_high=ci_high, not_reached=not_reached, group=group, composite=composite,
        sentence_index=sentence_index,
    )


def source_evidence(con: duckdb.DuckDBPyConnection, review_id: str) -> dict[str, SourceEvidence]:
    """Every citation of the review with what its resolved paper offers for checking."""
    rows = con.execute(
        "SELECT c.citation_key, c.pmid, p.title, coalesce(p.has_abstract, false), p.abstract,"
        " coalesce(p.is_retracted, false), coalesce(p.has_correction, false),"
        " (SELECT list(t.publication_type ORDER BY t.publication_type) FROM publication_types t WHERE t.pmid = p.pmid)"
        " FROM citations c LEFT JOIN papers p ON p.pmid = c.pmid WHERE c.review_id = ?",
        [review_id],
    ).fetchall()
    metrics: dict[str, list[OutcomeMetric]] = {}
    for pmid, *rest in con.execute(
        "SELECT m.pmid, endpoint, stat, value, unit, start_offset, end_offset, quote, label, timepoint,"
        " timepoint_months, count, total, ci_low, ci_high, not_reached, subgroup, composite, sentence_index"
        " FROM metrics m WHERE m.source = 'abstract'"
        " AND m.pmid IN (SELECT pmid FROM citations WHERE review_id = ?) ORDER BY m.pmid, m.metric_index",
        [review_id],
    ).fetchall():
        metrics.setdefault(pmid, []).append(_metric(tuple(rest)))
    evidence = {}
    for key, pmid, title, has_abstract, abstract, retracted, corrected, types in rows:
        evidence[key] = SourceEvidence(
            key=key, pmid=pmid if title is not None else None, title=title,
            has_abstract=bool(has_abstract), metrics=tuple(metrics.get(pmid, ())), abstract=abstract,
            retracted=bool(retracted), erratum=bool(corrected), publication_types=tuple(types or ()),
        )
    return evidence


def verify_claims(claims: Sequence[Claim], evidence: dict[str, SourceEvidence]) -> list[ClaimVerdict]:
    from litmus.claims.verdicts import verify_claim

    return [verify_claim(claim, evidence) for claim in claims]


CLAIM_SCHEMA = pa.schema([
    ("review_id", pa.string()), ("claim_id", pa.string()), ("origin", pa.string()), ("section", pa.string()),
    ("text", pa.string()), ("start_offset", pa.int32()), ("end_offset", pa.int32()), ("cites", pa.list_(pa.string())),
    ("kind", pa.string()), ("population", pa.string()), ("intervention", pa.string()), ("verdict", pa.string()),
    ("explanation", pa.string()), ("flags", pa.list_(pa.string())), ("review_start", pa.int32()),
    ("review_end", pa.int32()), ("discrepancy_kinds", pa.list_(pa.string())), ("notes", pa.list_(pa.string())),
])
FACT_SCHEMA = pa.schema([
    ("review_id", pa.string()), ("claim_id", pa.string()), ("fact_index", pa.int32()), ("endpoint", pa.string()),
    ("label", pa.string()), ("stat", pa.string()), ("value", pa.float64()), ("unit", pa.string()),
    ("written", pa.string()), ("timepoint_months", pa.float64()), ("subgroup", pa.string()),
    ("qualifier", pa.string()), ("citation_key", pa.string()), ("verdict", pa.string()),
    ("explanation", pa.string()), ("reported_pmid", pa.string()), ("reported_endpoint", pa.string()),
    ("reported_value", pa.float64()), ("reported_unit", pa.string()), ("reported_timepoint_months", pa.float64()),
    ("evidence_sentence", pa.string()), ("evidence_start", pa.int32()), ("evidence_end", pa.int32()),
    ("notes", pa.list_(pa.string())), ("composite", pa.string()), ("reported_composite", pa.string()),
    ("reported_group", pa.string()), ("discrepancy_kinds", pa.list_(pa.string())), ("value_high", pa.float64()),
    ("discrepancy_reasons", pa.list_(pa.string())),
])
FINDING_SCHEMA = pa.schema([
    ("review_id", pa.string()), ("claim_id", pa.string()), ("position", pa.int32()), ("kind", pa.string()),
    ("endpoint", pa.string()), ("message", pa.string()), ("percent", pa.float64()), ("n", pa.int32()),
    ("alternatives", pa.list_(pa.string())),
])
QUALITATIVE_SCHEMA = pa.schema([
    ("review_id", pa.string()), ("claim_id", pa.string()), ("position", pa.int32()), ("check_kind", pa.string()),
    ("subject", pa.string()), ("citation_key", pa.string()), ("verdict", pa.string()), ("explanation", pa.string()),
    ("discrepancy_kind", pa.string()), ("evidence_sentence", pa.string()), ("evidence_start", pa.int32()),
    ("evidence_end", pa.int32()),
])


def _rows(schema: pa.Schema, rows: list[dict]) -> pa.Table:
    return pa.table({name: [row.get(name) for row in rows] for name in schema.names}, schema=schema)


def store_verdicts(
    con: duckdb.DuckDBPyConnection, review_id: str, verdicts: Sequence[ClaimVerdict], *, origin: str,
    evidence: dict[str, SourceEvidence],
) -> int:
    """Replace the review's verdicts in one transaction."""
    claims, facts, findings, qualitative = [], [], [], []
    for verdict in verdicts:
        claim = verdict.claim
        claims.append(_claim_row(review_id, verdict, origin))
        facts += [_fact_row(review_id, claim.claim_id, index, f, evidence) for index, f in enumerate(verdict.facts)]
        for position, finding in enumerate(verdict.arithmetic):
            findings.append({
                "review_id": review_id, "claim_id": claim.claim_id, "position": position, "kind": finding.kind,
                "endpoint": finding.endpoint, "message": finding.message, "percent": finding.percent,
                "n": finding.n, "alternatives": [f"{k}/{n}" for k, n in finding.alternatives],
            })
        for position, found in enumerate(verdict.findings):
            qualitative.append({
                "review_id": review_id, "claim_id": claim.claim_id, "position": position, "check_kind": found.check,
                "subject": found.subject, "citation_key": found.citation_key, "verdict": found.verdict,
                "explanation": found.explanation,
                "discrepancy_kind": found.discrepancy.kind if found.discrepancy else None,
                "evidence_sentence": found.evidence_sentence, "evidence_start": found.evidence_start,
                "evidence_end": found.evidence_end,
            })
    with transaction(con):
        for table in ("claims", "claim_facts", "arithmetic_findings", "claim_findings"):
            con.execute(f"DELETE FROM {table} WHERE review_id = ?", [review_id])
        insert_arrow(con, "claims", _rows(CLAIM_SCHEMA, claims))
        insert_arrow(con, "claim_facts", _rows(FACT_SCHEMA, facts))
        insert_arrow(con, "arithmetic_findings", _rows(FINDING_SCHEMA, findings))
        insert_arrow(con, "claim_findings", _rows(QUALITATIVE_SCHEMA, qualitative))
    return len(claims)


def _claim_row(review_id: str, verdict: ClaimVerdict, origin: str) -> dict:
    claim = verdict.claim
    prose = origin == "prose"
    return {
        "review_id": review_id, "claim_id": claim.claim_id, "origin": origin, "section": claim.section,
        # Prose claims keep the review's sentence; transcribed ones our one-line summary of it.
        "text": claim.text,
        "start_offset": claim.start if prose else None, "end_offset": claim.end if prose else None,
        "review_start": claim.review_start if prose else None, "review_end": claim.review_end if prose else None,
        "cites": list(claim.cites), "kind": claim.kind, "population": claim.population,
        "intervention": claim.intervention, "verdict": verdict.verdict, "explanation": verdict.explanation,
        "flags": list(verdict.flags), "discrepancy_kinds": list(dict.fromkeys(d.kind for d in verdict.discrepancies)),
        "notes": list(verdict.notes),
    }


def _fact_row(review_id: str, claim_id: str, index: int, fact_verdict, evidence: dict[str, SourceEvidence]) -> dict:
    fact, reported = fact_verdict.fact, fact_verdict.reported
    source = evidence.get(fact_verdict.citation_key or "")
    composite = None
    if reported is not None and source is not None:
        from litmus.claims.source_text import composite_of

        composite = composite_of(reported, source.abstract)
    return {
        "review_id": review_id, "claim_id": claim_id, "fact_index": index,
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
        "composite": fact.composite, "reported_composite": composite, "value_high": fact.value_high,
        "reported_group": reported.group if reported else None,
        "discrepancy_kinds": [d.kind for d in fact_verdict.discrepancies],
        "discrepancy_reasons": [d.reason for d in fact_verdict.discrepancies],
    }


def read_verdicts(con: duckdb.DuckDBPyConnection, review_id: str) -> list[dict]:
    """The stored verdicts of a review as one object per claim (the shape of `litmus verify --json`)."""
    claims = _dicts(con, "SELECT claim_id, section, origin, text, start_offset, end_offset, review_start, review_end,"
                         " cites, kind, verdict, coalesce(discrepancy_kinds, []) AS discrepancy_kinds, explanation,"
                         " coalesce(notes, []) AS notes, coalesce(flags, []) AS flags"
                         " FROM claims WHERE review_id = ? ORDER BY claim_id", review_id)
    facts = _grouped(con, "SELECT * FROM claim_facts WHERE review_id = ? ORDER BY claim_id, fact_index", review_id)
    found = _grouped(con, "SELECT * FROM claim_findings WHERE review_id = ? ORDER BY claim_id, position", review_id)
    arithmetic = _grouped(con, "SELECT * FROM arithmetic_findings WHERE review_id = ? ORDER BY claim_id, position",
                          review_id)
    return [_claim_json(review_id, c, facts.get(c["claim_id"], []), found.get(c["claim_id"], []),
                        arithmetic.get(c["claim_id"], [])) for c in claims]


def _dicts(con: duckdb.DuckDBPyConnection, query: str, review_id: str) -> list[dict]:
    cursor = con.execute(query, [review_id])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _grouped(con: duckdb.DuckDBPyConnection, query: str, review_id: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in _dicts(con, query, review_id):
        grouped.setdefault(row["claim_id"], []).append(row)
    return grouped


def _claim_json(review_id: str, claim: dict, facts: list[dict], found: list[dict], arithmetic: list[dict]) -> dict:
    prose = claim["origin"] == "prose"
    return {
        "review_id": review_id, "claim_id": claim["claim_id"], "section": claim["section"], "origin": claim["origin"],
        "claim": claim["text"],
        "review_sentence": {
            "text": claim["text"], "start": claim["review_start"], "end": claim["review_end"],
            "text_start": claim["start_offset"], "text_end": claim["end_offset"],
        } if prose else None,
        "cites": list(claim["cites"]), "kind": claim["kind"], "verdict": claim["verdict"],
        "discrepancy_kinds": list(claim["discrepancy_kinds"]), "explanation": claim["explanation"],
        "facts": [_fact_json(f) for f in facts],
        "findings": [{
            "check": q["check_kind"], "subject": q["subject"], "citation_key": q["citation_key"],
            "verdict": q["verdict"], "discrepancy_kind": q["discrepancy_kind"], "explanation": q["explanation"],
            "source_sentence": q["evidence_sentence"], "source_start": q["evidence_start"], "source_end": q["evidence_end"],
        } for q in found],
        "arithmetic": [{"kind": a["kind"], "message": a["message"]} for a in arithmetic],
        "notes": list(claim["notes"]), "flags": list(claim["flags"]),
    }


def _fact_json(fact: dict) -> dict:
    kinds, reasons = fact["discrepancy_kinds"] or [], fact["discrepancy_reasons"] or []
    reported = fact["reported_value"] is not None
    return {
        "endpoint": fact["endpoint"], "value": fact["value"], "value_high": fact["value_high"], "unit": fact["unit"],
        "timepoint_months": fact["timepoint_months"], "group": fact["subgroup"], "composite": fact["composite"],
        "written": fact["written"], "label": fact["label"], "citation_key": fact["citation_key"],
        "verdict": fact["verdict"], "discrepancy_kind": kinds[0] if kinds else None,
        "discrepancies": [{"kind": k, "reason": r} for k, r in zip(kinds, reasons)],
        "explanation": fact["explanation"],
        "source": {
            "pmid": fact["reported_pmid"], "endpoint": fact["reported_endpoint"], "value": fact["reported_value"],
            "unit": fact["reported_unit"], "timepoint_months": fact["reported_timepoint_months"],
            "group": fact["reported_group"], "composite": fact["reported_composite"],
            "sentence": fact["evidence_sentence"], "start": fact["evidence_start"], "end": fact["evidence_end"],
        } if reported else None,
        "notes": list(fact["notes"] or []),
    }
