"""A "respectively" list whose subjects are not all outcomes of the inventory: "Pyrexia, a fall in lymphocyte
count and CRS were seen in 13, 12 and nine patients, respectively".

The n-th figure belongs to the n-th subject. `linking.pair_coordinated` pairs figures with the endpoints it finds,
which is right when every subject is one; when some subjects name nothing of the inventory (fever, a laboratory
change), the subjects are counted as written (split at commas and "and", parentheses kept whole) and each figure
goes to its own subject: to its endpoint, or to nothing.
"""

from __future__ import annotations

import re

from litmus.nlp.endpoints import EndpointMention
from litmus.nlp.values import ValueMention

_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
_VERB = re.compile(r"\b(?:were|was|occurred|developed|arose|appeared)\b", re.IGNORECASE)
_JOIN = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\([^()]*\)")
_NOT_A_SUBJECT = re.compile(r"\d|^\s*(?:after|at|by|in|among|with|during|for|of)\b", re.IGNORECASE)
_RUN_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)\s*$", re.IGNORECASE)


def subjects_respectively(words: str, values: list[ValueMention], endpoints: list[EndpointMention]
                          ) -> dict[ValueMention, EndpointMention | None] | None:
    """Each figure of the list closed by "respectively" with the endpoint of its own subject (None: no outcome), or
    None when the sentence is not of this shape."""
    closing = _RESPECTIVELY.search(words)
    if closing is None:
        return None
    run = _run_before(words, [v for v in values if v.end <= closing.start()])
    if len(run) < 2:
        return None
    verbs = [m for m in _VERB.finditer(words, 0, run[0].start)]
    if not verbs:
        return None
    clause_start = max(words.rfind(";", 0, verbs[-1].start()), words.rfind(":", 0, verbs[-1].start())) + 1
    subject = words[clause_start:verbs[-1].start()]
    flat = _PARENTHESIS.sub(lambda m: " " * len(m.group(0)), subject)  # commas inside parentheses do not split
    items, start = [], 0
    for join in _JOIN.finditer(flat):
        items.append((clause_start + start, clause_start + join.start()))
        start = join.end()
    items.append((clause_start + start, clause_start + len(flat.rstrip())))
    if len(items) != len(run) or any(_NOT_A_SUBJECT.search(words[a:b]) or len(words[a:b].split()) > 6 for a, b in items):
        return None  # a heading, a time point or a long phrase among the subjects: not a plain list of events
    owners = [next((e for e in endpoints if a <= e.start < b), None) for a, b in items]
    if all(owner is not None and owner.code != "OTHER" for owner in owners):
        return None  # every subject an outcome: `linking` pairs them
    if sum(owner is not None for owner in owners) < 2:
        return None  # "the CR rates with A and B were 58% and 41%, respectively": groups, not events, are listed
    return {value: owner if owner is not None and owner.code != "OTHER" else None for value, owner in zip(run, owners)}


def _run_before(words: str, values: list[ValueMention]) -> list[ValueMention]:
    """The figures that end the list: the last of `values` and those joined to it by commas and "and"."""
    if not values:
        return []
    run = [values[-1]]
    for value in reversed(values[:-1]):
        if not _RUN_JOIN.fullmatch(words, value.end, run[0].start):
            break
        run.insert(0, value)
    return run
