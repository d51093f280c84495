"""Where a sentence states a number that could be an outcome, and the numbers that never are.

`find_values` returns value expressions ("13/15 (86.7%)", "14.8 months", "HR 0.62", "66 patients");
`find_masks` returns what must not be read as a value (CI levels and bounds, ranges, p-values,
ages, doses, years, grades, phases, timepoints) together with what they tell us (CI bounds,
timepoints), so the value regexes never see them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litmus.nlp.numbers import DIGITS_PATTERN, first_character_gate, parse_number

NUM_BODY = rf"(?:{DIGITS_PATTERN})(?![\w^])"
NUM = rf"(?<![\w.\-/^]){NUM_BODY}"
# Spelled-out numbers are rewritten as digits before these regexes run (numbers.digitise_number_words).
NUMW = NUM
DENOMINATOR = NUM_BODY  # may follow "/" directly
PATIENT_NOUN = (
    r"(?i:patients?|subjects?|participants?|children|adults?|individuals?|cases?|women|men|"
    r"volunteers|infants|babies|neonates|newborns|recipients|persons|people|pts|dogs|cats|dyads|"
    # people named by their age, their work or their condition ("95 mothers", "38 asthmatics"; not "controls" or "smokers", a
    # role an arm may also be called, nor "boys" and "girls", a breakdown by sex)
    r"mothers|fathers|parents|caregivers|carers|students|pupils|adolescents|toddlers|nurses"
    r"|physicians|doctors|clinicians|professionals|employees|workers|residents|survivors|veterans"
    r"|donors|outpatients|inpatients|asthmatics|diabetics)\b"
    # (pets in veterinary trials, dyads: v2.1-2)
)
_TIME_UNIT = r"(?i:years?|yrs?|months?|mos?|days?|weeks?|wks?)\b"
_NOT_A_DESCRIPTION = r"(?i:of|in|at|on|with|without|and|or|to|for|from|after|before|than|the|who|were|was|had)\b|" + _TIME_UNIT
_ENROLMENT_FOLLOWS = (r"(?=\s+(?:were|was|had\s+been|have\s+been)\s+(?:\w+\s+)?(?i:enrolled|randomi[sz]ed|randomly|included"
                      r"|recruited|treated|assigned|allocated|accrued|registered)\b)")
_PERCENT = r"\s*(?:%|(?i:\s?per\s?cent)\b)"
_OPEN, _CLOSE = r"[(\[]\s*", r"\s*[)\]]"

# Every value starts a word (a digit, "HR", "n =", "not reached"): the gate up front lets the engine
# skip the middle of words before trying a dozen alternatives.
_WORD_START = r"(?=[\d.HNhn])(?:(?<![\w.])|(?<=\W)(?=\.\d))"
def _gated(alternatives: list[str]) -> str:
    return "|".join(first_character_gate(a) + a for a in alternatives)


def _value_regex(NUMW: str, DENOMINATOR: str, gate: str) -> re.Pattern:
    return re.compile(
    gate + "(?:" + _gated(
        [
            # 13/15 (86.7%), 13 of 15 evaluable patients (86.7%)
            rf"(?P<frac_pct>(?P<k1>{NUMW})\s*(?:/|(?i:of|out\s+of))\s*(?:(?i:the)\s+)?(?P<n1>{DENOMINATOR})"
            rf"(?:\s+[A-Za-z-]+){{0,4}}?\s*{_OPEN}(?P<p1>{NUM}){_PERCENT}{_CLOSE})",
            # 93 (24.8%) of 375 patients, 197 [74%] of 266: the percentage between k and n
            rf"(?P<k_pct_n>(?P<k13>{NUMW})\s*{_OPEN}(?P<p13>{NUM}){_PERCENT}{_CLOSE}\s*(?i:of|out\s+of)\s+(?:(?i:the)\s+)?"
            rf"(?:(?i:original|remaining|initial|first|total)\s+)?"
            rf"(?P<n13>{NUM_BODY}))",
            # 86.7% (13/15), 86.7% (13 of 15 patients); 43% (n = 30) and "(87%, n = 15)": n is the rate's total
            # (guideline v2.2)
            rf"(?P<pct_frac>(?P<p2>{NUM}){_PERCENT}\s*(?:{_OPEN}|,\s*(?=[nN]\s*=))(?:[nN]\s*=\s*(?P<t2>{NUM})|(?P<k2>{NUM})"
            rf"(?:\s*(?:/|(?i:of|out\s+of))\s*(?P<n2>{NUM_BODY}))?)(?:\s+[A-Za-z-]+){{0,2}}(?:{_CLOSE}|(?=\s*[);,])))",
            # Twenty-four patients (80%), n = 13 (43%)
            rf"(?P<count_pct>(?:(?P<k3>{NUMW})\s+(?:of\s+(?:the\s+)?)?(?:[A-Za-z-]+\s+){{0,2}}?{PATIENT_NOUN}|[nN]\s*=\s*(?P<k3b>{NUM}))"
            rf"\s*{_OPEN}(?P<p3>{NUM}){_PERCENT}{_CLOSE})",
            # 12 (20.3%): a count with its percentage
            rf"(?P<k_pct>(?P<k12>{NUMW})\s*{_OPEN}(?P<p12>{NUM}){_PERCENT}{_CLOSE})",
            # 13/15, 13 of 15, Nine of 10
            # ("one of the two treatment arms" counts arms, not patients)
            rf"(?P<frac>(?P<k4>{NUMW})\s*(?:/|(?i:of|out\s+of))\s*(?:(?i:the)\s+)?"
            rf"(?:(?i:remaining|evaluable|original|other|first|treated|infused)\s+)?(?P<n4>{DENOMINATOR})(?!\s*{_TIME_UNIT})"
            rf"(?!\s+(?:[\w-]+\s+)?(?i:arms?|groups?|cohorts?|doses|cycles?|courses?|sites?|cent(?:er|re)s|regimens?)\b))",
            rf"(?P<pct>(?P<p5>{NUM})(?:\s*(?:±|\+/-)\s*{NUM_BODY})?{_PERCENT})",  # "18.8 ± 6.9%", "26 +/- 9%": the estimate
            rf"(?<=%/)(?P<slashed>(?P<p15>{NUM_BODY}){_PERCENT})",  # "PFS/OS 46%/63%": the second of a slashed pair
            # (a list of at most a dozen figures: the look ahead stays bounded, so a sentence is read in linear time)
            rf"(?P<listed>(?P<l11>{NUM})(?!,\d)(?=(?:\s*(?:,|and|or|vs\.?|versus)\s*{NUM}){{0,12}}\s*(?:,\s*and|,|and|or|vs\.?|versus)"
            rf"\s*{NUM}\s*(?P<lu11>%|{_TIME_UNIT}|{PATIENT_NOUN})))",
            # "(95% CI 8.6 to not estimable)": an open bound of an interval, not a median not reached
            r"(?P<nr>(?<!to\s)(?i:not\s+(?:yet\s+)?(?:been\s+)?reached|not\s+estimable|not\s+evaluable\s+yet)|\bNR\b)",
            rf"(?P<hr>(?:\bHRs?\b[)\]]?|(?i:hazards?\s+ratios?|relative\s+hazards?))(?:\s*[(\[]HR[)\]])?"
            rf"(?:\s+(?i:for|of)(?:,?\s+(?:(?i:or|and)\s+)?(?i:[a-z][\w-]*)){{1,6}}?)?"
            rf"(?:\s*(?:[,:=]|(?i:of|was|were)\b))*\s*(?P<h6>{NUM}))",
            rf"(?P<duration>(?P<d7>{NUM})\s*(?P<u7>{_TIME_UNIT}))",
            rf"(?P<n_eq>\b[nN]\s*[=:]\s*(?P<k8>{NUM}))",
            # "103 postsurgical non-small cell lung cancer patients were randomly assigned": a longer description
            # only when an enrolment verb follows, so "12 months after infusion in patients" never counts
            # "Phase 2 randomized 10,126 non-attenders": after a counting verb the noun may be anyone
            # "randomized (1:1) 122 patients": an allocation ratio may stand between the verb and its count
            rf"(?P<verb_count>(?:(?<=randomized\s)|(?<=randomised\s)|(?<=enrolled\s)|(?<=recruited\s)"
            rf"|(?<=randomized\s\(\d:\d\)\s)|(?<=randomised\s\(\d:\d\)\s)"
            rf"|(?<=randomized\s\(\d:\d:\d\)\s)|(?<=randomised\s\(\d:\d:\d\)\s))(?P<k14>{NUMW})"
            # (laboratory animals are not patients: guideline v2.2)
            rf"(?=\s+[A-Za-z][\w-]+)(?!\s+(?i:rats|mice|rabbits|pigs|piglets|sheep|monkeys|animals|hamsters|guinea)\b))",
            # ("44 intubated, ventilated adults", "106 treatment-naive, HIV-infected adults": a comma may join adjectives)
            rf"(?P<count>(?P<k9>{NUMW})\s+(?:(?:(?!(?i:and|or|of|in|to|vs|versus)\b)(?:[\w/-]+|[\w/]+-[\w/-]+,|[A-Za-z]+ed,)\s+)"
            rf"{{0,2}}?{PATIENT_NOUN}"
            rf"|(?:(?!{_NOT_A_DESCRIPTION})[A-Za-z][\w/-]*\s+){{3,6}}?{PATIENT_NOUN}{_ENROLMENT_FOLLOWS}))",
            # ("155 (77: drug A, 78: drug B) received at least one dose": the split of the count may come first)
            rf"(?P<bare>(?<![≥≤<>=]\s)(?P<k10>{NUMW})(?=(?:\s*\([^()]{{1,80}}\))?\s+(?:were|was|had|achieved|attained|developed"
            rf"|experienced|died|relapsed|met"
            rf"|remained|underwent|received|responded|completed|discontinued|entered|participated|consented)\b"
            # "nine of them received", "115 of them had been infused", "2 of them died"
            rf"|\s+(?i:of\s+(?:them|these|those|whom|which))\b"
            # "135 for whom efficacy data were available were analyzed"
            rf"|\s+(?i:for|in)\s+whom\b))",
        ]
    ) + ")"
    )


_VALUE_RE = _value_regex(NUMW, DENOMINATOR, _WORD_START)
# "(95% CI, 6.2-not reached [NR])": an interval open at the top; its bound is no "not reached" figure of its own
_OPEN_BOUND = r"(?:(?i:not\s+(?:yet\s+)?(?:reached|estimable|evaluable))|NR\b|NE\b)(?:\s*\[(?:NR|NE)\])?"
_CI_RE = re.compile(
    # ("95% IC": the interval as abbreviated in Romance languages)
    rf"[(\[,;]?\s*(?:\d{{2}}(?:\.\d+)?\s*%\s*)(?:CI|C\.I\.|CL\b|IC(?=\s*[,:=]?\s*-?\d)|(?i:confidence\s+(?:intervals?|limits?)"
    rf"|credible\s+intervals?))"
    rf"(?:\s*[(\[](?:CI|CL)[)\]])?\s*(?:[,:=]|(?i:of|was|from))?\s*(?P<lo>-?{DIGITS_PATTERN})\s*(?:%|{_TIME_UNIT})?\s*(?:-|(?i:to)|,|;)\s*"
    rf"(?:(?P<hi>-?{DIGITS_PATTERN})\s*(?:%|{_TIME_UNIT})?|{_OPEN_BOUND})\s*[)\]]?"
    rf"|[(\[,;]?\s*(?:\d{{2}}(?:\.\d+)?\s*%\s*)(?:CI|CL\b|(?i:confidence\s+(?:intervals?|limits?)))\s*[)\]]?"
)
# "12 month PFS": a spaced timepoint must be followed by a survival-like word.
_LANDMARK_NEXT = (
    # ("20.1 months overall and 38.9 months in responders": "overall" alone qualifies the figure, not a landmark)
    r"(?i:years?|months?|days?|weeks?|yr|mo)\s+(?:(?i:overall\s+(?:survival|response|mortality|rates?)|progression|event|leuk\w*|disease|relapse"
    r"|survival|cumulative|mortality|landmark|rates?)\b|OS\b|PFS\b|EFS\b|LFS\b|DFS\b|RFS\b)"
)
_TIMEPOINT_RE = re.compile(
    rf"(?<![\w.])(?:(?P<list>(?P<l1>{NUMW})-\s*(?:,\s*{NUMW}-\s*)*(?:,?\s*(?:and|or)|,)\s*(?P<l2>{NUMW})[\s-]*(?P<lu>{_TIME_UNIT}))"
    rf"|(?P<adj>(?P<a1>{NUMW})(?:-|\s+(?={_LANDMARK_NEXT}))(?P<au>(?i:years?|months?|days?|weeks?|yr|mo))"
    rf"(?=[\s-]+(?!(?i:old|of\s+age|after|later|follow))\w))"
    # "at 6 and 12 months", "at both 1 and 3 months": a list of time points with one preposition and one unit
    rf"|(?P<atlist>(?i:\b(?:at|by|after)\s+(?:both\s+)?)(?P<al>{NUMW}(?:\s*,\s*{NUMW}){{0,4}}\s*,?\s*(?:and|or)\s+{NUMW})"
    rf"\s*(?P<alu>{_TIME_UNIT}))"
    rf"|(?P<at>(?i:\b(?:at|by|on|within|after|through|(?:during|in)\s+the\s+first)\s+(?:the\s+)?)"
    # ("At 8 y, …": a time point may abbreviate years to "y")
    rf"(?:(?i:day|week|month|year)\s+(?P<t1>{NUMW})|(?P<t2>{NUMW})\s*(?P<tu>{_TIME_UNIT}|[yY]\b(?!-)))(?!\s*(?:of\s+)?(?:(?:a\s+)?median\s+(?:[\w-]+\s+)?)?follow))"
    rf"|(?P<dayn>\b(?i:day|week|month|year)\s+\+?(?P<t3>{NUM})))"
)
_MASK_RE = re.compile(
    r"(?<![\w.])(?:" + _gated(
        [
            # "at least 5 years", "5 years or longer", "more than 3 years": a threshold, not a median
            rf"(?i:at\s+least|more\s+than|longer\s+than|beyond|over|≥|>)\s*{NUM}\s*{_TIME_UNIT}",
            # "median survival is below 6 months", "less than 2 years": a bound, not a median of the study
            rf"(?i:less\s+than|shorter\s+than|below|under|<)\s*{NUM}\s*{_TIME_UNIT}",
            rf"{NUM}\s*{_TIME_UNIT}\s+(?i:or\s+(?:longer|more|beyond))",
            # "(maximum 12.0 years)", "(up to 30 months)": a bound, not a figure of its own
            rf"[(\[]\s*(?i:max(?:imum)?|min(?:imum)?|up\s+to|longest|shortest)\s*[,:=]?\s*{NUM}\s*(?:%|{_TIME_UNIT})?\s*[)\]]",
            rf"[(\[]?\s*(?i:range|IQR|interquartile\s+range)\s*[,:=]?\s*(?i:of|from)?\s*-?{NUM}\s*(?:%|{_TIME_UNIT})?"
            rf"\s*(?:-|(?i:to)|,)\s*-?{NUM_BODY}\s*(?:%|{_TIME_UNIT})?\s*[)\]]?",
            rf"\(\s*{NUM}\s*(?:%|{_TIME_UNIT})?\s*(?:-|(?i:to))\s*{NUM_BODY}\s*(?:%|{_TIME_UNIT})?\s*\)",
            rf"\b[Pp]\s*(?:[<>=≤≥]|(?i:value)\s*(?:[<>=≤≥]|of|was)?)\s*[<=]?\s*\d*\.?\d+(?:\s*[×x]\s*10\s*[-^]?\s*\d+)?",
            rf"(?:[≥≤<>]|>=|<=)\s*{NUM}\s*%?|(?:±|\+/-)\s*{NUM}(?![\d.,]*{_PERCENT})|\b(?:SD|SE|SEM)\s*[:=]?\s*{NUM}",
            # "a mortality of up to 60%", "as high as 8% to 12%": a hedged figure from elsewhere, not a result
            rf"(?i:up\s+to|as\s+(?:high|low|many|much)\s+as)\s+{NUM}\s*%?(?:\s*(?:-|to)\s*{NUM}\s*%?)?(?<=%)",
            rf"(?i:\b(?:mean\s+|median\s+)?ages?d?\b(?:\s+(?:was|of|at|=|:|\(|was\s+)?){{0,3}}\s*{NUM}"
            rf"(?:\s*(?:-|to)\s*{NUM})?(?:\s*(?:years?|yrs?|y)\b)?)",
            rf"{NUM}\s*(?:-|to)?\s*(?:{NUM}\s*)?(?i:years?|yrs?|y)[\s-]*(?i:old|of\s+age)",
            r"\b(?:19[5-9]\d|20[0-4]\d)\b(?!\s*(?:%|patients|subjects|participants))",
            # ("(grade ≥3, 3%)": a figure after the grade's comma is no grade of the list)
            r"(?i:\bgrades?\s*(?:≥|>=|>|≤|<=|<)?\s*(?:[0-5]|I{1,3}V?|IV)\b(?:\s*(?:-|to|/|or|and|,)\s*(?:[0-5]|I{1,3}V?|IV)\b(?!\s*%|\.\d))*)",
            r"(?i:\bphases?\s*(?:[1-4]|I{1,3}V?|IV)[ab]?\b(?:\s*/\s*(?:[1-4]|I{1,3}V?|IV)[ab]?\b)?)",
            rf"{NUM}\s*(?:×|x|\*)\s*10\s*(?:\^|e|\()?\s*-?\d+\)?(?:\s*(?:/|per\s+)\s*\w+)*",
            rf"{NUM}\s*(?:-\s*{NUM}\s*)?(?:mg|g|µg|μg|mcg|ng|ml|mL|L|kg|IU|U|Gy|mmol|mg/dL|mmHg|cm|mm|bpm|kcal|cycles?"
            rf"|doses?|courses?|lines?|sites?|centers?|centres?|countries|hospitals|h|hours?|min|minutes?|seconds?"
            rf"|times)\b(?:\s*/\s*(?:m2|m\^2|kg|day|d|week|h))?",
            r"(?i:\b(?:CD|IL|TNF|HLA|ECOG|NYHA|Stage|type|cohort|arm|level|dose\s+level|visit)[\s-]*\d+\w*)",
        ]
    ) + ")"
)


_UNIT_AFTER_CLOSE = re.compile(rf"\)\s*{_TIME_UNIT}")  # a cheap first look: ")" is rare
_UNIT_AFTER_PARENTHESIS = re.compile(rf"{NUM}\s*\([^()]{{1,40}}\)\s*{_TIME_UNIT}")


@dataclass(frozen=True, slots=True)
class ValueMention:
    kind: str  # frac_pct, pct_frac, count_pct, frac, pct, nr, hr, duration, n_eq, count, bare
    start: int  # offsets into the sentence
    end: int
    value: float | None
    unit: str | None
    count: int | None = None
    total: int | None = None


@dataclass(frozen=True, slots=True)
class Timepoint:
    start: int
    end: int
    text: str
    months: tuple[float, ...]  # one per listed timepoint: "1- and 2-year" -> (12, 24)


@dataclass(frozen=True, slots=True)
class Interval:
    start: int
    end: int
    low: float
    high: float | None  # None: open at the top ("7.9-not estimable")


_UNIT_NAMES = {"y": "years", "m": "months", "d": "days", "w": "weeks"}
_MONTHS_PER = {"years": 12.0, "months": 1.0, "days": 1 / 30.4375, "weeks": 7 / 30.4375}


def time_unit(word: str) -> str:
    """"yrs" -> "years", "mo" -> "months", "wk" -> "weeks"."""
    return _UNIT_NAMES[word.lower()[0]]


def _as_int(text: str | None) -> int | None:
    number = parse_number(text) if text else None
    return int(number) if number is not None and number == int(number) else None


def _rate(count: int | None, total: int | None) -> float | None:
    return round(100.0 * count / total, 2) if count is not None and total else None


def _value_from_match(match: re.Match) -> ValueMention | None:
    kind = match.lastgroup
    start, end = match.span(kind)
    group = match.group
    if kind in ("frac_pct", "frac"):
        k, n = (_as_int(group("k1")), _as_int(group("n1"))) if kind == "frac_pct" else (
            _as_int(group("k4")), _as_int(group("n4")))
        if k is None or not n or k > n:
            return None
        value = parse_number(group("p1")) if kind == "frac_pct" else _rate(k, n)
        return ValueMention(kind, start, end, value, "%", k, n)
    if kind == "k_pct_n":
        k, n = _as_int(group("k13")), _as_int(group("n13"))
        if k is None or not n or k > n:
            return None
        return ValueMention("frac_pct", start, end, parse_number(group("p13")), "%", k, n)
    if kind == "pct_frac":
        if group("t2"):
            return ValueMention(kind, start, end, parse_number(group("p2")), "%", None, _as_int(group("t2")))
        k, n = _as_int(group("k2")), _as_int(group("n2"))
        if n is not None and (k is None or k > n):
            return None
        return ValueMention(kind, start, end, parse_number(group("p2")), "%", k, n)
    if kind == "count_pct":
        return ValueMention(kind, start, end, parse_number(group("p3")), "%",
                            _as_int(group("k3") or group("k3b")))
    if kind == "k_pct":
        return ValueMention("count_pct", start, end, parse_number(group("p12")), "%", _as_int(group("k12")))
    if kind == "pct":
        return ValueMention(kind, start, end, parse_number(group("p5")), "%")
    if kind == "slashed":
        return ValueMention("pct", start, end, parse_number(group("p15")), "%")

    if kind == "listed":
        unit = group("lu11")
        if unit == "%":
            return ValueMention("pct", start, end, parse_number(group("l11")), "%")
        if re.fullmatch(PATIENT_NOUN, unit):  # "447 and 371 patients": a count the noun after the list shares
            count = _as_int(group("l11"))
            return ValueMention("count", start, end, float(count), "patients", count) if count is not None else None
        return ValueMention("duration", start, end, parse_number(group("l11")), time_unit(unit))
    if kind == "nr":
        return ValueMention(kind, start, end, None, None)
    if kind == "hr":
        return ValueMention(kind, start, end, parse_number(group("h6")), None)
    if kind == "duration":
        return ValueMention(kind, start, end, parse_number(group("d7")), time_unit(group("u7")))
    count = _as_int(group("k8") or group("k9") or group("k10") or group("k14"))
    if count is None:
        return None
    return ValueMention("count" if kind == "verb_count" else kind, start, end, float(count), "patients", count)


def find_values(masked: str) -> list[ValueMention]:
    """Value expressions in a sentence whose non-values are already blanked out.

    Numbers must be in digits: rewrite spelled-out ones first (`numbers.digitise_number_words`).
    """
    found = (_value_from_match(m) for m in _VALUE_RE.finditer(masked))
    return [v for v in found if v is not None]


def may_state_a_value(sentence: str) -> bool:
    """A cheap first look at the UNmasked sentence: masking only removes values, so no match here means none."""
    # "39.7 (range 4.9-79.7) months" states a duration only once its range is masked
    if _VALUE_RE.search(sentence) is not None:
        return True
    return _UNIT_AFTER_CLOSE.search(sentence) is not None and _UNIT_AFTER_PARENTHESIS.search(sentence) is not None


def _timepoint_from_match(match: re.Match) -> Timepoint:
    group = match.group
    if match.lastgroup == "list":
        unit = time_unit(group("lu"))
        numbers = re.findall(rf"{NUMW}", match.group(0)[: match.start("lu") - match.start()])
        months = tuple(parse_number(n) * _MONTHS_PER[unit] for n in numbers if parse_number(n) is not None)
    elif match.lastgroup == "adj":
        months = (parse_number(group("a1")) * _MONTHS_PER[time_unit(group("au"))],)
    elif match.lastgroup == "atlist":
        unit = time_unit(group("alu"))
        numbers = re.findall(NUMW, group("al"))
        months = tuple(parse_number(n) * _MONTHS_PER[unit] for n in numbers if parse_number(n) is not None)
    elif match.lastgroup == "at" and group("t1"):
        word = match.group(0).lower()
        unit = next(u for u in ("day", "week", "month", "year") if u in word)
        months = (parse_number(group("t1")) * _MONTHS_PER[unit + "s"],)
    elif match.lastgroup == "at":
        months = (parse_number(group("t2")) * _MONTHS_PER[time_unit(group("tu"))],)
    else:
        word = match.group(0).lower()
        unit = next(u for u in ("day", "week", "month", "year") if word.startswith(u)) + "s"
        months = (parse_number(group("t3")) * _MONTHS_PER[unit],)
    return Timepoint(match.start(), match.end(), match.group(0), tuple(round(m, 4) for m in months))


def find_masks(sentence: str) -> tuple[str, list[Interval], list[Timepoint]]:
    """`sentence` with non-values blanked (same length), plus the CIs and timepoints it states."""
    intervals, timepoints = [], []
    masked = sentence
    if "CI" in sentence or "onfidence" in sentence or "redible" in sentence or "% IC" in sentence:
        spans = []
        for match in _CI_RE.finditer(sentence):
            if match.group("lo") is not None:
                high = match.group("hi")
                intervals.append(Interval(match.start(), match.end(), _signed(match.group("lo")),
                                          None if high is None else _signed(high)))
            spans.append(match.span())
        masked = _blank(masked, spans)
    lowered = masked.lower()
    if any(word in lowered for word in ("year", "month", "day", "week", "yr", "mo")) or (
            " y" in lowered and _YEARS_ABBREVIATED.search(masked)):
        spans = []
        for match in _TIMEPOINT_RE.finditer(masked):
            if match.lastgroup == "at" and _FOLLOW_UP_BEFORE.search(masked, max(0, match.start() - 24), match.start()):
                continue  # "median follow-up at 12.2 months": the follow-up's own value, not a time point
            timepoints.append(_timepoint_from_match(match))
            spans.append(match.span())
            # "at 1 year and 2 years": the second time point of the list has no preposition of its own
            # ("at 6 months, 1 year and 3 years": a list of them, each with its own unit)
            more = _MORE_TIMEPOINTS.match(masked, match.end()) if match.lastgroup == "at" else None
            while more is not None and len(spans) < 64:
                months = parse_number(more.group("n")) * _MONTHS_PER[time_unit(more.group("u"))]
                timepoints.append(Timepoint(more.start("n"), more.end(), more.group(0).strip(" ,"), (round(months, 4),)))
                spans.append((more.start("n"), more.end()))
                more = _MORE_TIMEPOINTS.match(masked, more.end())
        masked = _blank(masked, spans)
        timepoints = _coordinated_timepoints(sentence, timepoints)
    masked = _blank(masked, [m.span() for m in _MASK_RE.finditer(masked)])
    if "(n" in masked or "(N" in masked:
        masked = _blank(masked, [m.span(2) for m in _RESTATED.finditer(masked) if m.group(1) == m.group(3)])
    return masked, intervals, timepoints


# "fifty (n = 50) patients": the parenthesis restates the number before it (one figure)
_RESTATED = re.compile(r"(?<![\d.,])(\d+)\s*(\(\s*[nN]\s*=\s*(\d+)\s*\))")


_FOLLOW_UP_BEFORE = re.compile(r"follow[\s-]?up\s+(?:(?:was|of)\s+)?$", re.IGNORECASE)
# ("at 6 months, 1 year and 3 years": the list may go on with commas, each time point with its own unit)
_YEARS_ABBREVIATED = re.compile(r"\d\s*[yY]\b")
_MORE_TIMEPOINTS = re.compile(rf"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)(?P<n>{NUM_BODY})\s*(?P<u>{_TIME_UNIT})(?![\w-])",
                              re.IGNORECASE)
_TIMEPOINT_JOIN = re.compile(r"\s*(?:,\s*(?:and|or)?|and|or)\s*$", re.IGNORECASE)


def _coordinated_timepoints(sentence: str, timepoints: list[Timepoint]) -> list[Timepoint]:
    """"The 1-year and 2-year OS rates": time points joined by "and" or commas are one list, like "1- and 2-year"."""
    if len(timepoints) < 2:
        return timepoints
    merged = [timepoints[0]]
    for timepoint in timepoints[1:]:
        last = merged[-1]
        # (at most a dozen in one list: a list keeps its cost bounded, so a sentence is read in linear time)
        if (len(last.months) < 12 and _TIMEPOINT_JOIN.match(sentence, last.end, timepoint.start)
                and sentence[last.end:timepoint.start].strip()):
            merged[-1] = Timepoint(last.start, timepoint.end, sentence[last.start:timepoint.end],
                                   last.months + timepoint.months)
        else:
            merged.append(timepoint)
    return merged


def _signed(number: str) -> float:
    value = parse_number(number.lstrip("-"))
    return -value if number.startswith("-") else value


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each (start, end) span replaced by as many spaces."""
    if not spans:
        return text
    pieces, last = [], 0
    for start, end in spans:
        pieces += (text[last:start], " " * (end - start))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)
