"""Grade-restricted toxicity figures: the whole of the events, or only a part of them.

Cell-therapy abstracts break CRS and neurotoxicity down by grade: "CRS developed in 18 of 19 (95%); it was of
grade 1 or 2 in 17, and one patient had grade 4 CRS". The any-grade endpoint is the 95 %; the grade 1-2 figure is
a part of it, and so is neither any-grade nor grade ≥3 (guideline: CRS_ANY is every grade). A figure restricted to
low grades still stands for every event when nothing of a higher grade occurred ("CRS of grade 1 or 2 in 94.6%;
no patient had grade ≥3 CRS", "grade 2 CRS in one patient"). So, over the whole abstract, a low-grade figure is
dropped when the same toxicity also has a figure of a higher grade, a figure of other low grades ("grade 1 in 7 …
grade 2 in 1") or, in its sentence, an any-grade figure it breaks down; a range that starts above grade 1 and
reaches grade 3 ("grade 2-4 CRS") is neither endpoint and is always dropped.

`metrics._without_grade_parts` reads the same rule inside one sentence while the figures are built; this pass
reads it across the abstract ("Grade 1-2 CRS in 67%. Grade 3 CRS in 7%.") and against the any-grade whole
a part breaks down ("CRS in 5 of 8; it was of grade 1 in 4").
"""

from __future__ import annotations

import re
from dataclasses import replace

from litmus.nlp.endpoints import grade_qualifiers, label_grades, regrade
from litmus.nlp.values import ValueMention
from litmus.records import OutcomeMetric

_TOXICITIES = ("CRS", "ICANS")


def without_partial_grades(metrics: list[OutcomeMetric]) -> list[OutcomeMetric]:
    """`metrics` less the low-grade CRS/ICANS figures that are only a part of the events (see the module)."""
    if not any(m.endpoint in ("CRS_ANY", "ICANS_ANY") and m.label and m.label.endswith("]") for m in metrics):
        return metrics
    dropped: set[int] = set()
    for base in _TOXICITIES:
        anys = [m for m in metrics if m.endpoint == f"{base}_ANY" and not m.negated]
        graded = [(m, label_grades(m.label)) for m in anys]
        parts = [(m, grades) for m, grades in graded if grades is not None]
        if not parts:
            continue
        higher = any(m.endpoint == f"{base}_GE3" and not m.negated and (m.value or 0) > 0 for m in metrics)
        ranges = {grades for _, grades in parts if grades[1] < 3}
        wholes = {m.sentence_index for m, grades in graded if grades is None}
        for metric, (low, high) in parts:
            if low >= 2 and high >= 3:
                dropped.add(id(metric))  # "grade 2-4": neither any grade nor grade ≥3
            elif high < 3 and (higher or len(ranges) > 1 or metric.sentence_index in wholes):
                dropped.add(id(metric))
    return [m for m in metrics if id(m) not in dropped] if dropped else metrics


# "was of grade 3 or higher in 5.", "grade 3 in 2 by the Penn scale": a graded count that closes its clause, with no
# count stated before it for `metrics._elliptical_counts` to repeat
_GRADED_IN_K = re.compile(
    r"(?i:\bgrades?\b[^.;,()]{0,25}?|\bsevere|\bhigher|\babove)\s+in\s+(?P<k>\d+)"
    r"(?=\s*(?:[.;,)]|$)|\s+(?:of\s+(?:them|these|those)|by|per|according\s+to)\b)")


def graded_counts(sentence: str, values: list[ValueMention]) -> list[ValueMention]:
    """Counts of patients a grade of CRS/ICANS is stated for ("severe in 7", "grade ≥3 in 5 by ASTCT") that are not
    among `values` yet; `sentence` is the unmasked sentence, in digits."""
    found = []
    for match in _GRADED_IN_K.finditer(sentence):
        k = match.start("k")
        if not any(v.start <= k < v.end for v in values):
            count = int(match.group("k"))
            found.append(ValueMention("count", k, match.end("k"), float(count), "patients", count))
    return found


