"""A figure whose clause names its endpoint by a pronoun: "NRM was 1.7% at 1 month, and at 6 months it was 3.4%".

The clause after "and" repeats the statement before it for another time point or group (guideline v2.1, 7: time
points carry over to a parallel statement); "it", "this" or "the rate" stands for the endpoint named last before it.
"""

from __future__ import annotations

import re

from litmus.nlp.endpoints import EndpointMention
from litmus.nlp.values import Timepoint, ValueMention

_PRONOUN_BEFORE = re.compile(
    r"\b(?:it|this|that|the\s+(?:rate|figure|incidence|proportion|estimate))\s+(?:(?:had|has)\s+)?"
    r"(?:was|were|is|reached|rose\s+to|fell\s+to|dropped\s+to|increased\s+to|decreased\s+to|stood\s+at|amounted\s+to"
    r"|(?:had\s+)?(?:risen|fallen|increased|decreased)\s+to)\s*$", re.IGNORECASE)
_NOT_REFERRED = {"OTHER", "N_ENROLLED", "N_TREATED", "N_EVALUABLE", "FOLLOW_UP"}


def endpoint_referred_to(sentence: str, value: ValueMention, endpoints: list[EndpointMention],
                         timepoints: list[Timepoint]) -> tuple[EndpointMention | None, Timepoint | None]:
    """The endpoint a pronoun right before `value` stands for, and the time point of the pronoun's clause."""
    if not _PRONOUN_BEFORE.search(sentence, max(0, value.start - 40), value.start):
        return None, None
    earlier = [e for e in endpoints if e.end <= value.start]
    if not earlier or earlier[-1].code in _NOT_REFERRED:
        return None, None
    timepoint = next((t for t in reversed(timepoints) if earlier[-1].end < t.start and t.end <= value.start
                      and len(t.months) == 1), None)
    return earlier[-1], timepoint


def endpoint_before_a_colon(sentence: str, value: ValueMention, endpoints: list[EndpointMention]) -> EndpointMention | None:
    """"CR rates stayed high in every subgroup: one earlier line (87%) versus two or more (70%); …; and earlier
    transplant (76%) versus none (71%)": a list after a colon reports the endpoint named before the colon, however long
    the list (no other endpoint named in between)."""
    colon = sentence.rfind(": ", 0, value.start)
    if colon < 0 or any(colon < e.start < value.start for e in endpoints):
        return None
    before = [e for e in endpoints if e.end <= colon and e.code not in _NOT_REFERRED]
    return before[-1] if before else None


_TOGETHER_WITH = re.compile(r"\s+(?:together\s+with|along\s+with|and\s+also|with\s+(?:concurrent|accompanying))\s+(?:an?\s+)?$",
                            re.IGNORECASE)


def reached_together(words: str, endpoint: EndpointMention, endpoints: list[EndpointMention]) -> EndpointMention | None:
    """"4 of 8 achieved CRi together with MRD negativity": the second outcome the same patients reached (its own record,
    guideline: every figure of an inventory endpoint), or None."""
    following = next((e for e in endpoints if e.start >= endpoint.end), None)
    if (following is None or following.code not in ("MRD_NEG", "CR", "CRi") or following.code == endpoint.code
            or not _TOGETHER_WITH.fullmatch(words, endpoint.end, following.start)):
        return None
    return following


_ITS_OWN_VERB = re.compile(r"\s*(?:\([^()]{0,30}\)\s*)?(?:of\s+(?:the\s+)?(?:patients|participants|(?:[\w-]+\s+)?responders)\s+)?"
                           r"(?:achieved|attained|reached|obtained|had|went\s+on\s+to\s+achieve|were|became)\s+(?:an?\s+)?$",
                           re.IGNORECASE)  # ("89% of responders were MRD-negative": the responders are who is counted)
_RESPONDERS = re.compile(r"(?i:responders)")
_OUTCOMES = {"ORR", "CR", "CRi", "PR", "SD", "PD", "VGPR", "MRD_NEG"}


def endpoint_after_its_verb(words: str, value: ValueMention, endpoints: list[EndpointMention]) -> EndpointMention | None:
    """"the ORR was 97% and 67% achieved sCR": a figure followed by its own verb and response is that response's,
    whatever list it stands in."""
    following = next((e for e in endpoints if e.start >= value.end and not _RESPONDERS.fullmatch(e.label)), None)
    if following is None or following.code not in _OUTCOMES or following.start - value.end > 50:
        return None
    return following if _ITS_OWN_VERB.fullmatch(words, value.end, following.start) else None
