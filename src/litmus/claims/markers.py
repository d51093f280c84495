"""Citation markers in review prose, in every common style.

- Numbered, bracketed: "(3)", "(4, 5)", "(3–5)", "[3]", "[1200]": a list of integers and ranges, each
  within 1..n_references (numbers of any length).
- Numbered, superscripts flattened to digits by a PDF conversion: "… respectively.6 Dual", "cells,3,4
  which", "Tong et al.6 recruited": digits glued to the punctuation after a word (never after a digit:
  "71.4" is a decimal) or to "et al.", then a space, punctuation or the end of the text.
- Author–year: "(Smith et al., 2020)", "(Smith and Jones 2019; Lee et al., 2021a)", "Smith et al.
  (2020)", "[Smith, 2018]": each name and year is looked up among the review's references (first
  author's surname and year), keyed by that reference; unmatched ones keep "Smith et al. 2020" as key.
- Named: the research-topic articles a review cites by author alone ("Nan et al.").

Two look-alikes are rejected: abbreviations ("(CR)", "(r/r)") never match the integer-list shape, and
enumerations ("aspects: (1) the CAR-T cells'…; (2) …") are told apart by where they stand: a label
opens a list item, right after ":" or ";" (or "; and"), or at the start of a sentence, and is followed
by words, whereas a citation follows the words it supports.
"""

from __future__ import annotations

import re
from typing import Sequence

from litmus.claims.records import CitationMarker
from litmus.records import Citation

_NUMBER_LIST = r"\d+(?:\s*[-–—]\s*\d+)?(?:\s*[,;]\s*\d+(?:\s*[-–—]\s*\d+)?)*"
_NUMBERED = re.compile(r"\((" + _NUMBER_LIST + r")\)|\[(" + _NUMBER_LIST + r")\]")
# "respectively.6 Dual", "cells,3,4 which", "et al.6": no space inside, a word (or %, ")") before.
_FLATTENED = re.compile(
    r"(?<=[A-Za-z%)\]'’])(?P<punct>[.,;:])(?P<list>\d+(?:[-–]\d+)?(?:,\d+(?:[-–]\d+)?)*)(?=\s|$|[)\]])"
)
_ENUMERATION_CONTEXT = re.compile(r"(?:^|[:;]|[;,]\s*(?:and|or))\s*$", re.I)
_LIST_ITEM_FOLLOWS = re.compile(r"^\s+[A-Za-z]")
# Words after which "." and a number are a label, not a citation: "Fig.1", "No.3", "vol.2".
_LABEL_WORDS = {"fig", "figs", "figure", "no", "nos", "ref", "refs", "eq", "vol", "pp", "p", "table", "chapter", "version"}
# Without a reference count, a cap keeps years "(2020)" and counts out.
_DEFAULT_MAX_REFERENCE = 300
AUTHOR_MENTION = re.compile(
    r"\b([A-Z][A-Za-z'’\-]+(?:\s+(?:and|&)\s+[A-Z][A-Za-z'’\-]+)?)\s+et\s+al\b\.?"
)
# A surname has a lower-case letter ("Smith", "McDonald", "O'Brien"), unlike "CR" or "NCT…"; months are not names.
_SURNAME = (r"(?:(?:van|von|de|der|den|del|della|da|di|du|le|la|dos|ten|ter)\s+)*"
            r"(?!(?:January|February|March|April|May|June|July|August|September|October|November|December)\b)"
            r"[A-Z](?:[a-z]|['’][A-Z])[A-Za-z'’\-]*")
_AUTHORS = rf"(?P<name>{_SURNAME})(?:\s+(?:and|&)\s+{_SURNAME}|\s+et\s+al\.?)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})[a-z]?"
# One "Name et al., 2020" item inside a parenthesis; several are separated by ";".
_AUTHOR_YEAR_ITEM = re.compile(rf"{_AUTHORS},?\s+{_YEAR}")
_AUTHOR_YEAR_GROUP = re.compile(
    rf"[(\[](?:e\.g\.,?\s+|see\s+)?(?P<items>{_SURNAME}[^()\[\]]{{0,40}}?(?:19|20)\d{{2}}[a-z]?"
    rf"(?:\s*;\s*{_SURNAME}[^()\[\]]{{0,40}}?(?:19|20)\d{{2}}[a-z]?)*)[)\]]"
)
# "Smith et al. (2020)": the name in the prose, the year in brackets.
_NARRATIVE_AUTHOR_YEAR = re.compile(rf"{_AUTHORS}\s+[(\[]{_YEAR}[)\]]")


