"""Time points the value grammar of `values` does not read: an interval heading a sentence, counted from an event.

"One month after the CAR T-cell infusion, 4 patients (40%) were in CR": "one month after X" states when the figures
of the sentence were assessed (a landmark), although no preposition ("at", "by") introduces it.
"""

from __future__ import annotations

import re

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
