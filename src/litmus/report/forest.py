"""Forest plots of one outcome, laid out the way `meta::forest` and `metafor::forest` readers expect.

One panel per outcome: studies grouped under their primary strategy, each group closed by its
random-effects diamond, an overall diamond (with its prediction interval) at the bottom, and the
columns events/N, % [95% CI] and weight beside the plot. A study the review does not cite is marked
†; a k/n that litmus recomputed from a percentage is marked ‡, drawn hollow and not pooled. Study
intervals are Clopper-Pearson exact, as metaprop's; a figure without any k/n keeps the interval the
paper reports, or none.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from litmus.meta.proportions import PooledProportion, exact_interval
from litmus.outcomes import OutcomeEvidence, StudyRow

NOT_CITED = "†"
DERIVED = "‡"


@dataclass(frozen=True, slots=True)
class ForestLine:
    kind: str  # heading | study | subgroup | overall | prediction
    label: str
    events_n: str = ""
    estimate: float | None = None  # proportion 0..1
    low: float | None = None
    high: float | None = None
    weight: str = ""
    hollow: bool = False  # not pooled (derived k/n, or no k/n)
    as_reported: str | None = None  # the percentage as printed, for a figure without k/n

    @property
    def interval_text(self) -> str:
        if self.estimate is None:  # a prediction interval has limits only
            return "" if self.low is None else f"[{100 * self.low:.1f}; {100 * self.high:.1f}]"
        if self.low is None or self.high is None:
            return self.as_reported or f"{100 * self.estimate:.1f}"
        return f"{100 * self.estimate:.1f} [{100 * self.low:.1f}; {100 * self.high:.1f}]"


def study_line(row: StudyRow, evidence: OutcomeEvidence) -> ForestLine:
    label = row.study + ("" if row.cited else f" {NOT_CITED}")
    events, total = row.events, row.total
    pooled = evidence.in_pooling(row)
    if events is not None and total:
        low, high = exact_interval(events, total)
        mark = f" {DERIVED}" if row.derived else ""
        weight = f"{100 * evidence.weights[row.pmid]:.1f}%" if row.pmid in evidence.weights else "—"
        return ForestLine("study", label, f"{events}/{total}{mark}", events / total, low, high, weight, not pooled)
    rate = row.fields["rate_pct"]
    low, high = row.fields["ci_low"], row.fields["ci_high"]
    return ForestLine(
        "study", label, "n not stated", None if rate is None else rate / 100,
        None if low is None else low / 100, None if high is None else high / 100, "—", True,
        as_reported=None if rate is None else f"{rate:g}",
    )


def pooled_line(kind: str, pooled: PooledProportion) -> ForestLine:
    if kind == "overall":
        label = "Overall: one study, not pooled" if pooled.k == 1 else f"Random-effects model, k = {pooled.k}"
    else:
        label = f"Subgroup, k = {pooled.k} (I² = {100 * pooled.i2:.0f}%)"
    weight = "100%" if kind == "overall" else ""
    return ForestLine(kind, label, f"{pooled.events}/{pooled.total}", pooled.proportion, pooled.ci_low, pooled.ci_high, weight)


def heterogeneity_text(pooled: PooledProportion) -> str:
    return (f"Heterogeneity: I² = {100 * pooled.i2:.0f}%, τ² = {pooled.tau2:.3f} ({pooled.method}), "
            f"Q = {pooled.q:.2f}, p = {pooled.q_pvalue:.2f}")


def forest_lines(evidence: OutcomeEvidence) -> list[ForestLine]:
    lines: list[ForestLine] = []
    for group in evidence.subgroups:
        lines.append(ForestLine("heading", group.label))
        lines.extend(study_line(row, evidence) for row in group.studies)
        # a one-study subgroup's diamond would repeat the study's own line
        if group.pooled is not None and group.pooled.k > 1 and len(evidence.subgroups) > 1:
            lines.append(pooled_line("subgroup", group.pooled))
    overall = evidence.overall
    if overall is not None:
        lines.append(pooled_line("overall", overall))
        if overall.pi_low is not None:
            lines.append(ForestLine("prediction", "Prediction interval", "", None, overall.pi_low, overall.pi_high))
        if overall.k > 1:
            lines.append(ForestLine("note", heterogeneity_text(overall)))
    return lines


def render_forest(evidence: OutcomeEvidence, svg_path: Path, png_path: Path) -> str:
    """Writes the panel as SVG and PNG; returns the SVG markup for inlining (no XML prolog, no metadata)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "litmus", "font.size": 9}):
        figure = _draw(plt, evidence, forest_lines(evidence))
        figure.savefig(png_path, dpi=120)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(figure)
    svg = buffer.getvalue()
    svg_path.write_text(svg, encoding="utf-8")
    return _inline_svg(svg)


# Column positions in figure coordinates (0..1): text | plot | text.
_STUDY_X, _EVENTS_X, _PLOT_LEFT, _PLOT_RIGHT, _CI_X, _WEIGHT_X = 0.01, 0.36, 0.44, 0.72, 0.74, 0.99


