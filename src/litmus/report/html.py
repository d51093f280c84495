"""One self-contained HTML report: verdicts, evidence per outcome with forest plots, new studies,
citation resolution and provenance.

Everything is inline (CSS, JS, the plots as SVG): the file can be mailed or opened offline; the only
outward links are to PubMed records. All text
comes from reviews and abstracts, which we do not control, so every string is escaped on the way in.
The page works without JS; the script only filters rows, and records that it ran (or its errors) in
`#js-status`, which the browser test reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Iterable

from litmus.outcomes import OutcomeEvidence
from litmus.report.forest import render_forest
from litmus.report.sections import (
    SECTIONS_CSS,
    CitationRow,
    NewStudyRow,
    Provenance,
    citations_table,
    new_studies_table,
    other_outcomes_table,
    outcome_section,
    provenance_line,
)

# Graded verdicts, worst first; each has its own colour and glyph so no reader depends on colour alone.
VERDICT_ORDER = ("contradicted", "supported_with_discrepancy", "not_in_source", "supported", "source_unavailable",
                 "unverifiable")
VERDICT_GLYPH = {"contradicted": "✗", "supported_with_discrepancy": "≈", "not_in_source": "?", "supported": "✓",
                 "source_unavailable": "–", "unverifiable": "·"}


@dataclass(frozen=True, slots=True)
class FactRow:
    endpoint: str
    claimed: str  # "87.7%", "14.8 months at 12 months"
    verdict: str  # a graded verdict of VERDICT_ORDER (never unverifiable)
    explanation: str
    citation_key: str | None = None
    reported: str | None = None
    evidence: str | None = None  # the abstract sentence
    discrepancy_kind: str | None = None  # "composite_endpoint", "value", …


@dataclass(frozen=True, slots=True)
class ClaimRow:
    claim_id: str
    text: str
    verdict: str  # one of VERDICT_ORDER
    explanation: str
    cites: tuple[str, ...] = ()
    section: str | None = None
    flags: tuple[str, ...] = ()
    facts: tuple[FactRow, ...] = ()  # figures, then words checked (concepts, comparisons, …)
    discrepancy_kinds: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReportData:
    title: str
    claims: list[ClaimRow] = field(default_factory=list)
    outcomes: list[OutcomeEvidence] = field(default_factory=list)  # pooled outcomes with figures
    other_outcomes: list[dict] = field(default_factory=list)  # outcome_evidence rows of the rest
    citations: list[CitationRow] = field(default_factory=list)
    new_studies: list[NewStudyRow] = field(default_factory=list)
    provenance: Provenance | None = None
    review_id: str | None = None
    subtitle: str | None = None


@dataclass(frozen=True, slots=True)
class ReportFiles:
    html: Path
    forests: tuple[tuple[Path, Path], ...]  # (svg, png) per outcome


def render_report(data: ReportData, out_dir: Path) -> ReportFiles:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    forests, plots = [], []
    for evidence in data.outcomes:
        stem = "forest-" + evidence.outcome.replace("/", "-")
        svg_path, png_path = out_dir / f"{stem}.svg", out_dir / f"{stem}.png"
        plots.append(render_forest(evidence, svg_path, png_path))
        forests.append((svg_path, png_path))
    html = out_dir / "report.html"
    html.write_text(report_html(data, plots), encoding="utf-8")
    return ReportFiles(html, tuple(forests))


def claim_rows_from_verdicts(verdicts: Iterable) -> list[ClaimRow]:
    """`ClaimVerdict`s of litmus.claims.verdicts -> rows, for callers holding them in memory."""
    rows = []
    for verdict in verdicts:
        facts = tuple(
            FactRow(
                endpoint=f.fact.endpoint,
                claimed=f"{f.fact.written or f.fact.value}{'%' if f.fact.unit == '%' else ' ' + (f.fact.unit or '')}".strip(),
                verdict=f.verdict,
                explanation=f.explanation,
                citation_key=f.citation_key,
                reported=None if f.reported is None else f"{f.reported.value:g}{f.reported.unit or ''}",
                evidence=f.evidence_sentence,
                discrepancy_kind=f.discrepancy_kind,
            )
            for f in verdict.facts
        ) + tuple(
            FactRow(q.check, q.subject, q.verdict, q.explanation, q.citation_key, None, q.evidence_sentence,
                    q.discrepancy.kind if q.discrepancy else None)
            for q in verdict.findings
        )
        claim = verdict.claim
        kinds = tuple(dict.fromkeys(d.kind for d in verdict.discrepancies))
        rows.append(ClaimRow(claim.claim_id, claim.text, verdict.verdict, verdict.explanation,
                             claim.cites, claim.section, verdict.flags, facts, kinds))
    return rows


# ----------------------------------------------------------------------------------------- markup


def report_html(data: ReportData, forest_svgs: list[str]) -> str:
    counts = {v: sum(1 for c in data.claims if c.verdict == v) for v in VERDICT_ORDER}
    summary = " · ".join(f"{n} {v.replace('_', ' ')}" for v, n in counts.items() if n) or "no claims"
    outcomes = "".join(outcome_section(e, svg) for e, svg in zip(data.outcomes, forest_svgs)) or (
        "<p>No outcome figures were extracted from the stored abstracts.</p>")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(data.title)} — litmus report</title>
<style>{_CSS}{SECTIONS_CSS}</style>
</head>
<body>
<header>
<h1>{escape(data.title)}</h1>
{f'<p class="subtitle">{escape(data.subtitle)}</p>' if data.subtitle else ''}
<p class="summary">{len(data.claims)} claims: {escape(summary)}</p>
{provenance_line(data.provenance)}
<nav class="toc"><a href="#claims">Claims</a><a href="#evidence">Evidence per outcome</a>
<a href="#other-outcomes">Other outcomes</a><a href="#new-studies">New studies</a><a href="#citations">Citations</a></nav>
</header>
<section id="claims">
<h2>Claims and verdicts</h2>
{_filters(data.claims)}
{_claims_table(data.claims)}
</section>
<section id="evidence">
<h2>Evidence per outcome</h2>
<p>Every stored study with a figure for the outcome, once, under its primary strategy; cited papers and
those the saved searches found. Counts are the papers' own; a k/n litmus recomputed is marked and not pooled.</p>
{outcomes}
</section>
<section id="other-outcomes">
<h2>Survival and other outcomes</h2>
{other_outcomes_table(data.other_outcomes)}
</section>
<section id="new-studies">
<h2>New studies from the saved searches</h2>
{new_studies_table(data.new_studies)}
</section>
<section id="citations">
<h2>How each citation was resolved</h2>
{citations_table(data.citations)}
</section>
<footer>Made by litmus from the abstracts in the warehouse; check every figure against its source sentence. <span id="js-status" data-state="pending" hidden>script not run</span></footer>
<script>{_JS}</script>
</body>
</html>
"""


