"""The `litmus` command as a person uses it: help, machine formats, read-only SQL, clear errors."""

from __future__ import annotations

import csv
import io
import json

import pytest

from litmus.cli import main

pytestmark = pytest.mark.integration


def run_cli(capsys, *argv, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_every_command_with_examples(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    for command in ("run", "ingest", "extract", "show", "verify", "report", "sql", "export", "status"):
        assert f"\n    {command} " in out or f"\n    {command}\n" in out, command
    assert "examples:" in out


def test_extract_text_from_stdin_prints_entities_and_metrics(capsys, monkeypatch):
    text = "Twenty patients received tandem CD19/CD20 CAR-T cells. The ORR was 80% (16/20) and median PFS was 9.1 months."
    code, out, _ = run_cli(capsys, "extract", "--text", "-", "--json", stdin=text, monkeypatch=monkeypatch)
    assert code == 0
    payload = json.loads(out)
    orr = [m for m in payload["metrics"] if m["endpoint"] == "ORR"]
    assert orr and (orr[0]["value"], orr[0]["count"], orr[0]["total"]) == (80.0, 16, 20)
    assert text[orr[0]["start"] : orr[0]["end"]].startswith("80")
    fields = {"endpoint", "stat", "value", "unit", "timepoint", "count", "total", "ci_low", "ci_high",
              "not_reached", "group", "start", "end", "sentence"}
    assert fields <= set(orr[0])
    assert any(e["concept_id"] == "target:CD19" for e in payload["entities"])


def test_extract_of_a_missing_file_is_one_clear_line(capsys, tmp_path):
    code, out, err = run_cli(capsys, "extract", "--text", str(tmp_path / "nope.txt"))
    assert code == 2
    assert "no such text file" in err and "Traceback" not in err


def test_sql_reads_as_json_and_csv(shipped_run, capsys):
    warehouse = str(shipped_run[0])
    code, out, _ = run_cli(capsys, "sql", "--warehouse", warehouse, "--json", "SELECT pmid FROM papers ORDER BY pmid")
    assert code == 0 and len(json.loads(out)) == 5
    code, out, _ = run_cli(capsys, "sql", "--warehouse", warehouse, "--csv", "SELECT count(*) AS n FROM papers")
    assert out.splitlines() == ["n", "5"]


@pytest.mark.parametrize(
    "statement",
    ["DELETE FROM papers", "DROP TABLE papers", "INSERT INTO reviews (review_id, title) VALUES ('x', 'y')",
     "COPY papers TO '/tmp/litmus-stolen.csv'", "SELECT * FROM read_csv('/etc/passwd')", "ATTACH '/tmp/other.db'"],
)
def test_sql_refuses_anything_that_writes_or_touches_files(shipped_run, capsys, statement):
    code, _, err = run_cli(capsys, "sql", "--warehouse", str(shipped_run[0]), statement)
    assert code == 2 and "error:" in err and "Traceback" not in err
    code, out, _ = run_cli(capsys, "sql", "--warehouse", str(shipped_run[0]), "--csv", "SELECT count(*) AS n FROM papers")
    assert out.splitlines()[1] == "5"


def test_show_prints_a_paper_with_its_metrics(shipped_run, capsys):
    code, out, _ = run_cli(capsys, "show", "--warehouse", str(shipped_run[0]), "--json", "32556247")
    payload = json.loads(out)
    assert code == 0 and payload["paper"]["pmid"] == "32556247"
    assert any(m["endpoint"] == "PFS" and m["value"] == 64.0 and m["timepoint_months"] == 12 for m in payload["metrics"])


def test_show_of_an_unknown_pmid_says_so(shipped_run, capsys):
    code, _, err = run_cli(capsys, "show", "--warehouse", str(shipped_run[0]), "1")
    assert code == 2 and "not in the warehouse" in err


def test_verify_json_has_an_object_per_claim_with_its_facts(shipped_run, capsys):
    code, out, _ = run_cli(capsys, "verify", "--warehouse", str(shipped_run[0]), "--json")
    claims = json.loads(out)
    assert code == 0
    assert [c["claim_id"] for c in claims] == [f"c{i:02d}" for i in range(1, 18)]
    assert all(isinstance(c["cites"], list) and c["claim"] for c in claims)
    facts = [f for c in claims for f in c["facts"]]
    assert {"endpoint", "value", "unit", "timepoint_months", "group", "composite", "verdict",
            "discrepancy_kind"} <= set(facts[0])
    supported = [f for f in facts if f["verdict"] == "supported"]
    assert supported and all(f["source"]["sentence"] and f["source"]["value"] is not None for f in supported)
    ref6 = next(c for c in claims if c["cites"] == ["6"])
    assert ref6["verdict"] == "supported_with_discrepancy" and ref6["review_sentence"] is None
    assert {"population_count", "timepoint_only_in_review"} <= set(ref6["discrepancy_kinds"])


def test_verify_csv_is_flat_and_filters_by_discrepancy_kind(shipped_run, capsys):
    code, out, _ = run_cli(capsys, "verify", "--warehouse", str(shipped_run[0]), "--csv", "--kind", "composite_endpoint")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows
    assert {r["claim_id"] for r in rows} == {"c07"}
    assert any(r["discrepancy_kind"] == "composite_endpoint" and r["reported_composite"] == "CR/CRi" for r in rows)


def test_report_and_export_write_files(shipped_run, capsys, tmp_path):
    code, _, _ = run_cli(capsys, "report", "--warehouse", str(shipped_run[0]), "--out", str(tmp_path / "report"))
    assert code == 0
    html = (tmp_path / "report" / "report.html").read_text()
    assert "c05" in html and "<svg" in html
    code, _, _ = run_cli(capsys, "export", "--warehouse", str(shipped_run[0]), str(tmp_path / "export"), "--format", "csv")
    assert code == 0
    assert (tmp_path / "export" / "evidence_table.csv").read_text().count("\n") > 1


def test_status_reports_counts(shipped_run, capsys):
    code, out, _ = run_cli(capsys, "status", "--warehouse", str(shipped_run[0]), "--json")
    status = json.loads(out)
    assert code == 0 and status["tables"]["papers"] == 5
    assert status["reviews"][0]["resolved"] == 5


def test_query_parameters_are_bound_not_spliced(shipped_run):
    from litmus.query import QueryRefused, run_query

    hostile = "x' OR '1'='1"
    assert run_query(shipped_run[0], "SELECT pmid FROM papers WHERE pmid = ?", [hostile]).rows == []
    assert len(run_query(shipped_run[0], "SELECT pmid FROM papers WHERE pmid = ?", ["32556247"]).rows) == 1
    with pytest.raises(QueryRefused, match="exactly one statement"):
        run_query(shipped_run[0], "SELECT 1; SELECT 2", [1])


def test_machine_output_is_objects_never_positional_arrays(shipped_run, capsys, tmp_path):
    """--json prints one object; --nl one object per line, each saying what it is; lists hold objects."""
    import shutil

    def no_positional_arrays(value, where="$"):
        if isinstance(value, dict):
            for key, item in value.items():
                no_positional_arrays(item, f"{where}.{key}")
        elif isinstance(value, list):
            kinds = {type(item) for item in value}
            assert not (list in kinds or tuple in kinds), f"{where} holds positional arrays"
            for index, item in enumerate(value):
                no_positional_arrays(item, f"{where}[{index}]")

    warehouse = str(tmp_path / "litmus.duckdb")  # a copy: `run` adds to the run log others count
    shutil.copy(shipped_run[0], warehouse)
    for argv in (["ingest", "--json"], ["status", "--json"], ["run", "--json"]):
        code, out, err = run_cli(capsys, *argv, "--warehouse", warehouse)
        payload = json.loads(out)
        assert code == 0 and isinstance(payload, dict), (argv, err)
        no_positional_arrays(payload)
    citations = json.loads(run_cli(capsys, "ingest", "--json", "--warehouse", warehouse)[1])["resolved_citations"]
    assert {"citation_key", "pmid", "method"} <= set(citations[0])

    for argv, kinds in ((["ingest", "--nl"], {"citation", "unresolved_citation", "summary"}),
                        (["status", "--nl"], {"table", "review", "run", "summary"})):
        code, out, _ = run_cli(capsys, *argv, "--warehouse", warehouse)
        lines = [json.loads(line) for line in out.splitlines()]
        assert code == 0 and all(isinstance(line, dict) for line in lines)
        assert {line["record"] for line in lines} == kinds
        assert lines[-1]["record"] == "summary"


def test_csv_writes_lists_and_structs_as_json(shipped_run, capsys, tmp_path):
    import csv

    warehouse = str(shipped_run[0])
    query = "SELECT pmid, design, {'n': n, 'why': why} AS detail FROM evidence_table WHERE design IS NOT NULL LIMIT 1"
    code, out, _ = run_cli(capsys, "sql", "--csv", "--warehouse", warehouse, query)
    row = next(csv.DictReader(io.StringIO(out)))
    assert code == 0 and isinstance(json.loads(row["design"]), list) and set(json.loads(row["detail"])) == {"n", "why"}

    code, _, _ = run_cli(capsys, "export", "--warehouse", warehouse, str(tmp_path), "--format", "csv")
    with open(tmp_path / "publication_types.csv", newline="") as handle:
        assert next(csv.DictReader(handle))
    with open(tmp_path / "reviews.csv", newline="") as handle:
        review = next(csv.DictReader(handle))
    assert code == 0 and isinstance(json.loads(review["authors"]), list)
    with open(tmp_path / "entities.csv", newline="") as handle:
        attributes = [r["attributes"] for r in csv.DictReader(handle) if r["attributes"]]
    assert attributes and all(isinstance(json.loads(a), dict) for a in attributes)
