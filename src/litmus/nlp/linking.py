"""Linking: which endpoint each number of a sentence reports.

The candidates of a sentence (values, endpoint mentions, time points, clause breaks) are read by
`metrics.py`; the mechanisms here decide which endpoint and time point each value belongs to. They
are general constructions of clinical abstracts, tried in this order:

- coordinated lists that pair in order ("ORR and CR rates were 87.5% and 62.5%, respectively", "the 1-
  and 2-year OS were 80% and 70%", arm-by-endpoint matrices before "respectively": `pair_coordinated`);
- the nearest endpoint of the value's clause (`link_endpoint`): the preceding one ("CR was achieved in
  13/15"), or the following one when the value is the subject of a verb that reaches it ("13/15
  patients achieved CR").

Every regex here looks at a bounded window or a single clause, so a sentence is linked in linear time.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from litmus.nlp.endpoints import EndpointMention
from litmus.nlp.values import PATIENT_NOUN, Timepoint, ValueMention

_CLAUSE_BREAK = re.compile(
    # ", and 74.8%", ", and 5-year", ", and 1/6 (16.67%) in the control group" continue a list or repeat its verb
    # ("1-, 3-, and 5-year OS were 88.9%, 82.4%, and 74.8%"): they do not start a clause
    r";|:\s|,\s+(?:and(?!\s+\d)|but|while|whereas|with|including)\b"
    r"|\bwhereas\b|\bwhile\b"
)
# Text between an endpoint and a later value that keeps them linked: "CR was achieved in", "ORR of".
_LINK_FROM_PREVIOUS = re.compile(
    r"(?:\b(?:in|among|was|were|is|are|of|at|to|by|reached|achieved|observed|seen|occurred|rate|rates"
    r"|approximately|about|only|overall|respectively|vs|versus)|[:=(\[]|^)\s*\.?\s*$",
    re.IGNORECASE,
)
# Text between a value and a later endpoint that makes the value its subject: "13 patients achieved".
_LINK_TO_NEXT = re.compile(
    rf"^\s*(?:\)\s*)?(?:(?:of|out\s+of)\s+(?:the\s+|all\s+|these\s+)?)?(?:[\w-]+\s+){{0,6}}?(?:{PATIENT_NOUN}\s+)?"
    r"(?:\([^)]*\)\s*)?(?:(?:who\s+)?(?:achieved|attained|had|have|developed|experienced|were|was|showed|obtained"
    r"|reached|remained|became|died|relapsed|responded|received|underwent|completed|entered|went|met|sustained"
    r"|maintained|with|in)\b(?:\s+(?:a|an|the|in|into|to|with|further|subsequent|late|early|durable|ongoing)\b)*"
    r"\s*(?:[\w/-]+\s+){0,3})?$",
    re.IGNORECASE,
)
# "66 patients with relapsed/refractory (r/r) B-NHL were recruited": a described population, then its verb.
# "43 (55%) patients achieving clinical remission were randomized", "78 patients with AS (57 males, 21 females)
# were recruited", "30 patients with carcinoma exceeding the Milan criteria underwent transplantation".
# (a parenthesis may hold one more: "(age 65 ± 7 years; FEV(1) 35%)", "(median age 27 weeks (range 23-33))")
_ASIDE = r"\((?:[^()]|\([^()]{0,40}\)){0,200}\)"
_SUBJECT_VERB_END = (r"(?:\b(?:were|was|had\s+been|have\s+been)"
                     r"\s+(?:(?:all|then|subsequently|successfully|eventually|finally|randomly)\s+)?)?$")
_DESCRIBED_SUBJECT = re.compile(
    rf"^\s*(?:{PATIENT_NOUN}\s+)?(?:{_ASIDE}\s*){{0,2}}"
    rf"(?:(?:with|who\s+had|having|from|aged|achieving|receiving|treated|undergoing|given|in|at|younger|older"
    # "812 adults (…) who lived in X / living in X / admitted to Y were enrolled": where or what they are
    rf"|who\s+(?!were\b|was\b|are\b)(?:[a-z]{{3,}}(?:ed|s)|met|had|underwent|took|gave|saw)|living|residing|attending|presenting|admitted|referred"
    # "184 adults who were candidates for X were randomized" (not "who were treated were evaluable": a participle)
    rf"|who\s+(?:were|was|are)\s+(?![a-z]+ed\b|in\b)"
    rf"|scheduled|requiring|diagnosed|born)\b"
    rf"(?:{_ASIDE}|[^;:()]){{0,140}}?(?<=[\w)\s])|(?<=\))\s*"
    # "129 patients who were in ASA classes I and II, aged 18 to 70 years, and scheduled for surgery, were enrolled"
    rf"|who\s+(?:were|was|had|are)\b(?:{_ASIDE}|[^;:()]){{0,220}}?,\s*)" + _SUBJECT_VERB_END
    # "120 women, after having been cured of X by A or B, were randomised": an aside between commas
    + rf"|^\s*(?:{PATIENT_NOUN}\s+)?,\s*(?:after|before|having|following|despite|although|while|who|all|most"
      rf"|median\s+age|mean\s+age|aged)\b"  # "88 patients, median age 82 years (range, 80-89), were included"
      rf"(?:{_ASIDE}|[^;:()]){{0,160}}?,\s*" + _SUBJECT_VERB_END,
    re.IGNORECASE,
)
# Words that show a number describes the population or the treatment, not an outcome.
_NOT_AN_OUTCOME = re.compile(
    r"(?<![\w-])(?:ages?d?|male|female|men|women|gender|sex|weight|BMI|dosed?|doses|prior|previous(?:ly)?|bridging"
    r"|baseline|lines?\s+of|history|median\s+age|characteristics|eligible|screened|white|black|asian|smokers?)\b",
    re.IGNORECASE,
)
_AT_A_DOSE_AFTER = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:at|in|with)\s+(?:the\s+)?(?:[\w-]+\s+)?dose\b", re.IGNORECASE)
# Between an endpoint and its value, "prior" and "previously" name a subgroup ("ORR in patients with prior
# ASCT was 40%", "(prior chemotherapy: 11.0 vs 3.2 months)"), not a baseline figure.
_NOT_AN_OUTCOME_BETWEEN = re.compile(
    # ("mortality was higher in women than in men (6.1% vs 2.2%)": after a preposition the word names a subgroup)
    r"(?<![\w-])(?<!\bin\s)(?<!\bamong\s)(?<!\bwith\s)(?:ages?d?|male|female|men|women|gender|sex|weight|BMI|bridging"
    r"|baseline|history|median\s+age|characteristics|eligible|screened|white|black|asian|smokers?)\b",
    re.IGNORECASE,
)
# Right after a value: it is a difference or an arm size, not an outcome level.
_NOT_A_LEVEL_AFTER = re.compile(
    r"\s*(?:lower|higher|greater|smaller|reduction|increase|decrease|improvement|relative|proportional|absolute"
    r"|of\s+(?:[\w-]+\s+)?(?:intervention|treatment|therapy|supplementation|exposure|use))\b"
    # "20% lipid emulsion", "5% dextrose": a concentration
    r"|\s*(?:lipid|dextrose|glucose|saline|solution|emulsion|ethanol|alcohol|formalin|sucrose|albumin|mannitol"
    r"|oxygen|w/v|v/v)\b",
    re.IGNORECASE,
)
# "Excluding 2 patients who…", "All but five patients": a count set aside, not a count of what follows
_SET_ASIDE_BEFORE = re.compile(r"\b(?:excluding|except(?:\s+for)?|other\s+than|apart\s+from|all\s+but|none\s+of(?:\s+the|\s+these|\s+our)?)\s+$",
                               re.IGNORECASE)
_RESPECTIVELY_ASIDE = re.compile(r"\s*,\s*respectively\s*,\s*", re.IGNORECASE)  # "447 and 371 patients, respectively, were"
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
# "OS and PFS", "OS, EFS and relapse", "the 1-year OS and 2-year PFS" (each with its own time point)
_COORDINATION = re.compile(r"^[\s,/)]*(?:(?:and|or|as\s+well\s+as)\s+)?(?:for\s+)?(?:the\s+)?(?:median\s+)?(?:\d+(?:\.\d+)?[\s-]+(?:years?|months?"
                           r"|weeks?|days?)\s+)?(?:rates?\s*)?"
                           # "grade 3 CRS and grade 3 neurological events": each of the list may carry its grade
                           r"(?:(?:grades?\s*(?:≥|>=|>)?\s*(?:[1-5]|I{1,3}V?|IV)(?:\s*(?:-|to|/|or)\s*(?:[1-5]|I{1,3}V?|IV))?"
                           r"(?:\s*(?:or|and)\s*(?:higher|greater|above))?|severe|any[\s-]grade)\s+)?[\s,/]*$", re.IGNORECASE)

_TIME_ENDPOINTS = {"PFS", "OS", "EFS", "LFS", "DOR", "OTHER"}
COUNT_ENDPOINTS = {"N_ENROLLED", "N_TREATED", "N_EVALUABLE"}
RATE_KINDS = {"frac_pct", "pct_frac", "count_pct", "frac", "pct"}
COUNT_KINDS = {"n_eq", "count", "bare"}
_LIST_KINDS = RATE_KINDS | {"duration"}
_SURVIVAL_ENDPOINTS = {"PFS", "OS", "EFS", "LFS", "DOR"}  # reported as medians, rates or HRs, never as a head count


def within(items: list, start: int, end: int) -> list:
    """The items (sorted by `start`) that start in [start, end): a slice found by bisection, not a scan."""
    low = bisect_left(items, start, key=_start_of)
    return items[low:bisect_left(items, end, low, key=_start_of)]


def _start_of(item) -> int:
    return item.start


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """Clauses cut at ";", ": ", ", but", "while"…, except inside parentheses: "(prior chemotherapy: 11.0 vs 3.2
    months; hazard ratio, 0.34)" belongs to the clause that opened it."""
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(sentence)]
    if breaks and ("(" in sentence or "[" in sentence):
        depth, level = 0, []  # (position of a bracket, depth after it), in order
        for bracket in _BRACKET.finditer(sentence):
            depth = depth + 1 if bracket.group() in "([" else max(0, depth - 1)
            level.append((bracket.start(), depth))
        positions = [position for position, _ in level]
        breaks = [b for b in breaks if not _depth_at(b, positions, level)]
    cuts = [0] + breaks + [len(sentence)]
    return list(zip(cuts, cuts[1:]))


