"""`EntrezClient`: E-utilities as Python calls — batching, history server, validation, retries.

The client only sees a transport (`send(request) -> response`, `close()`), so the same code runs
against NCBI (`LiveTransport`), a replay corpus (`ReplayTransport`) or a recorder wrapping either.
Retries live here, not in the transport, so they apply whatever the transport is.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from litmus.entrez.dtd import entrez_read
from litmus.entrez.errors import EntrezError, EntrezQueryError, MissingDTDError, TransportError
from litmus.entrez.requests import EntrezRequest, EntrezResponse
from litmus.entrez.retry import RetryPolicy
from litmus.entrez.validation import AnswerFormat, Problem, check_answer, excerpt
from litmus.records import DeletedCitation, PubmedRecord

logger = logging.getLogger("litmus.entrez")

MAX_BATCH_SIZE = 10_000  # NCBI's ceiling for one EFetch


@dataclass(frozen=True)
class SearchResult:
    count: int
    ids: list[str]
    retstart: int = 0
    retmax: int = 0
    webenv: str | None = None
    query_key: str | None = None
    query_translation: str | None = None
    errors: tuple[str, ...] = ()  # "PhraseNotFound: abcXYZ": parts of the term PubMed ignored
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class HistoryHandle:
    """A set of ids kept on NCBI's history server."""

    webenv: str
    query_key: str


@dataclass(frozen=True)
class CitationQuery:
    """One citation for ECitMatch; `key` comes back with the answer."""

    key: str
    journal: str | None = None
    year: int | str | None = None
    volume: str | None = None
    first_page: str | None = None
    author: str | None = None  # "mann bj": surname and initials

    def bdata_line(self) -> str:
        fields = (self.journal, self.year, self.volume, self.first_page, self.author, self.key)
        return "|".join(_citmatch_field(value) for value in fields) + "|"


@dataclass
class FetchResult:
    """What EFetch returned for the PMIDs asked, and which of them it did not return."""

    asked: list[str]
    records: list[PubmedRecord] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    @property
    def returned(self) -> set[str]:
        return {record.pmid for record in self.records}

    @property
    def missing(self) -> list[str]:
        returned = self.returned
        return [pmid for pmid in self.asked if pmid not in returned]

    @property
    def unexpected(self) -> list[str]:
        """PMIDs returned but not asked for (NCBI may answer a merged PMID with its successor)."""
        asked = set(self.asked)
        return [record.pmid for record in self.records if record.pmid not in asked]

    def summary(self) -> str:
        text = f"asked {len(self.asked)}, got {len(self.records)}"
        missing = self.missing
        if missing:
            text += f", missing: {', '.join(missing)}"
        return text


