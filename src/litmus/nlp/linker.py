"""Fuzzy linking of mentions to lexicon concepts with scispaCy's candidate generator.

The exact matcher links what the lexicon spells out; this links what it does not: misspellings
("ibrutinb"), variants the expansion missed, disease phrases caught by head-noun rules. It reuses
scispaCy's machinery (a `KnowledgeBase` and a `CandidateGenerator` over a TF-IDF character-3-gram
+ nmslib HNSW index) with our lexicon as the knowledge base.

`scispacy.candidate_generation.create_tfidf_ann_index` cannot run here (it pins scipy<1.11, see
STACK-NOTES), so `build_linker_index` builds the same artefacts directly and saves them in the
`LinkerPaths` layout. Building takes a fraction of a second for a few thousand aliases, so the
index is built at first use into a cache directory keyed by the lexicon version and checksum
rather than shipped as binary files that could drift from the TSVs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import joblib
import nmslib
import numpy
import scipy.sparse
from scispacy.candidate_generation import CandidateGenerator, LinkerPaths
from scispacy.linking_utils import Entity, KnowledgeBase
from sklearn.feature_extraction.text import TfidfVectorizer

from litmus.nlp.lexicon import Lexicon, load_lexicon

DEFAULT_THRESHOLD = 0.7
# bump when build_linker_index changes what it writes: cached indexes of other formats are ignored
INDEX_FORMAT = "i1"
# Character n-grams cannot tell gene symbols apart (CD200 ~ CD20 at 0.82, BCL-XL ~ BCL2 at 0.74),
# so anything shaped like a symbol or code is linked exactly or not at all.
_SYMBOL_SHAPE = re.compile(r"(?=.*[A-Z0-9])[A-Za-z0-9αβγδκλζ+\-/.]{1,12}")
_MIN_FUZZY_ALIAS_LENGTH = 4
_MEMO_SIZE = 100_000
_WORDS = re.compile(r"[a-z]{4,}")
# words too common in the lexicon's aliases to suggest a match on their own
_GENERIC_WORDS = frozenset("""
cell cells therapy therapies treatment based with from chain domain disease group type
receptor receptors antigen inhibitor inhibitors factor protein member like human high grade
""".split())


@dataclass(frozen=True, slots=True)
class Link:
    concept_id: str
    concept_name: str
    category: str
    score: float  # cosine similarity of character 3-grams; 1.0 for an exact alias
    alias: str  # the lexicon alias the mention was matched to


def build_knowledge_base(lexicon: Lexicon) -> KnowledgeBase:
    aliases: dict[str, set[str]] = {concept.concept_id: set() for concept in lexicon}
    for term in lexicon.terms():
        aliases[term.concept_id].add(term.text)
    entities = [
        Entity(concept.concept_id, concept.preferred_name, sorted(aliases[concept.concept_id]), [concept.category])
        for concept in lexicon
    ]
    return KnowledgeBase(entities)


def build_linker_index(kb: KnowledgeBase, directory: Path) -> LinkerPaths:
    """Fit the TF-IDF vectorizer and the nmslib index over the KB's aliases; save them in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = LinkerPaths.from_directory(directory)
    aliases = sorted(alias for alias in kb.alias_to_cuis if len(alias) >= _MIN_FUZZY_ALIAS_LENGTH)
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3), min_df=1, dtype=numpy.float32)
    vectors = vectorizer.fit_transform(aliases)
    keep = numpy.asarray(vectors.sum(axis=1)).ravel() > 0  # nmslib crashes on empty vectors
    aliases = [alias for alias, kept in zip(aliases, keep) if kept]
    vectors = vectors[keep]
    index = nmslib.init(method="hnsw", space="cosinesimil_sparse", data_type=nmslib.DataType.SPARSE_VECTOR)
    index.addDataPointBatch(vectors)
    index.createIndex({"M": 16, "efConstruction": 100, "post": 0, "indexThreadQty": 1}, print_progress=False)
    index.saveIndex(paths.ann_index)
    joblib.dump(vectorizer, paths.tfidf_vectorizer)
    scipy.sparse.save_npz(paths.tfidf_vectors, vectors)  # float32: this scipy has no sparse float16
    Path(paths.concept_aliases_list).write_text(json.dumps(aliases))
    return paths


def default_cache_dir() -> Path:
    configured = os.environ.get("LITMUS_CACHE_DIR")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "litmus"


