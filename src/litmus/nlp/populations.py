"""Head counts of groups: arm, cohort and dose-level sizes, and counts broken down by group.

A meta-analyst needs the size of every arm first. Abstracts state them in a few general ways,
each read here as a candidate with its group label and the kind of count it is:

- a label followed by a parenthesis that counts it: "brexu-cel (n = 64)", "(combination group, n = 17)",
  "(GC, n = 203; MVAC, n = 202)", "idarubicin (109 analysed)", "twice-daily radiotherapy (274 patients)",
  "(n = 53 in each arm)" (`sizes_in_parentheses`);
- counts sent "to" arms: "342 to the combination group and 342 to the monotherapy group", "350 patients
  to receive erlotinib and 320 to receive placebo" (`sizes_sent_to_arms`);
- a count split over groups right after it, recognised because the parts add up to it: "87 patients were
  enrolled (41 in the XELIRI and 46 in the FOLFIRI arm)", "508 deaths (248 in the A group and 260 in
  the B group)", "divided into trial group, 69 patients, and control group, 36 patients"
  (`breakdown_of_count`);
- groups listed with their sizes in one parenthesis: "(609 intervention, 667 control)", "(standard n=592,
  TEQ-10 n=602)", "(n = 3 at DL1, …; n = 8 at DL2, …)" (`sizes_listed_in_parenthesis`);
- coordinated counts, each with what its group was given or is called: "66 were treated with A, 58 with B",
  "85 (48%) received A and 91 (52%) B" (`sizes_coordinated`), "30 control and 26 study patients"
  (`sizes_before_a_shared_noun`), "the 559 participants in the A group and the 557 in the B group",
  "randomized to DP (101) or A + M (49)" (`sizes_of_named_groups`), "dose level 1 was given to two patients
  and dose level 2 to three", "(n = 143) given BT" (`sizes_given`), "30 patients randomized to A received …"
  (`sizes_named_by_a_participle`: the count's own verb after the participle kinds it).

Which count it is (enrolled, treated, evaluable) is the verb inside the parenthesis when there is one
("109 analysed", "62 receiving …"), else the population verb of the sentence before it (a
randomisation verb makes arm sizes N_ENROLLED), else N_TREATED: a cohort given as "(n = X)" received
the therapy. Every pattern looks at a bounded window, so a sentence is read in linear time.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from litmus.nlp.endpoints import EndpointMention
from litmus.nlp.groups import (
    acceptable_label as _acceptable_label, arm_described_before, group_after, group_before, group_list_after, tidy_label,
)
from litmus.nlp.numbers import DIGITS_PATTERN, parse_number
from litmus.nlp.values import PATIENT_NOUN

POPULATION_CODES = ("N_ENROLLED", "N_TREATED", "N_EVALUABLE")


@dataclass(frozen=True, slots=True)
class GroupCount:
    code: str  # N_ENROLLED, N_TREATED, N_EVALUABLE, or the endpoint of the count broken down
    count: int
    start: int  # the number, in sentence offsets
    end: int
    group: str


def _number(name: str = "k") -> str:
    return rf"(?<![\w.,/-])(?P<{name}>{DIGITS_PATTERN})(?![\w.]|,\d)"


_NUMBER = _number()
_PATIENTS = rf"(?:{PATIENT_NOUN}|pts\.?)"
_EACH = r"(?P<each>(?:per|in\s+each|for\s+each|each)\s+(?:arm|group|cohort))"
# The inside of a parenthesis that counts the label before it (or the label written inside it).
_COUNTING_PARENTHESIS = re.compile(
    rf"(?:[(\[]|;(?=[^()]{{0,120}}\)))\s*(?:(?P<inner_label>[^()\[\];,:=]{{1,50}}?)(?:\s*[,;:]|\s+[-–—])\s*)?"
    # ("(n = 14, T-ALL)": a short name may follow the size)
    rf"(?:[nN]\s*[=:]\s*{_NUMBER}(?:\s+{_PATIENTS})?(?:\s*,?\s*{_EACH})?"
    rf"(?:\s*[,;]\s*(?P<after_label>[A-Za-z][\w+/-]*(?:\s+[\w+/-]+){{0,2}})(?=\s*[)\]]))?"
    rf"|{_number('k2')}(?=\s)(?:\s+{_PATIENTS})?(?:\s+(?P<verb>analy[sz]ed|evaluable|evaluated|assessable|assessed|treated"
    rf"|infused|randomi[sz]ed|enrolled))?(?:\s+(?:to\s+)?(?P<each2>(?:in\s+|to\s+)?(?:each|either|both)\s+(?:arm|group|cohort)s?))?)"
    # "(N = 256 for the efficacy set)": an analysis set is counted as evaluable (guideline v2.2)
    rf"(?:\s+for\s+the\s+(?P<set>(?:[\w-]+\s+){{0,2}}?(?:set|population|analysis)))?\s*(?=[)\];,])"
)
# "GC, n = 203; MVAC, n = 202": further items inside the same parenthesis.
# ("N = 256 for the efficacy set, N = 269 for the safety set": a comma may separate unlabelled items)
_NEXT_ITEM = re.compile(rf"(?:\s*;\s*(?:(?P<inner_label>[^()\[\];,:=]{{1,50}}?)\s*[,:]\s*)?|\s*,\s*(?=[nN]\s*[=:]))"
                        rf"[nN]\s*[=:]\s*{_NUMBER}"
                        rf"(?:\s+for\s+the\s+(?P<set>(?:[\w-]+\s+){{0,2}}?(?:set|population|analysis)))?\s*(?=[)\];,])")
_NOT_PATIENTS = re.compile(r"\b(?:sites?|lesions?|tumou?rs|metastases|cycles|courses|fractions|procedures|samples"
                           r"|specimens|episodes|bones|vertebrae|nodules|teeth|eyes|limbs)\b", re.IGNORECASE)
_VERB_AFTER = re.compile(r"\s*[)\]]\s*(?:were|was|had|have|who)\b", re.IGNORECASE)
# "patients randomized to placebo (n = 316) in the trial were included in this analysis": the subject's own verb
_SUBJECT_VERB_AFTER = re.compile(r"\s*(?:;[^()]{0,30})?[)\]]\s*(?:(?:in|of|from|at|with)\s+(?:the\s+)?[^,;()]{1,40}?\s+)??(?:were|was|had|have|who)\b",
                                 re.IGNORECASE)
_SENT_TO = re.compile(
    rf"{_NUMBER}\s+(?:{_PATIENTS}\s+)?(?:(?:were|was)\s+)?(?:(?:randomly\s+)?(?:randomi[sz]ed|assigned|allocated)\s+)?"
    r"(?:to|into)\s+(?:receive\s+|the\s+|either\s+)*",
    re.IGNORECASE,
)
_STUDY_POPULATION_BEFORE = re.compile(rf"\b(?:{PATIENT_NOUN}|sample)\s*$", re.IGNORECASE)
_RANDOMISATION = re.compile(r"\b(?:randomi[sz]\w*|randomly|assigned|allocated|allocation|divided)\b", re.IGNORECASE)
_INNER_VERB = {
    "N_EVALUABLE": re.compile(r"^(?:analy[sz]ed|evaluable|evaluated|assessable|assessed)", re.IGNORECASE),
    "N_TREATED": re.compile(r"^(?:treated|infused|receiv\w*|given|underw\w+|had$)", re.IGNORECASE),
    "N_ENROLLED": re.compile(r"^(?:randomi[sz]ed|enrolled|allocated|assigned)", re.IGNORECASE),
}
_ANALYSIS_LABEL = re.compile(r"\banalys[ie]s$", re.IGNORECASE)
_RESTATED_BEFORE = re.compile(rf"{_NUMBER}\s*$")
_RESTATING = re.compile(rf"{_NUMBER}\s*\(\s*[nN]\s*=\s*$")


def _restates(digits: str, position: int, number: str) -> bool:
    """Whether the number at `position` ("(n = 50" or the parenthesis opening there) repeats the one before it."""
    before = (_RESTATED_BEFORE if digits.startswith("(", position) else _RESTATING).search(
        digits, max(0, position - 16), position)
    return before is not None and before.group("k") == number


_LEFT_OUT = re.compile(r"\b(?:not|never)\s+(?:been\s+)?(?:randomi[sz]ed|enrolled|included|treated|infused|evaluable"
                       r"|assessable|analy[sz]ed|eligible)\b", re.IGNORECASE)
_ADJECTIVES = ("evaluable", "assessable")  # describe patients; the verb of the clause says what was counted


def _start_of(mention: EndpointMention) -> int:
    return mention.start


def _kind_from_word(word: str | None) -> str | None:
    if not word:
        return None
    return next((code for code, pattern in _INNER_VERB.items() if pattern.match(word)), None)


def sentence_population_kind(endpoints: list[EndpointMention], position: int) -> str:
    """The kind of a group count at `position`: the nearest population verb before it, else N_TREATED."""
    index = bisect_left(endpoints, position, key=_start_of)
    before = [e for e in endpoints[max(0, index - 12):index] if e.code in POPULATION_CODES and e.end <= position]
    verbs = [e for e in before if e.label.lower() not in _ADJECTIVES]
    chosen = (verbs or before)[-1:] if before else []
    return chosen[0].code if chosen else "N_TREATED"


def sizes_in_parentheses(words: str, digits: str, endpoints: list[EndpointMention]) -> list[GroupCount]:
    """Arm and cohort sizes written as a parenthesis after (or around) the label they count."""
    found = []
    parentheses = list(_COUNTING_PARENTHESIS.finditer(digits))
    if parentheses and _NOT_PATIENTS.search(words, 0, parentheses[0].start()) and not re.search(
            _PATIENTS, words[:parentheses[0].start()], re.IGNORECASE):
        return found  # "Sites of treatment included spine (n = 27), pelvis (n = 25)": counts of sites (v2.2)
    left_out = [m.end() for m in _LEFT_OUT.finditer(words)] if parentheses else []
    verbs = [e.start for e in endpoints if e.code in POPULATION_CODES] if left_out else []
    consumed = 0  # the end of the last parenthesis read with its further items ("; B, n = 9" is read once)
    for match in parentheses:
        if match.start() < consumed:
            continue
        if left_out and _after_leaving_out(left_out, verbs, match.start()):
            continue  # "69 patients were not randomised because of A (n = 6) or B (n = 63)": reasons, not arms
        if _restates(digits, match.start(), _number_text(match)):
            continue  # "fifty (n = 50) patients": the parenthesis restates the number before it
        items = [match]
        cursor = match.end()
        while (more := _NEXT_ITEM.match(digits, cursor)) is not None:
            items.append(more)
            cursor = more.end()
        consumed = cursor
        for item in items:
            count = _count(item)
            if count is None:
                continue
            label = _label_of(words, item, match.start())
            if label is None:
                continue
            each = item.groupdict().get("each") or item.groupdict().get("each2")
            if (len(parentheses) == 1 and len(items) == 1 and item.group("inner_label") is None and not each
                    and not any(e.code not in POPULATION_CODES and e.start > match.start() for e in endpoints)
                    and _STUDY_POPULATION_BEFORE.search(words, max(0, match.start() - 40), match.start())
                    and not _RANDOMISATION.search(words, max(0, match.start() - 80), match.start())):
                continue  # "Ventilated preterm infants (n = 126) with X were randomized": the study population
            if (len(items) == 1 and item.group("inner_label") is None and _VERB_AFTER.match(digits, item.end())
                    and len(parentheses) == 1 and not each):
                continue  # "GPs (n = 125) were randomised": the study population, its verb after it
            verb = item.groupdict().get("verb")
            # "At the primary efficacy analysis (n = 37; …)": an analysis set (guideline v2.2)
            analysis = item.groupdict().get("set") or _ANALYSIS_LABEL.search(label)
            code = ("N_EVALUABLE" if analysis else _kind_from_word(verb)
                    or _subject_verb_after(digits, endpoints, cursor) or _verb_of_counted_subject(digits, endpoints, match)
                    or sentence_population_kind(endpoints, match.start()))
            found.append(GroupCount(code, count, *_number_span(item), label))
    return found


# "Sixty patients with diabetes (type 1, n = 26; type 2, n = 34) …": a head count, then the parenthesis splitting it
_COUNTED_SUBJECT_BEFORE = re.compile(rf"^\s*(?:[A-Z][A-Z ]{{2,40}}:\s*)?(?:A\s+total\s+of\s+)?\d[\d,]*\s+(?:[\w-]+\s+){{0,5}}?$")


def _verb_of_counted_subject(digits: str, endpoints: list[EndpointMention], match: re.Match) -> str | None:
    """The parts of a head count that opens the sentence share its verb, when no population verb precedes them
    ("Sixty adults with asthma (mild, n = 22; severe, n = 18) entered a trial" -> N_ENROLLED each)."""
    if not _COUNTED_SUBJECT_BEFORE.match(digits, 0, match.start()):
        return None
    if any(e.code in POPULATION_CODES and e.end <= match.start() for e in endpoints):
        return None
    close = digits.find(")", match.start())
    verb = next((e for e in endpoints if e.code in POPULATION_CODES and e.start > close >= 0
                 and e.label.lower() not in _ADJECTIVES), None)
    if verb is None or verb.start - close > 120 or re.search(r"[;.]\s", digits[close:verb.start]):
        return None
    return verb.code


def _after_leaving_out(left_out: list[int], verbs: list[int], position: int) -> bool:
    """Whether the last population verb before `position` is a negated one ("were not randomised")."""
    index = bisect_right(left_out, position)
    if index == 0:
        return False
    verb = bisect_left(verbs, left_out[index - 1])  # the first population verb after the negated one
    return verb == len(verbs) or verbs[verb] >= position


def _subject_verb_after(digits: str, endpoints: list[EndpointMention], position: int) -> str | None:
    """"Four hundred patients (G group: n = 201; C group: n = 202) were randomized": the subject's verb."""
    verb = _SUBJECT_VERB_AFTER.match(digits, position)
    if verb is None:
        return None
    index = bisect_left(endpoints, verb.end() - 4, key=_start_of)
    mention = endpoints[index] if index < len(endpoints) else None
    if mention is None or mention.code not in POPULATION_CODES or mention.start - verb.end() > 20:
        return None
    return mention.code