_BRACKET = re.compile(r"[()\[\]]")


def _depth_at(position: int, positions: list[int], level: list[tuple[int, int]]) -> int:
    index = bisect_left(positions, position) - 1
    return level[index][1] if index >= 0 else 0


def _clause_of(position: int, clauses: list[tuple[int, int]]) -> tuple[int, int]:
    index = bisect_left(clauses, (position + 1, -1)) - 1
    return clauses[index] if 0 <= index < len(clauses) and position < clauses[index][1] else clauses[-1]


def link_endpoint(sentence: str, value: ValueMention, endpoints: list[EndpointMention],
                   clauses: list[tuple[int, int]]) -> EndpointMention | None:
    """The endpoint a value reports: see the module docstring for the rule."""
    if _NOT_A_LEVEL_AFTER.match(sentence, value.end) or _SET_ASIDE_BEFORE.search(sentence, max(0, value.start - 16),
                                                                                  value.start):
        return None
    if value.kind in COUNT_KINDS and _SHARE_OF_BEFORE.search(sentence, max(0, value.start - 24), value.start):
        return None  # "79% of the 42 patients with a CR": the share's denominator
    if value.kind in COUNT_KINDS and _SEX_SPLIT.search(sentence, value.start, value.end):
        return None  # "Forty-two male patients and two female patients were accrued": a breakdown by sex
    named = next(iter(within(endpoints, value.end, value.end + 4)), None)
    if (named is not None and value.kind in ("pct", "k_pct", "count_pct", "frac_pct", "duration", "nr")
            and _OPENS_BEFORE_NAME.fullmatch(sentence, value.end, named.start)
            and _CLOSES_AFTER_NAME.match(sentence, named.end) and compatible(named, value)):
        return named  # "objective in 90% (ORR) and complete in 43.3% (CR rate)": the figure names its endpoint
    if value.kind in COUNT_KINDS and _SCREENED_AFTER.match(sentence, value.end):
        return None  # "300 patients were assessed for eligibility": screened, not enrolled
    clause_start, clause_end = _clause_of(value.start, clauses)
    follow_up = _follow_up_named_after(sentence, value, endpoints)
    if follow_up is not None:
        return follow_up
    participle = _participle_after_count(sentence, value, endpoints, clause_end)
    if participle is not None:
        return participle
    design = _study_population(sentence, value, endpoints, clause_start)
    if design is not None:
        return design
    if value.kind in COUNT_KINDS or value.kind == "count_pct":  # "15 evaluable patients", "16 CRs (28%)"
        inside = next((e for e in within(endpoints, value.start, value.end) if e.end <= value.end), None)
        if inside is not None and compatible(inside, value) and not (
                inside.code in COUNT_ENDPOINTS and value.kind == "count_pct"):  # "16 treated patients (80%) required …"
            event = _event_of_subject(sentence, value, endpoints, clause_end) if inside.code in COUNT_ENDPOINTS else None
            return event or _population_verb(sentence, value, endpoints) or inside  # "15 evaluable patients"
    if value.kind == "hr":
        clause_start = 0  # "PFS was 4.0 months (95% CI ...; hazard ratio, 0.81)": the ratio follows a semicolon
        named = next((e for e in within(endpoints, value.start, value.end)
                      if e.end <= value.end and e.code in _HR_NAMED and compatible(e, value)), None)
        if named is not None and not _COMPOSITE_INSIDE.search(sentence, value.start, named.start):
            return named  # "the hazard ratio for death was 0.79", "HR of relapse 0.5": the ratio names what it compares
    # A population verb or adjective ("patients treated with X", "evaluable") describes who, not what: a level
    # skips it to the endpoint before it ("median survival was 7.7 months for patients treated with A and 6.4 …").
    if value.kind == "hr" and not any(compatible(e, value) for e in within(endpoints, clause_start, value.start)):
        # "higher insulin (HR = 0.81) and C-peptide (HR = 0.62) levels were associated with a longer PFS"
        later = next((e for e in within(endpoints, value.end, value.end + _REACH)
                      if e.code in _SURVIVAL_ENDPOINTS or (e.code == "MORTALITY" and "]" not in sentence[value.end:e.start]
                                                          and _ASSOCIATED_WITH.search(sentence, value.end, e.start))),
                     None)  # "age (HR 1.2; CI …) was associated with mortality"
        if later is not None:
            return later
    describes = value.kind not in COUNT_KINDS

    def candidate(e: EndpointMention) -> bool:  # population words describe who; a follow-up is a duration's
        return not (describes and e.code in COUNT_ENDPOINTS) and not (e.code == "FOLLOW_UP" and value.kind != "duration")

    # An endpoint further than _REACH from its value is not its endpoint (and the checks below stay linear).
    # (a mention may straddle the clause's start: "Unrelated death while free of disease occurred in 22%")
    nearby = [e for e in within(endpoints, value.start - _REACH, value.start) if e.end > clause_start]
    previous = next((e for e in reversed(nearby) if e.end <= value.start and candidate(e)), None)
    start_before = clause_start
    for _ in range(6):
        if previous is not None or start_before == 0 or not sentence.startswith((":", ";"), start_before):
            break
        # "CR rates stayed high in every subgroup: one line (87%) …; earlier blinatumomab (63%) …": a colon opens a
        # list whose items semicolons separate
        start_before, _ = _clause_of(start_before - 1, clauses)
        previous = next((e for e in reversed(within(endpoints, max(start_before, value.start - 2 * _REACH), clause_start))
                         if e.end <= clause_start and candidate(e)), None)
    if previous is None and clause_start > 0 and (_RATES_OF_THE_SUBJECT.match(sentence, clause_start, value.start)
                                                  or _REPEATED_PREPOSITION.fullmatch(sentence, clause_start, value.start)):
        # "OS favoured A, with 1-year rates of 61% and 47%", "…, and its 6- and 12-month rates were 80% and 66%": the
        # clause names no endpoint; its rates are those of the endpoint before it
        previous = next((e for e in reversed(within(endpoints, max(0, value.start - _REACH), clause_start))
                         if e.code not in COUNT_ENDPOINTS and e.code != "OTHER" and candidate(e)), None)
    following = next((e for e in within(endpoints, value.end, min(clause_end, value.end + _REACH))
                      if compatible(e, value) and e.code != "FOLLOW_UP"), None)
    if (previous is not None and value.kind != "hr"  # (a covariate's hazard ratio is the sentence's survival endpoint's)
            and _NEW_NOUN_BEFORE_PARENTHESIS.search(_PARENTHETICAL.sub(" ", sentence[previous.end:value.start]))):
        previous = None  # "all deaths (1.5% vs 1.2%) and stent thrombosis (0.3% vs 0.7%)": the figures of another noun
    if previous is not None and previous.code == "FOLLOW_UP" and not _MEDIAN_NEAR.search(
            sentence, max(0, previous.start - 25), value.start):
        previous = None  # a follow-up figure is the median follow-up: not "mean follow-up", nor "the 44-month follow-up"
    if previous is not None and previous.code == "FOLLOW_UP" and _ANOTHER_MEDIAN_TIME.search(sentence, previous.end,
                                                                                              value.start):
        previous = None  # "follow-up at a median of 5 years and duplex ultrasound at a median of 4 years": another timing
    after = sentence[value.end:value.end + 30]
    counted_by_verb = value.kind in COUNT_KINDS and previous is not None and previous.code in COUNT_ENDPOINTS and (
        _VERB_RIGHT_BEFORE.fullmatch(sentence, previous.end, value.start))
    if (_NOT_AN_OUTCOME.search(re.split(r"[,;:]", after)[0][:25]) and not following and not counted_by_verb
            and not _AT_A_DOSE_AFTER.match(after)):  # "CRS in 4 patients (11%) at dose level 2": a dose group
        return None  # "57% were male", "87.8% received bridging therapy" (not "enrolled 120 patients aged 60-79")
    described = _described_population(sentence, value, endpoints, clause_end) or _main_verb_past_a_relative_clause(
        sentence, value, endpoints, clause_end)
    if described is not None:
        return described
    gap_previous = sentence[previous.end:value.start] if previous else ""
    gap_following = _RESPECTIVELY_ASIDE.sub(" ", sentence[value.end:following.start]) if following else ""
    if previous is not None and previous.code in COUNT_ENDPOINTS and value.kind in COUNT_KINDS and "," in gap_previous:
        previous = None  # "Of those randomised to A or B, one patient in each group discontinued": past the comma
    previous_ok = (previous is not None and compatible(previous, value) and not _NOT_AN_OUTCOME_BETWEEN.search(gap_previous)
                   and not _A_CHANGE.search(gap_previous)
                   and not _states_a_change(sentence, previous, value, gap_previous))
    if (following is not None and following.code in COUNT_ENDPOINTS and value.kind not in COUNT_KINDS
            and not _FINITE_VERB.search(sentence, value.end, following.end)):
        following = None  # "10 out of 20 (50%) treated patients (10 SD)": a share of treated patients, not their count
    if (following is not None and previous is not None and value.kind not in COUNT_KINDS
            and _DESCRIBED_DENOMINATOR.match(gap_following)):
        following = None  # "MRD negativity … and in 79% of the 42 patients with a CR": who the share is of
    following_ok = following is not None and compatible(following, value) and (
        # ("48% (95% CI, 39-57) a complete response": the figure's interval stands between it and its endpoint)
        ("," not in _PARENTHETICAL.sub("", gap_following) and len(_PARENTHETICAL.sub("", gap_following)) <= 60
         and bool(_LINK_TO_NEXT.match(gap_following) or _LINK_TO_NEXT.match(_LEADING_INTERVAL.sub(" ", gap_following)))
         and (previous is None or value.kind in COUNT_KINDS or re.search(r"[a-z]", gap_following)
              or (value.count is not None and not gap_following.strip())))  # "33 (57%) partial responses"
        )
    # "..., such that only one patient experienced relapse": past a comma the value starts its own clause; but in
    # "(CR alone, 60%)" the endpoint and its figure share a parenthesis
    previous_reaches = previous_ok and (("," not in gap_previous and _LINK_FROM_PREVIOUS.search(gap_previous))
                                        or _in_one_parenthesis(sentence, previous, value)
                                        or _in_an_aside_after(gap_previous, gap_following))
    if following_ok and not previous_reaches:
        return following
    if previous_ok:
        return previous
    return None


