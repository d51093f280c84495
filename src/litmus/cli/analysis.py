"""Commands that extract, verify, report and query what the warehouse holds."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import get_args

from rich.table import Table
from rich.text import Text

from litmus.cli.common import add_format_flags, add_warehouse_flag, check_before_flows, console, styled, warehouse_path
from litmus.claims.records import DiscrepancyKind
from litmus.errors import InputError

DISCREPANCY_KINDS = get_args(DiscrepancyKind)

# Graded verdicts in colours a reader tells apart: green, yellow, red, blue, grey.
VERDICT_STYLE = {
    "supported": "bold green", "supported_with_discrepancy": "bold yellow", "contradicted": "bold red",
    "not_in_source": "bold blue", "source_unavailable": "dim", "unverifiable": "dim italic",
}


# --------------------------------------------------------------------------- extract / show


def _read_text_argument(name: str) -> str:
    """The text of `--text`: a file or standard input, read only up to the text_input_bytes limit."""
    from litmus.limits import TEXT_INPUT_BYTES

    limit = TEXT_INPUT_BYTES.value
    if name == "-":
        stream = getattr(sys.stdin, "buffer", None)
        data = stream.read(limit + 1) if stream is not None else sys.stdin.read(limit + 1).encode("utf-8")
        if len(data) > limit:
            raise TEXT_INPUT_BYTES.refuse("standard input")
        where = "standard input"
    else:
        path = Path(name).expanduser()
        if path.exists() and not path.is_file() and not path.is_dir():
            raise InputError(f"{path} is not a regular file (a FIFO, socket or device): give a text file, or - for standard input")
        if not path.is_file():
            raise InputError(f"no such text file: {path}")
        if path.stat().st_size > limit:
            raise TEXT_INPUT_BYTES.refuse(str(path), path.stat().st_size)
        data, where = path.read_bytes(), str(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{where} is not UTF-8 text ({error.reason} at byte {error.start})") from error


def metric_as_json(metric) -> dict:
    return {
        "endpoint": metric.endpoint, "label": metric.label, "stat": metric.stat, "value": metric.value,
        "unit": metric.unit, "timepoint": metric.timepoint, "timepoint_months": metric.timepoint_months,
        "count": metric.count, "total": metric.total, "ci_low": metric.ci_low, "ci_high": metric.ci_high,
        "not_reached": metric.not_reached, "group": metric.group, "composite": metric.composite,
        "negated": metric.negated, "start": metric.start, "end": metric.end, "sentence": metric.sentence,
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
    check_before_flows(args)
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
    for column in ("endpoint", "stat", "value", "95% CI", "k/n", "time point", "group", "sentence"):
        table.add_column(column, overflow="fold")
    for m in metrics:
        value = "not reached" if m["not_reached"] else f"{m['value']:g}{m['unit'] if m['unit'] == '%' else ' ' + (m['unit'] or '')}" if m["value"] is not None else ""
        if m.get("negated"):
            value += " (none)"  # stated as an absence: "no grade ≥3 CRS"
        ci = f"{m['ci_low']:g}–{m['ci_high']:g}" if m.get("ci_low") is not None and m.get("ci_high") is not None else ""
        kn = _k_of_n(m["count"], m["total"]) if m["stat"] == "rate" else ""
        endpoint = m["endpoint"] + (f" {m['composite']}" if m.get("composite") else "") + (f" ({m['label']})" if m.get("label") else "")
        table.add_row(endpoint, m["stat"], value.strip(), ci, kn, m.get("timepoint") or "", m.get("group") or "",
                      m["sentence"][:140])
    console.print(table)


def _k_of_n(count: int | None, total: int | None) -> str:
    """"38/71", or "38" when only k is stated ("38 (53.5%)"), or "?/52" when only the denominator is."""
    if count is None and total is None:
        return ""
    return f"{'?' if count is None else count}" + (f"/{total}" if total is not None else "")


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
    console.print(styled((str(p["pmid"]), "bold"), f" {p['title']} ({p['journal_iso']} {p['pub_year']}; doi {p['doi']})"))
    _print_metrics_table(payload["metrics"])
    _print_entities_table(payload["entities"])
    return 0


def _pmid(value: str) -> str:
    from litmus.identifiers import pmid_problem

    problem = pmid_problem(value)
    if problem:
        raise InputError(problem)
    return value


# --------------------------------------------------------------------------- verify / report


def print_verdicts(warehouse: Path, review_id: str, *, kind: str | None = None) -> None:
    """The verdict table; `kind` keeps only the claims with that discrepancy kind."""
    from litmus.verification import read_verdicts
    from litmus.warehouse import connect

    con = connect(warehouse, read_only=True)
    try:
        claims = read_verdicts(con, review_id)
    finally:
        con.close()
    if kind:
        claims = [c for c in claims if kind in c["discrepancy_kinds"]]
    table = Table(title=f"claims of {review_id}", show_lines=True)
    for column in ("claim", "cites", "verdict", "why"):
        table.add_column(column, overflow="fold")
    for claim in claims:
        style = VERDICT_STYLE.get(claim["verdict"], "")
        table.add_row(claim["claim_id"], ", ".join(claim["cites"]), styled((claim["verdict"], style)),
                      Text("\n").join(_verdict_lines(claim)))
    console.print(table)


def _verdict_lines(claim: dict) -> list[Text]:
    """The claim, its explanation, then each figure and word checked, each with its graded verdict."""
    summary = (claim["claim"] or "").replace("\n", " ")
    where = claim["review_sentence"]
    located = f" [review {where['start']}–{where['end']}]" if where and where["start"] is not None else ""
    lines = [styled((f"{summary[:237] + '…' if len(summary) > 240 else summary}{located}", "dim")),
             styled(claim["explanation"] or "")]
    for fact in claim["facts"]:
        unit = fact["unit"] if fact["unit"] == "%" else " " + (fact["unit"] or "")
        kind = f" [{fact['discrepancy_kind']}]" if fact["discrepancy_kind"] else ""
        lines.append(styled((fact["verdict"], VERDICT_STYLE.get(fact["verdict"], "")),
                            f"{kind} {fact['endpoint']} {fact['written'] or ''}{unit}: {fact['explanation']}"))
    for finding in claim["findings"]:
        kind = f" [{finding['discrepancy_kind']}]" if finding["discrepancy_kind"] else ""
        lines.append(styled((finding["verdict"], VERDICT_STYLE.get(finding["verdict"], "")),
                            f"{kind} {finding['check']} '{finding['subject']}': {finding['explanation']}"))
    for label, style, items in (("arithmetic", "red", [a["message"] for a in claim["arithmetic"]]),
                                ("note", "cyan", claim["notes"]), ("flags", "red", claim["flags"])):
        if items:
            lines.append(styled((label, style), ": " + "; ".join(items)))
    return lines


def verdict_summary(summary: dict) -> str:
    """One line under the table: how many claims, from where, and the verdicts."""
    counts = ", ".join(f"{k}: {v}" for k, v in sorted(summary["verdicts"].items()))
    return (f"{summary['claims']} claims; {counts}; arithmetic findings: {summary['arithmetic_findings']}\n"
            f"{summary.get('claims_note') or 'claims from the ' + summary['origin']}")


def cmd_verify(args) -> int:
    check_before_flows(args)
    from flows.verify import verify_flow
    from litmus.query import run_query
    from litmus.verification import read_verdicts
    from litmus.warehouse import connect

    warehouse = warehouse_path(args)
    if args.review_text and not Path(args.review_text).expanduser().is_file():
        raise InputError(f"no such review text: {args.review_text}")
    summary = verify_flow(warehouse=str(warehouse), review=args.review, review_text=args.review_text,
                          live=getattr(args, "live", False))
    review_id = summary["review_id"]
    if args.json:
        con = connect(warehouse, read_only=True)
        try:
            claims = read_verdicts(con, review_id)
        finally:
            con.close()
        if args.kind:
            claims = [c for c in claims if args.kind in c["discrepancy_kinds"]]
        sys.stdout.write(json.dumps(claims, indent=2, default=str) + "\n")
        return 0
    if args.csv:
        query = "SELECT * FROM claim_verdicts WHERE review_id = ?"
        if args.kind:
            query += " AND list_contains(claim_discrepancy_kinds, ?)"
        result = run_query(warehouse, query, [review_id] + ([args.kind] if args.kind else []))
        sys.stdout.write(result.to_csv())
        return 0
    print_verdicts(warehouse, review_id, kind=args.kind)
    console.print(verdict_summary(summary))
    return 0


def cmd_report(args) -> int:
    from litmus.report.data import report_data
    from litmus.report.html import render_report
    from litmus.reviews import load_review_input
    from litmus.warehouse import connect

    review_id = load_review_input(args.review).review_id
    from litmus.outputs import prepare_output_folder

    warehouse = warehouse_path(args)
    con = connect(warehouse, read_only=True)
    try:
        data = report_data(con, review_id, warehouse)
    finally:
        con.close()
    # The report's files: report.html and one forest-<OUTCOME>.svg/.png per outcome; an earlier report's
    # are all overwritten, so all of them need --force.
    earlier = sorted(p.name for p in Path(args.out).expanduser().glob("forest*")) if str(args.out).strip() else []
    out = prepare_output_folder(args.out, ["report.html", *earlier], force=args.force, command="litmus report")
    files = render_report(data, out)
    plots = ", ".join(str(svg.name) for svg, _ in files.forests) or "none (no outcome figures)"
    console.print(f"report: {files.html}\nforest plots (SVG and PNG) in {files.html.parent}: {plots}")
    return 0


# --------------------------------------------------------------------------- sql / export


TABLE_ROWS = 1_000  # rows a table shows without --limit; --csv and --json stream every row


def cmd_sql(args) -> int:
    from litmus.query import open_query

    with open_query(warehouse_path(args), args.query, memory=args.memory, timeout=args.timeout) as result:
        if args.json or args.csv:
            _stream_rows(result, args.limit, as_json=args.json)
            return 0
        shown = args.limit if args.limit is not None else TABLE_ROWS
        rows = [row for batch in result.batches(shown + 1) for row in batch]
        table = Table(show_lines=False)
        for column in result.columns:
            table.add_column(column, overflow="fold")
        for row in rows[:shown]:
            table.add_row(*("" if v is None else str(v) for v in row))
        console.print(table)
        if len(rows) > shown:
            console.print(f"first {shown:,} row(s) shown; more follow (--limit N for another number, --csv or --json for all)")
        else:
            console.print(f"{len(rows)} row(s)")
    return 0


def _stream_rows(result, limit: int | None, *, as_json: bool) -> None:
    """CSV or JSON written batch by batch, so a query of millions of rows never sits in memory."""
    import csv

    from litmus.query import csv_value

    out = sys.stdout
    if as_json:
        out.write("[")
        first = True
        for batch in result.batches(limit):
            for row in batch:
                out.write(("\n  " if first else ",\n  ") + json.dumps(dict(zip(result.columns, row)), default=str))
                first = False
        out.write("\n]\n" if not first else "]\n")
        return
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    for batch in result.batches(limit):
        writer.writerows([csv_value(value) for value in row] for row in batch)


def cmd_export(args) -> int:
    from litmus.query import export_warehouse

    result = export_warehouse(warehouse_path(args), args.directory, file_format=args.format, force=args.force)
    console.print(f"wrote {len(result.written)} files to {args.directory}")
    if result.unreadable:
        console.print(styled(("could not read", "red"), f" {len(result.unreadable)} table(s) of the damaged warehouse: "
                             + "; ".join(f"{name} ({why})" for name, why in result.unreadable.items())))
        return 1
    return 0


# --------------------------------------------------------------------------- registration


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {text}")
    return value


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
            "Verify every claim of a review against the abstracts of the papers it cites, with graded verdicts: "
            "supported, supported_with_discrepancy (a minor error: another kind of patient count, a composite "
            "endpoint quoted as its component, a time point or subgroup only the review states, a figure rounded "
            "differently, comparative wording without a comparator), contradicted (a major error: another value, "
            "another endpoint's figure, another time point, a population or design the source does not have), "
            "not_in_source, source_unavailable, and unverifiable (nothing checkable). Claims are read from the "
            "review's own sentences when it is given as Markdown/text/JATS (or by PMCID/DOI with --live), each "
            "with its offsets in that file; the shipped editorial's claims come from our own-words transcription."
        ),
        epilog=(
            "examples:\n"
            "  litmus verify                                   # the shipped editorial (transcribed claims)\n"
            "  litmus verify --review my-review.md             # a review's own prose against its own references\n"
            "  litmus verify --review-text my-review.md        # the same: its reference list makes it the review\n"
            "  litmus verify --review PMC9460961 --live        # a review in PMC, its JATS fetched again\n"
            "  litmus verify --kind composite_endpoint         # only claims with that discrepancy\n"
            "  litmus verify --json | jq '.[] | select(.verdict == \"contradicted\")'\n"
            "  litmus verify --csv > verdicts.csv              # one row per checked figure or word"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verify.add_argument("--review", metavar="SOURCE",
                        help="the review: .toml transcription, .md/.txt/.xml file (its prose is read), or PMCID/DOI "
                             "with --live (default: the shipped editorial)")
    verify.add_argument("--review-text", metavar="FILE",
                        help="read the claims from this Markdown/text/JATS file; with no --review it is the review "
                             "too when it has its own reference list")
    verify.add_argument("--kind", metavar="KIND", choices=sorted(DISCREPANCY_KINDS),
                        help="show only claims with this discrepancy kind: " + ", ".join(sorted(DISCREPANCY_KINDS)))
    verify.add_argument("--live", action="store_true", help="fetch a PMCID/DOI review's JATS from PMC (needs NCBI_EMAIL)")
    add_format_flags(verify)
    add_warehouse_flag(verify)
    verify.set_defaults(handler=cmd_verify)

    report = commands.add_parser(
        "report", help="write the HTML report: verdicts, evidence per outcome with forest plots, citations",
        description=(
            "Write one self-contained HTML file: the claims and their verdicts, the evidence per outcome (a row per "
            "study with its own k/n, a forest plot with pooled estimates), survival and other outcomes, studies the "
            "saved searches found, how every citation was resolved, and where the data came from."
        ),
    )
    report.add_argument("--review", metavar="SOURCE", help="the review (default: the shipped editorial transcription)")
    report.add_argument("--out", metavar="DIR", default="report", help="folder for report.html and forest-<OUTCOME>.svg/.png (default: ./report)")
    report.add_argument("--force", action="store_true", help="overwrite the files of an earlier report in DIR")
    add_warehouse_flag(report)
    report.set_defaults(handler=cmd_report)

    sql = commands.add_parser(
        "sql",
        help="run a read-only SQL query on the warehouse",
        description="Run SELECT/EXPLAIN/PRAGMA statements on the warehouse opened read-only (no file access). See warehouse/README.md for the tables and views.",
        epilog="examples:\n  litmus sql \"SELECT strategy, title, cr_pct FROM evidence_table\"\n  litmus sql --csv \"SELECT * FROM claim_verdicts\"\n"
               "  litmus sql --limit 20 --timeout 300 --memory 4GB \"SELECT * FROM metrics ORDER BY value DESC\"\n\n"
               "Queries run under a memory cap and a timeout; Ctrl-C stops one (exit 130).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sql.add_argument("query", help="the SQL to run")
    sql.add_argument("--limit", type=_positive_int, metavar="N",
                     help=f"print at most N rows (a table shows {TABLE_ROWS:,} without it; --csv/--json all)")
    sql.add_argument("--memory", metavar="SIZE", help="DuckDB's memory cap for the query, e.g. 512MB, 4GB"
                                                      " (default: LITMUS_MAX_SQL_MEMORY_BYTES, else 1GB)")
    sql.add_argument("--timeout", type=_positive_float, metavar="SECONDS",
                     help="stop the query after this long (default: LITMUS_MAX_SQL_SECONDS, else 60)")
    add_format_flags(sql)
    add_warehouse_flag(sql)
    sql.set_defaults(handler=cmd_sql)

    export = commands.add_parser("export", help="write every table and view to Parquet or CSV files")
    export.add_argument("directory", help="output folder (created if needed)")
    export.add_argument("--format", choices=("parquet", "csv"), default="parquet", help="file format (default parquet)")
    export.add_argument("--force", action="store_true", help="overwrite files an earlier export left in DIRECTORY")
    add_warehouse_flag(export)
    export.set_defaults(handler=cmd_export)
