"""Two value mentions that state one figure: a count and its percentage, or a percentage and its denominator.

"24 of them (80%) were in CR": the count of a pronoun-headed proportion and the percentage in parentheses after it
are one rate (80 %, count 24), whose denominator is the group "them" refers to (found later by the population
stated before it). "70.5% of the 34 patients enrolled": the head count after "of the" is the percentage's
denominator (guideline v2.2, 14: a denominator inside a rate is not a count of its own). "91% for the 11
transplanted patients", "52% and 40% among 93 evaluable adults": a population written after the rate is its
denominator too, and stays a count of its own only when its verb makes it one ("evaluable", "treated"). "3 of the 12 children responded (overall response rate, 25%)": the
percentage in parentheses restates the k/n before it (one figure, not two).
"""

from __future__ import annotations

import re
from dataclasses import replace

from litmus.nlp.values import PATIENT_NOUN, ValueMention

_OPEN_CI_END = re.compile(r"(?:(?:\bCI\b|confidence\s+interval)[^()\[\];]{0,16}?|[(\[]\s*)\d[\d.]*\s*%?\s*(?:-|–|to)\s*$",
                          re.IGNORECASE)  # "(95% CI, 14.0-not estimable)", "38.9 months (25.4-not estimable)"
_OF_THEM = re.compile(r"\s+of\s+(?:them|these|those|whom|the\s+latter)\s*[(\[]\s*$", re.IGNORECASE)
_OF_THE = re.compile(r"\s+of\s+(?:the|all|all\s+the)\s+$", re.IGNORECASE)
# "91% for the 11 transplanted patients", "40% among 93 evaluable adults": the population a rate is out of
_POPULATION_AFTER = re.compile(rf"(?:\s*[(\[][^()\[\]]{{0,60}}[)\]])?\s+(?P<prep>for|among|in)\s+(?:the\s+|all\s+|all\s+the\s+)?(?P<n>\d+)\s+"
                               rf"(?:[\w-]+\s+){{0,2}}?{PATIENT_NOUN}", re.IGNORECASE)
_RESTATED_IN_PARENTHESES = re.compile(r"[^()\d%]{0,40}\(\s*(?:[A-Za-z][\w/ -]{0,30}[,:=]\s*)?")
_COUNTED_BY_A_VERB = re.compile(r"\b(?:evaluable|assessable|evaluated|assessed|analy[sz]ed|treated|infused|enrolled"
                                r"|randomi[sz]ed|included|recruited)\b", re.IGNORECASE)
_PATIENTS_AFTER = re.compile(rf"(?:[\w-]+\s+){{0,2}}?{PATIENT_NOUN}", re.IGNORECASE)


def joined_figures(masked: str, words: str, values: list[ValueMention]) -> list[ValueMention]:
    """`values` with "K of them (x%)" read as one rate and "x% of the N patients" as a rate with total N; "not
    estimable" closing a CI ("(95% CI, 14.0-not estimable)") is the CI's open end, not a figure of its own."""
    values = [v for v in values if not (v.kind == "nr" and _OPEN_CI_END.search(words, max(0, v.start - 60), v.start))]
    if len(values) < 2:
        return values
    joined: dict[ValueMention, ValueMention] = {}
    dropped: set[ValueMention] = set()
    for first, second in zip(values, values[1:]):
        if first in dropped or first in joined:
            continue
        if (first.kind in ("bare", "count") and second.kind == "pct" and first.count
                and _OF_THEM.match(masked[first.end:second.start]) and (second.value or 0) <= 100):
            joined[first] = replace(second, kind="count_pct", start=first.start, count=first.count)
            dropped.add(second)
        elif (first.kind == "pct" and second.kind in ("count", "bare") and second.count and first.total is None
                and _OF_THE.fullmatch(masked, first.end, second.start)
                and _PATIENTS_AFTER.match(words, second.start + len(str(second.count)) + 1)):
            joined[first] = replace(first, total=second.count)
            dropped.add(second)
    for first, second in zip(values, values[1:]):
        # "Three of the 12 children responded (overall response rate, 25%)": the percentage restates the k/n
        if (first.kind == "frac" and second.kind == "pct" and first.total and first not in joined and second not in dropped
                and _RESTATED_IN_PARENTHESES.fullmatch(masked, first.end, second.start)
                and abs(100.0 * first.count / first.total - (second.value or 0)) <= 0.6):
            joined[first] = replace(first, kind="frac_pct", value=second.value)
            dropped.add(second)
    for index, value in enumerate(values):
        after = _POPULATION_AFTER.match(words, value.end) if value.kind == "pct" and value.total is None else None
        if after is None or not any(v.start == after.start("n") for v in values):
            continue
        total = int(after.group("n"))
        if not _COUNTED_BY_A_VERB.search(after.group(0)):
            dropped.update(v for v in values if v.start == after.start("n"))  # "100% in the 6 patients with EMD"
        # "… 52% and the CR rate 40% among 93 evaluable adults": "among" covers the rates listed before it
        covered = [value] + ([v for v in values[:index] if v.kind == "pct" and v.total is None]
                             if after.group("prep").lower() == "among" else [])
        for rate in covered:
            if (rate.value or 0) <= 100:
                joined[rate] = replace(joined.get(rate, rate), total=total)
    if not joined:
        return values
    return [joined.get(v, v) for v in values if v not in dropped]


_PEOPLE = re.compile(r"(?i:responders?)$")
_OUTCOMES = {"ORR", "CR", "CRi", "PR", "SD", "PD", "VGPR", "MRD_NEG", "RELAPSE", "MORTALITY", "NRM", "CRS_ANY", "CRS_GE3",
             "ICANS_ANY", "ICANS_GE3"}


def without_endpoints_inside(values: list[ValueMention], endpoints: list) -> list[ValueMention]:
    """"9 of 20 patients responded (45%)": the value grammar reads k of n and its restated percentage as one figure
    across the verb; the figure ends before the endpoint it spans, so that the endpoint can be linked to it."""
    if not endpoints:
        return values
    trimmed = []
    for value in values:
        inside = next((e for e in endpoints if value.start < e.start and e.end <= value.end and e.code in _OUTCOMES
                       and not _PEOPLE.search(e.label)), None)  # "60 of 62 responders (97%)": the n's noun
        trimmed.append(replace(value, end=inside.start - 1) if inside is not None and value.kind == "frac_pct" else value)
    return trimmed