def _count(match: re.Match) -> int | None:
    number = parse_number(_number_text(match))
    return int(number) if number is not None and number == int(number) and number > 0 else None


def _number_text(match: re.Match) -> str:
    return match.group("k") or match.groupdict().get("k2") or ""


def _number_span(match: re.Match) -> tuple[int, int]:
    name = "k" if match.group("k") else "k2"
    return match.start(name), match.end(name)


# "dose level 2 (…)", "cohort 3 (…)": a group named by its number
_NUMBERED_GROUP_BEFORE = re.compile(r"\b(?P<label>(?:dose\s+)?(?:level|cohort|arm|group|step|part)\s+\d+[a-z]?)\s*$",
                                    re.IGNORECASE)
_DOSE_INSIDE = re.compile(r"[\d.,\s×x^/-]+(?:mg|µg|μg|g|mL|ml|Gy|IU|cells|×\s*10\^?\d+)?(?:/(?:kg|m2|m²|day|d))?\s*", re.IGNORECASE)
# An aside between a name and the parenthesis counting it: a dose, a period, an abbreviation (not another count)
_ASIDE_BEFORE = re.compile(r"[A-Za-z](?P<aside>\s*\((?![^()]*(?:\b[nN]\s*[=:]|\d\s*%))[^()]{1,60}\))\s*$")


