"""The concepts a sentence names (targets, CAR designs, therapies, diseases, toxicities), by litmus's lexicon.

An exact dictionary lookup over the lexicon's surface forms (`litmus.nlp.lexicon`, abbreviations
case-sensitively) plus the target constructs the entity recogniser reads ("CD19/CD22", "CAR19/22",
"anti-CD22": `litmus.nlp.entities.find_target_constructs`). No spaCy pipeline: a claim is one or two
sentences and an abstract a few, checked many times, so two compiled regexes do the work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Concepts too general to check: every CAR-T abstract names them.
_TOO_GENERAL = frozenset({
    "celltherapy:ACT", "celltherapy:CAR", "celltherapy:CAR-T", "disease:haematological_malignancy",
    "disease:B-cell_malignancy", "disease:leukaemia", "disease:lymphoma",
})
CHECKED_CATEGORIES = frozenset({
    "TARGET", "CAR_DESIGN", "DRUG", "CAR_PRODUCT", "PROCEDURE", "CELL_THERAPY", "DISEASE", "TOXICITY",
    "COSTIM_DOMAIN",
})
# Disease states and mechanisms are not populations: "MRD", "antigen escape".
_NOT_A_POPULATION_KINDS = frozenset({"disease_state", "resistance_mechanism", "group"})


@dataclass(frozen=True, slots=True)
class ConceptMention:
    concept_id: str
    category: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Matcher:
    exact: re.Pattern[str] | None
    folded: re.Pattern[str] | None
    by_exact: dict[str, str]
    by_folded: dict[str, str]


def find_concepts(text: str) -> list[ConceptMention]:
    """Lexicon concepts written in `text`, longest match first, in text order."""
    return list(_concepts_in(text))


@lru_cache(maxsize=4096)  # a source sentence is read once per concept the claims name
def _concepts_in(text: str) -> tuple[ConceptMention, ...]:
    lexicon = _lexicon()
    matcher = _matcher()
    found: list[ConceptMention] = []
    taken: list[tuple[int, int]] = []
    candidates = []
    for pattern, table, fold in ((matcher.exact, matcher.by_exact, False), (matcher.folded, matcher.by_folded, True)):
        if pattern is None:
            continue
        for match in pattern.finditer(text):
            key = match.group(0).lower() if fold else match.group(0)
            candidates.append((match.start(), match.end(), table[key]))
    for start, end, concept_id in _target_constructs(text):
        candidates.append((start, end, concept_id))
    for start, end, concept_id in sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[0])):
        overlaps = any(a < end and start < b for a, b in taken)
        construct = concept_id.startswith("target:")
        if overlaps and not construct:
            continue
        concept = lexicon.get(concept_id)
        category = concept.category if concept else "TARGET"
        found.append(ConceptMention(concept_id, category, text[start:end], start, end))
        taken.append((start, end))
    unique = {(m.concept_id, m.start): m for m in found}
    return tuple(sorted(unique.values(), key=lambda m: m.start))


def checkable(mention: ConceptMention) -> bool:
    return mention.category in CHECKED_CATEGORIES and mention.concept_id not in _TOO_GENERAL


def is_population(concept_id: str) -> bool:
    concept = _lexicon().get(concept_id)
    return bool(concept) and concept.category == "DISEASE" and concept.attributes.get("kind") not in _NOT_A_POPULATION_KINDS


def related(a: str, b: str) -> bool:
    """One concept is the other or a kind of it ("DLBCL" and "B-NHL")."""
    lexicon = _lexicon()
    if a == b:
        return True
    if a not in lexicon or b not in lexicon:
        return False
    return lexicon.is_a(a, b) or lexicon.is_a(b, a)


def narrower_or_same(specific: str, general: str) -> bool:
    """`specific` is `general` or a kind of it: a source naming "tandem CAR" confirms "dual-targeting CAR"."""
    lexicon = _lexicon()
    if specific == general:
        return True
    return specific in lexicon and general in lexicon and lexicon.is_a(specific, general)


def preferred_name(concept_id: str) -> str:
    concept = _lexicon().get(concept_id)
    if concept is None:
        return concept_id.split(":", 1)[-1]
    return concept.abbreviations[0] if concept.abbreviations and len(concept.preferred_name) > 24 else concept.preferred_name


@lru_cache(maxsize=1)
def _lexicon():
    from litmus.nlp.lexicon import load_lexicon

    return load_lexicon()


@lru_cache(maxsize=1)
def _matcher() -> _Matcher:
    by_exact: dict[str, str] = {}
    by_folded: dict[str, str] = {}
    for term in _lexicon().terms():
        if len(term.text) < 2:
            continue
        if term.case_sensitive:
            by_exact.setdefault(term.text, term.concept_id)
        else:
            by_folded.setdefault(term.text.lower(), term.concept_id)
    return _Matcher(_alternation(by_exact, 0), _alternation(by_folded, re.I), by_exact, by_folded)


def _alternation(table: dict[str, str], flags: int) -> re.Pattern[str] | None:
    if not table:
        return None
    names = sorted(table, key=len, reverse=True)
    body = "|".join(re.escape(name) for name in names)
    return re.compile(r"(?<![\w-])(?:" + body + r")(?![\w])", flags)


def _target_constructs(text: str) -> list[tuple[int, int, str]]:
    from litmus.nlp.entities import find_target_constructs

    lexicon = _lexicon()

    def is_target(symbol: str) -> bool:
        concept = lexicon.lookup(symbol)
        return concept is not None and concept.category == "TARGET"

    found = []
    for construct in find_target_constructs(text, is_target):
        for symbol in construct.symbols:
            concept = lexicon.lookup(symbol)
            concept_id = concept.concept_id if concept and concept.category == "TARGET" else f"target:{symbol}"
            found.append((construct.start, construct.end, concept_id))
    return found
