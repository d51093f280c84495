"""Finding 8: bad output paths, damaged warehouses and unreadable review files give one line, never a
traceback, and bad review files are refused before Prefect starts (that took 40-47 s)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from litmus.cli import main
from litmus.records import AbstractSection, PubmedRecord
from litmus.warehouse import connect
from litmus.warehouse.load import load_papers


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("paths") / "litmus.duckdb"
    con = connect(path)
    try:
        load_papers(con, [PubmedRecord(pmid=str(i), title=f"Trial {i} " * 20,
                                       abstract_sections=(AbstractSection(None, None, f"Abstract {i}. " * 80),))
                          for i in range(1, 3001)], source="eutils")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def one_line_error(err: str) -> bool:
    return err.startswith("error: ") and err.count("\n") == 1


# --------------------------------------------------------------------------- export and report --out


def test_export_to_an_empty_path_never_writes_into_the_current_folder(warehouse, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = cli(capsys, "export", "--warehouse", str(warehouse), "")
    assert code == 2 and one_line_error(err) and "empty path" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("target", ["file", "device", "fifo", "unwritable"])
def test_export_and_report_refuse_a_place_they_cannot_write_a_folder_into(warehouse, tmp_path, capsys, target):
    place = {"file": tmp_path / "a-file.txt", "device": Path("/dev/null"), "fifo": tmp_path / "fifo",
             "unwritable": Path("/proc/litmus-export")}[target]
    if target == "file":
        place.write_text("keep me")
    if target == "fifo":
        os.mkfifo(place)
    for argv in (["export", str(place)], ["report", "--out", str(place)]):
        code, _, err = cli(capsys, *argv[:1], "--warehouse", str(warehouse), *argv[1:])
        assert code == 2 and one_line_error(err), err
    if target == "file":
        assert place.read_text() == "keep me"


def test_export_asks_for_force_before_overwriting(warehouse, tmp_path, capsys):
    folder = tmp_path / "out"
    assert cli(capsys, "export", "--warehouse", str(warehouse), str(folder), "--format", "csv")[0] == 0
    (folder / "papers.csv").write_text("edited by hand")
    code, _, err = cli(capsys, "export", "--warehouse", str(warehouse), str(folder), "--format", "csv")
    assert code == 2 and one_line_error(err) and "--force" in err
    assert (folder / "papers.csv").read_text() == "edited by hand"
    assert cli(capsys, "export", "--warehouse", str(warehouse), str(folder), "--format", "csv", "--force")[0] == 0
    assert (folder / "papers.csv").read_text().startswith("pmid,")


def test_report_asks_for_force_before_overwriting(warehouse, tmp_path, capsys):
    folder = tmp_path / "report"
    assert cli(capsys, "report", "--warehouse", str(warehouse), "--out", str(folder))[0] == 0
    code, _, err = cli(capsys, "report", "--warehouse", str(warehouse), "--out", str(folder))
    assert code == 2 and one_line_error(err) and "report.html" in err and "--force" in err
    assert cli(capsys, "report", "--warehouse", str(warehouse), "--out", str(folder), "--force")[0] == 0


# --------------------------------------------------------------------------- damaged warehouses


def _damaged(source: Path, folder: Path, how: str) -> Path:
    path = folder / f"{how}.duckdb"
    shutil.copy(source, path)
    size = path.stat().st_size
    with path.open("r+b") as handle:
        if how == "truncated":
            handle.truncate(size // 2)
        elif how == "header":
            handle.write(b"this is not a duckdb file" * 10)
        elif how == "blocks":  # bad blocks inside: the file opens, some tables cannot be read
            for fraction in (0.3, 0.5, 0.7):
                handle.seek(int(size * fraction))
                handle.write(b"\x00\xff" * 131072)
        elif how == "empty":
            handle.truncate(0)
    return path


@pytest.mark.parametrize("how", ["truncated", "header", "blocks", "empty"])
def test_a_damaged_warehouse_is_one_line_naming_the_file_and_what_to_do(warehouse, tmp_path, capsys, how):
    path = _damaged(warehouse, tmp_path, how)
    for argv in (["sql", "--csv", "SELECT * FROM papers"], ["status"], ["show", "1500"]):
        code, _, err = cli(capsys, argv[0], "--warehouse", str(path), *argv[1:])
        if how == "blocks" and argv[0] != "sql":
            continue  # these may not touch a bad block; the full scan above does
        assert code == 2 and one_line_error(err), (argv, err)
        assert f"warehouse {path} is damaged" in err and ("restore" in err and "`litmus run`" in err)


def test_export_saves_what_a_damaged_warehouse_can_still_give(warehouse, tmp_path, capsys):
    path = _damaged(warehouse, tmp_path, "blocks")
    code, out, _ = cli(capsys, "export", "--warehouse", str(path), str(tmp_path / "saved"), "--format", "csv")
    assert code == 1 and "could not read" in out and "papers" in out
    saved = {p.name for p in (tmp_path / "saved").iterdir()}
    assert "papers.csv" not in saved and "reviews.csv" in saved and "authors.csv" in saved


# --------------------------------------------------------------------------- reviews, before Prefect


@pytest.mark.parametrize("content", [b"", os.urandom(4000), None])
def test_a_bad_review_file_is_refused_before_any_flow_starts(tmp_path, capsys, monkeypatch, content):
    import flows.ingest
    import flows.run

    def must_not_start(**kwargs):
        raise AssertionError("a flow started for a review that could not be read")

    monkeypatch.setattr(flows.run, "litmus_run_flow", must_not_start)
    monkeypatch.setattr(flows.ingest, "ingest_review_flow", must_not_start)
    review = tmp_path / "review.md"
    if content is None:
        os.mkfifo(review)
    else:
        review.write_bytes(content)
    for command in ("run", "ingest"):
        code, _, err = cli(capsys, command, "--review", str(review), "--warehouse", str(tmp_path / "w.duckdb"))
        assert code == 2 and one_line_error(err), err
    assert not (tmp_path / "w.duckdb").exists()


def test_a_review_text_that_is_not_utf8_is_refused_before_verify_starts(tmp_path, capsys, monkeypatch):
    import flows.verify

    monkeypatch.setattr(flows.verify, "verify_flow", lambda **kwargs: pytest.fail("the flow started"))
    text = tmp_path / "review.md"
    text.write_bytes("Résumé".encode("latin-1"))
    code, _, err = cli(capsys, "verify", "--review-text", str(text), "--warehouse", str(tmp_path / "w.duckdb"))
    assert code == 2 and "is not UTF-8 text" in err
