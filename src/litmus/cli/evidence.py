"""`litmus forest`: one outcome's evidence table and forest plot, pooled by strategy, from the warehouse."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from litmus.cli.common import add_warehouse_flag, console, print_json, styled, warehouse_path
from litmus.errors import InputError

EPILOG = """\
examples:
  litmus forest --outcome CR --by strategy          complete remission, one subgroup per strategy
  litmus forest --outcome CRS_GE3 --by family       grade >=3 CRS, grouped by family of strategies
  litmus forest --outcome ORR --include-derived     also pool k/n recomputed from percentages
  litmus forest --outcome CR --json                 the rows and pooled estimates for machines

Only counts a paper states are pooled. A k/n litmus recomputed from a percentage and a stated
sample size is shown marked ‡ and left out unless --include-derived. Pooling: logit random effects
(REML by default, or DL), exact study intervals, 0.5 added to 0/n or n/n studies (as meta::metaprop).
"""


def cmd_forest(args) -> int:
    from litmus.outcomes import outcome_evidence
    from litmus.report.forest import render_forest
    from litmus.warehouse import connect

    con = connect(warehouse_path(args), read_only=True)
    try:
        present = [o for (o,) in con.execute(
            "SELECT DISTINCT outcome FROM outcome_evidence WHERE measure = 'proportion' ORDER BY 1").fetchall()]
        matches = [o for o in present if o.lower() == args.outcome.lower()]  # "cr" is CR, "cri" is CRi
        if not matches:
            known = ", ".join(present) or "none (run `litmus run` first)"
            raise InputError(f"no stored study reports {args.outcome} as a proportion; outcomes with figures: {known}")
        outcome = matches[0]
        evidence = outcome_evidence(con, outcome, by=args.by, method=args.method, include_derived=args.include_derived)
    finally:
        con.close()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = "forest-" + outcome.replace("/", "-")
    svg, png = out / f"{stem}.svg", out / f"{stem}.png"
    render_forest(evidence, svg, png)
    if args.json:
        from litmus.outcomes import _pooled_rows

        rows = [{**row.fields, "pooled": evidence.in_pooling(row), "weight_pct": _weight(evidence, row)}
                for group in evidence.subgroups for row in group.studies]
        print_json({"outcome": outcome, "by": args.by, "method": args.method, "studies": rows,
                    "pooled": _pooled_rows(evidence), "files": [str(svg), str(png)]})
        return 0
    _print_table(evidence)
    console.print(f"forest plot: {svg}, {png}")
    return 0


def _weight(evidence, row) -> float | None:
    weight = evidence.weights.get(row.pmid)
    return None if weight is None else round(100 * weight, 1)


def _print_table(evidence) -> None:
    from litmus.report.forest import forest_lines

    table = Table(title=f"{evidence.label} by {evidence.by}", show_lines=False)
    for column in ("study", "events/N", "% [95% CI]", "weight"):
        table.add_column(column, overflow="fold")
    for line in forest_lines(evidence):
        style = "bold" if line.kind in ("heading", "overall") else "italic" if line.kind != "study" else ""
        table.add_row(styled((line.label, style)), line.events_n, line.interval_text, line.weight)
    console.print(table)
    console.print("† not cited by the review; ‡ k/n recomputed from a percentage"
                  + (" (pooled, as asked)" if evidence.include_derived else " (not pooled)"))


def register(commands) -> None:
    forest = commands.add_parser(
        "forest",
        help="forest plot and pooled estimate of one outcome, by strategy",
        description=(
            "Draw one outcome's forest plot from the warehouse: a row per study under its primary strategy, "
            "subgroup and overall random-effects diamonds, events/N, % [95% CI] and weights; writes SVG and PNG "
            "and prints the same table."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    forest.add_argument("--outcome", required=True, metavar="NAME",
                        help="CR, ORR, CRS_GE3, ICANS_GE3, or any proportion outcome the warehouse holds")
    forest.add_argument("--by", choices=("strategy", "family"), default="strategy",
                        help="subgroups: the studies' primary strategy (default) or its family")
    forest.add_argument("--method", choices=("REML", "DL"), default="REML",
                        help="between-study variance estimator (default REML, as metafor and meta)")
    forest.add_argument("--include-derived", action="store_true",
                        help="also pool k/n that litmus recomputed from a percentage (marked ‡)")
    forest.add_argument("--out", metavar="DIR", default="report", help="folder for forest-<OUTCOME>.svg/.png (default: ./report)")
    forest.add_argument("--json", action="store_true", help="print the studies and pooled estimates as JSON")
    add_warehouse_flag(forest)
    forest.set_defaults(handler=cmd_forest)
