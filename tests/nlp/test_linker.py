"""The fuzzy linker: scispaCy's KB and candidate generator over our lexicon, with symbol guards."""

from __future__ import annotations

from pathlib import Path

import pytest
from scispacy.candidate_generation import CandidateGenerator, LinkerPaths

from litmus.nlp.lexicon import load_lexicon
from litmus.nlp.linker import (
    INDEX_FORMAT,
    LexiconLinker,
    build_knowledge_base,
    cached_linker_paths,
    is_symbol_like,
)


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.getbasetemp() / "linker-cache"  # one index per test session


@pytest.fixture(scope="module")
def linker(cache_dir):
    return LexiconLinker(cache_dir=cache_dir)


def test_index_is_cached_in_linker_paths_layout_and_reused(linker, cache_dir):
    lexicon = linker.lexicon
    directory = cache_dir / "linker" / f"{lexicon.version}-{lexicon.checksum}-{INDEX_FORMAT}"
    paths = LinkerPaths.from_directory(directory)
    assert paths.is_locally_cached()
    stamp = [p.stat().st_mtime_ns for p in map(Path, paths)]
    again = cached_linker_paths(lexicon, build_knowledge_base(lexicon), cache_dir)
    assert [p.stat().st_mtime_ns for p in map(Path, again)] == stamp


def test_stock_candidate_generator_loads_the_index(linker, cache_dir):
    lexicon = linker.lexicon
    paths = LinkerPaths.from_directory(cache_dir / "linker" / f"{lexicon.version}-{lexicon.checksum}-{INDEX_FORMAT}")
    aliases, vectorizer, index = paths.load()
    generator = CandidateGenerator(ann_index=index, tfidf_vectorizer=vectorizer,
                                   ann_concept_aliases_list=aliases, kb=build_knowledge_base(lexicon))
    [candidates] = generator(["venetoclax"], 5)
    best = max(candidates, key=lambda c: max(c.similarities))
    assert best.concept_id == "drug:venetoclax" and max(best.similarities) == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize(
    ("text", "concept_id"),
    [
        ("ibrutinb", "drug:ibrutinib"),
        ("venetoclx", "drug:venetoclax"),
        ("tisagenlecleucell", "product:tisa-cel"),
        ("difuse large B-cell lymphoma", "disease:DLBCL"),
        ("hemophagocytic lymphohistiocytosis syndrome", "tox:HLH"),
    ],
)
def test_misspellings_and_variants_link(linker, text, concept_id):
    link = linker.link(text)
    assert link is not None and link.concept_id == concept_id
    assert linker.threshold <= link.score < 1.0


def test_exact_names_link_with_full_score_and_class(linker):
    link = linker.link("BGB-3111")
    assert (link.concept_id, link.score) == ("drug:zanubrutinib", 1.0)
    assert linker.lexicon[link.concept_id].drug_class == "BTK inhibitor"
    assert linker.link("venetoclax").concept_id == "drug:venetoclax"


@pytest.mark.parametrize("symbol", ["CD200", "CD190", "BCL-XX", "CD2O"])
def test_gene_symbols_are_never_fuzzy_linked(linker, symbol):
    assert linker.link(symbol) is None


def test_bcl_xl_is_not_bcl2(linker):
    assert linker.link("BCL-XL").concept_id == "target:BCL-XL"
    assert linker.link("Bcl-xL").concept_id == "target:BCL-XL"


def test_unrelated_words_stay_unlinked(linker):
    assert linker.link_many(["ritual", "randomized controlled trial", "body mass index"]) == [None] * 3
    # close in characters, different in meaning: every word needs a close partner
    assert linker.link("protease inhibitor") is None


def test_categories_restrict_links(linker):
    assert linker.link("ibrutinb", categories={"DISEASE"}) is None
    assert linker.link("ibrutinb", categories={"DRUG"}).concept_id == "drug:ibrutinib"


def test_symbol_shape():
    assert is_symbol_like("CD200") and is_symbol_like("BCL-XL") and is_symbol_like("BGB-3111")
    assert not is_symbol_like("ibrutinb") and not is_symbol_like("large B-cell lymphoma")


def test_custom_lexicon_builds_its_own_index(tmp_path):
    (tmp_path / "lex").mkdir()
    (tmp_path / "lex" / "VERSION").write_text("t1\n")
    (tmp_path / "lex" / "drugs.tsv").write_text("drug:foo\tfoobarinib\t\t\tdrug_class=test\n")
    linker = LexiconLinker(load_lexicon(tmp_path / "lex"), cache_dir=tmp_path / "cache")
    assert linker.link("foobarinb").concept_id == "drug:foo"
    assert (tmp_path / "cache" / "linker").is_dir()
