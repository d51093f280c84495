"""A review's prose -> the claims it makes about the works it cites.

A claim is a run of sentences of one paragraph about one cited study. The rules, in order:

1. Anchor: a sentence carrying a citation marker (numbered or a named citation) starts a claim.
2. Lead-in: an uncited sentence that introduces a study by author ("Tong et al. recruited 28 …")
   joins the anchor right after it when that anchor carries on about it (it refers back, "The CR and
   PFS rates …", or states figures) and names no other study.
3. Follow-on: the next sentences join the claim while they cite nothing themselves, name no other
   study, do not open with a topic shift ("Another", "Moreover", "Thus", …) and either refer back
   ("the patient", "this …", "Then, …") or state figures. After an anchor whose subject is a study
   named by author, one sentence that does neither may be bridged when the sentence after it does
   (case reports run "… reported a case. Sequencing found X. However, the patient …").
4. Unsourced figures: any other sentence stating figures is a claim with no citations, so a reader
   sees numbers the review does not source.

Everything else (the review's own reasoning) is not a claim. Facts come from the outcome-metric
extractor run on each sentence, plus the review-prose rules of `prose_facts` where it found nothing,
with the claim's population and intervention attached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Callable, Sequence

from litmus.claims.context import intervention_of, population_of
from litmus.claims.markers import AUTHOR_MENTION, author_mentions, find_markers
from litmus.claims.figures import Figure, sentence_figures
from litmus.claims.records import CitationMarker, Claim, ClaimFact
from litmus.claims.text import CleanReview, Sentence, clean_review, split_sentences
from litmus.records import Citation, OutcomeMetric

MetricExtractor = Callable[[str], list[OutcomeMetric]]

_TOPIC_SHIFT = re.compile(
    r"^(?:Another|Other|Others|Moreover|Furthermore|Besides|In addition|Additionally|Similarly|"
    r"Likewise|In contrast|By contrast|Conversely|Thus|Hence|Therefore|Taken together|In summary|"
    r"In conclusion|Overall|Collectively|Altogether|Meanwhile|Nevertheless|Nonetheless|Recently|"
    r"Previously|In general|Generally)\b"
)
_REFERS_BACK_OPENING = re.compile(
    r"^(?:The|This|These|Those|Such|It|Its|They|Their|He|She|His|Her|Then|Subsequently|"
    r"Afterwards|Later|Finally|Of these|Of them|Among them|Among these|In this|In these)\b"
)
_REFERS_BACK_ANYWHERE = re.compile(
    r"\b(?:this|these|those|such)\b|\bthe same\b|"
    r"\bthe (?:patient|patients|case|cases|subject|subjects|study|trial|cohort|author|authors|"
    r"investigators|participants)\b",
    re.I,
)
_FIGURE_WITH_UNIT = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:%|percent\b|months?\b|years?\b|weeks?\b|days?\b|patients\b|cases\b|"
    r"subjects\b|participants\b)"
)
_QUALIFIERS = (
    "approximately", "around", "about", "nearly", "almost", "over", "more than", "less than",
    "at least", "up to", "within", "only", "under", "above", "below", "roughly", "≥", "≤", ">", "<",
)


@dataclass(frozen=True, slots=True)
class _SentenceFacts:
    sentence: Sentence
    markers: tuple[CitationMarker, ...]
    metrics: tuple[Figure, ...]  # offsets already in the cleaned review text
    authors: tuple[str, ...]

    @property
    def cited(self) -> bool:
        return bool(self.markers)


def extract_claims(
    review_text: str,
    *,
    named_citations: Sequence[str],
    n_references: int | None = None,
    extract_metrics: MetricExtractor | None = None,
    citations: Sequence[Citation] = (),
) -> list[Claim]:
    """Claims of a review, in reading order, ids c01, c02, …; `extract_metrics` defaults to litmus's.

    `citations`: the review's reference list, for author–year markers ("(Smith et al., 2020)")."""
    review = clean_review(review_text)
    extractor = extract_metrics or _default_metric_extractor()
    markers = find_markers(review.text, named_citations=named_citations, n_references=n_references,
                           citations=citations)
    facts = [_describe(review, s, markers, extractor) for s in split_sentences(review)]
    groups = group_claim_sentences(facts, review)
    first_authors = {c.key: c.first_author_surname.lower() for c in citations
                     if c.kind != "named" and c.first_author_surname}
    return [_build_claim(f"c{i:02d}", [facts[j] for j in group], review, first_authors)
            for i, group in enumerate(groups, 1)]


