"""`litmus run`, `litmus ingest`, `litmus status`: the job on a review, and what the warehouse holds."""

from __future__ import annotations

import argparse
import time

from rich.table import Table

from litmus.cli.analysis import print_verdicts, verdict_summary
from litmus.cli.common import (
    add_entrez_flags, add_json_flags, add_warehouse_flag, check_before_flows, console, print_json, print_json_lines,
    styled, warehouse_path,
)
from litmus.cli.prefect_runs import run_flow

INGEST_RECORDS = {"resolved_citations": "citation", "unresolved": "unresolved_citation"}
STATUS_RECORDS = {"tables": "table", "reviews": "review", "recent_runs": "run"}


def _print_ingest_summary(summary: dict, elapsed: float) -> None:
    console.print(styled((summary["review_id"], "bold"), f" via {summary['mode']}"))
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
    table.add_column("citation")
    table.add_column("PMID")
    table.add_column("how", overflow="fold")
    for citation in summary.get("resolved_citations", []):
        table.add_row(citation["citation_key"], citation["pmid"], citation["method"])
    for citation in summary["unresolved"]:
        table.add_row(citation["citation_key"], styled(("unresolved", "yellow")), citation["reason"])
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
    for failure in summary.get("failed_steps", []):
        console.print(styled("  ", ("failed", "red"), f" {failure}"))


def cmd_ingest(args) -> int:
    check_before_flows(args)
    started = time.perf_counter()
    summary = run_flow(
        "flows.ingest", "ingest_review_flow",
        review=args.review, warehouse=str(warehouse_path(args)), live=args.live, record=args.record, refresh=args.refresh,
    )
    if args.json:
        print_json(summary)
    elif args.nl:
        print_json_lines(summary, INGEST_RECORDS)
    else:
        _print_ingest_summary(summary, time.perf_counter() - started)
    return _exit_status(summary)


def _exit_status(ingest_summary: dict) -> int:
    """1 when a live step failed: the warehouse kept what earlier runs stored, but the run is not complete."""
    return 1 if ingest_summary.get("failed_steps") else 0


def cmd_run(args) -> int:
    check_before_flows(args)
    started = time.perf_counter()
    result = run_flow(
        "flows.run", "litmus_run_flow",
        review=args.review, warehouse=str(warehouse_path(args)), live=args.live, record=args.record,
        refresh=args.refresh, review_text=args.review_text,
    )
    if args.json:
        print_json(result)
        return _exit_status(result["ingest"])
    if args.nl:
        for stage in ("ingest", "extraction", "verification", "timings"):
            print_json_lines({"stage": stage, **result[stage]}, INGEST_RECORDS if stage == "ingest" else {})
        return _exit_status(result["ingest"])
    _print_ingest_summary(result["ingest"], time.perf_counter() - started)
    extraction, verification = result["extraction"], result["verification"]
    console.print(
        f"  extracted {extraction['papers']} papers: {extraction['entities']} entity mentions,"
        f" {extraction['metrics']} outcome metrics"
    )
    print_verdicts(warehouse_path(args), verification["review_id"])
    console.print(verdict_summary(verification))
    failed = result["ingest"].get("failed_steps")
    verdict = ("finished with failed steps (see above; earlier data kept)", "red") if failed else ("done", "green")
    console.print(styled(verdict, f" in {time.perf_counter() - started:.1f} s; warehouse: {warehouse_path(args)}"))
    return _exit_status(result["ingest"])


def cmd_status(args) -> int:
    from litmus.status import warehouse_status

    status = warehouse_status(warehouse_path(args))
    if args.json:
        print_json(status)
        return 0
    if args.nl:
        tables = [{"table": name, "rows": rows} for name, rows in status["tables"].items()]
        print_json_lines({**status, "tables": tables}, STATUS_RECORDS)
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


RUN_EXAMPLES = """\
examples:
  litmus run                          the shipped review, offline (replays corpus/entrez)
  litmus run --live                   the same against NCBI (NCBI_EMAIL; NCBI_API_KEY optional)
  litmus run --review my-review.md    a Markdown review with a numbered reference list
  litmus run --json                   the run's summary as one JSON object (--nl: JSON Lines)

Runs go through Prefect. Without PREFECT_API_URL a temporary Prefect server starts first (~15 s);
with a running `prefect server start` and PREFECT_API_URL set, the runs appear in its UI.
"""


def register(commands) -> None:
    run = commands.add_parser(
        "run", help="the whole job on a review: ingest, extract, verify",
        description=(
            "Resolve every citation of the review to PubMed, fetch and store the cited papers, extract their "
            "entities and outcome metrics, check the review's claims against them, and print the verdicts."
        ),
        epilog=RUN_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("--review", metavar="SOURCE", help="review to read (default: the shipped CAR-T editorial transcription)")
    run.add_argument("--review-text", metavar="FILE", help="the review's own text, to read its claims from the prose")
    add_entrez_flags(run)
    add_warehouse_flag(run)
    add_json_flags(run, "the run's summary", "citation and stage")
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
    add_json_flags(ingest, "the summary", "citation")
    ingest.set_defaults(handler=cmd_ingest)

    status = commands.add_parser("status", help="what the warehouse holds: tables, reviews, recent runs")
    add_warehouse_flag(status)
    add_json_flags(status, "the status", "table, review and run")
    status.set_defaults(handler=cmd_status)
