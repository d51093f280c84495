"""Stream PubMed XML (EFetch answers, bulk baseline and update files) into typed records.

Memory stays flat on bulk files: each record element is turned into a record at its end tag,
then cleared and dropped from the tree together with everything before it.

The parser never resolves entities, loads a DTD or touches the network. PubMed XML declares no
entities, so a document whose DOCTYPE does (the "billion laughs" attack and its kin) is refused
before any of it is read. Every construct (text, tag, comment, processing instruction, CDATA,
DOCTYPE) is measured by `bounded.XmlSizeGuard` before libxml2 buffers it, so memory stays bounded
by `litmus.limits` whatever the document holds.
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from litmus.pubmed.article import (
    deleted_pmids,
    record_from_medline_citation,
    record_from_pubmed_article,
    record_from_pubmed_book_article,
)
from litmus import limits
from litmus.pubmed.bounded import LIBXML2_NODE_CAP, GuardedStream, XmlLimitError, XmlSizeGuard
from litmus.pubmed.errors import PubmedParseError
from litmus.pubmed.text import normalize_space
from litmus.records import DeletedCitation, PubmedRecord

PubmedSource = bytes | bytearray | memoryview | str | os.PathLike | BinaryIO

_GZIP_MAGIC = b"\x1f\x8b"
_RECORD_SET_ROOTS = {"PubmedArticleSet", "MedlineCitationSet"}
_SINGLE_RECORD_ROOTS = {"PubmedArticle", "PubmedBookArticle", "MedlineCitation"}
# E-utilities answers that carry NCBI's `<ERROR>` text when a request fails.
_EUTILS_ROOTS = {
    "eFetchResult",
    "eSearchResult",
    "eSummaryResult",
    "eLinkResult",
    "ePostResult",
    "eInfoResult",
    "eSpellResult",
    "eGQueryResult",
}


def iter_pubmed_xml(source: PubmedSource) -> Iterator[PubmedRecord | DeletedCitation]:
    """Yield each record of a PubMed XML document, and a `DeletedCitation` per deleted PMID.

    `source` is the document as bytes, a path to a `.xml` or `.xml.gz` file, or a binary file
    object; gzip is recognised by its magic bytes, not by the file name. Raises
    `PubmedParseError` for input that is not PubMed XML, is malformed or truncated, or is an NCBI
    `<ERROR>` answer; records before the fault have already been yielded by then.
    """
    with _open_stream(source) as (stream, name):
        yield from _iter_stream(GuardedStream(stream, XmlSizeGuard(name)), name)


def parse_pubmed_xml(data: PubmedSource) -> list[PubmedRecord]:
    """All records of a PubMed XML document (deleted-citation entries are left out)."""
    return [item for item in iter_pubmed_xml(data) if isinstance(item, PubmedRecord)]


# --------------------------------------------------------------------------- input


@contextmanager
def _open_stream(source: PubmedSource) -> Iterator[tuple[BinaryIO, str]]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        yield _decompressed(io.BytesIO(bytes(source))), "<bytes>"
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        with path.open("rb") as raw:
            yield _decompressed(raw), str(path)
    elif hasattr(source, "read"):
        yield _decompressed(source), getattr(source, "name", "<stream>")
    else:
        raise TypeError(
            f"cannot read PubMed XML from {type(source).__name__}: pass bytes, a path or a binary file"
        )


def _decompressed(raw: BinaryIO) -> BinaryIO:
    head = raw.read(2)
    if isinstance(head, str):
        raise TypeError("PubMed XML must be read in binary mode: open the file with 'rb'")
    stream = _Prepended(head, raw)
    return gzip.GzipFile(fileobj=stream, mode="rb") if head == _GZIP_MAGIC else stream


class _Prepended(io.RawIOBase):
    """A stream whose first bytes were already read to sniff the format (works unseekable)."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size is None or size < 0:
                data, self._head = self._head + self._rest.read(), b""
                return data
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._rest.read(size)

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# --------------------------------------------------------------------------- parsing


