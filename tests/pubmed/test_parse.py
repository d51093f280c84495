"""The parser on small PubMed XML documents written for each tricky field and failure."""

from __future__ import annotations

import gzip
import io

import pytest

from litmus.pubmed import PubmedParseError, iter_pubmed_xml, parse_pubmed_xml
from litmus.records import (
    AbstractSection,
    Author,
    CommentCorrection,
    DeletedCitation,
    MeshHeading,
    MeshQualifier,
)


def article(
    pmid: str = "100",
    article_body: str = "",
    citation_tail: str = "",
    pubmed_data: str = "",
    pub_date: str = "<Year>2020</Year>",
) -> str:
    return f"""<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">
      <PMID Version="1">{pmid}</PMID>
      <Article PubModel="Print">
        <Journal><ISSN IssnType="Print">1234-5678</ISSN>
          <JournalIssue><Volume>7</Volume><Issue>2</Issue><PubDate>{pub_date}</PubDate></JournalIssue>
          <Title>Journal of Tests</Title><ISOAbbreviation>J Tests</ISOAbbreviation></Journal>
        <ArticleTitle>Title {pmid}.</ArticleTitle>
        {article_body}
      </Article>
      {citation_tail}
    </MedlineCitation><PubmedData>{pubmed_data}</PubmedData></PubmedArticle>"""


def document(*articles: str, extra: str = "") -> bytes:
    return (
        '<?xml version="1.0"?>\n<PubmedArticleSet>' + "".join(articles) + extra + "</PubmedArticleSet>"
    ).encode()


def only_record(xml: str):
    (record,) = parse_pubmed_xml(document(xml))
    return record


def test_minimal_article_fields() -> None:
    record = only_record(
        article("12345", "<Pagination><MedlinePgn>113-25</MedlinePgn></Pagination><Language>eng</Language>")
    )
    assert (record.pmid, record.version, record.title) == ("12345", 1, "Title 12345.")
    assert (record.journal, record.journal_iso, record.issn) == ("Journal of Tests", "J Tests", "1234-5678")
    assert (record.volume, record.issue, record.pages, record.language) == ("7", "2", "113-25", "eng")
    assert (record.pub_year, record.pub_date) == (2020, "2020")
    assert record.abstract_sections == () and record.abstract == ""


def test_medline_date_gives_first_year() -> None:
    record = only_record(article(pub_date="<MedlineDate>1998 Dec-1999 Jan</MedlineDate>"))
    assert (record.pub_year, record.pub_date) == (1998, "1998")


def test_structured_abstract_keeps_labels_and_categories() -> None:
    body = """<Abstract>
      <AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">Why we looked.</AbstractText>
      <AbstractText Label="RESULTS" NlmCategory="RESULTS">ORR was 81% (n = 52).</AbstractText>
    </Abstract>"""
    record = only_record(article(article_body=body))
    assert record.abstract_sections == (
        AbstractSection("BACKGROUND", "BACKGROUND", "Why we looked."),
        AbstractSection("RESULTS", "RESULTS", "ORR was 81% (n = 52)."),
    )
    assert record.abstract == "BACKGROUND: Why we looked.\nRESULTS: ORR was 81% (n = 52)."


def test_authors_with_collective_name_and_affiliations() -> None:
    body = """<AuthorList CompleteYN="Y">
      <Author ValidYN="Y"><LastName>Cordoba</LastName><ForeName>Shaun</ForeName><Initials>S</Initials>
        <AffiliationInfo><Affiliation>Lab A, London.</Affiliation></AffiliationInfo>
        <AffiliationInfo><Affiliation>Lab B, Paris.</Affiliation></AffiliationInfo></Author>
      <Author ValidYN="Y"><CollectiveName>CAR-T <i>Study</i> Group</CollectiveName></Author>
    </AuthorList>"""
    record = only_record(article(article_body=body))
    assert record.authors == (
        Author("Cordoba", "Shaun", "S", None, ("Lab A, London.", "Lab B, Paris.")),
        Author(None, collective_name="CAR-T Study Group"),
    )
    assert [a.display_name for a in record.authors] == ["Cordoba S", "CAR-T Study Group"]


