"""Where the project's data lives: the corpus, the SQL files and the default warehouse.

litmus runs from a checkout (an editable install), so data folders are found relative to it;
`LITMUS_HOME` points elsewhere when the corpus and the warehouse file live outside the checkout
(the SQL schema always comes from the checkout).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    configured = os.environ.get("LITMUS_HOME")
    if configured:
        return Path(configured).expanduser().resolve()
    return PACKAGE_DIR.parents[1]


def corpus_dir() -> Path:
    return project_root() / "corpus"


def sql_dir() -> Path:
    """The schema is code: it always comes from the checkout litmus runs from."""
    return PACKAGE_DIR.parents[1] / "warehouse"


def default_warehouse_path() -> Path:
    return project_root() / "warehouse" / "litmus.duckdb"
