"""`litmus update`, `litmus new`, `litmus serve`: saved PubMed searches that extend the evidence."""

from __future__ import annotations

import argparse
import time
from datetime import date

from litmus.cli.common import (
    add_json_flags, add_warehouse_flag, console, print_error, print_json, print_json_lines, styled, warehouse_path,
)

# the lists of an update summary written one record per item by --nl
UPDATE_RECORDS = {"searches": "search", "failed_searches": "failed_search", "verified": "verification"}

UPDATE_EXAMPLES = """\
examples:
  litmus update --as-of 2026-01-05     the shipped offline replay, day 1 (then --as-of 2026-01-06)
  litmus update --live                 ask PubMed for what is new since the last run (needs NCBI_EMAIL)
  litmus update --live --record        ... and save every answer under corpus/entrez for offline replay
  litmus update --searches my.toml     other saved searches (format: docs/updates.md)

Each saved search succeeds or fails on its own: the others are stored, extracted and digested, the
failed ones are named and keep their window for the next run, and the exit status is 1.
Exit status: 0 done, 1 some searches failed, 2 nothing ran (bad input, warehouse busy).
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
            "extract them, classify them (clinical study or not, and into the review's strategies), verify the "
            "stored reviews again, and write a Markdown digest of the run."
        ),
        epilog=UPDATE_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_common(update)
    update.add_argument("--record", action="store_true", help="with --live: save every answer under corpus/entrez for offline replay")
    update.add_argument("--as-of", type=_iso_date, metavar="YYYY-MM-DD", help="the run date (default: today)")
    update.add_argument(
        "--digest", metavar="PATH",
        help="add the run's digest to this file (default: a new warehouse/digests/<date>.md, <date>-2.md for a second run)",
    )
    add_json_flags(update, "the run summary", "saved search")
    update.set_defaults(handler=cmd_update)

    new = commands.add_parser(
        "new",
        help="list the papers saved searches brought in since a date",
        description="Papers that came into the warehouse through saved searches on or after --since.",
    )
    new.add_argument("--since", type=_iso_date, required=True, metavar="YYYY-MM-DD", help="first day to list")
    add_json_flags(new, "the papers", "paper")
    add_warehouse_flag(new)
    new.set_defaults(handler=cmd_new)

    serve = commands.add_parser(
        "serve",
        help="serve the Prefect deployments of prefect.yaml: the daily update and the weekly full run",
        description=(
            "Register the deployments defined in prefect.yaml (the daily update of the evidence and the weekly "
            "full run: cron schedules with their time zone, live by default) with a running Prefect server and "
            "serve them until stopped (Ctrl-C or SIGTERM). Needs `prefect server start` and "
            "PREFECT_API_URL=http://127.0.0.1:4200/api; live runs need NCBI_EMAIL here or the Prefect "
            "Variable ncbi-email (and optionally NCBI_API_KEY or the Secret block ncbi-api-key)."
        ),
        epilog=SERVE_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--list", action="store_true", help="print the deployments and their schedules, then exit")
    serve.add_argument("--deployment", action="append", metavar="NAME", help="serve only this deployment (repeatable)")
    serve.add_argument("--offline", action="store_true", help="replay corpus/entrez instead of asking NCBI (a demo)")
    serve.add_argument("--searches", metavar="PATH", help="saved searches TOML for the update (default: corpus/searches.toml)")
    serve.add_argument("--no-extract", dest="extract", action="store_const", const=False, default=None,
                       help="the update stores new papers without extracting them")
    serve.add_argument("--cron", metavar="EXPR", help="another schedule for the one deployment named with --deployment")
    serve.add_argument("--timezone", metavar="ZONE", help="its time zone (IANA name, e.g. Europe/Berlin)")
    add_warehouse_flag(serve)
    serve.set_defaults(handler=cmd_serve)


def cmd_update(args) -> int:
    from litmus.cli.prefect_runs import ensure_prefect_api, load_flow
    from litmus.settings import EntrezSettings
    from litmus.updates.searches import load_searches

    started = time.perf_counter()
    # Mistakes in the searches file or the flags are reported before Prefect starts. (By hand, the
    # contact address comes from NCBI_EMAIL; the Prefect Variable serves scheduled runs.)
    load_searches(args.searches)
    EntrezSettings.from_flags(live=args.live, record=args.record)
    update_evidence_flow = load_flow("flows.update", "update_evidence_flow")
    ensure_prefect_api()
    state = update_evidence_flow(
        searches_path=args.searches, as_of=args.as_of.isoformat() if args.as_of else None, live=args.live,
        record=args.record, warehouse=str(warehouse_path(args)), extract=args.extract, digest=args.digest,
        wait_seconds=args.wait if args.wait is not None else 0.0, return_state=True,
    )
    outcome = state.result(raise_on_failure=False)
    from litmus.updates.incremental import SearchesFailed

    if isinstance(outcome, SearchesFailed):
        summary = outcome.summary
    elif isinstance(outcome, BaseException):
        raise outcome
    else:
        summary = outcome
    if args.json:
        print_json({k: v for k, v in summary.items() if k != "digest"})
    elif args.nl:
        print_json_lines({k: v for k, v in summary.items() if k != "digest"}, UPDATE_RECORDS)
    else:
        _print_update_summary(summary, time.perf_counter() - started)
    if isinstance(outcome, SearchesFailed):
        print_error(outcome)
        return 1
    return 0


def _print_update_summary(summary: dict, elapsed: float) -> None:
    console.print(styled((f"update {summary['as_of']}", "bold"), f" via {summary['mode']}"))
    for result in summary["searches"]:
        window = result["window"] or "up to date"
        console.print(styled(
            f"  {result['search']:<28} {window:<24} found {result['found']:>4}, new {len(result['new']):>3},"
            f" updated {len(result['updated']):>3}", (f", missing {', '.join(result['missing'])}" if result["missing"] else "", "yellow")
        ))
    for failure in summary["failed_searches"]:
        console.print(styled(f"  {failure['search']:<28} ", ("failed", "red"), f": {failure['error']}"))
    extracted = summary["extracted"]
    console.print(
        f"  {len(summary['new_pmids'])} new, {len(summary['updated_pmids'])} updated"
        + (f"; extracted {extracted['papers']} papers, {extracted['strategy_assignments']} strategy assignments" if extracted else "")
        + f"; E-utilities requests: {summary['requests_sent']}; time {elapsed:.1f} s"
    )
    for review in summary["verified"]:
        verdicts = ", ".join(f"{k}: {v}" for k, v in sorted(review["verdicts"].items()))
        console.print(f"  verified again: {review['review_id']} ({review['claims']} claims; {verdicts})")
    console.print(f"  digest: {summary['digest_path']}")


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
        print_json({"since": args.since.isoformat(), "papers": papers})
        return 0
    if args.nl:
        print_json_lines({"since": args.since.isoformat(), "papers": papers}, {"papers": "paper"})
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


SERVE_EXAMPLES = """\
examples:
  litmus serve --list                              what prefect.yaml defines
  litmus serve                                     every deployment, live (NCBI_EMAIL)
  litmus serve --deployment daily-evidence-update --cron "30 5 * * *" --timezone Europe/Berlin
  litmus serve --offline --warehouse demo.duckdb   replay corpus/entrez, for a demo