def find_numbered_markers(text: str, n_references: int | None = None) -> list[CitationMarker]:
    markers = []
    limit = n_references if n_references is not None else _DEFAULT_MAX_REFERENCE
    for match in _NUMBERED.finditer(text):
        numbers = expand_number_list(match.group(1) or match.group(2))
        if not numbers or not all(1 <= n <= limit for n in numbers):
            continue
        if len(numbers) == 1 and _is_enumeration_label(text, match.start(), match.end()):
            continue
        markers.append(_numbered(numbers, match.start(), match.end(), match.group(0)))
    return markers + find_flattened_markers(text, limit)


def find_flattened_markers(text: str, limit: int) -> list[CitationMarker]:
    """Superscript citation numbers a conversion flattened into the text: "respectively.6 Dual"."""
    markers = []
    for match in _FLATTENED.finditer(text):
        word = re.search(r"([A-Za-z]+)\W*$", text[max(0, match.start() - 12):match.start()])
        if match.group("punct") == "." and word and word.group(1).lower() in _LABEL_WORDS:
            continue
        numbers = expand_number_list(match.group("list"))
        if numbers and all(1 <= n <= limit for n in numbers):
            markers.append(_numbered(numbers, match.start("list"), match.end("list"), match.group("list")))
    return markers


def _numbered(numbers: list[int], start: int, end: int, text: str) -> CitationMarker:
    return CitationMarker(keys=tuple(str(n) for n in numbers), kind="numbered", start=start, end=end, text=text)


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


def find_named_markers(text: str, named_citations: Sequence[str]) -> list[CitationMarker]:
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


def find_author_year_markers(text: str, citations: Sequence[Citation] = ()) -> list[CitationMarker]:
    """ "(Smith et al., 2020; Lee 2019)" and "Smith et al. (2020)", keyed by the reference they name."""
    index = _author_year_index(citations)
    markers = []
    for group in _AUTHOR_YEAR_GROUP.finditer(text):
        items = list(_AUTHOR_YEAR_ITEM.finditer(group.group("items")))
        if items:
            keys = tuple(dict.fromkeys(_author_year_key(m, index) for m in items))
            markers.append(CitationMarker(keys, "author_year", group.start(), group.end(), group.group(0)))
    for match in _NARRATIVE_AUTHOR_YEAR.finditer(text):
        if not any(m.start <= match.start() < m.end for m in markers):
            key = _author_year_key(match, index)
            markers.append(CitationMarker((key,), "author_year", match.start(), match.end(), match.group(0)))
    return sorted(markers, key=lambda m: m.start)


def _author_year_index(citations: Sequence[Citation]) -> dict[tuple[str, int], str]:
    index: dict[tuple[str, int], str] = {}
    for citation in citations:
        if not citation.authors or not citation.year:
            continue
        # "van der Berg A" -> "van der berg" and "berg": the initials dropped, particles optional.
        words = [w for w in citation.authors[0].split() if not re.fullmatch(r"[A-Z]{1,4}\.?", w)]
        for surname in {" ".join(words).lower(), words[-1].lower()} if words else ():
            index.setdefault((surname, citation.year), citation.key)
    return index


def _author_year_key(match: re.Match[str], index: dict[tuple[str, int], str]) -> str:
    name, year = match.group("name"), int(match.group("year"))
    found = index.get((name.split()[-1].lower(), year)) or index.get((name.lower(), year))
    if found:
        return found
    written = match.group(0).split(",")[0].strip()
    written = re.sub(r"\s*[(\[]?(?:19|20)\d{2}[a-z]?[)\]]?$", "", written)
    return f"{written} {year}"


def find_markers(
    text: str, *, named_citations: Sequence[str], n_references: int | None = None,
    citations: Sequence[Citation] = (),
) -> list[CitationMarker]:
    author_year = find_author_year_markers(text, citations)
    named = [m for m in find_named_markers(text, named_citations)
             if not any(a.start <= m.start < a.end for a in author_year)]
    numbered = [m for m in find_numbered_markers(text, n_references)
                if not any(a.start <= m.start < a.end for a in author_year)]
    return sorted(numbered + named + author_year, key=lambda m: m.start)


def author_mentions(text: str) -> list[str]:
    """ "Tong et al." style names written in the text, in order, without repeats."""
    names: list[str] = []
    for match in AUTHOR_MENTION.finditer(text):
        name = f"{match.group(1)} et al."
        if name not in names:
            names.append(name)
    return names
