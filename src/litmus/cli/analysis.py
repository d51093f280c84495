"""Commands that extract, verify, report and query what the warehouse holds."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.table import Table

from litmus.cli.common import add_format_flags, add_warehouse_flag, console, warehouse_path
from litmus.errors import InputError

VERDICT_STYLE = {
    "supported": "green", "partly_supported": "yellow", "contradicted": "red", "unverifiable": "dim",
    "mismatch": "red", "not_in_abstract": "yellow", "source_unavailable": "dim",
}


# --------------------------------------------------------------------------- extract / show


def _read_text_argument(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    path = Path(name).expanduser()
    if not path.is_file():
        raise InputError(f"no such text file: {path}")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{path} is not UTF-8 text ({error.reason} at byte {error.start})") from error


def metric_as_json(metric) -> dict:
    return {
        "endpoint": metric.endpoint, "label": metric.label, "stat": metric.stat, "value": metric.value,
        "unit": metric.unit, "timepoint": metric.timepoint, "timepoint_months": metric.timepoint_months,
        "count": metric.count, "total": metric.total, "ci_low": metric.ci_low, "ci_high": metric.ci_high,
        "not_reached": metric.not_reached, "group": metric.group, "start": metric.start, "end": metric.end,
        "sentence": metric.sentence,
    }


def entity_as_json(entity) -> dict:
    return {
        "text": entity.text, "label": entity.label, "concept_id": entity.concept_id,
        "concept_name": entity.concept_name, "linked": entity.linked, "score": entity.score,
        "start": entity.start, "end": entity.end, "attributes": dict(entity.attributes),
    }


def cmd_extract(args) -> int:
    if args.text:
        from litmus.nlp.extract import extract_document
        from litmus.nlp.pipeline import build_pipeline

        text = _read_text_argument(args.text)
        result = extract_document(build_pipeline(), text)
        payload = {"entities": [entity_as_json(e) for e in result.entities], "metrics": [metric_as_json(m) for m in result.metrics]}
        if args.json:
            sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        else:
            _print_metrics_table(payload["metrics"])
            _print_entities_table(payload["entities"])
        return 0
    from litmus.cli.prefect_runs import run_flow

    totals = run_flow("flows.extract", "extract_flow", warehouse=str(warehouse_path(args)), force=args.force)
    if args.json:
        sys.stdout.write(json.dumps(totals, indent=2) + "\n")
    else:
        console.print(
            f"extracted {totals['papers']} papers ({totals['version']}): {totals['sentences']} sentences,"
            f" {totals['entities']} entity mentions, {totals['metrics']} outcome metrics;"
            f" {totals['strategy_assignments']} strategy assignments"
        )
    return 0


def _print_metrics_table(metrics: list[dict], title: str = "outcome metrics") -> None:
    table = Table(title=title, show_lines=False)
    for column in ("endpoint", "stat", "value", "k/n", "time point", "group", "sentence"):
        table.add_column(column, overflow="fold")
    for m in metrics:
        value = "not reached" if m["not_reached"] else f"{m['value']:g}{m['unit'] if m['unit'] == '%' else ' ' + (m['unit'] or '')}" if m["value"] is not None else ""
        kn = f"{m['count']}/{m['total']}" if m["count"] is not None and m["total"] is not None else ""
        endpoint = m["endpoint"] + (f" ({m['label']})" if m.get("label") else "")
        table.add_row(endpoint, m["stat"], value.strip(), kn, m.get("timepoint") or "", m.get("group") or "", m["sentence"][:140])
    console.print(table)


def _print_entities_table(entities: list[dict]) -> None:
    table = Table(title="entities")
    for column in ("text", "label", "concept", "linked"):
        table.add_column(column)
    for e in entities:
        table.add_row(e["text"], e["label"], e["concept_id"] or "", "yes" if e["linked"] else "no")
    console.print(table)


def cmd_show(args) -> int:
    from litmus.query import run_query

    warehouse = warehouse_path(args)
    pmid = _pmid(args.pmid)
    paper = run_query(warehouse, "SELECT pmid, title, journal_iso, pub_year, doi FROM papers WHERE pmid = ?", [pmid])
    if not paper.rows:
        raise InputError(f"PMID {args.pmid} is not in the warehouse ({warehouse}); `litmus status` shows what is")
    metrics = run_query(
        warehouse,
        "SELECT endpoint, label, stat, value, unit, timepoint, timepoint_months, count, total, ci_low, ci_high,"
        " not_reached, subgroup AS \"group\", start_offset AS start, end_offset AS \"end\", quote AS sentence"
        " FROM metrics WHERE pmid = ? ORDER BY metric_index",
        [pmid],
    )
    entities = run_query(
        warehouse,
        "SELECT text, label, concept_id, concept_name, linked, score, start_offset AS start, end_offset AS \"end\""
        " FROM entities WHERE pmid = ? ORDER BY mention_index",
        [pmid],
    )
    payload = {"paper": paper.as_dicts()[0], "entities": entities.as_dicts(), "metrics": metrics.as_dicts()}
    if args.json:
        sys.stdout.write(json.dumps(payload, indent=2, default=str) + "\n")
        return 0
    p = payload["paper"]
    console.print(f"[bold]{p['pmid']}[/bold] {p['title']} ({p['journal_iso']} {p['pub_year']}; doi {p['doi']})")
    _print_metrics_table(payload["metrics"])
    _print_entities_table(payload["entities"])
    return 0


def _pmid(value: str) -> str:
    if not value.isdigit():
        raise InputError(f"a PMID is digits only, got {value!r}")
    return value


# --------------------------------------------------------------------------- verify / report


def print_verdicts(warehouse: Path, review_id: str) -> None:
    from litmus.query import run_query

    claims = run_query(
        warehouse,
        "SELECT claim_id, array_to_string(cites, ', ') AS cites, verdict, explanation, text,"
        " (SELECT string_agg(message, '; ') FROM arithmetic_findings a WHERE a.review_id = c.review_id AND a.claim_id = c.claim_id) AS arithmetic,"
        " array_to_string(flags, '; ') AS flags"
        " FROM claims c WHERE review_id = ? ORDER BY claim_id",
        [review_id],
    )
    facts = run_query(
        warehouse,
        "SELECT claim_id, endpoint, written, unit, verdict, explanation FROM claim_facts"
        " WHERE review_id = ? ORDER BY claim_id, fact_index",
        [review_id],
    )
    by_claim: dict[str, list[tuple]] = {}
    for claim_id, endpoint, written, unit, verdict, explanation in facts.rows:
        by_claim.setdefault(claim_id, []).append((endpoint, written, unit, verdict, explanation))
    table = Table(title=f"claims of {review_id}", show_lines=True)
    for column in ("claim", "cites", "verdict", "why"):
        table.add_column(column, overflow="fold")
    for claim_id, cites, verdict, explanation, text, arithmetic, flags in claims.rows:
        summary = (text or "").replace("\n", " ")
        lines = [f"[dim]{summary[:157] + '…' if len(summary) > 160 else summary}[/dim]", explanation]
        for endpoint, written, unit, fact_verdict, fact_explanation in by_claim.get(claim_id, []):
            style = VERDICT_STYLE.get(fact_verdict, "")
            lines.append(f"[{style}]{fact_verdict}[/{style}] {endpoint} {written or ''}{unit if unit == '%' else ' ' + (unit or '')}: {fact_explanation}")
        if arithmetic:
            lines.append(f"[red]arithmetic[/red]: {arithmetic}")
        if flags:
            lines.append(f"[red]flags[/red]: {flags}")
        style = VERDICT_STYLE.get(verdict, "")
        table.add_row(claim_id, cites, f"[{style}]{verdict}[/{style}]", "\n".join(lines))
    console.print(table)


def cmd_verify(args) -> int:
    from flows.verify import verify_flow
    from litmus.query import run_query
    from litmus.reviews import load_review_input

    warehouse = warehouse_path(args)
    summary = verify_flow(warehouse=str(warehouse), review=args.review, review_text=args.review_text)
    review_id = load_review_input(args.review).review_id
    if args.json or args.csv:
        result = run_query(warehouse, "SELECT * FROM claim_verdicts WHERE review_id = ?", [review_id])
        sys.stdout.write(result.to_json() + "\n" if args.json else result.to_csv())
        return 0
    print_verdicts(warehouse, review_id)
    console.print(
        f"{summary['claims']} claims (from the {summary['origin']}: {summary['claims_source']}); "
        + ", ".join(f"{k}: {v}" for k, v in sorted(summary["verdicts"].items()))
        + f"; arithmetic findings: {summary['arithmetic_findings']}"
    )
    return 0


def cmd_report(args) -> int:
    from litmus.report.data import report_data
    from litmus.report.html import render_report
    from litmus.reviews import load_review_input
    from litmus.warehouse import connect

    review_id = load_review_input(args.review).review_id
    con = connect(warehouse_path(args), read_only=True)
    try:
        data = report_data(con, review_id)
    finally:
        con.close()
    files = render_report(data, Path(args.out))
    console.print(f"report: {files.html}\nforest plot: {files.forest_svg}, {files.forest_png}")
    return 0


# --------------------------------------------------------------------------- sql / export


def cmd_sql(args) -> int:
    from litmus.query import run_query

    result = run_query(warehouse_path(args), args.query, limit=args.limit)
    if args.json:
        sys.stdout.write(result.to_json() + "\n")
    elif args.csv:
        sys.stdout.write(result.to_csv())
    else:
        table = Table(show_lines=False)
        for column in result.columns:
            table.add_column(column, overflow="fold")
        for row in result.rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        console.print(table)
        console.print(f"{len(result.rows)} row(s)")
    return 0


def cmd_export(args) -> int:
    from litmus.query import export_warehouse

    written = export_warehouse(warehouse_path(args), Path(args.directory), file_format=args.format)
    console.print(f"wrote {len(written)} files to {args.directory}")
    return 0


# --------------------------------------------------------------------------- registration


def register(commands) -> None:
    extract = commands.add_parser(
        "extract",
        help="extract entities and outcome metrics (stored papers, or any text with --text)",
        description=(
            "Run the spaCy/scispaCy pipeline over every stored paper not yet extracted by this extractor "
            "version, or over a plain text file with --text (use - for standard input), which touches no warehouse."
        ),
        epilog="examples:\n  litmus extract\n  litmus extract --text abstract.txt --json\n  echo 'ORR was 80% (16/20).' | litmus extract --text - --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    extract.add_argument("--text", metavar="FILE", help="extract from this text file (- for stdin) and print the result")
    extract.add_argument("--force", action="store_true", help="re-extract papers already extracted by this version")
    extract.add_argument("--json", action="store_true", help="print JSON: {entities: [...], metrics: [...]}")
    add_warehouse_flag(extract)
    extract.set_defaults(handler=cmd_extract)

    show = commands.add_parser("show", help="a stored paper's entities and metrics with their sentences")
    show.add_argument("pmid", help="the paper's PMID")
    show.add_argument("--json", action="store_true", help="print JSON")
    add_warehouse_flag(show)
    show.set_defaults(handler=cmd_show)

    verify = commands.add_parser(
        "verify",
        help="check the review's claims against the cited papers",
        description=(
            "Verify every factual claim of a review against the metrics extracted from the cited papers. "
            "Claims are read from the review's text when it is given as .md/.txt (or with --review-text), "
            "otherwise from our transcription beside the .toml record."
        ),
    )
    verify.add_argument("--review", metavar="SOURCE", help="the review (default: the shipped editorial transcription)")
    verify.add_argument("--review-text", metavar="FILE", help="the review's own text (Markdown/plain) to read the claims from")
    add_format_flags(verify)
    add_warehouse_flag(verify)
    verify.set_defaults(handler=cmd_verify)

    report = commands.add_parser("report", help="write the HTML report: verdicts, evidence table, forest plot")
    report.add_argument("--review", metavar="SOURCE", help="the review (default: the shipped editorial transcription)")
    report.add_argument("--out", metavar="DIR", default="report", help="folder for report.html, forest.svg, forest.png (default: ./report)")
    add_warehouse_flag(report)
    report.set_defaults(handler=cmd_report)

    sql = commands.add_parser(
        "sql",
        help="run a read-only SQL query on the warehouse",
        description="Run SELECT/EXPLAIN/PRAGMA statements on the warehouse opened read-only (no file access). See warehouse/README.md for the tables and views.",
        epilog="examples:\n  litmus sql \"SELECT strategy, title, cr_pct FROM evidence_table\"\n  litmus sql --csv \"SELECT * FROM claim_verdicts\"",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sql.add_argument("query", help="the SQL to run")
    sql.add_argument("--limit", type=int, help="print at most this many rows")
    add_format_flags(sql)
    add_warehouse_flag(sql)
    sql.set_defaults(handler=cmd_sql)

    export = commands.add_parser("export", help="write every table and view to Parquet or CSV files")
    export.add_argument("directory", help="output folder (created if needed)")
    export.add_argument("--format", choices=("parquet", "csv"), default="parquet", help="file format (default parquet)")
    add_warehouse_flag(export)
    export.set_defaults(handler=cmd_export)
