"""Finding 1: PubMed and JATS XML are bounded for every node kind.

Bombs (one huge comment, processing instruction, attribute, text node, run of whitespace, CDATA section,
tag or name) are generated here by bench/hostile_inputs.py's `write_bomb`; each is refused with one line
naming its limit, after the good records before it, in bounded memory. The guard must also never refuse
or change a legitimate document, however its bytes are chunked.
"""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import load_bench_script

from litmus import limits
from litmus.pubmed import PubmedParseError, iter_pubmed_xml, parse_pubmed_xml
from litmus.pubmed.bounded import XmlLimitError, XmlSizeGuard, check_document
from litmus.references.jats import parse_jats_references
from litmus.references.markdown import ReviewParseError

ROOT = Path(__file__).resolve().parents[2]


bench = load_bench_script("hostile_inputs")
LIMIT_OF = {
    "comment": limits.XML_COMMENT, "processing_instruction": limits.XML_PROCESSING_INSTRUCTION,
    "attribute": limits.XML_TAG, "text": limits.XML_TEXT, "whitespace": limits.XML_TEXT, "cdata": limits.XML_TEXT,
    "tag_whitespace": limits.XML_TAG, "element_name": limits.XML_TAG,
}


@pytest.mark.parametrize("kind", sorted(bench.BOMBS))
def test_each_bomb_is_refused_naming_its_limit_after_the_good_records(kind, tmp_path):
    path = bench.write_bomb(kind, tmp_path / f"{kind}.xml.gz", 12_000_000)
    records = iter_pubmed_xml(path)
    assert [next(records).pmid, next(records).pmid] == ["1", "2"]
    with pytest.raises(PubmedParseError) as raised:
        next(records)
    message = str(raised.value)
    assert "\n" not in message and LIMIT_OF[kind].name in message and LIMIT_OF[kind].variable in message
    assert raised.value.pmid == "2"


def test_parser_memory_stays_flat_on_every_bomb(tmp_path):
    """100 MB bombs parsed one after another in a fresh process: the peak stays far below one bomb's size."""
    paths = [bench.write_bomb(kind, tmp_path / f"{kind}.xml.gz", 100_000_000) for kind in sorted(bench.BOMBS)]
    script = (
        "import sys\n"
        "from litmus.pubmed import PubmedParseError, iter_pubmed_xml\n"
        "for path in sys.argv[1:]:\n"
        "    try:\n"
        "        list(iter_pubmed_xml(path))\n"
        "    except PubmedParseError:\n"
        "        print('refused', path)\n"
        "status = open('/proc/self/status').read()\n"  # VmHWM: this process's own peak (ru_maxrss inherits the parent's)
        "print(int(status.split('VmHWM:')[1].split()[0]) // 1024)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, *map(str, paths)], capture_output=True, text=True, timeout=600)
    lines = done.stdout.splitlines()
    assert len([line for line in lines if line.startswith("refused")]) == len(paths), done.stderr
    assert int(lines[-1]) < 80  # MB; before the guard a 100 MB comment alone took > 100 MB


@pytest.mark.integration
def test_ingest_files_peak_memory_on_the_five_bombs_is_under_300_mb(tmp_path):
    """The issue's target, end to end: `litmus ingest-files` on a folder of 200 MB bombs, one process."""
    folder = tmp_path / "bombs"
    folder.mkdir()
    for kind in bench.REQUIRED:
        bench.write_bomb(kind, folder / f"{kind}.xml.gz", 200_000_000)
    result = bench.run_measured(["litmus.cli", "ingest-files", "--json", "--warehouse", str(tmp_path / "w.duckdb"), str(folder)])
    files = json.loads(result["stdout"])["files"]
    assert result["returncode"] == 1 and [f["status"] for f in files] == ["failed"] * len(bench.REQUIRED)
    assert all(f["kept"] == 2 for f in files)  # the records before each bomb are stored
    assert result["peak_rss_mb"] < 300, result


def test_a_bomb_fails_its_file_and_a_rerun_fails_it_again_quickly(tmp_path):
    from litmus.bulk import ingest_files, ingested_files
    from litmus.warehouse import connect

    path = bench.write_bomb("attribute", tmp_path / "n0001.xml.gz", 50_000_000)
    con = connect(tmp_path / "w.duckdb")
    try:
        for _ in range(2):
            outcome = ingest_files(con, [path]).files[0]
            assert outcome.status == "failed" and limits.XML_TAG.name in outcome.message
            assert ingested_files(con)[0]["status"] == "failed"
        assert con.execute("SELECT count(*) FROM papers").fetchall()[0][0] == 2
    finally:
        con.close()


def test_limits_can_be_raised_for_a_genuine_document(monkeypatch):
    comment = b"<!--" + b"c" * 150_000 + b"-->"
    document = b"<PubmedArticleSet>" + comment + _article(b"7") + b"</PubmedArticleSet>"
    with pytest.raises(PubmedParseError, match="xml_comment_bytes"):
        parse_pubmed_xml(document)
    monkeypatch.setenv(limits.XML_COMMENT.variable, "200k")
    assert [r.pmid for r in parse_pubmed_xml(document)] == ["7"]


def test_a_bad_limit_setting_is_one_clear_error(monkeypatch):
    monkeypatch.setenv(limits.XML_TAG.variable, "lots")
    with pytest.raises(limits.LimitSettingError, match="LITMUS_MAX_XML_TAG_BYTES='lots' is not a positive number"):
        parse_pubmed_xml(b"<PubmedArticleSet/>")


def test_pubmed_xml_with_an_internal_dtd_subset_is_refused_unread():
    document = b'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ELEMENT x ANY>]><PubmedArticleSet/>'
    with pytest.raises(PubmedParseError, match="internal DTD subset"):
        parse_pubmed_xml(document)


# --------------------------------------------------------------------------- legitimate documents


def _article(pmid: bytes, title: bytes = b"A title") -> bytes:
    return (b"<PubmedArticle><MedlineCitation><PMID Version=\"1\">" + pmid + b"</PMID><Article>"
            b"<Journal><Title>J</Title></Journal><ArticleTitle>" + title + b"</ArticleTitle></Article>"
            b"</MedlineCitation></PubmedArticle>")


TRICKY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    b"<PubmedArticleSet><!-- a comment with <tags> and - dashes -->\n<?pi with ? marks > and text?>"
    + _article(b"1", b"5 &lt; 6 &amp; 7 > 3, \"quoted\" 'single' <i>italic</i> <![CDATA[raw <b> ]] ]>]]>")
    + b'<PubmedArticle x="a > b" y=\'c " d\'><MedlineCitation Status="MEDLINE"><PMID Version="2">2</PMID>'
    b"<Article><Journal><Title>J</Title></Journal><ArticleTitle>Second</ArticleTitle></Article>"
    b"</MedlineCitation></PubmedArticle>\n</PubmedArticleSet>\n"
)


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1 << 16])
def test_the_guard_accepts_a_tricky_document_however_it_is_chunked(chunk):
    guard = XmlSizeGuard("tricky")
    for start in range(0, len(TRICKY), chunk):
        guard.feed(TRICKY[start : start + chunk])
    guard.close()
    assert [(r.pmid, r.version) for r in parse_pubmed_xml(TRICKY)] == [("1", 1), ("2", 2)]


