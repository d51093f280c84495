"""A review's Markdown (often converted from a PDF) -> clean body paragraphs, and sentences.

PDF conversion leaves front matter before the title, author and affiliation blocks, figure captions,
page breaks inside sentences ("inadequate\\n\\nquality"), inline markup (`<sup>+</sup>`, `*in vivo*`,
`[Nan et al.](#)`) and back matter (References, Funding, …). Claims are read only from what is left.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# Sections that state no claims about cited work; matched on the lower-cased heading.
BOILERPLATE_HEADINGS = (
    "references", "bibliography", "author contributions", "authors' contributions",
    "author contribution", "funding", "conflict of interest", "conflicts of interest",
    "competing interests", "publisher's note", "publisher’s note", "acknowledgments",
    "acknowledgements", "data availability", "data availability statement", "ethics statement",
    "supplementary material", "supplementary materials", "abbreviations", "footnotes", "keywords",
    "open access", "correspondence", "specialty section", "citation", "copyright", "edited by",
    "reviewed by", "edited and reviewed by", "disclosures", "declaration of interests",
)
_TERMINAL = re.compile(r"""[.!?:;]["')\]]*$|\.\s*\(\d+(?:[,–-]\s*\d+)*\)$""")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_FIGURE_LABEL = re.compile(r"^(?:\*\*)?(?:figure|fig\.|table|supplementary figure)\s*\d+", re.I)
_AFFILIATION_HINT = re.compile(
    r"<sup>\s*\d|@|\b(?:University|Hospital|Department|Institute|Center|Centre|College|School)\b"
)
_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "kappa": "κ", "lambda": "λ", "mu": "μ",
}
_SUPERSCRIPT_CITATION = re.compile(r"(?<![/\d])<sup>\s*(\d+(?:\s*[,–-]\s*\d+)*)\s*</sup>")


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int
    end: int
    section: str | None


@dataclass(frozen=True, slots=True)
class CleanReview:
    """Body paragraphs joined by blank lines; `paragraphs` holds their offsets and section headings."""

    title: str | None
    text: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int  # index into CleanReview.paragraphs


def clean_review(markdown: str) -> CleanReview:
    blocks = _blocks(markdown)
    title_index = next((i for i, b in enumerate(blocks) if _heading_level(b) == 1), None)
    title = _HEADING.match(blocks[title_index]).group(2) if title_index is not None else None
    body = blocks[title_index + 1:] if title_index is not None else blocks
    pieces = _body_paragraphs(body)
    text_parts: list[str] = []
    paragraphs: list[Paragraph] = []
    offset = 0
    for section, paragraph in pieces:
        paragraphs.append(Paragraph(offset, offset + len(paragraph), section))
        text_parts.append(paragraph)
        offset += len(paragraph) + 2
    return CleanReview(
        title=clean_inline(title) if title else None,
        text="\n\n".join(text_parts),
        paragraphs=tuple(paragraphs),
    )


def _blocks(markdown: str) -> list[str]:
    blocks: list[str] = []
    for raw in re.split(r"\n\s*\n", markdown.replace("\r\n", "\n")):
        lines = [line.strip() for line in raw.strip().split("\n") if line.strip()]
        # A heading glued to its first paragraph is still a heading of its own.
        while lines and _HEADING.match(lines[0]) and len(lines) > 1:
            blocks.append(lines.pop(0))
        if lines:
            blocks.append("\n".join(lines))
    return blocks


def _heading_level(block: str) -> int | None:
    match = _HEADING.match(block)
    return len(match.group(1)) if match and "\n" not in block else None


def _body_paragraphs(blocks: list[str]) -> list[tuple[str | None, str]]:
    """Keep prose blocks outside boilerplate sections; drop bylines and figure captions; re-join breaks."""
    section: str | None = None
    skipping = False
    seen_heading = False
    after_figure_label = False
    kept: list[tuple[str | None, str]] = []
    for block in blocks:
        if _heading_level(block):
            heading = clean_inline(_HEADING.match(block).group(2)).strip()
            skipping = heading.strip(" *:").lower() in BOILERPLATE_HEADINGS
            section, seen_heading, after_figure_label = heading, True, False
            continue
        if skipping or block.startswith("!["):
            continue
        if not seen_heading and _AFFILIATION_HINT.search(block):
            continue  # the byline between the title and the first heading
        if _FIGURE_LABEL.match(block):
            # "FIGURE 1" alone heads the caption in the next block; "Figure 1. Caption" is the caption.
            after_figure_label = len(block) < 20
            continue
        if after_figure_label:
            after_figure_label = False
            continue
        paragraph = clean_inline(block)
        if not paragraph or _is_markup_only(paragraph):
            continue
        if kept and _continues(kept[-1][1], paragraph):
            kept[-1] = (kept[-1][0], f"{kept[-1][1]} {paragraph}")
        else:
            kept.append((section, paragraph))
    return kept


def _is_markup_only(paragraph: str) -> bool:
    return not re.search(r"[A-Za-z]{2}", paragraph)


