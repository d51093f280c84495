"""The `litmus_entities` spaCy component: lexicon matching, surface rules, linking, abbreviations.

Order of work on a Doc:
1. exact lexicon matches (PhraseMatcher on LOWER for synonyms, on ORTH for abbreviations);
2. rules over the text for what a lexicon cannot list: target constructs ("anti-CD19",
   "CD19/CD22", "CAR19/22"), INN drug stems (-nib, -mab, -clax …), "-cel" products, disease heads;
3. the fuzzy linker for rule spans and for near-misses of drug names ("ibrutinb");
4. abbreviations the document defines (scispaCy's `doc._.abbreviations`): a short form takes the
   concept of its long form, and a definition overrides the lexicon's reading of the short form;
5. overlaps resolved: the longest wins (a rule span ending in a linked disease name, "T-cell
   lymphoblastic lymphoma", takes that concept with the share it covers as score); a base model's
   unlinked span never hides a lexicon match; on equal extent a linked reading wins.

Results: `doc.ents` (label = category, `kb_id_` = concept id), `Span._.concept_id`,
`Span._.concept_name`, `Span._.score`, `Span._.concept_ids`, `Span._.attributes`, and
`doc._.entity_mentions` as `EntityMention` records.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from litmus.nlp.lexicon import Lexicon, load_lexicon
from litmus.records import EntityMention

RULE_SOURCES = frozenset({"drug_stem", "product_rule", "disease_rule", "target_rule", "base_model"})
_SOURCE_RANK = {"lexicon": 3, "abbreviation": 3, "target_rule": 2, "fuzzy": 2}


# =========================================================================== surface rules
# Rules for mentions a lexicon cannot list: target constructs, INN drug stems, disease heads. Pure
# functions over text returning character spans, so each is testable on a string; the component
# aligns them to tokens. Regexes and word scans run over the raw text: STACK-NOTES measured ten
# regexes at 5x the speed of a 30-pattern token Matcher.

# --------------------------------------------------------------------------- target constructs

# A gene-symbol-shaped word: "CD19", "BCMA", "CLL-1", "GPRC5D", "FcRH5", "PD-L1". Which of them are
# targets is decided by a lookup, not by the regex, which keeps the regex small and fast.
_SYMBOL = r"[A-Z][A-Za-z]{0,5}(?:-?[A-Z]{0,2}\d{1,4}[A-Za-z]?)?"
_CONSTRUCT_SUFFIX = (r"directed|targeted|targeting|specific|redirected|positive|negative|"
                     r"CAR-?Ts?|CAR-?T-cells?|CARTs?|CARs?")
TARGET_CONSTRUCT = re.compile(
    rf"(?<![\w-])(?P<anti>anti-)?(?P<syms>{_SYMBOL}(?:\s?/\s?(?:{_SYMBOL}|\d{{1,3}}))*)"
    rf"(?:-(?P<suffix>{_CONSTRUCT_SUFFIX}))?(?![\w])"
)
# "CAR19", "CAR-T19", "CART-19", "CAR19/22": the CD number written after the receptor
CAR_NUMBER = re.compile(r"(?<![\w-])(?:CAR-?T?|CART)-?(?P<nums>\d{1,3}(?:/\d{1,3})*)(?![\w])")
# a construct needs one of these; texts without any skip the regex
_CONSTRUCT_MARKERS = ("CD", "CAR", "anti-", "-direct", "-target", "-specific", "-redirect", "-positive",
                      "-negative", "BCMA", "GPRC5D", "SLAMF7", "FcRH5", "CLL")
GENERIC_CD = re.compile(r"CD\d{1,3}[a-z]?")


@dataclass(frozen=True, slots=True)
class TargetConstruct:
    start: int
    end: int
    symbols: tuple[str, ...]  # as written, numbers completed: "CD19/22" -> ("CD19", "CD22")
    form: str  # "anti", "directed", "multi", "car_number", "symbol"


def find_target_constructs(text: str, is_target: Callable[[str], bool]) -> Iterator[TargetConstruct]:
    """Target mentions written as constructs; `is_target(symbol)` says which symbols are antigens."""
    if not any(marker in text for marker in _CONSTRUCT_MARKERS):
        return
    for match in TARGET_CONSTRUCT.finditer(text):
        symbols = _complete_symbols(re.split(r"\s?/\s?", match["syms"]))
        if not symbols or not all(is_target(s) or GENERIC_CD.fullmatch(s) for s in symbols):
            continue
        if match["anti"]:
            form = "anti"
        elif match["suffix"]:
            form = "directed"
        elif len(symbols) > 1:
            form = "multi"
        elif _is_negative_sign(text, match.end()):
            # "CD19- relapse": the tokenizer keeps "CD19-" whole, so the lexicon cannot see it
            yield TargetConstruct(match.start(), match.end() + 1, tuple(symbols), "negative")
            continue
        elif GENERIC_CD.fullmatch(symbols[0]) and not is_target(symbols[0]):
            form = "symbol"  # an antigen the lexicon does not know: "CD200"
        else:
            continue  # a bare known symbol is the lexicon matcher's job
        yield TargetConstruct(match.start(), match.end(), tuple(symbols), form)
    for match in CAR_NUMBER.finditer(text):
        numbers = match["nums"].split("/")
        yield TargetConstruct(match.start(), match.end(), tuple(f"CD{n}" for n in numbers), "car_number")


def _is_negative_sign(text: str, end: int) -> bool:
    return text[end:end + 1] == "-" and not text[end + 1:end + 2].isalnum()


def _complete_symbols(parts: list[str]) -> list[str]:
    """"CD19/22" names CD19 and CD22; a bare number borrows the previous symbol's letters."""
    symbols: list[str] = []
    for part in parts:
        if part.isdigit():
            if not symbols:
                return []
            prefix = re.match(r"[A-Za-z-]*", symbols[-1]).group(0)
            if not prefix:
                return []
            part = prefix + part
        symbols.append(part)
    return symbols