def test_the_guard_accepts_every_shipped_and_shared_pubmed_file_in_random_chunks():
    paths = sorted((ROOT / "corpus" / "entrez" / "pubmed").glob("*.xml"))
    shared = ROOT.parent / "shared" / "data" / "pubmed-files"
    paths += sorted(shared.glob("*.xml*")) if shared.is_dir() else []
    rng = random.Random(14)
    for path in paths:
        data = path.read_bytes()
        data = gzip.decompress(data) if path.name.endswith(".gz") else data
        guard, position = XmlSizeGuard(path.name), 0
        while position < len(data):
            step = rng.choice((1, 5, 100, 4096, 70_000))
            guard.feed(data[position : position + step])
            position += step
        guard.close()
    assert len(paths) >= 12


def test_a_construct_is_measured_across_chunks_and_exactly_at_the_limit(monkeypatch):
    monkeypatch.setenv(limits.XML_PROCESSING_INSTRUCTION.variable, "100")
    at_limit = b"<?p " + b"x" * 94 + b"?>"  # 100 bytes
    guard = XmlSizeGuard("doc")
    for byte in range(len(at_limit)):
        guard.feed(at_limit[byte : byte + 1])
    over = b"<?p " + b"x" * 200
    guard = XmlSizeGuard("doc")
    with pytest.raises(XmlLimitError, match=r"a processing instruction at byte 0 \(101 bytes\)"):
        for byte in range(len(over)):
            guard.feed(over[byte : byte + 1])


def test_a_jats_review_with_a_comment_bomb_is_refused_with_the_limit():
    xml = b"<article><front><article-meta/></front><!--" + b"z" * 300_000 + b"--></article>"
    with pytest.raises(ReviewParseError, match="xml_comment_bytes"):
        parse_jats_references(xml, source="bomb.xml")


def test_jats_keeps_accepting_an_internal_subset_within_its_limit():
    xml = b'<!DOCTYPE article [<!ENTITY x "y">]><article><front><article-meta/></front></article>'
    check_document(xml, "review.xml", internal_subset=True)
    assert parse_jats_references(xml, source="review.xml").citations == ()
