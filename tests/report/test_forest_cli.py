"""`litmus forest`: files, a readable table, JSON, and one-line errors."""

import json

from litmus.cli import main


def test_forest_command_writes_the_plot_and_prints_the_table(trials_warehouse, tmp_path, capsys):
    trials_warehouse.execute("CHECKPOINT")
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(trials_warehouse_path(trials_warehouse).read_bytes())
    assert main(["forest", "--outcome", "CR", "--by", "strategy", "--warehouse", str(copy), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "Complete remission" in printed and "12/20" in printed and "18/25 ‡" in printed
    assert "[bold]" not in printed  # styles are applied, not printed as markup
    assert (tmp_path / "out" / "forest-CR.svg").exists() and (tmp_path / "out" / "forest-CR.png").exists()

    assert main(["forest", "--outcome", "cr", "--json", "--include-derived", "--method", "DL",
                 "--warehouse", str(copy), "--out", str(tmp_path / "out")]) == 0
    payload = json.loads(capsys.readouterr().out)
    overall = next(row for row in payload["pooled"] if row["grouping"] == "overall")
    assert overall["method"] == "DL" and overall["k"] == 3 and overall["events"] == 54

    assert main(["forest", "--outcome", "PFS_MEDIAN", "--warehouse", str(copy)]) == 2
    error = capsys.readouterr().err
    assert "no stored study reports PFS_MEDIAN" in error and "CR" in error


def trials_warehouse_path(con):
    (path,) = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    from pathlib import Path

    return Path(path)
