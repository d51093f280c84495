"""Rebuilding the offline replay corpus without network access.

`CorpusAnswerTransport` answers the E-utilities requests a run makes from what we know for
certain — the papers transcribed in corpus/papers (real PMIDs and DOIs) — and refuses
everything else with `ReplayMiss`, so the replay never claims an answer NCBI did not give
us: a DOI whose PMID we do not know stays unresolved offline. Recording the default run
through it writes exactly the replay files the default run needs:

    .venv/bin/python tools/record_review_answers.py
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence
from xml.sax.saxutils import escape

from litmus.entrez.replay import ReplayMiss, ReplayStore, is_pubmed_fetch_by_id
from litmus.entrez.requests import EntrezRequest, EntrezResponse
from litmus.records import PubmedRecord

ESEARCH_DOCTYPE = (
    '<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
    '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">'
)
DOI_TERM = re.compile(r'^"?(?P<doi>10\.\d{4,9}/[^"\s]+)"?\s*\[(?:doi|DOI|AID|aid)\]$')


def esearch_answer(ids: Sequence[str], term: str) -> bytes:
    id_list = "".join(f"<Id>{pmid}</Id>" for pmid in ids)
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        f"{ESEARCH_DOCTYPE}\n"
        f"<eSearchResult><Count>{len(ids)}</Count><RetMax>{len(ids)}</RetMax><RetStart>0</RetStart>"
        f"<IdList>{id_list}</IdList><TranslationSet/>"
        f"<QueryTranslation>{escape(term)}</QueryTranslation></eSearchResult>\n"
    ).encode()


class CorpusAnswerTransport:
    """A transport that knows only our transcribed papers."""

    def __init__(self, papers: Sequence[PubmedRecord], entrez_dir: Path):
        self.by_doi = {p.doi.lower(): p.pmid for p in papers if p.doi}
        self.store = ReplayStore(entrez_dir)
        self.requests: list[EntrezRequest] = []

    def send(self, request: EntrezRequest) -> EntrezResponse:
        self.requests.append(request)
        if request.utility == "esearch" and request.param("db", "pubmed") == "pubmed":
            match = DOI_TERM.match(request.param("term") or "")
            if match and match.group("doi").lower() in self.by_doi:
                body = esearch_answer([self.by_doi[match.group("doi").lower()]], request.param("term"))
                return EntrezResponse(200, body, {}, request)
        if is_pubmed_fetch_by_id(request):
            return EntrezResponse(200, self.store.load(request), {}, request)
        raise ReplayMiss(request, "not among the papers transcribed in corpus/papers")

    def close(self) -> None:
        pass


def record_review_answers(review_path: Path, papers_dir: Path, entrez_dir: Path):
    """Run the real resolver and fetch for a review through `CorpusAnswerTransport`, saving
    every answer it gives under `entrez_dir`; returns the resolution report."""
    from litmus.corpus.sources import load_papers, load_review
    from litmus.entrez.client import EntrezClient
    from litmus.entrez.replay import RecordingTransport
    from litmus.references.resolve import resolve_citations

    papers = load_papers(papers_dir)
    answers = CorpusAnswerTransport(papers, entrez_dir)
    client = EntrezClient(RecordingTransport(answers, entrez_dir))
    report = resolve_citations(load_review(review_path), client)
    pmids = [r.pmid for r in report.resolutions if r.resolved]
    if pmids:
        client.fetch_records(pmids)
    return report


def main(argv: list[str] | None = None) -> int:
    import argparse

    from litmus.paths import corpus_dir
    from litmus.reviews import default_review_path

    root = corpus_dir()
    parser = argparse.ArgumentParser(
        prog="tools/record_review_answers.py",
        description="Record the E-utilities answers a run of the review needs, from the papers in corpus/papers.",
    )
    parser.add_argument("--review", type=Path, default=default_review_path(), help="review TOML (default: %(default)s)")
    parser.add_argument("--papers", type=Path, default=root / "papers", help="folder of <pmid>.toml (default: %(default)s)")
    parser.add_argument("--entrez", type=Path, default=root / "entrez", help="replay corpus root (default: %(default)s)")
    arguments = parser.parse_args(argv)
    report = record_review_answers(arguments.review, arguments.papers, arguments.entrez)
    print(report.summary())
    print(f"replay answers for {arguments.review.name} written under {arguments.entrez}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
