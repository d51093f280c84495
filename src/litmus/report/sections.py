"""The report's evidence sections: per-outcome tables with their forest plots, other outcomes, studies
new from the saved searches, how each citation was resolved, and where the numbers come from.

Every string comes from papers, reviews or the warehouse: all of it is escaped here.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from litmus.outcomes import OutcomeEvidence, StudyRow, outcome_label
from litmus.report.forest import DERIVED, NOT_CITED, heterogeneity_text

PUBMED = "https://pubmed.ncbi.nlm.nih.gov/{}/"


@dataclass(frozen=True, slots=True)
class CitationRow:
    key: str
    reference: str  # "Zhang Z et al. Point mutation in CD19 … (2020)"
    pmid: str | None
    method: str
    confidence: float | None
    reason: str


@dataclass(frozen=True, slots=True)
class NewStudyRow:
    pmid: str
    study: str  # "Alpha 2021"
    title: str
    searches: tuple[str, ...]
    first_seen: str  # ISO date
    cited: bool
    latest: bool  # brought in by the most recent update


@dataclass(frozen=True, slots=True)
class Provenance:
    mode: str  # "offline replay of corpus/" | "live NCBI E-utilities" | …
    generated: str  # ISO date-time (UTC) of this report
    last_run: str | None  # "litmus-run, completed 2026-12-08 01:16 UTC"
    litmus_version: str
    extractor_version: str
    warehouse: str


def _table(headings: tuple[str, ...], rows: list[str], table_id: str | None = None, css_class: str | None = None) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headings)
    attributes = (f' id="{table_id}"' if table_id else "") + (f' class="{css_class}"' if css_class else "")
    return f'<table{attributes}><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def pubmed_link(pmid: str | None, text: str | None = None) -> str:
    if not pmid:
        return ""
    return f'<a href="{escape(PUBMED.format(pmid))}">{escape(text or "PMID " + pmid)}</a>'


def provenance_line(p: Provenance | None) -> str:
    if p is None:
        return ""
    run = f" · last run: {escape(p.last_run)}" if p.last_run else ""
    return (f'<p class="provenance" id="provenance">Data: <b>{escape(p.mode)}</b> · report made {escape(p.generated)}{run}'
            f" · litmus {escape(p.litmus_version)} (extractor {escape(p.extractor_version)})"
            f" · warehouse <code>{escape(p.warehouse)}</code></p>")


def outcome_section(evidence: OutcomeEvidence, forest_svg: str) -> str:
    anchor = "outcome-" + "".join(c if c.isalnum() else "-" for c in evidence.outcome)
    return (f'<article class="outcome" id="{escape(anchor)}"><h3>{escape(evidence.label)}</h3>'
            f"{_pooled_summary(evidence)}<figure>{forest_svg}</figure>{_study_table(evidence)}</article>")


def _pooled_summary(evidence: OutcomeEvidence) -> str:
    overall = evidence.overall
    excluded = len(evidence.not_pooled)
    left_out = (f" {excluded} study figure(s) without a stated k/n are shown but not pooled." if excluded else "")
    if overall is None:
        return f'<p class="pooled">No study states a k/n for this outcome: nothing is pooled.{escape(left_out)}</p>'
    if overall.k == 1:
        text = (f"One study states a k/n: {overall.events}/{overall.total}, {100 * overall.proportion:.1f}% "
                f"[{100 * overall.ci_low:.1f}; {100 * overall.ci_high:.1f}] (exact), not pooled.")
    else:
        prediction = (f"; prediction interval {100 * overall.pi_low:.1f}–{100 * overall.pi_high:.1f}%"
                      if overall.pi_low is not None else "")
        text = (f"Pooled over {overall.k} studies ({overall.events}/{overall.total} patients): "
                f"{100 * overall.proportion:.1f}% [95% CI {100 * overall.ci_low:.1f}; {100 * overall.ci_high:.1f}]"
                f"{prediction}. {heterogeneity_text(overall)}.")
        if overall.corrected:
            text += (f" {len(overall.corrected)} study(ies) with no events (or only events) entered with 0.5 added "
                     "to events and non-events, as meta::metaprop does; the estimate leans on that correction.")
    return f'<p class="pooled">{escape(text + left_out)}</p>'


def _study_table(evidence: OutcomeEvidence) -> str:
    body = []
    for group in evidence.subgroups:
        for row in group.studies:
            body.append(_study_row(row, evidence))
    headings = ("Study", "Strategy", "Population", "Design", "N enrolled / infused", "Median follow-up", "k/n",
                "% [95% CI]", "Time point", "Source sentence")
    return _table(headings, body, css_class="evidence")


def _study_row(row: StudyRow, evidence: OutcomeEvidence) -> str:
    f = row.fields
    cited = "" if row.cited else f' <span class="new" title="not cited by the review">{NOT_CITED} not cited</span>'
    others = [s for s in f["all_strategies"] if s != f["strategy_label"]]
    strategy = escape(f["strategy_label"]) + (f'<div class="also">also: {escape("; ".join(others))}</div>' if others else "")
    population = "; ".join(filter(None, [", ".join(f["population"] or []), f["line_of_therapy"]]))
    design = ", ".join(filter(None, [f["phase"], f["allocation"], "retrospective" if f["retrospective"] else None]))
    sizes = " / ".join("?" if n is None else f"{n:g}" for n in (f["n_enrolled"], f["n_treated"]))
    follow_up = "" if f["median_follow_up_months"] is None else f"{f['median_follow_up_months']:g} months"
    return (
        f'<tr data-pmid="{escape(row.pmid)}" data-pooled="{str(evidence.in_pooling(row)).lower()}">'
        f"<td>{pubmed_link(row.pmid, row.study)}{cited}</td><td>{strategy}</td><td>{escape(population)}</td>"
        f"<td>{escape(design)}</td><td>{escape(sizes)}</td><td>{escape(follow_up)}</td><td>{_k_n(row, evidence)}</td>"
        f"<td>{escape(_rate(row))}</td><td>{escape(f['timepoint'] or '')}</td><td><q>{escape(f['quote'])}</q></td></tr>"
    )


def _k_n(row: StudyRow, evidence: OutcomeEvidence) -> str:
    f = row.fields
    if f["k_n_source"] == "stated":
        note = "" if evidence.in_pooling(row) else ' <span class="muted">(subgroup: not pooled)</span>'
        return f"{f['events']}/{f['total']}{note}"
    if f["k_n_source"] == "derived":
        pooled = "pooled, as asked" if evidence.include_derived else "not pooled"
        return (f'<span class="derived" title="{escape(f["derivation"])}">{f["derived_events"]}/{f["derived_total"]} {DERIVED}</span>'
                f'<div class="muted">derived: {escape(f["derivation"])}; {pooled}</div>')
    if f["events"] is not None:
        return f'{f["events"]}/? <div class="muted">n not stated</div>'
    return '<span class="muted">not stated</span>'


def _rate(row: StudyRow) -> str:
    f = row.fields
    if f["rate_pct"] is None:
        return ""
    text = f"{f['rate_pct']:g}%"
    if f["ci_low"] is not None and f["ci_high"] is not None:
        text += f" [{f['ci_low']:g}; {f['ci_high']:g}] (reported)"
    elif row.events is not None and row.total:
        from litmus.meta.proportions import exact_interval

        low, high = exact_interval(row.events, row.total)
        text += f" [{100 * low:.1f}; {100 * high:.1f}]" + (f" (from the {DERIVED} k/n)" if row.derived else "")
    return text


def other_outcomes_table(rows: list[dict]) -> str:
    if not rows:
        return "<p>No other outcome figures were extracted.</p>"
    body = []
    for f in rows:
        value = _value_text(f)
        cited = "" if f["cited_by_review"] else f' <span class="new">{NOT_CITED} not cited</span>'
        body.append(
            f"<tr><td>{escape(outcome_label(f['outcome']))}</td><td>{escape(f['measure'])}</td>"
            f"<td>{pubmed_link(f['pmid'], f['study'])}{cited}</td><td>{escape(f['strategy_label'])}</td>"
            f"<td>{escape(value)}</td><td>{escape(f['timepoint'] or '')}</td><td><q>{escape(f['quote'])}</q></td></tr>"
        )
    headings = ("Outcome", "Measure", "Study", "Strategy", "Value", "Time point", "Source sentence")
    return _table(headings, body, "other-outcomes-table", "evidence")


def _value_text(f: dict) -> str:
    if f["not_reached"]:
        return "not reached"
    if f["value"] is None:
        return ""
    if f["unit"] == "%":
        return f"{f['value']:g}%"
    unit = "patient" if f["unit"] == "patients" and f["value"] == 1 else (f["unit"] or "")
    return f"{f['value']:g} {unit}".strip()


def new_studies_table(rows: list[NewStudyRow]) -> str:
    if not rows:
        return ("<p>No saved search has brought in a study yet (<code>litmus update</code> runs them; "
                "see <code>corpus/searches.toml</code>).</p>")
    body = []
    for r in rows:
        badge = '<span class="badge">new in the last update</span>' if r.latest else ""
        cited = "cited by the review" if r.cited else f"{NOT_CITED} not cited by the review"
        body.append(
            f'<tr data-pmid="{escape(r.pmid)}"><td>{pubmed_link(r.pmid, r.study)} {badge}</td><td>{escape(r.title)}</td>'
            f"<td>{escape(', '.join(r.searches))}</td><td>{escape(r.first_seen)}</td><td>{escape(cited)}</td></tr>"
        )
    return _table(("Study", "Title", "Found by", "First seen", "Review"), body, "new-studies-table")


def citations_table(rows: list[CitationRow]) -> str:
    if not rows:
        return "<p>The review has no citations on record.</p>"
    unresolved = sum(1 for r in rows if not r.pmid)
    body = []
    for r in rows:
        confidence = "" if r.confidence is None else f"{r.confidence:.2f}"
        found = pubmed_link(r.pmid) if r.pmid else '<span class="unresolved">unresolved</span>'
        body.append(
            f'<tr class="{"resolved" if r.pmid else "unresolved-row"}"><td>{escape(r.key)}</td><td>{escape(r.reference)}</td>'
            f"<td>{found}</td><td>{escape(r.method)}</td><td>{escape(confidence)}</td><td>{escape(r.reason)}</td></tr>"
        )
    summary = f"<p>{len(rows) - unresolved} of {len(rows)} citations resolved to a PubMed record; {unresolved} unresolved.</p>"
    headings = ("Ref.", "Reference as cited", "PubMed", "Method", "Confidence", "Reason")
    return summary + _table(headings, body, "citations-table")


SECTIONS_CSS = """
.provenance{font-size:12px;color:#555;background:#f7f7f2;border:1px solid #e4e4da;padding:6px 8px;border-radius:4px}
nav.toc a{margin-right:14px;font-size:13px}article.outcome{margin:18px 0 30px}h3{font-size:16px;margin-bottom:4px}
table.evidence td,table.evidence th{font-size:12px}table.evidence q{font-size:11px}.also,.muted{font-size:11px;color:#777}
.derived{color:#8a5a00;font-style:italic}.new{color:#8a5a00;font-size:11px;white-space:nowrap}
.badge{background:#1f4e79;color:#fff;font-size:10px;padding:1px 5px;border-radius:3px;white-space:nowrap}
.unresolved{color:#c62828;font-weight:600}tr.unresolved-row td{background:#fff6f6}p.pooled{margin:4px 0 8px}
#js-status{display:none}
"""
