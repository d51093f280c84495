"""The `litmus` command: run the pipeline, look at what the warehouse holds, verify a review."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

# Prefect reads these at import: no telemetry, and a patient ephemeral server on a busy machine.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

import warnings  # noqa: E402

# Harmless notices from spaCy/scispaCy internals that would bury the command's own output.
warnings.filterwarnings("ignore", message=r".*\[W036\]")
warnings.filterwarnings("ignore", message="Possible set union", category=FutureWarning)

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from litmus.paths import default_warehouse_path  # noqa: E402

console = Console(stderr=False, highlight=False)
errors = Console(stderr=True, highlight=False, soft_wrap=True)

EXAMPLES = """\
examples:
  litmus run                         resolve, fetch, extract and verify the shipped review (offline)
  litmus run --live                  the same against NCBI (needs NCBI_EMAIL; NCBI_API_KEY optional)
  litmus ingest --review review.md   a Markdown review with a numbered reference list
  litmus status                      what the warehouse holds
"""


class UserError(Exception):
    """A problem the user can fix; printed without a traceback, exit status 2."""


# --------------------------------------------------------------------------- helpers


def _warehouse(args) -> Path:
    return Path(args.warehouse).expanduser() if args.warehouse else default_warehouse_path()


def _print_json(payload) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, default=str) + "\n")


def _add_entrez_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("E-utilities")
    group.add_argument("--live", action="store_true", help="talk to NCBI instead of replaying corpus/entrez (needs NCBI_EMAIL)")
    group.add_argument("--record", action="store_true", help="with --live: save every answer under corpus/entrez for offline replay")
    group.add_argument("--refresh", action="store_true", help="resolve and fetch again even what the warehouse already holds")


def _add_warehouse_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--warehouse", metavar="PATH", help=f"DuckDB file (default: {default_warehouse_path()})")
    add_wait_flag(parser)


def add_wait_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--wait", type=float, metavar="SECONDS",
        help="how long to wait for another litmus process to release the warehouse (default 30)",
    )


# --------------------------------------------------------------------------- commands


def _print_ingest_summary(summary: dict, elapsed: float) -> None:
    console.print(f"[bold]{summary['review_id']}[/bold] via {summary['mode']}")
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
    table.add_column("citation")
    table.add_column("PMID")
    table.add_column("how", overflow="fold")
    for key, pmid, method in summary.get("resolved_citations", []):
        table.add_row(key, pmid, method)
    for key, detail in summary["unresolved"]:
        table.add_row(key, "[yellow]unresolved[/yellow]", detail)
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
        review=args.review, warehouse=str(_warehouse(args)), live=args.live, record=args.record, refresh=args.refresh
    )
    if args.json:
        _print_json(summary)
    else:
        _print_ingest_summary(summary, time.perf_counter() - started)
    return 0


def cmd_run(args) -> int:
    from flows.run import litmus_run_flow

    started = time.perf_counter()
    result = litmus_run_flow(
        review=args.review, warehouse=str(_warehouse(args)), live=args.live, record=args.record,
        refresh=args.refresh, review_text=args.review_text,
    )
    if args.json:
        _print_json(result)
        return 0
    _print_ingest_summary(result["ingest"], time.perf_counter() - started)
    extraction, verification = result["extraction"], result["verification"]
    console.print(
        f"  extracted {extraction['papers']} papers: {extraction['entities']} entity mentions,"
        f" {extraction['metrics']} outcome metrics"
    )
    from litmus.cli_analysis import print_verdicts

    print_verdicts(_warehouse(args), verification["review_id"])
    console.print(
        f"  {verification['claims']} claims (from the {verification['origin']}); "
        + ", ".join(f"{k}: {v}" for k, v in sorted(verification["verdicts"].items()))
        + f"; arithmetic findings: {verification['arithmetic_findings']}"
    )
    console.print(f"[green]done[/green] in {time.perf_counter() - started:.1f} s; warehouse: {_warehouse(args)}")
    return 0


def cmd_status(args) -> int:
    from litmus.status import warehouse_status

    status = warehouse_status(_warehouse(args))
    if args.json:
        _print_json(status)
        return 0
    table = Table(title=f"warehouse {status['path']} (schema v{status['schema_version']})")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in status["tables"].items():
        table.add_row(name, str(rows))
    console.print(table)
    for review in status["reviews"]:
        console.print(
            f"review [bold]{review['review_id']}[/bold]: {review['citations']} citations,"
            f" {review['resolved']} resolved, {review['with_paper']} papers stored"
        )
    for run in status["recent_runs"]:
        console.print(f"  run {run['started_at']} {run['flow']}: {run['status']}" + (f" ({run['message']})" if run["message"] else ""))
    return 0


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="litmus",
        description=(
            "litmus reads a review article, resolves every paper it cites to PubMed, stores the records "
            "in a DuckDB warehouse, extracts entities and outcome numbers, and checks the review's claims "
            "against its sources. Without --live it replays the E-utilities answers shipped in corpus/entrez, "
            "so it runs offline."
        ),
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="the whole job on a review: ingest, extract, verify", description=cmd_run.__doc__)
    run.add_argument("--review", metavar="SOURCE", help="review to read (default: the shipped CAR-T editorial transcription)")
    run.add_argument("--review-text", metavar="FILE", help="the review's own text, to read its claims from the prose")
    _add_entrez_flags(run)
    _add_warehouse_flag(run)
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
    _add_entrez_flags(ingest)
    _add_warehouse_flag(ingest)
    ingest.add_argument("--json", action="store_true", help="print the summary as JSON")
    ingest.set_defaults(handler=cmd_ingest)

    status = commands.add_parser("status", help="what the warehouse holds: tables, reviews, recent runs")
    _add_warehouse_flag(status)
    status.add_argument("--json", action="store_true", help="print as JSON")
    status.set_defaults(handler=cmd_status)

    from litmus import cli_analysis

    cli_analysis.register(commands)
    from litmus import cli_updates

    cli_updates.register(commands)
    from litmus import cli_bulk

    cli_bulk.register(commands)
    return parser


class _HideUserErrors(logging.Filter):
    """Prefect logs a failed task with its traceback; for a user's error the CLI's one line is enough."""

    def __init__(self, kinds: tuple[type[BaseException], ...]):
        super().__init__()
        self.kinds = kinds
        self.names = tuple(kind.__name__ for kind in kinds)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], self.kinds):
            return False
        return not any(name in record.getMessage() for name in self.names)


PREFECT_RUN_LOGGERS = ("prefect.task_runs", "prefect.flow_runs")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    from litmus.errors import user_facing_errors

    previous_wait = os.environ.get("LITMUS_WAREHOUSE_WAIT")
    if getattr(args, "wait", None) is not None:
        # Read by every warehouse connection the command's flows open (litmus.warehouse.connect).
        os.environ["LITMUS_WAREHOUSE_WAIT"] = str(args.wait)
    hide = _HideUserErrors(user_facing_errors())
    for name in PREFECT_RUN_LOGGERS:
        logging.getLogger(name).addFilter(hide)
    try:
        return args.handler(args)
    except user_facing_errors() as error:
        errors.print(f"[red]error:[/red] {error}")
        return 2
    except KeyboardInterrupt:
        errors.print("[yellow]interrupted[/yellow]: nothing half-written is kept; run the command again to finish")
        return 130
    finally:
        for name in PREFECT_RUN_LOGGERS:
            logging.getLogger(name).removeFilter(hide)
        if previous_wait is None:
            os.environ.pop("LITMUS_WAREHOUSE_WAIT", None)
        else:
            os.environ["LITMUS_WAREHOUSE_WAIT"] = previous_wait


if __name__ == "__main__":
    sys.exit(main())