def _label_of(words: str, item: re.Match, parenthesis: int) -> str | None:
    """The group a counting parenthesis names: inside it, "per arm", or the label right before it."""
    each = item.groupdict().get("each") or item.groupdict().get("each2")
    if each:  # "(n = 53 in each arm)", "(26 randomised to each arm)", "(90 in each group)"
        words = each.split()
        return " ".join(words[-2:]) if words[-2].lower() in ("each", "either", "both") else each
    inner = item.group("inner_label")
    if item.groupdict().get("set"):
        return item.group("set")
    if inner:
        start = item.start("inner_label")
        while start > 0 and words[start - 1].isalnum():
            start -= 1  # a number word digitised inside the label ("(single injection, …)")
        label = tidy_label(words[start:item.end("inner_label")])
        if re.fullmatch(_PATIENTS, label, re.IGNORECASE):
            return None  # "(patients, n = 30)": no group named
        if re.search(r"[A-Za-z]{2}", label) and not _DOSE_INSIDE.fullmatch(label):
            return label
        # "dose level 2 (100 × 10^6; n = 177)", "(1.2-47.0; N = 78)": a figure, not a name; the name is before it
    aside = _ASIDE_BEFORE.search(words, max(0, parenthesis - 80), parenthesis)
    if aside is not None:
        parenthesis = aside.start("aside")  # "drug A (20 mg daily) (n = 44)": the name stands before the aside describing it
    before = group_before(words, parenthesis, boundaries_extra=True)
    if before is None and _RANDOMISATION.search(words, 0, parenthesis):
        before = arm_described_before(words, parenthesis)
    if before is None:
        numbered = _NUMBERED_GROUP_BEFORE.search(words, max(0, parenthesis - 30), parenthesis)
        return numbered.group("label") if numbered else _dose_level(words, parenthesis) or _label_after(words, item)
    if re.fullmatch(rf"(?:\w+\s+)?{_PATIENTS}", before.label, re.IGNORECASE):
        return None  # "Patients (n = 168)": the population, not a group
    return before.label


def _label_after(words: str, item: re.Match) -> str | None:
    """"(n = 14, T-ALL)": the name written after the size, when none stands before the parenthesis."""
    if not item.groupdict().get("after_label"):
        return None
    label = tidy_label(words[item.start("after_label"):item.end("after_label")])
    if re.match(_PATIENTS, label, re.IGNORECASE) or not _acceptable_label(label) or _NOT_A_LISTED_GROUP.match(label):
        return None
    return label


