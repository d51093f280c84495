"""The extraction stage: stored papers → sentences, entity mentions and outcome metrics in the warehouse.

Titles and abstracts go through the spaCy pipeline as separate documents so offsets stay
relative to the stored text; a paper's rows are replaced in one transaction, so a re-run or a
new extractor version never leaves a paper half old, half new.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Sequence

import duckdb
import pyarrow as pa

from litmus.records import EntityMention, OutcomeMetric
from litmus.warehouse.load import insert_arrow, transaction


@dataclass(frozen=True)
class PaperText:
    pmid: str
    title: str
    abstract: str
    section_starts: tuple[int, ...] = ()
    section_labels: tuple[str | None, ...] = ()

    def section_at(self, offset: int) -> str | None:
        index = bisect.bisect_right(self.section_starts, offset) - 1
        return self.section_labels[index] if index >= 0 else None


@dataclass(frozen=True)
class PaperExtraction:
    pmid: str
    sentences: list[dict]
    entities: list[dict]
    metrics: list[dict]
    bounded: list[str] = field(default_factory=list)  # what a limit changed ("abstract: metrics: 1 sentence(s) …")


def extractor_version() -> str:
    """One string naming every part whose change alters the output."""
    from litmus.nlp.lexicon import load_lexicon
    from litmus.nlp.metrics import EXTRACTOR_VERSION

    return f"metrics-{EXTRACTOR_VERSION}+lexicon-{load_lexicon().version}"


def papers_to_extract(
    con: duckdb.DuckDBPyConnection,
    version: str,
    *,
    pmids: Sequence[str] | None = None,
    force: bool = False,
    after: str | None = None,
    limit: int | None = None,
) -> list[PaperText]:
    """Papers with no extraction at this version (all of `pmids`, when forced), in PMID order;
    `after` and `limit` page through them."""
    chosen: list[str] = []
    last = after
    while limit is None or len(chosen) < limit:
        window, last = _pending_in_window(con, version, pmids=pmids, force=force, after=last, size=limit)
        chosen += window
        if last is None or limit is None:
            break
    return _paper_texts(con, chosen[:limit] if limit is not None else chosen)


def _pending_in_window(
    con: duckdb.DuckDBPyConnection,
    version: str,
    *,
    pmids: Sequence[str] | None,
    force: bool,
    after: str | None,
    size: int | None,
) -> tuple[list[str], str | None]:
    """The pending PMIDs among the next `size` papers after `after` (or among `pmids`), and the last
    PMID looked at (None once the papers are exhausted).

    The window is taken from `papers` first and only then matched against `extractions`, so every
    join has a window's worth of keys on one side: matching all papers against all extractions
    would make each page cost time and memory in proportion to the warehouse.
    """
    candidates = "SELECT pmid FROM papers WHERE pmid > ?"
    params: list = [after or ""]
    if pmids is not None:
        candidates += " AND list_contains(?, pmid)"
        params.append(list(pmids))
    candidates += " ORDER BY pmid"
    if size is not None:
        candidates += f" LIMIT {int(size)}"
    rows = con.execute(
        f"WITH candidates AS MATERIALIZED ({candidates}),"
        " done AS MATERIALIZED (SELECT e.pmid FROM candidates c JOIN extractions e USING (pmid)"
        "  WHERE e.extractor_version = ? AND NOT ?)"
        " SELECT c.pmid, d.pmid IS NULL FROM candidates c LEFT JOIN done d USING (pmid) ORDER BY c.pmid",
        [*params, version, force],
    ).fetchall()
    exhausted = size is None or len(rows) < size
    return [pmid for pmid, pending in rows if pending], (None if exhausted or not rows else rows[-1][0])


def _paper_texts(con: duckdb.DuckDBPyConnection, pmids: list[str]) -> list[PaperText]:
    if not pmids:
        return []
    con.register("_litmus_to_extract", pa.table({"pmid": pmids}))
    try:
        rows = con.execute(
            "SELECT p.pmid, p.title, coalesce(p.abstract, ''),"
            " list(s.start_offset ORDER BY s.section_index), list(s.label ORDER BY s.section_index)"
            " FROM _litmus_to_extract c JOIN papers p USING (pmid) LEFT JOIN abstract_sections s USING (pmid)"
            " GROUP BY p.pmid, p.title, p.abstract ORDER BY p.pmid"
        ).fetchall()
    finally:
        con.unregister("_litmus_to_extract")
    papers = []
    for pmid, title, abstract, starts, labels in rows:
        # A paper without sections comes back from the LEFT JOIN as one NULL start and one NULL label.
        sections = [(start, label) for start, label in zip(starts, labels) if start is not None]
        papers.append(PaperText(pmid, title, abstract, tuple(s for s, _ in sections), tuple(l for _, l in sections)))
    return papers


PENDING_PAGE_SIZE = 2000  # papers read from the warehouse at a time for extraction


def pending_papers(
    con: duckdb.DuckDBPyConnection, version: str, *, page_size: int = PENDING_PAGE_SIZE
) -> Iterator[list[PaperText]]:
    """Papers to extract, a page at a time, so memory does not grow with the warehouse."""
    last: str | None = None
    while page := papers_to_extract(con, version, after=last, limit=page_size):
        yield page
        last = page[-1].pmid


def extraction_pages(
    con: duckdb.DuckDBPyConnection, version: str, *, pmids: Sequence[str] | None = None, force: bool = False
) -> tuple[int, Iterator[list[PaperText]]]:
    """How many papers to extract, and the papers page by page: all pending ones paged through the
    warehouse, or the chosen `pmids` (or everything, when forced) as one page."""
    if pmids is None and not force:
        return count_papers_to_extract(con, version), pending_papers(con, version)
    chosen = papers_to_extract(con, version, pmids=pmids, force=force)
    return len(chosen), iter([chosen] if chosen else [])


def count_papers_to_extract(con: duckdb.DuckDBPyConnection, version: str) -> int:
    """Papers with no extraction at `version`: papers minus those extracted at it. (Extraction rows
    never outlive their paper: deleting or changing a paper deletes them in the same transaction.)
    Two counts instead of an anti-join, which would hash every extracted PMID to show a progress bar."""
    return con.execute(
        "SELECT (SELECT count(*) FROM papers) - (SELECT count(*) FROM extractions WHERE extractor_version = ?)",
        [version],
    ).fetchall()[0][0]


def _entity_row(pmid: str, index: int, sentence_index: int | None, source: str, e: EntityMention, version: str) -> dict:
    return {
        "pmid": pmid, "mention_index": index, "sentence_index": sentence_index, "source": source,
        "start_offset": e.start, "end_offset": e.end, "text": e.text, "label": e.label,
        "concept_id": e.concept_id, "concept_name": e.concept_name, "score": e.score,
        "linked": e.linked, "attributes": list(e.attributes.items()) or None, "extractor_version": version,
    }


def _metric_row(pmid: str, index: int, sentence_index: int | None, source: str, section: str | None, m: OutcomeMetric, version: str) -> dict:
    return {
        "pmid": pmid, "metric_index": index, "sentence_index": sentence_index, "source": source,
        "section": section, "start_offset": m.start, "end_offset": m.end, "endpoint": m.endpoint,
        "label": m.label, "stat": m.stat, "value": m.value, "unit": m.unit, "timepoint": m.timepoint,
        "timepoint_months": m.timepoint_months, "count": m.count, "total": m.total,
        "ci_low": m.ci_low, "ci_high": m.ci_high, "not_reached": m.not_reached, "subgroup": m.group,
        "composite": m.composite, "negated": m.negated, "quote": m.sentence, "extractor_version": version,
    }


def extract_papers(nlp, papers: Sequence[PaperText], version: str, *, batch_size: int = 64) -> Iterator[PaperExtraction]:
    """Run the pipeline over each paper's title and abstract, in that order."""
    from litmus.nlp.extract import extract_many

    def texts() -> Iterable[str]:
        for paper in papers:
            yield paper.title or ""
            yield paper.abstract or ""

    results = extract_many(nlp, texts(), batch_size=batch_size)
    for paper in papers:
        title_result, abstract_result = next(results), next(results)
        sentences, entities, metrics = [], [], []
        bounded = [f"{source}: {note}" for source, result in (("title", title_result), ("abstract", abstract_result))
                   for note in result.bounded]
        offset_index = 0
        for source, result in (("title", title_result), ("abstract", abstract_result)):
            starts = [start for start, _end, _text in result.sentences]
            first_index = offset_index
            for start, end, text in result.sentences:
                section = paper.section_at(start) if source == "abstract" else None
                sentences.append(
                    {"pmid": paper.pmid, "sentence_index": offset_index, "source": source, "section": section,
                     "start_offset": start, "end_offset": end, "text": text}
                )
                offset_index += 1

            def sentence_of(offset: int) -> int | None:
                position = bisect.bisect_right(starts, offset) - 1
                return first_index + position if position >= 0 else None

            for entity in result.entities:
                entities.append(_entity_row(paper.pmid, len(entities), sentence_of(entity.start), source, entity, version))
            for metric in result.metrics:
                section = paper.section_at(metric.start) if source == "abstract" else None
                metrics.append(_metric_row(paper.pmid, len(metrics), sentence_of(metric.start), source, section, metric, version))
        yield PaperExtraction(paper.pmid, sentences, entities, metrics, bounded)