# "reduced the relapse rate by 56%", "the absolute increase in PFS at 3 years was 7.3%": changes, not levels.
_A_CHANGE = re.compile(r"\b(?:reduc|decreas|increas|improv|lower|rais|prolong|extend|cut)\w*\b[^,;]{0,60}?\bby\s*$",
                       re.IGNORECASE)
_BY_BEFORE = re.compile(r"\bby\s*$", re.IGNORECASE)
_CHANGE_VERB = re.compile(r"\b(?:reduc|decreas|increas|improv|lower|rais|prolong|extend|cut)\w*\b", re.IGNORECASE)
_DIFFERENCE_BEFORE = re.compile(r"\b(?:increase|decrease|difference|reduction|improvement|gain|benefit)s?\s+(?:in|of)\s+"
                                r"(?:the\s+)?(?:(?:rates?|incidence|proportion)\s+of\s+)?$", re.IGNORECASE)
_COMPARED_NEAR = re.compile(r"\b(?:vs|versus|compared)\b", re.IGNORECASE)


def _states_a_change(sentence: str, endpoint: EndpointMention, value: ValueMention, gap: str) -> bool:
    """"reduced the relapse rate by 56%", "the absolute increase in PFS was 7.3%"; not "increased from 28% to 35%",
    nor levels compared ("no difference in relapse (74% vs 68%)")."""
    if _A_CHANGE.search(sentence, max(0, endpoint.start - 40), value.start):
        return True
    if _BY_BEFORE.search(sentence, max(0, value.start - 8), value.start) and _CHANGE_VERB.search(
            sentence, max(0, value.start - 300), endpoint.start):
        return True  # "lowered the risk of the primary outcome by 25%, stroke by 33% and death by 37%": a list of changes
    if "from" in gap or _COMPARED_NEAR.search(gap) or _COMPARED_NEAR.search(sentence, value.end, value.end + 15):
        return False
    return _DIFFERENCE_BEFORE.search(sentence, max(0, endpoint.start - 50), endpoint.start) is not None