_DOSE_BEFORE = re.compile(rf"(?P<dose>{DIGITS_PATTERN})\s*$")
_DOSE_UNIT_AFTER = re.compile(r"[^.;]{0,80}?(?P<unit>(?:×|x)\s*10\s*\^?\s*\d+)")
_DOSE_WORD = re.compile(r"\bdos(?:e|es|ing)\b", re.IGNORECASE)


def _dose_level(words: str, parenthesis: int) -> str | None:
    """"dose levels of 50 (N = 5), 150 (N = 12) and 450 (N = 9) × 10^6 cells": the dose is the group label."""
    dose = _DOSE_BEFORE.search(words, max(0, parenthesis - 12), parenthesis)
    if dose is None or not _DOSE_WORD.search(words, max(0, parenthesis - 120), parenthesis):
        return None
    unit = _DOSE_UNIT_AFTER.match(words, parenthesis)
    power = " × " + re.sub(r"^(?:×|x)\s*", "", unit.group("unit")).replace(" ", "") if unit else ""
    return dose.group("dose") + power


def sizes_sent_to_arms(words: str, digits: str, endpoints: list[EndpointMention]) -> list[GroupCount]:
    """"342 to the combination group and 342 to the monotherapy group": two or more counts sent to arms."""
    if not _RANDOMISATION.search(words):
        return []
    found = []
    for match in _SENT_TO.finditer(digits):
        count = _count(match)
        group = group_after(words, match.end() - 1, limit=80, bare=True) if count else None
        if count and group is not None:
            found.append(GroupCount("N_ENROLLED", count, match.start("k"), match.end("k"), group.label))
    return found if len(found) >= 2 else []


# "randomly divided into two groups of 11", "with thirty patients in each arm": one size for every group
# ("4 groups of 7 rats each" counts animals; "one patient in each group discontinued" an event)
_PER_GROUP = re.compile(rf"\bgroups\s+of\s+(?P<k>\d+)(?:\s+(?:[\w-]+\s+){{1,2}}?{_PATIENTS}\b"  # "two groups of 19 obese patients"
                        rf"|(?:\s+{_PATIENTS})?(?:\s+each)?(?=\s*[.,;:)]|\s*$))"
                        rf"|{_number('k2')}\s+(?:{_PATIENTS}\s+)?(?:in|per|for)\s+each\s+(?P<unit>arm|group|cohort)\b"
                        r"(?!\s+(?:were|was|had|have|[a-z]+ed)\b)",
                        re.IGNORECASE)


def sizes_per_group(words: str, digits: str, endpoints: list[EndpointMention]) -> list[GroupCount]:
    """The size of each group when every group has the same: label "each group" (guideline v2.1)."""
    found = []
    existential = _THERE_WERE.search(words) is not None  # "there were 468 patients in each cohort": verbless (v2.1)
    if not (_RANDOMISATION.search(words) or any(e.code in POPULATION_CODES for e in endpoints) or existential):
        return found
    for match in _PER_GROUP.finditer(digits):
        count = _count(match)
        if count is not None:
            verbs_after = [e for e in endpoints if e.code in POPULATION_CODES and e.start >= match.end()
                           and e.label.lower() not in _ADJECTIVES]
            if any(e.code in POPULATION_CODES and e.end <= match.start() for e in endpoints):
                kind = sentence_population_kind(endpoints, match.start())
            elif verbs_after:  # "Two groups of 19 obese patients with asthma (…) recruited through …"
                kind = verbs_after[0].code
            else:
                kind = "N_ENROLLED" if existential else sentence_population_kind(endpoints, match.start())
            label = f"each {match.group('unit').lower()}" if match.group("unit") else "each group"
            found.append(GroupCount(kind, count, *_number_span(match), label))
    return found


# ("two matched cohorts, with 696 patients in each cohort": a population stated without a verb)
_THERE_WERE = re.compile(r"\b(?:there\s+(?:were|was|remained)|with)\s+\d", re.IGNORECASE)


# "66 patients were treated with A, 58 patients with B and 62 patients with C", "82 received A and 77 received B":
# coordinated counts, each naming what its group was given; the verb of the first may stand for all of them.
_ARM_VERB = (r"(?:(?P<aux>(?:were|was|had\s+been|have\s+been)\s+)?(?P<verb>received|receiving"
             r"|(?<=\s)(?:treated|given|allocated|assigned|randomi[sz]ed|on)(?=\s)))")
_ARM_COUNT_HEAD = (rf"{_NUMBER}(?:\s*\(\s*\d[\d.]*\s*%\s*\))?(?:\s+(?:[\w-]+\s+)?{_PATIENTS})?"
                   rf"(?:\s*\(\s*\d[\d.]*\s*%\s*\))?\s+")
_FIRST_ARM_COUNT = re.compile(rf"{_ARM_COUNT_HEAD}{_ARM_VERB}", re.IGNORECASE)
_NEXT_ARM_COUNT = re.compile(
    rf"[^.;:]{{0,90}}?(?:,\s*(?:and\s+|while\s+|whereas\s+)?|\s+and\s+|\s*;\s*(?:and\s+)?|\s+while\s+|\s+whereas\s+)"
    rf"{_ARM_COUNT_HEAD}(?:{_ARM_VERB}|(?P<prep>with|to|on)(?=\s)|(?P<bare>(?=[A-Za-z])))", re.IGNORECASE)
_LIST_INTRO_BEFORE = re.compile(r"(?:\bincluding|\bcomprising|\bof\s+whom|[:(,;])\s*$", re.IGNORECASE)
# Given for a complication, not as the treatment compared: never an arm
_SUPPORTIVE = re.compile(r"^(?:tocilizumab|siltuximab|anakinra|(?:cortico)?steroids?|dexamethasone|methylprednisolone"
                         r"|vasopressors?|antibiotics?|antifungals?|transfusions?|G-CSF|IVIG|intensive\s+care|ICU)\b",
                         re.IGNORECASE)
_KIND_OF_ARM_VERB = {"allocated": "N_ENROLLED", "assigned": "N_ENROLLED", "randomised": "N_ENROLLED",
                     "randomized": "N_ENROLLED"}


