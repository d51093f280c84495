"""Response durations review prose retells, which abstracts rarely write that way.

The outcome-metric extractor is tuned to abstracts ("median duration of response 14.0 months").
Reviews retell single cases: "a response lasting over 10 months", "sustained CR for over two years".
This rule adds such durations where the extractor found nothing at the same number. A qualified
duration that is no response ("admitted within 30 days", "survival beyond 36 months") is a window or
a threshold, not a figure. (Retold sample sizes are read by `source_text.population_counts`.)
"""

from __future__ import annotations

import re

from litmus.records import OutcomeMetric

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty": 20, "thirty": 30,
}
_NUMBER = r"(?P<number>\d+(?:\.\d+)?|" + "|".join(NUMBER_WORDS) + r")"
_QUALIFIED_DURATION = re.compile(
    r"\b(?P<qualifier>over|more than|longer than|within|up to|at least|for over|for more than)\s+"
    + _NUMBER + r"\s+(?P<unit>days?|weeks?|months?|years?)\b",
    re.I,
)
_RESPONSE_WORDS = re.compile(r"\b(?:response|remission|CR|responded|durable|sustained)\b", re.I)
_UNITS = {"day": "days", "week": "weeks", "month": "months", "year": "years"}


def prose_facts(sentence: str) -> list[OutcomeMetric]:
    """Qualified response durations of one sentence, offsets relative to it."""
    return _durations(sentence)


def _value(written: str) -> float:
    return float(NUMBER_WORDS.get(written.lower()) or written)


def _durations(sentence: str) -> list[OutcomeMetric]:
    found = []
    for match in _QUALIFIED_DURATION.finditer(sentence):
        unit = _UNITS.get(match.group("unit").lower().rstrip("s"), "months")
        if unit == "weeks":
            continue  # not a unit of litmus.records
        before = sentence[:match.start()]
        if not _RESPONSE_WORDS.search(before[-80:]):
            continue  # "admitted within 30 days", "beyond 36 months": a window or a threshold, not a finding
        # One case's duration has no better statistic: the median of a single value is that value.
        found.append(OutcomeMetric(
            "DOR", "median", _value(match.group("number")), unit, match.start("number"), match.end(), sentence,
            label="duration of response",
        ))
    return found