def _described_population(sentence: str, value: ValueMention, endpoints: list[EndpointMention],
                          clause_end: int) -> EndpointMention | None:
    """"66 patients with relapsed B-NHL (median age 60) were recruited": a head count, a description of the
    patients (which may name an endpoint: "achieving clinical remission"), then the verb that counts them."""
    if value.kind not in ("count", "count_pct"):
        return None
    before = [e for e in within(endpoints, max(0, value.start - 40), value.start) if e.code in COUNT_ENDPOINTS]
    if (before and _VERB_RIGHT_BEFORE.fullmatch(sentence, before[-1].end, value.start)
            and not before[-1].label.lower().startswith("compris")):
        return None  # "We analysed 640 patients with X treated with Y": the verb before the count counts them
    if re.match(r"\s+who\s", sentence[value.end:value.end + 6]):
        clause_end = len(sentence)  # a relative clause may hold commas ("who were …, aged …, and scheduled …, were")
    verb = next((e for e in within(endpoints, value.end, min(clause_end, value.end + 260)) if e.code in COUNT_ENDPOINTS
                 and e.label.lower() not in ("evaluable", "assessable")), None)
    if verb is None or not compatible(verb, value):
        return None
    gap = sentence[value.end:verb.start]
    if "," in gap and _OF_THE_BEFORE.search(sentence, 0, value.start):
        return None  # "Of 129 patients with X, 104 were enrolled": the verb past the comma counts the part
    return verb if gap.strip() and _DESCRIBED_SUBJECT.match(gap) else None


_RATES_OF_THE_SUBJECT = re.compile(r"\s*[,;]?\s*(?:and\s+)?(?:with\s+|its\s+|their\s+|with\s+(?:its|their)\s+)"
                                   r"(?:[\w-]+,?\s+(?:and\s+)?){0,3}?(?:rates?|estimates?|probabilit(?:y|ies))"
                                   r"\s+(?:of|were|was|at)\s+(?:\d[\d.]*\s*%\s*(?:,\s*(?:and\s+)?|and\s+))*$", re.IGNORECASE)
_LEADING_INTERVAL = re.compile(r"^\s*\(\s*\d{2}(?:\.\d+)?\s*%\s*(?:CI|confidence\s+interval)[^()]*\)", re.IGNORECASE)
_ASSOCIATED_WITH = re.compile(r"\b(?:associated\s+with|predict(?:ed|s|ive\s+of)?)\s+(?:(?:an?|the)\s+)?"
                              r"(?:(?:higher|increased|greater|lower)\s+)?(?:[\w-]+\s+)?$", re.IGNORECASE)
# (not "the efficacy of X was evaluated in 850 subjects": the trial's design, its study population)
_TREATMENT_JUDGED = re.compile(r"\b(?:efficacy|effects?|effectiveness|safety|benefits?|tolerability)\b", re.IGNORECASE)
_MEASURED_BEFORE = re.compile(r"\b(?:assessed|measured|evaluated|analy[sz]ed|determined|quantified|tested)\s+"
                              r"(?:[\w()-]+\s+){0,4}?$", re.IGNORECASE)
# A verb giving the therapy whose object is the count that follows ("drug A was started in 23", "we gave A to 4")
_GIVEN_BEFORE = re.compile(
    r"\b(?:(?:were|was|been)\s+(?:initiated|started|administered|given|prescribed|implanted|instituted|delivered)"
    r"|gave|administered|prescribed|delivered)\s+(?:[\w()/-]+\s+){0,7}?(?:in|to|among)\s+(?:a\s+total\s+of\s+|the\s+|all\s+)?$",
    re.IGNORECASE)
# Supportive care given for a toxicity is not the therapy under study
_SUPPORTIVE_CARE = re.compile(r"\b(?:tocilizumab|siltuximab|anakinra|(?:cortico)?steroids?|dexamethasone|methylprednisolone"
                              r"|antibiotics?|transfusions?|G-CSF|immunoglobulins?|IVIG|vasopressors?|oxygen)\b", re.IGNORECASE)
# A passive verb of measurement (or an analysis "performed") whose object is the count that follows
# (data "collected for" or "available for" a cohort may be the whole study, and are left to the design rules)
_EVALUATION_CLAUSE = re.compile(
    r"\b(?:(?:were|was|been)\s+(?:assessed|measured|evaluated|analy[sz]ed|determined|quantified|tested|examined)"
    r"|(?:analys[ie]s|assessments?|evaluations?|measurements?|follow-up|imaging|testing|data)\s+(?:(?:was|were)\s+)?"
    r"(?:performed|conducted|done|completed))\s+(?:[\w()-]+\s+){0,3}?$", re.IGNORECASE)
_DESCRIBED_DENOMINATOR = re.compile(rf"\s*of\s+(?:the\s+|all\s+|these\s+|those\s+)?(?:\d[\d,]*\s+)?(?:[\w-]+\s+){{0,2}}?"
                                   rf"{PATIENT_NOUN}\s+(?:with|who\s+(?:had|achieved|were\s+in|reached)|in)\s+(?:an?\s+|the\s+)?$",
                                   re.IGNORECASE)
# "in 79% of the 42 patients with a CR": the count after a share is its denominator, not a count of its own
_SHARE_OF_BEFORE = re.compile(r"\d\s*%\s*of\s+(?:the\s+|all\s+|these\s+|those\s+)?$")
# "MRD negativity was confirmed in 33 patients, …, and in 79% of …": the clause repeats the verb before it
_REPEATED_PREPOSITION = re.compile(r"\s*,\s*and\s+(?:in|among)\s+", re.IGNORECASE)
_OF_THE_BEFORE = re.compile(r"(?:^|[,;:]\s*)\s*(?:[Oo]f|[Aa]mong)\s+(?:the\s+|all\s+|these\s+)?$")


_RELATIVE = re.compile(rf"\s*(?:[\w-]+\s+)?(?:{PATIENT_NOUN}\s+)?who\s+$", re.IGNORECASE)
_OPENS_BEFORE_NAME = re.compile(r"\s*\(\s*")
_CLOSES_AFTER_NAME = re.compile(r"\s*(?:rates?\s*)?\)", re.IGNORECASE)
_SCREENED_AFTER = re.compile(r"\s+(?:were|was)\s+(?:(?:assessed|evaluated|screened)\s+for\s+eligibility|screened)\b",
                             re.IGNORECASE)
_OWN_AUXILIARY = re.compile(r"\s+(?:were|was|had\s+been|have\s+been)\s+(?:\w+ly\s+)?", re.IGNORECASE)
_AUXILIARY_BEFORE = re.compile(r"\b(?:were|was|had\s+been|have\s+been)\s+(?:\w+\s+)?$", re.IGNORECASE)


def _main_verb_past_a_relative_clause(sentence: str, value: ValueMention, endpoints: list[EndpointMention],
                                      clause_end: int) -> EndpointMention | None:
    """"1,242 women who received drug A and 924 who received placebo were evaluable for safety": the relative
    clause names the group; the count's own verb comes after it (guideline v2.2)."""
    if value.kind not in COUNT_KINDS:
        return None
    after = [e for e in within(endpoints, value.end, min(clause_end, value.end + 200)) if e.code in COUNT_ENDPOINTS]
    if len(after) < 2 or not _RELATIVE.match(sentence, value.end, after[0].start):
        return None
    main = next((e for e in after[1:] if _AUXILIARY_BEFORE.search(sentence, max(0, e.start - 25), e.start)), None)
    if main is not None and "," in sentence[after[0].end:main.start]:
        return None  # "Of 189 patients who underwent leukapheresis, 168 were infused": the relative clause counts them
    return main if main is not None and compatible(main, value) else None


# ("in 2733 men and 897 women": the second of two coordinated counts has the first one's preposition; the "of" of
# "A total of" is none: "A total of 63 patients completed the study" counts completers, not the study population)
_POPULATION_PREPOSITION = re.compile(r"\b(?:in|(?<!total\s)of|involving|including|enrolling|among|for"
                                     r"|(?<=done\s)with|(?<=conducted\s)with|(?<=performed\s)with)\s+(?:a\s+total\s+of\s+)?"
                                     # "in 52 and 50 adults", "in 40 (20%) and 45 (22%) adults": a second count
                                     # coordinated with the first shares its preposition
                                     r"(?:\d[\d,]*\s+(?:\([^()]{1,12}\)\s+)?(?:[\w-]+\s+){0,2}?and\s+)?$",
                                     re.IGNORECASE)
