"""Every table and view explains itself to SQL users, and so does every column of the evidence views."""

from litmus.warehouse import connect

DOCUMENTED_COLUMNS = ("outcome_evidence", "pooled_estimates")


def test_every_table_view_and_evidence_column_has_a_comment(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE comment IS NULL").fetchall()
    views = con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal AND comment IS NULL").fetchall()
    assert tables == [] and views == []
    for name in DOCUMENTED_COLUMNS:
        columns = con.execute(
            "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = ?", [name]).fetchall()
        assert columns and [c for c, comment in columns if not comment] == [], name


def test_comments_survive_the_views_being_recreated(tmp_path):
    connect(tmp_path / "w.duckdb").close()
    con = connect(tmp_path / "w.duckdb")  # a second writer re-creates every view
    (comment,) = con.execute("SELECT comment FROM duckdb_views() WHERE view_name = 'outcome_evidence'").fetchone()
    assert comment and "one row per study" in comment
