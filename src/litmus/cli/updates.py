"""`litmus update`, `litmus new`, `litmus serve`: saved PubMed searches that extend the evidence."""

from __future__ import annotations

import argparse
import time
from datetime import date

from litmus.cli.common import add_warehouse_flag, console, print_error, print_json, styled, warehouse_path

UPDATE_EXAMPLES = """\
examples:
  litmus update --as-of 2026-01-05     the shipped offline replay, day 1 (then --as-of 2026-01-06)
  litmus update --live                 ask PubMed for what is new since the last run (needs NCBI_EMAIL)
  litmus update --searches my.toml     other saved searches (format: docs/updates.md)
"""


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--searches", metavar="PATH", help="saved searches TOML (default: corpus/searches.toml)")
    parser.add_argument("--live", action="store_true", help="ask NCBI instead of replaying corpus/entrez (needs NCBI_EMAIL)")
    parser.add_argument("--no-extract", dest="extract", action="store_false",
                        help="store new papers without running entity and metric extraction")
    add_warehouse_flag(parser)


def register(commands) -> None:
    """Add `update`, `new` and `serve` to the `litmus` parser."""
    update = commands.add_parser(
        "update",
        help="run the saved PubMed searches for the days since their last run",
        description=(
            "Run every saved search incrementally: ask PubMed for what it added (EDAT) and modified (MDAT) "
            "on the whole days since the search's last run, store the new papers, re-fetch the modified ones, "
            "extract and classify them (clinical study or not), and write a Markdown digest."
        ),
        epilog=UPDATE_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_common(update)
    update.add_argument("--as-of", type=_iso_date, metavar="YYYY-MM-DD", help="the run date (default: today)")
    update.add_argument("--digest", metavar="PATH", help="where to write the digest (default: warehouse/digests/<date>.md)")
    update.add_argument("--json", action="store_true", help="print the run summary as JSON")
    update.set_defaults(handler=cmd_update)

    new = commands.add_parser(
        "new",
        help="list the papers saved searches brought in since a date",
        description="Papers that came into the warehouse through saved searches on or after --since.",
    )
    new.add_argument("--since", type=_iso_date, required=True, metavar="YYYY-MM-DD", help="first day to list")
    new.add_argument("--json", action="store_true", help="print as JSON")
    add_warehouse_flag(new)
    new.set_defaults(handler=cmd_new)

    serve = commands.add_parser(
        "serve",
        help="serve the update as a Prefect deployment with a daily schedule",
        description=(
            "Register the update-evidence deployment with a cron schedule on a running Prefect server and "
            "serve it until stopped (Ctrl-C or SIGTERM). Needs `prefect server start` and "
            "PREFECT_API_URL=http://127.0.0.1:4200/api."
        ),
    )
    _add_common(serve)
    serve.add_argument("--cron", default=None, metavar="EXPR", help='schedule (default: "0 6 * * *", daily at 06:00)')
    serve.add_argument("--name", default=None, help="deployment name (default: daily-evidence-update)")
    serve.set_defaults(handler=cmd_serve)


def cmd_update(args) -> int:
    from flows.update import update_evidence_flow
    from litmus.updates.searches import load_searches

    started = time.perf_counter()
    load_searches(args.searches)  # a mistake in the file is reported before Prefect starts
    summary = update_evidence_flow(
        searches_path=args.searches, as_of=args.as_of.isoformat() if args.as_of else None, live=args.live,
        warehouse=str(warehouse_path(args)), extract=args.extract, digest=args.digest,
        wait_seconds=args.wait if args.wait is not None else 0.0,
    )
    if args.json:
        print_json({k: v for k, v in summary.items() if k != "digest"})
        return 0
    console.print(styled((f"update {summary['as_of']}", "bold"), f" via {summary['mode']}"))
    for result in summary["searches"]:
        window = result["window"] or "up to date"
        console.print(styled(
            f"  {result['search']:<28} {window:<24} found {result['found']:>4}, new {len(result['new']):>3},"
            f" updated {len(result['updated']):>3}", (f", missing {', '.join(result['missing'])}" if result["missing"] else "", "yellow")
        ))
    console.print(
        f"  {len(summary['new_pmids'])} new, {len(summary['updated_pmids'])} updated; "
        f"E-utilities requests: {len(summary['requests'])}; time {time.perf_counter() - started:.1f} s"
    )
    console.print(f"  digest: {summary['digest_path']}")
    return 0


def cmd_new(args) -> int:
    from litmus.updates.digest import new_since
    from litmus.warehouse import WarehouseError, open_warehouse

    with open_warehouse(warehouse_path(args), read_only=True) as con:
        tables = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        ran = "search_runs" in tables and con.execute("SELECT count(*) FROM search_runs").fetchall()[0][0] > 0
        if not ran:
            raise WarehouseError(f"no saved search has run on {warehouse_path(args)} yet: run `litmus update` first")
        papers = new_since(con, args.since)
    if args.json:
        print_json(papers)
        return 0
    if not papers:
        console.print(f"nothing new since {args.since}")
        return 0
    console.print(f"{len(papers)} paper(s) new since {args.since}:")
    for paper in papers:
        clinical = {True: "clinical", False: "not clinical", None: "unclassified"}[paper["is_clinical"]]
        console.print(f"  {paper['first_seen']}  {paper['pmid']}  {paper['title']}")
        console.print(
            f"      {paper['journal'] or '?'} {paper['year'] or ''}; {clinical}; searches: {', '.join(paper['searches'])}"
            + (f"; {'; '.join(paper['metrics'])}" if paper["metrics"] else "")
        )
    return 0


def cmd_serve(args) -> int:
    from litmus.updates.deploy import (
        DEFAULT_CRON, DEPLOYMENT_NAME, PrefectServerUnavailable, check_prefect_server, serve_plan, serve_updates,
    )

    try:
        plan = serve_plan(
            name=args.name or DEPLOYMENT_NAME, cron=args.cron or DEFAULT_CRON, searches_path=args.searches,
            warehouse=args.warehouse, live=args.live, extract=args.extract,
            wait_seconds=args.wait if args.wait is not None else 600.0,
        )
    except ValueError as error:
        print_error(f"bad --cron: {error}")
        return 2
    try:
        api_url = check_prefect_server()
        console.print(f"serving {plan.describe()} on {api_url}; stop with Ctrl-C")
        serve_updates(plan, api_url=api_url)
    except PrefectServerUnavailable as error:
        print_error(error)
        return 2
    return 0
