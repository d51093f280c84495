"""A fake NCBI E-utilities server on 127.0.0.1 for tests of the real HTTP path.

    with FakeEutils() as server:
        server.add_records(["1", "2"])
        server.script("efetch", Fault.http(429, retry_after=0), Fault.truncated())
        transport = LiveTransport("me@example.org", base_url=server.base_url, ...)

What it serves (synthetic records written here; no third-party text):
- EFetch db=pubmed by `id` or by WebEnv/query_key/retstart/retmax: a PubmedArticleSet of the known
  PMIDs (unknown ones are silently left out, as NCBI does); db=pmc: a small JATS article.
- EPost and ESearch usehistory=y: a history server (WebEnv, query_key).
- ESearch: terms registered with `add_search`, any size (`add_search(term, count=25000)`), date
  filters (mindate/maxdate/reldate) against each id's date; unknown terms give Count 0 with
  ErrorList/PhraseNotFound like NCBI.
- ESummary (DocSum v1), ELink (registered links), ECitMatch (registered citations).
- Scripted faults per utility, consumed one per request: `script("efetch", Fault.http(503), …)`;
  "*" applies to any utility.
- `log` (every request: arrival time, utility, method, all parameters), `counts` per utility.
Answers carry NCBI's real DOCTYPEs, all bundled with Biopython, so parsing stays offline.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit
from xml.sax.saxutils import escape

ESEARCH_DOCTYPE = (
    '<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
    '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">'
)
EPOST_DOCTYPE = (
    '<!DOCTYPE ePostResult PUBLIC "-//NLM//DTD epost 20090526//EN" '
    '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20090526/epost.dtd">'
)
ESUMMARY_DOCTYPE = (
    '<!DOCTYPE eSummaryResult PUBLIC "-//NLM//DTD esummary v1 20041029//EN" '
    '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20041029/esummary-v1.dtd">'
)
ELINK_DOCTYPE = (
    '<!DOCTYPE eLinkResult PUBLIC "-//NLM//DTD elink 20101123//EN" '
    '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20101123/elink.dtd">'
)
PUBMED_DOCTYPE = (
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">'
)
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" ?>\n'
ROOT_BY_UTILITY = {
    "esearch": "eSearchResult", "epost": "ePostResult", "esummary": "eSummaryResult",
    "elink": "eLinkResult", "efetch": "eFetchResult", "einfo": "eInfoResult",
}


@dataclass(frozen=True)
class Fault:
    """One scripted misbehaviour, used for one request."""

    status: int = 200
    body: bytes | None = None  # None: the normal answer
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0  # seconds to wait before answering (a client timeout shorter than this fires)
    truncate: bool = False  # send the first half of the normal answer, correctly framed
    short_read: bool = False  # promise the full length, send half, hang up (IncompleteRead)
    disconnect: bool = False  # close the connection without any answer
    error_message: str | None = None  # HTTP 200 with <ERROR>message</ERROR>, NCBI style

    @classmethod
    def http(cls, status: int, *, retry_after: float | None = None, body: bytes = b"") -> "Fault":
        headers = (("Retry-After", f"{retry_after:g}"),) if retry_after is not None else ()
        return cls(status=status, body=body, headers=headers)

    @classmethod
    def slow(cls, seconds: float) -> "Fault":
        return cls(delay=seconds)

    @classmethod
    def truncated(cls) -> "Fault":
        return cls(truncate=True)

    @classmethod
    def incomplete(cls) -> "Fault":
        return cls(short_read=True)

    @classmethod
    def dropped(cls) -> "Fault":
        return cls(disconnect=True)

    @classmethod
    def error(cls, message: str = "Search Backend failed: temporary problem") -> "Fault":
        return cls(error_message=message)

    @classmethod
    def empty(cls) -> "Fault":
        return cls(body=b"")


@dataclass(frozen=True)
class LoggedRequest:
    time: float  # time.monotonic() when the request arrived
    utility: str
    method: str
    params: dict[str, str]  # identity parameters included: the server sees what NCBI would
    path: str = ""

    @property
    def ids(self) -> list[str]:
        raw = self.params.get("id", "")
        return [part for part in raw.split(",") if part]


@dataclass
class FakeRecord:
    pmid: str
    title: str
    pub_date: date
    journal: str = "Journal of Synthetic Tests"
    abstract: str = ""


@dataclass
class _Search:
    ids: list[str]
    dates: dict[str, date] = field(default_factory=dict)


def synthetic_article(record: FakeRecord) -> str:
    abstract = (
        f"<Abstract><AbstractText>{escape(record.abstract)}</AbstractText></Abstract>"
        if record.abstract else ""
    )
    d = record.pub_date
    return (
        '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">'
        f'<PMID Version="1">{record.pmid}</PMID>'
        '<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><Volume>1</Volume>'
        f"<PubDate><Year>{d.year}</Year><Month>{d.month:02d}</Month><Day>{d.day:02d}</Day></PubDate>"
        f"</JournalIssue><Title>{escape(record.journal)}</Title></Journal>"
        f"<ArticleTitle>{escape(record.title)}</ArticleTitle>{abstract}"
        "<AuthorList><Author><LastName>Tester</LastName><ForeName>Ada</ForeName><Initials>A</Initials>"
        "</Author></AuthorList><Language>eng</Language>"
        '<PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType>'
        "</PublicationTypeList></Article>"
        "<MedlineJournalInfo><MedlineTA>J Synth Tests</MedlineTA></MedlineJournalInfo>"
        "</MedlineCitation><PubmedData><ArticleIdList>"
        f'<ArticleId IdType="pubmed">{record.pmid}</ArticleId></ArticleIdList></PubmedData>'
        "</PubmedArticle>"
    )


def _parse_date(text: str, *, end: bool) -> date:
    parts = [int(p) for p in text.replace("-", "/").split("/") if p]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else (12 if end else 1)
    if len(parts) > 2:
        return date(year, month, parts[2])
    if not end:
        return date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


class FakeEutils:
    def __init__(self, today: date = date(2024, 6, 1)):
        self.today = today
        self.records: dict[str, FakeRecord] = {}
        self.searches: dict[str, _Search] = {}
        self.links: dict[tuple[str, str], list[str]] = {}
        self.citations: dict[tuple[str, str, str, str], str] = {}
        self.pmc_articles: dict[str, bytes] = {}
        self.history: dict[str, dict[str, list[str]]] = {}
        self.log: list[LoggedRequest] = []
        self.counts: Counter[str] = Counter()
        self._faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> "FakeEutils":
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._server.block_on_close = False  # a handler sleeping out a timeout must not hold us
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "FakeEutils":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/entrez/eutils/"

    # ------------------------------------------------------------------ configuration

    def add_record(
        self, pmid: str, *, title: str | None = None, pub_date: date = date(2020, 1, 15),
        abstract: str = "", journal: str = "Journal of Synthetic Tests",
    ) -> FakeRecord:
        record = FakeRecord(str(pmid), title or f"Synthetic article {pmid}", pub_date, journal, abstract)
        self.records[record.pmid] = record
        return record

    def add_records(self, pmids, **kwargs) -> None:
        for pmid in pmids:
            self.add_record(pmid, **kwargs)

    def add_search(
        self, term: str, pmids=None, *, count: int | None = None, first_pmid: int = 30_000_000,
        dates: dict[str, date] | None = None,
    ) -> list[str]:
        """Register the ids a term finds; `count` alone makes that many synthetic ids."""
        ids = [str(p) for p in pmids] if pmids is not None else [
            str(first_pmid + i) for i in range(count or 0)
        ]
        self.searches[term] = _Search(ids, dict(dates or {}))
        return ids

    def add_link(self, pmid: str, linkname: str, linked_ids) -> None:
        self.links[(str(pmid), linkname)] = [str(i) for i in linked_ids]

    def add_citation(self, journal: str, year, volume, first_page, pmid: str) -> None:
        self.citations[_citation_key(journal, year, volume, first_page)] = str(pmid)

    def add_pmc_article(self, pmcid_digits: str, jats: bytes) -> None:
        self.pmc_articles[str(pmcid_digits)] = jats

    def script(self, utility: str, *faults: Fault) -> None:
        """Queue faults for the next requests to `utility` ("*" for any utility)."""
        with self._lock:
            self._faults[utility].extend(faults)

    def pending_faults(self, utility: str = "*") -> int:
        return len(self._faults[utility])

    def requests_to(self, utility: str) -> list[LoggedRequest]:
        return [entry for entry in self.log if entry.utility == utility]

    def reset_log(self) -> None:
        with self._lock:
            self.log.clear()
            self.counts.clear()

    # ------------------------------------------------------------------ answers

    def _record_request(
        self, utility: str, method: str, params: dict[str, str], path: str = ""
    ) -> Fault | None:
        with self._lock:
            self.log.append(LoggedRequest(time.monotonic(), utility, method, params, path))
            self.counts[utility] += 1
            for queue_name in (utility, "*"):
                if self._faults[queue_name]:
                    return self._faults[queue_name].popleft()
        return None

    def answer(self, utility: str, params: dict[str, str]) -> tuple[int, bytes, str]:
        handler = getattr(self, f"_answer_{utility}", None)
        if handler is None:
            return 404, b"unknown utility", "text/plain"
        return handler(params)

    def _xml(self, doctype: str, body: str) -> tuple[int, bytes, str]:
        return 200, (XML_DECLARATION + doctype + "\n" + body + "\n").encode(), "text/xml"

    def _store_history(self, ids: list[str], webenv: str | None) -> tuple[str, str]:
        with self._lock:
            if webenv not in self.history:
                webenv = f"MCID_fake_{len(self.history) + 1:04d}"
                self.history[webenv] = {}
            query_key = str(len(self.history[webenv]) + 1)
            self.history[webenv][query_key] = list(ids)
        return webenv, query_key

    def _answer_epost(self, params):
        ids = [i for i in params.get("id", "").split(",") if i]
        if not ids:
            return self._xml(EPOST_DOCTYPE, _error_xml("ePostResult", "Empty ID list; Nothing to store"))
        webenv, query_key = self._store_history(ids, params.get("WebEnv"))
        return self._xml(
            EPOST_DOCTYPE,
            f"<ePostResult><QueryKey>{query_key}</QueryKey><WebEnv>{webenv}</WebEnv></ePostResult>",
        )

    def _search_ids(self, params) -> list[str] | None:
        search = self.searches.get(params.get("term", ""))
        if search is None:
            return None
        ids = search.ids
        low = high = None
        if params.get("mindate") and params.get("maxdate"):
            low = _parse_date(params["mindate"], end=False)
            high = _parse_date(params["maxdate"], end=True)
        elif params.get("reldate"):
            low, high = self.today - timedelta(days=int(params["reldate"])), self.today
        if low is not None:
            ids = [i for i in ids if low <= self._date_of(i, search) <= high]
        return ids

    def _date_of(self, pmid: str, search: _Search) -> date:
        if pmid in search.dates:
            return search.dates[pmid]
        record = self.records.get(pmid)
        return record.pub_date if record else date(2020, 1, 15)

    def _answer_esearch(self, params):
        term = params.get("term", "")
        ids = self._search_ids(params)
        if ids is None:
            return self._xml(
                ESEARCH_DOCTYPE,
                "<eSearchResult><Count>0</Count><RetMax>0</RetMax><RetStart>0</RetStart><IdList/>"
                f"<TranslationSet/><QueryTranslation>{escape(term)}</QueryTranslation>"
                f"<ErrorList><PhraseNotFound>{escape(term)}</PhraseNotFound></ErrorList>"
                "<WarningList><OutputMessage>No items found.</OutputMessage></WarningList></eSearchResult>",
            )
        retstart = int(params.get("retstart", 0))
        retmax = int(params.get("retmax", 20))
        page = ids[retstart : retstart + retmax]
        history = ""
        if params.get("usehistory") == "y":
            webenv, query_key = self._store_history(ids, params.get("WebEnv"))
            history = f"<QueryKey>{query_key}</QueryKey><WebEnv>{webenv}</WebEnv>"
        id_list = "".join(f"<Id>{i}</Id>" for i in page)
        return self._xml(
            ESEARCH_DOCTYPE,
            f"<eSearchResult><Count>{len(ids)}</Count><RetMax>{len(page)}</RetMax>"
            f"<RetStart>{retstart}</RetStart>{history}<IdList>{id_list}</IdList><TranslationSet/>"
            f"<QueryTranslation>{escape(term)}[All Fields]</QueryTranslation></eSearchResult>",
        )

    def _history_ids(self, params) -> list[str] | None:
        stored = self.history.get(params.get("WebEnv", ""), {}).get(params.get("query_key", ""))
        if stored is None:
            return None
        retstart = int(params.get("retstart", 0))
        retmax = int(params.get("retmax", 10_000))
        return stored[retstart : retstart + retmax]

    def _answer_efetch(self, params):
        if params.get("db") == "pmc":
            article = self.pmc_articles.get(params.get("id", ""))
            if article is None:
                return 200, b'<?xml version="1.0" ?>\n<pmc-articleset></pmc-articleset>\n', "text/xml"
            return 200, article, "text/xml"
        if "WebEnv" in params:
            ids = self._history_ids(params)
            if ids is None:
                return self._xml("", _error_xml("eFetchResult", "Cannot retrieve history data"))
        else:
            ids = [i for i in params.get("id", "").split(",") if i]
        articles = "\n".join(synthetic_article(self.records[i]) for i in ids if i in self.records)
        return self._xml(PUBMED_DOCTYPE, f"<PubmedArticleSet>\n{articles}\n</PubmedArticleSet>")

    def _answer_esummary(self, params):
        ids = [i for i in params.get("id", "").split(",") if i]
        if not ids:
            message = "Neither query_key nor id specified"
            return self._xml(ESUMMARY_DOCTYPE, _error_xml("eSummaryResult", message))
        docs = "".join(
            f'<DocSum><Id>{i}</Id><Item Name="PubDate" Type="Date">{self.records[i].pub_date.year}</Item>'
            f'<Item Name="Title" Type="String">{escape(self.records[i].title)}</Item></DocSum>'
            for i in ids if i in self.records
        )
        return self._xml(ESUMMARY_DOCTYPE, f"<eSummaryResult>{docs}</eSummaryResult>")

    def _answer_elink(self, params):
        ids = [i for i in params.get("id", "").split(",") if i]
        by_name: dict[str, list[str]] = defaultdict(list)
        for (pmid, linkname), linked in self.links.items():
            if pmid in ids and params.get("linkname") in (None, linkname):
                by_name[linkname].extend(linked)
        dbs = "".join(
            f"<LinkSetDb><DbTo>{params.get('db', 'pubmed')}</DbTo><LinkName>{name}</LinkName>"
            + "".join(f"<Link><Id>{i}</Id></Link>" for i in linked) + "</LinkSetDb>"
            for name, linked in by_name.items()
        )
        id_list = "".join(f"<Id>{i}</Id>" for i in ids)
        return self._xml(
            ELINK_DOCTYPE,
            f"<eLinkResult><LinkSet><DbFrom>{params.get('dbfrom', 'pubmed')}</DbFrom>"
            f"<IdList>{id_list}</IdList>{dbs}</LinkSet></eLinkResult>",
        )

    def _answer_ecitmatch(self, params):
        lines = []
        for line in params.get("bdata", "").split("\r"):
            fields = line.split("|")
            if len(fields) < 6:
                continue
            pmid = self.citations.get(_citation_key(*fields[:4]), "NOT_FOUND")
            lines.append("|".join(fields[:6]) + "|" + pmid)
        return 200, ("\n".join(lines) + "\n").encode(), "text/plain"


def _error_xml(root: str, message: str) -> str:
    return f"<{root}><ERROR>{escape(message)}</ERROR></{root}>"


def _citation_key(journal, year, volume, first_page) -> tuple[str, str, str, str]:
    return tuple(" ".join(str(v).lower().split()) for v in (journal, year, volume, first_page))


def _handler_for(fake: FakeEutils):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:
            self._serve(urlsplit(self.path).query)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            self._serve(self.rfile.read(length).decode())

        def _serve(self, query: str) -> None:
            utility = urlsplit(self.path).path.rsplit("/", 1)[-1].split(".")[0]
            params = dict(parse_qsl(query, keep_blank_values=True))
            path = urlsplit(self.path).path
            fault = fake._record_request(utility, self.command, params, path) or Fault()
            try:
                self._respond(fault, utility, params)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (its timeout fired): exactly what a slow fault is for

        def _respond(self, fault: Fault, utility: str, params: dict[str, str]) -> None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.disconnect:
                self.close_connection = True
                return
            if fault.error_message is not None:
                root = ROOT_BY_UTILITY.get(utility, "eResult")
                status, content_type = 200, "text/xml"
                body = (XML_DECLARATION + _error_xml(root, fault.error_message) + "\n").encode()
            elif fault.body is not None:
                status, body, content_type = fault.status, fault.body, "text/plain"
            else:
                status, body, content_type = fake.answer(utility, params)
            sent = body[: len(body) // 2] if (fault.truncate or fault.short_read) else body
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body) if fault.short_read else len(sent)))
            for name, value in fault.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(sent)
            if fault.short_read:
                self.close_connection = True

    return Handler