# --------------------------------------------------------------------------- drugs and products

# International Nonproprietary Name stems (WHO INN): the ending says the class.
DRUG_STEMS = (
    "tinib", "rafenib", "ciclib", "lisib", "parib", "zomib", "nib", "mab", "clax", "stat", "statin",
    "sertib", "degib", "platin", "rubicin", "tecan", "taxel", "mustine", "citabine", "trexate",
    "domide", "limus", "vir", "pril", "sartan", "olol", "dipine", "azepam", "azolam", "prazole",
    "tidine", "floxacin", "mycin", "micin", "cillin", "cycline", "conazole", "caine", "profen",
    "oxetine", "triptan", "setron", "dronate", "parin", "gliptin", "glitazone", "semide", "thiazide",
    "barbital", "barbitone", "orphine", "adone", "amine", "idine", "azine", "pramine", "triptyline",
    "oxacin", "sone", "olone", "dopa", "azepine", "apine", "vudine", "pamil", "arone", "sterone",
    "sterol", "farin", "amole", "phrine", "tropine", "flurane", "phylline", "zosin", "peridol",
    "operidol", "oxacin", "ridone", "tamine", "xetine", "lukast", "fibrate", "gatran", "xaban",
    "cotine", "caine", "thium", "farin", "oxicam", "fenac", "profen", "salazine", "penem", "bactam",
)
# ordinary words that happen to end in a stem
NOT_DRUGS = frozenset("""
examine determine famine stamina response responses reason reasons person persons season seasons
comparison comparisons prison poison poisons treason arsenal personal eliminate
""".split())
_PRODUCT = re.compile(r"\b(?:[a-z]{3,6}-cel|[a-z]{4,}(?:leucel|temcel))\b")


# one cheap pass over the words of a text serves the drug and disease rules: a single regex
# with hundreds of alternatives was 3x slower than str.endswith with a tuple
_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][a-z-]{3,}(?![A-Za-z0-9-])")

Word = tuple[int, int, str]  # start, end, text


def words_of(text: str) -> list[Word]:
    """The words the drug, disease and near-miss rules look at, found once per text."""
    return [(m.start(), m.end(), m.group(0).rstrip("-")) for m in _WORD.finditer(text)]


def index_drug_stems(stems: tuple[str, ...] = DRUG_STEMS) -> dict[str, tuple[str, ...]]:
    """The stems indexed by their last three letters, so each word costs one dict lookup."""
    by_tail: dict[str, list[str]] = {}
    for stem in sorted(set(stems), key=len, reverse=True):
        by_tail.setdefault(stem[-3:], []).append(stem)
    return {tail: tuple(group) for tail, group in by_tail.items()}


_DEFAULT_STEMS = index_drug_stems()


