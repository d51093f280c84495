"""The litmus lexicon: hand-curated CAR-T concepts with ids, categories, synonyms and hierarchy.

The data lives beside this module in `lexicon/` (one TSV per category, see its README). Loading
expands each synonym into the surface forms authors actually write (British and American spelling,
hyphen or space, plural), so the matcher can stay an exact, fast lookup.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"

# file stem -> entity label
CATEGORY_FILES: Mapping[str, str] = MappingProxyType({
    "targets": "TARGET",
    "drugs": "DRUG",
    "products": "CAR_PRODUCT",
    "diseases": "DISEASE",
    "toxicities": "TOXICITY",
    "procedures": "PROCEDURE",
    "cell_therapies": "CELL_THERAPY",
    "car_designs": "CAR_DESIGN",
    "costim_domains": "COSTIM_DOMAIN",
})

# American <-> British spellings found in haematology texts; applied in both directions.
_SPELLING_PAIRS = (
    ("leukemia", "leukaemia"), ("hematolog", "haematolog"), ("hematopoie", "haematopoie"),
    ("hemophagocytic", "haemophagocytic"), ("anemia", "anaemia"), ("edema", "oedema"),
    ("tumor", "tumour"), ("globulinemia", "globulinaemia"), ("bacteremia", "bacteraemia"),
    ("macroglobulinemia", "macroglobulinaemia"), ("signaling", "signalling"),
    ("humanized", "humanised"), ("armored", "armoured"), ("hematotoxicity", "haematotoxicity"),
)


class LexiconError(ValueError):
    """The lexicon files are malformed; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Concept:
    concept_id: str
    category: str  # TARGET, DRUG, CAR_PRODUCT, DISEASE, …
    preferred_name: str
    synonyms: tuple[str, ...] = ()  # matched case-insensitively
    abbreviations: tuple[str, ...] = ()  # matched case-sensitively
    attributes: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def parents(self) -> tuple[str, ...]:
        value = self.attributes.get("parent")
        return tuple(value.split("|")) if value else ()

    @property
    def drug_class(self) -> str | None:
        return self.attributes.get("drug_class")

    @property
    def names(self) -> tuple[str, ...]:
        """Every name as written in the lexicon: preferred first."""
        return (self.preferred_name, *self.synonyms, *self.abbreviations)


@dataclass(frozen=True, slots=True)
class Term:
    """One surface form to match and the concept it names."""

    text: str
    concept_id: str
    case_sensitive: bool


class Lexicon:
    def __init__(self, concepts: list[Concept], version: str, checksum: str = "") -> None:
        self.version = version
        self.checksum = checksum
        self._concepts: dict[str, Concept] = {}
        for concept in concepts:
            if concept.concept_id in self._concepts:
                raise LexiconError(f"duplicate concept id {concept.concept_id!r}")
            self._concepts[concept.concept_id] = concept
        self._terms = tuple(self._expand_terms())
        self._folded: dict[str, str] = {}
        self._exact: dict[str, str] = {}
        for term in self._terms:
            table = self._exact if term.case_sensitive else self._folded
            key = term.text if term.case_sensitive else term.text.lower()
            table.setdefault(key, term.concept_id)  # first listed wins on a shared alias

    def __len__(self) -> int:
        return len(self._concepts)

    def __iter__(self) -> Iterator[Concept]:
        return iter(self._concepts.values())

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self._concepts

    def get(self, concept_id: str) -> Concept | None:
        return self._concepts.get(concept_id)

    def __getitem__(self, concept_id: str) -> Concept:
        return self._concepts[concept_id]

    def lookup(self, text: str) -> Concept | None:
        """The concept a surface form names exactly (abbreviations case-sensitively), or None."""
        text = " ".join(text.split())
        concept_id = self._exact.get(text) or self._folded.get(text.lower())
        return self._concepts[concept_id] if concept_id else None

    def terms(self) -> tuple[Term, ...]:
        """Every surface form to match, spelling variants included."""
        return self._terms

    def _expand_terms(self) -> Iterator[Term]:
        for concept in self._concepts.values():
            seen: set[tuple[str, bool]] = set()
            for name in (concept.preferred_name, *concept.synonyms):
                if _is_capitalised_word(name):
                    # "KIT", "APRIL", "BCMA": folding case would match the words "kit" and "April"
                    if (name, True) not in seen:
                        seen.add((name, True))
                        yield Term(name, concept.concept_id, case_sensitive=True)
                    continue
                for form in surface_forms(name):
                    if (form.lower(), False) not in seen:
                        seen.add((form.lower(), False))
                        yield Term(form, concept.concept_id, case_sensitive=False)
            for abbreviation in concept.abbreviations:
                if (abbreviation, True) not in seen:
                    seen.add((abbreviation, True))
                    yield Term(abbreviation, concept.concept_id, case_sensitive=True)

    def ancestors(self, concept_id: str) -> list[str]:
        """Parents, grandparents, … nearest first, each once."""
        found: list[str] = []
        frontier = list(self[concept_id].parents)
        while frontier:
            parent = frontier.pop(0)
            if parent not in found and parent in self._concepts:
                found.append(parent)
                frontier.extend(self._concepts[parent].parents)
        return found

    def is_a(self, concept_id: str, ancestor_id: str) -> bool:
        return concept_id == ancestor_id or ancestor_id in self.ancestors(concept_id)

    def by_category(self, category: str) -> list[Concept]:
        return [c for c in self._concepts.values() if c.category == category]


