"""Outcome metrics from clinical text: which endpoint each reported number belongs to.

Pure and cheap (compiled regexes over sentence text, no tokeniser): for each sentence, blank out
what is never an outcome value (CI levels, ranges, p-values, ages, doses, years, grades), find the
value expressions and the endpoint mentions, then link each value to an endpoint in its clause:
the preceding one ("CR was achieved in 13/15"), or the following one when the value is the
subject of a verb that reaches it ("13/15 patients achieved CR"). Coordinated lists ("ORR and CR
rates were 87.5% and 62.5%, respectively"; "the 1- and 2-year OS were 80% and 70%") pair in order.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from litmus.nlp.endpoints import EndpointMention, find_endpoints, is_survey_text, regrade
from litmus.nlp.numbers import digitise_number_words, normalise_text, snap_to_words
from litmus.nlp.sentences import split_sentences
from litmus.nlp.linking import (
    COUNT_ENDPOINTS, COUNT_KINDS, clause_spans, link_endpoint, pair_coordinated, timepoint_for,
)
from litmus.nlp.values import (
    PATIENT_NOUN, Interval, Timepoint, ValueMention, find_masks, find_values, may_state_a_value,
)
from litmus.records import OutcomeMetric

# "two partial responses (PR)", "3 deaths": a number counting the endpoint named right after it.
_COUNTED_BEFORE = re.compile(rf"(?<![\w.\-/^])(?P<k>\d+)\s+(?:(?:further|more|additional|other|durable|confirmed"
                             r"|early|late|new|total)\s+)?$")
_COUNTED_HINT = re.compile(r"\d\s+(?:[a-z]+\s+)?(?:complete|partial|stable|progressive|objective|overall|CRs?\b|PRs?\b"
                           r"|SD\b|PD\b|responses|remissions|deaths|relapses|treatment-related)", re.IGNORECASE)
_PERCENT_AFTER = re.compile(r"\s*\(\s*")
_ELLIPSIS = re.compile(r"(?:\band|\bversus|\bvs\.?|\bcompared\s+with|,)\s+(?P<k>\d+)\s+(?=(?:in|among)\s+(?:the|those)\b)",
                       re.IGNORECASE)
_ELLIPSIS_HINT = re.compile(r"\d\s+(?:in|among)\s+(?:the|those)\b")  # a cheap first look
_COUNTABLE = {"CR", "PR", "SD", "PD", "ORR", "CRi", "MORTALITY", "RELAPSE", "NRM"}
_GROUP_AFTER = re.compile(
    rf"\s*(?:\([^)]*\)\s*)?(?:(?:of\s+)?(?:the\s+)?(?:[\w-]+\s+)?{PATIENT_NOUN}\s+)?"
    rf"(?P<group>{PATIENT_NOUN}\s+with(?:out)?\s+[^,;()]{{1,50}}?|(?:in|among|for)\s+(?:the\s+|those\s+|all\s+)?"
    r"(?:[^,;()]{1,60}?\b(?:patients?|subjects|participants|cohorts?|groups?|arms?|subgroups?|subsets?|those|recipients)"
    r"(?:\s+(?:with|without|who|receiving|treated|not)\s+[^,;()]{1,40}?)?"
    r"|[A-Z][\w-]*[A-Z][\w-]*(?:\s+(?:patients|cohort|group|arm))?))"
    r"(?=\s*(?:[,;.)]|$|\band\b|\bvs\b|\bversus\b|\bcompared\b|\brespectively\b|\(|\bwho\b|\bat\b|\bafter\b))"
)
_GROUP_BEFORE = re.compile(r"^\s*(?P<group>(?:In|Among|For|in|among|for)\s+"
                           r"(?:(?!\b(?:was|were|is|are|had|has|have|there)\b)[^,;]){3,80}?),\s+(?!respectively)")
# After a randomisation verb: "randomly assigned to nivolumab (n = 206)", "divided into trial group, 69 patients".
_ARM_SIZE = re.compile(r"^\s*(?:to|into)\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_NOT_REACHED_HINTS = ("reached", "NR", "estimable", "evaluable yet")



def extract_metrics(text: str, *, sentences: list[tuple[int, int]] | None = None) -> list[OutcomeMetric]:
    """Every outcome number in `text` linked to its endpoint, in text order.

    `sentences` are (start, end) spans; without them the text is split by a rule splitter.
    """
    normalised = normalise_text(text)
    spans = sentences if sentences is not None else split_sentences(normalised)
    survey = is_survey_text(normalised)
    digits, spelled = digitise_number_words(normalised)  # one value grammar: digits only
    metrics: list[OutcomeMetric] = []
    for index, (start, end) in enumerate(spans):
        if not (_DIGIT.search(digits, start, end) or any(h in normalised[start:end] for h in _NOT_REACHED_HINTS)):
            continue  # most sentences state no number at all
        first = bisect_left(spelled, (start, 0))
        here = [(a - start, b - start) for a, b in spelled[first:bisect_left(spelled, (end, 0), first)]]
        metrics += _sentence_metrics(text[start:end], normalised[start:end], digits[start:end], start, index,
                                     survey, here)
    return metrics


def find_proportions(text: str) -> list[tuple[int, int]]:
    """Every k/n a text states ("13/15", "13 of 15 (86.7%)", "86.7% (13/15)"), whatever it counts."""
    normalised = normalise_text(text)
    digits, _ = digitise_number_words(normalised)
    pairs = []
    for start, end in split_sentences(normalised):
        masked, _, _ = find_masks(digits[start:end])
        pairs += [(v.count, v.total) for v in find_values(masked) if v.count is not None and v.total is not None]
    return pairs


def _sentence_metrics(original: str, words: str, sentence: str, offset: int, index: int, survey: bool,
                      spelled: list[tuple[int, int]]) -> list[OutcomeMetric]:
    """Metrics of one sentence: `words` is it normalised, `sentence` also with numbers in digits."""
    if not may_state_a_value(sentence) and not _COUNTED_HINT.search(sentence):
        return []  # fast path: years, p-values and ages alone
    masked, intervals, timepoints = find_masks(sentence)
    values = find_values(masked)
    if not values and not _COUNTED_HINT.search(masked):
        return []
    endpoints = find_endpoints(words, survey=survey)
    values = _with_counted_endpoints(masked, values, endpoints)
    if not values:
        return []
    if spelled:
        values = [replace(v, start=snap_to_words(v.start, spelled)) for v in values]
        timepoints = [replace(t, text=words[snap_to_words(t.start, spelled):t.end]) for t in timepoints]
    clauses = clause_spans(sentence)
    leading_group = _GROUP_BEFORE.match(sentence)
    skip_until = leading_group.end("group") if leading_group else 0
    links = pair_coordinated(sentence, values, endpoints, timepoints, clauses)
    metrics = []
    subjects = set()  # population counts already stated as the subject of their verb
    for value in values:
        endpoint, timepoint = links.get(value, (None, None))
        if endpoint is None:
            endpoint = link_endpoint(sentence, value, endpoints, clauses)
            timepoint = timepoint_for(value, endpoint, timepoints) if endpoint else None
        if endpoint is None:
            continue
        if value.start < skip_until and not (endpoint.code in COUNT_ENDPOINTS and endpoint.start >= value.start):
            continue  # "Among 11 patients not in CR, ..." names the group, not an outcome ("In the 48 evaluable" does)
        if endpoint.code in COUNT_ENDPOINTS:
            if endpoint.start >= value.start:
                subjects.add(endpoint.code)
            elif endpoint.code in subjects or _ARM_SIZE.match(sentence, endpoint.end, value.start):
                continue  # "412 were randomly assigned to A (n = 206) or B (n = 206)": arm sizes
        if endpoint.end <= value.start:
            endpoint = regrade(endpoint, sentence[endpoint.end:value.start])
        metric = _build_metric(original, sentence, offset, index, value, endpoint, timepoint, intervals)
        if metric is not None:
            group = _group_for(words, value) or (_tidy_group(words[leading_group.start("group"):leading_group.end("group")]) if leading_group else None)
            metrics.append(_with(metric, group=group))
    return metrics


def _with_counted_endpoints(masked: str, values: list[ValueMention],
                            endpoints: list[EndpointMention]) -> list[ValueMention]:
    """Add "two partial responses", "3 deaths": bare numbers that count the endpoint written right after them."""
    added = []
    for endpoint in endpoints:
        if endpoint.code not in _COUNTABLE:
            continue
        match = _COUNTED_BEFORE.search(masked, max(0, endpoint.start - 40), endpoint.start)
        if match is None or any(v.start <= match.start() < v.end or match.start() <= v.start < endpoint.start
                                for v in values):
            continue
        count = int(match.group("k"))
        percentage = next((v for v in values if v.kind == "pct" and _PERCENT_AFTER.fullmatch(masked, endpoint.end, v.start)),
                          None)
        if percentage is not None:
            values = [v for v in values if v is not percentage]
            added.append(replace(percentage, kind="count_pct", start=match.start(), count=count))
        else:
            added.append(ValueMention("count", match.start(), endpoint.end, float(count), "patients", count))
    added += _elliptical_counts(masked, values + added)
    return sorted(values + added, key=lambda v: v.start) if added else values


def _elliptical_counts(masked: str, values: list[ValueMention]) -> list[ValueMention]:
    """"Eleven deaths occurred in arm A and 13 in arm B": a bare number repeating a count stated before it."""
    counts = [v for v in values if v.count is not None and v.total is None]
    if not counts:
        return []
    found = []
    if _ELLIPSIS_HINT.search(masked, counts[0].end) is None:
        return found
    for match in _ELLIPSIS.finditer(masked, counts[0].end):
        k = match.start("k")
        if not any(v.start <= k < v.end for v in values):
            count = int(match.group("k"))
            found.append(ValueMention("count", k, match.end("k"), float(count), "patients", count))
    return found



def _build_metric(original: str, sentence: str, offset: int, index: int, value: ValueMention,
                  endpoint: EndpointMention, timepoint: Timepoint | None,
                  intervals: list[Interval]) -> OutcomeMetric | None:
    stat, number, unit = _stat_value_unit(endpoint, value)
    if stat is None:
        return None
    interval = next((i for i in intervals if value.end <= i.start <= value.end + 12), None)
    return OutcomeMetric(
        endpoint=endpoint.code, stat=stat, value=number, unit=unit,
        start=offset + value.start, end=offset + value.end, sentence=original,
        label=endpoint.label,
        timepoint=timepoint.text.strip() if timepoint else None,
        timepoint_months=timepoint.months[0] if timepoint else None,
        count=value.count, total=value.total,
        ci_low=interval.low if interval else None, ci_high=interval.high if interval else None,
        not_reached=value.kind == "nr",
        sentence_index=index, sentence_start=offset,
    )


def _stat_value_unit(endpoint: EndpointMention, value: ValueMention) -> tuple[str | None, float | None, str | None]:
    if endpoint.code in COUNT_ENDPOINTS:
        if value.count is None:
            return None, None, None
        return "count", float(value.count), "patients"
    if value.kind == "duration" or value.kind == "nr":
        return "median", value.value, value.unit
    if value.kind == "hr":
        return "hr", value.value, None
    if value.kind in COUNT_KINDS:
        return "count", value.value, "patients"
    return "rate", value.value, "%"


def _group_for(sentence: str, value: ValueMention) -> str | None:
    match = _GROUP_AFTER.match(sentence, value.end)
    return _tidy_group(match.group("group")) if match else None


def _tidy_group(group: str) -> str:
    return group[0].lower() + group[1:].rstrip() if group else group


def _with(metric: OutcomeMetric, **changes) -> OutcomeMetric:
    return replace(metric, **changes)
