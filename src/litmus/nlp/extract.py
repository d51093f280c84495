"""Run the pipeline over texts and hand back plain records (no spaCy objects leave this module)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from litmus.records import EntityMention, OutcomeMetric


@dataclass(frozen=True, slots=True)
class ExtractionResult:
    entities: list[EntityMention]
    metrics: list[OutcomeMetric]
    sentences: list[tuple[int, int, str]]  # (start_char, end_char, text)


def result_from_doc(doc: Doc) -> ExtractionResult:
    entities = doc._.entity_mentions if Doc.has_extension("entity_mentions") else []
    metrics = list(doc._.metrics) if Doc.has_extension("metrics") and doc._.metrics else []
    sentences = (
        [(sent.start_char, sent.end_char, sent.text) for sent in doc.sents]
        if doc.has_annotation("SENT_START") else [(0, len(doc.text), doc.text)]
    )
    return ExtractionResult(entities=list(entities), metrics=metrics, sentences=sentences)


def extract_document(nlp: Language, text: str) -> ExtractionResult:
    return result_from_doc(nlp(text))


def extract_many(nlp: Language, texts: Iterable[str], batch_size: int = 64) -> Iterator[ExtractionResult]:
    """One result per text, in order, streamed through `nlp.pipe`."""
    for doc in nlp.pipe(texts, batch_size=batch_size):
        yield result_from_doc(doc)