def find_drug_stems(words: list[Word], stems: dict[str, tuple[str, ...]] = _DEFAULT_STEMS) -> Iterator[tuple[int, int]]:
    """Words ending in an INN stem ("vir" alone is no drug: short stems need three letters before)."""
    for start, _, word in words:
        for part in _hyphen_parts(word):  # "apomorphine-induced" holds "apomorphine"
            lowered = part.lower()
            candidates = stems.get(lowered[-3:])
            if not candidates or lowered in NOT_DRUGS:
                continue
            if any(lowered.endswith(stem) and len(lowered) - len(stem) >= _min_stem_prefix(stem)
                   for stem in candidates):
                offset = start + word.index(part)
                yield offset, offset + len(part)


def _min_stem_prefix(stem: str) -> int:
    # a long stem says "drug" by itself ("m-orphine", "co-caine"); a short one needs a longer word
    return 1 if len(stem) >= 5 else 3


def _hyphen_parts(word: str) -> list[str]:
    return word.split("-") if "-" in word else [word]


def find_products(text: str) -> Iterator[tuple[int, int]]:
    if "cel" not in text:
        return
    for match in _PRODUCT.finditer(text):
        yield match.start(), match.end()


# --------------------------------------------------------------------------- diseases

DISEASE_HEADS = (
    "lymphoma", "lymphomas", "leukemia", "leukemias", "leukaemia", "leukaemias", "myeloma",
    "myelomas", "cancer", "cancers", "tumor", "tumors", "tumour", "tumours", "carcinoma", "carcinomas",
    "neoplasm", "neoplasms", "infarction", "hypertension", "hypotension", "seizure", "seizures",
    "pain", "arrhythmia", "arrhythmias", "infection", "infections", "ischemia", "ischaemia",
    "dystrophy", "palsy", "fever", "edema", "oedema", "thrombosis", "embolism", "stroke", "anemia",
    "anaemia", "necrosis", "fibrosis", "tachycardia", "bradycardia", "hemorrhage", "haemorrhage",
    "bleeding", "dementia", "psychosis", "depression", "obesity", "diabetes", "asthma", "migraine",
    "headache", "nausea", "vomiting", "diarrhea", "diarrhoea", "hepatotoxicity", "nephrotoxicity",
    "cardiotoxicity", "neurotoxicity", "retinopathy", "neuropathy", "nephropathy", "cardiomyopathy",
    "encephalopathy", "dyskinesia", "dyskinesias", "akathisia", "ataxia", "catalepsy",
    "rhabdomyolysis", "hyperactivity", "overdose", "ulcer", "ulcers", "tremor", "tremors",
    "confusion", "rigidity", "fibrillation", "delirium", "anxiety", "jaundice", "spasm", "spasms",
    "coma", "aneurysm", "aneurysms", "epilepsy", "incontinence", "mania", "autism", "poisoning",
    "hypersensitivity", "calcification", "arrest", "convulsion", "convulsions", "apnea", "apnoea",
    "paralysis", "cirrhosis", "sepsis", "shock", "hepatitis", "pneumonia", "insomnia", "hemolysis",
    "haemolysis", "thromboembolism", "amnesia", "cholestasis", "schizophrenia",
    # adjectives that name a condition: "hypertensive patients", "epileptic seizures"
    "hypertensive", "hypotensive", "epileptic", "diabetic", "convulsive", "nephrotoxic",
    "hepatotoxic", "cardiotoxic", "neurotoxic", "psychotic", "manic", "arrhythmic", "cataleptic",
)
# heads too general to stand alone: "the disease", "renal failure" yes, "failure" no
GENERIC_HEADS = frozenset("""
syndrome syndromes disease diseases disorder disorders failure deficiency injury injuries damage
dysfunction insufficiency lesion lesions malformation malformations toxicity toxicities
impairment abnormalities abnormality defects defect loss
""".split())
DISEASE_SUFFIXES = (
    "oma", "omas", "itis", "osis", "emia", "aemia", "pathy", "penia", "plasia", "trophy", "algia",
    "uria", "cardia", "plegia", "tension", "toxicity", "ectasia", "rrhea", "rrhoea", "iasis",
    "phrenia", "thermia", "ephaly", "lysis", "stasis", "esia",
)
# words that may stand before a disease head and belong to its name
DISEASE_MODIFIERS = frozenset("""
diffuse large small cell b-cell t-cell nk-cell b t primary secondary lymphoblastic
lymphocytic myeloid myelogenous myelocytic follicular mantle marginal zone hodgkin non-hodgkin
hodgkin's non-hodgkin's burkitt burkitt's multiple plasma mediastinal cutaneous anaplastic
peripheral central nervous system cns high-grade low-grade indolent aggressive transformed
double-hit triple-hit congestive heart renal kidney liver hepatic cardiac coronary artery
myocardial pulmonary respiratory bone marrow breast lung prostate colorectal colon gastric
ovarian cervical pancreatic bladder skin brain neuroleptic malignant serotonin nephrotic
metabolic inflammatory autoimmune infectious bacterial viral fungal ischemic ischaemic
hemolytic haemolytic uremic thrombotic thrombocytopenic immune idiopathic hereditary familial
congenital juvenile neonatal adult childhood parkinson alzheimer huntington tardive
extrapyramidal ventricular atrial supraventricular sinus venous deep vein intracranial
subarachnoid cerebral cerebellar spinal optic sensory motor neuromuscular muscular duchenne
becker myotonic sickle germ-cell germ stem dendritic blastic plasmacytoid hairy prolymphocytic
chest birth bowel mood panic major absence hearing weight sexual erectile non-small nonsmall
status blood heart-failure
""".split())
_GENE_SYMBOL = re.compile(r"[A-Z][A-Z0-9]{0,6}\d[A-Z0-9]{0,3}")
_ADJECTIVE_ENDINGS = ("al", "ic", "ous", "ary", "ile", "ive", "oid", "ar", "ory", "ical", "tic")
_STOP_BEFORE = frozenset("""
the a an of with and or in for to by on at from as is was were be been are this that these those
patients patient induced associated related due severe mild moderate refractory relapsed
recurrent r/r newly diagnosed untreated previously treated advanced stage early late other
any all no not its their his her our one two three several various such both each clinical
potential possible significant total special general normal typical similar initial final
individual additional experimental medical surgical usual global critical practical annual
original physical social chemical natural principal particular regular acute chronic
secondary metastatic progressive massive focal subclinical developmental during polymorphous
erosive mental persistent transient fatal lethal prolonged increasing resulting following
including causing using being having
""".split())
# "cocaine-induced", "drug-related": the cause, not part of the disease's name
_CAUSAL = re.compile(r".+-(?:induced|related|associated|treated|mediated|dependent|inducing|based)$", re.I)

