"""PubMed XML (EFetch answers and bulk files) to typed records, and records back to PubMed XML."""

from litmus.pubmed.errors import PubmedParseError
from litmus.pubmed.parse import PubmedSource, iter_pubmed_xml, parse_pubmed_xml
from litmus.pubmed.render import render_pubmed_article, render_pubmed_article_set

__all__ = [
    "PubmedParseError",
    "PubmedSource",
    "iter_pubmed_xml",
    "parse_pubmed_xml",
    "render_pubmed_article",
    "render_pubmed_article_set",
]
