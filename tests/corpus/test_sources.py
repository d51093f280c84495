"""The corpus loaders: typed records out, and errors that name the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from litmus.corpus import CorpusError, load_claims, load_paper, load_papers, load_review
from litmus.records import AbstractSection, Author

PAPER = """
pmid = "123"
title = "A  trial\\nof something"
journal_iso = "Blood"
year = 2021
month = 10
day = 12
authors = ["Pignataro DS", "O'Reilly M", "Xiao"]
authors_complete = false
publication_types = ["Journal Article"]

[[abstract]]
label = "PATIENTS AND METHODS"
text = "We enrolled 15 patients."

[[abstract]]
label = "RESULTS"
text = "CR was 86% (13/15)."
"""

REVIEW = """
review_id = "r1"
title = "A review"
year = 2022
journal_iso = "Front Immunol"

[[citations]]
key = "1"
kind = "numbered"
authors = ["Wei J"]
pmid = "34642489"
pages = "1797-1805"

[[citations]]
key = "Nan et al."
kind = "named"
"""

CLAIMS = """
review_id = "r1"

[[claims]]
claim_id = "c01"
cites = ["1"]
topic = "t"
section = "s"
kind = "numeric"

[[claims.facts]]
endpoint = "OS"
stat = "rate"
value = 60
unit = "%"
timepoint_months = 12

[[claims]]
claim_id = "c02"
cites = []
topic = "t"
section = "s"
kind = "qualitative"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_paper_becomes_a_pubmed_record(tmp_path):
    record = load_paper(write(tmp_path, "123.toml", PAPER))

    assert record.pmid == "123"
    assert record.title == "A trial of something"  # whitespace normalised like the PubMed parser
    assert (record.pub_year, record.pub_date) == (2021, "2021-10-12")
    assert record.authors == (
        Author(last_name="Pignataro", initials="DS"),
        Author(last_name="O'Reilly", initials="M"),
        Author(last_name="Xiao"),
    )
    assert record.abstract_sections == (
        AbstractSection("PATIENTS AND METHODS", "METHODS", "We enrolled 15 patients."),
        AbstractSection("RESULTS", "RESULTS", "CR was 86% (13/15)."),
    )


def test_paper_date_is_as_precise_as_given(tmp_path):
    record = load_paper(write(tmp_path, "123.toml", PAPER.replace("month = 10\nday = 12\n", "")))
    assert record.pub_date == "2021"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('pmid = "123"', 'pmid = "12a"'), "field 'pmid' must be a PMID of digits"),
        (("year = 2021", "year = 21"), "field 'year' must be a four-digit publication year"),
        (("year = 2021", 'year = "2021"'), "field 'year' must be an integer"),
        (('title = "A  trial\\nof something"\n', ""), "missing required field 'title'"),
        (("month = 10\nday = 12", "month = 2\nday = 30"), "do not form a date"),
        (('label = "RESULTS"', 'label = "FINDINGS"'), "no known NLM category"),
        (("authors_complete = false", "author_complete = false"), "unknown field(s) 'author_complete'"),
    ],
)
def test_paper_errors_name_file_and_field(tmp_path, change, message):
    path = write(tmp_path, "123.toml", PAPER.replace(*change))
    with pytest.raises(CorpusError, match="123.toml") as error:
        load_paper(path)
    assert message in str(error.value)


def test_paper_file_is_named_after_its_pmid(tmp_path):
    with pytest.raises(CorpusError, match=r"must then be named 123\.toml"):
        load_paper(write(tmp_path, "124.toml", PAPER))


def test_invalid_toml_and_missing_files_are_corpus_errors(tmp_path):
    with pytest.raises(CorpusError, match="not valid TOML"):
        load_paper(write(tmp_path, "1.toml", "pmid = "))
    with pytest.raises(CorpusError, match="no such corpus file"):
        load_review(tmp_path / "absent.toml")
    with pytest.raises(CorpusError, match="no such directory"):
        load_papers(tmp_path / "absent")


def test_papers_are_ordered_by_pmid(tmp_path):
    write(tmp_path, "123.toml", PAPER)
    write(tmp_path, "45.toml", PAPER.replace('pmid = "123"', 'pmid = "45"'))
    assert [record.pmid for record in load_papers(tmp_path)] == ["45", "123"]


def test_review_and_its_citations(tmp_path):
    review = load_review(write(tmp_path, "r1.toml", REVIEW))

    assert (review.review_id, review.year, review.source) == ("r1", 2022, str(tmp_path / "r1.toml"))
    numbered, named = review.citations
    assert (numbered.key, numbered.kind, numbered.pmid, numbered.first_page) == ("1", "numbered", "34642489", "1797")
    assert numbered.first_author_surname == "Wei"
    assert (named.key, named.kind, named.authors) == ("Nan et al.", "named", ())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('kind = "named"', 'kind = "footnote"'), "field 'kind' must be one of named, numbered"),
        (('key = "Nan et al."', 'key = "1"'), "[[citations]] key '1' appears twice"),
        (('pmid = "34642489"', 'pmid = 34642489'), "field 'pmid' must be a non-empty string"),
        (('pages = "1797-1805"', 'page = "1797-1805"'), "[[citations]] #1: unknown field(s) 'page'"),
    ],
)
def test_review_errors(tmp_path, change, message):
    with pytest.raises(CorpusError) as error:
        load_review(write(tmp_path, "r1.toml", REVIEW.replace(*change)))
    assert message in str(error.value)


def test_claims_are_transcribed_claims_with_facts(tmp_path):
    first, second = load_claims(write(tmp_path, "r1.claims.toml", CLAIMS))

    assert (first.claim_id, first.cites, first.kind) == ("c01", ("1",), "numeric")
    (fact,) = first.facts
    assert (fact.endpoint, fact.stat, fact.value, fact.unit, fact.timepoint_months) == ("OS", "rate", 60.0, "%", 12.0)
    assert (second.cites, second.facts) == ((), ())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('endpoint = "OS"', 'endpoint = "SURVIVAL"'), "[[facts]] #1: field 'endpoint' must be one of"),
        (('unit = "%"', 'unit = "percent"'), "field 'unit' must be one of"),
        (('endpoint = "OS"', 'endpoint = "OTHER"'), "endpoint OTHER needs a 'label'"),
        (('claim_id = "c02"', 'claim_id = "c01"'), "claim_id 'c01' appears twice"),
        (('kind = "numeric"', 'kind = "qualitative"'), "a fact has a value: use 'numeric'"),
        (("value = 60", "value = true"), "field 'value' must be a number"),
    ],
)
def test_claims_errors(tmp_path, change, message):
    with pytest.raises(CorpusError, match="r1.claims.toml") as error:
        load_claims(write(tmp_path, "r1.claims.toml", CLAIMS.replace(*change, 1)))
    assert message in str(error.value)
