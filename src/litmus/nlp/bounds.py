"""What keeps the spaCy pipeline linear in its input, whatever the text (limits in `litmus.limits`).

Three places were super-linear on hostile text, none in litmus's own extractor:
- spaCy's tokenizer peels prefixes and suffixes off a whitespace-free run one at a time, searching the
  whole rest of the run each time: 40 KB of '%' ran past 200 s. `BoundedTokenizer` searches suffixes
  in the run's last characters only and cuts runs longer than `nlp_token_chars` into pieces.
- scispaCy's abbreviation detector pairs every '(' with every later ')' of a document before it drops
  the pairs more than 8 tokens apart: 8 KB of nested parentheses took 58 s and 6.5 GB. Past
  `abbreviation_parentheses` the same pairs are found within the 8-token window directly.
- spaCy refuses a document over 1,000,000 characters (E088). `split_for_pipeline` cuts long texts at
  sentence starts into pieces of at most `nlp_piece_chars`; `litmus.nlp.extract` joins the results.

What a bound changes is recorded on the Doc (`doc._.bounded`), and from there in the warehouse.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from litmus import limits
from litmus.nlp.sentences import split_sentences

if not Doc.has_extension("bounded"):
    Doc.set_extension("bounded", default=None)  # list[str]: what a limit changed for this document

# Enough for every suffix rule of spaCy and scispaCy, with its look-behind (the longest is a few characters).
SUFFIX_WINDOW = 64


def note_bound(doc: Doc, note: str) -> None:
    if doc._.bounded is None:
        doc._.bounded = []
    doc._.bounded.append(note)


# --------------------------------------------------------------------------- tokenizer


class _TailSuffixSearch:
    """`suffix_search` over a string's last characters: the same suffix, in time independent of its length."""

    def __init__(self, search):
        self._search = search
        self.pattern = search.__self__.pattern  # spaCy serialises a tokenizer's rules by their patterns

    def search(self, text: str):
        return self._search(text[-SUFFIX_WINDOW:] if len(text) > SUFFIX_WINDOW else text)


class BoundedTokenizer:
    """A spaCy tokenizer whose cost is linear in the text: long whitespace-free runs are cut first.

    Everything but `__call__` is the wrapped tokenizer's (its rules, `pipe`, serialisation).
    """

    def __init__(self, tokenizer, max_run: int | None = None):
        if tokenizer.suffix_search is not None and not isinstance(getattr(tokenizer.suffix_search, "__self__", None),
                                                                  _TailSuffixSearch):
            tokenizer.suffix_search = _TailSuffixSearch(tokenizer.suffix_search).search
        self._tokenizer = tokenizer
        self.max_run = max_run or limits.NLP_TOKEN_CHARS.value
        self._long_run = re.compile(rf"\S{{{self.max_run + 1},}}")

    def __getattr__(self, name: str):
        return getattr(self._tokenizer, name)

    def __call__(self, text: str) -> Doc:
        runs = list(self._long_run.finditer(text)) if len(text) > self.max_run else []
        if not runs:
            return self._tokenizer(text)
        docs, last = [], 0
        for run in runs:
            if run.start() > last:
                docs.append(self._tokenizer(text[last : run.start()]))
            words = [run.group()[i : i + self.max_run] for i in range(0, len(run.group()), self.max_run)]
            docs.append(Doc(self._tokenizer.vocab, words=words, spaces=[False] * len(words)))
            last = run.end()
        if last < len(text):
            docs.append(self._tokenizer(text[last:]))
        doc = Doc.from_docs(docs, ensure_whitespace=False)
        note_bound(doc, f"tokenizer: {len(runs)} run(s) without whitespace over {self.max_run} characters cut into pieces"
                        f" ({limits.NLP_TOKEN_CHARS.name})")
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)


def bound_tokenizer(nlp: Language) -> None:
    if not isinstance(nlp.tokenizer, BoundedTokenizer):
        nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)


# --------------------------------------------------------------------------- abbreviations

# scispaCy keeps a parenthesised candidate only when at most 8 tokens lie between its brackets.
_ABBREVIATION_WINDOW = 8


class _WindowedParenthesisMatcher:
    """The matches scispaCy's `( + )` Matcher would give that its filter keeps, found in linear time."""

    def __init__(self, match_id: int):
        self.match_id = match_id

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        matches = []
        for token in doc:
            if token.text != "(":
                continue
            start = token.i
            for end in range(start + 2, min(start + _ABBREVIATION_WINDOW + 2, len(doc))):
                if doc[end].text == ")":
                    matches.append((self.match_id, start, end + 1))
        return matches


class BoundedAbbreviationDetector:
    """scispaCy's `AbbreviationDetector`, with the windowed matcher when a document holds many parentheses."""

    def __init__(self, nlp: Language, name: str, max_parentheses: int | None):
        from scispacy.abbreviation import AbbreviationDetector

        self.detector = AbbreviationDetector(nlp, name)
        self.max_parentheses = max_parentheses
        self._pairs_matcher = self.detector.matcher
        self._windowed = _WindowedParenthesisMatcher(nlp.vocab.strings.add("parenthesis"))

    def __call__(self, doc: Doc) -> Doc:
        limit = self.max_parentheses or limits.ABBREVIATION_PARENTHESES.value
        opening = sum(1 for token in doc if token.text == "(")
        windowed = opening > limit
        self.detector.matcher = self._windowed if windowed else self._pairs_matcher
        if windowed:
            note_bound(doc, f"abbreviations: {opening} '(' over {limit}; definitions searched within"
                            f" {_ABBREVIATION_WINDOW} tokens of each ({limits.ABBREVIATION_PARENTHESES.name})")
        return self.detector(doc)


@Language.factory("litmus_abbreviation_detector", default_config={"max_parentheses": None})
def create_bounded_abbreviation_detector(nlp: Language, name: str, max_parentheses: int | None):
    return BoundedAbbreviationDetector(nlp, name, max_parentheses)


# --------------------------------------------------------------------------- long documents


def split_for_pipeline(text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """(start, end) pieces that tile `text`, each at most `limit` characters, cut at sentence starts.

    A text within the limit is one piece. A sentence longer than the limit is cut at its last whitespace
    before the limit, or at the limit itself.
    """
    limit = limit or limits.NLP_PIECE_CHARS.value
    if len(text) <= limit:
        return [(0, len(text))]
    cuts = [start for start, _ in split_sentences(text)[1:]]
    pieces, start, index = [], 0, 0
    while len(text) - start > limit:
        while index < len(cuts) and cuts[index] <= start:
            index += 1
        end = start
        while index < len(cuts) and cuts[index] - start <= limit:
            end = cuts[index]
            index += 1
        if end == start:  # one sentence longer than the limit
            space = text.rfind(" ", start + 1, start + limit)
            end = space + 1 if space > start else start + limit
        pieces.append((start, end))
        start = end
    pieces.append((start, len(text)))
    return pieces
