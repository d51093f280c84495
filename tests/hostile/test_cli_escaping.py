"""Finding 4: data that looks like terminal markup is printed as itself by every command.

rich reads "[/x]" as a closing tag (MarkupError), "benzo[a]pyrene" loses "[a]", "[link=…]" becomes a
hyperlink, ":warning:" an emoji, and an ESC recolours the terminal. Each command prints such values
from data, paths and exception text through its table, JSON, CSV and error paths, and the output must
show them unchanged (control characters as visible escapes).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from litmus.cli import main
from litmus.extraction import extract_and_store, extractor_version, pending_papers
from litmus.nlp.pipeline import build_pipeline
from pubmed_render import render_pubmed_article_set
from litmus.records import AbstractSection, Citation, PubmedRecord, Review
from litmus.warehouse import connect
from litmus.warehouse.load import finish_run, load_papers, start_run, upsert_review

CLOSING_TAG = "[/x]"
BRACKETED_NAME = "benzo[a]pyrene"
LINK = "[link=https://example.org/x]click[/link]"
EMOJI_CODE = ":warning:"
MARKUP = (CLOSING_TAG, BRACKETED_NAME, LINK, EMOJI_CODE)
HOSTILE = " ".join(MARKUP)
# A file name cannot hold "/": these are read as markup too ("[bold]" would vanish, "[a]" too).
NAME_SAFE = f"{BRACKETED_NAME} [bold] {EMOJI_CODE}"
ESC = "\x1b[31m"
PMID = "39000001"


def assert_literal(text: str) -> None:
    for piece in MARKUP:
        assert piece in text, f"{piece!r} did not reach the output unchanged:\n{text}"
    assert "Traceback" not in text and "MarkupError" not in text


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    # rich reads COLUMNS on every print: wide tables keep each value on one line for the assertions.
    monkeypatch.setenv("COLUMNS", "400")


@pytest.fixture(scope="module")
def hostile_warehouse(tmp_path_factory) -> Path:
    """A warehouse whose review, citation, paper, sentences, metrics, run log and searches carry markup."""
    path = tmp_path_factory.mktemp("hostile-markup") / "litmus.duckdb"
    con = connect(path)
    try:
        upsert_review(con, Review(f"review {HOSTILE}", HOSTILE, (Citation(f"1 {CLOSING_TAG}", "numbered", pmid=PMID),)))
        record = PubmedRecord(
            pmid=PMID, title=f"Tandem CD19/CD22 CAR-T after {HOSTILE} {ESC}exposure",
            abstract_sections=(AbstractSection(None, None, f"In {HOSTILE} patients the ORR was 80% (16/20)."),),
            journal=HOSTILE, journal_iso=HOSTILE, pub_year=2024,
        )
        load_papers(con, [record], source="eutils")
        version = extractor_version()
        papers = [paper for page in pending_papers(con, version) for paper in page]
        extract_and_store(con, build_pipeline(), papers, version)
        run_id = start_run(con, f"flow {CLOSING_TAG}", {})
        finish_run(con, run_id, status="failed", counts={}, message=HOSTILE)
        con.execute(
            "INSERT INTO search_hits VALUES (?, ?, ?, 'r1', true)", [PMID, f"search {HOSTILE}", date(2026, 1, 5)]
        )
        con.execute(
            "INSERT INTO search_runs (run_id, search_name, datetype, as_of, status, result_count, slices,"
            " found_pmids, new_pmids, updated_pmids) VALUES ('r1', ?, 'edat', ?, 'searched', 1, 1, [?], [?], [])",
            [f"search {HOSTILE}", date(2026, 1, 5), PMID, PMID],
        )
    finally:
        con.close()
    return path


def test_sql_prints_markup_as_data_in_table_json_and_csv(hostile_warehouse, capsys):
    query = f"SELECT '{CLOSING_TAG}' AS \"{CLOSING_TAG}\", '{BRACKETED_NAME}' AS b, '{LINK}' AS l, '{EMOJI_CODE}' AS e"
    code, out, err = cli(capsys, "sql", "--warehouse", str(hostile_warehouse), query)
    assert code == 0, err
    assert_literal(out)
    code, out, _ = cli(capsys, "sql", "--warehouse", str(hostile_warehouse), "--json", query)
    assert json.loads(out) == [{CLOSING_TAG: CLOSING_TAG, "b": BRACKETED_NAME, "l": LINK, "e": EMOJI_CODE}]
    code, out, _ = cli(capsys, "sql", "--warehouse", str(hostile_warehouse), "--csv", query)
    assert out.splitlines()[1] == ",".join(MARKUP)


def test_control_characters_are_shown_not_sent_to_the_terminal(hostile_warehouse, capsys):
    code, out, _ = cli(capsys, "sql", "--warehouse", str(hostile_warehouse), "SELECT title FROM papers")
    assert code == 0
    assert "\x1b" not in out and "\\x1b[31m" in out
    code, out, _ = cli(capsys, "sql", "--warehouse", str(hostile_warehouse), "--json", "SELECT title FROM papers")
    assert json.loads(out)[0]["title"].endswith(f"{ESC}exposure")  # machine formats keep the data exact


def test_sql_error_quoting_markup_is_one_line(hostile_warehouse, capsys):
    code, out, err = cli(capsys, "sql", "--warehouse", str(hostile_warehouse), f"SELECT * FROM \"{CLOSING_TAG}{BRACKETED_NAME}\"")
    assert code == 2 and out == ""
    assert err.startswith("error: ") and f"{CLOSING_TAG}{BRACKETED_NAME}" in err and "Traceback" not in err


def test_show_prints_title_sentences_and_entities_as_data(hostile_warehouse, capsys):
    code, out, err = cli(capsys, "show", "--warehouse", str(hostile_warehouse), PMID)
    assert code == 0, err
    assert_literal(out)
    assert "80%" in out
    code, out, _ = cli(capsys, "show", "--warehouse", str(hostile_warehouse), "--json", PMID)
    payload = json.loads(out)
    assert HOSTILE in payload["paper"]["title"] and any(HOSTILE in m["sentence"] for m in payload["metrics"])


def test_status_prints_review_ids_and_run_messages_as_data(hostile_warehouse, capsys):
    code, out, err = cli(capsys, "status", "--warehouse", str(hostile_warehouse))
    assert code == 0, err
    assert_literal(out)
    assert f"flow {CLOSING_TAG}" in out
    code, out, _ = cli(capsys, "status", "--warehouse", str(hostile_warehouse), "--json")
    assert json.loads(out)["reviews"][0]["review_id"] == f"review {HOSTILE}"


def test_new_prints_titles_and_search_names_as_data(hostile_warehouse, capsys):
    code, out, err = cli(capsys, "new", "--warehouse", str(hostile_warehouse), "--since", "2026-01-01")
    assert code == 0, err
    assert_literal(out)
    code, out, _ = cli(capsys, "new", "--warehouse", str(hostile_warehouse), "--since", "2026-01-01", "--json")
    assert json.loads(out)["papers"][0]["searches"] == [f"search {HOSTILE}"]


def test_extract_text_prints_sentences_as_data(tmp_path, capsys):
    text_file = tmp_path / "abstract.txt"
    text_file.write_text(f"In {HOSTILE} patients the ORR was 80% (16/20).", encoding="utf-8")
    code, out, err = cli(capsys, "extract", "--text", str(text_file))
    assert code == 0, err
    assert_literal(out)
    code, out, _ = cli(capsys, "extract", "--text", str(text_file), "--json")
    assert HOSTILE in json.loads(out)["metrics"][0]["sentence"]


def test_error_lines_quote_paths_with_markup(tmp_path, capsys):
    folder = tmp_path / HOSTILE
    code, out, err = cli(capsys, "extract", "--text", str(folder / "missing.txt"))
    assert code == 2 and out == ""
    assert err.startswith("error: no such text file") and str(folder) in err and "Traceback" not in err
    code, _, err = cli(capsys, "show", "--warehouse", str(folder / "w.duckdb"), "x[/x]")
    assert code == 2 and "'x[/x]'" in err


def test_export_and_report_print_their_folders_as_data(hostile_warehouse, tmp_path, capsys):
    out_dir = tmp_path / f"export {HOSTILE}"
    code, out, err = cli(capsys, "export", "--warehouse", str(hostile_warehouse), str(out_dir), "--format", "csv")
    assert code == 0, err
    assert str(out_dir) in out and (out_dir / "papers.csv").is_file()
    report_dir = tmp_path / f"report {HOSTILE}"
    code, out, err = cli(capsys, "report", "--warehouse", str(hostile_warehouse), "--out", str(report_dir))
    assert code == 0, err
    assert str(report_dir / "report.html") in out


def test_ingest_files_prints_file_names_and_failures_as_data(tmp_path, capsys):
    good = tmp_path / f"good {NAME_SAFE}.xml"
    good.write_bytes(render_pubmed_article_set([PubmedRecord(pmid=PMID, title=HOSTILE)]))
    bad = tmp_path / f"bad {NAME_SAFE}.xml"
    bad.write_text(f"<PubmedArticleSet><{CLOSING_TAG}>")
    warehouse = tmp_path / "bulk.duckdb"
    code, out, err = cli(capsys, "ingest-files", "--warehouse", str(warehouse), str(good), str(bad))
    assert code == 1, err  # one file failed
    assert good.name in out and bad.name in out and "Traceback" not in out + err
    code, out, _ = cli(capsys, "ingest-files", "--warehouse", str(warehouse), "--keep", f"text:{CLOSING_TAG}(", str(good))
    assert code == 2 and "Traceback" not in out


def test_serve_error_quotes_a_bad_cron_as_data(capsys):
    code, out, err = cli(capsys, "serve", "--deployment", "daily-evidence-update",
                         "--cron", f"{CLOSING_TAG} {BRACKETED_NAME}")
    assert code == 2
    assert err.startswith("error: ") and "--cron" in err and CLOSING_TAG in err


def test_no_command_module_writes_markup_into_its_strings():
    """The consoles never parse markup, so a "[red]" written in a CLI module would print literally:
    styles go through `styled`. This keeps later edits from reintroducing markup strings."""
    import re

    cli_dir = Path(__file__).resolve().parents[2] / "src" / "litmus" / "cli"
    tag = re.compile(r"\[/?(?:red|green|yellow|bold|dim|italic|blue|cyan|magenta)\]")
    offenders = [f"{p.name}:{n}" for p in sorted(cli_dir.glob("*.py"))
                 for n, line in enumerate(p.read_text().splitlines(), 1) if tag.search(line)]
    assert offenders == []


@pytest.mark.integration
def test_review_prose_with_markup_runs_and_verifies(prefect_harness, tmp_path, capsys):
    """The reported crash: a review whose prose says "[/i]" ingested, then `verify` died on MarkupError."""
    review = tmp_path / f"review {NAME_SAFE}.md"  # its stem is the review id
    review.write_text(
        f"# CAR-T and {BRACKETED_NAME}\n\n"
        "In relapsed B-ALL, CD19/CD22 CAR-T cells gave an overall response rate of 64% [/i] [1].\n\n"
        "## References\n\n"
        "1. Spiegel JY, et al. CAR T cells with dual targeting of CD19 and CD22 in adult patients with"
        f" recurrent or refractory B cell malignancies {LINK}. Nat Med. 2021;27(8):1419-1431. PMID: 34312556\n"
        f"2. {CLOSING_TAG} {EMOJI_CODE} an entry nobody can resolve. 2020.\n"
    )
    warehouse = tmp_path / "litmus.duckdb"
    code, out, err = cli(capsys, "run", "--review", str(review), "--warehouse", str(warehouse))
    assert code == 0, err
    assert "64% [/i] [1]" in out, out
    assert "Traceback" not in out + err
    code, out, err = cli(capsys, "verify", "--review", str(review), "--warehouse", str(warehouse))
    assert code == 0 and "64% [/i] [1]" in out, err
    code, out, err = cli(capsys, "verify", "--review", str(review), "--warehouse", str(warehouse), "--json")
    assert code == 0 and [row["claim_id"] for row in json.loads(out)] == ["c01"], err