_HEADS = frozenset(DISEASE_HEADS) | GENERIC_HEADS
_SUFFIXES = tuple(DISEASE_SUFFIXES)
# words with a disease-like ending that are not diseases
_NOT_DISEASE = frozenset("""
diploma diplomas stoma stomas aroma aromas soma somas genoma stroma stromas diagnosis diagnoses
prognosis apoptosis osmosis symbiosis mitosis meiosis hypnosis analysis analyses dialysis
hydrolysis catalysis electrolysis paralyses anesthesia anaesthesia analgesia emphasis basis
thesis synthesis hypothesis genesis kinesis stasis homeostasis haemostasis hemostasis
cytotoxicity phototoxicity glycemia normotension trogocytosis phagocytosis endocytosis exocytosis
efferocytosis pinocytosis transcytosis extension extensions
""".split())
def find_disease_heads(words: list[Word]) -> Iterator[tuple[int, int, bool]]:
    """Disease head words ("lymphoma", "…itis", "syndrome"): start, end, and whether the head is
    too generic to be a mention without a modifier ("failure" alone is not a disease)."""
    for start, end, word in words:
        lowered = word.lower()
        if "-" in lowered:
            continue  # "lymphoma-free", "disease-specific": not the disease itself
        if lowered in _HEADS or (lowered.endswith(_SUFFIXES) and len(lowered) > 5 and word[0].islower()):
            if lowered in _NOT_DISEASE or lowered.startswith(("anti", "non", "normo")):
                continue
            yield start, end, lowered in GENERIC_HEADS


def is_title_case_inside_sentence(text: str, start: int) -> bool:
    """"Duke Cancer Institute", "Trends Cancer": a capitalised head mid-sentence names something else."""
    if not text[start].isupper():
        return False
    before = text[max(0, start - 3):start].rstrip()
    return bool(before) and before[-1] not in ".!?:\n"


def is_disease_modifier(word: str) -> bool:
    """Could `word`, before a disease head, be part of the disease's name?"""
    lowered = word.lower()
    if lowered in _STOP_BEFORE or not lowered[:1].isalpha() or _CAUSAL.match(lowered):
        return False
    if lowered in DISEASE_MODIFIERS or lowered.endswith(("-cell", "-positive", "-negative")):
        return True
    if word[:1].isupper() and word[1:2].islower():
        # eponyms and proper names: "Parkinson's disease", "Tay-Sachs disease", "Wilms tumor"
        return True
    if _GENE_SYMBOL.fullmatch(word):  # "G6PD deficiency", "C2 deficiency"
        return True
    return lowered.isalpha() and len(lowered) > 4 and lowered.endswith(_ADJECTIVE_ENDINGS)


