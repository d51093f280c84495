"""Group labels: which arm, cohort, dose level or subgroup a figure belongs to, as the text names it.

Abstracts name groups in a few general ways around a figure: after it ("64% in the ASCT group",
"13.7% with CPX-351", "4.0 months for GV"), before it ("DA (71%)", "GC, 49%", "prior chemotherapy:
11.0 vs 3.2 months"), at the head of the sentence ("In the B-ALL cohort, …") or as a coordinated
list that a list of figures distributes over ("22% and 50% in Flu-TBI and TLI-ATG patients,
respectively"; "in arms A and B"). Each finder looks only at a bounded window next to the figure,
so a sentence is read in linear time. Labels are returned in their shortest written form: the
article and a trailing "arm"/"group" go ("in the XELIRI arm" -> "XELIRI"), unless the label is only
a letter or a number ("arm A" stays "arm A").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litmus.nlp.values import PATIENT_NOUN


@dataclass(frozen=True, slots=True)
class GroupMention:
    label: str
    start: int  # the whole phrase, preposition included, in sentence offsets
    end: int


_GROUP_NOUN = r"(?:arms?|groups?|cohorts?|subgroups?|subsets?|populations?|strata|stratum|recipients|parts?)"
# A name: up to five words that are not function words, verbs of the clause or figures.
_STOP = (r"(?:and|or|but|vs|versus|compared|respectively|who|whom|which|that|at|after|before|during|than|were|was"
         r"|is|are|had|has|have|with|without|of|in|on|by|to|for|from|the|(?-i:a|an)|p|n|while|whereas|as)")
_WORD = rf"(?!{_STOP}\b)[A-Za-z\u0370-\u03ff][\w+/.\u0370-\u03ff-]*(?<![.])|\d+[+/]\d+|\d+(?:\.\d+)?[\s-]*(?:mg|µg|μg|Gy)(?:/\w+)?"
_NAME = rf"(?:{_WORD})(?:[\s-]+(?:{_WORD})){{0,4}}"
_LETTER = r"(?:[A-H]|[1-9]|I{1,3}V?|IV)"
_BOUNDARY = r"(?=\s*(?:[,;.:)\]]|$|\band\b|\bor\b|\bvs\b|\bversus\b|\bcompared\b|\brespectively\b|[(\[]|\bwho\b|\bat\b|\bafter\b|\bwhile\b|\bwhereas\b|\bthan\b|\bin\b|\bwith\b|\bwas\b|\bwere\b))"
_PATIENTS_WITH = rf"(?:{PATIENT_NOUN}|those)\s+(?:(?:who\s+(?:were\s+)?)?(?:treated|given|receiving|allocated|assigned|randomi[sz]ed)\s+(?:to|with)\s+)"

# "in the ASCT group", "in arm B", "for GV", "with CPX-351", "among patients treated with DTIC",
# "in patients with TP53 mutation"
def _after_regex(preposition: str) -> re.Pattern:
    return re.compile(
        rf"\s*(?:[)\]]\s*)?(?:[(\[][^()\[\]]{{0,80}}[)\]]\s*)?(?:,\s*respectively\s*,?\s*)?"
        rf"(?:of\s+(?:the\s+)?(?:[\w-]+\s+)?{PATIENT_NOUN}\s+)?"
        rf"{preposition}(?:the\s+|those\s+|all\s+)?"
        rf"(?:(?P<arm>(?:{_GROUP_NOUN}|dose\s+levels?)\s+{_LETTER}\b)(?=\s+(?:[a-z]+ed|were|was|had)\b|{_BOUNDARY})"
        rf"|(?:{_PATIENTS_WITH}(?:the\s+)?(?P<treated>{_NAME})"
        rf"|(?P<with>{PATIENT_NOUN}\s+(?:with(?:out)?|who\s+had|aged)\s+[^,;()]{{1,50}}?)"
        rf"|(?P<named>{_NAME})(?:[\s-]+(?P<noun>{_GROUP_NOUN}|{PATIENT_NOUN}|(?i:treated\s+patients)))?)"
        rf"{_BOUNDARY})",
        re.IGNORECASE,
    )


_AFTER = _after_regex(r"(?P<prep>in|among|for|with|on|within|allocated(?:\s+to)?|assigned(?:\s+to)?|receiving)\s+")  # "275 patients allocated EOC"
# "13/15 (86.7%) patients with TP53 mutation": the figure's own patients, described
_DESCRIBED_AFTER = re.compile(rf"\s*(?P<with>{PATIENT_NOUN}\s+(?:with(?:out)?|who\s+had|aged)\s+[^,;()]{{1,50}}?){_BOUNDARY}",
                              re.IGNORECASE)
# After a count of a group: "41 pts in the XELIRI arm", "62 receiving X", "68 received X and 73 Y", "342 to the A group".
_AFTER_BARE = _after_regex(r"(?::\s*|(?:who\s+)?(?P<prep>in|among|for|with|on|within|receiving|received|given|to|had"
                           r"|underwent|serving\s+as)\s+"
                           r"(?:(?-i:a|an)\s+)?)?")
# "DA (71%)", "GC, 49%", "(prior chemotherapy: 11.0", "TAM 217": the label right before a figure.
_BEFORE_BOUNDARY = r"^|(?<=[(\[;,:])|(?<=\bbetween)|(?<=\band)|(?<=\bvs)|(?<=\bvs\.)|(?<=\bversus)|(?<=\bwith)|(?<=\bin)"
_BEFORE_LABEL = rf"(?!(?<=\w)\w)\s*(?P<label>(?:{_WORD})(?:[\s-]+(?:{_WORD})){{0,2}})\s*(?:\(|,|:|;|=)?\s*$"
_BEFORE = re.compile(rf"(?:{_BEFORE_BOUNDARY}){_BEFORE_LABEL}", re.IGNORECASE)
_BEFORE_ARM_LABEL = rf"(?!(?<=\w)\w)\s*(?P<label>(?:{_WORD})(?:[\s-]+(?:{_WORD})){{0,4}})\s*(?:\(|,|:|;|=)?\s*$"
# Arms named before their size: "randomly assigned to nivolumab (n = 206) or docetaxel (n = 206)",
# "to receive twice-daily radiotherapy (274 patients)", "divided into trial group, 69 patients".
_BEFORE_ARM = re.compile(
    rf"(?:{_BEFORE_BOUNDARY}|(?<=\bto)|(?<=\bor)|(?<=\beither)|(?<=\breceive)|(?<=\binto)|(?<=\bof)|(?<=\bfrom)"
    rf"|(?<=\bthe)|(?<=\bcompared)|(?<=\bcomparing)|(?<=\bversus)|(?<=\bincluding)|(?<=\breceived)"
    rf"|(?<=\b(?-i:a))|(?<=\b(?-i:an))|(?<=\bgiven)|(?<=\breceiving)|(?<=\bas)){_BEFORE_ARM_LABEL}",  # "treated with a stent (n=50)"
    re.IGNORECASE,
)
_LEADING_COUNT = re.compile(r"^(?:a\s+total\s+of\s+)?\d[\d,.]*\s+", re.IGNORECASE)
_LEADING = re.compile(
    rf"^\s*(?:In|Among|For|Within)\s+(?:the\s+|those\s+|all\s+)?(?P<label>(?:(?!\b(?:was|were|is|are|had|has|have|there)\b)"
    rf"[^,;]){{3,80}}?),\s+(?!respectively)",
)
# "in Flu-TBI and TLI-ATG patients", "for GV and GP arms", "in arms A and B", "in BuCy and BuFlu group",
# "in the trial and control groups": two or more names coordinated, one shared noun.
_LIST_AFTER = re.compile(
    rf"\s*(?:[)\]]\s*)?(?:,\s*)?(?:respectively,?\s+)?(?:of\s+(?:the\s+)?(?:[\w-]+\s+)?{PATIENT_NOUN}\s+)?"
    rf"(?:in|for|among|with|on|of)\s+(?:the\s+|those\s+)?"
    rf"(?:(?P<noun_first>{_GROUP_NOUN})\s+(?P<letters>{_LETTER}(?:\s*(?:,\s*(?:and\s+)?|and\s+|or\s+){_LETTER}){{1,4}})\b"
    rf"|(?:{_PATIENTS_WITH})?(?P<names>{_NAME}(?:\s*(?:,\s*(?:and\s+)?|and\s+|or\s+)(?:the\s+)?{_NAME}){{1,4}})"
    rf"(?:[\s-]+(?:{_GROUP_NOUN}|{PATIENT_NOUN}|(?i:treated\s+patients)))?)"
    rf"{_BOUNDARY}",
    re.IGNORECASE,
)
_LIST_SEPARATOR = re.compile(r"\s*(?:,\s*(?:and\s+)?|\band\s+|\bor\s+)(?:the\s+)?", re.IGNORECASE)
_TRAILING_NOUN = re.compile(rf"[\s-]+(?:{_GROUP_NOUN}|{PATIENT_NOUN}|treated\s+patients|patients\s+group)$", re.IGNORECASE)
_SIZE_AFTER = re.compile(r"\s*[(\[]\s*[nN]\s*=\s*\d[\d,]*\s*[)\]]\s*$")
_LEADING_ARTICLE = re.compile(r"^(?:the|those|all|either|both|neither)\s+", re.IGNORECASE)
# Words that name no group: a "with" or "in" phrase that is a measure, a time or a disease state.
_NOT_A_GROUP = re.compile(
    r"^(?:a|an|any|no|each|both|all|median|mean|grade|respect|regard|terms|total|overall|addition|particular"
    r"|comparison|contrast|general|summary|conclusion|this|these|that|those|our|their|its|one|two|male|female|males"
    r"|females|men|women|boys|girls|most|some|many|several|multivariab\w*|multivariate|univariab\w*|univariate"
    r"|adjusted|unadjusted|sensitivity|propensity|intention|per-protocol|subgroup\s+analys\w*|randomi[sz]ed|open-label"
    r"|double-blind|single-blind|phase|prospective|retrospective|multicent\w*|pooled|real-world)\b"
    r"|^(?:patients?|cases?|subjects?|participants?|pts|the\s+study|study|trials?|analysis|prior\s+(?:studies|trials))$",
    re.IGNORECASE,
)
_NOT_AN_ARM_NAME = re.compile(r"(?:a|an|any|each|both|all|this|these|that|those|our|their|its|patients?|cases?|subjects?"
                              r"|participants?|pts|male|female|males|females|men|women|study|trials?|analysis)", re.IGNORECASE)
# After a figure, "in the first year", "in early stages" are times and states; an arm named before its own count
# ("(early: 167; delayed: 111)") may be called anything.
_NOT_A_GROUP_AFTER = re.compile(
    r"^(?:first|second|third|fourth|initial|final|last|early|late|previous|months?|years?|weeks?|days?"
    r"|(?:long|short|mid|medium)[\s-]term|\d+[\s-](?:days?|weeks?|months?|years?))\b",
    re.IGNORECASE,
)
_ENDPOINT_WORD = re.compile(
    r"\b(?:survival|response|remission|relapse|mortality|deaths?|progression|rates?|incidence|CRS|ICANS|ORR|PFS|OS"
    r"|EFS|CR|PR|toxicit\w*|events?|interval|CI|HR|ratio|risk)\b", re.IGNORECASE)


# "higher with drug A than with drug B (64% vs 29%)", "in patients given A versus B, 4% vs 38%": the two groups
# a comparison names, in the order of its figures.
_COMPARED = re.compile(
    rf"\b(?:with|in|for|after|among|on)\s+(?:the\s+|patients\s+(?:given|receiving|treated\s+with)\s+)?(?P<first>{_NAME})"
    rf"\s+(?:than|versus|vs\.?|compared\s+with|and)\s+(?:with\s+|in\s+|for\s+|after\s+|on\s+)?(?:the\s+)?(?P<second>{_NAME})"
    rf"(?:\s+(?:{_GROUP_NOUN}))?\s*(?:[(,:]|$)",
    re.IGNORECASE,
)


def compared_groups(sentence: str, start: int, end: int) -> tuple[GroupMention, GroupMention] | None:
    """The last pair of groups compared between `start` and `end` (the clause before a pair of figures)."""
    found = None
    for match in _COMPARED.finditer(sentence, start, end):
        found = match
    if found is None:
        return None
    first, second = tidy_label(found.group("first")), tidy_label(found.group("second"))
    if not (_acceptable(first) and _acceptable(second)):
        return None
    return (GroupMention(first, found.start("first"), found.end("first")),
            GroupMention(second, found.start("second"), found.end("second")))


def tidy_label(label: str) -> str:
    """The shortest written form: no article, no trailing "arm"/"group" unless the name is a letter, no size
    ("the axi-cel cohort (n = 120)" -> "axi-cel")."""
    label = _LEADING_ARTICLE.sub("", _SIZE_AFTER.sub("", label.strip(" ,;:")))
    short = _TRAILING_NOUN.sub("", label)
    if short and short != label and not re.fullmatch(rf"{_LETTER}|(?i:{_GROUP_NOUN})", short) and _acceptable(short):
        return short.strip()
    return label.strip()


def _acceptable(label: str, *, after_a_figure: bool = True) -> bool:
    if not label or _ENDPOINT_WORD.search(label):
        return False
    if not after_a_figure:  # an arm named before its own count may be "no adhesion barrier" or "early"
        return not _NOT_AN_ARM_NAME.fullmatch(label)
    return not (_NOT_A_GROUP.match(label) or _NOT_A_GROUP_AFTER.match(label))


def acceptable_label(label: str, *, named_before: bool = False) -> bool:
    """Whether `label`, written next to a count, may name a group (not a measure, a time or an endpoint);
    `named_before`: an arm named before its own size ("or A + M (49)") may be called anything."""
    return _acceptable(label, after_a_figure=not named_before)


def group_after(sentence: str, position: int, *, limit: int = 90, bare: bool = False) -> GroupMention | None:
    """The group named right after a figure ending at `position`, or None.

    `bare`: the label may follow without a preposition ("68 received TEGAFIRI and 73 TEGAFOX").
    """
    match = (_AFTER_BARE if bare else _AFTER).match(sentence[:position + limit], position)
    if match is None:
        described = _DESCRIBED_AFTER.match(sentence[:position + limit], position)
        return GroupMention(described.group("with"), described.start("with"), described.end()) if described else None
    if match.group("arm"):
        label = match.group("arm")
    elif match.group("treated"):
        label = match.group("treated")
    elif match.group("with"):
        label = match.group("with")  # "patients with TP53 mutation": the description is the label
        described = re.sub(rf"^{PATIENT_NOUN}\s+\w+\s+", "", label)
        if not _acceptable(described):
            return None
        return GroupMention(label.strip(), match.start("prep"), match.end())
    else:
        label = match.group("named")
        noun = match.group("noun")
        if (match.group("prep") or "").lower() == "with" and noun is None and len(label.split()) > 3:
            return None  # "with" + a long phrase is a description, not an arm
    label = tidy_label(label)
    if not _acceptable(label):
        return None
    return GroupMention(label, match.start("prep") if match.group("prep") else match.start(), match.end())


def group_before(sentence: str, position: int, *, window: int = 45,
                 boundaries_extra: bool = False) -> GroupMention | None:
    """The label written right before a figure starting at `position` ("DA (71%)", "GC, 49%").

    `boundaries_extra`: the label may also follow "to", "or", "receive", "into" (arms named before their size).
    """
    start = max(0, position - window)
    match = (_BEFORE_ARM if boundaries_extra else _BEFORE).search(sentence, start, position)
    if match is None:
        return None
    label = tidy_label(match.group("label"))
    plural = _PLURAL_LETTERED.fullmatch(label)
    if plural:
        label = f"{plural.group('noun')} {plural.group('letter')}"  # "to arms A (n = 9) and B": "arm A"
    if boundaries_extra and re.fullmatch(_LETTER, label):
        # "randomised to arms A (n:7) and B (n:6)": the letter takes the noun of the list ("arm B")
        noun = _LETTERED_NOUN.search(sentence, max(0, position - 80), match.start("label"))
        label = f"{noun.group('noun').rstrip('s')} {label}" if noun else label
    if not _acceptable(label, after_a_figure=not boundaries_extra) or len(label) < 2:
        return None
    return GroupMention(label, match.start("label"), match.end())


_PLURAL_LETTERED = re.compile(rf"(?P<noun>arm|group|cohort)s\s+(?P<letter>{_LETTER})", re.IGNORECASE)
_LETTERED_NOUN = re.compile(rf"\b(?P<noun>arms?|groups?|cohorts?)\s+{_LETTER}\b", re.IGNORECASE)


# "randomized to receive a DDI pacemaker programmed to 80 bpm with hysteresis of 45 bpm (19 patients)": an arm
# whose name is followed by its description
_ARM_DESCRIBED = re.compile(
    rf"\b(?:receive|to|or|either)\s+(?:(?-i:a|an|the)\s+)?(?!receive\b)(?P<label>(?:{_WORD})(?:[\s-]+(?:{_WORD})){{0,2}}?)\s+"
    # ("micronized fenofibrate (200 mg/day) plus UDCA (6 patients)": a dose in parentheses may follow the name)
    # ("to A for six weeks (n = 44)", "to B by mouth"; a period or a route describes the arm)
    r"(?:\([^()]{0,30}\)\s+)?(?:programmed|given|administered|delivered|dosed|at|with|plus|in|for|by|via|over)\b"
    r"(?:[^()\[\];]|\([^()]{0,30}\)){0,80}$",
    re.IGNORECASE,
)


def arm_described_before(sentence: str, position: int, *, window: int = 120) -> GroupMention | None:
    """The name of an arm described at length before its size, or None."""
    match = _ARM_DESCRIBED.search(sentence, max(0, position - window), position)
    if match is None:
        return None
    label = tidy_label(match.group("label"))
    if not _acceptable(label, after_a_figure=False) or len(label) < 2:
        return None
    return GroupMention(label, match.start("label"), match.end("label"))


def leading_group(sentence: str) -> GroupMention | None:
    """"In the ASCT group, …": a group named at the head of the sentence for everything after it."""
    match = _LEADING.match(sentence)
    if match is None:
        return None
    label = tidy_label(_LEADING_COUNT.sub("", match.group("label")))  # "Among 11 patients not in CR": the patients
    if not label or _NOT_A_GROUP.match(label) or _NOT_A_GROUP_AFTER.match(label):
        return None  # "In multivariable models, …", "In the first year, …"
    return GroupMention(label, match.start("label"), match.end("label"))


def group_list_after(sentence: str, position: int, *, limit: int = 120) -> list[GroupMention]:
    """Coordinated groups right after a list of figures ending at `position`: "in A and B (, respectively)"."""
    match = _LIST_AFTER.match(sentence[:position + limit], position)
    if match is None:
        return []
    if match.group("letters"):
        noun = match.group("noun_first")
        noun = noun[:-1] if noun.lower().endswith("s") else noun
        letters = re.findall(_LETTER, match.group("letters"))
        return [GroupMention(f"{noun} {letter}", match.start("letters"), match.end()) for letter in letters]
    names = match.group("names")
    offset = match.start("names")
    labels, cursor = [], 0
    for separator in _LIST_SEPARATOR.finditer(names):
        labels.append((names[cursor:separator.start()], offset + cursor))
        cursor = separator.end()
    labels.append((names[cursor:], offset + cursor))
    found = []
    for label, start in labels:
        tidy = tidy_label(label)
        if not _acceptable(tidy):
            return []
        found.append(GroupMention(tidy, start, start + len(label)))
    return found if len(found) > 1 else []