def _draw(plt, evidence: OutcomeEvidence, lines: list[ForestLine]):
    rows = len(lines) + 4  # column heads, axis and footnotes
    figure = plt.figure(figsize=(10, max(2.6, 0.24 * rows + 0.6)))
    axes = figure.add_axes([_PLOT_LEFT, 0.9 / rows + 0.55 / (0.24 * rows + 0.6), _PLOT_RIGHT - _PLOT_LEFT,
                            1 - (2.2 / rows) - 0.55 / (0.24 * rows + 0.6)])
    n = len(lines)
    axes.set_ylim(n - 0.5, -1.2)
    axes.set_xlim(0, 100)
    axes.set_yticks([])
    for side in ("left", "right", "top"):
        axes.spines[side].set_visible(False)
    axes.set_xlabel(f"{evidence.label}, % of patients")
    axes.grid(axis="x", alpha=0.25)
    text = dict(transform=axes.get_yaxis_transform(), va="center", clip_on=False)
    _column_heads(figure, axes, text)
    for y, line in enumerate(lines):
        _draw_line(figure, axes, y, line, text)
    if evidence.overall is not None and evidence.overall.k > 1:
        axes.axvline(100 * evidence.overall.proportion, color="#777", linestyle=":", linewidth=0.8)
    if not lines:
        axes.text(50, 0, f"No study reports {evidence.label} with a number", ha="center", va="center")
    figure.text(0.01, 0.01, _footnote(evidence), fontsize=7, color="#444", va="bottom", wrap=True)
    return figure


def _column_heads(figure, axes, text):
    import matplotlib.transforms as transforms

    blend = transforms.blended_transform_factory(figure.transFigure, axes.transData)
    heads = [(_STUDY_X, "Study", "left"), (_EVENTS_X, "Events/N", "right"),
             (_CI_X, "% [95% CI]", "left"), (_WEIGHT_X, "Weight", "right")]
    for x, title, align in heads:
        axes.text(x, -1, title, transform=blend, ha=align, va="center", fontweight="bold", clip_on=False)


def _draw_line(figure, axes, y: int, line: ForestLine, text):
    import matplotlib.transforms as transforms
    from matplotlib.patches import Polygon

    blend = transforms.blended_transform_factory(figure.transFigure, axes.transData)
    bold = line.kind in ("heading", "overall")
    label = line.label if len(line.label) <= 48 or line.kind == "note" else line.label[:47] + "…"
    axes.text(_STUDY_X + (0 if line.kind in ("heading", "overall", "prediction", "note") else 0.012), y, label,
              transform=blend, ha="left", va="center", fontweight="bold" if bold else "normal",
              fontstyle="italic" if line.kind in ("subgroup", "prediction", "note") else "normal",
              fontsize=8 if line.kind == "note" else None, clip_on=False)
    axes.text(_EVENTS_X, y, line.events_n, transform=blend, ha="right", va="center", clip_on=False,
              color="#888" if DERIVED in line.events_n or line.events_n == "n not stated" else "black")
    axes.text(_CI_X, y, line.interval_text, transform=blend, ha="left", va="center", clip_on=False,
              fontweight="bold" if line.kind == "overall" else "normal")
    axes.text(_WEIGHT_X, y, line.weight, transform=blend, ha="right", va="center", clip_on=False)
    if line.kind == "study" and line.estimate is not None:
        if line.low is not None and line.high is not None:
            axes.plot([100 * line.low, 100 * line.high], [y, y], color="black", linewidth=1)
        axes.plot(100 * line.estimate, y, "s", markersize=6, markerfacecolor="white" if line.hollow else "#1f4e79",
                  markeredgecolor="#1f4e79")
    elif line.kind in ("subgroup", "overall") and line.estimate is not None:
        colour = "#1f4e79" if line.kind == "overall" else "#5b8fc7"
        x = [100 * line.low, 100 * line.estimate, 100 * line.high, 100 * line.estimate]
        axes.add_patch(Polygon(list(zip(x, [y, y - 0.32, y, y + 0.32])), closed=True, color=colour))
    elif line.kind == "prediction":
        axes.plot([100 * line.low, 100 * line.high], [y, y], color="#c0392b", linewidth=2.2, solid_capstyle="butt")


def _footnote(evidence: OutcomeEvidence) -> str:
    method = {"REML": "restricted maximum likelihood", "DL": "DerSimonian-Laird"}.get(evidence.method, evidence.method)
    derived = "pooled too (asked for)" if evidence.include_derived else "shown, not pooled"
    return (f"{NOT_CITED} not cited by the review (found by a saved search).  {DERIVED} k/n recomputed by litmus "
            f"from a percentage and a stated sample size: {derived}.  Hollow squares are not pooled.  "
            f"Study CIs: Clopper-Pearson exact.  Pooled: logit random effects, τ² by {method}, I² from Q; "
            "0.5 added to 0/n or n/n studies; prediction interval (red) with k−2 df.")


def _inline_svg(svg: str) -> str:
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    return re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
