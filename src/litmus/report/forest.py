"""Forest plot of response rates (CR, ORR) by study with Wilson 95% intervals, grouped by strategy.

Wilson's score interval (Wilson 1927, JASA 22:209) stays inside 0–1 and behaves for the small
single-arm cohorts CAR-T papers report (n of 10–30), where the normal approximation does not.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Protocol

RESPONSE_ENDPOINTS = ("CR", "ORR")


class EvidenceLike(Protocol):
    study: str
    strategy: str | None
    endpoint: str
    value: float | None
    count: int | None
    total: int | None
    n: int | None


@dataclass(frozen=True, slots=True)
class ForestRow:
    study: str
    strategy: str
    endpoint: str
    k: int
    n: int
    rate: float  # proportion 0..1
    low: float
    high: float


def wilson_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for k successes of n, as proportions."""
    if n <= 0:
        raise ValueError(f"a proportion needs n > 0 patients, got n={n}")
    if not 0 <= k <= n:
        raise ValueError(f"k={k} successes is outside 0..n={n}")
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half_width = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half_width), min(1.0, centre + half_width)


def forest_rows(evidence: Iterable[EvidenceLike]) -> list[ForestRow]:
    """Rows for CR/ORR rates with a known n; k = round(p·n) when only the percentage is known."""
    rows = []
    for item in evidence:
        if item.endpoint not in RESPONSE_ENDPOINTS:
            continue
        n = item.total or item.n
        if not n:
            continue
        if item.count is not None and item.total:
            k = item.count
        elif item.value is not None:
            k = round(item.value / 100 * n)
        else:
            continue
        if not 0 <= k <= n:
            continue
        low, high = wilson_interval(k, n)
        rows.append(ForestRow(item.study, item.strategy or "other", item.endpoint, k, n, k / n, low, high))
    return sorted(rows, key=lambda r: (r.strategy, r.endpoint, r.study))


def render_forest(rows: list[ForestRow], svg_path: Path, png_path: Path) -> str:
    """Writes the plot as SVG and PNG; returns the SVG markup for inlining (no XML prolog, no metadata)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "litmus"}):
        figure = _draw(plt, rows)
        figure.savefig(png_path, dpi=110)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(figure)
    svg = buffer.getvalue()
    svg_path.write_text(svg, encoding="utf-8")
    return _inline_svg(svg)


def _draw(plt, rows: list[ForestRow]):
    labels, positions, colours = [], [], {"CR": "#1f77b4", "ORR": "#d62728"}
    y = 0
    strategy = None
    for row in rows:
        if row.strategy != strategy:
            strategy = row.strategy
            y += 1  # a blank line above each strategy's heading
            labels.append((y, strategy, True))
            y += 1
        labels.append((y, f"{row.study} ({row.endpoint}, {row.k}/{row.n})", False))
        positions.append((y, row))
        y += 1
    height = max(2.5, 0.32 * (y + 2))
    figure, axes = plt.subplots(figsize=(9, height))
    for position, row in positions:
        axes.plot([row.low * 100, row.high * 100], [position, position], color=colours.get(row.endpoint, "k"))
        axes.plot(row.rate * 100, position, "s", color=colours.get(row.endpoint, "k"), markersize=5)
    axes.set_yticks([p for p, _, _ in labels])
    axes.set_yticklabels([text for _, text, _ in labels])
    for tick, (_, _, heading) in zip(axes.get_yticklabels(), labels):
        tick.set_fontweight("bold" if heading else "normal")
    axes.set_ylim(y + 0.5, 0)
    axes.set_xlim(0, 100)
    axes.set_xlabel("Response rate, % (Wilson 95% CI)")
    axes.set_title("CR (blue) and ORR (red) by study, grouped by strategy" if rows else "No CR/ORR rates with a known n")
    axes.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    return figure


def _inline_svg(svg: str) -> str:
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    return re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
