"""Bio.Entrez parses NCBI answers with local DTDs only: no socket, no ~/.config, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from Bio.Entrez.Parser import CorruptedXMLError

from litmus.entrez import MissingDTDError, entrez_read
from litmus.entrez.dtd import DTD_CACHE_DIR

PARSED_UTILITIES = ("esearch", "epost", "esummary", "elink", "einfo", "espell")


def test_every_real_answer_parses_without_opening_a_socket(shared_data, no_network):
    root = shared_data / "entrez-responses" / "biopython"
    parsed, refused = [], []
    for utility in PARSED_UTILITIES:
        for path in sorted((root / utility).glob("*.xml")):
            try:
                entrez_read(path.read_bytes())
                parsed.append(path.name)
            except CorruptedXMLError:
                refused.append(path.name)  # the deliberately truncated einfo4.xml
            except RuntimeError as error:
                assert not isinstance(error, MissingDTDError), f"{path.name}: {error}"
                refused.append(path.name)  # NCBI <ERROR> answers: Bio.Entrez raises them
            except ValueError as error:
                # 2002-era answers cite http:// DTD URLs, which Biopython refuses before any I/O.
                assert "historical" in path.name and "secure URL" in str(error), f"{path.name}: {error}"
                refused.append(path.name)
    assert no_network == []
    assert len(parsed) >= 25
    assert {"esearch1.xml", "epost1.xml", "esummary1.xml", "elink1.xml", "einfo2.xml", "espell.xml"} <= set(parsed)


def test_a_real_esearch_answer_reads_as_expected(shared_data, no_network):
    record = entrez_read((shared_data / "entrez-responses/biopython/esearch/esearch2.xml").read_bytes())
    assert int(record["Count"]) > 0 and len(record["IdList"]) == 100 and record["WebEnv"]


UNKNOWN_DTD_ANSWER = (
    b'<?xml version="1.0" encoding="UTF-8" ?>\n'
    b'<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20990101//EN" '
    b'"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20990101/esearch_future.dtd">\n'
    b"<eSearchResult><Count>1</Count></eSearchResult>\n"
)


def test_an_unknown_dtd_raises_a_clear_error_instead_of_downloading(no_network):
    with pytest.raises(MissingDTDError) as raised:
        entrez_read(UNKNOWN_DTD_ANSWER, validate=False)
    message = str(raised.value)
    assert "esearch_future.dtd" in message and str(DTD_CACHE_DIR) in message
    assert no_network == []


def test_biopython_cache_points_into_the_project():
    from Bio import Entrez
    from Bio.Entrez.Parser import DataHandler

    entrez_read(UNKNOWN_DTD_ANSWER.replace(b"esearch_future.dtd", b"esearch.dtd").replace(b"20990101", b"20060628"))
    assert Path(Entrez.local_cache) == DTD_CACHE_DIR
    assert Path(DataHandler.local_dtd_dir).is_relative_to(DTD_CACHE_DIR)
    assert ".config" not in DataHandler.local_dtd_dir