def _default_metric_extractor() -> MetricExtractor:
    # Imported here: the metric extractor is another stage and is only needed once claims are read.
    from litmus.nlp.metrics import extract_metrics

    return extract_metrics


def _describe(
    review: CleanReview, sentence: Sentence, markers: list[CitationMarker], extractor: MetricExtractor
) -> _SentenceFacts:
    text = review.text[sentence.start:sentence.end]
    inside = tuple(m for m in markers if sentence.start <= m.start < sentence.end)
    spans = [(m.start - sentence.start, m.end - sentence.start) for m in inside]
    figures = tuple(_shift(f, sentence.start) for f in sentence_figures(text, spans, extractor))
    return _SentenceFacts(sentence, inside, figures, tuple(author_mentions(text)))


def _shift(figure: Figure, offset: int) -> Figure:
    metric = figure.metric
    return replace(figure, metric=replace(metric, start=metric.start + offset, end=metric.end + offset))


# ------------------------------------------------------------------------------------------ grouping


def group_claim_sentences(sentences: list[_SentenceFacts], review: CleanReview) -> list[list[int]]:
    """Indices of the sentences of each claim, by the rules of the module docstring."""
    text_of = [review.text[s.sentence.start:s.sentence.end] for s in sentences]
    used: set[int] = set()
    groups: list[list[int]] = []
    for i, current in enumerate(sentences):
        if i in used:
            continue
        if current.cited:
            group = _lead_in(i, sentences, text_of, used) + [i]
            group += _follow_on(i, sentences, text_of)
        elif current.metrics or _FIGURE_WITH_UNIT.search(text_of[i]):
            lead = _lead_in(i + 1, sentences, text_of, used) if i + 1 < len(sentences) else []
            if lead and sentences[i + 1].cited:
                continue  # the cited sentence after it takes it as its lead-in
            group = [i]
        else:
            continue
        used.update(group)
        groups.append(sorted(set(group)))
    return groups


def _lead_in(anchor: int, sentences: list[_SentenceFacts], text_of: list[str], used: set[int]) -> list[int]:
    before = anchor - 1
    if before < 0 or before in used or not sentences[anchor].cited:
        return []
    previous = sentences[before]
    same_paragraph = previous.sentence.paragraph == sentences[anchor].sentence.paragraph
    introduces_study = not previous.cited and bool(AUTHOR_MENTION.search(text_of[before]))
    carries_on = _carries_on(sentences[anchor], text_of[anchor]) and not sentences[anchor].authors
    return [before] if same_paragraph and introduces_study and carries_on else []


def _follow_on(anchor: int, sentences: list[_SentenceFacts], text_of: list[str]) -> list[int]:
    study_named = any(m.kind == "named" for m in sentences[anchor].markers) or bool(
        sentences[anchor].authors
    )
    joined: list[int] = []
    i = anchor + 1
    while i < len(sentences) and _may_continue(anchor, i, sentences, text_of):
        if _carries_on(sentences[i], text_of[i]):
            joined.append(i)
            i += 1
        elif (
            study_named
            and i + 1 < len(sentences)
            and _may_continue(anchor, i + 1, sentences, text_of)
            and _carries_on(sentences[i + 1], text_of[i + 1])
        ):
            joined += [i, i + 1]
            i += 2
        else:
            break
    return joined


def _may_continue(anchor: int, i: int, sentences: list[_SentenceFacts], text_of: list[str]) -> bool:
    candidate = sentences[i]
    return (
        candidate.sentence.paragraph == sentences[anchor].sentence.paragraph
        and not candidate.cited
        and not candidate.authors
        and not _TOPIC_SHIFT.match(text_of[i])
    )


