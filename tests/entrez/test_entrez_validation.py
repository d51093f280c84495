"""Which answers are usable, which deserve a retry, which are final — on real NCBI bodies too."""

from __future__ import annotations

import pytest

from litmus.entrez import EntrezResponse
from litmus.entrez.validation import check_answer, excerpt, is_transient_error_message

REAL = "entrez-responses/biopython"


def answer(body: bytes, status: int = 200, **headers: str) -> EntrezResponse:
    return EntrezResponse(status, body, headers)


def test_well_formed_answers_pass(shared_data):
    for name in ("esearch/esearch1.xml", "epost/epost1.xml", "efetch_pubmed/pubmed2.xml", "elink/elink1.xml"):
        assert check_answer(answer((shared_data / REAL / name).read_bytes())) is None, name


def test_real_error_answers_are_permanent(shared_data):
    for name in ("epost/epost2.xml", "epost/epost3.xml", "esummary/esummary8.xml"):
        problem = check_answer(answer((shared_data / REAL / name).read_bytes()))
        assert problem is not None and not problem.transient, name
        assert "ERROR" in problem.reason


def test_real_truncated_answer_is_transient(shared_data):
    problem = check_answer(answer((shared_data / REAL / "einfo/einfo4.xml").read_bytes()))
    assert problem.transient and "truncated" in problem.reason


@pytest.mark.parametrize(
    "body, transient",
    [
        (b"", True),
        (b"   \n", True),
        (b"<eSearchResult><Count>1</Count>", True),
        (b"<html><body>502 Bad Gateway</body></html>", True),
        (b"<eFetchResult><ERROR>Search Backend failed: timeout</ERROR></eFetchResult>", True),
        (b"<eFetchResult><ERROR>Unable to obtain query #1</ERROR></eFetchResult>", True),
        (b"<ERROR>Database is not supported: nothere</ERROR>", False),
        (b"<eSearchResult><ERROR>Invalid query</ERROR></eSearchResult>", False),
    ],
)
def test_status_200_bodies(body, transient):
    problem = check_answer(answer(body))
    assert problem is not None and problem.transient is transient


def test_statuses_and_retry_after():
    assert check_answer(answer(b"", 429, **{"retry-after": "3"})).retry_after == 3.0
    assert check_answer(answer(b"x", 503)).transient
    assert not check_answer(answer(b"Bad Request", 400)).transient
    assert "Bad Request" in check_answer(answer(b"Bad Request", 400)).reason


def test_text_answers():
    assert check_answer(answer(b"j|1991|88|3248|mann bj|k|2014248\n"), "text") is None
    assert check_answer(answer(b"<ERROR>Invalid bdata</ERROR>"), "text").transient is False
    assert check_answer(answer(b"<html>oops</html>"), "text").transient is True


def test_error_messages_classified():
    assert is_transient_error_message("Search Backend failed: Couldn't resolve #exec_server")
    assert not is_transient_error_message("Some IDs have invalid value and were omitted")
    assert not is_transient_error_message("Empty ID list; Nothing to store")


def test_excerpt_blanks_keys_and_stays_on_one_line():
    text = excerpt(b'{"error":"API rate limit exceeded",\n"api-key":"abc123"} ?api_key=zzz&x=1')
    assert "abc123" not in text and "zzz" not in text and "\n" not in text
    assert excerpt(b"a" * 500, limit=10) == "a" * 10 + "…"