SENTENCE_SCHEMA = pa.schema([
    ("pmid", pa.string()), ("sentence_index", pa.int32()), ("source", pa.string()), ("section", pa.string()),
    ("start_offset", pa.int32()), ("end_offset", pa.int32()), ("text", pa.string()),
])
ENTITY_SCHEMA = pa.schema([
    ("pmid", pa.string()), ("mention_index", pa.int32()), ("sentence_index", pa.int32()), ("source", pa.string()),
    ("start_offset", pa.int32()), ("end_offset", pa.int32()), ("text", pa.string()), ("label", pa.string()),
    ("concept_id", pa.string()), ("concept_name", pa.string()), ("score", pa.float64()), ("linked", pa.bool_()),
    ("attributes", pa.map_(pa.string(), pa.string())), ("extractor_version", pa.string()),
])
METRIC_SCHEMA = pa.schema([
    ("pmid", pa.string()), ("metric_index", pa.int32()), ("sentence_index", pa.int32()), ("source", pa.string()),
    ("section", pa.string()), ("start_offset", pa.int32()), ("end_offset", pa.int32()), ("endpoint", pa.string()),
    ("label", pa.string()), ("stat", pa.string()), ("value", pa.float64()), ("unit", pa.string()),
    ("timepoint", pa.string()), ("timepoint_months", pa.float64()), ("count", pa.int64()), ("total", pa.int64()),
    ("ci_low", pa.float64()), ("ci_high", pa.float64()), ("not_reached", pa.bool_()), ("subgroup", pa.string()),
    ("quote", pa.string()), ("extractor_version", pa.string()), ("composite", pa.string()), ("negated", pa.bool_()),
])
EXTRACTION_SCHEMA = pa.schema([
    ("pmid", pa.string()), ("extractor_version", pa.string()), ("n_sentences", pa.int32()),
    ("n_entities", pa.int32()), ("n_metrics", pa.int32()), ("bounded", pa.list_(pa.string())),
])


