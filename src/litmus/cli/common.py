"""What every `litmus` command shares: consoles, the warehouse flag, JSON output, user errors.

The consoles print text as text. Titles, table cells, paths and error messages come from data a user
does not control (a paper titled "benzo[a]pyrene", a review quoting "[/i]", `SELECT '[/x]'`), so rich
never parses markup or emoji codes out of them, and control characters (an ESC that would recolour
the terminal) are shown as escapes, not obeyed. Styles are applied explicitly with `styled`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

from litmus.paths import default_warehouse_path

# Every C0 control character but tab and newline, and DEL: shown as \x1b, never sent raw.
_CONTROLS = {code: f"\\x{code:02x}" for code in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F)}


def visible_controls(text: str) -> str:
    return text.translate(_CONTROLS)


class DataConsole(Console):
    """A rich console that never interprets what it prints: no markup, no emoji codes, no highlighting."""

    def __init__(self, **options):
        super().__init__(markup=False, emoji=False, highlight=False, **options)

    def render_str(self, text: str, **options) -> Text:
        # Plain strings given to print() and table cells pass through here.
        return super().render_str(visible_controls(text), **options)


def styled(*parts: str | tuple[str, str]) -> Text:
    """Text from plain pieces and (piece, style) pairs: a style is applied, never parsed out of the data."""
    text = Text()
    for part in parts:
        piece, style = (part, "") if isinstance(part, str) else part
        text.append(visible_controls(piece), style=style)
    return text


console = DataConsole(stderr=False)
errors = DataConsole(stderr=True, soft_wrap=True)


def print_error(message: object) -> None:
    """The one line a user's error ends with (the caller returns exit status 2)."""
    errors.print(styled(("error:", "red"), f" {message}"))


def warehouse_path(args) -> Path:
    warehouse = getattr(args, "warehouse", None)
    return Path(warehouse).expanduser() if warehouse else default_warehouse_path()


def print_json(payload) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, default=str) + "\n")


def print_json_lines(payload: dict, records: dict[str, str]) -> None:
    """JSON Lines: each item of the lists named in `records` (list key -> record kind) as one object
    with a "record" field, then the rest of `payload` as one "summary" record."""
    summary = {"record": "summary"}
    lines = []
    for key, value in payload.items():
        if key in records:
            lines += [{"record": records[key], **item} for item in value]
        else:
            summary[key] = value
    for line in [*lines, summary]:
        sys.stdout.write(json.dumps(line, default=str) + "\n")


def add_json_flags(parser: argparse.ArgumentParser, what: str, record: str = "record") -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--json", action="store_true", help=f"print {what} as one JSON object")
    group.add_argument(
        "--nl", action="store_true", help=f"print {what} as JSON Lines: one object per {record}, then a summary",
    )


def add_entrez_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("E-utilities")
    group.add_argument("--live", action="store_true", help="talk to NCBI instead of replaying corpus/entrez (needs NCBI_EMAIL)")
    group.add_argument("--record", action="store_true", help="with --live: save every answer under corpus/entrez for offline replay")
    group.add_argument("--refresh", action="store_true", help="resolve and fetch again even what the warehouse already holds")


def add_warehouse_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--warehouse", metavar="PATH", help=f"DuckDB file (default: {default_warehouse_path()})")
    add_wait_flag(parser)


def add_wait_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--wait", type=float, metavar="SECONDS",
        help="how long to wait for another litmus process to release the warehouse (default 30)",
    )


def add_format_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--json", action="store_true", help="print JSON for machines")
    group.add_argument("--csv", action="store_true", help="print CSV for machines")


def check_before_flows(args) -> None:
    """Refuse in a second what a flow would refuse only after Prefect's start-up (up to a minute here):
    a review file that cannot be read, a review text that is not UTF-8, a damaged or busy warehouse."""
    from litmus.reviews import is_fetched_review, load_review_input, read_review_text
    from litmus.warehouse import connect

    if hasattr(args, "review") and not is_fetched_review(args.review):
        load_review_input(args.review)
    if getattr(args, "review_text", None):
        read_review_text(args.review_text)
    connect(warehouse_path(args)).close()  # applies migrations: a damaged file says so here