def sizes_coordinated(words: str, digits: str) -> list[GroupCount]:
    """"82 received A and 77 received B", "66 were treated with A, 58 with B": two or more counts, each with
    what its group was given (N_ENROLLED when the first verb allocates, else N_TREATED)."""
    found: list[GroupCount] = []
    for first in _FIRST_ARM_COUNT.finditer(digits):
        if found and first.start() < found[-1].end:
            continue
        verb = first.group("verb").lower()
        if verb in ("treated", "given", "allocated", "assigned", "randomised", "randomized", "on") and not first.group("aux"):
            continue  # "12 patients treated with A responded": a participle describes, the clause's verb counts
        if verb == "receiving" and not _LIST_INTRO_BEFORE.search(digits, max(0, first.start() - 16), first.start()):
            continue  # "remission in eight (80%) patients receiving A and six receiving B": outcomes of the groups
        kind = _KIND_OF_ARM_VERB.get(verb, "N_TREATED")
        items = [(first, _label_after_verb(words, first))]
        cursor = first.end()
        while (more := _NEXT_ARM_COUNT.match(digits, cursor)) is not None:
            if more.group("bare") is not None and (verb not in ("received", "receiving") or re.search(
                    _PATIENTS, digits[more.end("k"):more.start("bare")], re.IGNORECASE)):
                break  # only "received" is left out before a bare label ("82 received A and 77 B"; not "3 patients died")
            items.append((more, _label_after_verb(words, more)))
            cursor = more.end()
        labels = [label for _, label in items]
        if len(items) < 2 or None in labels or len(set(labels)) < len(labels):
            continue
        found += [GroupCount(kind, count, item.start("k"), item.end("k"), label)
                  for item, label in items if (count := _count(item)) is not None]
    return found


def _label_after_verb(words: str, item: re.Match) -> str | None:
    if item.groupdict().get("bare") is not None:
        position = item.start("bare")
    elif item.groupdict().get("prep"):
        position = item.start("prep")
    elif item.group("verb").lower() in ("received", "receiving", "given", "on"):
        position = item.start("verb")
    else:
        position = item.end("verb")  # "treated with A", "allocated to A"
    group = group_after(words, position, limit=70, bare=True)
    if group is None or _SUPPORTIVE.match(group.label):
        return None
    if item.groupdict().get("bare") is not None and _A_VERB.match(group.label):
        return None  # "12 received A and 3 died": the second count is an event, not a group
    return group.label


_A_VERB = re.compile(r"^(?:\w+ed|had|have|has|were|was|are|is)\b", re.IGNORECASE)


# "Thirty patients randomized to rehabilitation received …", "All 331 patients assigned to A were evaluable": the
# participle names the group; the count's own verb, after it, says what was counted (guideline v2.2, 16)
_ARM_PARTICIPLE = re.compile(
    rf"{_NUMBER}\s+(?:[\w-]+\s+)?{_PATIENTS}\s+(?:who\s+were\s+)?(?:randomly\s+)?(?:randomi[sz]ed|assigned|allocated)"
    rf"\s+to\s+(?:receive\s+)?(?P<label>[\w+/.-]+(?:\s+[\w+/.-]+){{0,3}}?)\s+(?:(?P<treated>received|were\s+(?:treated|given"
    rf"|infused)|underwent)|(?P<evaluable>were\s+(?:evaluable|analy[sz]ed|included\s+in\s+the\s+(?:[\w-]+\s+)?analys[ie]s)))\b",
    re.IGNORECASE,
)


def sizes_named_by_a_participle(words: str, digits: str) -> list[GroupCount]:
    """A count whose allocation participle names its group, kinded by the verb that follows."""
    found = []
    for match in _ARM_PARTICIPLE.finditer(digits):
        label = tidy_label(words[match.start("label"):match.end("label")])
        count = _count(match)
        if count is None or not label or not _acceptable_label(label):
            continue
        kind = "N_TREATED" if match.group("treated") else "N_EVALUABLE"
        found.append(GroupCount(kind, count, match.start("k"), match.end("k"), label))
    return found


# "30 control and 26 study patients were enrolled", "21 preemptive and 5 empiric subjects received X": two counts,
# each with its group's name before the noun they share
_LABEL_WORD = (r"(?!(?:and|or|of|in|to|with|the|a|an|more|other|additional|further|evaluable|eligible|consecutive|new"
               rf"|adult|elderly|older|younger|{_PATIENTS})\b)[A-Za-z][\w®+/.-]*")
_SHARED_NOUN = re.compile(
    rf"{_NUMBER}\s+(?P<first>{_LABEL_WORD}(?:\s+{_LABEL_WORD})?)\s*(?:,\s*)?(?:and|or|versus|vs\.?)\s+"
    rf"{_number('k2')}\s+(?P<second>{_LABEL_WORD}(?:\s+{_LABEL_WORD}){{0,2}}?)\s+(?!cases?\b){_PATIENTS}",
    re.IGNORECASE)


_ARM_ROLES = {"study", "intervention", "treatment", "active", "control"}  # "30 control and 26 study patients"


def sizes_before_a_shared_noun(words: str, digits: str, endpoints: list[EndpointMention]) -> list[GroupCount]:
    """Two coordinated counts of people named by what precedes their shared noun, in a sentence with a population
    verb (which kinds them)."""
    if not any(e.code in POPULATION_CODES for e in endpoints):
        return []
    found = []
    for match in _SHARED_NOUN.finditer(digits):
        labels = [tidy_label(words[match.start(name):match.end(name)]) for name in ("first", "second")]
        if any(not label or _SEX.search(label) or _NOT_A_LISTED_GROUP.fullmatch(label)
               or not (_acceptable_label(label) or label.lower() in _ARM_ROLES)
               or re.search(r"\bgrades?\b|\d", label, re.IGNORECASE) for label in labels) or labels[0] == labels[1]:
            continue
        kind = _population_verb_near(endpoints, match.start(), match.end())
        for name, label in zip(("k", "k2"), labels):
            number = parse_number(match.group(name))
            if number is not None and number == int(number) and number > 0:
                found.append(GroupCount(kind, int(number), match.start(name), match.end(name), label))
    return found


