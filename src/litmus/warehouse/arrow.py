"""Records → Arrow tables shaped like the warehouse tables (pure; no database here)."""

from __future__ import annotations

from typing import Iterable, Sequence

import pyarrow as pa

from litmus.records import PubmedRecord

STRINGS = pa.list_(pa.string())

PAPER_SCHEMA = pa.schema(
    [
        ("pmid", pa.string()), ("version", pa.int32()), ("doi", pa.string()), ("pmcid", pa.string()),
        ("title", pa.string()), ("abstract", pa.string()), ("has_abstract", pa.bool_()),
        ("journal", pa.string()), ("journal_iso", pa.string()), ("issn", pa.string()),
        ("pub_year", pa.int32()), ("pub_date", pa.string()), ("volume", pa.string()),
        ("issue", pa.string()), ("pages", pa.string()), ("language", pa.string()),
        ("keywords", STRINGS), ("chemicals", STRINGS), ("is_retracted", pa.bool_()),
        ("has_correction", pa.bool_()), ("date_revised", pa.string()), ("source", pa.string()),
        ("abstract_truncated", pa.bool_()),
    ]
)
SECTION_SCHEMA = pa.schema(
    [
        ("pmid", pa.string()), ("section_index", pa.int32()), ("label", pa.string()),
        ("nlm_category", pa.string()), ("text", pa.string()), ("start_offset", pa.int32()),
    ]
)
AUTHOR_SCHEMA = pa.schema(
    [
        ("pmid", pa.string()), ("position", pa.int32()), ("last_name", pa.string()),
        ("fore_name", pa.string()), ("initials", pa.string()), ("collective_name", pa.string()),
        ("affiliations", STRINGS),
    ]
)
PUBLICATION_TYPE_SCHEMA = pa.schema([("pmid", pa.string()), ("publication_type", pa.string())])
MESH_SCHEMA = pa.schema(
    [
        ("pmid", pa.string()), ("position", pa.int32()), ("descriptor", pa.string()),
        ("ui", pa.string()), ("major", pa.bool_()), ("qualifiers", STRINGS),
        ("major_qualifiers", STRINGS),
    ]
)
CORRECTION_SCHEMA = pa.schema(
    [
        ("pmid", pa.string()), ("position", pa.int32()), ("ref_type", pa.string()),
        ("ref_pmid", pa.string()), ("ref_source", pa.string()),
    ]
)
CORRECTION_TYPES = frozenset({"ErratumIn", "CorrectedandRepublishedIn", "ExpressionOfConcernIn"})


def rows_to_table(rows: Sequence[dict], schema: pa.Schema) -> pa.Table:
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    return pa.table(columns, schema=schema)


def latest_per_pmid(records: Iterable[PubmedRecord]) -> list[PubmedRecord]:
    """One record per PMID, the highest version (then the last seen) winning.

    DuckDB silently keeps the first of duplicate keys inside one batch, so duplicates are
    settled here, where the rule is explicit.
    """
    chosen: dict[str, PubmedRecord] = {}
    for record in records:
        previous = chosen.get(record.pmid)
        if previous is None or record.version >= previous.version:
            chosen[record.pmid] = record
    return list(chosen.values())


def section_offsets(record: PubmedRecord) -> list[int]:
    """Start of each section's text inside `record.abstract` (see records.abstract_text)."""
    offsets, cursor = [], 0
    for section in record.abstract_sections:
        prefix = len(section.label) + 2 if section.label else 0
        offsets.append(cursor + prefix)
        cursor += prefix + len(section.text) + 1
    return offsets


def paper_tables(records: Sequence[PubmedRecord], source: str) -> dict[str, pa.Table]:
    papers, sections, authors, types, mesh, corrections = [], [], [], [], [], []
    for r in records:
        abstract = r.abstract
        papers.append(
            {
                "pmid": r.pmid, "version": r.version, "doi": r.doi, "pmcid": r.pmcid,
                "title": r.title, "abstract": abstract or None, "has_abstract": bool(abstract.strip()),
                "journal": r.journal, "journal_iso": r.journal_iso, "issn": r.issn,
                "pub_year": r.pub_year, "pub_date": r.pub_date, "volume": r.volume,
                "issue": r.issue, "pages": r.pages, "language": r.language,
                "keywords": list(r.keywords), "chemicals": list(r.chemicals),
                "is_retracted": r.is_retracted,
                "has_correction": any(c.ref_type in CORRECTION_TYPES for c in r.comments_corrections),
                "date_revised": r.date_revised, "source": source, "abstract_truncated": r.abstract_truncated,
            }
        )
        for index, (section, start) in enumerate(zip(r.abstract_sections, section_offsets(r))):
            sections.append(
                {"pmid": r.pmid, "section_index": index, "label": section.label,
                 "nlm_category": section.nlm_category, "text": section.text, "start_offset": start}
            )
        for position, author in enumerate(r.authors, start=1):
            authors.append(
                {"pmid": r.pmid, "position": position, "last_name": author.last_name,
                 "fore_name": author.fore_name, "initials": author.initials,
                 "collective_name": author.collective_name, "affiliations": list(author.affiliations)}
            )
        for publication_type in dict.fromkeys(r.publication_types):
            types.append({"pmid": r.pmid, "publication_type": publication_type})
        for position, heading in enumerate(r.mesh_headings, start=1):
            mesh.append(
                {"pmid": r.pmid, "position": position, "descriptor": heading.descriptor,
                 "ui": heading.ui, "major": heading.major,
                 "qualifiers": [q.name for q in heading.qualifiers],
                 "major_qualifiers": [q.name for q in heading.qualifiers if q.major]}
            )
        for position, comment in enumerate(r.comments_corrections, start=1):
            corrections.append(
                {"pmid": r.pmid, "position": position, "ref_type": comment.ref_type,
                 "ref_pmid": comment.pmid, "ref_source": comment.source}
            )
    return {
        "papers": rows_to_table(papers, PAPER_SCHEMA),
        "abstract_sections": rows_to_table(sections, SECTION_SCHEMA),
        "authors": rows_to_table(authors, AUTHOR_SCHEMA),
        "publication_types": rows_to_table(types, PUBLICATION_TYPE_SCHEMA),
        "mesh_headings": rows_to_table(mesh, MESH_SCHEMA),
        "comments_corrections": rows_to_table(corrections, CORRECTION_SCHEMA),
    }