# --------------------------------------------------------------------------- surface forms


def _is_capitalised_word(name: str) -> bool:
    return name.isalpha() and name.isupper() and len(name) <= 6


def surface_forms(name: str) -> list[str]:
    """The ways authors write `name`: spelling variants, hyphen or space, and a plural."""
    forms = {name}
    for american, british in _SPELLING_PAIRS:
        for form in list(forms):
            lowered = form.lower()
            if american in lowered:
                forms.add(_replace_ci(form, american, british))
            if british in lowered:
                forms.add(_replace_ci(form, british, american))
    for form in list(forms):
        # "B-cell lymphoma" / "B cell lymphoma"; keep tokens such as "4-1BB" or "IL-6" intact
        spaced = re.sub(r"(?<=[A-Za-z]{1})-(?=[a-z]{3,})", " ", form)
        forms.add(spaced)
    for form in list(forms):
        plural = _plural(form)
        if plural:
            forms.add(plural)
    return sorted(forms)


def _replace_ci(text: str, old: str, new: str) -> str:
    return re.sub(re.escape(old), lambda m: new if m.group(0).islower() else new.capitalize(), text,
                  flags=re.IGNORECASE)


def _plural(name: str) -> str | None:
    last = name.rsplit(" ", 1)[-1]
    # only ordinary lower-case head nouns: "inhibitor", "lymphoma", "malignancy"
    if not re.fullmatch(r"[a-z]{4,}", last):
        return None
    if last.endswith("cy"):
        return name[:-1] + "ies"
    if last.endswith(("s", "ia", "ion", "py", "ty", "y")):
        return None
    return name + "s"


# --------------------------------------------------------------------------- loading


def _parse_attributes(text: str, where: str) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(";"))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise LexiconError(f"{where}: attribute {item!r} is not key=value")
        attributes[key.strip()] = value.strip()
    return attributes


def _split_names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split("|") if name.strip())


def parse_lexicon_file(path: Path, category: str) -> list[Concept]:
    concepts = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        where = f"{path.name}:{number}"
        if len(fields) != 5:
            raise LexiconError(f"{where}: expected 5 tab-separated columns, found {len(fields)}")
        concept_id, preferred, synonyms, abbreviations, attributes = fields
        if ":" not in concept_id or not preferred.strip():
            raise LexiconError(f"{where}: a concept needs an id like 'drug:name' and a preferred name")
        concepts.append(Concept(
            concept_id=concept_id.strip(),
            category=category,
            preferred_name=preferred.strip(),
            synonyms=_split_names(synonyms),
            abbreviations=_split_names(abbreviations),
            attributes=MappingProxyType(_parse_attributes(attributes, where)),
        ))
    return concepts


def load_lexicon(directory: Path | str | None = None) -> Lexicon:
    """Read the lexicon from `directory` (default: the one shipped with litmus)."""
    directory = Path(directory) if directory else LEXICON_DIR
    if directory == LEXICON_DIR:
        return _default_lexicon()
    return _read_lexicon(directory)


@lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    return _read_lexicon(LEXICON_DIR)


def _read_lexicon(directory: Path) -> Lexicon:
    version_file = directory / "VERSION"
    version = version_file.read_text().strip() if version_file.exists() else "unversioned"
    digest = hashlib.sha256()
    concepts: list[Concept] = []
    for stem, category in CATEGORY_FILES.items():
        path = directory / f"{stem}.tsv"
        if not path.exists():
            continue
        digest.update(path.read_bytes())
        concepts.extend(parse_lexicon_file(path, category))
    if not concepts:
        raise LexiconError(f"no lexicon files (*.tsv) found in {directory}")
    lexicon = Lexicon(concepts, version=version, checksum=digest.hexdigest()[:16])
    _check_references(lexicon)
    return lexicon


def _check_references(lexicon: Lexicon) -> None:
    for concept in lexicon:
        for key in ("parent", "target", "costim", "design"):
            for referenced in filter(None, concept.attributes.get(key, "").split("|")):
                if referenced not in lexicon:
                    raise LexiconError(
                        f"{concept.concept_id}: {key}={referenced} names no concept in the lexicon")
