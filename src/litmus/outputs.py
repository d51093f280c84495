"""Folders litmus writes files into (`litmus export DIR`, `litmus report --out DIR`), checked first.

A folder is refused, with one line, when it is an empty path (which would mean the current folder),
a file, a device or a FIFO, when it cannot be created or written to, or when it already holds a file
the command would write and --force was not given. Nothing is written before the checks pass.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path


class OutputPathError(ValueError):
    """A place litmus was asked to write files into that it must not, or cannot, write into."""


def prepare_output_folder(spec: str | Path, names: Iterable[str], *, force: bool, command: str) -> Path:
    """The folder `spec`, created if needed, once it is safe to write `names` into it."""
    text = str(spec)
    if not text.strip():
        raise OutputPathError(f"{command}: the output folder is an empty path; name a folder (it is created if needed)")
    path = Path(text).expanduser()
    if path.exists() and not path.is_dir():
        kind = "a file" if path.is_file() else "a device, FIFO or socket"
        raise OutputPathError(f"{path} is {kind}, not a folder: give {command} a folder to write into (created if needed)")
    names = list(names)
    present = [name for name in names if (path / name).exists() or (path / name).is_symlink()]
    odd = [name for name in present if not (path / name).is_file() or (path / name).is_symlink()]
    if odd:
        raise OutputPathError(f"{path / odd[0]} exists and is not a plain file: {command} will not replace it; "
                              "name another folder")
    if present and not force:
        shown = ", ".join(present[:3]) + (f" and {len(present) - 3} more" if len(present) > 3 else "")
        raise OutputPathError(f"{path} already holds {shown}: add --force to overwrite, or name another folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".litmus-write-check-"):
            pass  # a real write: permissions, read-only file systems and /proc all answer here
    except OSError as error:
        raise OutputPathError(f"cannot write into {path}: {error.strerror or error}; choose a folder you can write to") from error
    return path