def _filters(claims: list[ClaimRow]) -> str:
    verdicts = [v for v in VERDICT_ORDER if any(c.verdict == v for c in claims)]
    keys = sorted({k for c in claims for k in c.cites}, key=lambda k: (not k.isdigit(), k.zfill(4)))
    kinds = sorted({k for c in claims for k in c.discrepancy_kinds})
    verdict_options = "".join(f'<option value="{escape(v)}">{escape(v.replace("_", " "))}</option>' for v in verdicts)
    key_options = "".join(f'<option value="{escape(k)}">{escape(k)}</option>' for k in keys)
    kind_options = "".join(f'<option value="{escape(k)}">{escape(k.replace("_", " "))}</option>' for k in kinds)
    return (
        '<div class="filters">'
        f'<label>Verdict <select id="filter-verdict"><option value="">all</option>{verdict_options}</select></label>'
        f'<label>Discrepancy <select id="filter-kind"><option value="">all</option>{kind_options}</select></label>'
        f'<label>Citation <select id="filter-cite"><option value="">all</option>{key_options}</select></label>'
        '<span id="shown-count"></span></div>'
    )


def _claims_table(claims: list[ClaimRow]) -> str:
    rows = []
    for claim in claims:
        cites = "|".join(claim.cites)
        flags = "".join(f'<span class="flag">{escape(f)}</span>' for f in claim.flags)
        rows.append(
            f'<tr class="claim" data-verdict="{escape(claim.verdict)}" data-cites="|{escape(cites)}|"'
            f' data-kinds="|{escape("|".join(claim.discrepancy_kinds))}|">'
            f'<td>{escape(claim.claim_id)}</td>'
            f'<td><div class="text">{escape(claim.text)}</div>'
            f'<div class="section">{escape(claim.section or "")}</div>{_facts(claim.facts)}</td>'
            f'<td>{escape(", ".join(claim.cites) or "none")}</td>'
            f'<td>{_badge(claim.verdict)}{flags}{_kinds(claim.discrepancy_kinds)}'
            f'<div class="why">{escape(claim.explanation)}</div></td></tr>'
        )
    head = "<tr><th>Claim</th><th>What the review says</th><th>Cites</th><th>Verdict</th></tr>"
    return f'<table id="claims-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _badge(verdict: str) -> str:
    glyph = VERDICT_GLYPH.get(verdict, "")
    return f'<span class="verdict v-{escape(verdict)}">{glyph} {escape(verdict.replace("_", " "))}</span>'