# =========================================================================== the component


@dataclass(slots=True)
class Candidate:
    start: int  # token offsets
    end: int
    label: str
    concept_id: str | None
    score: float | None
    source: str
    concept_ids: tuple[str | None, ...] = ()
    attributes: dict[str, str] = field(default_factory=dict)
    # the matched characters when narrower than the tokens: "apomorphine" in "apomorphine-induced"
    chars: tuple[int, int] | None = None

    @property
    def linked(self) -> bool:
        return self.concept_id is not None


@dataclass(frozen=True, slots=True)
class LinkInfo:
    concept_id: str | None
    concept_name: str | None
    score: float | None
    concept_ids: tuple[str | None, ...]
    attributes: dict[str, str]
    chars: tuple[int, int] | None = None


def _register_extensions() -> None:
    if not Doc.has_extension("litmus_links"):
        Doc.set_extension("litmus_links", default=None)
    if not Doc.has_extension("entity_mentions"):
        Doc.set_extension("entity_mentions", getter=entity_mentions)
    for name in ("concept_id", "concept_name", "score", "concept_ids", "attributes", "chars"):
        if not Span.has_extension(name):
            Span.set_extension(name, getter=_link_getter(name))


def _link_getter(name: str):
    empty = {"concept_ids": (), "attributes": {}}

    def getter(span: Span):
        links = span.doc._.litmus_links or {}
        info = links.get((span.start, span.end))
        if info is None:
            return empty.get(name)
        return getattr(info, name)

    return getter


def entity_mentions(doc: Doc) -> list[EntityMention]:
    """`doc.ents` as plain records, with the sentence each falls in."""
    ents = doc.ents
    if not ents:
        return []
    # sentence of each token from the SENT_START column: one numpy pass, no Span objects
    sentence_of = numpy.cumsum(doc.to_array(SENT_START) == 1) - 1 if doc.has_annotation("SENT_START") else None
    links = doc._.litmus_links or {}  # read directly: five Span._ getters per entity add up
    mentions = []
    text = doc.text if any(info.chars for info in links.values()) else ""
    for ent in ents:
        index = max(int(sentence_of[ent.start]), 0) if sentence_of is not None else None
        info = links.get((ent.start, ent.end))
        if info is None:  # an entity set by another component
            mentions.append(EntityMention(ent.text, ent.label_, ent.start_char, ent.end_char, ent.kb_id_ or None,
                                          sentence_index=index))
            continue
        start, end = info.chars or (ent.start_char, ent.end_char)
        mentions.append(EntityMention(
            text=text[start:end] if info.chars else ent.text, label=ent.label_, start=start, end=end,
            concept_id=info.concept_id, concept_name=info.concept_name, score=info.score,
            sentence_index=index, attributes=dict(info.attributes),
        ))
    return mentions


_register_extensions()


@Language.factory(
    "litmus_entities",
    default_config={
        "lexicon_dir": None,
        "drug_stem_rules": True,
        "disease_rules": True,
        "target_rules": True,
        "fuzzy_linking": True,
        "link_threshold": 0.7,
        "linker_cache_dir": None,
        "expand_abbreviations": True,
        "link_base_entities": True,
    },
)
def make_entity_recognizer(
    nlp: Language,
    name: str,
    lexicon_dir: str | None,
    drug_stem_rules: bool,
    disease_rules: bool,
    target_rules: bool,
    fuzzy_linking: bool,
    link_threshold: float,
    linker_cache_dir: str | None,
    expand_abbreviations: bool,
    link_base_entities: bool,
) -> LexiconEntityRecognizer:
    return LexiconEntityRecognizer(
        nlp, load_lexicon(lexicon_dir), drug_stem_rules=drug_stem_rules, disease_rules=disease_rules,
        target_rules=target_rules, fuzzy_linking=fuzzy_linking, link_threshold=link_threshold,
        linker_cache_dir=linker_cache_dir, expand_abbreviations=expand_abbreviations,
        link_base_entities=link_base_entities,
    )


@lru_cache(maxsize=4)
def _shared_linker(lexicon: Lexicon, cache_dir: str | None, threshold: float):
    from litmus.nlp.linker import LexiconLinker  # sklearn + nmslib: import only when needed

    return LexiconLinker(lexicon, cache_dir=cache_dir, threshold=threshold)


