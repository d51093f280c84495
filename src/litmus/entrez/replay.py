"""Replay and record E-utilities answers as files under `corpus/entrez/`.

Layout (all plain files, reviewable in a diff):

    corpus/entrez/<utility>/<digest>.<xml|txt>      one answer per normalised request
    corpus/entrez/<utility>/<digest>.request       the normalised request, one line
    corpus/entrez/pubmed/<pmid>.xml                one <PubmedArticle> per PMID
    corpus/entrez/pubmed/<pmid>.absent             asked for, but NCBI returned no record

EFetch of PubMed records by id list is stored per PMID and re-assembled on replay, so the replay
does not depend on how the client happened to batch its ids.
"""

from __future__ import annotations

import re
from pathlib import Path

from litmus.entrez.requests import EntrezRequest, EntrezResponse

PUBMED_SET_HEADER = (
    b'<?xml version="1.0" ?>\n'
    b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    b"<PubmedArticleSet>\n"
)
PUBMED_SET_FOOTER = b"</PubmedArticleSet>\n"
_ARTICLE_PATTERN = re.compile(rb"<PubmedArticle>.*?</PubmedArticle>", re.DOTALL)
_PMID_PATTERN = re.compile(rb"<PMID[^>]*>\s*(\d+)\s*</PMID>")


class ReplayMiss(LookupError):
    """The replay corpus holds no answer for a request."""

    def __init__(self, request: EntrezRequest, detail: str = ""):
        self.request = request
        message = (
            f"no stored E-utilities answer for {request.describe()}"
            + (f" ({detail})" if detail else "")
            + ". Record it once with network access: run the same command with `--live --record` "
            "(`litmus run`, `litmus ingest` and `litmus update` take both; needs NCBI_EMAIL), or add it to corpus/entrez/."
        )
        super().__init__(message)


def is_pubmed_fetch_by_id(request: EntrezRequest) -> bool:
    return (
        request.utility == "efetch"
        and request.param("db") == "pubmed"
        and bool(request.ids)
        and request.param("WebEnv") is None
        and request.param("retmode", "xml") == "xml"
    )


def split_pubmed_articles(body: bytes) -> dict[str, bytes]:
    """Cut an EFetch PubmedArticleSet into its articles, keyed by PMID (first PMID in each)."""
    articles: dict[str, bytes] = {}
    for match in _ARTICLE_PATTERN.finditer(body):
        chunk = match.group(0)
        pmid = _PMID_PATTERN.search(chunk)
        if pmid:
            articles[pmid.group(1).decode()] = chunk
    return articles


def pubmed_article_set(articles: list[bytes]) -> bytes:
    return PUBMED_SET_HEADER + b"\n".join(articles) + b"\n" + PUBMED_SET_FOOTER


class ReplayStore:
    """Reads and writes stored answers; knows nothing of HTTP."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _answer_path(self, request: EntrezRequest) -> Path:
        suffix = "txt" if request.utility == "ecitmatch" or request.param("retmode") == "text" else "xml"
        return self.root / request.utility / f"{request.digest}.{suffix}"

    def article_path(self, pmid: str) -> Path:
        if not pmid.isdigit():
            raise ValueError(f"PMID must be digits, got {pmid!r}")
        return self.root / "pubmed" / f"{pmid}.xml"

    def load(self, request: EntrezRequest) -> bytes:
        if is_pubmed_fetch_by_id(request):
            return self._load_articles(request)
        path = self._answer_path(request)
        if not path.is_file():
            raise ReplayMiss(request)
        return path.read_bytes()

    def _load_articles(self, request: EntrezRequest) -> bytes:
        articles, missing = [], []
        for pmid in request.ids:
            path = self.article_path(pmid)
            if path.is_file():
                articles.append(path.read_bytes().strip())
            elif not path.with_suffix(".absent").is_file():
                missing.append(pmid)
        if missing:
            raise ReplayMiss(request, f"PMIDs not in the corpus: {', '.join(missing)}")
        return pubmed_article_set(articles)

    def save(self, request: EntrezRequest, body: bytes) -> list[Path]:
        if is_pubmed_fetch_by_id(request):
            written = []
            articles = split_pubmed_articles(body)
            for pmid, article in articles.items():
                written.append(self._write(self.article_path(pmid), article + b"\n"))
            # Remember what NCBI did not return, so a replay reports the same PMIDs missing.
            for pmid in request.ids:
                if pmid not in articles and not self.article_path(pmid).is_file():
                    written.append(self._write(self.article_path(pmid).with_suffix(".absent"), b""))
            return written
        path = self._answer_path(request)
        self._write(path.with_suffix(".request"), (request.canonical + "\n").encode())
        return [self._write(path, body)]

    def save_article(self, pmid: str, article_xml: bytes) -> Path:
        return self._write(self.article_path(pmid), article_xml.strip() + b"\n")

    @staticmethod
    def _write(path: Path, data: bytes) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        return path


class ReplayTransport:
    """Answers every request from the store; never touches the network."""

    def __init__(self, root: Path):
        self.store = ReplayStore(root)
        self.requests: list[EntrezRequest] = []

    def send(self, request: EntrezRequest) -> EntrezResponse:
        self.requests.append(request)
        return EntrezResponse(200, self.store.load(request), {}, request)

    def close(self) -> None:
        pass


class RecordingTransport:
    """Passes requests to another transport and saves the answers the client accepted.

    Saving happens in `accept`, which `EntrezClient` calls only after it validated an answer, so
    a truncated body or an `<ERROR>` page NCBI sent with HTTP 200 never lands in the corpus.
    """

    def __init__(self, inner, root: Path):
        self.inner = inner
        self.store = ReplayStore(root)

    @property
    def requests(self) -> list[EntrezRequest]:
        return getattr(self.inner, "requests", [])

    def send(self, request: EntrezRequest) -> EntrezResponse:
        return self.inner.send(request)

    def redact(self, text: str) -> str:
        inner_redact = getattr(self.inner, "redact", None)
        return inner_redact(text) if inner_redact is not None else text

    def accept(self, request: EntrezRequest, response: EntrezResponse) -> None:
        if response.status == 200:
            self.store.save(request, response.body)
        inner_accept = getattr(self.inner, "accept", None)
        if inner_accept is not None:
            inner_accept(request, response)

    def close(self) -> None:
        self.inner.close()