_ANALYSIS_EVALUATED = re.compile(r"\banalys[ie]s\s+(?:evaluated|assessed|examined|included)\b", re.IGNORECASE)
_DESIGN_VERB = re.compile(r"\b(?:compared|assessed|evaluated|studied|examined|analy[sz]ed|investigated|measured)\b",
                          re.IGNORECASE)
# "Participants: 401 primary care patients aged 29-95 with …" (no verb): the study population (guideline v2.1)
_HEADS_A_VERBLESS_SENTENCE = re.compile(r"\s*(?:[A-Z][A-Za-z ,]{2,40}:\s*)?(?:(?:A\s+total\s+of|In\s+total,?)\s+)?")
_POPULATION_HEADING = re.compile(r"\s*(?i:(?:study\s+|setting\s+and\s+)?(?:participants|patients|subjects|population|sample))"
                                 r"\s*:\s*(?:(?:A\s+total\s+of|In\s+total,?)\s+)?")
_VERB_AFTER_A_COUNT = re.compile(
    r"\b(?:were|was|is|are|had|has|have|been|did|could|would|withdrew|began|became|went|died|gave|took|left|met|showed"
    r"|underwent)\b"
    # a past tense: "discontinued", "responded" ("aged 29-95", "uncontrolled", "with untreated X" describe)
    r"|(?<!\bwith\s)(?<!\bwithout\s)(?<!\bof\s)\b(?!aged\b|un)[a-z]{3,}ed\b", re.IGNORECASE)


_PARTICIPLE = re.compile(r"(?:infused|treated|randomi[sz]ed|enrolled|allocated|assigned|recruited)$", re.IGNORECASE)


def _participle_after_count(sentence: str, value: ValueMention, endpoints: list[EndpointMention],
                            clause_end: int) -> EndpointMention | None:
    """"We analysed outcomes of 475 patients infused with axi-cel": a participle right after the counted noun says who
    they are when no verb of their own follows ("… infused with X were evaluable" is counted by "were evaluable")."""
    if value.kind != "count":
        return None
    after = [e for e in within(endpoints, value.end, min(clause_end, value.end + 200)) if e.code in COUNT_ENDPOINTS]
    if not after or after[0].start - value.end > 1 or not _PARTICIPLE.fullmatch(after[0].label):
        return None
    if any(_AUXILIARY_BEFORE.search(sentence, max(0, e.start - 25), e.start) for e in after[1:]):
        return None
    before = [e for e in within(endpoints, max(0, value.start - 40), value.start) if e.code in COUNT_ENDPOINTS]
    if (before and _VERB_RIGHT_BEFORE.fullmatch(sentence, before[-1].end, value.start)
            and not before[-1].label.lower().startswith("compris")):
        return None  # "we enrolled 120 patients treated with X": the verb before counts them ("comprised" only lists)
    return after[0]


def _has_a_verb(sentence: str, start: int) -> bool:
    return _VERB_AFTER_A_COUNT.search(sentence, start) is not None
_DESIGN = re.compile(r"\b(?:stud(?:y|ied)|trial|compar(?:e|ed|ing)|randomi[sz](?:ed|ation)|evaluat(?:e|ed|ing)|assess(?:ed)?|investigat\w*"
                     r"|examin(?:e|ed)|conducted)\b", re.IGNORECASE)


_WHO_RECEIVED = re.compile(r"[^.;]{0,60}?\bwho\b[^.;]{0,80}?\b(?:received|were\s+(?:treated|infused|given)|underwent)\b",
                           re.IGNORECASE)


def _given_to(sentence: str, value: ValueMention, endpoints: list[EndpointMention]) -> bool:
    """"Drug A was administered to 40 adults", "lithium was started in 23": the count is who was given the therapy."""
    given = _GIVEN_BEFORE.search(sentence, max(0, value.start - 80), value.start)
    return given is not None and not _SUPPORTIVE_CARE.search(sentence, max(0, given.start() - 60), given.end()) and not any(
        e.code not in COUNT_ENDPOINTS and e.code != "OTHER" for e in within(endpoints, given.start() - 60, value.start))


def _evaluated_in(sentence: str, preposition: re.Match | None) -> bool:
    """"Serum levels were measured in 52 adults", "an analysis performed in 58": the count is who was evaluated."""
    return preposition is not None and _EVALUATION_CLAUSE.search(
        sentence, max(0, preposition.start() - 60), preposition.start()) is not None and not _TREATMENT_JUDGED.search(
        sentence, max(0, preposition.start() - 120), preposition.start())


def _given_or_evaluated(sentence: str, value: ValueMention, endpoints: list[EndpointMention]) -> EndpointMention | None:
    if _given_to(sentence, value, endpoints):
        return EndpointMention("N_TREATED", value.start, value.start, "study population")
    if _evaluated_in(sentence, _POPULATION_PREPOSITION.search(sentence, max(0, value.start - 50), value.start)):
        return EndpointMention("N_EVALUABLE", value.start, value.start, "study population")
    return None


def _study_population(sentence: str, value: ValueMention, endpoints: list[EndpointMention],
                      clause_start: int) -> EndpointMention | None:
    """"To compare, in 305 patients with melanoma, A and B", "a trial … in 436 patients with melanoma": a head
    count in a sentence about the design, with no outcome before it, is the study population (guideline v2.1)."""
    if value.kind == "count_pct":
        return _given_or_evaluated(sentence, value, endpoints)  # "measured in 290 (96%) adults": a share of the study
    if value.kind != "count":
        return None
    if any(e.code not in COUNT_ENDPOINTS and e.code != "OTHER" for e in within(endpoints, value.start, value.end)):
        return None  # "Two deaths were attributed to treatment": the counted noun is an outcome
    if _POPULATION_HEADING.fullmatch(sentence, 0, value.start) and not any(
            e.code in COUNT_ENDPOINTS for e in within(endpoints, value.end, value.end + _REACH)):
        # "PARTICIPANTS: 443 women admitted for delivery and followed for a month": the heading says what is counted
        return EndpointMention("N_ENROLLED", value.start, value.start, "study population")
    if _HEADS_A_VERBLESS_SENTENCE.fullmatch(sentence, 0, value.start) and not _has_a_verb(sentence, value.end):
        return EndpointMention("N_ENROLLED", value.start, value.start, "study population")  # "401 primary care patients aged …"
    own_verb = next((e for e in within(endpoints, value.end, value.end + 40) if e.code in COUNT_ENDPOINTS), None)
    if own_verb is not None and (_OWN_AUXILIARY.fullmatch(sentence, value.end, own_verb.start) or (
            not sentence[value.end:own_verb.start].strip() and own_verb.label.lower().startswith(("received", "underwent")))):
        return None  # "Radiographs of 112 patients were assessed", "2484 neonates received": the count's own verb decides
    if _given_to(sentence, value, endpoints):
        return EndpointMention("N_TREATED", value.start, value.start, "study population")
    preposition = _POPULATION_PREPOSITION.search(sentence, max(0, value.start - 50), value.start)
    evaluated = _evaluated_in(sentence, preposition)
    if preposition is None or (preposition.group(0).lower().startswith("for") and not evaluated
                               and not _DESIGN_VERB.search(sentence, max(0, preposition.start() - 20), preposition.start())):
        return None  # "compared for 492 men" counts the study; "reported for 33 patients" a subgroup
    outcomes_before = [e for e in within(endpoints, clause_start, value.start) if e.code not in COUNT_ENDPOINTS and e.code != "OTHER"]
    if outcomes_before and (evaluated or _DESIGN_VERB.search(sentence, outcomes_before[-1].end, value.start)):
        outcomes_before = []  # "Mortality was compared for 492 men": the outcome is the study's subject
    if not (evaluated or _DESIGN.search(sentence, max(0, value.start - 200), value.end + 200)) or outcomes_before:
        return None
    if any(e.code not in COUNT_ENDPOINTS and e.code not in ("OTHER", "FOLLOW_UP") and _LINK_TO_NEXT.match(sentence[value.end:e.start])
           for e in within(endpoints, value.end, value.end + 60)):
        return None  # "in 12 patients who achieved CR": the count of an outcome
    treated = _WHO_RECEIVED.match(sentence[value.end:value.end + 160])
    code = "N_TREATED" if treated else "N_ENROLLED"  # "among 343 patients … who received ide-cel" (v2.2)
    if _ANALYSIS_EVALUATED.search(sentence, max(0, value.start - 120), value.start):
        code = "N_EVALUABLE"  # "A sub-group analysis evaluated the options among 583 women": an analysis set (v2.2)
    if evaluated or (_MEASURED_BEFORE.search(sentence, max(0, preposition.start() - 60), preposition.start())
                     and not _TREATMENT_JUDGED.search(sentence, max(0, preposition.start() - 120), preposition.start())):
        code = "N_EVALUABLE"  # "HVPG was assessed in 11 patients", "measured in tumours from 149 patients": evaluated
    return EndpointMention(code, value.start, value.start, "study population")


