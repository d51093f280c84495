"""The report's content read from the warehouse (claims with verdicts, the evidence table)."""

from __future__ import annotations

import duckdb

from litmus.report.html import ClaimRow, EvidenceRow, FactRow, ReportData


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


def evidence_rows(con: duckdb.DuckDBPyConnection) -> list[EvidenceRow]:
    rows = []
    for family, strategy, pmid, author, year, design, n, orr, cr, cr_months, cr_count, cr_total in con.execute(
        "SELECT family, strategy, pmid, first_author, pub_year, array_to_string(design, ', '), n,"
        " orr_pct, cr_pct, cr_months, cr_count, cr_total FROM evidence_table"
        " ORDER BY family, strategy, pub_year, pmid"
    ).fetchall():
        study = f"{author or 'PMID ' + pmid} {year or ''}".strip()
        label = strategy.split(":", 1)[-1].replace("_", " ")
        n_value = int(n) if n is not None else None
        if orr is not None:
            rows.append(EvidenceRow(study, "ORR", orr, pmid, f"{family}: {label}", design, n_value))
        if cr is not None:
            total = cr_total or n_value
            rows.append(EvidenceRow(study, "CR", cr, pmid, f"{family}: {label}", design, n_value, cr_count, total, cr_months))
    return rows


def report_data(con: duckdb.DuckDBPyConnection, review_id: str) -> ReportData:
    title = con.execute("SELECT title FROM reviews WHERE review_id = ?", [review_id]).fetchall()
    return ReportData(
        title=title[0][0] if title else review_id,
        claims=claim_rows(con, review_id),
        evidence=evidence_rows(con),
        review_id=review_id,
        subtitle="Claims checked against the abstracts of the cited papers; evidence from every stored study.",
    )
