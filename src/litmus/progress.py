"""Progress for long work, shown only to a person at a terminal (never in logs, pipes or CI).

Two kinds share one live display on stderr, so they can nest: `step(description)` is a spinner with
the elapsed time for work of unknown length (starting Prefect, loading the spaCy pipeline, a saved
search), `progress_bar(total, description)` counts items (papers fetched, papers extracted).
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

_display = None  # the rich Progress while at least one step or bar is shown
_shown = 0


def enabled() -> bool:
    return sys.stderr.isatty()


def _open_display():
    global _display
    if _display is None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        _display = Progress(
            SpinnerColumn(), TextColumn("{task.description}", markup=False), _counted(BarColumn()), _counted(MofNCompleteColumn()),
            TimeElapsedColumn(), console=Console(stderr=True), transient=True,
        )
        _display.start()
    return _display


def _counted(column):
    """`column` for bars; nothing for steps, whose length is unknown (a spinner and a clock say enough)."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class WhenCounted(ProgressColumn):
        def render(self, task):
            return column.render(task) if task.total is not None else Text("")

    return WhenCounted()


def _close_display() -> None:
    global _display
    if _shown == 0 and _display is not None:
        _display.stop()
        _display = None


@contextmanager
def _shown_task(description: str, total: int | None) -> Iterator[Callable[[int], None]]:
    global _shown
    display = _open_display()
    # A bar of unknown length shows only the spinner and the elapsed time.
    task = display.add_task(description, total=total)
    _shown += 1
    try:
        yield lambda n: display.advance(task, n)
    finally:
        display.remove_task(task)
        _shown -= 1
        _close_display()


@contextmanager
def step(description: str) -> Iterator[None]:
    """A spinner with `description` and the elapsed time while the block runs (terminal only)."""
    if not enabled():
        yield
        return
    with _shown_task(description, None):
        yield


@contextmanager
def progress_bar(total: int, description: str, *, unit: str = "items") -> Iterator[Callable[[int], None]]:
    """Yield `advance(n)`; draws a bar on stderr when it is a terminal."""
    if total <= 0 or not enabled():
        yield lambda n: None
        return
    with _shown_task(f"{description} ({unit})", total) as advance:
        yield advance