_PARENTHETICAL = re.compile(r"\([^()]{0,120}\)")
_NEW_NOUN_BEFORE_PARENTHESIS = re.compile(
    r"(?:,|\band\b|\bor\b)\s+(?:the\s+|all\s+|a\s+)?(?!(?:in|at|of|for|with|was|were|is|are|respectively|the|more|less"
    r"|higher|lower|greater|older|younger|better|worse|fewer|above|below)\b)"
    r"[a-z][\w-]+[^,;()]{0,40}\([^()]*$", re.IGNORECASE)
def _in_an_aside_after(gap_previous: str, gap_following: str) -> bool:
    """"CRS in 80% (grade ≥3, 3%) and ICANS in 28%": a figure inside a parenthesis opened after the endpoint before
    it, and closed before the next one, breaks down the figure before it."""
    opening = gap_previous.rfind("(")
    return opening != -1 and ")" not in gap_previous[opening:] and ")" in gap_following and "(" not in gap_following


_SAME_PARENTHESIS = re.compile(r"[^()]{0,25}")


def _in_one_parenthesis(sentence: str, previous: EndpointMention, value: ValueMention) -> bool:
    """"(CR alone, 60%)": the endpoint and the figure right after it inside one parenthesis."""
    if not _SAME_PARENTHESIS.fullmatch(sentence, previous.end, value.start):
        return False
    opening = sentence.rfind("(", max(0, previous.start - 40), previous.start + 1)
    return opening != -1 and ")" not in sentence[opening:previous.start]
_FINITE_VERB = re.compile(r"\b(?:were|was|had|have|received|underwent|entered|went|participated)\b", re.IGNORECASE)
_SEX_SPLIT = re.compile(r"\b(?:male|female|males|females)\b", re.IGNORECASE)
_ANOTHER_MEDIAN_TIME = re.compile(r"\band\s+(?!follow)(?:[\w-]+\s+){1,4}(?:at|after)\s+(?:a\s+)?(?:median|mean)\b[^;]*$",
                                  re.IGNORECASE)
_COMPOSITE_INSIDE = re.compile(r",|\bor\b|\band\b")  # "hazard ratio for progression, relapse, or death": a composite
_HR_NAMED = {"OS", "PFS", "EFS", "LFS", "DOR", "MORTALITY", "RELAPSE", "NRM"}
_RATE_OF_BEFORE = re.compile(r"[\s-]*(?:cumulative\s+)?(?:incidences?|rates?|probabilit(?:y|ies)|risks?|estimates?)\s+of\s+"
                             r"(?:[\w-]+\s+){0,2}", re.IGNORECASE)
_NEXT_CLAUSE = re.compile(r"[;]|,\s*(?:and|but|whereas|while)\b")  # "8%, and by 12 months it was 21%": the next clause's
_RIGHT_BEFORE_A_VALUE = re.compile(r"\s*,?\s*(?:(?:was|were|of|reached)\s+)?")
_RIGHT_AFTER_A_VALUE = re.compile(r"\s*(?:[(\[][^()\[\]]{0,50}[)\]]\s*)?,?\s*")
_REACH = 250  # characters between a value and the endpoint it reports, at most
_MEDIAN_NEAR = re.compile(r"\bmedian\b", re.IGNORECASE)


def _event_of_subject(sentence: str, value: ValueMention, endpoints: list[EndpointMention],
                      clause_end: int) -> EndpointMention | None:
    """"Two treated patients died": a counted population that is the subject of an event reports the event."""
    event = next(iter(within(endpoints, value.end, min(clause_end, value.end + 60))), None)
    if event is None or event.code in COUNT_ENDPOINTS or event.code == "OTHER" or not compatible(event, value):
        return None
    gap = sentence[value.end:event.start]
    return event if len(gap) <= 40 and "," not in gap and _LINK_TO_NEXT.match(gap) else None


# "With 18.2 months of median (on-study) follow-up": the duration comes first, the median follow-up names it
_MEDIAN_FOLLOW_UP_AFTER = re.compile(r"\s+of\s+(?:a\s+)?median\s+(?:[\w-]+\s+){0,2}?$", re.IGNORECASE)


def _follow_up_named_after(sentence: str, value: ValueMention,
                           endpoints: list[EndpointMention]) -> EndpointMention | None:
    """"After 13 months of median follow-up": a duration the median follow-up right after it is the length of."""
    if value.kind != "duration":
        return None
    named = next(iter(within(endpoints, value.end, value.end + 40)), None)
    if named is None or named.code != "FOLLOW_UP" or not compatible(named, value):
        return None
    return named if _MEDIAN_FOLLOW_UP_AFTER.fullmatch(sentence, value.end, named.start) else None


_VERB_RIGHT_BEFORE = re.compile(r"\s*(?:a\s+total\s+of\s+)?$", re.IGNORECASE)
_VERB_RIGHT_AFTER = re.compile(r"\s*(?:were|was|had\s+been|have\s+been)\s+$", re.IGNORECASE)


def _population_verb(sentence: str, value: ValueMention, endpoints: list[EndpointMention]) -> EndpointMention | None:
    """"enrolled 106 evaluable patients", "65 evaluable patients were enrolled": the verb says what the count is."""
    for endpoint in endpoints:
        if endpoint.code not in COUNT_ENDPOINTS:
            continue
        if endpoint.end <= value.start and _VERB_RIGHT_BEFORE.fullmatch(sentence, endpoint.end, value.start):
            return endpoint
        if endpoint.start >= value.end and _VERB_RIGHT_AFTER.fullmatch(sentence, value.end, endpoint.start):
            return endpoint
    return None


