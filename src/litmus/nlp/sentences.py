"""A fast rule sentence splitter for abstracts that keeps "vs.", "i.v.", "e.g.", "Fig.", "et al." whole."""

from __future__ import annotations

import re

# A full stop after one of these does not end a sentence.
_ABBREVIATIONS = frozenset(
    """vs v al e.g eg i.e ie i.v iv s.c p.o b.i.d t.i.d q.d fig figs no nos approx ca cf dr mr mrs ms
    prof st etc resp ref refs tab suppl vol pp eq min max mo mos yr yrs wk wks hr hrs sec jan feb mar
    apr jun jul aug sep sept oct nov dec inc ltd co corp dept univ est incl""".split()
)
_BOUNDARY = re.compile(r"[.!?](?:[\"')\]]*)\s+(?=[\"'(\[]?[A-Z0-9])|\n+")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
# "... for Arm B. The ...": a letter naming an arm or a group ends a sentence; an initial does not.
_NAMED_BY_LETTER = re.compile(r"\b(?:arms?|groups?|cohorts?|parts?|panels?|types?|strata|stratum|class)\s+[A-Za-z]$",
                              re.IGNORECASE)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences of `text`, whitespace trimmed."""
    spans = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if text[match.start()] == ".":
            word = _WORD_BEFORE.search(text, max(0, match.start() - 12), match.start())
            initial = word and len(word.group(1)) == 1 and not _NAMED_BY_LETTER.search(text, max(0, match.start() - 20),
                                                                                         match.start())
            if word and (word.group(1).lower().rstrip(".") in _ABBREVIATIONS or initial):
                continue  # "vs.", "et al.", an initial "J."
        _add_span(text, start, match.start() + 1 if text[match.start()] != "\n" else match.start(), spans)
        start = match.end()
    _add_span(text, start, len(text), spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
