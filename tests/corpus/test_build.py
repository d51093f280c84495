"""Rendering paper TOML into replayable PubMed XML."""

from __future__ import annotations

from build_replay_articles import build_replay_articles, main
from litmus.pubmed import parse_pubmed_xml

PAPER = """
pmid = "{pmid}"
title = "Tandem CAR T cells"
year = 2020
authors = ["Tong C"]

[[abstract]]
text = "The complete response rate was 71%."
"""


def write_papers(directory, *pmids):
    directory.mkdir()
    for pmid in pmids:
        (directory / f"{pmid}.toml").write_text(PAPER.format(pmid=pmid), encoding="utf-8")


def test_build_writes_one_parseable_article_per_paper(tmp_path):
    write_papers(tmp_path / "papers", "2", "11")
    recorded = tmp_path / "entrez" / "pubmed" / "99.xml"  # a live recording: must survive
    recorded.parent.mkdir(parents=True)
    recorded.write_bytes(b"<PubmedArticle/>\n")

    written = build_replay_articles(tmp_path / "papers", tmp_path / "entrez")

    assert [path.name for path in written] == ["2.xml", "11.xml"]
    (record,) = parse_pubmed_xml(written[1].read_bytes())
    assert (record.pmid, record.abstract) == ("11", "The complete response rate was 71%.")
    assert recorded.read_bytes() == b"<PubmedArticle/>\n"


def test_build_is_idempotent(tmp_path):
    write_papers(tmp_path / "papers", "5")
    first = build_replay_articles(tmp_path / "papers", tmp_path / "entrez")[0].read_bytes()
    second = build_replay_articles(tmp_path / "papers", tmp_path / "entrez")[0].read_bytes()
    assert first == second


def test_command_reports_what_it_wrote_and_fails_clearly(tmp_path, capsys):
    write_papers(tmp_path / "papers", "5")
    assert main(["--papers", str(tmp_path / "papers"), "--entrez", str(tmp_path / "entrez")]) == 0
    assert "1 PubMed article(s) written" in capsys.readouterr().out

    (tmp_path / "papers" / "6.toml").write_text('pmid = "6"\nyear = 2020\n', encoding="utf-8")
    assert main(["--papers", str(tmp_path / "papers"), "--entrez", str(tmp_path / "entrez")]) == 1
    assert "6.toml: missing required field 'title'" in capsys.readouterr().err
