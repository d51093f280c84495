"""Finding 5: identifiers are read strictly, and reference lists have no length limit.

`PMID: 3464248'9` was stored as PMID 3464248 (another paper), `PMID: 0` was accepted, a 26-digit PMID
vanished silently, and reference 10000 of a 10,000-entry list was folded into entry 9999's note.
"""

from __future__ import annotations

import pytest

from litmus.cli import main
from litmus.identifiers import pmid_problem
from litmus.ingest import resolve_review
from litmus.pubmed import PubmedParseError, parse_pubmed_xml
from litmus.references.entries import parse_reference_entry
from litmus.references.jats import parse_jats_references
from litmus.references.markdown import parse_review_markdown
from litmus.settings import EntrezSettings, make_client
from litmus.warehouse import connect

ENTRY = "Maude SL, Frey N. Chimeric antigen receptor T cells for sustained remissions. N Engl J Med. 2014;371:1507-17. "


@pytest.mark.parametrize(
    ("printed", "stated"),
    [("PMID: 25317870", "25317870"), ("PMID 25317870.", "25317870"), ("PMID:25317870;", "25317870"),
     ("(PMID: 25317870)", "25317870"), ("PMID: 3464248'9", "3464248'9"), ("PMID: 0", "0"),
     ("PMID: " + "1" * 26, "1" * 26), ("PMID: 0025317870", "0025317870"), ("PMIDs were not given.", None)],
)
def test_a_stated_pmid_is_read_as_a_whole_token(printed, stated):
    assert parse_reference_entry("1", ENTRY + printed).pmid == stated


@pytest.mark.parametrize(
    ("text", "reason"),
    [("3464248'9", "is not a PMID: a PMID is 1-8 digits"), ("0", "PMIDs start at 1"),
     ("1" * 26, "(26 digits) is over the limit of 8 digits for a PMID (pmid_digits)"),
     ("０１２", "1-8 digits 0-9"), ("0123", "no leading zero"), ("", "is not a PMID")],
)
def test_pmid_problems_say_why(text, reason):
    assert reason in pmid_problem(text)


def test_a_refused_pmid_gives_its_citation_a_reason_and_never_another_papers_pmid(tmp_path):
    review = parse_review_markdown(
        "# A review\n\nText [1-4].\n\n## References\n\n"
        f"1. {ENTRY}PMID: 3464248'9\n2. {ENTRY}PMID: 0\n3. {ENTRY}PMID: {'9' * 26}\n4. {ENTRY}PMID: 25317870\n",
        review_id="strict-pmids",
    )
    con = connect(tmp_path / "w.duckdb")
    try:
        outcome = resolve_review(con, review, make_client(EntrezSettings.from_flags()))
        rows = con.execute("SELECT citation_key, stated_pmid, pmid, resolution_method, resolution_detail"
                           " FROM citations ORDER BY position").fetchall()
    finally:
        con.close()
    assert [r[2] for r in rows] == [None, None, None, "25317870"]
    assert [r[3] for r in rows] == ["unresolved", "unresolved", "unresolved", "known_pmid"]
    assert "stated PMID refused: \"3464248'9\" is not a PMID" in rows[0][4]
    assert "stated PMID refused: '0' is not a PMID: PMIDs start at 1" in rows[1][4]
    assert "pmid_digits" in rows[2][4] and rows[2][1] == "9" * 26  # kept as stated, never dropped silently
    assert len(outcome.resolved) == 1


def test_a_pubmed_record_with_an_impossible_pmid_or_version_is_refused_in_one_line():
    for pmid, version in (("0", "1"), ("1" * 12, "1"), ("12", "²"), ("12", "9" * 5000)):
        xml = (f'<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID Version="{version}">{pmid}</PMID>'
               "<Article><ArticleTitle>t</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>")
        with pytest.raises(PubmedParseError) as raised:
            parse_pubmed_xml(xml.encode())
        assert "\n" not in str(raised.value)


def test_show_refuses_an_impossible_pmid(capsys, tmp_path):
    assert main(["show", "--warehouse", str(tmp_path / "w.duckdb"), "0"]) == 2
    assert "PMIDs start at 1" in capsys.readouterr().err


# --------------------------------------------------------------------------- lists of any length

N = 10_000


def _markdown_review(n: int) -> str:
    entries = "\n".join(f"{i}. Smith A, Jones B. Trial number {i} of CAR-T cells. Blood. 2020;{i}:1-2. PMID: {30_000_000 + i}"
                        for i in range(1, n + 1))
    return f"# A long review\n\nProse [1].\n\n## References\n\n{entries}\n"


def test_a_markdown_review_with_10000_references_stores_10000_resolved_citations(tmp_path):
    review = parse_review_markdown(_markdown_review(N), review_id="ten-thousand")
    assert len(review.citations) == N
    last = review.citations[-1]
    assert (last.key, last.pmid, last.note) == ("10000", str(30_000_000 + N), None)
    assert "10000." not in (review.citations[-2].note or "") + (review.citations[-2].title or "")
    con = connect(tmp_path / "w.duckdb")
    try:
        outcome = resolve_review(con, review, make_client(EntrezSettings.from_flags()))
        stored = con.execute("SELECT count(*), count(pmid), max(position) FROM citations").fetchall()[0]
    finally:
        con.close()
    assert stored == (N, N, N)
    assert len(outcome.resolved) == N and sum(outcome.requests.values()) == 0


def test_a_jats_review_with_10000_references_keeps_them_all():
    refs = "".join(f'<ref id="r{i}"><label>{i}</label><element-citation><person-group><name><surname>A{i}</surname>'
                   f"</name></person-group><article-title>Trial {i}</article-title><year>2020</year>"
                   f'<pub-id pub-id-type="pmid">{30_000_000 + i}</pub-id></element-citation></ref>'
                   for i in range(1, N + 1))
    xml = f"<article><front><article-meta/></front><back><ref-list>{refs}</ref-list></back></article>".encode()
    review = parse_jats_references(xml, source="long.xml")
    assert len(review.citations) == N
    assert (review.citations[-1].key, review.citations[-1].pmid) == ("10000", str(30_000_000 + N))