# "the 52% of patients (n = 143) given BT": a parenthesised size followed by what its group was given
_SIZE_THEN_GIVEN = re.compile(
    rf"\(\s*[nN]\s*[=:]\s*{_NUMBER}\s*\)\s+(?:given|receiving|treated\s+with|who\s+received)\s+"
    r"(?P<label>[\w+/.-]+(?:\s+[\w+/.-]+){0,3}?)(?=\s+(?:had|have|has|were|was|showed|experienced|achieved|and)\b|\s*[,.;)])",
    re.IGNORECASE)
# "Dose level 1 was given to two patients and dose level 2 to three": groups named before the counts they were given to
_GIVEN_TO = re.compile(
    rf"(?P<first>(?:[\w-]+\s+){{0,2}}[\w-]+)\s+(?:was|were|had\s+been)\s+(?:given|administered|infused)\s+to\s+{_NUMBER}"
    rf"(?:\s+{_PATIENTS})?\s*(?:,\s*)?(?:and|while|whereas)\s+(?P<second>(?:[\w-]+\s+){{0,2}}?[\w-]+)\s+to\s+"
    rf"(?<![\w.,/-])(?P<k2>\d+)\b(?!\.\d)",
    re.IGNORECASE)


def sizes_given(words: str, digits: str) -> list[GroupCount]:
    """Group sizes tied to what the group was given: "(n = 143) given BT", "dose level 1 was given to two patients and
    dose level 2 to three" (N_TREATED)."""
    found = []
    for match in _SIZE_THEN_GIVEN.finditer(digits):
        label = tidy_label(words[match.start("label"):match.end("label")])
        count = _count(match)
        if label and count is not None and not _SUPPORTIVE.match(label) and _acceptable_label(label):
            found.append(GroupCount("N_TREATED", count, match.start("k"), match.end("k"), label))
    for match in _GIVEN_TO.finditer(digits):
        labels = [tidy_label(words[match.start(name):match.end(name)]) for name in ("first", "second")]
        counts = [parse_number(match.group(name)) for name in ("k", "k2")]
        if (any(not label or _SUPPORTIVE.match(label) for label in labels) or labels[0].lower() == labels[1].lower()
                or any(c is None or c != int(c) or c < 1 for c in counts)):
            continue
        found += [GroupCount("N_TREATED", int(c), match.start(name), match.end(name), label)
                  for c, name, label in zip(counts, ("k", "k2"), labels)]
    return found


# "the 559 participants in the triamcinolone group and the 557 participants in the placebo group"
_IN_GROUP_PAIR = re.compile(
    rf"\bthe\s+{_NUMBER}\s+(?:[\w-]+\s+)?{_PATIENTS}\s+(?:in|of)\s+the\s+(?P<first>[\w+/.-]+(?:\s+[\w+/.-]+){{0,3}}?)\s+(?:group|arm|cohort)"
    rf"\s*(?:,\s*)?(?:and|versus|vs\.?|compared\s+with)\s+(?:the\s+|in\s+the\s+)?{_number('k2')}\s+(?:[\w-]+\s+)?(?:{_PATIENTS}\s+)?"
    rf"(?:in|of)\s+the\s+(?P<second>[\w+/.-]+(?:\s+[\w+/.-]+){{0,3}}?)\s+(?:group|arm|cohort)\b", re.IGNORECASE)
# "12% in 56 adults in the A group and 20% in 57 adults in the B group": each figure's denominator, sized where its
# group is named (two or more groups in the sentence; "5 of 41 adults in the A group" is a k of n, its n no count)
_FIGURE_IN_GROUP = re.compile(
    rf"\b(?:in|among)\s+(?:the\s+)?{_NUMBER}\s+(?:[\w-]+\s+)?{_PATIENTS}\s+(?:in|of|on)\s+the\s+"
    rf"(?P<first>[\w+/.-]+(?:\s+[\w+/.-]+){{0,3}}?)\s+(?:group|arm|cohort)\b", re.IGNORECASE)
# "randomized to DP (101) or A + M (49)": bare sizes in parentheses after the arms of a randomisation
_BARE_ARM_SIZES = re.compile(rf"\(\s*{_NUMBER}\s*\)\s*(?:,\s*)?(?:or|and|vs\.?|versus)\s+(?P<second>[^(),;]{{1,40}}?)\s*"
                             rf"\(\s*(?<![\w.,/-])(?P<k2>\d+)\s*\)", re.IGNORECASE)


def sizes_of_named_groups(words: str, digits: str, endpoints: list[EndpointMention]) -> list[GroupCount]:
    """Two groups each sized where it is named: "the 559 participants in the A group and the 557 in the B group"
    (kinded by the sentence's population verb, else N_TREATED), "randomized to DP (101) or A + M (49)"."""
    found = []
    for match in _IN_GROUP_PAIR.finditer(digits):
        labels = [tidy_label(words[match.start(n):match.end(n)]) for n in ("first", "second")]
        if any(not label or not (_acceptable_label(label) or label.lower() in _ARM_ROLES) for label in labels):
            continue
        kind = next((e.code for e in endpoints if e.code in POPULATION_CODES), "N_TREATED")
        found += [GroupCount(kind, int(parse_number(match.group(n))), match.start(n), match.end(n), label)
                  for n, label in zip(("k", "k2"), labels)]
    taken = [g.start for g in found]
    in_groups = [m for m in _FIGURE_IN_GROUP.finditer(digits) if m.start("k") not in taken]
    labels = [tidy_label(words[m.start("first"):m.end("first")]) for m in in_groups]
    if len({label.lower() for label in labels}) >= 2 and all(
            label and (_acceptable_label(label) or label.lower() in _ARM_ROLES) for label in labels):
        kind = next((e.code for e in endpoints if e.code in POPULATION_CODES), "N_TREATED")
        found += [GroupCount(kind, int(parse_number(m.group("k"))), m.start("k"), m.end("k"), label)
                  for m, label in zip(in_groups, labels)]
    if _RANDOMISATION.search(words):
        for match in _BARE_ARM_SIZES.finditer(digits):
            first = group_before(words, match.start(), boundaries_extra=True)
            second = tidy_label(words[match.start("second"):match.end("second")])
            counts = [parse_number(match.group(n)) for n in ("k", "k2")]
            if (first is None or not second or not _acceptable_label(second, named_before=True)
                    or any(c is None or c < 2 for c in counts)):
                continue
            found += [GroupCount("N_ENROLLED", int(c), match.start(n), match.end(n), label)
                      for c, n, label in zip(counts, ("k", "k2"), (first.label, second))]
    return found


