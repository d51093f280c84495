"""The parser on real NCBI answers and PubMed bulk files from ../shared/data (skipped without it)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from litmus.pubmed import PubmedParseError, iter_pubmed_xml, parse_pubmed_xml
from pubmed_render import render_pubmed_article_set
from litmus.records import DeletedCitation, PubmedRecord


@pytest.fixture
def efetch_dir(shared_data: Path) -> Path:
    return shared_data / "entrez-responses" / "biopython" / "efetch_pubmed"


@pytest.fixture
def bulk_dir(shared_data: Path) -> Path:
    return shared_data / "pubmed-files"


def split(items) -> tuple[list[PubmedRecord], list[DeletedCitation]]:
    items = list(items)
    records = [i for i in items if isinstance(i, PubmedRecord)]
    return records, [i for i in items if isinstance(i, DeletedCitation)]


def assert_complete(record: PubmedRecord) -> None:
    assert record.pmid.isdigit()
    assert record.title
    assert record.pub_year and 1900 < record.pub_year < 2030


def test_biopython_efetch_answers(efetch_dir: Path) -> None:
    expected_pmids = {
        "pubmed1.xml": ["12091962", "9997"],
        "pubmed2.xml": ["11748933", "11700088"],
        "pubmed4.xml": ["27797938"],
        "pubmed5.xml": ["28775130"],
        "pubmed6.xml": ["30108519"],
        "pubmed7.xml": ["29963580"],
    }
    for path in sorted(efetch_dir.glob("*.xml")):
        records = parse_pubmed_xml(path)
        assert [r.pmid for r in records] == expected_pmids[path.name]
        for record in records:
            assert_complete(record)
            assert parse_pubmed_xml(render_pubmed_article_set([record])) == [record]


def test_html_error_page_is_refused_clearly(efetch_dir: Path) -> None:
    with pytest.raises(PubmedParseError, match=r"pubmed3\.html is an HTML page, not PubMed XML.*retmode=xml"):
        parse_pubmed_xml(efetch_dir / "pubmed3.html")


def test_record_fields_against_the_file(efetch_dir: Path) -> None:
    (gut,) = parse_pubmed_xml(efetch_dir / "pubmed4.xml")
    assert gut.title.startswith("Leucocyte telomere length, genetic variants at the TERT gene region")
    assert (gut.doi, gut.pmcid, gut.pub_date, gut.journal_iso) == (
        "10.1136/gutjnl-2016-312510",
        "PMC5442267",
        "2017-06",
        "Gut",
    )
    assert (gut.volume, gut.issue, gut.pages) == ("66", "6", "1116-1122")
    assert len(gut.authors) == 22 and gut.authors[0].display_name == "Bao Y"
    assert len(gut.mesh_headings) == 21
    assert [s.label for s in gut.abstract_sections] == ["OBJECTIVE", "DESIGN", "RESULTS", "CONCLUSIONS"]

    no_abstract, with_abstract = parse_pubmed_xml(efetch_dir / "pubmed1.xml")
    assert no_abstract.abstract_sections == () and with_abstract.abstract
    assert with_abstract.doi == "10.1016/0005-2795(76)90109-4"
    assert with_abstract.pub_date == "1976-09-28"

    (pesticides,) = parse_pubmed_xml(efetch_dir / "pubmed5.xml")
    assert "TSH >4.5 mIU/L" in pesticides.abstract
    assert "0.4-≤4.5 mIU/L" in pesticides.abstract
    assert "ORQ3=4.15" in pesticides.abstract

    (imaging,) = parse_pubmed_xml(efetch_dir / "pubmed7.xml")
    assert "inhaled 3He/129Xe MRI ventilation" in imaging.abstract
    assert "mml" not in imaging.abstract and "  " not in imaging.abstract


def classify(path: Path) -> str:
    """What kind of E-utilities answer a file is, from its root element."""
    root_tag = next(etree.iterparse(str(path), events=("start",), no_network=True, resolve_entities=False))[
        1
    ].tag
    return "pubmed" if root_tag == "PubmedArticleSet" else root_tag


def test_every_metapub_file_parses_or_is_refused_by_kind(shared_data: Path) -> None:
    files = sorted((shared_data / "entrez-responses" / "metapub").rglob("*.xml"))
    assert len(files) >= 160
    kinds = Counter()
    record_count = 0
    for path in files:
        kind = classify(path)
        kinds[kind] += 1
        if kind == "pubmed":
            records = parse_pubmed_xml(path)
            for record in records:
                assert_complete(record)
            if path.parent.name == "pmid_xml" and records:
                assert records[0].pmid == path.stem  # fixtures are named by their PMID
            record_count += len(records)
            assert parse_pubmed_xml(render_pubmed_article_set(records)) == records
        else:
            with pytest.raises(PubmedParseError, match=f"<{kind}> answer, not PubMed EFetch XML"):
                parse_pubmed_xml(path)
    assert kinds == {"pubmed": len(files) - 2, "eLinkResult": 2}
    assert record_count == len(files) - 3  # one EFetch answer is an empty PubmedArticleSet


def test_metapub_record_details(shared_data: Path) -> None:
    folder = shared_data / "entrez-responses" / "metapub" / "tests"
    (vitamin,) = parse_pubmed_xml(folder / "data" / "pmid_28731372.xml")
    assert vitamin.title.startswith("Exploring the effect of vitamin D3 supplementation")
    assert (vitamin.doi, vitamin.journal_iso, vitamin.pub_date, vitamin.pages) == (
        "10.1177/1352458517722646",
        "Mult Scler",
        "2018-09",
        "1280-1287",
    )
    (erratum,) = parse_pubmed_xml(folder / "fixtures" / "pmid_xml" / "38147649.xml")
    assert [(c.ref_type, c.pmid) for c in erratum.comments_corrections] == [("ErratumIn", "39705317")]
    assert not erratum.is_retracted
    (group,) = parse_pubmed_xml(folder / "fixtures" / "pmid_xml" / "39382274.xml")
    assert any(
        a.collective_name and a.collective_name.startswith("GEMARA-SEIMC/CIBERINFEC Study Group")
        for a in group.authors
    )


def test_pubmed_2020_update_file(bulk_dir: Path) -> None:
    records, deleted = split(iter_pubmed_xml(bulk_dir / "pubmed20n1015.xml.gz"))
    assert (len(records), len(deleted)) == (756, 0)
    for record in records:
        assert_complete(record)
    first = records[0]
    assert (first.pmid, first.doi, first.pmcid, first.pub_date) == (
        "31839728",
        "10.11613/BM.2020.011001",
        "PMC6904971",
        "2020-02-15",
    )
    assert (
        first.title
        == "High anion gap metabolic acidosis caused by D-lactate: mind the time of blood collection."
    )
    assert [a.display_name for a in first.authors] == ["Weemaes M", "Hiele M", "Vermeersch P"]
    # an update file may carry several versions of one PMID
    assert [r.version for r in records if r.pmid == "31828225"] == [2, 3, 4]
    assert records[-1].language == "chi" and records[-1].title.startswith("[")


def test_medline_2016_old_layout(bulk_dir: Path) -> None:
    records, deleted = split(iter_pubmed_xml(bulk_dir / "medline16n0902.xml.gz"))
    assert (len(records), deleted) == (604, [DeletedCitation("26432306")])
    first = records[0]
    assert (first.pmid, first.pub_date, first.volume, first.issue, first.pages) == (
        "17942999",
        "2007",
        "25",
        "3-4",
        "195-210",
    )
    assert first.pmcid == "PMC4380289"  # from OtherID: this layout has no PubmedData
    assert "Acoustic Stimulation" in [m.descriptor for m in first.mesh_headings]
    # MedlineDate ranges such as "2015 Oct-Dec" keep their year only
    assert sum(r.pub_date == "2015" for r in records) >= 59


def test_current_medline_and_single_article_files(bulk_dir: Path) -> None:
    records = parse_pubmed_xml(bulk_dir / "test_current_medline.xml.gz")
    assert [r.pmid for r in records][:2] == ["36400559", "2930949"] and len(records) == 4
    assert records[0].title == "Back Pain: Differential Diagnosis and Management."
    (asthma,) = parse_pubmed_xml(bulk_dir / "pubmed-29768149.xml")
    assert (asthma.doi, asthma.journal_iso, asthma.pub_date, asthma.pages) == (
        "10.1056/NEJMoa1715274",
        "N Engl J Med",
        "2018-05-17",
        "1865-1876",
    )
    assert asthma.authors[0].display_name == "O'Byrne PM"