def compatible(endpoint: EndpointMention, value: ValueMention) -> bool:
    """Whether this kind of number can report this endpoint (a follow-up is a duration, not a %)."""
    code = endpoint.code
    if code == "FOLLOW_UP":
        return value.kind == "duration" and value.unit in ("months", "years", "days", "weeks")
    if code in COUNT_ENDPOINTS:
        # "168 (89%) were infused", "278 (59.4%) of the 468 were enrolled": the count, its share aside (v2.1)
        # ("13 of 15 evaluable patients achieved CR" is a CR rate: an adjective does not count a proportion)
        return value.kind in COUNT_KINDS or (value.kind in ("count_pct", "frac_pct", "frac") and value.count is not None
                                             and (endpoint.label.lower() not in ("evaluable", "assessable")
                                                  or value.kind == "count_pct"))
    if value.kind == "duration":
        return code in _TIME_ENDPOINTS and value.unit in ("months", "years", "days", "weeks")
    if value.kind == "nr":
        return code in _TIME_ENDPOINTS
    if value.kind == "hr":
        return code in _TIME_ENDPOINTS or code in ("MORTALITY", "NRM", "RELAPSE")
    if value.kind in COUNT_KINDS and code in _SURVIVAL_ENDPOINTS:
        return False  # "median OS in 275 patients allocated EOC was 11.3 months": a survival figure's group size
    return True


# "higher 30-day (10.8% versus 1.5%, P=0.027) and long-term (17.2% versus 4.5%) cardiac mortalities": figures in
# parentheses after the modifiers of a noun that comes last
_MODIFIED_ITEM = re.compile(r"(?P<modifier>\b[\w-]+)\s*\((?P<inside>[^()]{1,80})\)\s*(?:(?:,\s*)?(?:and|or)\s+|,\s*)?$")
_CHANGE_BEFORE = re.compile(r"\b(?:reduc|decreas|increas|differen|improv|declin|lowered|risk\s+ratio|odds)", re.IGNORECASE)
_DAYS_MODIFIER = re.compile(r"(?P<n>\d+)-(?P<unit>day|week|month|year)s?", re.IGNORECASE)
_MONTHS_IN = {"day": 1 / 30.4375, "week": 7 / 30.4375, "month": 1.0, "year": 12.0}


_POPULATION_BEFORE_PARENTHESIS = re.compile(rf"\b(?:{PATIENT_NOUN}|(?i:sample))\s*[(\[]\s*$")


def counted_in_parenthesis(sentence: str, value: ValueMention) -> EndpointMention | None:
    """"median follow-up in all patients (N = 78) was …": an "N =" after the patients it counts, with no verb of
    its own, is the study population (guideline v2.1)."""
    if value.kind == "n_eq" and _POPULATION_BEFORE_PARENTHESIS.search(sentence, max(0, value.start - 40), value.start):
        return EndpointMention("N_ENROLLED", value.start, value.start, "study population")
    return None


def modified_figures(sentence: str, values: list[ValueMention], endpoints: list[EndpointMention]) -> dict:
    """Figures in parentheses after two or more coordinated modifiers of the endpoint that follows them, each with
    the time point its modifier names ("30-day"); value -> (endpoint, time point)."""
    links = {}
    for endpoint in endpoints:
        if endpoint.code in COUNT_ENDPOINTS or endpoint.code == "OTHER" or "(" not in sentence[max(0, endpoint.start - 200):endpoint.start]:
            continue
        items, position = [], endpoint.start
        while (item := _MODIFIED_ITEM.search(sentence, max(0, position - 120), position)) is not None and len(items) < 6:
            if not items and re.search(r"\b(?:and|or)\s*$|,\s*$", item.group(0)):
                break  # the last modifier comes right before the noun
            items.append(item)
            position = item.start()
        if len(items) < 2 or _CHANGE_BEFORE.search(sentence, max(0, items[-1].start() - 60), items[-1].start()):
            continue  # "reductions in the risk of invasive (40%) and non-invasive (35%) recurrence": changes
        for item in items:
            days = _DAYS_MODIFIER.fullmatch(item.group("modifier"))
            timepoint = Timepoint(item.start("modifier"), item.end("modifier"), item.group("modifier"),
                                  (round(int(days.group("n")) * _MONTHS_IN[days.group("unit").lower()], 4),)) if days else None
            for value in within(values, item.start("inside"), item.end("inside")):
                if value.kind in ("pct", "frac_pct", "pct_frac", "k_pct", "count_pct", "frac") and compatible(endpoint, value):
                    links[value] = (endpoint, timepoint)
    return links


