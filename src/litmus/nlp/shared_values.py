"""One figure stated for a coordinated list of endpoints: "median PFS and median OS were both 1.9 months",
"Medians for PFS, DOR and OS have not been reached".

The value is linked to the last endpoint of the list (the nearest); when the words between say the figure is shared
("both", "all", "each", "in either") or the figure is a single "not reached" stated for the whole list, every endpoint
of the list reports it (guideline: one record per endpoint, each with the CI and time point of the figure). A list
with a figure of its own for each endpoint ("PFS and OS were 44% and 63%") is paired by `linking` instead.
"""

from __future__ import annotations

import re

from litmus.nlp.endpoints import EndpointMention

_SHAREABLE = {"PFS", "OS", "EFS", "LFS", "DOR", "ORR", "CR", "MRD_NEG"}
_LIST_JOIN = re.compile(r"\s*(?:,\s*)?(?:(?:and|or)\s+)?(?:(?:the\s+)?median\s+)?", re.IGNORECASE)
_SHARED_WORD = re.compile(r"\b(?:both|all|each|either|alike|identical)\b", re.IGNORECASE)


def shared_by_a_list(words: str, linked: list[tuple], endpoints: list[EndpointMention]) -> list[tuple]:
    """`linked` (value, endpoint, timepoint) links plus one for every other endpoint of a list its figure is shared by."""
    if len(linked) > 3 or not endpoints or len(endpoints) < 2:
        return linked
    added = []
    for value, endpoint, timepoint in linked:
        if endpoint.code not in _SHAREABLE or endpoint.end > value.start:
            continue
        run = _list_ending_at(words, endpoints, endpoint)
        if len(run) < 2 or any(other is not value and linked_endpoint in run for other, linked_endpoint, _ in linked):
            continue
        between = words[endpoint.end:value.start]
        if value.kind != "nr" and not _SHARED_WORD.search(between):
            continue
        if len(between) > 80 or any(c in between for c in ";."):
            continue
        added += [(value, other, timepoint) for other in run if other is not endpoint and other.code != endpoint.code]
    return sorted(linked + added, key=lambda link: (link[0].start, link[1].start)) if added else linked


def _list_ending_at(words: str, endpoints: list[EndpointMention], last: EndpointMention) -> list[EndpointMention]:
    index = endpoints.index(last)
    run = [last]
    while index > 0:
        previous = endpoints[index - 1]
        if previous.code not in _SHAREABLE or not _LIST_JOIN.fullmatch(words, previous.end, run[0].start):
            break
        run.insert(0, previous)
        index -= 1
    return run
