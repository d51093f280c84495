"""The `litmus` command: one module per command group, assembled here.

`pipeline` (run, ingest, status), `analysis` (extract, show, verify, report, sql, export), `evidence`
(forest), `updates` (update, new, serve) and `bulk` (ingest-files) each add their subcommands with
`register(commands)`;
`common` holds what they share. Dependencies point one way: command modules never import this one.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

# Prefect reads these at import: no telemetry, and a patient ephemeral server on a busy machine.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
# litmus's own loggers join Prefect's run loggers, so their INFO lines reach the server with the run.
os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "litmus")
# ... and outside a run (library calls of a read-only command) their lines stay on the console only.
os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")

import warnings  # noqa: E402

# Harmless notices from spaCy/scispaCy internals that would bury the command's own output.
warnings.filterwarnings("ignore", message=r".*\[W036\]")
warnings.filterwarnings("ignore", message="Possible set union", category=FutureWarning)

from litmus.cli import analysis, bulk, evidence, pipeline, updates  # noqa: E402
from litmus.cli.common import errors, print_error, styled, warehouse_path  # noqa: E402

EXAMPLES = """\
examples:
  litmus run                         resolve, fetch, extract and verify the shipped review (offline)
  litmus run --live                  the same against NCBI (needs NCBI_EMAIL; NCBI_API_KEY optional)
  litmus ingest --review review.md   a Markdown review with a numbered reference list
  litmus status                      what the warehouse holds
"""


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
    parser.add_argument(
        "-v", "--verbose", action="store_true",
        help="also print the run's log lines (INFO) on the console; the Prefect server receives them either way",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    for group in (pipeline, analysis, evidence, updates, bulk):
        group.register(commands)
    return parser


class _HideUserErrors(logging.Filter):
    """Prefect logs a failed task with its traceback; for a user's error (or a damaged warehouse) the
    CLI's one line is enough.

    The kinds are looked up when a record arrives: the modules that define them are imported by the
    command itself, after this filter is installed.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        from litmus.errors import user_facing_errors
        from litmus.warehouse.connection import DAMAGE_SIGNS, is_damage

        kinds = user_facing_errors(imported_only=True)
        if record.exc_info and (isinstance(record.exc_info[1], kinds) or is_damage(record.exc_info[1])):
            return False
        message = record.getMessage()
        return not any(name in message for name in (*(kind.__name__ for kind in kinds), *DAMAGE_SIGNS))


PREFECT_RUN_LOGGERS = ("prefect.task_runs", "prefect.flow_runs")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    from litmus.errors import user_facing_errors

    # Prefect's console handler shows warnings only (INFO with --verbose); its loggers stay at INFO,
    # so the Prefect server still receives every INFO line of the run. Read when Prefect is imported,
    # which for every command happens after this point.
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "INFO" if args.verbose else "WARNING")
    previous_wait = os.environ.get("LITMUS_WAREHOUSE_WAIT")
    if getattr(args, "wait", None) is not None:
        # Read by every warehouse connection the command's flows open (litmus.warehouse.connect).
        os.environ["LITMUS_WAREHOUSE_WAIT"] = str(args.wait)
    hide = _HideUserErrors()
    for name in PREFECT_RUN_LOGGERS:
        logging.getLogger(name).addFilter(hide)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return _interrupted()
    except Exception as error:
        # The user-facing kinds are the ones the command has imported by now (importing them all up
        # front would cost read-only commands seconds).
        if isinstance(error, user_facing_errors(imported_only=True)):
            print_error(error)
            return 2
        # A warehouse that opened but has a damaged block fails wherever a command first reads it.
        from litmus.warehouse.connection import damaged, is_damage

        if not is_damage(error):
            raise
        print_error(damaged(warehouse_path(args), error, opened=True))
        return 2
    finally:
        for name in PREFECT_RUN_LOGGERS:
            logging.getLogger(name).removeFilter(hide)
        if previous_wait is None:
            os.environ.pop("LITMUS_WAREHOUSE_WAIT", None)
        else:
            os.environ["LITMUS_WAREHOUSE_WAIT"] = previous_wait


def _interrupted() -> int:
    errors.print(styled(("interrupted", "yellow"), ": nothing half-written is kept; run the command again to finish"))
    return 130


if __name__ == "__main__":
    sys.exit(main())
