"""Citation markers in review prose: numbered "(3)", "(4, 5)", "(3–5)", "[3]" and author names "Nan et al.".

A numbered marker is a bracketed list of integers and ranges, each within 1..n_references. Two
look-alikes are rejected: abbreviations ("(CR)", "(r/r)") never match the integer-list shape, and
enumerations ("aspects: (1) the CAR-T cells'…; (2) …") are told apart by where they stand: a label
opens a list item, right after ":" or ";" (or "; and"), or at the start of a sentence, and is followed
by words, whereas a citation follows the words it supports.
"""

from __future__ import annotations

import re

from litmus.claims.records import CitationMarker

_NUMBER_LIST = r"\d{1,3}(?:\s*[-–—]\s*\d{1,3})?(?:\s*[,;]\s*\d{1,3}(?:\s*[-–—]\s*\d{1,3})?)*"
_NUMBERED = re.compile(r"\((" + _NUMBER_LIST + r")\)|\[(" + _NUMBER_LIST + r")\]")
_ENUMERATION_CONTEXT = re.compile(r"(?:^|[:;]|[;,]\s*(?:and|or))\s*$", re.I)
_LIST_ITEM_FOLLOWS = re.compile(r"^\s+[A-Za-z]")
# Without a reference count, a cap keeps years "(2020)" and counts out.
_DEFAULT_MAX_REFERENCE = 300
AUTHOR_MENTION = re.compile(
    r"\b([A-Z][A-Za-z'’\-]+(?:\s+(?:and|&)\s+[A-Z][A-Za-z'’\-]+)?)\s+et\s+al\b\.?"
)


def find_numbered_markers(text: str, n_references: int | None = None) -> list[CitationMarker]:
    markers = []
    limit = n_references if n_references is not None else _DEFAULT_MAX_REFERENCE
    for match in _NUMBERED.finditer(text):
        numbers = expand_number_list(match.group(1) or match.group(2))
        if not numbers or not all(1 <= n <= limit for n in numbers):
            continue
        if len(numbers) == 1 and _is_enumeration_label(text, match.start(), match.end()):
            continue
        markers.append(CitationMarker(
            keys=tuple(str(n) for n in numbers), kind="numbered",
            start=match.start(), end=match.end(), text=match.group(0),
        ))
    return markers


def expand_number_list(written: str) -> list[int]:
    """ "3–5, 7" -> [3, 4, 5, 7]; a reversed or absurdly long range gives [] (not a citation)."""
    numbers: list[int] = []
    for part in re.split(r"\s*[,;]\s*", written.strip()):
        bounds = [int(x) for x in re.split(r"\s*[-–—]\s*", part) if x]
        if len(bounds) == 2:
            low, high = bounds
            if high < low or high - low > 50:
                return []
            numbers.extend(range(low, high + 1))
        else:
            numbers.extend(bounds)
    return numbers


def _is_enumeration_label(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 12):start]
    sentence_start = start == 0 or re.search(r"[.!?]\s*$|\n\s*$", text[max(0, start - 3):start])
    opens_item = bool(_ENUMERATION_CONTEXT.search(before)) or bool(sentence_start)
    return opens_item and bool(_LIST_ITEM_FOLLOWS.match(text[end:end + 3]))


def find_named_markers(text: str, named_citations: list[str]) -> list[CitationMarker]:
    """Occurrences of each named citation ("Nan et al."), tolerant of a missing stop after "al"."""
    markers = []
    for name in named_citations:
        for match in _name_pattern(name).finditer(text):
            markers.append(CitationMarker(
                keys=(name,), kind="named", start=match.start(), end=match.end(), text=match.group(0),
            ))
    return sorted(markers, key=lambda m: m.start)


def _name_pattern(name: str) -> re.Pattern[str]:
    head = re.sub(r"\s+et\s+al\.?\s*$", "", name.strip())
    if head == name.strip():
        return re.compile(r"\b" + re.escape(head) + r"\b")
    return re.compile(r"\b" + re.escape(head) + r"\s+et\s+al\b\.?")


def find_markers(
    text: str, *, named_citations: list[str], n_references: int | None = None
) -> list[CitationMarker]:
    found = find_numbered_markers(text, n_references) + find_named_markers(text, named_citations)
    return sorted(found, key=lambda m: m.start)


def author_mentions(text: str) -> list[str]:
    """ "Tong et al." style names written in the text, in order, without repeats."""
    names: list[str] = []
    for match in AUTHOR_MENTION.finditer(text):
        name = f"{match.group(1)} et al."
        if name not in names:
            names.append(name)
    return names
