"""The corpus we write by hand: reviews, our transcription of their claims, and cited papers."""

from litmus.corpus.sources import (
    CorpusError,
    TranscribedClaim,
    TranscribedFact,
    load_claims,
    load_paper,
    load_papers,
    load_review,
)

__all__ = [
    "CorpusError",
    "TranscribedClaim",
    "TranscribedFact",
    "load_claims",
    "load_paper",
    "load_papers",
    "load_review",
]