class LexiconEntityRecognizer:
    def __init__(
        self,
        nlp: Language,
        lexicon: Lexicon,
        *,
        drug_stem_rules: bool = True,
        disease_rules: bool = True,
        target_rules: bool = True,
        fuzzy_linking: bool = True,
        link_threshold: float = 0.7,
        linker_cache_dir: str | None = None,
        expand_abbreviations: bool = True,
        link_base_entities: bool = True,
    ) -> None:
        _register_extensions()
        self.lexicon = lexicon
        self.drug_stem_rules = drug_stem_rules
        self.disease_rules = disease_rules
        self.target_rules = target_rules
        self.fuzzy_linking = fuzzy_linking
        self.link_threshold = link_threshold
        self.linker_cache_dir = linker_cache_dir
        self.expand_abbreviations = expand_abbreviations
        self.link_base_entities = link_base_entities
        # reading doc.ents costs a pass over the tokens: only when a base model's NER set them
        self._has_base_ner = any(nlp.get_pipe_meta(name).factory in ("ner", "entity_ruler", "span_ruler")
                                 for name in nlp.pipe_names)
        self.folded_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        folded: dict[str, list[str]] = {}
        exact: dict[str, list[str]] = {}
        for term in lexicon.terms():
            (exact if term.case_sensitive else folded).setdefault(term.concept_id, []).append(term.text)
        for matcher, table in ((self.folded_matcher, folded), (self.exact_matcher, exact)):
            for concept_id, texts in table.items():
                matcher.add(concept_id, list(nlp.tokenizer.pipe(texts)))
        self.drug_stems = index_drug_stems()
        self._targets = {
            name: concept.concept_id
            for concept in lexicon if concept.category in ("TARGET", "COSTIM_DOMAIN")
            for name in concept.names
        }
        # near-miss drug names: first four letters -> single-word names of drugs and products
        self._by_prefix: dict[str, list[str]] = {}
        self._near_miss_memo: dict[str, bool] = {}
        for concept in lexicon:
            if concept.category in ("DRUG", "CAR_PRODUCT"):
                for name in concept.names:
                    if name.isalpha() and len(name) >= 6:
                        self._by_prefix.setdefault(name[:4].lower(), []).append(name.lower())

    @property
    def linker(self):
        return _shared_linker(self.lexicon, self.linker_cache_dir, self.link_threshold)

    # ------------------------------------------------------------------ the pipeline step

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # Doc.text joins every token: read it once
        candidates = self._lexicon_candidates(doc)
        if self.target_rules:
            candidates += self._target_candidates(doc, text)
        unlinked: list[Candidate] = []
        words = words_of(text) if (self.drug_stem_rules or self.disease_rules or self.fuzzy_linking) else []
        if self.drug_stem_rules:
            unlinked += self._drug_candidates(doc, text, words)
        if self.disease_rules:
            unlinked += self._disease_candidates(doc, text, words)
        if self.link_base_entities and self._has_base_ner:
            unlinked += [Candidate(e.start, e.end, e.label_, None, None, "base_model") for e in doc.ents]
        if self.fuzzy_linking:
            unlinked += self._near_miss_candidates(doc, words)
        known = {(c.start, c.end) for c in candidates if c.linked}
        unlinked = [c for c in unlinked if (c.start, c.end) not in known]
        abbreviations = self._defined_abbreviations(doc)
        long_forms = {short._.long_form.text for short in abbreviations}
        # one linker call per document: the ANN query has a fixed cost per call
        unlinked_texts = [_candidate_text(doc, text, c) for c in unlinked]
        links = self._link_texts(unlinked_texts + sorted(long_forms))
        for candidate, candidate_text in zip(unlinked, unlinked_texts):
            self._adopt_link(candidate, links.get(candidate_text))
        candidates += [c for c in unlinked if c.linked or c.source in RULE_SOURCES]
        _link_rule_spans_by_head(candidates)
        if abbreviations:
            candidates = self._apply_abbreviations(abbreviations, candidates, links)
        self._set_entities(doc, candidates)
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)

    # ------------------------------------------------------------------ candidate sources

    def _candidate_for(self, start: int, end: int, concept_id: str, source: str, score: float = 1.0) -> Candidate:
        concept = self.lexicon[concept_id]
        return Candidate(start, end, concept.category, concept_id, score, source, (concept_id,))

    def _lexicon_candidates(self, doc: Doc) -> list[Candidate]:
        strings = doc.vocab.strings
        found = []
        for matcher in (self.folded_matcher, self.exact_matcher):
            for match_id, start, end in matcher(doc):
                found.append(self._candidate_for(start, end, strings[match_id], "lexicon"))
        return found

    def _target_candidates(self, doc: Doc, text: str) -> list[Candidate]:
        found = []
        for construct in find_target_constructs(text, self._targets.__contains__):
            span = doc.char_span(construct.start, construct.end, alignment_mode="expand")
            if span is None:
                continue
            concept_ids = tuple(self._targets.get(symbol) for symbol in construct.symbols)
            first = concept_ids[0]
            label = self.lexicon[first].category if first else "TARGET"
            attributes = {"form": construct.form}
            if len(construct.symbols) > 1:
                attributes["targets"] = "|".join(construct.symbols)
            found.append(Candidate(span.start, span.end, label, first, 1.0 if first else None,
                                   "target_rule", concept_ids, attributes))
        return found

    def _drug_candidates(self, doc: Doc, text: str, words: list[Word]) -> list[Candidate]:
        found = []
        for start, end in find_drug_stems(words, self.drug_stems):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                chars = (start, end) if (start, end) != (span.start_char, span.end_char) else None
                found.append(Candidate(span.start, span.end, "DRUG", None, None, "drug_stem", chars=chars))
        for start, end in find_products(text):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                found.append(Candidate(span.start, span.end, "CAR_PRODUCT", None, None, "product_rule"))
        return found

    def _disease_candidates(self, doc: Doc, text: str, words: list[Word]) -> list[Candidate]:
        found = []
        for start_char, end_char, generic in find_disease_heads(words):
            if is_title_case_inside_sentence(text, start_char):
                continue
            head = doc.char_span(start_char, end_char, alignment_mode="expand")
            if head is None:
                continue
            start = head.start
            # extend left over words that belong to the name: "diffuse large B-cell lymphoma"
            while start > 0 and head.end - start < 6 and is_disease_modifier(doc[start - 1].text):
                start -= 1
            if generic and start == head.start:
                continue
            found.append(Candidate(start, head.end, "DISEASE", None, None, "disease_rule"))
        return found

    def _near_miss_candidates(self, doc: Doc, words: list[Word]) -> list[Candidate]:
        """Words spelled almost like a lexicon drug ("ibrutinb"), for the fuzzy linker to confirm."""
        found = []
        for start, end, word in words:
            if len(word) >= 6 and word[0].islower() and self._is_near_miss(word):
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is not None:
                    found.append(Candidate(span.start, span.end, "DRUG", None, None, "fuzzy"))
        return found

    def _is_near_miss(self, word: str) -> bool:
        names = self._by_prefix.get(word[:4])
        if not names or word in names:
            return False
        verdict = self._near_miss_memo.get(word)
        if verdict is None:
            verdict = any(abs(len(n) - len(word)) <= 2 and SequenceMatcher(None, word, n).ratio() >= 0.85
                          for n in names)
            if len(self._near_miss_memo) < 100_000:
                self._near_miss_memo[word] = verdict
        return verdict

    def _link_texts(self, texts: list[str]) -> dict:
        if not self.fuzzy_linking or not texts:
            return {}
        unique = list(dict.fromkeys(texts))
        return {text: link for text, link in zip(unique, self.linker.link_many(unique)) if link is not None}

    @staticmethod
    def _adopt_link(candidate: Candidate, link) -> None:
        if link is None:
            return
        if candidate.source == "base_model" or candidate.label in ("DRUG", "CAR_PRODUCT"):
            # a stem rule or a statistical tagger only said "some entity": the concept decides
            compatible = True
        else:
            compatible = link.category in ("DISEASE", "TOXICITY")
        if compatible:
            candidate.label = link.category
            candidate.concept_id = link.concept_id
            candidate.concept_ids = (link.concept_id,)
            candidate.score = link.score

    # ------------------------------------------------------------------ abbreviations

    def _defined_abbreviations(self, doc: Doc) -> list[Span]:
        if not self.expand_abbreviations or not doc.has_extension("abbreviations"):
            return []
        return [short for short in doc._.abbreviations if short._.long_form is not None]

    def _apply_abbreviations(self, short_forms: list[Span], candidates: list[Candidate], links: dict) -> list[Candidate]:
        by_extent = {(c.start, c.end): c for c in sorted(candidates, key=_rank)}
        definitions: dict[str, Candidate | None] = {}
        for short in short_forms:
            if definitions.get(short.text) is None:
                definitions[short.text] = self._long_form_reading(short._.long_form, by_extent, links)
        redefined = {(s.start, s.end) for s in short_forms}
        # the document's own definition replaces whatever the lexicon says the short form means
        kept = [c for c in candidates if (c.start, c.end) not in redefined]
        for short in short_forms:
            reading = definitions.get(short.text)
            if reading is None:
                continue
            kept.append(Candidate(short.start, short.end, reading.label, reading.concept_id, reading.score,
                                  "abbreviation", reading.concept_ids,
                                  {**reading.attributes, "long_form": short._.long_form.text}))
        return kept

    def _long_form_reading(self, long: Span, by_extent: dict[tuple[int, int], Candidate], links: dict) -> Candidate | None:
        exact = by_extent.get((long.start, long.end))
        if exact is not None:
            return exact
        concept = self.lexicon.lookup(long.text)
        if concept is not None:
            return self._candidate_for(long.start, long.end, concept.concept_id, "abbreviation")
        link = links.get(long.text)
        if link is not None:
            return Candidate(long.start, long.end, link.category, link.concept_id, link.score,
                             "abbreviation", (link.concept_id,))
        # "relapsed or refractory multiple myeloma (RRMM)": the name the long form ends with
        inside = [c for (s, e), c in by_extent.items() if s >= long.start and e == long.end]
        if inside:
            head = max(inside, key=lambda c: c.end - c.start)
            if (head.end - head.start) * 2 >= len(long):
                return head
        return None

    # ------------------------------------------------------------------ results

    def _set_entities(self, doc: Doc, candidates: list[Candidate]) -> None:
        chosen: list[Candidate] = []
        taken: set[int] = set()
        for candidate in sorted(candidates, key=_rank, reverse=True):
            tokens = range(candidate.start, candidate.end)
            if candidate.end > candidate.start and not taken.intersection(tokens):
                chosen.append(candidate)
                taken.update(tokens)
        chosen.sort(key=lambda c: c.start)
        links = {}
        spans = []
        for c in chosen:
            spans.append(Span(doc, c.start, c.end, label=c.label, kb_id=c.concept_id or ""))
            concept = self.lexicon.get(c.concept_id) if c.concept_id else None
            attributes = {**self._concept_attributes(c.concept_id), **c.attributes, "source": c.source}
            links[(c.start, c.end)] = LinkInfo(
                c.concept_id, concept.preferred_name if concept else None,
                c.score if c.linked else None, c.concept_ids or (c.concept_id,), attributes, c.chars)
        doc.ents = spans
        doc._.litmus_links = links

    def _concept_attributes(self, concept_id: str | None) -> dict[str, str]:
        if not concept_id:
            return {}
        concept = self.lexicon[concept_id]
        attributes = {k: v for k, v in concept.attributes.items() if k in ("drug_class", "target", "costim", "kind")}
        if concept.parents:
            attributes["parent"] = "|".join(concept.parents)
        return attributes


