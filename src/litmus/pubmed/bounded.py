"""A guard in front of the XML parser: every construct of a document is measured as its bytes arrive.

lxml's `iterparse` feeds libxml2 in push mode, and a push parser keeps everything from the start of a
comment, processing instruction, CDATA section, DOCTYPE or tag until it sees that construct's end.
libxml2 only applies its own size limits once the end is there, so one unterminated comment in a 2 MB
`.xml.gz` grew the process to 2.3 GB, and a 2 GB attribute crashed it. `XmlSizeGuard` follows the
same lexical structure (text, tags with quoted attribute values, comments, PIs, CDATA, DOCTYPE)
chunk by chunk and raises as soon as a construct, or a run of text, passes its limit in
`litmus.limits`: what the parser may buffer is bounded by those limits plus one chunk.

The lexing is done by regular expressions, in C: possessive quantifiers never
backtrack, so the cost is linear in the input (a few per cent of parsing time).
"""

from __future__ import annotations

import io
import re
from typing import BinaryIO

from litmus import limits

# Text and tags, the bulk of any document, in one expression. A '>' inside quotes does not end a tag
# (libxml2 reads it the same way). The match stops at '<!' and '<?', handled by `_DECLARATION`.
_TEXT_AND_TAGS = re.compile(rb"""(?:[^<]++|<[^!?][^>"']*+(?:(?:"[^"]*+"|'[^']*+')[^>"']*+)*+>)*+""")
# Comments, processing instructions, CDATA sections and other '<!' declarations (not DOCTYPE).
_DECLARATION = re.compile(rb"""
    <!--(?:[^-]++|-(?!->))*+-->
  | <\?(?:[^?]++|\?(?!>))*+\?>
  | <!\[CDATA\[(?:[^\]]++|\](?!\]>))*+\]\]>
  | <!(?!--|\[CDATA\[|DOCTYPE)[^>"']*+(?:(?:"[^"]*+"|'[^']*+')[^>"']*+)*+>
""", re.VERBOSE)
_ONE_TAG = re.compile(rb"""<[^!?][^>"']*+(?:(?:"[^"]*+"|'[^']*+')[^>"']*+)*+>""")
# A DOCTYPE up to its end or to the start of an internal subset, quoted strings kept whole.
_DOCTYPE = re.compile(rb"""<!DOCTYPE(?:[^>"'\[]++|"[^"]*+"|'[^']*+')*+(?P<end>[>\[])?""")
_SUBSET_CLOSE = re.compile(rb"\s*+>?")

# What an unfinished construct is, from its first bytes (longest prefixes first), and for those with a
# fixed terminator, that terminator.
_KINDS = (
    (b"<!--", limits.XML_COMMENT, "a comment", b"-->"),
    (b"<![CDATA[", limits.XML_TEXT, "a CDATA section", b"]]>"),
    (b"<!DOCTYPE", limits.XML_DOCTYPE, "the DOCTYPE", None),
    (b"<?", limits.XML_PROCESSING_INSTRUCTION, "a processing instruction", b"?>"),
    (b"<", limits.XML_TAG, "a tag", None),
)
_LONGEST_PREFIX = max(len(kind[0]) for kind in _KINDS)  # fewer pending bytes cannot be told apart


# libxml2's own cap on one node without XML_PARSE_HUGE (lxml's huge_tree): raising XML_TEXT past it turns huge_tree on.
LIBXML2_NODE_CAP = 10_000_000


class XmlLimitError(ValueError):
    """A construct over its limit, or a DOCTYPE with an internal subset where none is allowed.

    `at` is the byte offset where the offending construct starts: what comes before it is sound.
    """

    def __init__(self, message: str, at: int = 0):
        super().__init__(message)
        self.at = at


