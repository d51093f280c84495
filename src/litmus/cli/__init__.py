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
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

import warnings  # noqa: E402

# Harmless notices from spaCy/scispaCy internals that would bury the command's own output.
warnings.filterwarnings("ignore", message=r".*\[W036\]")
warnings.filterwarnings("ignore", message="Possible set union", category=FutureWarning)

from litmus.cli import analysis, bulk, evidence, pipeline, updates  # noqa: E402
from litmus.cli.common import errors, print_error, styled  # noqa: E402

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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    for group in (pipeline, analysis, evidence, updates, bulk):
        group.register(commands)
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
        print_error(error)
        return 2
    except KeyboardInterrupt:
        errors.print(styled(("interrupted", "yellow"), ": nothing half-written is kept; run the command again to finish"))
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