def test_old_article_level_affiliation_goes_to_first_author() -> None:
    body = """<AuthorList><Author><LastName>Old</LastName><Initials>A</Initials></Author>
      <Author><LastName>Second</LastName><Initials>B</Initials></Author></AuthorList>
      <Affiliation>Dept of Old Layouts.</Affiliation>"""
    record = only_record(article(article_body=body))
    assert record.authors[0].affiliations == ("Dept of Old Layouts.",)
    assert record.authors[1].affiliations == ()


def test_retraction_and_other_comments() -> None:
    tail = """<CommentsCorrectionsList>
      <CommentsCorrections RefType="RetractionIn">
        <RefSource>J Tests. 2021;8:1.</RefSource><PMID Version="1">999</PMID>
      </CommentsCorrections>
      <CommentsCorrections RefType="CommentIn">
        <RefSource>Other. 2020;1:2.</RefSource>
      </CommentsCorrections>
    </CommentsCorrectionsList>"""
    record = only_record(article("100", citation_tail=tail))
    assert record.pmid == "100"  # the PMID inside CommentsCorrections is not the record's
    assert record.comments_corrections == (
        CommentCorrection("RetractionIn", "999", "J Tests. 2021;8:1."),
        CommentCorrection("CommentIn", None, "Other. 2020;1:2."),
    )
    assert record.is_retracted


def test_mesh_keywords_chemicals_dates_and_types() -> None:
    body = """<PublicationTypeList>
        <PublicationType UI="D016428">Journal Article</PublicationType>
        <PublicationType>Review</PublicationType>
      </PublicationTypeList>"""
    tail = """<ChemicalList><Chemical><RegistryNumber>0</RegistryNumber>
        <NameOfSubstance UI="D1">Receptors, Chimeric Antigen</NameOfSubstance></Chemical></ChemicalList>
      <MeshHeadingList>
        <MeshHeading><DescriptorName UI="D2" MajorTopicYN="N">Humans</DescriptorName></MeshHeading>
        <MeshHeading><DescriptorName UI="D3" MajorTopicYN="Y">Immunotherapy, Adoptive</DescriptorName>
          <QualifierName UI="Q1" MajorTopicYN="Y">methods</QualifierName>
          <QualifierName UI="Q2" MajorTopicYN="N">adverse effects</QualifierName></MeshHeading>
      </MeshHeadingList>
      <KeywordList Owner="NOTNLM">
        <Keyword MajorTopicYN="N">CAR-T</Keyword><Keyword><i>CD19</i> loss</Keyword>
      </KeywordList>"""
    revised = "<DateRevised><Year>2023</Year><Month>01</Month><Day>9</Day></DateRevised>"
    xml = article(article_body=body, citation_tail=tail)
    record = only_record(
        xml.replace('<PMID Version="1">100</PMID>', f'<PMID Version="2">100</PMID>{revised}')
    )
    assert record.version == 2
    assert record.date_revised == "2023-01-09"
    assert record.publication_types == ("Journal Article", "Review")
    assert record.chemicals == ("Receptors, Chimeric Antigen",)
    assert record.keywords == ("CAR-T", "CD19 loss")
    assert record.mesh_headings == (
        MeshHeading("Humans", "D2", False),
        MeshHeading(
            "Immunotherapy, Adoptive",
            "D3",
            True,
            (MeshQualifier("methods", "Q1", True), MeshQualifier("adverse effects", "Q2", False)),
        ),
    )


def test_identifiers_come_from_the_records_own_id_list() -> None:
    ids = """<ArticleIdList>
        <ArticleId IdType="pubmed">100</ArticleId><ArticleId IdType="doi">10.1/own</ArticleId>
        <ArticleId IdType="pmc">PMC42</ArticleId>
      </ArticleIdList>
      <ReferenceList><Reference><Citation>Cited.</Citation>
        <ArticleIdList><ArticleId IdType="doi">10.1/cited</ArticleId></ArticleIdList>
      </Reference></ReferenceList>"""
    record = only_record(article(pubmed_data=ids))
    assert (record.doi, record.pmcid) == ("10.1/own", "PMC42")


def test_doi_falls_back_to_elocation_and_pages_to_start_end_or_article_number() -> None:
    pagination = "<Pagination><StartPage>45</StartPage><EndPage>52</EndPage></Pagination>"
    location = '<ELocationID EIdType="doi" ValidYN="Y">10.1/eloc</ELocationID>'
    with_pages = only_record(article(article_body=pagination + location))
    assert (with_pages.doi, with_pages.pages) == ("10.1/eloc", "45-52")
    numbered = only_record(article(article_body='<ELocationID EIdType="pii" ValidYN="Y">e176</ELocationID>'))
    assert numbered.pages == "e176"
    publisher_id = only_record(
        article(article_body='<ELocationID EIdType="pii" ValidYN="Y">S0140-6736(20)30000-1</ELocationID>')
    )
    assert publisher_id.pages is None


