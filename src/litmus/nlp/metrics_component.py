"""The `litmus_metrics` spaCy component: outcome metrics on the Doc.

A thin wrapper over the pure `extract_metrics`: it reads `doc.text`, reuses the doc's sentence
boundaries when a sentencizer or parser set them, and stores the metrics in `doc._.metrics`
and their value spans in `doc.spans["metrics"]` (label = endpoint code). A sentence longer than
`metric_sentence_chars` is not searched (linking compares each value with each endpoint of its
sentence, so its cost grows with the square of the sentence): the skip is noted in `doc._.bounded`.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from litmus import limits
from litmus.nlp.bounds import note_bound
from litmus.nlp.metrics import EXTRACTOR_VERSION, extract_metrics  # noqa: F401  (EXTRACTOR_VERSION: re-exported)
from litmus.nlp.numbers import normalise_text
from litmus.nlp.sentences import split_sentences

if not Doc.has_extension("metrics"):
    Doc.set_extension("metrics", default=None)


class MetricsComponent:
    """Runs the outcome-metric extractor over each doc."""

    def __init__(self, nlp: Language, name: str, spans_key: str, use_doc_sentences: bool) -> None:
        self.name = name
        self.spans_key = spans_key
        self.use_doc_sentences = use_doc_sentences

    def __call__(self, doc: Doc) -> Doc:
        if self.use_doc_sentences and doc.has_annotation("SENT_START"):
            sentences = [(s.start_char, s.end_char) for s in doc.sents]
        else:  # what extract_metrics would split itself
            sentences = split_sentences(normalise_text(doc.text))
        metrics = extract_metrics(doc.text, sentences=_within_limit(doc, sentences))
        doc._.metrics = metrics
        spans = []
        for metric in metrics:
            span = doc.char_span(metric.start, metric.end, label=metric.endpoint, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


def _within_limit(doc: Doc, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences, each over the limit made empty where it starts (so sentence indices stay the doc's)."""
    limit = limits.METRIC_SENTENCE_CHARS.value
    over = [end - start for start, end in sentences if end - start > limit]
    if not over:
        return sentences
    note_bound(doc, f"metrics: {len(over)} sentence(s) over {limit:,} characters not searched"
                    f" (longest {max(over):,}; {limits.METRIC_SENTENCE_CHARS.name})")
    return [(start, start) if end - start > limit else (start, end) for start, end in sentences]


@Language.factory(
    "litmus_metrics",
    default_config={"spans_key": "metrics", "use_doc_sentences": True},
)
def create_metrics_component(nlp: Language, name: str, spans_key: str, use_doc_sentences: bool) -> MetricsComponent:
    return MetricsComponent(nlp, name, spans_key, use_doc_sentences)
