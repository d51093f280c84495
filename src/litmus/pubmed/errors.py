"""The one error the PubMed parser raises."""

from __future__ import annotations


class PubmedParseError(ValueError):
    """The input is not PubMed XML, is malformed or truncated, or is an NCBI error answer.

    `pmid` is the record being read (or the last one read) when known; `ncbi_error` holds NCBI's
    own message when the answer was an `<ERROR>` document instead of records.
    """

    def __init__(self, message: str, *, pmid: str | None = None, ncbi_error: str | None = None):
        super().__init__(message)
        self.pmid = pmid
        self.ncbi_error = ncbi_error
