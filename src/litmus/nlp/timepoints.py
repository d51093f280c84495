"""Time points the value grammar of `values` does not read: an interval heading a sentence, counted from an event.

"One month after the CAR T-cell infusion, 4 patients (40%) were in CR": "one month after X" states when the figures
of the sentence were assessed (a landmark), although no preposition ("at", "by") introduces it.
A time point also carries over to the parallel statement after it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from litmus.nlp.numbers import parse_number
from litmus.nlp.values import NUM_BODY, Timepoint, time_unit

_MONTHS_PER = {"years": 12.0, "months": 1.0, "days": 1 / 30.4375, "weeks": 7 / 30.4375}
# (the sentence is in digits: "One month" is read as "1 month")
_INTERVAL_HEADING = re.compile(
    rf"^\s*(?P<n>{NUM_BODY})\s+(?P<u>(?i:years?|months?|days?|weeks?))\s+(?i:after|following|post)\s+"
    r"(?:the\s+|their\s+)?[\w-]+(?:\s+[\w-]+){0,4}?\s*,")


def heading_interval(sentence: str) -> Timepoint | None:
    """"1 month after the infusion, …": the time point an interval heading the sentence names, or None."""
    match = _INTERVAL_HEADING.match(sentence)
    if match is None:
        return None
    number = parse_number(match.group("n"))
    if number is None:
        return None
    months = round(number * _MONTHS_PER[time_unit(match.group("u"))], 4)
    return Timepoint(match.start("n"), match.end("u"), sentence[match.start("n"):match.end("u")], (months,))


# "The 2-year cumulative incidence of relapse was 32% and NRM was 7%": the second statement repeats the first's
# time point (guideline v2.1, 7: time points carry over to a parallel statement that follows)
_PARALLEL = re.compile(r"\s*,?\s*(?:and|while|whereas)\s+(?:the\s+)?(?:[\w/-]+\s+){1,5}?(?:was|were|reached|of)\s+$",
                       re.IGNORECASE)
_TIMED_ENDPOINTS = {"PFS", "OS", "EFS", "LFS", "DOR", "RELAPSE", "NRM", "MORTALITY"}


def carried_over(words: str, offset: int, metrics: list) -> list:
    """`metrics` of one sentence (in text order; `offset` of the sentence in the text) with the time point of a
    rate carried to the parallel statement right after it."""
    carried = list(metrics)
    for i in range(1, len(carried)):
        first, second = carried[i - 1], carried[i]
        if (second.timepoint_months is None and first.timepoint_months is not None and first.stat == second.stat == "rate"
                and first.endpoint in _TIMED_ENDPOINTS and second.endpoint in _TIMED_ENDPOINTS
                and first.endpoint != second.endpoint
                and _PARALLEL.fullmatch(words, first.end - offset, second.start - offset)):
            carried[i] = replace(second, timepoint=first.timepoint, timepoint_months=first.timepoint_months)
    return carried
