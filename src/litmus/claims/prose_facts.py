"""Figures review prose states in ways abstracts rarely do, read with two narrow rules.

The outcome-metric extractor is tuned to abstracts ("15 patients were enrolled", "median PFS 14.8
months"). Reviews retell: "recruited 28 r/r NHL cases", "66 patients with … were recruited and
treated", "a response lasting over 10 months", "sustained CR for over two years". These rules add
such figures only where the extractor found nothing at the same number.
"""

from __future__ import annotations

import re

from litmus.records import OutcomeMetric

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty": 20, "thirty": 30,
}
_NUMBER = r"(?P<number>\d+(?:\.\d+)?|" + "|".join(NUMBER_WORDS) + r")"
_PEOPLE = r"(?:patients|subjects|cases|participants|individuals|children|adults|adolescents)"
# The number, up to six words naming the disease ("r/r NHL", "with relapsed B-ALL"), then people.
_SAMPLE = re.compile(r"\b" + _NUMBER + r"\s+(?:[\w/()+-]+\s+){0,6}?" + _PEOPLE + r"\b", re.I)
_ENROLMENT_VERB = re.compile(r"\b(?:enroll?ed|recruited|included|registered|accrued)\b", re.I)
_TREATMENT_VERB = re.compile(r"\b(?:treated|infused|received|given|administered)\b", re.I)
_QUALIFIED_DURATION = re.compile(
    r"\b(?P<qualifier>over|more than|longer than|within|up to|at least|for over|for more than)\s+"
    + _NUMBER + r"\s+(?P<unit>days?|weeks?|months?|years?)\b",
    re.I,
)
_RESPONSE_WORDS = re.compile(r"\b(?:response|remission|CR|responded|durable|sustained)\b", re.I)
_UNITS = {"day": "days", "week": "weeks", "month": "months", "year": "years"}


def prose_facts(sentence: str) -> list[OutcomeMetric]:
    """Sample sizes and qualified durations of one sentence, offsets relative to it."""
    return _sample_sizes(sentence) + _durations(sentence)


def _value(written: str) -> float:
    return float(NUMBER_WORDS.get(written.lower()) or written)


def _sample_sizes(sentence: str) -> list[OutcomeMetric]:
    if _ENROLMENT_VERB.search(sentence):
        endpoint, label = "N_ENROLLED", "enrolled"
    elif _TREATMENT_VERB.search(sentence):
        endpoint, label = "N_TREATED", "treated"
    else:
        return []
    match = _SAMPLE.search(sentence)
    if not match or "%" in sentence[match.end("number"):match.end("number") + 2]:
        return []
    return [OutcomeMetric(endpoint, "count", _value(match.group("number")), "patients",
                          match.start("number"), match.end(), sentence, label=label)]


def _durations(sentence: str) -> list[OutcomeMetric]:
    found = []
    for match in _QUALIFIED_DURATION.finditer(sentence):
        unit = _UNITS.get(match.group("unit").lower().rstrip("s"), "months")
        if unit == "weeks":
            continue  # not a unit of litmus.records
        before = sentence[:match.start()]
        is_response = bool(_RESPONSE_WORDS.search(before[-80:]))
        # One case's duration has no better statistic: the median of a single value is that value.
        found.append(OutcomeMetric(
            "DOR" if is_response else "OTHER", "median", _value(match.group("number")), unit,
            match.start("number"), match.end(), sentence,
            label="duration of response" if is_response else match.group(0),
        ))
    return found
