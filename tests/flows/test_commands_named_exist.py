"""Every `litmus <command> [--flag …]` that an error message or a help text names exists: the command,
and each flag written after it. A command is named in backticks (`litmus update --live`) or at the
indented start of a line (the examples of --help); "another litmus process" is prose, not a command.
Docstrings are for readers of the code and are not scanned."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from litmus.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
NAMED = re.compile(r"(?:`|^[ \t]+)litmus ([a-z][a-z-]*)([^`\n]*)", re.MULTILINE)


def strings_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value) for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def named_commands() -> list[tuple[str, str, list[str]]]:
    found = []
    for path in sorted([*(ROOT / "src" / "litmus").rglob("*.py"), *(ROOT / "flows").glob("*.py")]):
        for text in strings_in(path):
            for match in NAMED.finditer(text):
                command = match.group(1)
                flags = re.findall(r"--[a-z][a-z-]*", match.group(2))
                found.append((f"{path.relative_to(ROOT)}", command, flags))
    return found


def subcommands() -> dict:
    parser = build_parser()
    action = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return action.choices


def test_the_scan_finds_what_it_should():
    commands = {command for _, command, _ in named_commands()}
    assert {"run", "update", "status", "export"} <= commands


def test_every_named_command_and_flag_exists():
    known = subcommands()
    wrong = []
    for where, command, flags in named_commands():
        if command not in known:
            wrong.append(f"{where}: `litmus {command}` is not a command")
            continue
        options = {option for action in known[command]._actions for option in action.option_strings}
        wrong += [f"{where}: `litmus {command}` has no {flag}" for flag in flags if flag not in options]
    assert wrong == []


def test_a_replay_miss_points_at_commands_that_can_record():
    from litmus.entrez.replay import ReplayMiss
    from litmus.entrez.requests import EntrezRequest

    message = str(ReplayMiss(EntrezRequest.build("esearch", db="pubmed", term="x")))
    named = re.findall(r"`litmus ([a-z-]+)`", message)
    assert named and "--live --record" in message
    known = subcommands()
    for command in named:
        options = {option for action in known[command]._actions for option in action.option_strings}
        assert {"--live", "--record"} <= options, command