class EntrezClient:
    def __init__(
        self,
        transport,
        *,
        retry: RetryPolicy | None = None,
        batch_size: int = 200,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if not 1 <= batch_size <= MAX_BATCH_SIZE:
            raise ValueError(f"batch_size must be between 1 and {MAX_BATCH_SIZE}, got {batch_size}")
        self.transport = transport
        self.retry = retry or RetryPolicy()
        self.batch_size = batch_size
        self._sleep = sleep
        self.requests_sent = 0  # every attempt handed to the transport, retries and replay misses included

    def __enter__(self) -> "EntrezClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.transport.close()

    # ------------------------------------------------------------------ the one way out

    def call(self, request: EntrezRequest, expected: AnswerFormat = "xml") -> EntrezResponse:
        """Send `request` until it yields a usable answer; raise `EntrezError` when it never does."""
        policy = self.retry
        for attempt in range(1, policy.max_attempts + 1):
            response, problem = self._attempt(request, expected)
            if problem is None:
                accept = getattr(self.transport, "accept", None)
                if accept is not None:  # lets a recorder keep only answers that passed validation
                    accept(request, response)
                return response
            if not problem.transient:
                raise EntrezQueryError(
                    f"NCBI refused {request.describe()}: {problem.reason}. "
                    "Retrying will not help: check the term, database and ids.",
                    utility=request.utility, attempts=attempt, status=response.status,
                )
            if attempt < policy.max_attempts:
                delay = policy.delay(attempt, problem.retry_after)
                logger.warning(
                    "E-utilities %s attempt %d of %d failed (%s); retrying in %.2f s",
                    request.utility, attempt, policy.max_attempts, problem.reason, delay,
                )
                self._sleep(delay)
        raise EntrezError(
            f"E-utilities {request.utility} failed after {policy.max_attempts} attempts "
            f"(last: {problem.reason}) for {request.describe()}. NCBI may be down or throttling: "
            "try again later, and set an API key (NCBI_API_KEY) to be allowed 10 requests/s.",
            utility=request.utility,
            attempts=policy.max_attempts,
            status=response.status if response is not None else None,
        )

    def _attempt(
        self, request: EntrezRequest, expected: AnswerFormat
    ) -> tuple[EntrezResponse | None, Problem | None]:
        self.requests_sent += 1
        try:
            response = self.transport.send(request)
        except TransportError as error:  # ReplayMiss and bugs are not retried: they propagate
            return None, Problem(self._redact(str(error)), transient=True)
        problem = check_answer(response, expected, self.retry.retry_statuses)
        if problem is not None:
            problem = replace(problem, reason=self._redact(problem.reason))
        return response, problem

    def _redact(self, text: str) -> str:
        """Blank the API key out of text from the wire, which NCBI may echo (its 429 body does)."""
        redact = getattr(self.transport, "redact", None)
        return redact(text) if redact is not None else text

    def _read(self, request: EntrezRequest):
        body = self.call(request).body
        try:
            # validate=False: a tag NCBI adds to its DTDs later is skipped instead of failing the run.
            return entrez_read(body, validate=False)
        except MissingDTDError:
            raise
        except Exception as error:  # Bio.Entrez raises ValueError, RuntimeError and its own types
            raise EntrezError(
                self._redact(
                    f"could not read the {request.utility} answer to {request.describe()}: {error}. "
                    f"It starts: {excerpt(body)}"
                ),
                utility=request.utility,
            ) from error

    # ------------------------------------------------------------------ utilities

    def esearch(
        self,
        term: str,
        *,
        db: str = "pubmed",
        retmax: int = 20,
        retstart: int = 0,
        usehistory: bool = False,
        sort: str | None = None,
        datetype: str | None = None,
        mindate: str | None = None,
        maxdate: str | None = None,
        reldate: int | None = None,
    ) -> SearchResult:
        if (mindate is None) != (maxdate is None):
            raise ValueError("ESearch needs mindate and maxdate together (e.g. 2020/01/01 and 2022/12/31)")
        request = EntrezRequest.build(
            "esearch", db=db, term=term, retmax=retmax, retstart=retstart,
            usehistory="y" if usehistory else None, sort=sort, datetype=datetype,
            mindate=mindate, maxdate=maxdate, reldate=reldate,
        )
        return parse_search_result(self._read(request))

    def epost(self, ids: Iterable[str], db: str = "pubmed") -> HistoryHandle:
        ids = list(ids)
        if not ids:
            raise ValueError("EPost needs at least one id")
        result = self._read(EntrezRequest.build("epost", db=db, id=ids))
        return HistoryHandle(webenv=str(result["WebEnv"]), query_key=str(result["QueryKey"]))

    def esummary(self, ids: Iterable[str], db: str = "pubmed") -> list[dict]:
        summaries: list[dict] = []
        for batch in _batches(list(ids), self.batch_size):
            summaries.extend(dict(s) for s in self._read(EntrezRequest.build("esummary", db=db, id=batch)))
        return summaries

    def elink(
        self,
        ids: Iterable[str],
        *,
        dbfrom: str = "pubmed",
        db: str = "pubmed",
        linkname: str | None = None,
        cmd: str = "neighbor",
    ) -> dict[str, list[str]]:
        """Linked ids by link name (e.g. "pubmed_pubmed_citedin"), merged over all `ids`."""
        request = EntrezRequest.build(
            "elink", dbfrom=dbfrom, db=db, id=list(ids), linkname=linkname, cmd=cmd
        )
        links: dict[str, list[str]] = {}
        for linkset in self._read(request):
            for linkset_db in linkset.get("LinkSetDb", []):
                target = links.setdefault(str(linkset_db["LinkName"]), [])
                target.extend(str(link["Id"]) for link in linkset_db.get("Link", []))
        return {name: list(dict.fromkeys(found)) for name, found in links.items()}

    def ecitmatch(self, queries: list[CitationQuery]) -> dict[str, str | None]:
        """PMID per citation key; None when NCBI found no match or several."""
        if not queries:
            return {}
        keys = [query.key for query in queries]
        if len(set(keys)) != len(keys):
            raise ValueError("ECitMatch citation keys must be unique")
        bdata = "\r".join(query.bdata_line() for query in queries)
        request = EntrezRequest.build("ecitmatch", db="pubmed", retmode="xml", bdata=bdata)
        found = parse_ecitmatch(self.call(request, expected="text").text)
        return {key: found.get(_citmatch_field(key)) for key in keys}

    def efetch_pubmed_xml(
        self, pmids: Iterable[str], *, use_history: bool | None = None
    ) -> Iterator[bytes]:
        """Raw PubmedArticleSet XML, one body per batch of at most `batch_size` PMIDs.

        More PMIDs than one batch go through the history server (one EPost, then EFetch pages
        by WebEnv), as NCBI recommends for large sets; `use_history` forces either way.
        """
        ids = validated_pmids(pmids)
        if not ids:
            return
        if use_history is None:
            use_history = len(ids) > self.batch_size
        if not use_history:
            for batch in _batches(ids, self.batch_size):
                yield self.call(EntrezRequest.build("efetch", db="pubmed", retmode="xml", id=batch)).body
            return
        handle = self.epost(ids)
        for retstart in range(0, len(ids), self.batch_size):
            request = EntrezRequest.build(
                "efetch", db="pubmed", retmode="xml", WebEnv=handle.webenv,
                query_key=handle.query_key, retstart=retstart, retmax=self.batch_size,
            )
            yield self.call(request).body

    def fetch_records(self, pmids: Iterable[str], *, use_history: bool | None = None) -> FetchResult:
        """Parsed PubMed records for `pmids`, and which PMIDs NCBI did not return."""
        from litmus.pubmed import iter_pubmed_xml  # a sibling stage; imported only when used

        asked = validated_pmids(pmids)
        result = FetchResult(asked=asked)
        for body in self.efetch_pubmed_xml(asked, use_history=use_history):
            for item in iter_pubmed_xml(body):
                if isinstance(item, DeletedCitation):
                    result.deleted.append(item.pmid)
                else:
                    result.records.append(item)
        return result

    def efetch_pmc_jats(self, pmcid: str) -> bytes:
        """Full-text JATS XML of one PMC article ("PMC1234567" or "1234567")."""
        number = str(pmcid).strip().upper().removeprefix("PMC")
        if not number.isdigit():
            raise ValueError(f"PMCID must look like PMC1234567, got {pmcid!r}")
        return self.call(EntrezRequest.build("efetch", db="pmc", id=number, retmode="xml")).body


# ---------------------------------------------------------------------- pure helpers


def validated_pmids(pmids: Iterable[str]) -> list[str]:
    """PMIDs as digit strings, duplicates dropped, first-seen order kept."""
    if isinstance(pmids, (str, bytes)):
        raise TypeError("pass PMIDs as a list of strings, not one string")
    cleaned: dict[str, None] = {}
    for pmid in pmids:
        text = str(pmid).strip()
        if not text.isdigit() or not text.isascii():
            raise ValueError(f"not a PMID (digits only): {pmid!r}")
        cleaned[text] = None
    return list(cleaned)


def parse_search_result(result) -> SearchResult:
    def flatten(section) -> tuple[str, ...]:
        return tuple(
            f"{kind}: {value}"
            for kind, values in (section or {}).items()
            for value in (values if isinstance(values, list) else [values])
        )

    return SearchResult(
        count=int(result["Count"]),
        ids=[str(pmid) for pmid in result.get("IdList", [])],
        retstart=int(result.get("RetStart", 0)),
        retmax=int(result.get("RetMax", 0)),
        webenv=str(result["WebEnv"]) if "WebEnv" in result else None,
        query_key=str(result["QueryKey"]) if "QueryKey" in result else None,
        query_translation=str(result["QueryTranslation"]) if "QueryTranslation" in result else None,
        errors=flatten(result.get("ErrorList")),
        warnings=flatten(result.get("WarningList")),
    )


def parse_ecitmatch(text: str) -> dict[str, str | None]:
    """`journal|year|volume|page|author|key|PMID` lines -> {key: PMID or None}."""
    found: dict[str, str | None] = {}
    for line in text.splitlines():
        fields = line.strip().split("|")
        if len(fields) < 7:
            continue
        answer = fields[6].strip()
        found[fields[5].strip()] = answer if answer.isdigit() else None
    return found


def _citmatch_field(value: object) -> str:
    # "|" separates fields and "\r" separates citations in ECitMatch's bdata.
    return "" if value is None else " ".join(str(value).replace("|", " ").split())


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
