"""Run the pipeline over texts and hand back plain records (no spaCy objects leave this module).

A text longer than `nlp_piece_chars` goes through the pipeline in pieces cut at sentence starts
(`bounds.split_for_pipeline`), and the pieces' results are joined with offsets into the whole text,
so no document length is a crash (spaCy's own limit is 1,000,000 characters) or a memory spike.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from spacy.language import Language
from spacy.tokens import Doc

from litmus import limits
from litmus.nlp.bounds import split_for_pipeline
from litmus.records import EntityMention, OutcomeMetric


@dataclass(frozen=True, slots=True)
class ExtractionResult:
    entities: list[EntityMention]
    metrics: list[OutcomeMetric]
    sentences: list[tuple[int, int, str]]  # (start_char, end_char, text)
    bounded: list[str] = field(default_factory=list)  # what a limit changed (litmus.limits), for the record


def result_from_doc(doc: Doc) -> ExtractionResult:
    entities = doc._.entity_mentions if Doc.has_extension("entity_mentions") else []
    metrics = list(doc._.metrics) if Doc.has_extension("metrics") and doc._.metrics else []
    sentences = (
        [(sent.start_char, sent.end_char, sent.text) for sent in doc.sents]
        if doc.has_annotation("SENT_START") else [(0, len(doc.text), doc.text)]
    )
    bounded = list(doc._.bounded or []) if Doc.has_extension("bounded") else []
    return ExtractionResult(entities=list(entities), metrics=metrics, sentences=sentences, bounded=bounded)


def extract_document(nlp: Language, text: str) -> ExtractionResult:
    return next(extract_many(nlp, [text]))


def extract_many(nlp: Language, texts: Iterable[str], batch_size: int = 64) -> Iterator[ExtractionResult]:
    """One result per text, in order, streamed through `nlp.pipe` (long texts piece by piece)."""
    plans: deque[list[tuple[int, int]]] = deque()

    def pieces() -> Iterator[str]:
        for text in texts:
            spans = split_for_pipeline(text)
            plans.append(spans)
            for start, end in spans:
                yield text[start:end]

    docs = iter(nlp.pipe(pieces(), batch_size=batch_size))
    for first in docs:
        spans = plans.popleft()  # the plan of the text `first` begins (appended before its first piece)
        results = [result_from_doc(first)] + [result_from_doc(next(docs)) for _ in spans[1:]]
        yield results[0] if len(spans) == 1 else _joined(results, spans)


def _joined(results: list[ExtractionResult], spans: list[tuple[int, int]]) -> ExtractionResult:
    entities, metrics, sentences = [], [], []
    bounded = [f"pipeline: {spans[-1][1]:,} characters read in {len(spans)} pieces of at most"
               f" {limits.NLP_PIECE_CHARS.value:,} ({limits.NLP_PIECE_CHARS.name})"]
    for result, (offset, _) in zip(results, spans):
        before = len(sentences)
        entities += [replace(e, start=e.start + offset, end=e.end + offset,
                             sentence_index=None if e.sentence_index is None else e.sentence_index + before)
                     for e in result.entities]
        metrics += [replace(m, start=m.start + offset, end=m.end + offset,
                            sentence_index=None if m.sentence_index is None else m.sentence_index + before,
                            sentence_start=None if m.sentence_start is None else m.sentence_start + offset)
                    for m in result.metrics]
        sentences += [(start + offset, end + offset, text) for start, end, text in result.sentences]
        bounded += [note for note in result.bounded if note not in bounded]
    return ExtractionResult(entities=entities, metrics=metrics, sentences=sentences, bounded=bounded)
