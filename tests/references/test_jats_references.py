"""Reading PMC JATS articles: metadata and `<ref-list>`."""

from __future__ import annotations

import pytest

from litmus.references.jats import given_name_initials, parse_jats_references
from litmus.references.markdown import ReviewParseError

JATS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.3 20210610//EN" "https://jats.nlm.nih.gov/archiving/1.3/JATS-archivearticle1-3.dtd">
<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="review-article">
  <front>
    <journal-meta>
      <journal-id journal-id-type="nlm-ta">Widget Res</journal-id>
      <journal-title-group><journal-title>Widget Research</journal-title></journal-title-group>
    </journal-meta>
    <article-meta>
      <article-id pub-id-type="pmid">11111111</article-id>
      <article-id pub-id-type="pmc">7654321</article-id>
      <article-id pub-id-type="doi">10.5555/wr.2021.001</article-id>
      <title-group><article-title>Widgets: a <italic>review</italic></article-title></title-group>
      <contrib-group>
        <contrib contrib-type="author"><name><surname>Doe</surname><given-names>Jane Ann</given-names></name></contrib>
      </contrib-group>
      <pub-date pub-type="epub"><day>1</day><month>2</month><year>2021</year></pub-date>
    </article-meta>
  </front>
  <body><p>Widgets help [<xref ref-type="bibr" rid="B1">1</xref>].</p></body>
  <back>
    <ref-list>
      <title>References</title>
      <ref id="B1">
        <label>1.</label>
        <element-citation publication-type="journal">
          <person-group person-group-type="author">
            <name><surname>Cordoba</surname><given-names>S</given-names></name>
            <name><surname>Pignataro</surname><given-names>D. S.</given-names></name>
            <etal/>
          </person-group>
          <article-title>Dual targeting of widgets</article-title>
          <source>Nat Med</source>
          <year>2021</year><volume>27</volume><issue>10</issue>
          <fpage>1797</fpage><lpage>805</lpage>
          <pub-id pub-id-type="doi">10.1038/s41591-021-01497-1</pub-id>
          <pub-id pub-id-type="pmid">34385713</pub-id>
        </element-citation>
      </ref>
      <ref id="B2">
        <label>2</label>
        <mixed-citation publication-type="journal">
          <person-group person-group-type="editor"><name><surname>Editor</surname><given-names>E</given-names></name></person-group>
          <person-group person-group-type="author"><collab>Widget Study Group</collab></person-group>.
          <article-title>Widgets for all</article-title>. <source>Clin Transl Med</source>
          <year>2020</year>;<volume>10</volume>:<elocation-id>e176</elocation-id>.
        </mixed-citation>
      </ref>
      <ref id="B3">
        <mixed-citation>Roe R, Poe E. Plain text only. Blood. 2019;134(2):100-8.</mixed-citation>
      </ref>
      <ref id="B4"><element-citation><source>Widget handbook</source></element-citation></ref>
    </ref-list>
  </back>
</article>
"""


def test_article_metadata():
    review = parse_jats_references(JATS)
    assert review.title == "Widgets: a review"
    assert (review.doi, review.pmid, review.pmcid) == ("10.5555/wr.2021.001", "11111111", "PMC7654321")
    assert review.review_id == "PMC7654321"
    assert review.journal == "Widget Res" and review.year == 2021
    assert review.authors == ("Doe JA",)


def test_element_citation_fields():
    first = parse_jats_references(JATS).citations[0]
    assert first.key == "1"
    assert first.authors == ("Cordoba S", "Pignataro DS")
    assert (first.title, first.journal, first.year, first.volume, first.issue, first.pages) == (
        "Dual targeting of widgets", "Nat Med", 2021, "27", "10", "1797-1805"
    )
    assert (first.doi, first.pmid) == ("10.1038/s41591-021-01497-1", "34385713")
    assert first.note is None


def test_mixed_citations_structured_and_plain_text():
    _, second, third, fourth = parse_jats_references(JATS).citations
    assert second.authors == ("Widget Study Group",)  # the editors are not authors
    assert (second.title, second.journal, second.pages) == ("Widgets for all", "Clin Transl Med", "e176")
    assert third.key == "3"  # no <label>: keyed by position
    assert third.authors == ("Roe R", "Poe E")
    assert (third.journal, third.volume, third.pages) == ("Blood", "134", "100-108")
    assert fourth.key == "4" and "without authors, title, year" in fourth.note


def test_parser_never_resolves_external_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE article [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<article><front><article-meta><title-group><article-title>T &x;</article-title>"
        "</title-group></article-meta></front></article>"
    ).encode()
    assert "SECRET" not in parse_jats_references(xml).title


def test_not_jats_raises():
    with pytest.raises(ReviewParseError, match="no <article>"):
        parse_jats_references(b"<eSearchResult><Count>0</Count></eSearchResult>")
    with pytest.raises(ReviewParseError, match="not well-formed"):
        parse_jats_references(b"<article>")


def test_pmc_efetch_answer_without_ref_list(shared_data):
    path = shared_data / "entrez-responses" / "biopython" / "efetch_pmc" / "efetch_pmc.xml"
    review = parse_jats_references(path.read_bytes(), source=str(path))
    assert (review.pmid, review.pmcid, review.doi) == ("34527728", "PMC8435807", "10.1183/23120541.50193-2021")
    assert review.journal == "ERJ Open Res" and review.year == 2021
    assert review.citations == ()  # a correction notice cites nothing


@pytest.mark.parametrize(("given", "initials"), [("Jia", "J"), ("B.J.", "BJ"), ("Jean-Pierre", "JP"), ("DS", "DS")])
def test_given_name_initials(given, initials):
    assert given_name_initials(given) == initials
