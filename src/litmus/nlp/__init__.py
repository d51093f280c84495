"""Text mining: the spaCy pipeline, the CAR-T lexicon, entity linking and outcome metrics.

    from litmus.nlp import build_pipeline, extract_document
    nlp = build_pipeline()                  # PipelineConfig(base_model=…, linker=…, …)
    result = extract_document(nlp, text)    # entities, metrics, sentences as plain records

Names are imported on first use, so `import litmus.nlp.numbers` does not pay for spaCy.
"""

from __future__ import annotations

from importlib import import_module

_EXPORTS = {
    "build_pipeline": "litmus.nlp.pipeline",
    "PipelineConfig": "litmus.nlp.pipeline",
    "BaseModelNotAvailable": "litmus.nlp.pipeline",
    "extract_document": "litmus.nlp.extract",
    "extract_many": "litmus.nlp.extract",
    "ExtractionResult": "litmus.nlp.extract",
    "load_lexicon": "litmus.nlp.lexicon",
    "Lexicon": "litmus.nlp.lexicon",
    "Concept": "litmus.nlp.lexicon",
    "LexiconLinker": "litmus.nlp.linker",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'litmus.nlp' has no attribute {name!r}")
