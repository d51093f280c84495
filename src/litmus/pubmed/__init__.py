"""PubMed XML (EFetch answers and bulk files) to typed records. (Records back to PubMed XML, for
building the replay corpus and test fixtures, is tools/pubmed_render.py: users never need it.)"""

from litmus.pubmed.errors import PubmedParseError
from litmus.pubmed.parse import PubmedSource, iter_pubmed_xml, parse_pubmed_xml

__all__ = [
    "PubmedParseError",
    "PubmedSource",
    "iter_pubmed_xml",
    "parse_pubmed_xml",
]