def _carries_on(sentence: _SentenceFacts, text: str) -> bool:
    refers_back = bool(_REFERS_BACK_OPENING.match(text) or _REFERS_BACK_ANYWHERE.search(text))
    return refers_back or bool(sentence.metrics) or bool(_FIGURE_WITH_UNIT.search(text))


# ------------------------------------------------------------------------------------------- claims


def _build_claim(claim_id: str, members: list[_SentenceFacts], review: CleanReview,
                 first_authors: dict[str, str]) -> Claim:
    start, end = members[0].sentence.start, members[-1].sentence.end
    text = review.text[start:end]
    cites: list[str] = []
    for member in members:
        for marker in member.markers:
            cites.extend(key for key in marker.keys if key not in cites)
    cites = _without_named_duplicates(cites, first_authors)
    population, intervention = population_of(text), intervention_of(text)
    facts = tuple(
        _fact(figure, review.text, population, intervention)
        for member in members
        for figure in member.metrics
    )
    return Claim(
        claim_id=claim_id,
        section=review.paragraphs[members[0].sentence.paragraph].section,
        text=text,
        start=start,
        end=end,
        cites=tuple(cites),
        facts=facts,
        kind="numeric" if any(f.value is not None for f in facts) else "qualitative",
        population=population,
        intervention=intervention,
        mentioned_authors=tuple(dict.fromkeys(a for m in members for a in m.authors)),
        sentence_count=len(members),
    )


def _without_named_duplicates(cites: list[str], first_authors: dict[str, str]) -> list[str]:
    """ "Jones et al.6": the name is the first author of reference 6, not another work."""
    numbered_authors = {first_authors[key] for key in cites if key in first_authors}
    return [key for key in cites
            if key in first_authors or not key.endswith("et al.") or key.split()[0].lower() not in numbered_authors]


def _fact(figure: Figure, text: str, population: str | None, intervention: str | None) -> ClaimFact:
    metric = figure.metric
    written, number_start = written_number(text, metric.start, metric.end, metric.value)
    if figure.high is not None:  # a range: "40% to 60%" is written "40–60"
        written = "–".join(re.findall(r"\d+(?:\.\d+)?", text[metric.start:metric.end])[:2])
    return ClaimFact(
        endpoint=metric.endpoint,
        stat=metric.stat,
        value=metric.value,
        unit=metric.unit,
        start=metric.start,
        end=metric.end,
        written=written or "",
        decimals=decimals_of(written.split("–")[0]) if written else None,
        label=metric.label,
        timepoint_months=metric.timepoint_months,
        group=metric.group,
        count=metric.count,
        total=metric.total,
        qualifier=qualifier_before(text, number_start) if number_start is not None else None,
        population=population,
        intervention=intervention,
        composite=figure.composite,
        value_high=figure.high,
    )


_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def written_number(text: str, start: int, end: int, value: float | None) -> tuple[str | None, int | None]:
    """The number as written in text[start:end] whose value is `value`: ("87.7", offset)."""
    if value is None:
        return None, None
    target = Decimal(str(value))
    for match in _NUMBER.finditer(text, start, end):
        try:
            if Decimal(match.group(0).replace(",", "")) == target:
                return match.group(0), match.start()
        except InvalidOperation:
            continue
    return None, None


def decimals_of(written: str) -> int:
    """Places after the decimal point as written: "87.7" -> 1, "86" -> 0, "81.81" -> 2."""
    _, point, fraction = written.replace(",", "").partition(".")
    return len(fraction) if point else 0


def qualifier_before(text: str, number_start: int) -> str | None:
    """ "around" in "around 50%", "over" in "over 10 months"; None when the number stands alone."""
    before = text[max(0, number_start - 20):number_start].lower().rstrip()
    for qualifier in sorted(_QUALIFIERS, key=len, reverse=True):
        if before.endswith(qualifier) and (
            not qualifier[0].isalpha() or len(before) == len(qualifier) or not before[-len(qualifier) - 1].isalpha()
        ):
            return qualifier
    return None