# "CRS occurred in 18 patients; none were grade 3 or higher", "none of these events was severe": the toxicity is named
# before the negation and left out after it
_ELIDED_HIGH_GRADE_ZERO = re.compile(
    r"\bnone\s+(?:of\s+(?:them|these|those)(?:\s+(?:events|cases|episodes|patients))?\s+)?(?:was|were|reached|had|of)\s+"
    r"(?:of\s+)?(?:grade\s*(?:≥|>=)\s*3|grade\s*(?:3|III)\s*(?:or|and)\s*(?:higher|above|greater|more|worse)"
    r"|grade\s*(?:3|III)\s*(?:-|–|to|/)\s*(?:4|5|IV|V)|severe|high[\s-]grade)", re.IGNORECASE)
_IN_ANY_OF = re.compile(r"\b(?:(?:in|among)\s+any\s+of|among)\s+(?:the\s+|these\s+|our\s+|all\s+)?(?P<n>\d+)\b", re.IGNORECASE)


def elided_high_grade_zeros(words: str, endpoints: list) -> list[tuple[str, int, int]]:
    """(endpoint code, start, end) of each "none were grade ≥3" whose toxicity is the CRS/ICANS named before it."""
    found = []
    for match in _ELIDED_HIGH_GRADE_ZERO.finditer(words):
        named = [e for e in endpoints if e.end <= match.start() and e.code.split("_")[0] in _TOXICITIES]
        if named:
            found.append((named[-1].code.split("_")[0] + "_GE3", match.start(), match.end()))
    return found


def denominator_of_an_absence(digits: str, start: int) -> int | None:
    """"… was not observed in any of the 24 patients": the population an absence is stated for."""
    match = _IN_ANY_OF.search(digits, start)
    return int(match.group("n")) if match else None


# "Neither grade ≥3 CRS nor grade ≥3 ICANS was observed", "neither treatment-related deaths nor neurotoxicity
# occurred": two absences joined by neither … nor
_NEITHER_NOR = re.compile(r"\bneither\b(?P<first>[^.;]{1,60}?)\bnor\b(?P<second>[^.;]{1,60}?)\b(?:was|were|has\s+been|have\s+been"
                          r"|occurred|developed|observed|seen|reported|happened)\b", re.IGNORECASE)
_ABSENT_EVENTS = {"CRS_ANY", "CRS_GE3", "ICANS_ANY", "ICANS_GE3", "NRM", "MORTALITY", "RELAPSE"}


def neither_nor_zeros(words: str, endpoints: list) -> list[tuple[object, int, int]]:
    """(endpoint mention, start, end of the negation) for each event a "neither … nor …" states as absent."""
    found = []
    for match in _NEITHER_NOR.finditer(words):
        for part in ("first", "second"):
            a, b = match.start(part), match.end(part)
            named = next((e for e in endpoints if a <= e.start < b and e.code in _ABSENT_EVENTS), None)
            if named is not None:
                found.append((named, match.start(), match.start() + len("neither")))
    return found


def graded_respectively(words: str, linked: list[tuple]) -> list[tuple]:
    """"CRS of any grade and of grade ≥3 occurred in 85% and 5%, respectively": a list of grades for one toxicity
    pairs with the list of figures, in order (`linked`: (value, endpoint, time point) links of one sentence)."""
    toxic = [(i, link) for i, link in enumerate(linked) if link[1].code.split("_")[0] in _TOXICITIES]
    if len(toxic) < 2 or len({link[1].code.split("_")[0] for _, link in toxic}) != 1:
        return linked
    first_value = toxic[0][1][0]
    qualifiers = grade_qualifiers(words[:first_value.start])
    if len(qualifiers) != len(toxic):
        return linked
    regraded = list(linked)
    for (i, (value, endpoint, timepoint)), qualifier in zip(toxic, qualifiers):
        regraded[i] = (value, regrade(replace(endpoint, code=endpoint.code.split("_")[0] + "_ANY"), qualifier), timepoint)
    return regraded
