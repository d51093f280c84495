"""Findings 2 and 3: documents of any length and shape go through the pipeline in bounded time and memory.

- spaCy refused documents over 1,000,000 characters (E088): long texts are now split and joined.
- A stored abstract over 1,000,000 characters poisoned every later `extract` and `run`: abstracts are
  stored cut at `abstract_chars` with `papers.abstract_truncated`, and any length extracts anyway.
- `yes | litmus extract --text -` read until MemoryError: standard input is read up to a limit.
- A 400-digit fraction raised OverflowError.
- The bounds change nothing on ordinary text: tokens and abbreviations equal the unbounded pipeline's.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from litmus import limits
from litmus.cli import main
from litmus.extraction import extract_and_store, extractor_version, pending_papers
from litmus.nlp.bounds import _WindowedParenthesisMatcher, split_for_pipeline
from litmus.nlp.extract import extract_document
from litmus.nlp.metrics import extract_metrics
from litmus.nlp.pipeline import build_pipeline
from litmus.pubmed import parse_pubmed_xml
from litmus.records import AbstractSection, PubmedRecord
from litmus.warehouse import connect
from litmus.warehouse.load import load_papers

ROOT = Path(__file__).resolve().parents[2]
SENTENCE = "Twenty patients received CD19 CAR-T cells. The ORR was 80% (16/20) and median PFS was 9.1 months. "


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


def _real_abstracts() -> list[str]:
    texts = [r.abstract for path in sorted((ROOT / "corpus" / "entrez" / "pubmed").glob("*.xml"))
             for r in parse_pubmed_xml(path) if r.abstract]
    medline = ROOT.parent / "shared" / "data" / "real-text" / "robotreviewer-medline-1000.txt"
    if medline.is_file():  # ordinary MEDLINE abstracts, when the shared data is there (never tuned on)
        blocks = medline.read_text(encoding="utf-8").split("\nAB  - ")[1:120]
        texts += [" ".join(block.split("\n")[0:40]).split("  - ")[0] for block in blocks]
    return texts


# --------------------------------------------------------------------------- long documents


def test_a_document_over_spacys_limit_is_extracted_in_pieces_with_whole_text_offsets(monkeypatch):
    # spaCy's limit scaled down 20x (and the pieces with it) so the test reads 55 KB, not 1.1 MB;
    # test_extract_text_of_a_file_over_a_million_characters_works runs the real sizes.
    nlp = build_pipeline()
    nlp.max_length = 50_000
    monkeypatch.setenv(limits.NLP_PIECE_CHARS.variable, "5000")
    text = SENTENCE * 550
    with pytest.raises(ValueError, match="E088"):
        nlp(text)
    result = extract_document(nlp, text)
    orr = [m for m in result.metrics if m.endpoint == "ORR"]
    assert len(orr) == 550
    assert all(text[m.start : m.end].startswith("80%") for m in orr)
    assert all(text[m.sentence_start :].startswith("The ORR") for m in orr)
    assert all(text[s:e] == t for s, e, t in result.sentences)
    assert any("nlp_piece_chars" in note for note in result.bounded)


def test_pieces_tile_the_text_and_are_cut_at_sentence_starts():
    text = SENTENCE * 500 + "x" * 3_000 + " tail."
    pieces = split_for_pipeline(text, limit=1_000)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))
    assert all(end - start <= 1_000 for start, end in pieces)
    assert all(text[start:].startswith(("Twenty", "The", "x", " tail")) for start, _ in pieces)
    assert split_for_pipeline("short", limit=1_000) == [(0, 5)]


def test_an_abstract_over_the_limit_is_stored_truncated_with_a_flag(tmp_path):
    xml = ("<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID Version=\"1\">1</PMID><Article>"
           f"<ArticleTitle>Huge</ArticleTitle><Abstract><AbstractText>{SENTENCE * 12_000}</AbstractText></Abstract>"
           "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>").encode()
    (record,) = parse_pubmed_xml(xml)
    assert record.abstract_truncated and len(record.abstract) <= limits.ABSTRACT_CHARS.value
    con = connect(tmp_path / "w.duckdb")
    try:
        load_papers(con, [record], source="eutils")
        assert con.execute("SELECT abstract_truncated, length(abstract) FROM papers").fetchall() == [
            (True, len(record.abstract))]
    finally:
        con.close()


def test_a_stored_text_over_spacys_limit_never_poisons_later_extractions(tmp_path, monkeypatch):
    """An older warehouse may hold an abstract (and a title) over spaCy's limit: every run extracts it.
    (spaCy's limit scaled down 20x, as above.)"""
    nlp = build_pipeline()
    nlp.max_length = 50_000
    monkeypatch.setenv(limits.NLP_PIECE_CHARS.variable, "5000")
    con = connect(tmp_path / "w.duckdb")
    try:
        load_papers(con, [
            PubmedRecord(pmid="1", title="H" * 60_000, abstract_sections=(AbstractSection(None, None, SENTENCE * 600),)),
            PubmedRecord(pmid="2", title="Normal", abstract_sections=(AbstractSection(None, None, SENTENCE),)),
        ], source="eutils")
        version = extractor_version()
        papers = [paper for page in pending_papers(con, version) for paper in page]
        assert extract_and_store(con, nlp, papers, version)["papers"] == 2
        assert con.execute("SELECT count(*) FROM metrics WHERE pmid = '1' AND endpoint = 'ORR'").fetchall()[0][0] == 600
        notes = con.execute("SELECT bounded FROM extractions WHERE pmid = '1'").fetchall()[0][0]
        assert any(n.startswith("title: ") and "nlp_token_chars" in n for n in notes)
        assert any(n.startswith("abstract: pipeline: ") and "nlp_piece_chars" in n for n in notes)
        assert con.execute("SELECT bounded FROM extractions WHERE pmid = '2'").fetchall() == [(None,)]
        assert [p for page in pending_papers(con, version) for p in page] == []
    finally:
        con.close()


def test_the_parser_cuts_an_abstract_at_a_sentence_end():
    from litmus.pubmed.article import bounded_abstract

    sections = (AbstractSection("BACKGROUND", None, "Short."), AbstractSection("RESULTS", None, SENTENCE * 5_000))
    kept, truncated = bounded_abstract(sections)
    text = PubmedRecord(pmid="1", title="t", abstract_sections=kept).abstract
    assert truncated and kept[0] == sections[0] and text.endswith(("months.", "cells."))
    assert limits.ABSTRACT_CHARS.value - len(SENTENCE) < len(text) <= limits.ABSTRACT_CHARS.value
    assert bounded_abstract(sections[:1]) == (sections[:1], False)


# --------------------------------------------------------------------------- the command line


def test_extract_text_of_a_file_over_a_million_characters_works(tmp_path, capsys):
    path = tmp_path / "long.txt"
    path.write_text(SENTENCE * 10_500, encoding="utf-8")
    code = main(["extract", "--text", str(path), "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert len([m for m in json.loads(out)["metrics"] if m["endpoint"] == "ORR"]) == 10_500


def test_standard_input_is_read_only_up_to_its_limit(monkeypatch, capsys):
    monkeypatch.setenv(limits.TEXT_INPUT_BYTES.variable, "1000")
    monkeypatch.setattr("sys.stdin", io.StringIO("ORR was 80%.\n" * 10_000))
    code = main(["extract", "--text", "-"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "text_input_bytes" in err and "LITMUS_MAX_TEXT_INPUT_BYTES" in err


def test_a_text_file_over_the_limit_and_a_fifo_are_refused(monkeypatch, tmp_path, capsys):
    import os

    monkeypatch.setenv(limits.TEXT_INPUT_BYTES.variable, "1k")
    (tmp_path / "big.txt").write_text("x" * 2_000)
    assert main(["extract", "--text", str(tmp_path / "big.txt")]) == 2
    assert "(2,000 bytes) is over the limit of 1,000 bytes" in capsys.readouterr().err
    os.mkfifo(tmp_path / "pipe.txt")
    assert main(["extract", "--text", str(tmp_path / "pipe.txt")]) == 2
    assert "not a regular file" in capsys.readouterr().err


# --------------------------------------------------------------------------- numbers and sentences


def test_a_400_digit_fraction_is_no_number_and_no_overflow():
    assert extract_metrics("The ORR was " + "9" * 400 + "/" + "9" * 400 + ".") == []
    extract_metrics("The ORR was 1" + "0" * 400 + "% and 1e400% (1" + "0" * 30 + "/2" + "0" * 30 + ").")  # no raise
    assert [m.value for m in extract_metrics("The ORR was 80% (16/20).")] == [80.0]


def test_a_sentence_over_the_metric_limit_is_skipped_and_the_skip_recorded(nlp, monkeypatch):
    monkeypatch.setenv(limits.METRIC_SENTENCE_CHARS.variable, "300")
    long_sentence = "The ORR was 80% in " + ", ".join(f"cohort {i}" for i in range(60)) + "."
    result = extract_document(nlp, f"{long_sentence} The CR rate was 60%.")
    assert result.metrics and all(m.start > len(long_sentence) for m in result.metrics)  # only the short one's
    assert any("metric_sentence_chars" in note and "1 sentence(s) over 300" in note for note in result.bounded)


# --------------------------------------------------------------------------- nothing changes on real text


def test_the_bounded_tokenizer_gives_the_same_tokens_on_real_abstracts(nlp):
    plain = nlp.tokenizer._tokenizer
    texts = _real_abstracts()
    for text in texts:
        bounded = [t.text for t in nlp.tokenizer(text)]
        assert bounded == [t.text for t in plain(text)]
    assert len(texts) >= 10


def test_the_bounded_tokenizer_keeps_every_character_of_long_runs(nlp):
    for text in ("a" * 1_000, f"x {'%' * 999}  y\n\n{'(' * 450}z", " lead " + "1/2" * 300 + " "):
        doc = nlp.tokenizer(text)
        assert doc.text == text
        assert max(len(t.text) for t in doc) <= limits.NLP_TOKEN_CHARS.value


def test_windowed_abbreviation_search_finds_what_the_detector_finds(nlp):
    pairs_matcher = nlp.get_pipe("abbreviation_detector")._pairs_matcher
    texts = _real_abstracts() + [
        "Complete remission (CR) and overall response rate (ORR) were high; CR was durable (see (a) and (b)).",
        "B-cell maturation antigen (BCMA) CAR-T ((nested) (BCMA)) in multiple myeloma (MM); MM relapsed.",
    ]
    windowed = _WindowedParenthesisMatcher(nlp.vocab.strings.add("parenthesis"))
    for text in texts:
        doc = nlp.make_doc(text)
        for _, component in nlp.pipeline[:1]:
            doc = component(doc)
        real = sorted((m[1], m[2]) for m in pairs_matcher(doc) if m[2] - m[1] - 2 <= 8)
        assert sorted((m[1], m[2]) for m in windowed(doc)) == real


def test_windowed_and_pairwise_detection_give_the_same_abbreviations(nlp):
    guard = nlp.get_pipe("abbreviation_detector")

    def abbreviations(max_parentheses: int) -> list:
        guard.max_parentheses, found = max_parentheses, []
        try:
            for text in _real_abstracts():
                doc = nlp(text)
                found.append(sorted((a.start, a.end, a._.long_form.start, a._.long_form.end) for a in doc._.abbreviations))
        finally:
            guard.max_parentheses = None
        return found

    assert abbreviations(0) == abbreviations(10_000)


def test_many_parentheses_switch_to_the_windowed_search_and_say_so(nlp):
    text = "Complete remission (CR) was seen. " + "(a) " * 300 + "CR was durable."
    doc = nlp(text)
    assert any("abbreviation_parentheses" in note for note in doc._.bounded)
    assert any(a.text == "CR" and a._.long_form.text == "Complete remission" for a in doc._.abbreviations)
