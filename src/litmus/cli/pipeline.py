"""`litmus run`, `litmus ingest`, `litmus status`: the job on a review, and what the warehouse holds."""

from __future__ import annotations

import time

from rich.table import Table

from litmus.cli.analysis import print_verdicts
from litmus.cli.common import add_entrez_flags, add_warehouse_flag, console, print_json, styled, warehouse_path


def _print_ingest_summary(summary: dict, elapsed: float) -> None:
    console.print(styled((summary["review_id"], "bold"), f" via {summary['mode']}"))
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
    table.add_column("citation")
    table.add_column("PMID")
    table.add_column("how", overflow="fold")
    for key, pmid, method in summary.get("resolved_citations", []):
        table.add_row(key, pmid, method)
    for key, detail in summary["unresolved"]:
        table.add_row(key, styled(("unresolved", "yellow")), detail)
    console.print(table)
    console.print(
        f"  citations: {summary['citations']}, resolved: {summary['resolved']}"
        f" ({summary['reused_resolutions']} from earlier runs), unresolved: {len(summary['unresolved'])}"
    )
    console.print(
        f"  papers stored: {summary['papers_stored']} new, {summary['papers_already_stored']} already in the warehouse"
        + (f", missing from NCBI's answer: {', '.join(summary['papers_missing'])}" if summary["papers_missing"] else "")
    )
    console.print(f"  E-utilities requests: {summary['entrez_requests']}; time {elapsed:.1f} s")


def cmd_ingest(args) -> int:
    from flows.ingest import ingest_review_flow

    started = time.perf_counter()
    summary = ingest_review_flow(
        review=args.review, warehouse=str(warehouse_path(args)), live=args.live, record=args.record, refresh=args.refresh
    )
    if args.json:
        print_json(summary)
    else:
        _print_ingest_summary(summary, time.perf_counter() - started)
    return 0


def cmd_run(args) -> int:
    from flows.run import litmus_run_flow

    started = time.perf_counter()
    result = litmus_run_flow(
        review=args.review, warehouse=str(warehouse_path(args)), live=args.live, record=args.record,
        refresh=args.refresh, review_text=args.review_text,
    )
    if args.json:
        print_json(result)
        return 0
    _print_ingest_summary(result["ingest"], time.perf_counter() - started)
    extraction, verification = result["extraction"], result["verification"]
    console.print(
        f"  extracted {extraction['papers']} papers: {extraction['entities']} entity mentions,"
        f" {extraction['metrics']} outcome metrics"
    )
    print_verdicts(warehouse_path(args), verification["review_id"])
    console.print(
        f"  {verification['claims']} claims (from the {verification['origin']}); "
        + ", ".join(f"{k}: {v}" for k, v in sorted(verification["verdicts"].items()))
        + f"; arithmetic findings: {verification['arithmetic_findings']}"
    )
    console.print(styled(("done", "green"), f" in {time.perf_counter() - started:.1f} s; warehouse: {warehouse_path(args)}"))
    return 0


def cmd_status(args) -> int:
    from litmus.status import warehouse_status

    status = warehouse_status(warehouse_path(args))
    if args.json:
        print_json(status)
        return 0
    table = Table(title=f"warehouse {status['path']} (schema v{status['schema_version']})")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in status["tables"].items():
        table.add_row(name, str(rows))
    console.print(table)
    for review in status["reviews"]:
        console.print(styled(
            "review ", (review["review_id"], "bold"), f": {review['citations']} citations,"
            f" {review['resolved']} resolved, {review['with_paper']} papers stored"
        ))
    for run in status["recent_runs"]:
        console.print(f"  run {run['started_at']} {run['flow']}: {run['status']}" + (f" ({run['message']})" if run["message"] else ""))
    return 0


def register(commands) -> None:
    run = commands.add_parser("run", help="the whole job on a review: ingest, extract, verify", description=cmd_run.__doc__)
    run.add_argument("--review", metavar="SOURCE", help="review to read (default: the shipped CAR-T editorial transcription)")
    run.add_argument("--review-text", metavar="FILE", help="the review's own text, to read its claims from the prose")
    add_entrez_flags(run)
    add_warehouse_flag(run)
    run.add_argument("--json", action="store_true", help="print the run summary as JSON")
    run.set_defaults(handler=cmd_run)

    ingest = commands.add_parser(
        "ingest",
        help="resolve a review's citations and store the cited papers",
        description=(
            "Resolve every citation of a review to a PubMed record (stated PMID, DOI search, ECitMatch, "
            "title search) and store the papers. SOURCE is a .toml transcription, a .md/.txt review with a "
            "numbered reference list, a JATS .xml file, or with --live a PMCID (PMC…) or DOI."
        ),
    )
    ingest.add_argument("--review", metavar="SOURCE", help="review to read (default: the shipped CAR-T editorial transcription)")
    add_entrez_flags(ingest)
    add_warehouse_flag(ingest)
    ingest.add_argument("--json", action="store_true", help="print the summary as JSON")
    ingest.set_defaults(handler=cmd_ingest)

    status = commands.add_parser("status", help="what the warehouse holds: tables, reviews, recent runs")
    add_warehouse_flag(status)
    status.add_argument("--json", action="store_true", help="print as JSON")
    status.set_defaults(handler=cmd_status)
