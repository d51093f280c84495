"""Clean text from PubMed elements that carry inline markup.

PubMed titles, abstracts and keywords may hold HTML-like tags (`<i>`, `<b>`, `<u>`, `<sup>`,
`<sub>`) and MathML. We keep the words and drop the markup, with three rules chosen so that the
numbers downstream extractors look for survive:

- `<sup>` right after a digit becomes "^" + its text ("10<sup>6</sup>" -> "10^6"), so a power of
  ten is not read as a different number ("106"); any other `<sup>` (a footnote mark, a charge)
  and every `<sub>` become plain text ("D<sub>3</sub>" -> "D3").
- `<u>&lt;</u>` and `<u>&gt;</u>` are how PubMed writes "less/greater than or equal"; they become
  "≤" and "≥".
- MathML is flattened to its tokens without the layout whitespace of the source; prescripts
  come first ("³He" is written "3He"), `msup` follows the `<sup>` rule, `mfrac` becomes "a/b".

Whitespace is collapsed to single spaces. Character references were already decoded by the XML
parser, and nothing here decodes again: "&amp;lt;" in the file is "&lt;" in the text.
"""

from __future__ import annotations

from lxml import etree

MATHML_NAMESPACE = "http://www.w3.org/1998/Math/MathML"
_UNDERLINED_COMPARISONS = {"<": "≤", ">": "≥"}
_MATHML_SKIPPED = {"annotation", "annotation-xml", "none", "mprescripts"}


def normalize_space(text: str | None) -> str:
    """Collapse runs of whitespace (spaces, tabs, newlines) to one space and trim the ends."""
    return " ".join(text.split()) if text else ""


def element_text(element: etree._Element | None) -> str:
    """The readable text of `element` and its inline markup, whitespace normalised ("" if None)."""
    if element is None:
        return ""
    if len(element) == 0:  # the common case: no markup inside
        return normalize_space(element.text)
    parts: list[str] = []
    _append_content(element, parts)
    return normalize_space("".join(parts))


def _append_content(element: etree._Element, parts: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        if isinstance(child.tag, str):
            _append_inline(child, parts)
        # comments, processing instructions and unexpanded entity references add no words,
        # but the text after them does
        if child.tail:
            parts.append(child.tail)


def _append_inline(element: etree._Element, parts: list[str]) -> None:
    qname = etree.QName(element)
    if qname.namespace == MATHML_NAMESPACE or qname.localname == "math":
        parts.append(_mathml_text(element))
        return
    name = qname.localname.lower()
    if name == "sup":
        inner = element_text(element)
        parts.append(_superscript(parts, inner))
    elif name == "u":
        inner = element_text(element)
        parts.append(_UNDERLINED_COMPARISONS.get(inner, inner))
    else:
        _append_content(element, parts)


def _superscript(preceding: list[str], inner: str) -> str:
    if inner and _ends_with_digit(preceding):
        return "^" + inner
    return inner


def _ends_with_digit(parts: list[str]) -> bool:
    for part in reversed(parts):
        if part:
            return part[-1].isdigit()
    return False


def _mathml_text(element: etree._Element) -> str:
    """MathML flattened to its tokens; indentation between MathML elements is layout, not text."""
    name = etree.QName(element).localname
    children = [child for child in element if isinstance(child.tag, str)]
    if name in _MATHML_SKIPPED:
        return ""
    if name in {"mi", "mn", "mo", "ms"}:
        return normalize_space("".join(element.itertext()))
    if name == "mtext":
        return "".join(element.itertext())
    if name == "mspace":
        return " "
    if name == "msup" and len(children) == 2:
        base, exponent = (_mathml_text(child) for child in children)
        return base + _superscript([base], exponent)
    if name == "mfrac" and len(children) == 2:
        numerator, denominator = (_mathml_text(child) for child in children)
        return f"{numerator}/{denominator}"
    if name == "msqrt":
        return "√" + "".join(_mathml_text(child) for child in children)
    if name == "mmultiscripts":
        return _multiscripts_text(children)
    if name == "semantics" and children:
        return _mathml_text(children[0])
    return "".join(_mathml_text(child) for child in children)


def _multiscripts_text(children: list[etree._Element]) -> str:
    """`<mmultiscripts>` is base, post-scripts, `<mprescripts/>`, pre-scripts: read pre-scripts first."""
    names = [etree.QName(child).localname for child in children]
    split = names.index("mprescripts") if "mprescripts" in names else len(children)
    post = "".join(_mathml_text(child) for child in children[:split])
    pre = "".join(_mathml_text(child) for child in children[split + 1 :])
    return pre + post