def _kinds(kinds: tuple[str, ...]) -> str:
    return "".join(f'<span class="kind">{escape(k.replace("_", " "))}</span>' for k in kinds)


def _facts(facts: tuple[FactRow, ...]) -> str:
    if not facts:
        return ""
    items = []
    for fact in facts:
        evidence = f'<q>{escape(fact.evidence)}</q>' if fact.evidence else ""
        source = f"[{escape(fact.citation_key)}] " if fact.citation_key else ""
        kind = f' <span class="kind">{escape(fact.discrepancy_kind.replace("_", " "))}</span>' if fact.discrepancy_kind else ""
        items.append(
            f'<li class="fact f-{escape(fact.verdict)}"><b>{escape(fact.endpoint)} {escape(fact.claimed)}</b> '
            f'{source}<i>{VERDICT_GLYPH.get(fact.verdict, "")} {escape(fact.verdict.replace("_", " "))}</i>{kind}: '
            f'{escape(fact.explanation)} {evidence}</li>'
        )
    return f'<ul class="facts">{"".join(items)}</ul>'


_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;padding:0 16px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:6px;text-align:left;vertical-align:top}
th{background:#f4f4f4}.section{color:#777;font-size:12px}.why{font-size:12px;color:#444}
.verdict{display:inline-block;padding:1px 6px;border-radius:3px;font-weight:600;color:#fff}
.v-supported{background:#1b5e20}.v-supported_with_discrepancy{background:#e6a700;color:#222}
.v-contradicted{background:#b71c1c}.v-not_in_source{background:#1565c0}.v-source_unavailable{background:#616161}
.v-unverifiable{background:#e0e0e0;color:#333}
.flag{margin-left:4px;background:#6a1b9a;color:#fff;padding:1px 4px;border-radius:3px}
.kind{margin-left:4px;border:1px solid #e6a700;color:#6d4c00;padding:0 4px;border-radius:3px;font-size:11px}
.facts{margin:4px 0 0 16px;padding:0;font-size:12px}.f-supported b{color:#1b5e20}.f-contradicted b{color:#b71c1c}
.f-supported_with_discrepancy b{color:#8a6400}.f-not_in_source b{color:#1565c0}.f-source_unavailable b{color:#616161}
q{color:#555;font-style:italic}.filters{margin:8px 0}.filters label{margin-right:16px}
figure{margin:0}figure svg{max-width:100%;height:auto}footer{color:#999;font-size:11px;margin:24px 0}
tr.hidden{display:none}
"""

_JS = """
(function () {
  var status = document.getElementById('js-status');
  window.onerror = function (message) {
    status.setAttribute('data-state', 'error');
    status.textContent = 'script error: ' + message;
  };
  var verdict = document.getElementById('filter-verdict');
  var kind = document.getElementById('filter-kind');
  var cite = document.getElementById('filter-cite');
  var rows = document.querySelectorAll('#claims-table tr.claim');
  function applyFilters() {
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var ok = (!verdict.value || row.getAttribute('data-verdict') === verdict.value) &&
               (!kind.value || row.getAttribute('data-kinds').indexOf('|' + kind.value + '|') !== -1) &&
               (!cite.value || row.getAttribute('data-cites').indexOf('|' + cite.value + '|') !== -1);
      row.classList.toggle('hidden', !ok);
      if (ok) { shown++; }
    }
    document.getElementById('shown-count').textContent = shown + ' of ' + rows.length + ' claims shown';
    return shown;
  }
  verdict.addEventListener('change', applyFilters);
  kind.addEventListener('change', applyFilters);
  cite.addEventListener('change', applyFilters);
  applyFilters();
  if (status.getAttribute('data-state') !== 'error') {
    status.setAttribute('data-state', 'ready');
    status.textContent = 'ready: ' + rows.length + ' claims';
  }
})();
"""
