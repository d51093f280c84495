"""Citations -> PMIDs, trying the surest evidence first and saying what was tried when all fail.

Order: a PMID the source states; the DOI (ESearch `"<doi>"[doi]`, accepted only when exactly one
record has it); ECitMatch on journal/year/volume/first page/first author (one batched call for
the whole review); the title (ESearch `[Title]`, ESummary of the first candidates, accepted when
the normalised title is nearly the same and the year within one). A step that fails, because
NCBI has no answer, several answers, or the offline corpus lacks the answer, hands over to the
next; nothing short of a bug stops the review, so every citation gets exactly one `Resolution`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from litmus.entrez import CitationQuery, EntrezError, ReplayMiss
from litmus.identifiers import pmid_problem
from litmus.records import Citation, Resolution, Review
from litmus.references.similarity import title_similarity

SEARCH_RETMAX = 5  # ids asked per ESearch: enough to see a DOI is ambiguous, and title candidates
YEAR_TOLERANCE = 1  # online-first and print years often differ by one
OFFLINE_MISS = "offline corpus has no answer for this request; run with --live to resolve"
NOTHING_TO_SEARCH = "no DOI, title or journal/volume/page to search by"


@dataclass(frozen=True)
class ResolutionReport:
    review_id: str
    resolutions: list[Resolution]
    # E-utilities calls made per method ("doi", "ecitmatch", "title"), failed ones included;
    # retries inside the client are not counted.
    requests: dict[str, int] = field(default_factory=dict)
    # Citations left unresolved after a lookup that got no answer (NCBI failed, or the offline corpus
    # has none): not a negative answer, so an earlier resolution of them still stands (litmus.ingest).
    lookup_failed: frozenset[str] = frozenset()
    ncbi_failed: frozenset[str] = frozenset()  # those of them whose lookup NCBI itself failed

    @property
    def resolved(self) -> list[Resolution]:
        return [r for r in self.resolutions if r.resolved]

    @property
    def unresolved(self) -> list[Resolution]:
        return [r for r in self.resolutions if not r.resolved]

    def summary(self) -> str:
        methods = Counter(r.method for r in self.resolved)
        by_method = ", ".join(f"{method} {count}" for method, count in sorted(methods.items()))
        return (
            f"{self.review_id}: {len(self.resolved)} of {len(self.resolutions)} citations resolved"
            + (f" ({by_method})" if by_method else "")
            + f"; {sum(self.requests.values())} E-utilities requests"
        )


@dataclass
class _Attempt:
    citation: Citation
    notes: list[str] = field(default_factory=list)
    resolution: Resolution | None = None
    lookup_failed: bool = False
    ncbi_failed: bool = False


def resolve_citations(review: Review, client, *, min_title_similarity: float = 0.9) -> ResolutionReport:
    """One `Resolution` per citation of `review`, in order. `client` is an `EntrezClient`."""
    resolver = _Resolver(client, review.review_id, min_title_similarity)
    attempts = [_Attempt(citation) for citation in review.citations]
    for attempt in attempts:
        resolver.use_stated_pmid(attempt)
    for attempt in _pending(attempts):
        resolver.search_doi(attempt)
    resolver.match_citations(_pending(attempts))
    for attempt in _pending(attempts):
        resolver.search_title(attempt)
    return ResolutionReport(
        review_id=review.review_id,
        resolutions=[attempt.resolution or resolver.unresolved(attempt) for attempt in attempts],
        requests=dict(resolver.requests),
        lookup_failed=frozenset(a.citation.key for a in attempts if a.resolution is None and a.lookup_failed),
        ncbi_failed=frozenset(a.citation.key for a in attempts if a.resolution is None and a.ncbi_failed),
    )


def _pending(attempts: list[_Attempt]) -> list[_Attempt]:
    return [attempt for attempt in attempts if attempt.resolution is None]


def can_match_citation(citation: Citation) -> bool:
    """ECitMatch needs journal, year, volume, first page and first author all known."""
    return all(
        (citation.journal, citation.year, citation.volume, citation.first_page, citation.authors)
    )


def doi_search_term(doi: str) -> str:
    return f'"{doi.strip()}"[doi]'


def title_search_term(title: str) -> str:
    """PubMed query syntax characters (quotes, brackets, parentheses) would change the query."""
    cleaned = re.sub(r"[\"\[\]()*]", " ", title)
    return " ".join(cleaned.split()).rstrip(". ") + "[Title]"


def summary_year(summary: dict) -> int | None:
    match = re.search(r"\b\d{4}\b", str(summary.get("PubDate") or summary.get("EPubDate") or ""))
    return int(match.group(0)) if match else None


class _Resolver:
    def __init__(self, client, review_id: str, min_title_similarity: float):
        self.client = client
        self.review_id = review_id
        self.min_title_similarity = min_title_similarity
        self.requests: Counter[str] = Counter()

    def _resolved(self, attempt: _Attempt, pmid: str, method: str, confidence: float, note: str) -> None:
        attempt.notes.append(note)
        attempt.resolution = Resolution(
            self.review_id, attempt.citation.key, pmid, method, confidence, "; ".join(attempt.notes)
        )

    def unresolved(self, attempt: _Attempt) -> Resolution:
        detail = _condense_offline_misses(attempt.notes) or NOTHING_TO_SEARCH
        return Resolution(self.review_id, attempt.citation.key, None, "unresolved", 0.0, detail)

    def _call(self, method: str, label: str, attempts_to_tell: list[_Attempt], send):
        """`send()` one E-utilities call; on a replay miss or NCBI failure, note why and return None."""
        self.requests[method] += 1
        ncbi_failed = False
        try:
            return send()
        except ReplayMiss:
            failure = f"{label}: {OFFLINE_MISS}"
        except EntrezError as error:
            failure, ncbi_failed = f"{label}: NCBI request failed ({error})", True
        for attempt in attempts_to_tell:
            attempt.notes.append(failure)
            attempt.lookup_failed = True
            attempt.ncbi_failed = attempt.ncbi_failed or ncbi_failed
        return None

    # ------------------------------------------------------------------ the steps

    def use_stated_pmid(self, attempt: _Attempt) -> None:
        pmid = (attempt.citation.pmid or "").strip()
        if not pmid:
            return
        problem = pmid_problem(pmid)
        if problem:  # the other steps still run; the reason stays in the resolution's detail
            attempt.notes.append(f"stated PMID refused: {problem}")
            return
        self._resolved(attempt, pmid, "known_pmid", 1.0, f"PMID {pmid} stated by the source")

    def search_doi(self, attempt: _Attempt) -> None:
        doi = attempt.citation.doi
        if not doi:
            return
        term = doi_search_term(doi)
        result = self._call(
            "doi", "DOI search", [attempt], lambda: self.client.esearch(term, retmax=SEARCH_RETMAX)
        )
        if result is None:
            return
        if result.count == 1 and result.ids:
            self._resolved(attempt, result.ids[0], "doi", 1.0, f"DOI search: 1 hit for {doi}")
        elif result.count == 0:
            attempt.notes.append("DOI search: no hit")
        else:
            attempt.notes.append(f"DOI search: {result.count} hits ({', '.join(result.ids)}), not accepted")

    def match_citations(self, attempts: list[_Attempt]) -> None:
        by_key: dict[str, _Attempt] = {}
        for attempt in attempts:
            if can_match_citation(attempt.citation):
                key = attempt.citation.key
                while key in by_key:  # ECitMatch keys must be unique; reviews should not repeat one
                    key += "'"
                by_key[key] = attempt
        if not by_key:
            return
        queries = [citation_query(key, attempt.citation) for key, attempt in by_key.items()]
        found = self._call("ecitmatch", "ECitMatch", list(by_key.values()), lambda: self.client.ecitmatch(queries))
        if found is None:
            return
        for key, attempt in by_key.items():
            pmid = found.get(key)
            if pmid:
                self._resolved(attempt, pmid, "ecitmatch", 1.0, f"ECitMatch: PMID {pmid}")
            else:
                attempt.notes.append("ECitMatch: no single match")

    def search_title(self, attempt: _Attempt) -> None:
        title = attempt.citation.title
        if not title:
            return
        term = title_search_term(title)
        result = self._call(
            "title", "title search", [attempt], lambda: self.client.esearch(term, retmax=SEARCH_RETMAX)
        )
        if result is None:
            return
        if not result.ids:
            attempt.notes.append("title search: no hit")
            return
        ids = result.ids[:SEARCH_RETMAX]
        summaries = self._call(
            "title", "title search (ESummary)", [attempt], lambda: self.client.esummary(ids)
        )
        if summaries is not None:
            self._choose_by_title(attempt, summaries)

    def _choose_by_title(self, attempt: _Attempt, summaries: list[dict]) -> None:
        citation = attempt.citation
        scored = sorted(
            ((title_similarity(citation.title or "", str(s.get("Title", ""))), s) for s in summaries),
            key=lambda pair: pair[0],
            reverse=True,
        )
        rejections = []
        for similarity, summary in scored:
            pmid = str(summary.get("Id", "")).strip()
            year = summary_year(summary)
            if similarity < self.min_title_similarity:
                threshold = self.min_title_similarity
                rejections.append(f"PMID {pmid} title similarity {similarity:.2f} < {threshold:.2f}")
            elif citation.year and year and abs(citation.year - year) > YEAR_TOLERANCE:
                rejections.append(f"PMID {pmid} year {year} is not {citation.year}±{YEAR_TOLERANCE}")
            elif pmid.isascii() and pmid.isdigit():
                note = f"title search: PMID {pmid}, title similarity {similarity:.2f}"
                self._resolved(attempt, pmid, "title", round(similarity, 4), note)
                return
        attempt.notes.append("title search: no candidate accepted (" + "; ".join(rejections[:3]) + ")")


def citation_query(key: str, citation: Citation) -> CitationQuery:
    return CitationQuery(
        key=key,
        journal=citation.journal,
        year=citation.year,
        volume=citation.volume,
        first_page=citation.first_page,
        author=citation.authors[0],
    )


def _condense_offline_misses(notes: list[str]) -> str:
    """"DOI search, ECitMatch: offline corpus has no answer …" instead of the same words per step."""
    suffix = f": {OFFLINE_MISS}"
    missed = [note.removesuffix(suffix) for note in notes if note.endswith(suffix)]
    others = [note for note in notes if not note.endswith(suffix)]
    if len(missed) > 1:
        others.append(f"{', '.join(missed)}{suffix}")
    else:
        others.extend(note + suffix for note in missed)
    return "; ".join(others)
