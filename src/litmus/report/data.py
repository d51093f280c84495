"""The report's content read from the warehouse: claims with verdicts, evidence per outcome, studies the
saved searches found, how each citation was resolved, and where the data came from."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import duckdb

from litmus.outcomes import POOLED_OUTCOMES, outcome_evidence, study_rows
from litmus.report.html import ClaimRow, FactRow, ReportData
from litmus.report.sections import CitationRow, NewStudyRow, Provenance


def _claimed(written: str | None, value: float | None, unit: str | None) -> str:
    number = written or (f"{value:g}" if value is not None else "?")
    return f"{number}%" if unit == "%" else f"{number} {unit or ''}".strip()


def claim_rows(con: duckdb.DuckDBPyConnection, review_id: str) -> list[ClaimRow]:
    """The verdict table: each claim with its figures and the words checked, graded, with discrepancy kinds."""
    facts: dict[str, list[FactRow]] = {}
    for claim_id, endpoint, written, value, unit, verdict, explanation, key, reported, reported_unit, sentence, kinds in con.execute(
        "SELECT claim_id, endpoint, written, value, unit, verdict, explanation, citation_key,"
        " reported_value, reported_unit, evidence_sentence, discrepancy_kinds FROM claim_facts WHERE review_id = ?"
        " ORDER BY claim_id, fact_index",
        [review_id],
    ).fetchall():
        shown = None if reported is None else _claimed(None, reported, reported_unit)
        facts.setdefault(claim_id, []).append(FactRow(endpoint, _claimed(written, value, unit), verdict, explanation,
                                                      key, shown, sentence, (kinds or [None])[0]))
    for claim_id, check, subject, verdict, explanation, key, sentence, kind in con.execute(
        "SELECT claim_id, check_kind, subject, verdict, explanation, citation_key, evidence_sentence, discrepancy_kind"
        " FROM claim_findings WHERE review_id = ? ORDER BY claim_id, position",
        [review_id],
    ).fetchall():
        facts.setdefault(claim_id, []).append(FactRow(check, subject, verdict, explanation, key, None, sentence, kind))
    rows = []
    for claim_id, text, verdict, explanation, cites, section, flags, arithmetic, kinds in con.execute(
        "SELECT c.claim_id, CASE WHEN c.origin = 'transcription' THEN '(our transcription) ' ELSE '' END"
        " || coalesce(c.text, ''), c.verdict, c.explanation,"
        " c.cites, c.section, coalesce(c.flags, []),"
        " (SELECT list(a.message ORDER BY a.position) FROM arithmetic_findings a"
        "   WHERE a.review_id = c.review_id AND a.claim_id = c.claim_id), coalesce(c.discrepancy_kinds, [])"
        " FROM claims c WHERE c.review_id = ? ORDER BY c.claim_id",
        [review_id],
    ).fetchall():
        all_flags = tuple(flags) + tuple(arithmetic or ())
        rows.append(ClaimRow(claim_id, text, verdict, explanation, tuple(cites), section, all_flags,
                             tuple(facts.get(claim_id, [])), tuple(kinds)))
    return rows


def citation_rows(con: duckdb.DuckDBPyConnection, review_id: str) -> list[CitationRow]:
    rows = []
    for key, authors, title, journal, year, pmid, method, confidence, detail in con.execute(
        "SELECT citation_key, authors, title, journal, year, pmid, resolution_method, resolution_confidence,"
        " resolution_detail FROM citations WHERE review_id = ? ORDER BY position",
        [review_id],
    ).fetchall():
        names = list(authors or [])
        who = f"{names[0]} et al." if len(names) > 1 else (names[0] if names else "")
        parts = [part.rstrip(". ") for part in (who, title, journal) if part]
        reference = ". ".join(parts) + (f" ({year})" if year else "")
        rows.append(CitationRow(key, reference, pmid, method or "unresolved", confidence, detail or "not attempted"))
    return rows


def new_study_rows(con: duckdb.DuckDBPyConnection) -> list[NewStudyRow]:
    """Studies the saved searches brought in, newest first; `latest` marks those of the last update."""
    rows = con.execute(
        "SELECT h.pmid, coalesce((SELECT a.last_name FROM authors a WHERE a.pmid = h.pmid ORDER BY a.position LIMIT 1),"
        "   'PMID ' || h.pmid) || coalesce(' ' || p.pub_year, ''), p.title, list(DISTINCT h.search_name ORDER BY h.search_name),"
        " min(h.first_seen), EXISTS (SELECT 1 FROM citations c WHERE c.pmid = h.pmid),"
        " min(h.first_seen) = (SELECT max(first_seen) FROM search_hits WHERE new_to_warehouse)"
        " FROM search_hits h JOIN papers p USING (pmid) LEFT JOIN paper_relevance r USING (pmid)"
        " WHERE h.new_to_warehouse AND coalesce(r.in_evidence, true)"
        " GROUP BY h.pmid, p.pub_year, p.title ORDER BY min(h.first_seen) DESC, h.pmid"
    ).fetchall()
    return [NewStudyRow(pmid, study, title, tuple(searches), str(seen), cited, latest)
            for pmid, study, title, searches, seen, cited, latest in rows]


def provenance(con: duckdb.DuckDBPyConnection, warehouse: Path | str | None) -> Provenance:
    from litmus import __version__
    from litmus.extraction import extractor_version

    sources = dict(con.execute("SELECT source, count(*) FROM papers GROUP BY source").fetchall())
    live = sources.get("eutils", 0)
    if live and len(sources) == 1:
        mode = "live NCBI E-utilities"
    elif live:
        mode = f"live NCBI E-utilities ({live} papers) and offline sources ({sum(sources.values()) - live} papers)"
    elif any(s.startswith("bulk:") for s in sources):
        mode = "PubMed bulk files" + (" and offline replay of corpus/" if "replay" in sources else "")
    else:
        mode = "offline replay of corpus/ (no request to NCBI)"
    last = con.execute(
        "SELECT flow, status, coalesce(finished_at, started_at) FROM run_log ORDER BY started_at DESC LIMIT 1"
    ).fetchall()
    last_run = f"{last[0][0]}, {last[0][1]} {last[0][2]:%Y-%m-%d %H:%M} UTC" if last else None
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return Provenance(mode, generated, last_run, __version__, extractor_version(), str(warehouse or "(in memory)"))


def report_data(con: duckdb.DuckDBPyConnection, review_id: str, warehouse: Path | str | None = None) -> ReportData:
    title = con.execute("SELECT title FROM reviews WHERE review_id = ?", [review_id]).fetchall()
    outcomes = [e for e in (outcome_evidence(con, o) for o in POOLED_OUTCOMES) if e.subgroups]
    others = [r for r in study_rows(con, measure="proportion") if r["outcome"] not in POOLED_OUTCOMES]
    others += study_rows(con, measure="median") + study_rows(con, measure="hazard ratio")
    return ReportData(
        title=title[0][0] if title else review_id,
        claims=claim_rows(con, review_id),
        outcomes=outcomes,
        other_outcomes=others,
        citations=citation_rows(con, review_id),
        new_studies=new_study_rows(con),
        provenance=provenance(con, warehouse),
        review_id=review_id,
        subtitle="Claims checked against the abstracts of the cited papers; evidence from every stored study.",
    )