"""


def cmd_serve(args) -> int:
    from litmus.settings import PREFECT_EMAIL_VARIABLE, SettingsError, ncbi_email
    from litmus.updates.deploy import (
        DeploymentConfigError, Overrides, check_prefect_server, load_deployments, needs_ncbi, serve_deployments,
        serve_plan,
    )

    overrides = Overrides(
        offline=args.offline, warehouse=args.warehouse, searches_path=args.searches, extract=args.extract,
        cron=args.cron, timezone=args.timezone,
    )
    try:
        plan = serve_plan(load_deployments(), args.deployment, overrides)
    except ValueError as error:  # DeploymentConfigError, or a bad --cron / --timezone
        raise DeploymentConfigError(str(error)) from None
    if args.list:
        for spec in plan:
            console.print(f"{spec.flow_name}/{spec.describe()}")
        return 0
    api_url = check_prefect_server()
    if needs_ncbi(plan) and not ncbi_email(ask_prefect=True):
        raise SettingsError(
            "the deployments ask NCBI (live by default), which needs a contact address: set NCBI_EMAIL here, or "
            f"`prefect variable set {PREFECT_EMAIL_VARIABLE} you@example.org`; or serve them offline with --offline"
        )
    for spec in plan:
        console.print(f"serving {spec.flow_name}/{spec.describe()}")
    console.print(f"on {api_url}; stop with Ctrl-C")
    serve_deployments(plan, api_url=api_url)
    return 0
