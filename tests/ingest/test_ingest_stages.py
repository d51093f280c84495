"""Ingest stages on the shipped replay corpus, without Prefect: resolution, fetch, reuse."""

from __future__ import annotations

import pytest

from litmus.entrez.client import EntrezClient
from litmus.entrez.replay import ReplayTransport
from litmus.ingest import fetch_and_store, resolve_review
from litmus.paths import corpus_dir
from litmus.reviews import ReviewInputError, load_review_input
from litmus.settings import EntrezSettings, SettingsError
from litmus.warehouse import connect


@pytest.fixture
def client():
    return EntrezClient(ReplayTransport(corpus_dir() / "entrez"))


@pytest.fixture
def con(tmp_path):
    connection = connect(tmp_path / "w.duckdb")
    yield connection
    connection.close()


def test_the_shipped_transcription_resolves_by_doi_and_fetches_offline(con, client):
    review = load_review_input(None)
    outcome = resolve_review(con, review, client)
    resolved = {r.citation_key: (r.pmid, r.method) for r in outcome.resolved}
    assert resolved == {
        "2": ("33023981", "doi"), "5": ("34642489", "doi"), "6": ("32556247", "doi"),
        "8": ("34267187", "doi"), "Xiao et al.": ("36091028", "doi"),
    }
    fetched = fetch_and_store(con, client, [r.pmid for r in outcome.resolved], source="replay")
    assert (fetched.stored, fetched.missing) == (5, [])


def test_stored_papers_and_resolutions_are_not_asked_again(con, client):
    review = load_review_input(None)
    first = resolve_review(con, review, client)
    fetch_and_store(con, client, [r.pmid for r in first.resolved], source="replay")
    client.transport.requests.clear()
    second = resolve_review(con, review, client)
    fetched = fetch_and_store(con, client, [r.pmid for r in second.resolved], source="replay")
    assert second.reused == 5 and fetched.stored == 0 and fetched.already_stored == 5
    asked_for_papers = [r for r in client.transport.requests if r.utility == "efetch"]
    assert asked_for_papers == []
    # Only the citations still unresolved are tried again.
    assert {r.param("term") for r in client.transport.requests if r.utility == "esearch"}.isdisjoint(
        {'"10.1038/s41591-021-01497-1"[doi]'}
    )


def test_the_shared_editorial_as_markdown_resolves_its_numbered_references(con, client, shared_reviews):
    review = load_review_input(shared_reviews / "zhang2022-editorial-car-t-resistance.md")
    outcome = resolve_review(con, review, client)
    assert {r.citation_key for r in outcome.resolved} == {"2", "5", "6", "8"}
    assert len(outcome.resolutions) == len(review.citations) == 16
    assert all(r.detail for r in outcome.unresolved)


def test_unreadable_review_inputs_say_what_to_give(tmp_path):
    with pytest.raises(ReviewInputError, match="neither a readable file nor a PMCID"):
        load_review_input(tmp_path / "missing.md")
    odd = tmp_path / "review.docx"
    odd.write_bytes(b"PK\x03\x04")
    with pytest.raises(ReviewInputError, match="use .toml, .md, .txt or .xml"):
        load_review_input(odd)
    binary = tmp_path / "review.md"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ReviewInputError, match="not UTF-8"):
        load_review_input(binary)
    with pytest.raises(ReviewInputError, match="--live"):
        load_review_input("PMC9460961")


def test_live_mode_needs_a_contact_address(monkeypatch):
    monkeypatch.delenv("NCBI_EMAIL", raising=False)
    with pytest.raises(SettingsError, match="NCBI_EMAIL"):
        EntrezSettings.from_flags(live=True)
    with pytest.raises(SettingsError, match="--live"):
        EntrezSettings.from_flags(record=True)
    monkeypatch.setenv("NCBI_EMAIL", "someone@example.org")
    monkeypatch.setenv("NCBI_API_KEY", "secret-key-123")
    settings = EntrezSettings.from_flags(live=True)
    assert settings.mode == "live" and "secret-key-123" not in repr(settings) + settings.describe()
