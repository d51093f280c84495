"""Progress on a terminal: steps (a spinner and a clock) and bars (a count) share one display and nest."""

from __future__ import annotations

import io

from rich.console import Console

import litmus.progress as progress


def test_steps_and_bars_show_on_a_terminal_and_leave_nothing_behind(monkeypatch):
    screen = io.StringIO()
    monkeypatch.setattr(progress, "enabled", lambda: True)
    monkeypatch.setattr("rich.console.Console", lambda **kwargs: Console(file=screen, force_terminal=True, width=100))
    with progress.step("loading the spaCy pipeline"):
        with progress.progress_bar(3, "extracting", unit="papers") as advance:
            advance(2)
            progress._display.refresh()
    shown = screen.getvalue()
    assert "loading the spaCy pipeline" in shown and "extracting (papers)" in shown and "2/3" in shown
    assert "0/?" not in shown  # a step has no count to show
    assert progress._display is None  # closed with the last step


def test_nothing_is_drawn_without_a_terminal(monkeypatch):
    monkeypatch.setattr(progress, "enabled", lambda: False)
    with progress.step("quiet"), progress.progress_bar(5, "quiet") as advance:
        advance(5)
    assert progress._display is None
