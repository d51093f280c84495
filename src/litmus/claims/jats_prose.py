"""A JATS article's body -> Markdown the claim reader takes: section titles as headings, paragraphs as
blocks, and each `<xref ref-type="bibr">` as a bracketed marker with the key its `<ref>` gets in
`litmus.references.jats` (its `<label>`, else its position), so claims cite the keys ingestion resolved.

Never fetches a DTD or resolves an entity (the same safe parser settings as the reference reader).
"""

from __future__ import annotations

import re

from lxml import etree

from litmus.references.markdown import ReviewParseError

_SKIPPED = {"table-wrap", "fig", "ref-list", "fn-group", "supplementary-material", "disp-formula", "ack"}


def jats_body_markdown(xml: bytes, *, source: str | None = None) -> str:
    """The article's title and body as Markdown; an article without a `<body>` gives its title only."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as error:
        raise ReviewParseError(f"not well-formed JATS XML ({source or 'input'}): {error}") from error
    article = root if _local(root) == "article" else next((e for e in root.iter() if _local(e) == "article"), None)
    if article is None:
        raise ReviewParseError(f"no <article> element in {source or 'the XML'}: expected PMC JATS")
    keys = _reference_keys(article)
    title = article.find("front/article-meta/title-group/article-title")
    blocks = [f"# {_inline(title, keys)}"] if title is not None else []
    body = article.find("body")
    if body is not None:
        blocks += _blocks(body, keys, level=2)
    return "\n\n".join(b for b in blocks if b.strip()) + "\n"


def _reference_keys(article: etree._Element) -> dict[str, str]:
    keys = {}
    position = 0
    for ref_list in article.iter("ref-list"):
        for ref in ref_list.findall("ref"):
            position += 1
            label = ref.find("label")
            text = "".join(label.itertext()).strip("[]().").strip() if label is not None else ""
            if ref.get("id"):
                keys[ref.get("id")] = text or str(position)
    return keys


def _blocks(element: etree._Element, keys: dict[str, str], level: int) -> list[str]:
    blocks = []
    for child in element:
        name = _local(child)
        if name in _SKIPPED:
            continue
        if name == "sec":
            title = child.find("title")
            if title is not None:
                blocks.append(f"{'#' * min(level, 6)} {_inline(title, keys)}")
            blocks += _blocks(child, keys, level + 1)
        elif name == "p":
            blocks.append(_inline(child, keys))
        elif name in {"list", "list-item", "boxed-text", "disp-quote"}:
            blocks += _blocks(child, keys, level)
    return blocks


def _inline(element: etree._Element, keys: dict[str, str]) -> str:
    parts = [element.text or ""]
    for child in element:
        name = _local(child)
        if name == "xref" and child.get("ref-type") == "bibr":
            cited = [keys.get(rid, rid) for rid in (child.get("rid") or "").split()]
            parts.append(f" [{', '.join(cited)}]" if cited else "")
        elif name not in _SKIPPED:
            parts.append(_inline(child, keys))
        parts.append(child.tail or "")
    text = re.sub(r"\s+", " ", "".join(parts)).strip()
    # "[3]–[5]" written as two cross-references with a dash between: one range.
    text = re.sub(r"\[(\w+)\]\s*[–—-]\s*\[(\w+)\]", r"[\1–\2]", text)
    return re.sub(r"\]\s*,\s*\[", ", ", text)


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