def pair_coordinated(sentence: str, values: list[ValueMention], endpoints: list[EndpointMention],
                      timepoints: list[Timepoint], clauses: list[tuple[int, int]]) -> dict:
    """Lists that pair in order: "ORR and CR were 87.5% and 62.5%", "1- and 2-year OS were 80% and 70%",
    "60% and 32% of overall and event-free survival", and arm-by-endpoint matrices before "respectively"."""
    links = {}
    for clause_start, clause_end in _pairing_spans(sentence, clauses, endpoints):
        in_clause = [v for v in within(values, clause_start, clause_end) if v.kind in _LIST_KINDS]
        # "At a median follow-up of 533 days, PFS and OS were 36% and 94%": a list holds one kind of figure
        in_clause = [v for v in in_clause if in_clause and (v.unit == "%") == (in_clause[-1].unit == "%")]
        if len(in_clause) < 2:
            continue
        # "PFS and OS for all evaluable patients were 36% and 94%": a population word is not in the list
        named = [e for e in within(endpoints, clause_start, in_clause[0].start) if e.code not in COUNT_ENDPOINTS]
        listed = _trailing_list(sentence, named)
        if not listed:  # values first: "60% and 32% of overall and event-free survival rates"
            after = within(endpoints, in_clause[-1].end, clause_end)
            if after and _VALUES_THEN_LIST.match(sentence, in_clause[-1].end, after[0].start):
                listed = _leading_list(sentence, after)
        if listed and len(in_clause) % len(listed):
            in_clause = _complete_rows(sentence, in_clause, len(listed))
        if not listed or len(in_clause) % len(listed):
            # "CR was 81%, and the rates of EFS and OS at 12 months were 50% and 76%": the list after a value
            before_last = within(endpoints, clause_start, in_clause[-1].start)
            last = before_last[-1] if before_last else None
            later_values = [v for v in in_clause if last is not None and v.start >= last.end]
            later_list = _trailing_list(sentence, before_last)
            if later_list and len(later_values) >= 2 and len(later_values) % len(later_list) == 0:
                listed, in_clause = later_list, later_values
        spread = _over_time_points(listed, in_clause, timepoints, clause_start) if listed else None
        if spread is not None:
            # "PFS and OS at 6 and 12 months were 39% and 32%, and 74% and 69%": each endpoint over the time points
            for endpoint, value, timepoint in spread:
                if compatible(endpoint, value):
                    links[value] = (endpoint, timepoint)
            continue
        if listed and len(in_clause) % len(listed) == 0:
            values_first = listed[0].start > in_clause[-1].end  # the timepoint follows the whole list
            # "at 24 months, OS, EFS and relapse were …", "the 5-year DFS and OS were …": one time point for the list
            shared = None if values_first else (timepoint_for(in_clause[0], listed[0], timepoints)
                                                or _heading_timepoint(listed[0], endpoints, timepoints, clause_start))
            for endpoint, value in zip(_matrix_order(sentence, listed, in_clause), in_clause):
                if compatible(endpoint, value):
                    timepoint = timepoint_for(value, listed[-1] if values_first else endpoint, timepoints)
                    if shared is not None and (timepoint is None or timepoint.start < listed[0].start):
                        timepoint = shared
                    links[value] = (endpoint, timepoint)
            continue
        # "1-, 3- and 5-year OS were a, b and c" (for arm A "and d, e and f for arm B"): timepoints in order, per arm
        next_named = next((e.start for e in within(endpoints, in_clause[0].end, clause_end)), clause_end)
        series = [v for v in in_clause if v.start < next_named]  # another endpoint starts another list
        multi = [t for t in within(timepoints, clause_start, series[0].start)
                 if len(t.months) > 1 and len(series) % len(t.months) == 0]
        if multi and named:
            cycle = multi[-1].months * (len(series) // len(multi[-1].months))
            for months, value in zip(cycle, series):
                links[value] = (named[-1], Timepoint(multi[-1].start, multi[-1].end, multi[-1].text, (months,)))
    return links


def _complete_rows(sentence: str, values: list[ValueMention], width: int) -> list[ValueMention]:
    """"ORR and CR were 90% and 70%, compared with 40% and 20% in B, and 45% of C patients responded": the list
    ends with its last full row, before a ", and" that opens a statement of its own."""
    for end in range(len(values) - 1, width - 1, -1):
        if end % width == 0 and _AND_OPENS.match(sentence[values[end - 1].end:values[end].start]):
            return values[:end]
    return values


_AND_OPENS = re.compile(r"[^,;]*,\s+and\s+(?:[\w-]+\s+){0,3}$", re.IGNORECASE)
_VALUES_THEN_LIST = re.compile(r"\s*(?:\([^)]*\)\s*)?(?:of|for|in)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?$", re.IGNORECASE)


def _pairing_spans(sentence: str, clauses: list[tuple[int, int]],
                   endpoints: list[EndpointMention]) -> list[tuple[int, int]]:
    """The clauses, or with "respectively" the whole stretch up to it: a matrix spans ", and" breaks.
    Values may also follow it ("ORR and CR were, respectively, 72% and 41%"), up to the next endpoint or ";"."""
    match = _RESPECTIVELY.search(sentence)
    if match is None:
        return clauses
    stop = next((e.start for e in endpoints if e.start >= match.end()), len(sentence))
    semicolon = sentence.find(";", match.end(), stop)
    stop = semicolon if semicolon != -1 else stop
    return [(0, stop)] + [c for c in clauses if c[0] >= stop]


def _over_time_points(listed: list[EndpointMention], values: list[ValueMention], timepoints: list[Timepoint],
                      clause_start: int):
    """An endpoint list and a time-point list before k x m values: endpoint by endpoint, each over the time points."""
    lists = [t for t in within(timepoints, clause_start, values[0].start) if len(t.months) > 1]
    if not lists or len(listed) < 2 or len(values) != len(listed) * len(lists[-1].months):
        return None
    points = lists[-1]
    per = len(points.months)
    return [(listed[i // per], value, Timepoint(points.start, points.end, points.text, (points.months[i % per],)))
            for i, value in enumerate(values)]


def _heading_timepoint(first: EndpointMention, endpoints: list[EndpointMention], timepoints: list[Timepoint],
                       clause_start: int) -> Timepoint | None:
    """"the 36-month estimates (95% CI) for DOR and for EFS, PFS and OS were …": the last time point before the
    list in its clause, when no other endpoint stands between them."""
    before = [t for t in timepoints if clause_start <= t.end <= first.start and len(t.months) == 1]
    if not before or any(before[-1].end <= e.start < first.start for e in endpoints):
        return None
    return before[-1]


def _matrix_order(sentence: str, listed: list[EndpointMention], values: list[ValueMention]) -> list[EndpointMention]:
    """The endpoint of each value: one each in order, or for k values per endpoint, arm-major
    ("ORR and CR were 45% and 20% in arm A and 30% and 10% in arm B") unless the first two values are
    compared ("PFS and OS were 10 vs 5 and 20 vs 15 months"), then endpoint-major."""
    per = len(values) // len(listed)
    if per == 1:
        return listed
    compared = re.search(r"\b(?:vs|versus|compared\s+with)\b", sentence[values[0].end:values[1].start], re.IGNORECASE)
    # "DFS and OS were 67% and 75% (P = 0.3), and 72% and 82% (P = 0.2), respectively in A and B": a p-value
    # closes each pair, so each pair compares the groups on one endpoint
    # (and "OS and DSS were a, b, c and d (P<0.001), and e, f, g and h": a p-value closes each endpoint's chunk)
    tested_pairs = (len(values) > per and not _P_VALUE.search(sentence, values[0].end, values[per - 1].start)
                    and _P_VALUE.search(sentence, values[per - 1].end, values[per].start))
    if compared or tested_pairs:
        return [e for e in listed for _ in range(per)]
    return listed * per


_P_VALUE = re.compile(r"\b[Pp]\s*(?:[<>=≤≥]|value)")


def _leading_list(sentence: str, named: list[EndpointMention]) -> list[EndpointMention]:
    """The endpoints that start `named` and are joined only by "and", commas or slashes."""
    listed = [named[0]]
    for later in named[1:]:
        if not _COORDINATION.match(sentence[listed[-1].end:later.start]):
            break
        listed.append(later)
    return listed if len(listed) > 1 else []


def list_ending_with(sentence: str, endpoints: list[EndpointMention], last: EndpointMention) -> list[EndpointMention]:
    """The coordinated endpoints ("PFS and OS", "PFS, DOR and OS") that end with `last`, one per code; [] if none."""
    named = [e for e in endpoints[max(0, endpoints.index(last) - 8):endpoints.index(last) + 1]
             if e.code not in COUNT_ENDPOINTS] if last in endpoints else []
    listed, seen = [], set()
    for endpoint in _trailing_list(sentence, named):
        if endpoint.code not in seen:
            listed.append(endpoint)
            seen.add(endpoint.code)
    return listed if len(listed) > 1 else []


def _trailing_list(sentence: str, named: list[EndpointMention]) -> list[EndpointMention]:
    """The endpoints that end `named` and are joined only by "and", commas or slashes."""
    if not named:
        return []
    listed = [named[-1]]  # built backwards, then turned round
    for earlier in reversed(named[:-1]):
        if not _COORDINATION.match(sentence[earlier.end:listed[-1].start]):
            break
        listed.append(earlier)
    return listed[::-1] if len(listed) > 1 else []


def timepoint_for(value: ValueMention, endpoint: EndpointMention, timepoints: list[Timepoint],
                  sentence: str | None = None) -> Timepoint | None:
    """The timepoint written just before the endpoint, between it and the value, or just after the value.

    With the `sentence`, a time point written right after the value (past its CI) is the value's own: "PFS was 69%
    (95% CI, 61-75) at 6 months and 59% (95% CI, 51-66) at 12 months"."""
    if endpoint.code in ("FOLLOW_UP",) or value.kind in ("duration", "nr"):
        return None
    if sentence is not None and endpoint.end <= value.start:
        own = next((t for t in within(timepoints, value.end, value.end + 60) if len(t.months) == 1), None)
        if own is not None and _RIGHT_AFTER_A_VALUE.fullmatch(sentence, value.end, own.start):
            return own
        # "PFS at 6 months was 59% (95% CI 47-69) and at 12 months 44%": the time point right before the value
        own = next((t for t in reversed(within(timepoints, max(0, value.start - 30), value.start)) if len(t.months) == 1
                    and endpoint.end <= t.start), None)
        if own is not None and _RIGHT_BEFORE_A_VALUE.fullmatch(sentence, own.end, value.start):
            return own
    low, high = min(endpoint.start, value.start), max(endpoint.end, value.end)
    inside = [t for t in within(timepoints, max(low - 16, high - 2 * _REACH), high) if len(t.months) == 1]
    if inside:
        return min(inside, key=lambda t: abs(t.end - endpoint.start) if t.end <= endpoint.start + 1
                   else abs(t.start - endpoint.end))
    if sentence is not None:
        # "the 5-year cumulative incidence of TRM were 18.8% and 9.9%": the time point of the rate's noun
        before = next((t for t in within(timepoints, max(0, endpoint.start - 48), endpoint.start) if len(t.months) == 1
                       and _RATE_OF_BEFORE.fullmatch(sentence, t.end, endpoint.start)), None)
        if before is not None:
            return before
    after = [t for t in within(timepoints, high, high + 26) if len(t.months) == 1
             and not (sentence is not None and _NEXT_CLAUSE.search(sentence, high, t.start))]
    return after[0] if after else None

