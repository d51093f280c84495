"""A JATS review's body read as prose, its cross-references as the keys of its reference list."""

from litmus.claims.extract import extract_claims
from litmus.claims.jats_prose import jats_body_markdown
from litmus.references.jats import parse_jats_references

# Written for this test: a two-section review citing its references by <xref>.
JATS = b"""<?xml version="1.0"?>
<article><front><article-meta><title-group><article-title>CAR T cells: a test review</article-title></title-group>
<article-id pub-id-type="pmcid">PMC0000001</article-id></article-meta></front>
<body><sec><title>Dual targeting</title>
<p>Tandem CAR T cells were given to 28 patients, and the CR rate was 71% <xref ref-type="bibr" rid="B2">2</xref>.
Bispecific cells gave an ORR of 80% <xref ref-type="bibr" rid="B1">1</xref>&#x2013;<xref ref-type="bibr" rid="B3">3</xref>.</p>
<fig id="f1"><caption><p>A figure legend with 99% that is not prose.</p></caption></fig>
</sec></body>
<back><ref-list>
<ref id="B1"><label>1</label><mixed-citation>Alpha A. One. Blood. 2020;1:1.</mixed-citation></ref>
<ref id="B2"><label>2</label><mixed-citation>Beta B. Two. Blood. 2021;2:2.</mixed-citation></ref>
<ref id="B3"><label>3</label><mixed-citation>Gamma C. Three. Blood. 2022;3:3.</mixed-citation></ref>
</ref-list></back></article>"""


def test_body_becomes_markdown_with_bracketed_reference_keys():
    markdown = jats_body_markdown(JATS)
    assert markdown.startswith("# CAR T cells: a test review\n\n## Dual targeting")
    assert "71% [2]." in markdown and "80% [1–3]." in markdown
    assert "99%" not in markdown  # figure captions are not prose


def test_claims_of_a_jats_review_cite_its_reference_keys():
    review = parse_jats_references(JATS)
    claims = extract_claims(jats_body_markdown(JATS), named_citations=[], n_references=len(review.citations),
                            extract_metrics=lambda text: [], citations=review.citations)
    assert [c.cites for c in claims] == [("2",), ("1", "2", "3")]