def _candidate_text(doc: Doc, text: str, candidate: Candidate) -> str:
    if candidate.chars:
        return text[candidate.chars[0]:candidate.chars[1]]
    return doc[candidate.start:candidate.end].text


def _link_rule_spans_by_head(candidates: list[Candidate]) -> None:
    """"T-cell lymphoblastic lymphoma" is a kind of the "lymphoma" it ends with: take that concept.

    The score is the share of the text the head covers, so a partial link reads as one.
    """
    heads = {c.end: c for c in candidates if c.linked and c.label in ("DISEASE", "TOXICITY")}
    for candidate in candidates:
        if candidate.linked or candidate.source != "disease_rule":
            continue
        head = heads.get(candidate.end)
        if head is not None and head.start > candidate.start:
            candidate.label, candidate.concept_id = head.label, head.concept_id
            candidate.concept_ids = (head.concept_id,)
            candidate.score = round((head.end - head.start) / (candidate.end - candidate.start), 3)
            candidate.attributes["linked_by"] = "head"


def _rank(candidate: Candidate) -> tuple[int, int, int, int, int]:
    # the longest wins, except that a statistical model's unlinked span never hides a lexicon
    # match; on equal length a linked reading beats an unlinked one, then the surer source
    trusted = candidate.linked or candidate.source != "base_model"
    return (trusted, candidate.end - candidate.start, candidate.linked,
            _SOURCE_RANK.get(candidate.source, 1), -candidate.start)