def _continues(previous: str, paragraph: str) -> bool:
    """A page break split a sentence: the previous block has no closing punctuation and this one
    goes on in lower case."""
    return not _TERMINAL.search(previous) and paragraph[:1].islower()


def clean_inline(text: str) -> str:
    """Markdown/HTML inline markup -> plain text; superscript citation numbers become "[3]"."""
    text = re.sub(r"\$\\([a-zA-Z]+)\s*\$?", lambda m: _GREEK.get(m.group(1), m.group(1)), text)
    text = text.replace("$", "")
    text = _SUPERSCRIPT_CITATION.sub(_superscript_marker, text)
    text = re.sub(r"<sup>\s*([^<]*?)\s*</sup>", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])[*_](?=\S)(.+?)(?<=\S)[*_](?![\w*])", r"\1", text)
    text = html.unescape(text)
    return re.sub(r"\s+", " ", text).strip()


def _superscript_marker(match: re.Match[str]) -> str:
    return f" [{match.group(1)}]"


# ---------------------------------------------------------------------------------------- sentences

# Abbreviations that end with a full stop without ending a sentence.
_ABBREVIATIONS = (
    "et al", "e.g", "i.e", "vs", "cf", "Fig", "Figs", "approx", "ca", "resp", "incl", "Dr", "No",
    "Ref", "Refs", "Eq", "St", "Suppl", "Vol", "pp", "Jr", "Inc", "Ltd", "Co", "Prof", "Mr", "Ms",
)
# A sentence ends at ".", "!" or "?" (and closing quotes or brackets) before a capital or a digit, or
# after a flattened superscript citation glued to its full stop: "… respectively.6 Dual-targeting …".
_BOUNDARY = re.compile(
    r"[.!?]['\")\]]*(?=\s+[\"'(\[]?[A-Z0-9])|(?<=[A-Za-z%)])[.!?]\d+(?:[-–,]\d+)*(?=\s+[\"'(\[]?[A-Z])"
)
_ENDS_WITH_ABBREVIATION = re.compile(
    r"(?:\b(?:" + "|".join(re.escape(a) for a in _ABBREVIATIONS) + r")|\b[A-Z])\.$"
)


def split_sentences(review: CleanReview) -> list[Sentence]:
    sentences: list[Sentence] = []
    for index, paragraph in enumerate(review.paragraphs):
        for start, end in sentence_spans(review.text, paragraph.start, paragraph.end):
            sentences.append(Sentence(start, end, index))
    return sentences


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets in text[start:end]; "et al.", "e.g.", "vs." and decimals stay inside."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    sentence_start = start
    for match in _BOUNDARY.finditer(text, start, end):
        stop = match.end()
        if _ENDS_WITH_ABBREVIATION.search(text[sentence_start:match.start() + 1]):
            continue
        spans.append((sentence_start, stop))
        sentence_start = stop
        while sentence_start < end and text[sentence_start].isspace():
            sentence_start += 1
    if sentence_start < end and text[sentence_start:end].strip():
        spans.append((sentence_start, end))
    return spans


# ------------------------------------------------------------------------------------ locating

_TOKEN = re.compile(r"[A-Za-z0-9]+")
# Between two words of the clean text the file may hold spaces, line breaks, punctuation, markup
# ("<sup>+</sup>", "*in vivo*", "\\(", "](#)") and XML tags: anything but another word.
_BETWEEN = r"(?:[^A-Za-z0-9<\\]|<[^>]*>|\\[A-Za-z]*)*?"


def locate_in_source(source: str, text: str, *, near: int = 0) -> tuple[int, int] | None:
    """Offsets of the clean `text` (a sentence of `clean_review(source)`) in the file as written, or None.

    Words must follow each other with only whitespace, punctuation or markup between them; the first
    occurrence at or after `near` wins (then the first anywhere)."""
    words = _TOKEN.findall(text)
    if not words:
        return None
    pattern = re.compile(_BETWEEN.join(re.escape(w) for w in words[:60]))
    match = pattern.search(source, near) or pattern.search(source)
    if match is None:
        return None
    end = match.end()
    if len(words) > 60:
        tail = re.compile(_BETWEEN.join(re.escape(w) for w in words[-20:]))
        found = next((t for t in tail.finditer(source, match.start()) if t.end() >= match.end()), None)
        if found is None:
            return None
        end = found.end()
    # The closing punctuation after the last word: "malignancies." ends with its full stop.
    trailing = len(text) - len(text.rstrip(".!?;:)]\"'’ "))
    if not trailing:
        return match.start(), end
    # Markup may stand between the last word and its punctuation: "[6](#ref6).", "*vivo*.", "</xref>)."
    closing = re.match(r"(?:\]\([^)]*\)|</?\w+[^>]*>|[*_])*[.!?;:)\]\"'’]{1,%d}" % trailing, source[end:])
    return match.start(), end + (closing.end() if closing else 0)
