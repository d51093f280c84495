"""What an update run brought in, as a Markdown digest, and what came in since a date.

The digest lists each new study with the saved searches that found it, whether it counts as a
clinical study (and why), its strategies in the evidence table and its headline outcome metrics
when extraction has run, and the searches that failed. Every run keeps its digest: a day's second
run writes `<date>-2.md` beside `<date>.md`, and a digest file named by hand gets a section per
run. Inside a Prefect flow the same Markdown is published as an artifact.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

HEADLINE_ENDPOINTS = ("ORR", "CR", "CRi", "MRD_NEG", "PFS", "OS", "EFS", "DOR", "CRS_GE3", "ICANS_GE3", "N_ENROLLED", "N_TREATED")
MAX_HEADLINES = 4


def digests_dir(warehouse: Path | str) -> Path:
    return Path(warehouse).parent / "digests"


def next_digest_path(directory: Path | str, as_of: date) -> Path:
    """The first of `<date>.md`, `<date>-2.md`, `<date>-3.md`… in `directory` that does not exist yet."""
    directory = Path(directory)
    path, number = directory / f"{as_of.isoformat()}.md", 1
    while path.exists():
        number += 1
        path = directory / f"{as_of.isoformat()}-{number}.md"
    return path


def format_metric(endpoint: str, stat: str, value, unit, count, total, timepoint, not_reached: bool, label) -> str:
    name = label if endpoint == "OTHER" and label else endpoint
    if stat == "median":
        name = f"median {name}"
    if not_reached:
        shown = "not reached"
    elif value is None and count is not None and total is not None:
        shown = f"{count}/{total}"
    elif value is None:
        shown = "?"
    else:
        number = f"{value:g}"
        shown = f"{number}%" if unit == "%" else f"{number} {unit}" if unit else number
        if count is not None and total is not None:
            shown += f" ({count}/{total})"
    return f"{name} {shown}" + (f" {timepoint}" if timepoint else "")


def headline_metrics(con: duckdb.DuckDBPyConnection, pmid: str, limit: int = MAX_HEADLINES) -> list[str]:
    rows = con.execute(
        "SELECT endpoint, stat, value, unit, count, total, timepoint, not_reached, label FROM metrics"
        " WHERE pmid = ? AND subgroup IS NULL ORDER BY metric_index",
        [pmid],
    ).fetchall()
    order = {endpoint: position for position, endpoint in enumerate(HEADLINE_ENDPOINTS)}
    ranked = sorted((r for r in rows if r[0] in order), key=lambda r: order[r[0]])
    seen, lines = set(), []
    for row in ranked:
        if row[0] in seen:
            continue
        seen.add(row[0])
        lines.append(format_metric(*row))
        if len(lines) == limit:
            break
    return lines


def run_rows(con: duckdb.DuckDBPyConnection, run_id: str) -> list[tuple]:
    return con.execute(
        "SELECT search_name, datetype, status, mindate, maxdate, result_count, slices, new_pmids, updated_pmids, warnings"
        " FROM search_runs WHERE run_id = ? ORDER BY search_name, datetype",
        [run_id],
    ).fetchall()


def _strategies(con, pmid: str) -> list[str]:
    rows = con.execute("SELECT strategy FROM paper_strategies WHERE pmid = ? ORDER BY strategy", [pmid]).fetchall()
    return [row[0] for row in rows]


def _paper_lines(con, pmid: str, searches: list[str]) -> list[str]:
    rows = con.execute(
        "SELECT p.title, p.journal_iso, p.journal, p.pub_year, r.is_clinical, r.reasons, r.in_evidence"
        " FROM papers p LEFT JOIN paper_relevance r USING (pmid) WHERE p.pmid = ?",
        [pmid],
    ).fetchall()
    if not rows:
        return [f"### PMID {pmid}", "- not in the warehouse (EFetch did not return it)", ""]
    title, journal_iso, journal, year, clinical, reasons, in_evidence = rows[0]
    lines = [f"### [{pmid}](https://pubmed.ncbi.nlm.nih.gov/{pmid}/) {title}"]
    lines.append(f"- {journal_iso or journal or 'journal unknown'}, {year or 'year unknown'}; found by "
                 + ", ".join(f"`{s}`" for s in searches))
    if clinical is None:
        lines.append("- clinical study: not classified")
    else:
        verdict = "yes" if clinical else "no (kept out of evidence tables)" if not in_evidence else "no"
        lines.append(f"- clinical study: {verdict} ({'; '.join(reasons or [])})")
    strategies = _strategies(con, pmid)
    if strategies:
        lines.append(f"- strategy: {', '.join(strategies)}")
    metrics = headline_metrics(con, pmid)
    if metrics:
        lines.append(f"- headline metrics: {'; '.join(metrics)}")
    lines.append("")
    return lines


def build_digest(con: duckdb.DuckDBPyConnection, run_id: str, as_of: date, failed: dict[str, str] | None = None) -> str:
    """The Markdown digest of one update run; `failed` maps searches that failed to their reason."""
    rows = run_rows(con, run_id)
    found_by: dict[str, list[str]] = {}
    updated_by: dict[str, list[str]] = {}
    for search, _datetype, _status, _lo, _hi, _count, _slices, new, updated, _warnings in rows:
        for pmid in new or []:
            found_by.setdefault(pmid, []).append(search)
        for pmid in updated or []:
            updated_by.setdefault(pmid, []).append(search)
    # A paper found by several searches of the run is new once; list every search that found it.
    for pmid in list(found_by):
        others = con.execute(
            "SELECT list(search_name ORDER BY search_name) FROM search_hits WHERE pmid = ? AND run_id = ?", [pmid, run_id]
        ).fetchall()[0][0]
        found_by[pmid] = sorted(set(found_by[pmid]) | set(others or []))
    searches = sorted({row[0] for row in rows} | set(failed or {}))
    clinical = con.execute(
        "SELECT count(*) FROM paper_relevance WHERE is_clinical AND list_contains(?, pmid)", [list(found_by)]
    ).fetchall()[0][0]
    lines = [
        f"# litmus update, {as_of.isoformat()}",
        "",
        f"{len(found_by)} new {'study' if len(found_by) == 1 else 'studies'} ({clinical} clinical) and "
        f"{len(updated_by)} updated from {len(searches)} saved searches"
        + (f"; {len(failed)} of them failed (see below)." if failed else "."),
        "",
    ]
    if found_by:
        lines += ["## New studies", ""]
        for pmid in sorted(found_by):
            lines += _paper_lines(con, pmid, found_by[pmid])
    if updated_by:
        lines += ["## Updated upstream (re-fetched and re-extracted)", ""]
        lines += [f"- [{pmid}](https://pubmed.ncbi.nlm.nih.gov/{pmid}/) by {', '.join(f'`{s}`' for s in found)}"
                  for pmid, found in sorted(updated_by.items())]
        lines.append("")
    lines += ["## Searches", "", "| search | date | window | status | PubMed count | slices | new | updated |",
              "|---|---|---|---|---:|---:|---:|---:|"]
    for search, datetype, status, low, high, count, slices, new, updated, _warnings in rows:
        window = f"{low}..{high}" if low else "-"
        lines.append(f"| `{search}` | {datetype} | {window} | {status} | {count} | {slices} | {len(new or [])} | {len(updated or [])} |")
    warnings = [(row[0], w) for row in rows for w in (row[9] or [])]
    if warnings:
        lines += ["", "## Warnings", ""] + [f"- `{search}`: {w}" for search, w in warnings]
    if failed:
        lines += ["", "## Failed searches (their window is asked again by the next run)", ""]
        lines += [f"- `{search}`: {reason}" for search, reason in sorted(failed.items())]
    return "\n".join(lines) + "\n"


def write_digest(path: Path | str, text: str) -> Path:
    """Write a run's digest to `path`; an existing file keeps what it holds and gets the digest as a
    further section (two runs never overwrite each other's digest)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    earlier = path.read_text(encoding="utf-8") if path.exists() else ""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(earlier + ("\n---\n\n" if earlier else "") + text, encoding="utf-8")
    tmp.replace(path)
    return path


def new_since(con: duckdb.DuckDBPyConnection, since: date) -> list[dict]:
    """Papers that came into the warehouse through saved searches on or after `since`."""
    rows = con.execute(
        """
        SELECT h.pmid, min(h.first_seen) AS first_seen, list(DISTINCT h.search_name ORDER BY h.search_name),
               p.title, coalesce(p.journal_iso, p.journal), p.pub_year,
               r.is_clinical, r.in_evidence, r.cited_by_review
        FROM search_hits h JOIN papers p USING (pmid) LEFT JOIN paper_relevance r USING (pmid)
        WHERE h.new_to_warehouse
        GROUP BY h.pmid, p.title, p.journal_iso, p.journal, p.pub_year, r.is_clinical, r.in_evidence, r.cited_by_review
        HAVING min(h.first_seen) >= ?
        ORDER BY first_seen, h.pmid
        """,
        [since],
    ).fetchall()
    return [
        {
            "pmid": pmid, "first_seen": first_seen.isoformat(), "searches": searches, "title": title,
            "journal": journal, "year": year, "is_clinical": clinical, "in_evidence": in_evidence,
            "cited_by_review": cited, "metrics": headline_metrics(con, pmid),
        }
        for pmid, first_seen, searches, title, journal, year, clinical, in_evidence, cited in rows
    ]