class XmlSizeGuard:
    """Feed it a document's bytes in order; it raises `XmlLimitError` at the first construct over its limit."""

    def __init__(self, name: str, *, internal_subset: bool = False):
        self.name = name
        self.internal_subset = internal_subset  # JATS files may have one (its entities stay unexpanded)
        self._pending = b""  # an unfinished tag or DOCTYPE, from its '<' (lexed again with the next bytes)
        self._open = None  # an unfinished comment, PI or CDATA: (kind, bytes so far, last bytes), never kept whole
        self._text_run = 0  # bytes of text since the last construct
        self._offset = 0  # bytes of the document before the unfinished construct
        self._limits = {kind[1].name: kind[1].value for kind in _KINDS}
        self._text_limit = limits.XML_TEXT.value

    def feed(self, data: bytes) -> None:
        if not data:
            return
        if self._open is not None:
            data = self._continue_open(data)
            if not data:
                return
        buffer = self._pending + data if self._pending else data
        position = 0
        while True:
            position = _TEXT_AND_TAGS.match(buffer, position).end()
            if buffer.startswith(b"<!DOCTYPE", position):
                end = self._doctype_end(buffer, position)
            else:
                declaration = _DECLARATION.match(buffer, position)
                end = declaration.end() if declaration else None
            if end is None:
                break
            self._text_run = 0
            position = end
        self._track_text(buffer, position)
        self._offset += position
        self._pending = buffer[position:]
        if len(self._pending) >= _LONGEST_PREFIX:
            self._check_pending()

    def close(self) -> None:
        """The document ended: an unfinished construct is the parser's to report (truncated XML)."""
        self._pending, self._open = b"", None

    def _continue_open(self, data: bytes) -> bytes:
        """Search only the new bytes for the open construct's terminator; what follows it, if found."""
        kind, length, last = self._open
        terminator = kind[3]
        probe = last + data
        found = probe.find(terminator)
        if found < 0:
            length += len(data)
            self._open = (kind, length, probe[-(len(terminator) - 1):])
            if length > self._limits[kind[1].name]:
                raise self._over(kind, length)
            return b""
        rest = found + len(terminator) - len(last)
        self._offset += length + rest
        self._open, self._text_run = None, 0
        return data[rest:]

    def _check_pending(self) -> None:
        pending = self._pending
        for kind in _KINDS:
            prefix, limit, _, terminator = kind
            if pending.startswith(prefix):
                if terminator is not None:  # from now on only its length and last bytes are kept
                    body = pending[len(prefix):]
                    self._open = (kind, len(pending), body[len(body) - len(terminator) + 1:] if body else b"")
                    self._pending = b""
                if len(pending) > self._limits[limit.name]:
                    raise self._over(kind, len(pending))
                return

    def _over(self, kind, length: int) -> XmlLimitError:
        _, limit, label, _ = kind
        return XmlLimitError(limit.message(f"{self.name}: {label} at byte {self._offset:,}", length) + " (refused unread)",
                             self._offset)

    def _track_text(self, buffer: bytes, consumed: int) -> None:
        last_open = buffer.rfind(b"<", 0, consumed)
        if last_open < 0:  # all text: the run goes on
            self._text_run += consumed
        else:
            # The text after the last construct. A '<' inside a comment or an attribute value can make
            # `last_open` fall inside that construct: then the run is over-counted, never under-counted.
            construct = _ONE_TAG.match(buffer, last_open) or _DECLARATION.match(buffer, last_open)
            end = construct.end() if construct and last_open < construct.end() <= consumed else last_open
            self._text_run = consumed - end
        if self._text_run > self._text_limit:
            start = max(0, self._offset + consumed - self._text_run)
            raise XmlLimitError(limits.XML_TEXT.message(f"{self.name}: a text node at byte {start:,}", self._text_run), start)

    def _doctype_end(self, buffer: bytes, start: int) -> int | None:
        match = _DOCTYPE.match(buffer, start)
        if match.group("end") == b"[":
            if not self.internal_subset:
                raise XmlLimitError(
                    f"{self.name} has an internal DTD subset in its DOCTYPE; PubMed XML never does, so it is refused "
                    "unread (entity declarations can exhaust memory)", self._offset + start,
                )
            # Approximate (a ']' inside the subset ends it early): JATS files are parsed from memory, not pushed.
            close = buffer.find(b"]", match.end())
            tail = _SUBSET_CLOSE.match(buffer, close + 1) if close >= 0 else None
            if tail is None or tail.end() == len(buffer) and not tail.group(0).endswith(b">"):
                return None
            end = tail.end()
        elif match.group("end") == b">":
            end = match.end()
        else:
            return None
        if end - start > self._limits[limits.XML_DOCTYPE.name]:
            raise XmlLimitError(limits.XML_DOCTYPE.message(f"{self.name}: the DOCTYPE", end - start), self._offset + start)
        return end


class GuardedStream(io.RawIOBase):
    """A binary stream whose bytes pass an `XmlSizeGuard` before the parser reads them.

    When a construct is refused, the bytes before it are still handed out (the records they hold are
    sound), and the refusal is raised on the next read.
    """

    def __init__(self, raw: BinaryIO, guard: XmlSizeGuard):
        self._raw = raw
        self._guard = guard
        self._position = 0
        self._refusal: XmlLimitError | None = None

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._refusal is not None:
            raise self._refusal
        data = self._raw.read(size if size is not None and size >= 0 else 1 << 16)
        if not data:
            self._guard.close()
            return data
        try:
            self._guard.feed(data)
        except XmlLimitError as refusal:
            sound = refusal.at - self._position
            if sound <= 0:
                raise
            self._refusal, data = refusal, data[: min(sound, len(data))]
        self._position += len(data)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def check_document(data: bytes, name: str, *, internal_subset: bool = False, chunk: int = 1 << 16) -> None:
    """Measure a whole in-memory document (a JATS file): raises `XmlLimitError` like the stream guard."""
    guard = XmlSizeGuard(name, internal_subset=internal_subset)
    for start in range(0, len(data), chunk):
        guard.feed(data[start : start + chunk])
    guard.close()
