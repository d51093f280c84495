"""The ingestion stages: a review's citations resolved, missing papers fetched and stored.

Each stage takes an open warehouse connection and an Entrez client and does one thing, so
the Prefect flow stays a thin sequence of tasks and every stage can be re-run alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Callable, Sequence

import duckdb

from litmus.entrez import EntrezError, ReplayMiss
from litmus.records import PubmedRecord, Resolution, Review
from litmus.references.resolve import ResolutionReport
from litmus.warehouse import load

log = logging.getLogger("litmus.ingest")

FETCH_BATCH_SIZE = 200  # PMIDs per EFetch request: NCBI's advice for a GET, and the client's default


@dataclass(frozen=True)
class ResolveOutcome(ResolutionReport):
    reused: int = 0  # resolved by an earlier run, not asked again
    kept: tuple[str, ...] = ()  # a refresh could not look these up: their earlier resolution was kept

    def failures(self) -> list[str]:
        """One line when NCBI failed lookups (an offline corpus without an answer is no failure)."""
        if not self.ncbi_failed:
            return []
        kept = [key for key in self.kept if key in self.ncbi_failed]
        kept_note = f"; earlier resolutions kept for {', '.join(kept)}" if kept else ""
        return [f"resolution: NCBI failed the lookup of {len(self.ncbi_failed)} citation(s) "
                f"({', '.join(sorted(self.ncbi_failed))}){kept_note}"]


@dataclass(frozen=True)
class FetchOutcome:
    requested: list[str]
    stored: int
    already_stored: int
    missing: list[str] = field(default_factory=list)
    failure: str | None = None  # a refresh that could not fetch: why (stored papers are kept as they were)

    def failures(self) -> list[str]:
        return [f"fetch: {self.failure}"] if self.failure else []

    @classmethod
    def combined(cls, outcomes: Sequence["FetchOutcome"]) -> "FetchOutcome":
        """One outcome for several batches."""
        return cls(
            requested=[p for o in outcomes for p in o.requested], stored=sum(o.stored for o in outcomes),
            already_stored=sum(o.already_stored for o in outcomes), missing=[p for o in outcomes for p in o.missing],
            failure="; ".join(o.failure for o in outcomes if o.failure) or None,
        )


def fetch_batches(pmids: Sequence[str], size: int = FETCH_BATCH_SIZE) -> list[list[str]]:
    """The PMIDs to fetch, without repeats, in batches of one EFetch request each."""
    unique = list(dict.fromkeys(pmids))
    return [unique[start : start + size] for start in range(0, len(unique), size)]


def previous_resolutions(con: duckdb.DuckDBPyConnection, review_id: str) -> dict[str, Resolution]:
    rows = con.execute(
        "SELECT citation_key, pmid, resolution_method, resolution_confidence, resolution_detail"
        " FROM citations WHERE review_id = ? AND pmid IS NOT NULL",
        [review_id],
    ).fetchall()
    return {key: Resolution(review_id, key, pmid, method, confidence, detail) for key, pmid, method, confidence, detail in rows}


def resolve_review(
    con: duckdb.DuckDBPyConnection, review: Review, client, *, refresh: bool = False
) -> ResolveOutcome:
    """Store the review, then resolve the citations no earlier run resolved."""
    from litmus.references.resolve import resolve_citations

    load.upsert_review(con, review)
    earlier = previous_resolutions(con, review.review_id)
    known = {} if refresh else earlier
    pending = [c for c in review.citations if c.key not in known]
    fresh: dict[str, Resolution] = {}
    requests: dict[str, int] = {}
    failed: frozenset[str] = frozenset()
    kept: dict[str, Resolution] = {}
    if pending:
        report = resolve_citations(replace(review, citations=tuple(pending)), client)
        fresh = {r.citation_key: r for r in report.resolutions}
        requests, failed = report.requests, report.lookup_failed
        # A lookup that failed is no answer: what an earlier run found stands (a refresh with NCBI
        # unreachable used to turn every resolved citation unresolved).
        kept = {c.key: earlier[c.key] for c in pending if c.key in failed and c.key in earlier}
        load.save_resolutions(con, [r for key, r in fresh.items() if key not in kept])
        fresh.update(kept)
        if kept:
            log.warning("could not look up %d citation(s) again; kept their earlier resolutions: %s",
                        len(kept), ", ".join(kept))
    ordered = [known.get(c.key) or fresh[c.key] for c in review.citations]
    return ResolveOutcome(review.review_id, ordered, requests, lookup_failed=failed,
                          ncbi_failed=report.ncbi_failed if pending else frozenset(), reused=len(known),
                          kept=tuple(kept))


def fetch_and_store(
    con: duckdb.DuckDBPyConnection,
    client,
    pmids: Sequence[str],
    *,
    source: str,
    refresh: bool = False,
    on_batch: Callable[[int], None] | None = None,
) -> FetchOutcome:
    """Fetch the papers not yet in the warehouse and load them batch by batch."""
    from litmus.pubmed import iter_pubmed_xml

    wanted = list(dict.fromkeys(pmids))
    have = set() if refresh else load.stored_pmids(con, wanted)
    todo = [pmid for pmid in wanted if pmid not in have]
    stored, returned, deleted = 0, set(), []
    failure = None
    try:
        # One EFetch batch is parsed and loaded (one transaction) before the next is asked for,
        # so memory stays flat and a crash loses at most the batch in flight.
        for body in client.efetch_pubmed_xml(todo) if todo else ():
            batch = []
            for item in iter_pubmed_xml(body):
                if isinstance(item, PubmedRecord):
                    batch.append(item)
                    returned.add(item.pmid)
                else:
                    deleted.append(item.pmid)
            stored += load.load_papers(con, batch, source=source)
            if on_batch:
                on_batch(len(batch))
    except (EntrezError, ReplayMiss) as error:
        if not refresh:
            raise
        # A refresh keeps what it could not fetch again as it was stored; the run reports the failure.
        kept = load.stored_pmids(con, [pmid for pmid in todo if pmid not in returned])
        failure = (f"could not fetch {len(todo) - len(returned)} of {len(todo)} papers again ({error}); "
                   f"{len(kept)} stored copies kept as they were")
        log.warning("%s", failure)
        todo = [pmid for pmid in todo if pmid not in kept or pmid in returned]
    missing = [pmid for pmid in todo if pmid not in returned]
    if missing:
        log.warning("asked NCBI for %d papers, got %d; missing: %s", len(todo), len(returned), ", ".join(missing))
    return FetchOutcome(requested=todo, stored=stored, already_stored=len(have), missing=missing, failure=failure)
