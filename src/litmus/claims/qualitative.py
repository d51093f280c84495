"""What a claim says in words, checked against the abstracts it cites. Pure functions, no I/O.

Four checks, each finding quoting the source sentence it rests on:

- concepts: every target, CAR design, therapy, toxicity and disease the claim names is found in a
  cited abstract (or its title), itself or a narrower kind ("tandem CAR" confirms "dual-targeting
  CAR"), or reported `not_in_source`;
- comparisons: comparative and causal wording ("superior", "better", "reduced", "improved", "more
  effective", "synergizes") needs a comparator in the source: arms, a control, a randomisation, a
  comparison statistic (p, HR, OR) or the same comparison stated. A primary study without one gets a
  `no_comparator` discrepancy; a review's abstract without one is `not_in_source`;
- populations: a disease (or an age group) the claim attributes to the study that the source does
  not study, when the source names others and none related, is `population_not_studied`;
- design: "phase 2", "randomised", "retrospective", "single-arm", "case report" against what the
  abstract and its PubMed publication types say; a contradiction is `study_design`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litmus.claims.concepts import (
    ConceptMention, checkable, find_concepts, is_population, narrower_or_same, preferred_name, related,
)
from litmus.claims.records import Discrepancy, QualitativeFinding, SourceEvidence
from litmus.claims.source_text import SourceSentence, abstract_sentences
from litmus.updates.relevance import REVIEW_WORDS

# Comparative and causal wording ("higher", "lower" alone are left out: "a higher dose level", "grade 3
# or higher" say nothing about a comparison of outcomes).
COMPARATIVE = re.compile(
    r"\b(?:superior|inferior|better|worse|outperform\w*|(?:more|less)\s+effective|more\s+durable|"
    r"improv(?:ed|es|ing)|reduc(?:ed|es|ing)(?![- ]intensity)|synergi[sz]\w*|synergistic\w*|"
    r"compared\s+(?:to|with)|(?:higher|lower|greater|longer|shorter)\s+than|"
    # any comparative adjective before "than": "safer than", "more toxic than"
    r"(?!(?:other|rather|older|younger|later|earlier|never|either|neither|whether|under|over|after)\b)[a-z]{3,}er\s+than|"
    r"(?:more|less)\s+[a-z]{4,}\s+(?:[a-z]+\s+)?than)\b",
    re.I,
)
_THRESHOLD = re.compile(
    r"\b(?:or\s+(?:higher|lower|better|worse|more|less)|(?:more|less|fewer|greater|higher|lower|longer|shorter)\s+than\s+"
    r"(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|a\s+year|half))",
    re.I,
)
_COMPARATOR = re.compile(
    r"(?<!non-)(?<!non)\brandomi[sz]\w*|\brandomly\s+(?:assigned|allocated)|\bcontrol\s+(?:group|arm|cohort)s?\b|"
    r"\bcontrols\b|\b(?:versus|vs\.?)\s|\bcompared\s+(?:with|to)\b|\bin\s+comparison\s+with\b|\bhazard\s+ratio\b|"
    r"\bHR\b|\bodds\s+ratio\b|\brelative\s+risk\b|\bP\s*[<=>≤]|\bp\s*[<=>≤]\s*0|\bhistorical\s+(?:cohort|control)|"
    r"\bmatched\b|\btwo\s+(?:arms|groups|cohorts)\b|\bbetween\s+(?:the\s+)?(?:two\s+)?(?:groups|arms|cohorts)\b|"
    r"\b(?:superior|inferior)\s+to\b|\bthan\s+(?:in|with|those|the|patients|after|before)\b",
    re.I,
)
_DESIGN_SENTENCE = re.compile(
    r"\b(?:single[- ]arm|single[- ]cent(?:re|er)|phase\s+(?:[1-4]|I{1,3}V?)|trial|study\s+of\s+\d+|cohort|"
    r"case|series|retrospective|prospective|enrolled|treated)\b",
    re.I,
)
_PEDIATRIC = re.compile(r"\b(?:p(?:a)?ediatric|children|childhood|infants?|adolescents?|paediatric)\b", re.I)
_ADULT = re.compile(r"\b(?:adults?|elderly|older\s+patients|aged\s+(?:≥|>=|over)\s*(?:18|60|65))\b", re.I)
_PHASE = re.compile(r"\bphase\s*(?P<a>[1-4]|I{1,3}V?|IV)(?:\s*(?:/|-|–|and)\s*(?P<b>[1-4]|I{1,3}V?|IV))?(?:[ab]\b)?", re.I)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_DESIGN_WORDS = (
    ("randomised", re.compile(r"(?<!non-)(?<!non)\brandomi[sz]ed\b|\brandomly\s+assigned", re.I),
     re.compile(r"\b(?:single[- ]arm|non-?randomi[sz]ed|open-label,\s+single|uncontrolled)\b", re.I)),
    ("single-arm", re.compile(r"\bsingle[- ]arm\b", re.I),
     re.compile(r"(?<!non-)(?<!non)\brandomi[sz]ed\b|\brandomly\s+assigned", re.I)),
    ("retrospective", re.compile(r"\bretrospective(?:ly)?\b", re.I), re.compile(r"\bprospective(?:ly)?\b", re.I)),
    ("prospective", re.compile(r"\bprospective(?:ly)?\b", re.I), re.compile(r"\bretrospective(?:ly)?\b", re.I)),
    ("case report", re.compile(r"\bcase\s+reports?\b|\b(?:reported|presented|described)\s+a\s+(?:case|patient)\b", re.I),
     re.compile(r"\b(?:randomi[sz]ed|multicent(?:re|er)\s+trial)\b", re.I)),
    ("meta-analysis", re.compile(r"\bmeta-?analys[ie]s\b", re.I), re.compile(r"(?!)")),
)
_SOURCE_DESIGN_WORDS = {
    "randomised": ("Randomized Controlled Trial",),
    "case report": ("Case Reports",),
    "meta-analysis": ("Meta-Analysis", "Systematic Review"),
}


@dataclass(frozen=True, slots=True)
class _Source:
    evidence: SourceEvidence
    text: str  # title and abstract
    sentences: tuple[SourceSentence, ...]


def check_qualitative(claim_text: str, sources: list[SourceEvidence]) -> list[QualitativeFinding]:
    """Every qualitative finding of a claim against its available cited sources."""
    available = [_source(s) for s in sources if s.pmid is not None and s.has_abstract and s.abstract]
    if not available or not claim_text.strip():
        return []
    mentions = [m for m in find_concepts(claim_text) if checkable(m)]
    findings = check_concepts(mentions, available)
    findings += check_populations(claim_text, mentions, available)
    findings += check_comparisons(claim_text, available)
    findings += check_design(claim_text, available)
    return findings


def _source(evidence: SourceEvidence) -> _Source:
    return _Source(evidence, f"{evidence.title or ''}\n{evidence.abstract or ''}", abstract_sentences(evidence.abstract or ""))


# ------------------------------------------------------------------------------------------ concepts


def check_concepts(mentions: list[ConceptMention], sources: list[_Source]) -> list[QualitativeFinding]:
    """One finding per concept mention of the claim ("CAR19/22" names CD19 and CD22: both must be found)."""
    findings = []
    seen: set[str] = set()
    by_mention: dict[tuple[int, str], list[str]] = {}
    for mention in mentions:
        if mention.concept_id in seen or is_population(mention.concept_id):
            continue  # diseases are read as populations, below
        seen.add(mention.concept_id)
        by_mention.setdefault((mention.start, mention.text), []).append(mention.concept_id)
    for (_, text), concept_ids in by_mention.items():
        names = ", ".join(preferred_name(c) for c in concept_ids)
        hits = [_first_mention(sources, lambda c, wanted=wanted: narrower_or_same(c.concept_id, wanted))
                for wanted in concept_ids]
        missing = [preferred_name(c) for c, hit in zip(concept_ids, hits) if hit is None]
        if not missing:
            source, sentence = hits[0]
            findings.append(_finding("concept", text, source, "supported",
                                     f"[{source.evidence.key}] names {names}", sentence))
        else:
            keys = ", ".join(s.evidence.key for s in sources)
            findings.append(QualitativeFinding("concept", text, sources[0].evidence.key, "not_in_source",
                                               f"no cited abstract ({keys}) names {', '.join(missing)}"))
    return findings


def _first_mention(sources: list[_Source], wanted) -> tuple[_Source, SourceSentence | None] | None:
    for source in sources:
        for sentence in source.sentences:
            if any(wanted(c) for c in find_concepts(sentence.text)):
                return source, sentence
        title = source.evidence.title or ""
        if any(wanted(c) for c in find_concepts(title)):
            return source, None
    return None


# --------------------------------------------------------------------------------------- populations


def check_populations(claim_text: str, mentions: list[ConceptMention], sources: list[_Source]) -> list[QualitativeFinding]:
    findings = []
    claimed = list(dict.fromkeys(m.concept_id for m in mentions if is_population(m.concept_id)))
    if claimed:
        findings.append(_disease_finding(claimed, [m for m in mentions if m.concept_id in claimed], sources))
    age = _age_finding(claim_text, sources)
    return findings + ([age] if age else [])


def _disease_finding(claimed: list[str], mentions: list[ConceptMention], sources: list[_Source]) -> QualitativeFinding:
    subject = mentions[0].text
    hit = _first_mention(sources, lambda c: any(related(c.concept_id, d) for d in claimed))
    if hit is not None:
        source, sentence = hit
        return _finding("population", subject, source, "supported",
                        f"[{source.evidence.key}] studies {preferred_name(claimed[0])} or a related disease", sentence)
    studied = _studied_diseases(sources)
    if not studied:
        return QualitativeFinding("population", subject, sources[0].evidence.key, "not_in_source",
                                  f"no cited abstract names the disease the claim attributes ({subject})")
    source, sentence, disease = studied[0]
    names = ", ".join(dict.fromkeys(preferred_name(d) for _, _, d in studied))
    reason = f"the review attributes it to {subject}; [{source.evidence.key}] studies {names}"
    return _finding("population", subject, source, "contradicted", reason, sentence,
                    Discrepancy("population_not_studied", reason))


def _studied_diseases(sources: list[_Source]) -> list[tuple[_Source, SourceSentence | None, str]]:
    found = []
    for source in sources:
        for sentence in source.sentences:
            for concept in find_concepts(sentence.text):
                if is_population(concept.concept_id):
                    found.append((source, sentence, concept.concept_id))
    return found


def _age_finding(claim_text: str, sources: list[_Source]) -> QualitativeFinding | None:
    for claimed, pattern, other in (("paediatric", _PEDIATRIC, _ADULT), ("adult", _ADULT, _PEDIATRIC)):
        said = pattern.search(claim_text)
        if not said:
            continue
        hit = _sentence_matching(sources, pattern)
        if hit is not None:
            return _finding("population", said.group(0), hit[0], "supported",
                            f"[{hit[0].evidence.key}] studies {claimed} patients", hit[1])
        opposite = _sentence_matching(sources, other)
        if opposite is not None:
            source, sentence = opposite
            reason = f"the review speaks of {said.group(0)}; [{source.evidence.key}] studies {other.search(sentence.text).group(0)}"
            return _finding("population", said.group(0), source, "contradicted", reason, sentence,
                            Discrepancy("population_not_studied", reason))
    return None


def _sentence_matching(sources: list[_Source], pattern: re.Pattern[str]) -> tuple[_Source, SourceSentence] | None:
    for source in sources:
        for sentence in source.sentences:
            if pattern.search(sentence.text):
                return source, sentence
    return None


# --------------------------------------------------------------------------------------- comparisons


def comparative_words(claim_text: str) -> list[str]:
    thresholds = [m.span() for m in _THRESHOLD.finditer(claim_text)]
    return [m.group(0) for m in COMPARATIVE.finditer(claim_text)
            if not any(a <= m.start() < b for a, b in thresholds)]


def check_comparisons(claim_text: str, sources: list[_Source]) -> list[QualitativeFinding]:
    words = comparative_words(claim_text)
    if not words:
        return []
    subject = words[0]
    hit = _sentence_matching(sources, _COMPARATOR)
    if hit is not None:
        source, sentence = hit
        return [_finding("comparison", subject, source, "supported",
                         f"[{source.evidence.key}] has a comparator for '{subject}'", sentence)]
    primary = [s for s in sources if not _is_review(s)]
    if not primary:
        source = sources[0]
        return [QualitativeFinding("comparison", subject, source.evidence.key, "not_in_source",
                                   f"'{subject}' compares, and the abstract of review [{source.evidence.key}] states no comparison")]
    source = primary[0]
    sentence = _design_sentence(source)
    keys = ", ".join(s.evidence.key for s in primary)
    reason = f"the review says '{subject}'; [{keys}] {_design_summary(source, sentence)} has no comparator"
    return [_finding("comparison", subject, source, "supported_with_discrepancy", reason, sentence,
                     Discrepancy("no_comparator", reason))]


def _is_review(source: _Source) -> bool:
    types = source.evidence.publication_types
    return any(t in {"Review", "Systematic Review"} for t in types) or bool(REVIEW_WORDS.search(source.text))


def _design_sentence(source: _Source) -> SourceSentence | None:
    return next((s for s in source.sentences if _DESIGN_SENTENCE.search(s.text)),
                source.sentences[0] if source.sentences else None)


def _design_summary(source: _Source, sentence: SourceSentence | None) -> str:
    text = sentence.text if sentence else ""
    size = re.search(r"\b(\d+)\s+(?:[\w/-]+\s+){0,3}?(?:patients|adults|children|participants|subjects)\b", text, re.I)
    n = size.group(1) if size else None
    single = re.search(r"single[- ]arm|single[- ]cent(?:re|er)", text, re.I)
    design = f"a {single.group(0).lower()} study" if single else "the study"
    return f"({design}{f' of {n} patients' if n else ''})"


# -------------------------------------------------------------------------------------------- design


def check_design(claim_text: str, sources: list[_Source]) -> list[QualitativeFinding]:
    findings = []
    phase = _phase_finding(claim_text, sources)
    if phase:
        findings.append(phase)
    for name, says, opposite in _DESIGN_WORDS:
        said = says.search(claim_text)
        if not said:
            continue
        findings.append(_design_word_finding(name, said.group(0), says, opposite, sources))
    return findings


def _phases(text: str) -> set[int]:
    found: set[int] = set()
    for match in _PHASE.finditer(text):
        for part in (match.group("a"), match.group("b")):
            if part:
                found.add(int(part) if part.isdigit() else _ROMAN[part.lower()])
    return found


def _phase_finding(claim_text: str, sources: list[_Source]) -> QualitativeFinding | None:
    claimed = _phases(claim_text)
    if not claimed:
        return None
    subject = _PHASE.search(claim_text).group(0)
    stated = []
    for source in sources:
        types = " ".join(source.evidence.publication_types)
        for sentence in (*source.sentences, None):
            phases = _phases(sentence.text if sentence else types)
            if phases:
                stated.append((source, sentence, phases))
    if not stated:
        return QualitativeFinding("design", subject, sources[0].evidence.key, "not_in_source",
                                  f"no cited abstract states a trial phase ({subject} in the review)")
    for source, sentence, phases in stated:
        if claimed & phases:
            return _finding("design", subject, source, "supported", f"[{source.evidence.key}] is {subject}", sentence)
    source, sentence, phases = stated[0]
    reason = (f"the review says {subject}; [{source.evidence.key}] is phase "
              f"{'/'.join(str(p) for p in sorted(phases))}")
    return _finding("design", subject, source, "contradicted", reason, sentence, Discrepancy("study_design", reason))


def _design_word_finding(name: str, written: str, says: re.Pattern[str], opposite: re.Pattern[str],
                         sources: list[_Source]) -> QualitativeFinding:
    types = _SOURCE_DESIGN_WORDS.get(name, ())
    for source in sources:
        hit = next((s for s in source.sentences if says.search(s.text)), None)
        if hit is not None or any(t in source.evidence.publication_types for t in types):
            return _finding("design", written, source, "supported", f"[{source.evidence.key}] is {name}", hit)
    for source in sources:
        hit = next((s for s in source.sentences if opposite.search(s.text)), None)
        if hit is not None:
            reason = f"the review says {written}; [{source.evidence.key}] says {opposite.search(hit.text).group(0)}"
            return _finding("design", written, source, "contradicted", reason, hit, Discrepancy("study_design", reason))
    return QualitativeFinding("design", written, sources[0].evidence.key, "not_in_source",
                              f"no cited abstract says it is {name}")


# ------------------------------------------------------------------------------------------- finding


def _finding(check: str, subject: str, source: _Source, verdict: str, explanation: str,
             sentence: SourceSentence | None, discrepancy: Discrepancy | None = None) -> QualitativeFinding:
    title = source.evidence.title
    return QualitativeFinding(
        check=check, subject=subject, citation_key=source.evidence.key, verdict=verdict, explanation=explanation,
        evidence_sentence=sentence.text if sentence else title,
        evidence_start=sentence.start if sentence else None, evidence_end=sentence.end if sentence else None,
        discrepancy=discrepancy,
    )
