"""Zero events: safety results stated as an absence ("none of the patients had grade 3-4 CRS").

A reviewer checking a safety claim needs "no grade ≥3 CRS" as a figure: rate 0 %, count 0. Abstracts
state absence with a negation governing the event, before it ("no", "none of the 20 patients had",
"there were no", "no patient developed") or after it ("severe ICANS did not occur", "grade 3 CRS was
not observed"); a coordinated list of events shares the negation ("no grade ≥3 CRS or ICANS"). Only
CRS, ICANS, non-relapse and all-cause deaths and relapse are read this way (guideline v2): "no
response" and "no significant difference" are never zeros. Windows are bounded, so a sentence is read
in linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litmus.nlp.endpoints import EndpointMention
from litmus.nlp.numbers import parse_number
from litmus.nlp.values import PATIENT_NOUN

ZERO_EVENT_ENDPOINTS = frozenset({"CRS_ANY", "CRS_GE3", "ICANS_ANY", "ICANS_GE3", "NRM", "MORTALITY", "RELAPSE"})


@dataclass(frozen=True, slots=True)
class ZeroEvent:
    endpoint: EndpointMention
    start: int  # the negation cue, in sentence offsets
    end: int
    total: int | None  # "none of the 20 patients": the denominator the sentence states


# Words that may stand between the negation and the event without changing what is negated.
_MODIFIERS = (
    r"(?:(?:grade|grades)\s*(?:[≥>]=?|≤|<=?)?\s*(?:[1-5]|I{1,3}V?|IV)(?:\s*(?:-|to|/|or|and)\s*(?:[1-5]|I{1,3}V?|IV))?"
    r"(?:\s*(?:or|and)\s*(?:higher|greater|above|more|worse))?\+?|severe|serious|high-grade|fatal|further|new|additional"
    r"|early|late|cases?\s+of|episodes?\s+of|events?\s+of|instances?\s+of|occurrences?\s+of|evidence\s+of|signs?\s+of"
    r"|any|clinically\s+significant|treatment-emergent|procedure-related|toxic|\d+[\s-](?:day|week|month|year)s?"
    r"|early|in-hospital|perioperative|postoperative)"
)
_PATIENTS = rf"(?:{PATIENT_NOUN}|one)"
# The cue before the event; it ends right where the event's mention starts.
_NEGATED_BEFORE = re.compile(
    rf"(?:\b(?P<none>none)\s+of\s+(?:the|these|our|all|them|those)?\s*(?P<total>\d+)?\s*(?:[\w-]+\s+)?{_PATIENTS}?\s*"
    rf"(?:(?:had|has|have|developed|experienced|showed|suffered|presented\s+with|required|died\s+of|died\s+from)\s+)?"
    rf"|\b(?P<nobody>nobody|no\s+one)\s+(?:(?:had|has|have|developed|experienced|suffered|required|died\s+of|died\s+from)\s+)?"
    rf"|\b(?P<no_patient>no|zero)\s+(?:(?:other|further|treated|evaluable|additional)\s+)?{_PATIENTS}\s+"
    rf"(?:(?:in|of|from)\s+(?:the|this|either|each|both|our)\s+(?:[\w-]+\s+){{0,2}}?(?:cohort|arm|group|study|trial)s?\s+)?"
    rf"(?:(?:had|has|have|developed|experienced|showed|suffered|presented\s+with|required|died\s+of|died\s+from)\s+)?"
    rf"|\b(?:there\s+(?:was|were|has\s+been|have\s+been)\s+)?(?P<no>no|zero|without\s+any)\s+)"
    rf"(?:{_MODIFIERS}\s*){{0,3}}"
    # "None of them had GvHD, CRS or ICANS": events outside the inventory may head the negated list
    rf"(?:[\w/-]+(?:\s+[\w/-]+)?\s*(?:,|\bor\b|\band\b)\s*){{0,3}}$",
    re.IGNORECASE,
)
# The cue after the event: "… did not occur", "… was not observed", "… were absent".
_NEGATED_AFTER = re.compile(
    rf"^\s*(?:\([^()]{{0,30}}\)\s*)?(?:(?:of\s+)?(?:any\s+grade|{_MODIFIERS})\s*)?"
    r"(?P<cue>(?:was|were|has\s+been|have\s+been|had\s+been|is|are)\s+(?:not|never)\s+(?:observed|seen|reported|noted"
    r"|documented|recorded|detected|encountered|found|present)|did\s+not\s+(?:occur|develop|happen)|(?:was|were)\s+absent"
    r"|occurred\s+in\s+(?:none|no\s+(?:patients?|one))|(?:was|were)\s+(?:0|zero|nil)(?!\s*[.,]?\d|\s*%))\b",
    re.IGNORECASE,
)
_ONLY_HIGHEST_GRADES = re.compile(r"\bgrades?\s*(?:4|5|IV|V)\b(?:\s*(?:-|to|or|and|/)\s*(?:5|V)\b)?", re.IGNORECASE)
_COORDINATION = re.compile(r"^\s*(?:,\s*)?(?:or|and|nor|,|/)\s*(?:(?:any|severe)\s+)?$", re.IGNORECASE)
# "no significant difference in mortality", "no increase in relapse": a comparison, never a zero
_NOT_AN_ABSENCE = re.compile(r"\b(?:difference|differences|change|increase|decrease|reduction|effect|impact|benefit"
                             r"|association|correlation|advantage|excess)\b", re.IGNORECASE)


# "… died; none of the deaths was judged related to X", "neither was related to X": no death of the treatment
_NONE_ATTRIBUTED = re.compile(
    r"\b(?:none|neither)(?:\s+of\s+(?:them|these|those|the\s+(?:[\w-]+\s+)?deaths))?\s+(?:(?:was|were)\s+)?"
    r"(?:(?:judged|considered|deemed|thought|assessed)\s+(?:to\s+be\s+)?)?(?:related|attributed|attributable|due)\s+to\b",
    re.IGNORECASE)
# "died of CRS or ICANS": a death of a toxicity is a non-relapse death (guideline v2.1, 8), not an absence of the toxicity
_DIED_OF = re.compile(r"\bdied\s+(?:of|from|due\s+to)\s+$", re.IGNORECASE)
_TOXICITIES = {"CRS_ANY", "CRS_GE3", "ICANS_ANY", "ICANS_GE3"}


def find_zero_events(sentence: str, endpoints: list[EndpointMention], *, window: int = 80) -> list[ZeroEvent]:
    """Safety events the sentence states did not occur, each with the cue that negates it."""
    found: dict[int, ZeroEvent] = {}
    runs = _coordinated_runs(sentence, endpoints)
    deaths_before = [e for e in endpoints if e.code == "MORTALITY"]
    for cue in _NONE_ATTRIBUTED.finditer(sentence) if deaths_before else ():
        if any(e.start < cue.start() for e in deaths_before):
            nrm = EndpointMention("NRM", cue.start(), cue.end(), "treatment-related death")
            found[cue.start()] = ZeroEvent(nrm, cue.start(), cue.end(), None)
    for run in runs:
        first, last = run[0], run[-1]
        if found and any(key <= first.start < found[key].end + 1 for key in found):
            continue  # "none of the deaths was judged related to X" is read above
        if first.code == "MORTALITY" and _NONE_ATTRIBUTED.match(sentence, last.end + 1):
            continue
        before = _NEGATED_BEFORE.search(sentence, max(0, first.start - window), first.start)
        if before is not None and _DIED_OF.search(before.group(0)) and all(m.code in _TOXICITIES for m in run):
            nrm = EndpointMention("NRM", first.start, last.end, "death of toxicity")
            found[first.start] = ZeroEvent(nrm, before.start(), before.end(), None)
            continue
        after = _NEGATED_AFTER.match(sentence[last.end:last.end + window])
        if before is not None and not _NOT_AN_ABSENCE.search(sentence, before.start(), first.start):
            total = before.group("total")
            cue = (before.start(), before.end())
        elif after is not None:
            total = None
            cue = (last.end + after.start("cue"), last.end + after.end("cue"))
        else:
            continue
        if (len(run) == 1 and first.code == "MORTALITY" and first.label.lower() == "died"
                and re.match(r"\s+(?:of|from|due\s+to)\b", sentence[last.end:last.end + 10])):
            continue  # "no patient died of CRS": the death's cause is read with the cause
        if _ONLY_HIGHEST_GRADES.search(sentence, cue[0], last.end + 20):
            continue  # "no grade 5 CRS", "none of grade 4-5": zero deaths from it say nothing of grade ≥3
        for mention in run:
            if mention.code in ZERO_EVENT_ENDPOINTS:
                number = parse_number(total) if total else None
                found[mention.start] = ZeroEvent(mention, cue[0], cue[1], int(number) if number else None)
    return [found[key] for key in sorted(found)]


def _coordinated_runs(sentence: str, endpoints: list[EndpointMention]) -> list[list[EndpointMention]]:
    """Endpoint mentions joined only by "and", "or", commas: "grade ≥3 CRS or ICANS" is one run of two."""
    runs: list[list[EndpointMention]] = []
    for mention in endpoints:
        if runs and _COORDINATION.match(sentence[runs[-1][-1].end:mention.start]):
            runs[-1].append(mention)
        else:
            runs.append([mention])
    return runs
