"""`litmus ingest-files`: PubMed baseline/update files into the warehouse, with a progress bar."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from litmus.cli.common import console, print_error, styled, warehouse_path

DESCRIPTION = """\
Stream PubMed bulk files (.xml or .xml.gz, as downloaded from ftp.ncbi.nlm.nih.gov/pubmed/baseline
and /updatefiles) into the warehouse in bounded memory. Files are applied in name order; later
records replace earlier ones, <DeleteCitation> entries remove papers. Each finished file is recorded
in the bulk_files table, so running the command again skips it, and an interrupted file resumes
after its last committed batch. A file that cannot be read is marked failed; the others still run.
"""

EXAMPLES = """\
examples:
  litmus ingest-files ~/pubmed/baseline/                       every .xml.gz in the folder
  litmus ingest-files pubmed25n1275.xml.gz --extract --workers 2
  litmus ingest-files updates/ --keep 'mesh:"Immunotherapy, Adoptive" OR keyword:CAR-T'
  litmus ingest-files baseline/ --extract --dask tcp://scheduler:8786

--keep QUERY: field:value terms with AND, OR, NOT and parentheses (AND binds tighter; quote values
with spaces). Fields: mesh, keyword, pubtype ("Clinical Trial" matches its phases), journal, lang,
year (2020 or 2015-2024), text (a regular expression over title and abstract).
"""


def register(commands) -> None:
    """Add `ingest-files` to the `litmus` parser (the `commands` subparsers object)."""
    from litmus.bulk.ingest import DEFAULT_MEMORY_LIMIT
    from litmus.paths import default_warehouse_path

    parser = commands.add_parser(
        "ingest-files",
        help="load PubMed baseline/update files (.xml, .xml.gz), optionally filtered and extracted",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="PubMed XML files or folders holding them")
    parser.add_argument("--keep", metavar="QUERY", help="store only records matching QUERY (see below)")
    parser.add_argument("--extract", action="store_true", help="extract entities and outcome metrics after each file")
    parser.add_argument("--workers", type=int, default=0, metavar="N",
                        help="extraction processes (default: one per core)")
    parser.add_argument("--dask", metavar="ADDRESS",
                        help="run extraction tasks on this Dask scheduler through a Prefect flow (tcp://host:8786)")
    parser.add_argument("--batch-size", type=int, default=2000, metavar="N", help="records per load transaction (default 2000)")
    parser.add_argument("--force", action="store_true", help="ingest again files already recorded as completed")
    parser.add_argument("--memory", metavar="SIZE", type=_memory_size,
                        help=f"DuckDB's memory cap while loading, e.g. 512MB or 2GB (default: LITMUS_DUCKDB_MEMORY,"
                             f" else {DEFAULT_MEMORY_LIMIT}); larger caches more, smaller caps the process")
    parser.add_argument("--warehouse", metavar="PATH", help=f"DuckDB file (default: {default_warehouse_path()})")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON (no progress bar)")
    parser.set_defaults(handler=cmd_ingest_files)


def _memory_size(text: str) -> str:
    from litmus.warehouse.connection import WarehouseError, checked_memory_size

    try:
        return checked_memory_size(text, "--memory")
    except WarehouseError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def cmd_ingest_files(args) -> int:
    from litmus.bulk import BulkInputError, QueryError, compile_query
    from litmus.bulk.parallel import default_workers

    warehouse = warehouse_path(args)
    workers = args.workers or default_workers()
    started = time.perf_counter()
    try:
        keep = compile_query(args.keep) if args.keep else None
        if args.dask:
            from flows.bulk import run_bulk_flow

            result = run_bulk_flow(
                [str(p) for p in args.paths], dask_address=args.dask, warehouse=str(warehouse), keep=args.keep,
                extract=args.extract, batch_size=args.batch_size, force=args.force, memory=args.memory,
            )
        else:
            result = _run_locally(args, warehouse, keep, workers, console, quiet=args.json)
    except (BulkInputError, QueryError) as error:
        print_error(error)
        return 2
    result["seconds"] = round(time.perf_counter() - started, 2)
    if args.json:
        sys.stdout.write(json.dumps(result, indent=2, default=str) + "\n")
    else:
        _print_summary(console, result)
    return 1 if result["totals"]["failed"] else 0


def _run_locally(args, warehouse: Path, keep, workers: int, console, *, quiet: bool) -> dict:
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    from litmus.bulk import ingest_and_extract
    from litmus.bulk.run import summary_dict
    from litmus.warehouse import open_warehouse

    progress = Progress(
        TextColumn("{task.description}", markup=False), BarColumn(), DownloadColumn(), TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(), console=console, disable=quiet, transient=False,
    )
    bars: dict[str, int] = {}
    timing: dict[str, tuple[float, int]] = {}

    def on_progress(name: str, done: int, total: int, records: int) -> None:
        now = time.perf_counter()
        if name not in bars:  # the first call comes after PROGRESS_EVERY records: rate counts from there
            bars[name] = progress.add_task(name, total=total, rate="")
            timing[name] = (now, records)
        since, first = timing[name]
        rate = f", {(records - first) / (now - since):,.0f}/s" if now - since > 0.5 else ""
        progress.update(bars[name], completed=done, rate=f"{records:,} records{rate}")

    def on_file(outcome) -> None:
        if quiet:
            return
        if outcome.status == "skipped" or outcome.name not in bars:
            progress.console.print(f"  {outcome.name}: {outcome.status}")
        if outcome.status == "failed":
            progress.console.print(styled("  ", ("failed", "red"), f" {outcome.name}: {outcome.message}"))

    extract_bar: dict[str, int] = {}

    def on_extract_start(name: str, count: int) -> None:
        extract_bar["id"] = progress.add_task(f"extract after {name}", total=max(count, 1), rate=f"{count:,} papers")

    def on_extracted(count: int) -> None:
        progress.advance(extract_bar["id"], count)

    with progress, open_warehouse(warehouse) as con:
        summary = ingest_and_extract(
            con, args.paths, keep=keep, batch_size=args.batch_size, force=args.force, extract=args.extract,
            workers=workers, on_progress=on_progress, on_file=on_file,
            on_extract_start=on_extract_start, on_extracted=on_extracted, memory=args.memory,
        )
    return summary_dict(summary, warehouse)


def _print_summary(console, result: dict) -> None:
    totals = result["totals"]
    console.print(
        styled((f"{totals['files']} files", "bold"), f": {totals['completed']} ingested, {totals['skipped']} already done,"
        f" {totals['failed']} failed; {totals['records']:,} records read, {totals['kept']:,} stored,"
        f" {totals['deletions']:,} deletions; {result['seconds']:.1f} s")
    )
    if result.get("extracted", {}).get("papers"):
        e = result["extracted"]
        console.print(f"  extracted {e['papers']:,} papers: {e['entities']:,} entities, {e['metrics']:,} metrics")
    for file in result["files"]:
        if file["status"] == "failed":
            console.print(styled("  ", ("failed", "red"), f" {file['name']}: {file['message']}"))
    if totals["failed"]:
        console.print("  fix or re-download the failed files and run the command again: finished files are skipped")
    console.print(f"  warehouse: {result['warehouse']}")