def _table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    return pa.table({name: [row.get(name) for row in rows] for name in schema.names}, schema=schema)


def store_extractions(con: duckdb.DuckDBPyConnection, extractions: Sequence[PaperExtraction], version: str) -> int:
    """Replace the extraction rows of these papers, all in one transaction."""
    if not extractions:
        return 0
    sentences = [row for e in extractions for row in e.sentences]
    entities = [row for e in extractions for row in e.entities]
    metrics = [row for e in extractions for row in e.metrics]
    summary = [
        {"pmid": e.pmid, "extractor_version": version, "n_sentences": len(e.sentences),
         "n_entities": len(e.entities), "n_metrics": len(e.metrics), "bounded": e.bounded or None}
        for e in extractions
    ]
    con.register("_litmus_extracted", pa.table({"pmid": [e.pmid for e in extractions]}))
    try:
        with transaction(con):
            for table in ("sentences", "entities", "metrics", "extractions"):
                con.execute(f"DELETE FROM {table} WHERE pmid IN (SELECT pmid FROM _litmus_extracted)")
            insert_arrow(con, "sentences", _table(sentences, SENTENCE_SCHEMA))
            insert_arrow(con, "entities", _table(entities, ENTITY_SCHEMA))
            insert_arrow(con, "metrics", _table(metrics, METRIC_SCHEMA))
            insert_arrow(con, "extractions", _table(summary, EXTRACTION_SCHEMA))
    finally:
        con.unregister("_litmus_extracted")
    return len(extractions)


def extract_and_store(
    con: duckdb.DuckDBPyConnection,
    nlp,
    papers: Sequence[PaperText],
    version: str,
    *,
    batch_size: int = 200,
    on_batch: Callable[[int], None] | None = None,
) -> dict[str, int]:
    totals = {"papers": 0, "sentences": 0, "entities": 0, "metrics": 0}
    for start in range(0, len(papers), batch_size):
        chunk = list(extract_papers(nlp, papers[start : start + batch_size], version))
        store_extractions(con, chunk, version)
        totals["papers"] += len(chunk)
        totals["sentences"] += sum(len(e.sentences) for e in chunk)
        totals["entities"] += sum(len(e.entities) for e in chunk)
        totals["metrics"] += sum(len(e.metrics) for e in chunk)
        if on_batch:
            on_batch(len(chunk))
    return totals