def cached_linker_paths(lexicon: Lexicon, kb: KnowledgeBase, cache_dir: Path | None = None) -> LinkerPaths:
    """The index for this lexicon version, built once into the cache (atomically) and reused."""
    root = Path(cache_dir) if cache_dir else default_cache_dir()
    target = root / "linker" / f"{lexicon.version}-{lexicon.checksum}-{INDEX_FORMAT}"
    if target.is_dir() and LinkerPaths.from_directory(target).is_locally_cached():
        return LinkerPaths.from_directory(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
    try:
        build_linker_index(kb, scratch)
        try:
            scratch.rename(target)
        except OSError:  # another process finished first: use theirs
            pass
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return LinkerPaths.from_directory(target)


def is_symbol_like(text: str) -> bool:
    """"CD200", "BCL-XL", "BGB-3111", "IL-6R": codes whose near neighbours are different things."""
    return bool(_SYMBOL_SHAPE.fullmatch(text)) and " " not in text


class LexiconLinker:
    """Links mention texts to lexicon concepts: exact lookup first, then nearest alias above a threshold."""

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        *,
        cache_dir: Path | str | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        k: int = 8,
        ef_search: int = 50,
    ) -> None:
        self.lexicon = lexicon or load_lexicon()
        self.threshold = threshold
        self.k = k
        self.kb = build_knowledge_base(self.lexicon)
        paths = cached_linker_paths(self.lexicon, self.kb, Path(cache_dir) if cache_dir else None)
        concept_aliases, vectorizer, index = paths.load(ef_search=ef_search)
        self.candidate_generator = CandidateGenerator(
            ann_index=index, tfidf_vectorizer=vectorizer, ann_concept_aliases_list=concept_aliases, kb=self.kb)
        self._vocabulary = _content_words(concept_aliases)
        self._prefixes = {word[:4] for word in self._vocabulary}
        self._memo: dict[tuple[str, frozenset[str] | None], Link | None] = {}

    def link(self, text: str, categories: frozenset[str] | set[str] | None = None) -> Link | None:
        return self.link_many([text], categories)[0]

    def link_many(self, texts: list[str], categories: frozenset[str] | set[str] | None = None) -> list[Link | None]:
        """One link (or None) per text, restricted to concepts of `categories` when given."""
        categories = frozenset(categories) if categories else None
        results: list[Link | None] = [None] * len(texts)
        fuzzy: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            concept = self.lexicon.lookup(text)
            if concept and (not categories or concept.category in categories):
                results[i] = Link(concept.concept_id, concept.preferred_name, concept.category, 1.0, text)
            elif (text, categories) in self._memo:
                results[i] = self._memo[(text, categories)]
            elif self._worth_a_query(text):
                fuzzy.setdefault(text, []).append(i)
        if fuzzy:
            queries = list(fuzzy)
            for text, candidates in zip(queries, self.candidate_generator(queries, self.k)):
                link = self._best(text, candidates, categories)
                if len(self._memo) < _MEMO_SIZE:
                    self._memo[(text, categories)] = link
                for i in fuzzy[text]:
                    results[i] = link
        return results

    def _worth_a_query(self, text: str) -> bool:
        """A cheap pre-check before the ANN query: could anything in the lexicon read like this?"""
        text = text.strip()
        if len(text) < _MIN_FUZZY_ALIAS_LENGTH or is_symbol_like(text):
            return False
        words = [word for word in _WORDS.findall(text.lower()) if word not in _GENERIC_WORDS]
        if not words:
            return False
        if len(words) == 1:
            # a single misspelled word ("ibrutinb") shares at least its first letters with a name
            return words[0] in self._vocabulary or words[0][:4] in self._prefixes
        # a phrase reads like an alias only if most of its words are words of some alias
        return 2 * sum(word in self._vocabulary for word in words) >= len(words) + 1

    def _best(self, text: str, candidates, categories) -> Link | None:
        best: Link | None = None
        for candidate in candidates:
            concept = self.lexicon[candidate.concept_id]
            if categories and concept.category not in categories:
                continue
            for alias, similarity in zip(candidate.aliases, candidate.similarities):
                if similarity < self.threshold or (best is not None and similarity <= best.score):
                    continue
                if is_symbol_like(alias) or not _same_numbers(text, alias) or not _close_spelling(text, alias):
                    continue
                best = Link(concept.concept_id, concept.preferred_name, concept.category,
                            round(float(similarity), 3), alias)
        return best


def _content_words(aliases: list[str]) -> frozenset[str]:
    words = {word for alias in aliases for word in _WORDS.findall(alias.lower())}
    return frozenset(words - _GENERIC_WORDS)


def _same_numbers(a: str, b: str) -> bool:
    return re.findall(r"\d+", a) == re.findall(r"\d+", b)


def _close_spelling(mention: str, alias: str) -> bool:
    # 3-gram cosine rewards shared pieces ("…lymphoma") even when the words differ; demand that the
    # whole strings read alike ("Burkitt lymphoma" is not "follicular lymphoma") and that nearly
    # every word has a close partner ("protease inhibitor" is not "proteasome inhibitor").
    if SequenceMatcher(None, mention.lower(), alias.lower()).ratio() < 0.8:
        return False
    alias_words = _WORDS.findall(alias.lower())
    unmatched = sum(
        not any(SequenceMatcher(None, word, other).ratio() >= 0.9 for other in alias_words)
        for word in _WORDS.findall(mention.lower())
    )
    return unmatched <= len(_WORDS.findall(mention.lower())) // 3
