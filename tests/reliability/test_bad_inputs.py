"""Hostile and malformed input (the corpus in bad_inputs/): each is refused with one clear line,
or stored safely and verbatim; the warehouse is unchanged by every refused input.

Reviews go through `load_review_input`, the first thing `litmus ingest`/`run` does, and must raise
one of `litmus.errors.user_facing_errors()` -- exactly the set `litmus.cli.main` prints as one line
with exit 2; a sample also runs through `main([...])` itself (each costs a Prefect flow run, ~1 s).
PubMed XML arrives as EFetch answers from the fake server (or as a bulk file) and must raise the
same way, with nothing loaded.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fake_eutils import Fault, PUBMED_DOCTYPE, XML_DECLARATION

from litmus.errors import user_facing_errors
from litmus.limits import ABSTRACT_CHARS
from litmus.ingest import fetch_and_store, resolve_review
from litmus.pubmed import PubmedParseError, parse_pubmed_xml
from litmus.records import Citation, Review
from litmus.reviews import load_review_input
from litmus.warehouse.load import load_papers
from reliability_support import base_tables, row_counts, snapshot

BAD = Path(__file__).resolve().parent / "bad_inputs"
FILES = sorted(p.name for p in BAD.iterdir())
# Read without error, but nothing is expanded, fetched or run: stored as the harmless text it is.
SAFE_REVIEWS = {
    "stored_review_sql_title.toml", "stored_review_garbage_references.md",
    "jats_external_entity_file.xml", "jats_external_entity_network.xml", "jats_parameter_entity_dtd.xml",
}
SAFE_PUBMED = {"stored_pubmed_sql_title.xml", "stored_pubmed_empty_abstract.xml", "stored_pubmed_unicode_title.xml"}
PUBMED = [f for f in FILES if f.startswith("pubmed_")]
REVIEWS = [f for f in FILES if f.startswith(("review", "jats_")) and f not in SAFE_REVIEWS]
SQL = "'); DROP TABLE papers; --"


def test_the_corpus_is_big_enough():
    assert len(FILES) >= 50 and len(REVIEWS) + len(PUBMED) + len(SAFE_REVIEWS) + len(SAFE_PUBMED) == len(FILES)


def _one_line_user_error(call):
    with pytest.raises(user_facing_errors()) as refused:
        call()
    message = str(refused.value)
    assert message and "\n" not in message and "Traceback" not in message
    return message


# --------------------------------------------------------------------------- reviews


@pytest.mark.parametrize("name", REVIEWS)
def test_a_bad_review_is_refused_with_one_clear_line(name):
    message = _one_line_user_error(lambda: load_review_input(str(BAD / name)))
    assert "root:" not in message  # nothing of /etc/passwd (or any other file) leaks into a message


def _bad_paths(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "a_directory.toml").mkdir()
    os.symlink("/etc/passwd", tmp_path / "passwd_link.toml")
    return {
        "missing file": str(tmp_path / "nope.toml"),
        "directory given as a file": str(tmp_path / "a_directory.toml"),
        "file outside the project": "/etc/passwd",
        "relative path climbing out": "../../../../../../../../etc/hostname",
        "symlink to a system file": str(tmp_path / "passwd_link.toml"),
        "empty string": "",
        "PMCID without --live": "PMC1234567",
    }


def test_bad_paths_are_refused_with_one_clear_line(tmp_path):
    for label, spec in _bad_paths(tmp_path).items():
        message = _one_line_user_error(lambda: load_review_input(spec))
        assert "root:x" not in message, label


@pytest.mark.parametrize("name", sorted(SAFE_REVIEWS))
def test_a_hostile_but_readable_review_is_stored_verbatim(name, fake, make_client, warehouse):
    review = load_review_input(str(BAD / name))
    resolve_review(warehouse, review, make_client())
    values = repr(snapshot(warehouse))
    reviews = warehouse.execute("SELECT title FROM reviews").fetchall()
    citations = warehouse.execute("SELECT citation_key, title, journal, pmid FROM citations ORDER BY position").fetchall()
    assert {"papers", "reviews", "citations", "run_log"} <= set(base_tables(warehouse))
    assert "root:x" not in values and "lollol" not in values  # no file read, no entity expanded
    assert len(values) < 20_000
    assert fake.counts["efetch"] == 0 and not any("xxe" in r.path or "evil" in r.path for r in fake.log)
    if name == "stored_review_sql_title.toml":
        assert reviews == [(SQL,)]
        assert citations == [("1'); DROP TABLE citations; --", '" OR 1=1 --', "Robert'); DROP TABLE reviews;--", None)]
    if name == "stored_review_garbage_references.md":
        assert [c[1] for c in citations][:3] == ["???", "%%%% $$$$", "' OR '1'='1"]
        assert all(c[3] is None for c in citations)
    if name.startswith("jats_external_entity"):
        assert reviews[0][0] in ("T &xxe;", "&net;")  # the reference is kept as text, never replaced


# --------------------------------------------------------------------------- PubMed answers


@pytest.mark.parametrize("name", PUBMED)
def test_a_bad_pubmed_answer_is_refused_and_nothing_is_loaded(name, fake, make_client, warehouse, sleeps):
    load_papers(warehouse, parse_pubmed_xml(BAD / "stored_pubmed_unicode_title.xml"), source="eutils")
    before = snapshot(warehouse)
    body = (BAD / name).read_bytes()
    fake.script("efetch", Fault(body=body), Fault(body=body))  # the same answer on the retry

    message = _one_line_user_error(
        lambda: fetch_and_store(warehouse, make_client(attempts=2), ["35000001"], source="eutils")
    )

    assert "root:x" not in message
    assert snapshot(warehouse) == before


@pytest.mark.parametrize("name", PUBMED)
def test_a_bad_pubmed_bulk_file_is_refused_with_one_clear_line(name):
    with pytest.raises(PubmedParseError) as refused:
        parse_pubmed_xml(BAD / name)
    assert "\n" not in str(refused.value) and "root:x" not in str(refused.value)


@pytest.mark.parametrize("name", sorted(SAFE_PUBMED))
def test_an_odd_but_valid_record_is_stored_verbatim(name, fake, make_client, warehouse):
    expected = parse_pubmed_xml(BAD / name)
    fake.script("efetch", Fault(body=(BAD / name).read_bytes()))

    fetch_and_store(warehouse, make_client(), [r.pmid for r in expected], source="eutils")

    rows = warehouse.execute("SELECT pmid, title, abstract, has_abstract FROM papers").fetchall()
    assert rows == [(r.pmid, r.title, r.abstract or None, bool(r.abstract.strip())) for r in expected]
    assert {"papers", "authors", "citations", "reviews"} <= set(base_tables(warehouse))


def _one_record(pmid: str, abstract: str) -> bytes:
    return (
        XML_DECLARATION + PUBMED_DOCTYPE + "\n<PubmedArticleSet><PubmedArticle><MedlineCitation>"
        f'<PMID Version="1">{pmid}</PMID><Article><ArticleTitle>Long</ArticleTitle>'
        f"<Abstract><AbstractText>{abstract}</AbstractText></Abstract></Article></MedlineCitation>"
        "</PubmedArticle></PubmedArticleSet>\n"
    ).encode()


def test_an_enormous_abstract_is_stored_cut_at_a_sentence_end_with_a_flag(fake, make_client, warehouse):
    abstract = "CAR-T cells achieved a response rate of 80%. " * 60_000  # ~2.7 MB: litmus.limits.ABSTRACT_CHARS cuts it
    fake.script("efetch", Fault(body=_one_record("35000100", abstract)))

    fetch_and_store(warehouse, make_client(), ["35000100"], source="eutils")

    stored, truncated = warehouse.execute("SELECT abstract, abstract_truncated FROM papers").fetchall()[0]
    assert truncated and stored.endswith("80%.") and abstract.startswith(stored)
    assert 0.99 * ABSTRACT_CHARS.value < len(stored) <= ABSTRACT_CHARS.value


def test_an_abstract_beyond_the_parser_limit_is_refused_not_truncated(fake, make_client, warehouse):
    abstract = "x" * 11_000_000  # lxml refuses text nodes over 10 MB unless huge_tree is on
    fake.script("efetch", Fault(body=_one_record("35000101", abstract)))

    message = _one_line_user_error(lambda: fetch_and_store(warehouse, make_client(), ["35000101"], source="eutils"))

    assert "xml_text_bytes" in message and "LITMUS_MAX_XML_TEXT_BYTES" in message  # the limit, named (litmus.limits)
    assert row_counts(warehouse)["papers"] == 0


def test_sql_looking_queries_go_to_ncbi_as_text_and_are_stored_verbatim(fake, make_client, warehouse):
    title = "CAR-T'); DROP TABLE citations; -- \" OR 1=1"
    review = Review("sql-query-review", SQL, (Citation("1", "numbered", title=title, doi="10.1000/x'); DROP TABLE papers; --"),))

    outcome = resolve_review(warehouse, review, make_client())

    assert outcome.unresolved and fake.counts["esearch"] == 2
    terms = [r.params["term"] for r in fake.requests_to("esearch")]
    assert terms[0] == "\"10.1000/x'); DROP TABLE papers; --\"[doi]" and "DROP TABLE citations" in terms[1]
    assert warehouse.execute("SELECT title FROM citations").fetchall() == [(title,)]
    assert {"papers", "citations", "reviews"} <= set(base_tables(warehouse))
