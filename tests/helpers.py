"""Small helpers shared by test suites (import as `helpers`; tests/ is on pytest's pythonpath)."""

from __future__ import annotations


def table_row_counts(path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1"
        ).fetchall()]
        return {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0] for name in names}
    finally:
        con.close()


def load_bench_script(name: str):
    """A script of bench/ (`name` without .py) as a module, to test its steps."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
