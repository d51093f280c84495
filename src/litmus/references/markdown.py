"""A review as plain text or Markdown -> `Review`: its numbered references and the works it names.

Text converted from a PDF is messy: entries wrap across lines, page furniture interrupts them, a
wrapped line may begin with a number. This module finds the reference list and cuts it into
entries (each read by `entries.parse_reference_entry`), collects the articles the prose cites by
author name, and reads the review's own title, DOI and year from its front matter. An entry that
cannot be read fully is kept with a `note`, never dropped: a reference silently lost is a claim
silently unverifiable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litmus.records import Citation, Review
from litmus.references.entries import (
    HTML_TAG,
    MARKDOWN_ESCAPE,
    NAME_PARTICLES,
    YEAR,
    find_doi,
    first_year,
    parse_reference_entry,
    strip_emphasis,
)


class ReviewParseError(ValueError):
    """The text has no recognisable reference list."""


REFERENCE_HEADINGS = frozenset(
    {"references", "reference list", "bibliography", "literature cited", "works cited", "cited literature"}
)
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
# Reference lists of any length: 9 digits is a billion entries (and int() of it is cheap); a wrapped line
# starting with a number only starts an entry when that number follows the previous entry's.
_NUMBERED_LINE = re.compile(r"^\s*(?:\[(?P<bracketed>\d{1,9})\]|(?P<number>\d{1,9})\\?[.)])\s+(?P<rest>\S.*)$")
_BULLET = re.compile(r"^\s*[-*+•]\s+")
_MIN_FALLBACK_ENTRIES = 2
_BARE_HEADING_LEVEL = 7  # "**References**" alone on a line ranks below any markdown heading


# --------------------------------------------------------------------------- the whole review


def parse_review_markdown(text: str, *, review_id: str, source: str | None = None) -> Review:
    """Read a review's reference list, its named citations and what its front matter says of it.

    Raises `ReviewParseError` when no reference list can be found.
    """
    lines = text.splitlines()
    section = find_reference_section(lines)
    if section is None:
        raise ReviewParseError(
            f"no reference list found in {source or review_id!r}: expected a heading such as "
            "'References', 'Bibliography' or 'Literature cited', or a numbered list of references "
            "at the end. Add such a heading above the list, or transcribe the references."
        )
    heading_line, start, end = section
    numbered = tuple(
        parse_reference_entry(key, entry) for key, entry in split_reference_entries(lines[start:end])
    )
    prose = "\n".join(lines[:heading_line])
    named = find_named_citations(prose, numbered)
    if not numbered and not named:
        raise ReviewParseError(
            f"the reference list of {source or review_id!r} (line {heading_line + 1}) has no entries "
            "and the text names no work by author: there is nothing to resolve"
        )
    front = read_front_matter(lines[:heading_line])
    return Review(
        review_id=review_id,
        title=front.title or review_id,
        citations=numbered + named,
        doi=front.doi,
        journal=front.journal,
        year=front.year,
        authors=front.authors,
        source=source,
    )


# --------------------------------------------------------------------------- finding the list


def _heading_text(line: str) -> tuple[int, str] | None:
    """(level, text) of a markdown heading, or of a short line standing alone like "**References**"."""
    match = _HEADING.match(line)
    if match:
        return len(match.group(1)), match.group(2)
    stripped = line.strip().strip("*_:").strip()
    if stripped and len(stripped) <= 40 and stripped.lower() in REFERENCE_HEADINGS:
        return _BARE_HEADING_LEVEL, stripped
    return None


def _is_reference_heading(text: str) -> bool:
    return re.sub(r"[^a-z ]", "", text.lower()).strip() in REFERENCE_HEADINGS


def find_reference_section(lines: list[str]) -> tuple[int, int, int] | None:
    """(heading line, first line, end line) of the reference list, or None.

    The last reference heading wins, since a table of contents may name it earlier. Without a
    heading, the last run of lines numbered 1, 2, 3… that mostly hold a year is taken.
    """
    for index in range(len(lines) - 1, -1, -1):
        heading = _heading_text(lines[index])
        if heading and _is_reference_heading(heading[1]):
            return index, index + 1, _section_end(lines, index + 1, heading[0])
    return _last_numbered_run(lines)


def _section_end(lines: list[str], start: int, level: int) -> int:
    """The next markdown heading of `level` or above; any markdown heading ends a bare-line section."""
    for index in range(start, len(lines)):
        match = _HEADING.match(lines[index])
        if match and (level == _BARE_HEADING_LEVEL or len(match.group(1)) <= level):
            return index
    return len(lines)


def _last_numbered_run(lines: list[str]) -> tuple[int, int, int] | None:
    runs: list[tuple[int, int]] = []  # (first line, count of entries)
    previous = None
    for index, line in enumerate(lines):
        if _HEADING.match(line):
            previous = None
            continue
        match = _NUMBERED_LINE.match(line)
        if not match:
            continue
        number = int(match.group("bracketed") or match.group("number"))
        if number == 1:
            runs.append((index, 1))
        elif previous is not None and number == previous + 1 and runs:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            continue
        previous = number
    for first, count in reversed(runs):
        end = _section_end(lines, first, 6)
        entries = split_reference_entries(lines[first:end])
        with_year = sum(1 for _, entry in entries if YEAR.search(entry))
        if count >= _MIN_FALLBACK_ENTRIES and with_year * 2 > len(entries):
            return first, first, end
    return None


def split_reference_entries(lines: list[str]) -> list[tuple[str, str]]:
    """(key, text) per entry; wrapped lines are joined to the entry they continue.

    A numbered line starts a new entry only when its number follows the previous one, so a
    wrapped line that happens to begin "44. doi…" stays part of its entry. A list with no numbers
    is split on bullets or blank lines and keyed by position.
    """
    entries: list[list[str]] = []
    previous: int | None = None
    for line in lines:
        match = _NUMBERED_LINE.match(line)
        number = int(match.group("bracketed") or match.group("number")) if match else None
        if match and (previous is None or number == previous + 1):
            entries.append([str(number), match.group("rest").strip()])
            previous = number
        elif entries and line.strip():
            entries[-1][1] += " " + line.strip()
    if entries:
        return [(key, text) for key, text in entries]
    return _split_unnumbered(lines)


def _split_unnumbered(lines: list[str]) -> list[tuple[str, str]]:
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        starts_bullet = bool(_BULLET.match(line))
        if (not line.strip() or starts_bullet) and current:
            paragraphs.append(" ".join(current))
            current = []
        if line.strip():
            current.append(_BULLET.sub("", line).strip())
    if current:
        paragraphs.append(" ".join(current))
    return [(str(position), text) for position, text in enumerate(paragraphs, start=1)]


# --------------------------------------------------------------------------- citations in the prose

_NAMED = re.compile(
    r"(?<![\w-])(?P<surname>(?:(?:" + "|".join(sorted(NAME_PARTICLES)) + r")\s+)*[^\W\d_][\w'’-]*)\s+et\s+al\b\.?"
)
_MARKER = re.compile(
    r"[\[(]\s*(?P<list>\d{1,9}(?:\s*[,–—-]\s*\d{1,9})*)\s*[\])]|<sup>\s*(?P<sup>\d{1,9}(?:\s*[,–—-]\s*\d{1,9})*)\s*</sup>"
)
_PROSE_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\[(*_]?[A-Z])")
_CITATION_WINDOW = 2  # the sentence naming the authors and the next: the marker often closes the description


def cited_numbers(sentence: str) -> set[str]:
    """Reference numbers cited by markers such as "(5)", "[3, 7-9]" or "<sup>2</sup>"."""
    numbers: set[str] = set()
    for match in _MARKER.finditer(sentence):
        for part in (match.group("list") or match.group("sup")).split(","):
            bounds = re.split(r"\s*[–—-]\s*", part.strip())
            if len(bounds) == 2 and int(bounds[0]) < int(bounds[1]) <= int(bounds[0]) + 50:
                numbers.update(str(n) for n in range(int(bounds[0]), int(bounds[1]) + 1))
            else:
                numbers.update(bound for bound in bounds if bound)
    return numbers


def prose_sentences(prose: str) -> list[str]:
    text = " ".join(line.strip().lstrip("#").strip() for line in prose.splitlines() if line.strip())
    return [s for s in _PROSE_SENTENCE_END.split(text) if s]


def find_named_citations(prose: str, numbered: tuple[Citation, ...] = ()) -> tuple[Citation, ...]:
    """Works cited by author name ("Nan et al.", "[Valeri et al.](#)"), unique, in order of appearance.

    A name is left out when it is the first author of a numbered reference that a marker cites
    in the same sentence or the next: "Cordoba et al. enrolled … (5)" is reference 5.
    """
    first_authors = {c.key: c.first_author_surname.lower() for c in numbered if c.first_author_surname}
    sentences = prose_sentences(MARKDOWN_ESCAPE.sub(r"\1", prose))
    named: dict[str, Citation] = {}
    for index, sentence in enumerate(sentences):
        window = " ".join(sentences[index : index + _CITATION_WINDOW])
        numbered_here = {first_authors[n] for n in cited_numbers(window) if n in first_authors}
        for match in _NAMED.finditer(sentence):
            surname = match.group("surname")
            if not _looks_like_surname(surname) or surname.lower() in numbered_here:
                continue
            key = f"{surname} et al."
            named.setdefault(key, Citation(key=key, kind="named", authors=(surname,)))
    return tuple(named.values())


def _looks_like_surname(surname: str) -> bool:
    last = surname.split()[-1]
    return last[:1].isupper()


# --------------------------------------------------------------------------- the review itself


@dataclass(frozen=True, slots=True)
class FrontMatter:
    title: str | None = None
    doi: str | None = None
    year: int | None = None
    journal: str | None = None
    authors: tuple[str, ...] = ()


def read_front_matter(lines: list[str]) -> FrontMatter:
    """Title from the first level-1 heading; DOI, year, journal and authors from a CITATION block
    ("Zhang T, … (2022) Title. *Journal* 13:1093339. doi: …") or YAML front matter."""
    yaml = _yaml_front_matter(lines)
    citation_text = _block_after_heading(lines, "citation")
    cited = parse_reference_entry("review", citation_text) if citation_text else None
    title = _first_level_one_heading(lines) or yaml.get("title") or (cited.title if cited else None)
    doi = (cited.doi if cited else None) or _doi_in(yaml.get("doi")) or _front_doi(lines)
    year = (cited.year if cited else None) or _int_or_none(yaml.get("year")) or _published_year(lines)
    return FrontMatter(
        title=title,
        doi=doi,
        year=year,
        journal=(cited.journal if cited else None) or yaml.get("journal"),
        authors=cited.authors if cited else (),
    )


def _strip_inline_markup(text: str) -> str:
    text = MARKDOWN_ESCAPE.sub(r"\1", HTML_TAG.sub("", text))
    text, _ = strip_emphasis(text)
    return " ".join(text.split())


def _first_level_one_heading(lines: list[str]) -> str | None:
    for line in lines:
        match = _HEADING.match(line)
        if match and len(match.group(1)) == 1 and match.group(2).strip():
            return _strip_inline_markup(match.group(2))
    return None


def _block_after_heading(lines: list[str], name: str) -> str | None:
    for index, line in enumerate(lines):
        match = _HEADING.match(line)
        if match and re.sub(r"[^a-z ]", "", match.group(2).lower()).strip() == name:
            end = _section_end(lines, index + 1, 6)
            return " ".join(l.strip() for l in lines[index + 1 : end] if l.strip()) or None
    return None


def _yaml_front_matter(lines: list[str]) -> dict[str, str]:
    if not lines or lines[0].strip() != "---":
        return {}
    fields: dict[str, str] = {}
    for line in lines[1:]:
        if line.strip() == "---":
            return fields
        name, sep, value = line.partition(":")
        if sep and name.strip().isidentifier():
            fields[name.strip().lower()] = value.strip().strip("'\"")
    return {}


def _doi_in(text: str | None) -> str | None:
    return find_doi(text) if text else None


def _front_doi(lines: list[str]) -> str | None:
    for line in lines:
        match = _HEADING.match(line)
        if match and len(match.group(1)) == 1:
            return None  # past the front matter: DOIs below belong to what the review cites
        if re.search(r"\bdoi\b", line, re.IGNORECASE):
            doi = find_doi(line)
            if doi:
                return doi
    return None


def _published_year(lines: list[str]) -> int | None:
    for line in lines:
        if re.match(r"^\s*(?:\W*)published\b", line, re.IGNORECASE):
            year = first_year(line)
            if year:
                return int(year)
    return None


def _int_or_none(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() else None
