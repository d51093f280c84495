"""A review's reference list -> citations -> PMIDs.

`parse_review_markdown` and `parse_jats_references` read a review into a `Review` of `Citation`s;
`resolve_citations` matches each citation to a PubMed record through an `EntrezClient`.
"""

from litmus.references.jats import parse_jats_references
from litmus.references.entries import parse_reference_entry
from litmus.references.markdown import ReviewParseError, parse_review_markdown
from litmus.references.resolve import ResolutionReport, resolve_citations
from litmus.references.similarity import normalise_title, title_similarity

__all__ = [
    "ResolutionReport",
    "ReviewParseError",
    "normalise_title",
    "parse_jats_references",
    "parse_reference_entry",
    "parse_review_markdown",
    "resolve_citations",
    "title_similarity",
]