def _iter_stream(stream: BinaryIO, name: str) -> Iterator[PubmedRecord | DeletedCitation]:
    events = etree.iterparse(
        stream,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=limits.XML_TEXT.value > LIBXML2_NODE_CAP,  # only when a user raised the text limit past libxml2's
        remove_comments=True,
        remove_pis=True,
    )
    root = None
    record_parent = None  # the set element whose children are records; None for a lone record
    count = 0
    last_pmid: str | None = None
    try:
        for event, element in events:
            if root is None:
                root = element
                _check_root(element, events, name)
                record_parent = root if root.tag in _RECORD_SET_ROOTS else None
                continue
            if event != "end":
                continue
            is_record = element.getparent() is record_parent if record_parent is not None else element is root
            if not is_record:
                continue
            for item in _items_of(element, count, last_pmid):
                count += 1
                last_pmid = item.pmid
                yield item
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del root[0]
    except XmlLimitError as error:
        raise PubmedParseError(f"{error} ({_progress(count, last_pmid)})", pmid=last_pmid) from error
    except etree.XMLSyntaxError as error:
        if root is None:
            raise PubmedParseError(
                f"{name} is empty or not XML ({error.msg}): expected a PubMed XML document"
            ) from error
        raise _syntax_error(error, name, count, last_pmid) from error
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise PubmedParseError(
            f"{name}: the gzip data is truncated or corrupt ({_progress(count, last_pmid)}): {error}; "
            "download the file again",
            pmid=last_pmid,
        ) from error
    if root is None:
        raise PubmedParseError(f"{name} is empty: expected a PubMed XML document")


def _items_of(element, position: int, last_pmid: str | None) -> list[PubmedRecord | DeletedCitation]:
    tag = element.tag
    try:
        if tag == "PubmedArticle":
            return [record_from_pubmed_article(element)]
        if tag == "MedlineCitation":
            return [record_from_medline_citation(element)]
        if tag == "PubmedBookArticle":
            return [record_from_pubmed_book_article(element)]
        if tag == "DeleteCitation":
            return [DeletedCitation(pmid=pmid) for pmid in deleted_pmids(element)]
    except PubmedParseError as error:
        where = (
            f" (record {position + 1}, after PMID {last_pmid})" if last_pmid else f" (record {position + 1})"
        )
        raise PubmedParseError(f"{error}{where}", pmid=error.pmid) from error
    return []  # other children (e.g. DeleteDocument for books) carry no citation records


def _check_root(root, events, name: str) -> None:
    tag = root.tag if isinstance(root.tag, str) else ""
    local = etree.QName(root).localname if tag else ""
    if tag in _RECORD_SET_ROOTS or tag in _SINGLE_RECORD_ROOTS:
        _refuse_entity_declarations(root, name)
        return
    if local.lower() == "html":
        raise PubmedParseError(
            f"{name} is an HTML page, not PubMed XML: NCBI sends one for an error or a non-XML "
            "format; request EFetch with db=pubmed&retmode=xml"
        )
    if local in _EUTILS_ROOTS:
        ncbi_error = _first_error_text(events)
        if ncbi_error is not None:
            raise PubmedParseError(
                f"NCBI answered with an error instead of records: {ncbi_error}", ncbi_error=ncbi_error
            )
        raise PubmedParseError(
            f"{name} is an E-utilities <{local}> answer, not PubMed EFetch XML: "
            "fetch records with efetch db=pubmed retmode=xml"
        )
    raise PubmedParseError(
        f"{name}: root element <{local or root.tag}> is not PubMed XML "
        "(expected <PubmedArticleSet> or <MedlineCitationSet>)"
    )


def _refuse_entity_declarations(root, name: str) -> None:
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise PubmedParseError(
            f"{name} declares XML entities in its DOCTYPE; PubMed XML never does, so it is refused "
            "unread (entity expansion can exhaust memory)"
        )


def _first_error_text(events) -> str | None:
    for event, element in events:
        if event == "end" and element.tag == "ERROR":
            return normalize_space("".join(element.itertext())) or "(empty ERROR element)"
    return None


def _syntax_error(
    error: etree.XMLSyntaxError, name: str, count: int, last_pmid: str | None
) -> PubmedParseError:
    line, column = error.position if error.position else (None, None)
    where = f"line {line}, column {column}" if line else "an unknown position"
    return PubmedParseError(
        f"{name} is malformed or truncated at {where} ({_progress(count, last_pmid)}): {error.msg}",
        pmid=last_pmid,
    )


def _progress(count: int, last_pmid: str | None) -> str:
    return f"after {count} records, last PMID {last_pmid}" if last_pmid else f"after {count} records"
