"""What the warehouse holds, read through a read-only connection."""

from __future__ import annotations

from pathlib import Path

from litmus.warehouse import connect, schema_version


class StatusError(RuntimeError):
    pass


def warehouse_status(path: Path) -> dict:
    con = connect(path, read_only=True)
    try:
        tables = [
            row[0]
            for row in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
                " AND table_name <> 'schema_migrations' ORDER BY table_name"
            ).fetchall()
        ]
        counts = {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0] for name in tables}
        reviews = [
            dict(zip(("review_id", "citations", "resolved", "with_paper"), row))
            for row in con.execute(
                "SELECT c.review_id, count(*), count(c.pmid), count(p.pmid) FROM citations c"
                " LEFT JOIN papers p ON p.pmid = c.pmid GROUP BY c.review_id ORDER BY c.review_id"
            ).fetchall()
        ]
        runs = [
            dict(zip(("started_at", "flow", "status", "message"), row))
            for row in con.execute(
                "SELECT started_at, flow, status, message FROM run_log ORDER BY started_at DESC LIMIT 5"
            ).fetchall()
        ]
        return {
            "path": str(path),
            "schema_version": schema_version(con),
            "tables": counts,
            "reviews": reviews,
            "recent_runs": runs,
        }
    finally:
        con.close()