def test_vernacular_title_when_article_title_is_empty() -> None:
    xml = article(article_body="<VernacularTitle>Titre en français.</VernacularTitle>").replace(
        "<ArticleTitle>Title 100.</ArticleTitle>", "<ArticleTitle/>"
    )
    assert only_record(xml).title == "Titre en français."


def test_markup_and_escapes_in_title_and_abstract() -> None:
    abstract = "<AbstractText>Dose 10<sup>6</sup> cells; CR &gt;= 50% &amp; p &lt; .01</AbstractText>"
    xml = article(article_body=f"<Abstract>{abstract}</Abstract>")
    xml = xml.replace("Title 100.", "Anti-CD19 <i>CAR</i> T cells &amp;lt;b&amp;gt;")
    record = only_record(xml)
    assert record.title == "Anti-CD19 CAR T cells &lt;b&gt;"
    assert record.abstract == "Dose 10^6 cells; CR >= 50% & p < .01"


def test_delete_citation_yields_one_entry_per_pmid() -> None:
    data = document(
        article("1"),
        extra="<DeleteCitation><PMID Version='1'>7</PMID><PMID Version='1'>8</PMID></DeleteCitation>",
    )
    items = list(iter_pubmed_xml(data))
    assert [type(i).__name__ for i in items] == ["PubmedRecord", "DeletedCitation", "DeletedCitation"]
    assert items[1:] == [DeletedCitation("7"), DeletedCitation("8")]
    assert [r.pmid for r in parse_pubmed_xml(data)] == ["1"]


def test_old_medline_citation_set_layout() -> None:
    citation = article("55").split("<PubmedData>")[0].replace("<PubmedArticle>", "")
    citation = citation.replace(
        "</Article>", "</Article><OtherID Source='NLM'>PMC77 [Available on 01/01/17]</OtherID>"
    )
    deleted = "<DeleteCitation><PMID>9</PMID></DeleteCitation>"
    data = f"<MedlineCitationSet>{citation}{deleted}</MedlineCitationSet>".encode()
    items = list(iter_pubmed_xml(data))
    assert items[0].pmid == "55" and items[0].pmcid == "PMC77"
    assert items[1] == DeletedCitation("9")


def test_book_article_is_read_minimally() -> None:
    book = """<PubmedBookArticle><BookDocument><PMID Version="1">20301295</PMID>
      <ArticleIdList><ArticleId IdType="bookaccession">NBK1</ArticleId></ArticleIdList>
      <Book><Publisher><PublisherName>U Press</PublisherName></Publisher>
        <BookTitle>Reviews of Tests</BookTitle>
        <PubDate><Year>1993</Year></PubDate></Book>
      <ArticleTitle>Chapter on tests</ArticleTitle><Language>eng</Language>
      <AuthorList><Author><LastName>Book</LastName><Initials>C</Initials></Author></AuthorList>
      <Abstract><AbstractText Label="SUMMARY">Short.</AbstractText></Abstract>
    </BookDocument></PubmedBookArticle>"""
    record = only_record(book)
    assert (record.pmid, record.title, record.journal, record.pub_year) == (
        "20301295",
        "Chapter on tests",
        "Reviews of Tests",
        1993,
    )
    assert record.abstract == "SUMMARY: Short." and record.authors[0].display_name == "Book C"


def test_single_article_document_without_set() -> None:
    assert parse_pubmed_xml(article("31").encode())[0].pmid == "31"


# --------------------------------------------------------------------------- sources


def test_sources_bytes_path_gzip_and_file_objects(tmp_path) -> None:
    data = document(article("1"), article("2"))
    plain = tmp_path / "set.xml"
    plain.write_bytes(data)
    compressed = tmp_path / "set.bin"  # gzip found by magic bytes, not the suffix
    compressed.write_bytes(gzip.compress(data))
    expected = parse_pubmed_xml(data)
    assert [r.pmid for r in expected] == ["1", "2"]
    assert parse_pubmed_xml(plain) == expected
    assert parse_pubmed_xml(str(compressed)) == expected
    with compressed.open("rb") as handle:
        assert parse_pubmed_xml(handle) == expected
    assert parse_pubmed_xml(io.BytesIO(gzip.compress(data))) == expected