# "(standard n=592, TEQ-10 n=602)", "(609 intervention, 667 control)", "(30 placebo; 129 drug A)",
# "(n = 3 at DL1, n = 8 at DL2)": a parenthesis listing two or more groups with their sizes.
_LISTING = re.compile(r"\((?P<inside>[^()]{5,200})\)")
_ITEM_SEPARATOR = re.compile(r"\s*[;,]\s*(?:and\s+)?|\s+and\s+")
_ITEM_LABEL = r"[A-Za-z][\w+/.®-]*(?:\s+[A-Za-z\d][\w+/.®-]*){0,3}"
_LISTED_ITEMS = (
    re.compile(rf"(?P<label>{_ITEM_LABEL})\s*[nN]\s*[=:]\s*(?P<k>{DIGITS_PATTERN})"),
    re.compile(rf"[nN]\s*[=:]\s*(?P<k>{DIGITS_PATTERN})\s+(?:at|in|on|for|with)\s+(?P<label>{_ITEM_LABEL})"),
    re.compile(rf"(?P<k>{DIGITS_PATTERN})\s+(?P<label>{_ITEM_LABEL})"),
)
# "(n=207, drug A; n=203 placebo)": each item's size first, then its label; items separated by semicolons
_SIZE_THEN_LABEL = re.compile(rf"[nN]\s*[=:]\s*(?P<k>{DIGITS_PATTERN})\s*,?\s+(?!(?i:median|mean|aged?)\b)(?P<label>{_ITEM_LABEL})")
_NOT_A_LISTED_GROUP = re.compile(
    rf"(?:{_PATIENTS}|males?|females?|boys|girls|white|black|(?:[\w-]+\s+)?(?:years?|months?|weeks?|days?|hours?)"
    r"|mg|g|kg|ml|mL|cm|mm|µg|μg|IU|Gy|cycles?|courses?|doses?|sites?|centres?|centers?|hospitals?|countries"
    r"|(?:[\w-]+\s+)?(?:lesions?|tumou?rs?|eyes?|episodes?|procedures?|samples?|sessions?|visits?))",
    re.IGNORECASE)


# "(62 receiving A and 82 B)", "(8 with Candida, 5 with Aspergillus)", "(200 patients had A)": a verb, a description
# or the patients themselves, not a group's name (the breakdown of a count reads those)
_NOT_A_LISTED_HEAD = re.compile(rf"(?:\w+ed|\w+ing|with|without|in|on|at|of|to|for|from|who|had|have|has|were|was|are|is"
                                rf"|{_PATIENTS})\b", re.IGNORECASE)


def sizes_listed_in_parenthesis(words: str, digits: str, endpoints: list[EndpointMention]) -> list[GroupCount]:
    """Groups listed with their sizes inside one parenthesis, in a sentence that counts people (a population verb)."""
    if "(" not in digits or not any(e.code in POPULATION_CODES for e in endpoints):
        return []
    found = []
    for listing in _LISTING.finditer(digits):
        inside, offset = listing.group("inside"), listing.start("inside")
        pieces = _listed_pieces(inside)
        if len(pieces) < 2:
            continue
        items = []
        for start, end in pieces:
            item = next((m for pattern in (*_LISTED_ITEMS, _SIZE_THEN_LABEL) if (m := pattern.fullmatch(inside, start, end))),
                        None)
            if item is None:
                break
            label = tidy_label(words[offset + item.start("label"):offset + item.end("label")])
            count = parse_number(item.group("k"))
            if (not label or _NOT_A_LISTED_GROUP.fullmatch(label) or _NOT_A_LISTED_HEAD.match(label)
                    or not _acceptable_label(label)
                    or count is None or count != int(count) or count < 1):
                break
            items.append(GroupCount("", int(count), offset + item.start("k"), offset + item.end("k"), label))
        if len(items) != len(pieces) or len({g.group.lower() for g in items}) < len(items):
            continue
        kind = (_subject_verb_after(digits, endpoints, listing.end() - 1) or _verb_of_counted_subject(digits, endpoints, listing)
                or _population_verb_near(endpoints, listing.start(), listing.end()))
        found += [GroupCount(kind, g.count, g.start, g.end, g.group) for g in items]
    return found


def _listed_pieces(inside: str) -> list[tuple[int, int]]:
    """The items of a listing parenthesis: separated by commas, semicolons or "and"; or, when each item described
    itself ("n = 3 at DL1, all DIPG; n = 8 at DL2, 6 DIPG and 2 sDMG"), the first piece before each semicolon."""
    pieces, cursor = [], 0
    for separator in _ITEM_SEPARATOR.finditer(inside):
        pieces.append((cursor, separator.start()))
        cursor = separator.end()
    pieces.append((cursor, len(inside)))
    if ";" not in inside or all(any(p.fullmatch(inside, a, b) for p in _LISTED_ITEMS) for a, b in pieces):
        return pieces
    chunks = _semicolon_chunks(inside)
    if all(_SIZE_THEN_LABEL.fullmatch(inside, a, b) for a, b in chunks):
        return chunks
    firsts, cursor = [], 0
    for chunk in inside.split(";"):
        start = cursor + len(chunk) - len(chunk.lstrip())
        comma = chunk.find(",")
        firsts.append((start, cursor + (comma if comma >= 0 else len(chunk.rstrip()))))
        cursor += len(chunk) + 1
    return firsts