class CountingStream(io.RawIOBase):
    """An unseekable stream that records how much of it was read."""

    def __init__(self, data: bytes):
        self._data, self.position = data, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size is None or size < 0 else self.position + size
        chunk, self.position = self._data[self.position : end], min(end, len(self._data))
        return chunk


def test_records_stream_before_the_input_is_read_through() -> None:
    data = document(
        *(
            article(str(n), "<Abstract><AbstractText>" + "word " * 200 + "</AbstractText></Abstract>")
            for n in range(1, 2001)
        )
    )
    stream = CountingStream(data)
    records = iter_pubmed_xml(stream)
    assert next(records).pmid == "1"
    assert stream.position < len(data) // 10
    assert sum(1 for _ in records) == 1999


def test_text_mode_file_is_refused(tmp_path) -> None:
    path = tmp_path / "set.xml"
    path.write_bytes(document(article()))
    with path.open("r") as handle, pytest.raises(TypeError, match="binary mode"):
        list(iter_pubmed_xml(handle))


# --------------------------------------------------------------------------- failures


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b'<?xml version="1.0"?><eSearchResult><ERROR>Invalid query syntax</ERROR></eSearchResult>',
            "Invalid query syntax",
        ),
        (
            b"<eFetchResult>\n<ERROR>Empty id list - nothing todo</ERROR>\n</eFetchResult>",
            "Empty id list - nothing todo",
        ),
    ],
)
def test_ncbi_error_answers_raise_with_ncbi_text(body: bytes, message: str) -> None:
    with pytest.raises(PubmedParseError, match=message) as raised:
        parse_pubmed_xml(body)
    assert raised.value.ncbi_error == message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html><body><pre>Pubmed-entry ::= {</pre></body></html>", "HTML page"),
        (b"<eLinkResult><LinkSet/></eLinkResult>", "eLinkResult"),
        (b"<article><front/></article>", "root element <article> is not PubMed XML"),
        (b"", "empty"),
        (b"   ", "empty|malformed"),
    ],
)
def test_non_pubmed_documents_are_refused(body: bytes, message: str) -> None:
    with pytest.raises(PubmedParseError, match=message):
        parse_pubmed_xml(body)


def test_truncated_document_names_position_and_last_pmid() -> None:
    data = document(article("11"), article("12"))
    cut = data[: data.index(b"Title 12")]
    records = iter_pubmed_xml(cut)
    assert next(records).pmid == "11"
    with pytest.raises(
        PubmedParseError, match=r"truncated at line \d+, column \d+ \(after 1 records, last PMID 11\)"
    ) as raised:
        next(records)
    assert raised.value.pmid == "11"


def test_truncated_gzip_raises_parse_error() -> None:
    compressed = gzip.compress(document(*(article(str(n)) for n in range(1, 200))))
    with pytest.raises(PubmedParseError, match=r"gzip data is truncated or corrupt \(after \d+ records"):
        parse_pubmed_xml(compressed[: len(compressed) // 2])


def test_record_without_pmid_is_reported() -> None:
    with pytest.raises(PubmedParseError, match=r"no valid <PMID>.*record 2, after PMID 1"):
        parse_pubmed_xml(document(article("1"), article("x")))


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>
<ArticleTitle>&lol9;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"""


def test_billion_laughs_is_refused_unexpanded() -> None:
    # Which layer refuses first (libxml2's amplification guard or our DOCTYPE check) moves between
    # lxml releases; the behaviour that matters does not: refused, one line, nothing expanded.
    with pytest.raises(PubmedParseError) as raised:
        parse_pubmed_xml(BILLION_LAUGHS)
    message = str(raised.value)
    assert "\n" not in message
    assert "lollol" not in message
    assert raised.value.pmid is None


def test_external_entity_is_never_read(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = f"""<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY x SYSTEM "file://{secret}">]>
    <PubmedArticleSet>{article().replace("Title 100.", "&x;")}</PubmedArticleSet>""".encode()
    with pytest.raises(PubmedParseError) as raised:
        parse_pubmed_xml(xxe)
    assert "TOP-SECRET" not in str(raised.value)