def _semicolon_chunks(inside: str) -> list[tuple[int, int]]:
    """The stripped spans of `inside` between semicolons."""
    chunks, cursor = [], 0
    for chunk in inside.split(";"):
        start = cursor + len(chunk) - len(chunk.lstrip())
        chunks.append((start, cursor + len(chunk.rstrip())))
        cursor += len(chunk) + 1
    return chunks


def _population_verb_near(endpoints: list[EndpointMention], start: int, end: int) -> str:
    """The population verb before a parenthesis, else the first one after it ("(…) participated"), else N_TREATED."""
    verbs = [e for e in endpoints if e.code in POPULATION_CODES and e.label.lower() not in _ADJECTIVES]
    before = [e for e in verbs if e.end <= start]
    after = [e for e in verbs if e.start >= end and e.start - end <= 60]
    return before[-1].code if before else after[0].code if after else "N_TREATED"


_LIST_NUMBER = re.compile(_NUMBER)
# "early: 167 [57.2%]", "50 mg", "(group 1)": percentages, doses, times and labels are not parts of a count
_NOT_A_PART_AFTER = re.compile(r"\s*(?:%|mg|µg|μg|g\b|kg|ml|mL|IU|Gy|months?|years?|weeks?|days?|hours?|cycles?|courses?)",
                               re.IGNORECASE)
_NOT_A_PART_BEFORE = re.compile(r"\b(?:groups?|arms?|cohorts?|parts?|phases?|levels?|stages?|grades?|days?|weeks?|months?"
                                r"|years?|cycles?|doses?|visits?|steps?|types?|CD|IL)\s*$", re.IGNORECASE)
_PARTS_END = re.compile(r"\.\s|\)\s*(?:[.;,]|$)|$")


def breakdown_of_count(words: str, digits: str, total: int, after: int, code: str,
                       *, window: int = 220) -> list[GroupCount]:
    """Groups that split a count ending at `after` ("(248 in the A group and 260 in the B group)"), found
    because their numbers add up to the count; their endpoint is the count's unless a verb says otherwise."""
    end = min(len(digits), after + window)
    stop = _PARTS_END.search(digits, after + 1, end)
    end = stop.end() if stop is not None else end
    numbers = [m for m in _LIST_NUMBER.finditer(digits, after, end)
               if not _NOT_A_PART_AFTER.match(digits, m.end()) and not _NOT_A_PART_BEFORE.search(digits, max(0, m.start() - 12),
                                                                                                   m.start())
               and not _restates(digits, m.start(), m.group("k"))]
    for first in range(len(numbers)):
        running = 0
        for last in range(first, min(first + 4, len(numbers))):
            value = _count(numbers[last])
            if value is None:
                break
            running += value
            if running == total and last > first:
                return _labelled_parts(words, digits, numbers[first:last + 1], code)
            if running > total:
                break
    return []


def _labelled_parts(words: str, digits: str, parts: list[re.Match], code: str) -> list[GroupCount]:
    """Each part with its group label; a verb written with one part ("68 received A and 73 B") kinds them all."""
    listed = group_list_after(words, parts[-1].end())
    if len(listed) == len(parts):  # "221 and 113 in vaccine and control arms, respectively"
        return [GroupCount(code, _count(number), number.start("k"), number.end("k"), group.label)
                for number, group in zip(parts, listed)]
    labelled, kinds = [], []
    for number in parts:
        share = _SHARE_AFTER.match(digits, number.end())  # "85 (48.3%) received A": the part's share of the total
        noun = _PATIENTS_AFTER.match(digits, share.end() if share else number.end())
        after = noun.end() if noun else share.end() if share else number.end()
        verb = _PART_VERB.match(digits, after)
        relative = noun is not None and "which" in noun.group(0) or noun is not None and "whom" in noun.group(0)
        # ("39 of which received Se": a relative clause names the part's group; the count's verb is the total's, v2.2)
        word = verb.group("verb") if verb else None
        if word and word.lower() == "on" and verb.group("aux"):
            word = "treated"  # "15 were on A" (a bare "16 on A" describes, as "3 not on ART" does)
        kind = _kind_from_word(word) if verb and code in POPULATION_CODES and not relative else None
        if kind:
            kinds.append(kind)
        if kind and verb.group("verb").lower() not in _VERBS_BEFORE_A_LABEL:
            after = verb.end("verb")  # "100 had been allocated to A", "66 were treated with A"
        elif verb and verb.group("aux"):
            after = verb.start("verb")  # "15 were on A": the label follows the verb, not the auxiliary
        if digits[:number.start("k")].rstrip().endswith("(") and _CLOSES_AFTER_PART.match(digits, number.end()):
            # "drug C (60 patients) or placebo (60 patients)": the parenthesis sizes the label before it
            group = group_before(words, digits.rindex("(", 0, number.start("k")), boundaries_extra=True)
        else:
            group = (group_after(words, after, limit=70, bare=True)
                     or group_before(words, number.start("k"), boundaries_extra=True))
        if group is None:
            return []
        labelled.append((number, group.label))
    if any(_SEX.search(label) for _, label in labelled):
        return []  # "22 adults (7 male, 15 female)": a baseline characteristic, not groups compared
    kind = kinds[0] if kinds else code
    return [GroupCount(kind, _count(number), number.start("k"), number.end("k"), label) for number, label in labelled]


_CLOSES_AFTER_PART = re.compile(rf"\s*(?:{_PATIENTS})?\s*\)")
_SEX = re.compile(r"\b(?:males?|females?|m[ae]n|wom[ae]n|boys?|girls?)$", re.IGNORECASE)


_PATIENTS_AFTER = re.compile(rf"\s*(?:{_PATIENTS}|of\s+(?:which|whom|them))\s*")  # "39 of which received Se"
_VERBS_BEFORE_A_LABEL = {"received", "receiving", "given", "had", "underwent", "on"}  # group_after reads past them
_SHARE_AFTER = re.compile(r"\s*\(\s*\d[\d.]*\s*%\s*\)")
# "15 were on A", "104 had been allocated to A": the auxiliary says nothing; the word after it is the verb
_PART_VERB = re.compile(r"\s*(?P<aux>(?:were|was|are|is|had\s+been|have\s+been)\s+)?(?P<verb>\w+)", re.IGNORECASE)
