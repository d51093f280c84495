"""Outcome metrics from clinical text: which endpoint, group and denominator each reported number belongs to.

Pure and cheap (compiled regexes over sentence text, no tokeniser). Each sentence is read in two steps:

1. candidates: what is never an outcome value is blanked out (CI levels, ranges, p-values, ages, doses,
   years, grades; `values.find_masks`), then the value expressions (`values.find_values`), the endpoint
   mentions (`endpoints.find_endpoints`), the time points and CIs, the groups a figure can belong to
   (`groups`), the head counts of arms and cohorts (`populations`) and the events stated as absent
   (`zero_events`) are found;
2. linking: arm and cohort sizes take their numbers first; the remaining values are linked to an
   endpoint by coordinated lists and "respectively" alignment, then by the nearest endpoint of their
   clause (`linking`); each metric then takes its group (a list of groups distributed over a list of
   values, a group named next to the value, or the group heading the sentence), a denominator carried
   from a population stated before it ("Among the 52 patients infused, the ORR was 83%"), its CI and
   the composite its endpoint names. Counts split by group right after them ("508 deaths (248 in A and
   260 in B)") are read when the parts add up, and zero events become rates of 0 % with `negated`.

Every metric keeps the character offsets of the words it was read from, and its sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace

from litmus.nlp.anaphora import (
    endpoint_after_its_verb, endpoint_before_a_colon, endpoint_referred_to, reached_together,
)
from litmus.nlp.definitions import with_defined_endpoints
from litmus.nlp.dose_levels import dose_level_sizes
from litmus.nlp.endpoints import EndpointMention, TextContext, find_endpoints, regrade, text_context
from litmus.nlp.groups import compared_groups, group_after, group_before, group_list_after, leading_group, tidy_label
from litmus.nlp.linking import (
    COUNT_ENDPOINTS, COUNT_KINDS, clause_spans, counted_in_parenthesis, link_endpoint, list_ending_with, modified_figures,
    pair_coordinated,
    timepoint_for, within,
)
from litmus.nlp.numbers import digitise_number_words, normalise_text, parse_number, snap_to_words
from litmus.nlp.populations import (
    POPULATION_CODES, GroupCount, breakdown_of_count, sizes_before_a_shared_noun, sizes_coordinated, sizes_in_parentheses,
    sizes_given, sizes_listed_in_parenthesis, sizes_named_by_a_participle, sizes_of_named_groups, sizes_per_group,
    sizes_sent_to_arms,
)
from litmus.nlp.sentences import split_sentences
from litmus.nlp.values import (
    NUM, NUM_BODY, PATIENT_NOUN, Interval, Timepoint, ValueMention, find_masks, find_values, may_state_a_value,
)
from litmus.nlp.respectively import subjects_respectively
from litmus.nlp.timepoints import carried_over, heading_interval
from litmus.nlp.toxicity_parts import (
    denominator_of_an_absence, elided_high_grade_zeros, graded_counts, graded_respectively, neither_nor_zeros,
    without_partial_grades,
)
from litmus.nlp.value_pairs import joined_figures, without_endpoints_inside
from litmus.nlp.zero_events import ZERO_EVENT_ENDPOINTS, ZeroEvent, find_zero_events
from litmus.records import OutcomeMetric

# "two partial responses (PR)", "3 deaths": a number counting the endpoint named right after it.
_COUNTED_BEFORE = re.compile(rf"(?<![\w.\-/^])(?P<k>\d+)\s+(?:(?:further|more|additional|other|durable|confirmed"
                             r"|early|late|new|total|long-lasting|lasting|sustained|ongoing)\s+)?"
                             # "one reached CR and one a VGPR", "four had SD, two a PR": the verb, or only the article
                             # of a list that shares it
                             r"(?:(?:had|reached|achieved|attained|obtained)\s+)?(?:(?:a|an)\s+)?$")
_COUNTED_HINT = re.compile(r"\d\s+(?:[a-z]+\s+)?(?:complete|partial|stable|progressive|objective|overall|CRs?\b|PRs?\b"
                           r"|SD\b|PD\b|responses?|remissions?|deaths?|relapses?|treatment-related)", re.IGNORECASE)
_SHARED_NOUN_HINT = re.compile(r"\d\s+[A-Za-z][\w®+/.-]*(?:\s+[A-Za-z][\w®+/.-]*)?\s*,?\s*(?:and|or|versus|vs)\b")
_NAMED_GROUPS_HINT = re.compile(r"\(\s*\d+\s*\)\s*,?\s*(?:or|and|vs|versus)\b|\b(?:group|arm|cohort)\s*[,;]?\s*(?:and|versus|vs)?\s",
                                re.IGNORECASE)
_GIVEN_HINT = re.compile(r"\)\s+(?:given|receiving|treated|who)\b|\b(?:given|administered|infused)\s+to\s+\d", re.IGNORECASE)
_PARTICIPLE_HINT = re.compile(r"(?:randomi[sz]ed|assigned|allocated)\s+to\b", re.IGNORECASE)
_LISTED_HINT = re.compile(r"\(\s*\d[\d,]*\s+[A-Za-z]")  # "(609 intervention, 667 control)"
_SENT_TO_HINT = re.compile(r"\d\s+(?:\w+\s+)?to\s")  # "251 to the maintenance group"
_PERCENT_AFTER = re.compile(r"\s*\(\s*")
_ELLIPSIS = re.compile(r"(?:\band|\bversus|\bvs\.?|\bcompared\s+with|,)\s+(?P<k>\d+)\s+(?=(?:in|among)\s+(?:the|those)\b)",
                       re.IGNORECASE)
_ELLIPSIS_HINT = re.compile(r"\d\s+(?:in|among)\s+(?:the|those)\b")  # a cheap first look
# "(grade 3 in 2)", "severe (grade 3-5) in 7.", "grade 3 in 2 of them": the count closes its clause
_IN_K = re.compile(r"\bin\s+(?P<k>\d+)(?=\s*(?:[.;,)]|$)|\s+of\s+(?:them|these|those)\b)")
_IN_K_HINT = re.compile(r"\bin\s+\d+(?:\s*[.;,)]|\s*$|\s+of\s+)")
_COUNTABLE = {"CR", "PR", "SD", "PD", "ORR", "CRi", "VGPR", "MORTALITY", "RELAPSE", "NRM"}
_DIGIT = re.compile(r"\d")
_ANY_OF_BEFORE = re.compile(r"\b(?:in|among)\s+(?:any|none)\s+of\s+(?:the\s+|these\s+|our\s+)?$", re.IGNORECASE)
_GRADE_HAD_AFTER = re.compile(r"\s*(?:\([^()]{0,30}\)\s*)?(?:patients?\s+)?(?:had|developed|experienced)\s+"
                              r"(?P<grade>grades?\s*[^,;.()]{1,25}?|severe)\s+(?:events?|cases?|episodes?|CRS|ICANS|neurotoxicity)",
                              re.IGNORECASE)
_GRADE_NAMES_N = re.compile(r"(?P<grade>(?i:grades?)\s*[^,;()]{1,20}?)\s*[,:]\s*(?:[nN]\s*=\s*)?$")
_GRADE_LABEL = re.compile(r"(?i:grades?)\s*(?:[≥>]=?\s*)?(?:\d|I{1,3}V?|IV)\b")
_AMONG_BEFORE = re.compile(r"\bamong\s+(?:the\s+|all\s+)?$", re.IGNORECASE)
_RESPONDERS = re.compile(r"(?i:responders)$")
_TOXICITY_CODES = {"CRS_ANY", "CRS_GE3", "ICANS_ANY", "ICANS_GE3"}
_IN_A_NUMBER = re.compile(r"\bin\s+\d")
_GRADE_WORD = re.compile(r"[Gg]rade|[Ss]evere|higher|above")

_NOT_REACHED_HINTS = ("reached", "NR", "estimable", "evaluable yet")


def _states_a_graded_count(sentence: str) -> bool:
    """A cheap first look for "grade 3 or higher in 5": "in" and a number, a grade word shortly before."""
    if not ("rade" in sentence or "evere" in sentence or "higher" in sentence or "above" in sentence):
        return False  # (substring tests run in C: most sentences name no grade)
    return any(_GRADE_WORD.search(sentence, max(0, m.start() - 45), m.start()) for m in _IN_A_NUMBER.finditer(sentence))


# Bumped whenever the output can change: stored extractions of an older version are redone.
EXTRACTOR_VERSION = "2.7.1"

@dataclass(frozen=True, slots=True)
class _Sentence:
    """One sentence as the extractor reads it: as given, normalised, numbers in digits, and non-values masked."""

    original: str
    words: str
    digits: str
    offset: int  # of the sentence in the text
    index: int
    spelled: list[tuple[int, int]]  # number words rewritten in `digits`, in sentence offsets


def extract_metrics(text: str, *, sentences: list[tuple[int, int]] | None = None) -> list[OutcomeMetric]:
    """Every outcome number in `text` linked to its endpoint, in text order.

    `sentences` are (start, end) spans; without them the text is split by a rule splitter.
    """
    normalised = normalise_text(text)
    spans = sentences if sentences is not None else split_sentences(normalised)
    context = text_context(normalised)
    digits, spelled = digitise_number_words(normalised)  # one value grammar: digits only
    events = _safety_event_positions(normalised)
    metrics: list[OutcomeMetric] = []
    survival_before: EndpointMention | None = None  # for a hazard ratio whose sentence names no endpoint
    for index, (start, end) in enumerate(spans):
        has_number = _DIGIT.search(digits, start, end) or any(h in normalised[start:end] for h in _NOT_REACHED_HINTS)
        event = bisect_left(events, start)
        may_be_absent = (event < len(events) and events[event] < end
                         and _NEGATION_WORD.search(normalised, start, end) is not None)
        if not (has_number or may_be_absent):
            survival_before = None
            continue  # most sentences state no number and no absence
        first = bisect_left(spelled, (start, 0))
        here = [(a - start, b - start) for a, b in spelled[first:bisect_left(spelled, (end, 0), first)]]
        sentence = _Sentence(text[start:end], normalised[start:end], digits[start:end], start, index, here)
        found, endpoints = _sentence_metrics(sentence, context, survival_before) if has_number else ([], None)
        metrics += found
        survival_before = _last_survival_endpoint(endpoints)
        if may_be_absent:
            stated = {m.endpoint for m in found if m.value == 0}  # "no grade ≥3 CRS (0%)" is read once
            metrics += [z for z in _zero_event_metrics(sentence, context, endpoints) if z.endpoint not in stated]
    return with_defined_endpoints(text, without_partial_grades(_with_study_denominators(metrics)))


# A cheap first look for a stated absence of a safety event: an event word (substring tests on the lowered
# text run in C), then a negation.
_SAFETY_EVENT_WORDS = ("crs", "icans", "cres", "neuro", "death", "died", "mortality", "relaps", "trm", "nrm", "fatal",
                       "cytokine")
def _safety_event_positions(text: str) -> list[int]:
    """Where the text names a safety event, in order: substring searches of the lowered text run in C."""
    lowered = text.lower()
    positions = []
    for word in _SAFETY_EVENT_WORDS:
        found = lowered.find(word)
        while found != -1:
            positions.append(found)
            found = lowered.find(word, found + 1)
    return sorted(positions)


_NEGATION_WORD = re.compile(r"\b(?:[Nn]o|[Nn]one|[Nn]obody|not|[Zz]ero|[Nn]either|(?:was|were)\s+(?:0|nil))\b")


def find_proportions(text: str) -> list[tuple[int, int]]:
    """Every k/n a text states ("13/15", "13 of 15 (86.7%)", "86.7% (13/15)"), whatever it counts."""
    normalised = normalise_text(text)
    digits, _ = digitise_number_words(normalised)
    pairs = []
    for start, end in split_sentences(normalised):
        masked, _, _ = find_masks(digits[start:end])
        pairs += [(v.count, v.total) for v in find_values(masked) if v.count is not None and v.total is not None]
    return pairs


def _sentence_metrics(s: _Sentence, context: TextContext, survival_before: EndpointMention | None = None,
                      ) -> tuple[list[OutcomeMetric], list[EndpointMention] | None]:
    """Metrics of one sentence that states a number, and the endpoint mentions found in it."""
    sentence, words = s.digits, s.words
    heads = _LEADING_POPULATION.match(sentence) is not None  # "In 1340 newly diagnosed HNC patients, …"
    graded = _states_a_graded_count(sentence)  # "was of grade 3 or higher in 5"
    if (not may_state_a_value(sentence) and not _COUNTED_HINT.search(sentence) and not _SENT_TO_HINT.search(sentence)
            and not heads and not _LISTED_HINT.search(sentence) and not _GIVEN_HINT.search(sentence) and not graded):
        return [], None  # fast path: years, p-values and ages alone
    masked, intervals, timepoints = find_masks(sentence)
    values = find_values(masked)
    if (not values and not _COUNTED_HINT.search(masked) and not _SENT_TO_HINT.search(masked) and not heads
            and not _LISTED_HINT.search(masked) and not _GIVEN_HINT.search(masked) and not graded):
        return [], None
    endpoints = find_endpoints(words, context=context)
    values = _with_counted_endpoints(masked, values, endpoints)
    if graded and any(e.code in _TOXICITY_CODES for e in endpoints):
        values = sorted(values + graded_counts(sentence, values), key=lambda v: v.start)
    listed = sizes_listed_in_parenthesis(words, sentence, endpoints)
    group_counts = listed + [g for g in sizes_in_parentheses(words, sentence, endpoints) if not _overlaps_any(g, listed)] + (
                    sizes_sent_to_arms(words, sentence, endpoints)
                    + (sizes_per_group(words, sentence, endpoints) if _EACH_HINT.search(sentence) else []))
    if "=" in sentence:  # "50 × 10^6 (n = 5), 150 × 10^6 (n = 12)": dose levels sized in parentheses
        doses = dose_level_sizes(sentence, words)
        group_counts = [g for g in group_counts if not (g.group.isdigit() and _overlaps_any(g, doses))]  # "dose level 2"
        group_counts += [g for g in doses if not _overlaps_any(g, group_counts)]
    coordinated = [g for g in sizes_coordinated(words, sentence) if not _overlaps_any(g, group_counts)]
    if _SHARED_NOUN_HINT.search(sentence):
        coordinated += [g for g in sizes_before_a_shared_noun(words, sentence, endpoints)
                        if not _overlaps_any(g, group_counts + coordinated)]
    if _NAMED_GROUPS_HINT.search(sentence):
        coordinated += [g for g in sizes_of_named_groups(words, sentence, endpoints)
                        if not _overlaps_any(g, group_counts + coordinated)]
    if _GIVEN_HINT.search(sentence):
        coordinated += [g for g in sizes_given(words, sentence) if not _overlaps_any(g, group_counts + coordinated)]
    if _PARTICIPLE_HINT.search(sentence):
        coordinated += [g for g in sizes_named_by_a_participle(words, sentence)
                        if not _overlaps_any(g, group_counts + coordinated)]
    population = _leading_population(words, sentence, endpoints) if heads else None
    if population is not None:
        group_counts += _parts_of_population(words, sentence, population, group_counts)
    if not values and not group_counts and not coordinated and not heads:
        return [], endpoints
    if s.spelled:
        values = [replace(v, start=snap_to_words(v.start, s.spelled)) for v in values]
        timepoints = [replace(t, text=words[snap_to_words(t.start, s.spelled):t.end]) for t in timepoints]
    values = without_endpoints_inside(joined_figures(masked, words, _proportions_in_parentheses(sentence, values)),
                                      endpoints)
    rates = [v for v in values if v.kind in _RATE_KINDS]  # "(87%, n = 15)": the n is the rate's total
    group_counts = [g for g in group_counts if not _inside_any(g.start, rates)] + coordinated  # ("40 (45%) received A")
    if any(e.code in _TOXICITY_CODES for e in endpoints):
        # "ICANS in 5 patients (grade 1, n = 3; grade 3, n = 1)": a breakdown by grade, not groups of patients
        group_counts = [g for g in group_counts if not _GRADE_LABEL.match(g.group or "")]
    values = [v for v in values if not _overlaps_any(v, group_counts)]
    intervals = intervals + _unlabelled_intervals(sentence, masked, values)
    clauses = clause_spans(sentence)
    leading = leading_group(words)
    skip_until = leading.end if leading else 0
    links = pair_coordinated(sentence, values, endpoints, timepoints, clauses)
    owned = subjects_respectively(words, values, endpoints) if "respectively" in words else None
    if owned:  # "Pyrexia, a fall in lymphocytes and CRS were seen in 13, 12 and 9, respectively"
        values = [v for v in values if v not in owned or owned[v] is not None]
        links = {**links, **{v: (e, None) for v, e in owned.items() if e is not None}}
    if "(" in sentence:
        links = modified_figures(sentence, values, endpoints) | links
    linked: list[tuple[ValueMention, EndpointMention, Timepoint | None]] = []
    subgroups: dict[ValueMention, str] = {}  # sizes of subgroups named by their response ("responders (n = 58)")
    subjects = {g.code for g in coordinated}  # population counts already stated as the subject of their verb
    for value in values:
        if population is not None and value.start == population.start:
            continue  # read below as the population the rest of the sentence is about
        endpoint, timepoint = links.get(value, (None, None))
        if value.kind in _RATE_KINDS and (own := endpoint_after_its_verb(words, value, endpoints)) is not None:
            endpoint, timepoint = own, timepoint_for(value, own, timepoints, sentence)  # "… and 67% achieved sCR"
        if endpoint is None:
            endpoint = link_endpoint(sentence, value, endpoints, clauses)
            timepoint = timepoint_for(value, endpoint, timepoints, sentence) if endpoint else None
        if endpoint is None and value.kind in _RATE_KINDS | {"duration"}:
            endpoint, timepoint = endpoint_referred_to(words, value, endpoints, timepoints)  # "… and at 6 months it was 3.4%"
            if endpoint is None and ": " in words:
                endpoint = endpoint_before_a_colon(words, value, endpoints)
        if endpoint is None and value.kind == "n_eq":
            endpoint = counted_in_parenthesis(sentence, value)
        if value.kind == "n_eq" and endpoint is not None and _RESPONDERS.search(endpoint.label) and endpoint.end <= value.start:
            # "38.9 months for responders (n = 58)": the size of the responders' subgroup, not a count of responses
            endpoint = EndpointMention("N_TREATED", endpoint.start, endpoint.end, endpoint.label)
            subgroups[value] = tidy_label(endpoint.label)
        if endpoint is None and value.kind == "hr" and survival_before is not None and not endpoints:
            # "… median PFS … . Weak expressers had similar outcomes (HR = 1.06)": the survival endpoint of the
            # sentence before (guideline: an HR needs one in its sentence or the one before it)
            endpoint = replace(survival_before, start=value.start, end=value.start)
        if endpoint is None:
            continue
        if endpoint.code in ZERO_EVENT_ENDPOINTS and (_ANY_OF_BEFORE.search(words, max(0, value.start - 24), value.start) or (
                _AMONG_BEFORE.search(words, max(0, value.start - 12), value.start) and _NEGATION_WORD.search(words))):
            continue  # "CRS was not observed in any of the 24 patients": the absence's denominator, not a count of CRS
        if value.start < skip_until and not (endpoint.code in COUNT_ENDPOINTS and endpoint.start >= value.start):
            continue  # "Among 11 patients not in CR, ..." names the group, not an outcome ("In the 48 evaluable" does)
        if endpoint.code in COUNT_ENDPOINTS:
            if endpoint.start >= value.start:
                subjects.add(endpoint.code)
            elif endpoint.code in subjects:
                continue  # "412 were randomly assigned …, 206 to A": the study count was its subject
        if endpoint.end <= value.start:
            # "neurotoxicity in 21% (3% grade ≥3)": inside a parenthesis the grade may follow its figure
            endpoint = regrade(endpoint, sentence[endpoint.end:value.start] + _grade_after_in_parenthesis(
                sentence, endpoint.end, value.end))
            if endpoint.code in _TOXICITY_CODES and (graded := _GRADE_HAD_AFTER.match(words, value.end)) is not None:
                endpoint = regrade(endpoint, graded.group("grade"))  # "ICANS in 10 (20%); 3 (6%) had grade ≥3 events"
            elif endpoint.code in _TOXICITY_CODES and (graded := _GRADE_NAMES_N.search(words, max(0, value.start - 30),
                                                                                       value.start)) is not None:
                endpoint = regrade(endpoint, graded.group("grade"))  # "(grade 1-2, n = 27; grade ≥3, n = 3)"
        linked.append((value, endpoint, timepoint))
    linked = _coordinated_subjects(masked, values, linked)
    if "respectively" in words:
        linked = graded_respectively(words, linked)  # "CRS of any grade and of grade ≥3 … 85% and 5%, respectively"
    groups = _groups_of(words, masked, linked, leading) | subgroups
    metrics = []
    graded: dict[int, tuple[str | None, int]] = {}  # id of a CRS/ICANS figure -> (its grade range, where it is written)
    if population is not None:
        metrics.append(_population_metric(s, population))
    heading_time = _leading_timepoint(sentence, timepoints)
    for value, endpoint, timepoint in linked:
        if timepoint is None and heading_time is not None and value.kind in _RATE_KINDS and endpoint.code not in COUNT_ENDPOINTS:
            timepoint = heading_time  # "At 24 months, OS, EFS and relapse were 71%, 48% and 35%"
        metric = _build_metric(s, value, endpoint, timepoint, intervals)
        if metric is None:
            continue
        metric = replace(metric, group=groups.get(value))
        if population is not None and value.start > population.start:
            metric = _with_denominator(metric, population.count)
        metrics.append(metric)
        if endpoint.code in ("CR", "CRi", "MRD_NEG") and metric.stat in ("rate", "count"):
            companion = reached_together(words, endpoint, endpoints)  # "achieved CRi together with MRD negativity"
            if companion is not None:
                metrics.append(replace(metric, endpoint=companion.code, label=companion.label, composite=companion.composite))
        metrics += _breakdown_metrics(s, metric, value)
        if endpoint.code in ZERO_EVENT_ENDPOINTS and "n" in words:
            metrics += _compared_with_none(s, metric, max(value.end, endpoint.end))
        if endpoint.code in _TOXICITY_ANY:
            graded[id(metric)] = _grade_range(words, endpoint, value)
        if value.kind == "nr" or _BOTH_BEFORE.search(words, max(0, value.start - 30), value.start):
            metrics += _shared_by_a_list(s, metric, value, endpoint, endpoints, values)
    metrics += [_group_count_metric(s, g) for g in group_counts]
    if skip_until and population is None:
        metrics = _with_heading_denominator(metrics, s.offset + skip_until)  # "In the efficacy set (n = 97), the ORR was …"
    if len(metrics) > 1 and " and " in words:
        metrics = carried_over(words, s.offset, sorted(metrics, key=lambda m: m.start))  # "… 32% and NRM was 7%"
    if _PLANNED_OR_UNITS_HINT.search(words):
        metrics = [m for m in metrics if not _planned_or_not_people(s, m)]
    if graded:
        metrics = _without_grade_parts(metrics, graded)
    return sorted(metrics, key=lambda m: m.start), endpoints


# "Enrolment of 70 patients had been planned", "1120 patients (560 in each arm) are required to detect …", "a target
# enrolment of 24 in each group": a planned sample size; "27 clusters … 13 were allocated to A": units, not people
_PLANNED_OR_UNITS_HINT = re.compile(r"\b(?:plann|target|required|needed|sample\s+size|calculated|clusters?|communities"
                                    r"|practices|schools|villages|households|districts|wards|hospitals|centres|centers)",
                                    re.IGNORECASE)
_PLANNED = re.compile(r"\b(?:planned|target(?:ed)?\s+(?:enrol+ment|sample|accrual)|(?:were|was|are|is|would\s+be)\s+"
                      r"(?:required|needed)|sample\s+size|(?:was|were)\s+calculated)\b", re.IGNORECASE)
# ("27 randomised clusters", "eight shared apartment communities"; not "from 11 Japanese centers", where they come from)
_NOT_PEOPLE_COUNTED = re.compile(r"(?<!\bfrom\s)(?<!\bat\s)(?<!\bin\s)\b\d+\s+(?:[\w-]+\s+){0,3}(?:clusters|communities"
                                 r"|practices|schools|villages|households|districts|wards|hospitals|centres|centers)\b",
                                 re.IGNORECASE)
_CLAUSE_EDGE = re.compile(r"[,;:]|\bbut\b|\band\s+the\b")


def _planned_or_not_people(s: _Sentence, metric: OutcomeMetric) -> bool:
    """Whether a head count is a planned sample size or counts units that are not people (guideline v2.1, 9)."""
    if metric.endpoint not in COUNT_ENDPOINTS:
        return False
    at = metric.start - s.offset
    edges = [m.start() for m in _CLAUSE_EDGE.finditer(s.words)]
    start = max([e for e in edges if e < at], default=0)
    end = min([e for e in edges if e > at], default=len(s.words))
    if _PLANNED.search(s.words, start, end) or _PLANNED.search(s.words, at, min(len(s.words), at + 80)) and not any(
            start < e < at for e in edges):
        return True
    return (bool(_NOT_PEOPLE_COUNTED.search(s.digits, max(0, at - 200), at)) and metric.group is not None
            and not re.search(PATIENT_NOUN, s.words[max(0, at - 60):metric.end - s.offset + 20]))


# "PFS and OS at 1 year were both 55.6%", "Medians for PFS, DOR and OS have not been reached": one figure for a list
# ("were each limited to 10%", "were both about 5%": a verb of measure may stand between the word and the figure)
_BOTH_BEFORE = re.compile(r"\b(?:both|all|each)\s*(?:(?:limited|restricted|confined|equal|close)\s+to\s+|(?:about|around|approximately)\s+)?$",
                          re.IGNORECASE)


def _shared_by_a_list(s: _Sentence, metric: OutcomeMetric, value: ValueMention, endpoint: EndpointMention,
                      endpoints: list[EndpointMention], values: list[ValueMention]) -> list[OutcomeMetric]:
    listed = list_ending_with(s.digits, endpoints, endpoint)
    if not listed or listed[-1].end > value.start or within(values, listed[0].start, value.start):
        return []
    return [replace(metric, endpoint=other.code, label=other.label) for other in listed[:-1]
            if other.code != endpoint.code and other.code != "OTHER"]


# ----------------------------------------------------------------------------- grade-restricted toxicity figures

_TOXICITY_ANY = {"CRS_ANY", "ICANS_ANY"}
_GRADE_QUALIFIER = re.compile(
    r"(?i:\b(?P<mild>mild(?:\s+to\s+moderate)?|low[\s-]grade)\b"
    r"|\bgrades?\s*(?P<cmp>≥|>=|>)?\s*(?P<lo>[1-5]|I{1,3}V?|IV)\b(?:\s*(?:-|to|/|or|and|,)\s*(?P<hi>[1-5]|I{1,3}V?|IV)\b)?"
    r"(?P<open>\s*(?:or|and)\s*(?:higher|greater|above|more|worse)|\+)?)"
)
_ABOVE_BEFORE = re.compile(r"\b(?:above|higher\s+than|greater\s+than|more\s+than|over)\s+$", re.IGNORECASE)
_MOSTLY_BEFORE = re.compile(r"\b(?:mostly|mainly|predominantly|largely|usually|generally)\s+(?:of\s+)?$", re.IGNORECASE)
_GRADE_NUMBER = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}


def _grade_range(words: str, endpoint: EndpointMention, value: ValueMention) -> tuple[str | None, int]:
    """("low", where) for a figure restricted to grades below 3 ("grade 1-2 CRS in 40%", "mild ICANS in 5"),
    ("middle", where) for one that is neither any grade nor grade ≥3 ("grade 2-4 CRS", "grade ≥2"), else None;
    `where` is the qualifier's offset ("one patient had grade 2 CRS": the grade after the count is its own)."""
    had = _HAD_A_GRADE.match(words, value.end)
    if had is not None:
        last = _GRADE_QUALIFIER.match(words, had.end())
    else:
        start = max(0, min(endpoint.start, value.start) - 25)
        qualifiers = list(_GRADE_QUALIFIER.finditer(words, start, value.start))
        last = qualifiers[-1] if qualifiers else None
    if last is None:
        return None, -1
    if last.group("mild"):
        return (None if _MOSTLY_BEFORE.search(words, max(0, last.start() - 20), last.start()) else "low"), last.start()
    low = _GRADE_NUMBER[last.group("lo").upper()]
    high = _GRADE_NUMBER[last.group("hi").upper()] if last.group("hi") else low
    if _ABOVE_BEFORE.search(words, max(0, last.start() - 16), last.start()):
        low, high = low + 1, 5  # "above grade 2"
    if last.group("open") or last.group("cmp"):
        low, high = (low + 1 if last.group("cmp") == ">" else low), 5
    if high <= 2:
        return "low", last.start()
    return ("middle" if low == 2 else None), last.start()


_HAD_A_GRADE = re.compile(rf"\s+(?:{PATIENT_NOUN}\s+)?(?:had|developed|experienced)\s+(?=grade)", re.IGNORECASE)


def _without_grade_parts(metrics: list[OutcomeMetric], graded: dict[int, tuple[str | None, int]]) -> list[OutcomeMetric]:
    """A figure of grades 1-2 only is any-grade CRS/ICANS when it covers every event; beside a grade ≥3 figure or
    another low-grade part of the same toxicity it is a part, and "grade 2-4" is neither
    (adjudicated gold)."""
    def is_other_part(metric: OutcomeMetric, where: int, other: OutcomeMetric) -> bool:
        if other is metric or not other.endpoint.startswith(metric.endpoint.split("_")[0]) or other.negated or not other.value:
            return False
        if other.endpoint.endswith("_GE3"):
            return True  # "grade 1-2 in 48 (87%) and of grade 3 in 6 (11%)"
        other_grade, other_where = graded.get(id(other), (None, -1))
        return other_grade == "low" and other_where != where  # "grade 1 CRS in 7 …; grade 2 CRS in one"

    kept = []
    for metric in metrics:
        grade, where = graded.get(id(metric), (None, -1))
        if grade == "middle":
            continue
        if grade == "low" and any(is_other_part(metric, where, other) for other in metrics):
            continue
        kept.append(metric)
    return kept


def _with_counted_endpoints(masked: str, values: list[ValueMention],
                            endpoints: list[EndpointMention]) -> list[ValueMention]:
    """Add "two partial responses", "3 deaths": bare numbers that count the endpoint written right after them."""
    added = []
    for endpoint in endpoints:
        if endpoint.code not in _COUNTABLE:
            continue
        match = _COUNTED_BEFORE.search(masked, max(0, endpoint.start - 40), endpoint.start)
        if match is None or _inside_any(match.start(), values) or within(values, match.start(), endpoint.start):
            continue
        count = int(match.group("k"))
        percentage = next((v for v in within(values, endpoint.end, endpoint.end + 6)
                           if v.kind == "pct" and _PERCENT_AFTER.fullmatch(masked, endpoint.end, v.start)), None)
        if percentage is not None:
            values = [v for v in values if v is not percentage]
            added.append(replace(percentage, kind="count_pct", start=match.start(), count=count))
        else:
            added.append(ValueMention("count", match.start(), endpoint.end, float(count), "patients", count))
    added += _elliptical_counts(masked, values + added)
    return sorted(values + added, key=lambda v: v.start) if added else values


def _elliptical_counts(masked: str, values: list[ValueMention]) -> list[ValueMention]:
    """"Eleven deaths occurred in arm A and 13 in arm B", "CRS in 6 patients (grade 3 in 2)", "severe in 7": a bare
    number repeating the shape of a count stated before it."""
    counts = [v for v in values if v.count is not None]
    if not counts:
        return []
    found = []
    for pattern, hint in ((_ELLIPSIS, _ELLIPSIS_HINT), (_IN_K, _IN_K_HINT)):
        if hint.search(masked, counts[0].end) is None:
            continue
        for match in pattern.finditer(masked, counts[0].end):
            k = match.start("k")
            if not _inside_any(k, values):
                count = int(match.group("k"))
                found.append(ValueMention("count", k, match.end("k"), float(count), "patients", count))
    return sorted(found, key=lambda v: v.start)



def _build_metric(s: _Sentence, value: ValueMention, endpoint: EndpointMention, timepoint: Timepoint | None,
                  intervals: list[Interval]) -> OutcomeMetric | None:
    stat, number, unit = _stat_value_unit(endpoint, value)
    if stat is None:
        return None
    code, negated = endpoint.code, False
    total = value.total
    if stat == "count" and code not in COUNT_ENDPOINTS and value.count and _ALL_OF_THEM.search(
            s.words, max(0, value.start - 5), value.start):
        stat, number, unit, total = "rate", 100.0, "%", value.count  # "All 7 patients were still in CR": 7 of 7
    if code == "MORTALITY" and stat == "hr" and _ALL_CAUSE.fullmatch(endpoint.label):
        code = "OS"  # a hazard ratio of death compares survival ("HR for death" is an OS HR); of a cause, deaths
    if endpoint.code in ZERO_EVENT_ENDPOINTS and stat == "count" and number == 0:
        stat, unit, negated = "rate", "%", True  # "versus none in arm B": a zero event is a rate of 0 %
    interval = next((i for i in intervals if value.end <= i.start <= value.end + 12), None)
    return OutcomeMetric(
        endpoint=code, stat=stat, value=number, unit=unit,
        start=s.offset + value.start, end=s.offset + value.end, sentence=s.original,
        label=endpoint.label,
        timepoint=timepoint.text.strip() if timepoint else None,
        timepoint_months=timepoint.months[0] if timepoint else None,
        count=value.count, total=total,
        ci_low=interval.low if interval else None, ci_high=interval.high if interval else None,
        not_reached=value.kind == "nr", composite=endpoint.composite, negated=negated,
        sentence_index=s.index, sentence_start=s.offset,
    )


def _stat_value_unit(endpoint: EndpointMention, value: ValueMention) -> tuple[str | None, float | None, str | None]:
    if endpoint.code in COUNT_ENDPOINTS:
        if value.count is None:
            return None, None, None
        return "count", float(value.count), "patients"
    if value.kind == "duration" or value.kind == "nr":
        return "median", value.value, value.unit
    if value.kind == "hr":
        return "hr", value.value, None
    if value.kind in COUNT_KINDS:
        return "count", value.value, "patients"
    return "rate", value.value, "%"


_INSIDE_PARENTHESIS = re.compile(r"\s*[(\[][^()\[\]]*$")


def _proportions_in_parentheses(sentence: str, values: list[ValueMention]) -> list[ValueMention]:
    """"27.2% (95% CI, 14.1-40.4, 12 of 44 assessable patients)": the k of n inside the parenthesis after a
    percentage is that percentage's, when it is the same proportion."""
    merged, dropped = {}, set()
    for rate, inner in zip(values, values[1:]):
        if (rate.kind == "pct" and inner.kind == "frac" and inner.count is not None and inner.total
                and _INSIDE_PARENTHESIS.match(sentence, rate.end, inner.start)
                and abs(100.0 * inner.count / inner.total - (rate.value or 0)) <= 0.6):
            merged[rate] = replace(rate, kind="pct_frac", count=inner.count, total=inner.total)
            dropped.add(inner)
    if not merged:
        return values
    return [merged.get(v, v) for v in values if v not in dropped]


_ALL_OF_THEM = re.compile(r"\b(?:All|all)\s+$")
_ALL_CAUSE = re.compile(r"(?i:(?:all[\s-]cause\s+|overall\s+|total\s+)?(?:mortality(?:\s+rates?)?|deaths?|died))")
_RATE_KINDS = {"frac_pct", "pct_frac", "count_pct", "frac", "pct"}
_HEADING_TIME = re.compile(r"^\s*(?:(?:Overall|Thereafter|Finally),?\s+)?(?:At|By|After|Within|On)\b", re.IGNORECASE)


def _leading_timepoint(sentence: str, timepoints: list[Timepoint]) -> Timepoint | None:
    """A time point heading the sentence before its comma ("At 24 months, …", "On day 30 after infusion, …", "At the
    day 28 assessment, …", "One month after the infusion, …") holds for every rate after it."""
    if not timepoints or not _HEADING_TIME.match(sentence):
        return heading_interval(sentence)
    first = timepoints[0]
    if first.start > 20 or len(first.months) != 1 or not _HEADING_END.match(sentence, first.end):
        return None
    return first


# what may stand between a heading time point and its comma: the event it counts from, or the assessment it names
_HEADING_END = re.compile(r"(?:\s+(?:after|following|from|post)\s+(?:the\s+|their\s+|CAR\s+)?[\w-]+(?:\s+[\w-]+){0,3}?"
                          r"|\s+(?:assessment|evaluation|visit|landmark|restaging|response\s+assessment))?\s*,",
                          re.IGNORECASE)


_REST_OF_PARENTHESIS = re.compile(r"[^()]{0,30}(?=\))")


def _grade_after_in_parenthesis(sentence: str, endpoint_end: int, value_end: int) -> str:
    if sentence.count("(", endpoint_end, value_end) <= sentence.count(")", endpoint_end, value_end):
        return ""
    rest = _REST_OF_PARENTHESIS.match(sentence, value_end)
    return " " + rest.group(0) if rest else ""


def _inside_any(position: int, spans: list) -> bool:
    """Whether `position` falls inside one of `spans` (sorted by start, not overlapping): one bisection."""
    index = bisect_left(spans, position + 1, key=lambda span: span.start) - 1
    return index >= 0 and spans[index].start <= position < spans[index].end


def _overlaps_any(value: ValueMention, spans: list) -> bool:
    return _inside_any(value.start, spans) or any(True for _ in within(spans, value.start, value.end))


_SURVIVAL_CODES = {"PFS", "OS", "EFS", "LFS", "DOR"}


def _last_survival_endpoint(endpoints: list[EndpointMention] | None) -> EndpointMention | None:
    return next((e for e in reversed(endpoints or []) if e.code in _SURVIVAL_CODES), None)


# ----------------------------------------------------------------------------- intervals

# "35.9% (95% CI 25.9-45.9) … versus 64.6% (54.2-73.2)": once a sentence has named its CIs, a bare
# parenthesised pair right after a figure is one too; after a hazard ratio it always is.
_BARE_INTERVAL = re.compile(rf"\s*[(\[]\s*(?P<lo>-?{NUM})\s*%?\s*(?:-|to|,)\s*(?P<hi>-?{NUM_BODY})\s*%?\s*(?:[;,)\]]|$)",
                            re.IGNORECASE)
_NAMES_INTERVALS = re.compile(r"\bCI\b|confidence|credible", re.IGNORECASE)


def _unlabelled_intervals(sentence: str, masked: str, values: list[ValueMention]) -> list[Interval]:
    named = _NAMES_INTERVALS.search(sentence) is not None
    found = []
    for value in values:
        if value.kind == "hr" or (named and value.kind in ("pct", "duration", "pct_frac", "count_pct")):
            match = _BARE_INTERVAL.match(sentence, value.end)
            if match is not None:
                low, high = parse_number(match.group("lo")), parse_number(match.group("hi"))
                if low is not None and high is not None and low <= (value.value or low) <= high:
                    found.append(Interval(match.start(), match.end(), low, high))
    return found


_SUBJECT_JOIN = re.compile(r"\s*(?:(?:of|in|among|for|with|on|receiving|given|treated\s+with|(?:allocated|assigned)\s+to)"
                           r"\s+[^,;.()]{1,40}?\s+)?and\s+", re.IGNORECASE)
_SUBJECT_KINDS = {"count", "count_pct", "frac", "frac_pct", "pct", "bare"}


def _coordinated_subjects(masked: str, values: list[ValueMention],
                          linked: list[tuple[ValueMention, EndpointMention, Timepoint | None]]):
    """"55 (38.5%) in group A and 57 (40.1%) in group B responded": figures coordinated as the subjects of one
    verb share the endpoint the last of them reaches."""
    by_value = {value: (endpoint, timepoint) for value, endpoint, timepoint in linked}
    added = []
    for first, second in zip(values, values[1:]):
        if first in by_value or second not in by_value or first.kind not in _SUBJECT_KINDS:
            continue
        endpoint, timepoint = by_value[second]
        if endpoint.start > second.end and second.kind in _SUBJECT_KINDS and _SUBJECT_JOIN.fullmatch(
                masked, first.end, second.start):
            added.append((first, endpoint, timepoint))
            by_value[first] = (endpoint, timepoint)
    return sorted(linked + added, key=lambda link: link[0].start) if added else linked


# ----------------------------------------------------------------------------- groups


def _groups_of(words: str, masked: str, linked: list[tuple[ValueMention, EndpointMention, Timepoint | None]],
               leading) -> dict[ValueMention, str]:
    """The group of each linked value: a list of groups over a run of values ("22% and 50% in A and B,
    respectively"), a group named right after or before the value, or the group heading the sentence."""
    groups: dict[ValueMention, str] = {}
    described = {value: (endpoint.code, timepoint.months[0] if timepoint else None) for value, endpoint, timepoint in linked}
    for run in _value_runs(masked, [value for value, _, _ in linked]):
        listed = group_list_after(words, run[-1].end)
        if len(listed) >= 2 and len(run) % len(listed) == 0:
            for value, group in zip(run, listed * (len(run) // len(listed))):
                groups[value] = group.label
        elif len(run) == 2 and described[run[0]] == described[run[1]] and _COMPARISON.search(masked, run[0].end, run[1].start):
            # "higher with drug A than with drug B (64% vs 29%)": each figure of the pair is one of the groups
            pair = compared_groups(words, max(0, run[0].start - 160), run[0].start)
            if pair is not None and group_after(words, run[1].end) is None:
                groups[run[0]], groups[run[1]] = pair[0].label, pair[1].label
        elif len(run) > 1 and len({described[value] for value in run}) == len(run):
            # "93.9% and 84.3% (1 and 2 years) in the SB-RFA group", "ORR and CR were 45% and 20% in arm A":
            # a list of different figures shares the group named after it (a comparison does not)
            shared = group_after(words, run[-1].end)
            for value in run:
                if shared is not None:
                    groups[value] = shared.label
    endpoints = {value: endpoint for value, endpoint, _ in linked}
    groups.update(_sexes_counted(words, [v for v, e, _ in linked if e.code in POPULATION_CODES and v not in groups]))
    for value, endpoint, _ in linked:
        if value in groups:
            continue
        if endpoint.code in POPULATION_CODES and _EACH_AFTER.match(words, value.end):
            groups[value] = "each group"  # "two groups of fifty patients each" (guideline v2.1)
            continue
        after = group_after(words, value.end)
        if after is None and endpoint.start >= value.end and endpoint.start - value.end <= 3:
            after = group_after(words, endpoint.end)  # "81 breast-cancer relapses in the A group"
        before = (group_before(words, value.start)
                  if after is None and _OPENS_A_LABEL.search(words, max(0, value.start - 60), value.start) else None)
        chosen = after or before
        if endpoint.code in COUNT_ENDPOINTS and chosen is not None and (
                not _NAMES_AN_ARM.search(words, chosen.start, chosen.end) or _DESCRIBES.match(words, chosen.start)):
            chosen = None  # "66 patients with relapsed B-NHL were enrolled": a description of the study population
        if chosen is not None and chosen.label != endpoints[value].label:
            groups[value] = chosen.label
        elif leading is not None and _heads_a_subgroup(words, leading, endpoint):
            groups[value] = leading.label
    return groups


_EACH_HINT = re.compile(r"\beach\s+(?:arm|group|cohort)|\bgroups\s+of\s+\d", re.IGNORECASE)
_EACH_AFTER = re.compile(r"\s*(?:each|per\s+(?:group|arm))\b", re.IGNORECASE)
_SEX_COUNTED = re.compile(r"\s(?P<sex>men|women|boys|girls|males|females)$", re.IGNORECASE)
_AND_BETWEEN = re.compile(r"\s*(?:,\s*)?and\s+")


def _sexes_counted(words: str, counts: list[ValueMention]) -> dict[ValueMention, str]:
    """"compared in 2733 men and 897 women": two coordinated head counts of the sexes are the groups compared."""
    groups = {}
    for first, second in zip(counts, counts[1:]):
        one = _SEX_COUNTED.search(words, first.start, first.end)
        other = _SEX_COUNTED.search(words, second.start, second.end)
        if one and other and one.group("sex").lower() != other.group("sex").lower() and _AND_BETWEEN.fullmatch(
                words, first.end, second.start):
            groups[first], groups[second] = one.group("sex"), other.group("sex")
    return groups


# A head count belongs to a group only when the text names an arm, a cohort or what the group received.
_COMPARISON = re.compile(r"\b(?:vs|versus|compared\s+with)\b", re.IGNORECASE)
_DESCRIBES = re.compile(r"(?:with|without|who\s+had|having|aged)\b", re.IGNORECASE)
_NAMES_AN_ARM = re.compile(r"\b(?:arms?|groups?|cohorts?|parts?|phases?|levels?|strata|received|receiving|treated"
                           r"|given|allocated|assigned|randomi[sz]ed|to)\b", re.IGNORECASE)


_DATE_HEAD = re.compile(r"^(?:(?:early|mid|late)[\s-]+)?(?:January|February|March|April|May|June|July|August|September"
                        r"|October|November|December|\d{4}\b|the\s+(?:first|second|last|final)\b)", re.IGNORECASE)
_COUNTED_HEAD = re.compile(r"^\s*\w+\s+(?:the\s+|these\s+|all\s+)?\d")
_RESTRICTIVE = re.compile(r"\b(?:not|without|with|aged|older|younger)\b|[≥≤<>]", re.IGNORECASE)


def _heads_a_subgroup(words: str, leading, endpoint: EndpointMention) -> bool:
    """"In the B-ALL cohort, …" names a subgroup; "Among the 52 patients infused, …" counts the study
    population (its figures have no group) unless it restricts it ("Among 11 patients not in CR")."""
    if not _COUNTED_HEAD.match(words):
        if _DATE_HEAD.match(leading.label):
            return False  # "In January 2010, …", "In 2015, …": a date, not a group
        return endpoint.code not in COUNT_ENDPOINTS or _NAMES_AN_ARM.search(leading.label) is not None
    return endpoint.code not in COUNT_ENDPOINTS and _RESTRICTIVE.search(leading.label) is not None


# "DA (71%)", "(GC, 49%; MVAC, 46%)", "(prior chemotherapy: 11.0": a label that opens a parenthesis or
# stands inside one; a heading ("Results: 38 patients") is not a group.
_OPENS_A_LABEL = re.compile(r"(?:\(|[(;]\s*[^(),;:]{1,40}[:,])\s*$")
_RUN_SEPARATOR = re.compile(r"^\s*(?:,|;)?\s*(?:and|or|vs\.?|versus|compared\s+with|,|/)?\s*(?:\(\s*\)\s*)?$", re.IGNORECASE)


def _value_runs(masked: str, values: list[ValueMention]) -> list[list[ValueMention]]:
    """Values joined only by "and", "or", "versus", commas (masked p-values and CIs in between)."""
    runs: list[list[ValueMention]] = []
    for value in sorted(values, key=lambda v: v.start):
        if runs and _RUN_SEPARATOR.match(masked[runs[-1][-1].end:value.start]) and value.start - runs[-1][-1].end < 60:
            runs[-1].append(value)
        else:
            runs.append([value])
    return runs


# ----------------------------------------------------------------------------- populations and denominators


@dataclass(frozen=True, slots=True)
class _Population:
    code: str
    count: int
    start: int
    end: int


# "Among the 52 patients infused, …", "Of 44 patients assessed for MRD, …", "In 30 evaluable patients, …",
# "In the sub-group of 583 women with hypertension, …":
# the population the rest of the sentence is about, stated before its comma.
_LEADING_POPULATION = re.compile(
    rf"^\s*(?:[A-Z][A-Z ]{{2,40}}:\s*)?(?:Among|Of|Out\s+of|In|From|For)\s+(?:the\s+|all\s+|a\s+total\s+of\s+|a\s+)?"
    rf"(?:(?i:sub-?group|subset|sub-?study)\s+of\s+)?(?P<k>{NUM})\s+"
    rf"(?P<description>(?:[\w/-]+\s+){{0,4}}?{PATIENT_NOUN}(?:\([^()]{{0,80}}\)|[^,;()]){{0,120}}?),\s+(?!respectively)",
)
# "From 2,137 screened subjects", "Of 3,966 physicians who were invited": not the study's count
_NOT_ENROLMENT = re.compile(r"\b(?:screened|invited|approached|contacted|eligible|identified|assessed\s+for\s+eligibility)\b",
                            re.IGNORECASE)
_POPULATION_VERBS = (
    # ("who underwent a second biopsy", "surveyed": a test or an assessment, not the therapy, was what they had)
    ("N_EVALUABLE", re.compile(r"\b(?:evaluable|evaluated|assessable|assessed|analy[sz]ed|surveyed|examined|tested"
                               r"|included\s+in\s+(?:the|this|these)\s+(?:[\w-]+\s+){0,2}?analys"
                               r"|(?:underwent|undergo|had)\s+(?:[\w-]+\s+){0,3}?(?:assessments?|evaluations?|biops(?:y|ies)"
                               r"|endoscop(?:y|ies)|imaging|scans?|testing|monitoring|measurements?)\b)",
                               re.IGNORECASE)),
    ("N_TREATED", re.compile(r"\b(?:treated|infused|received|receiving|underwent\s+(?:transplant|treatment|infusion)"
                             r"|proceeded\s+to|given|had\s+(?:[\w-]+\s+){0,2}?(?:lymphodepletion|conditioning|transplant\w*"
                             r"|infusions?|therapy|treatment|chemotherapy|surgery))\b", re.IGNORECASE)),
    ("N_ENROLLED", re.compile(r"\b(?:randomi[sz]ed|enrolled|registered|included|recruited|accrued|allocated|assigned"
                              r"|underwent\s+(?:leuk)?apheresis)\b", re.IGNORECASE)),
)
# "Of 111 patients who underwent leukapheresis", "Among 194 patients screened": a verb we cannot read as a
# population count ("relapsed patients", "patients with newly diagnosed AML" describe, and are fine).
_OTHER_VERB = re.compile(
    rf"(?:{PATIENT_NOUN}|\bwho|\bwere|\bwas|\bbeen|\bhad)\s+(?:\w+ly\s+)?(?!with\b)[a-z]+ed\b|\b(?:underwent|had|who)\b"
    r"|\bwith\s+(?:available|complete)\b",
    re.IGNORECASE,
)


_RECIPIENTS = re.compile(r"^(?:[\w-]+\s+){0,2}recipients\s*$", re.IGNORECASE)


def _leading_population(words: str, digits: str, endpoints: list[EndpointMention]) -> _Population | None:
    """The population heading the sentence, counted: its verb says which count (none: N_ENROLLED, v2.1)."""
    match = _LEADING_POPULATION.match(digits)
    if match is None:
        return None
    number = parse_number(match.group("k"))
    if number is None or number != int(number) or number < 2:
        return None
    description = words[match.start("description"):match.end("description")]
    if _NOT_ENROLMENT.search(words, 0, match.end("description")):
        return None
    code = next((code for code, verb in _POPULATION_VERBS if verb.search(description)), None)
    if code is None and _RECIPIENTS.match(description):
        code = "N_TREATED"  # "Of the 1916 recipients, …": those who received the therapy
    if code is None:
        if _OTHER_VERB.search(description):
            return None  # "Of 111 patients who underwent leukapheresis": a count of something else
        code = "N_ENROLLED"
    return _Population(code, int(number), match.start("k"), match.end("k"))


def _parts_of_population(words: str, digits: str, population: _Population,
                         found: list[GroupCount]) -> list[GroupCount]:
    """"Of the 159 patients randomised, 82 received A and 77 received B": the groups the population heading the
    sentence splits into, recognised because their counts add up to it."""
    parts = breakdown_of_count(words, digits, population.count, population.end, population.code)
    return [part for part in parts if not any(g.start <= part.start < g.end for g in found)]


def _population_metric(s: _Sentence, population: _Population) -> OutcomeMetric:
    start = snap_to_words(population.start, s.spelled) if s.spelled else population.start
    return OutcomeMetric(
        endpoint=population.code, stat="count", value=float(population.count), unit="patients",
        start=s.offset + start, end=s.offset + population.end, sentence=s.original, count=population.count,
        sentence_index=s.index, sentence_start=s.offset,
    )


def _with_heading_denominator(metrics: list[OutcomeMetric], heading_end: int) -> list[OutcomeMetric]:
    """"At the primary analysis (n = 37; …), CRs were frequent (78%)": a head count inside the phrase heading the
    sentence is the denominator of the rates after it, as a population heading the sentence is."""
    heads = [m for m in metrics if m.endpoint in POPULATION_CODES and m.start < heading_end and m.count]
    if len(heads) != 1:
        return metrics
    return [_with_denominator(m, heads[0].count) if m.start > heading_end and m.stat == "rate" else m for m in metrics]


def _with_denominator(metric: OutcomeMetric, total: int) -> OutcomeMetric:
    """A rate or an outcome count after a stated population takes it as its denominator (never a head count,
    nor a survival figure)."""
    if metric.endpoint in COUNT_ENDPOINTS or metric.endpoint == "OTHER" or metric.total is not None:
        return metric
    if metric.stat == "rate" and (metric.count is None or metric.count <= total):
        return replace(metric, total=total)
    if metric.stat == "count" and metric.count is not None and 0 < metric.count <= total:
        return replace(metric, stat="rate", value=round(100.0 * metric.count / total, 2), unit="%", total=total)
    return metric


def _group_count_metric(s: _Sentence, group: GroupCount) -> OutcomeMetric:
    start = snap_to_words(group.start, s.spelled) if s.spelled else group.start
    return OutcomeMetric(
        endpoint=group.code, stat="count", value=float(group.count), unit="patients",
        start=s.offset + start, end=s.offset + group.end, sentence=s.original, count=group.count, group=group.group,
        sentence_index=s.index, sentence_start=s.offset,
    )


def _breakdown_metrics(s: _Sentence, metric: OutcomeMetric, value: ValueMention) -> list[OutcomeMetric]:
    """"508 deaths (248 in A and 260 in B)": the parts of a count, with their groups, when they add up to it."""
    if metric.stat != "count" or metric.count is None or metric.count < 2 or metric.endpoint == "OTHER":
        return []
    parts = breakdown_of_count(s.words, s.digits, metric.count, value.end, metric.endpoint)
    return [_group_count_metric(s, part) for part in parts]


def _with_study_denominators(metrics: list[OutcomeMetric]) -> list[OutcomeMetric]:
    """Denominators the abstract implies: a zero event takes the study's treated population when its sentence
    states none, and "38 (53.5%)" takes the population of which 38 is 53.5% (the arm's for an arm's figure).
    A figure read twice (a count and its group breakdown) is kept once, with its group."""
    populations = [m for code in ("N_TREATED", "N_EVALUABLE", "N_ENROLLED") for m in metrics
                   if m.endpoint == code and m.count]
    study = next((m.count for m in populations if m.group is None and m.endpoint != "N_EVALUABLE"), None)
    kept: dict[tuple[int, str, float | None], OutcomeMetric] = {}
    for metric in metrics:
        if metric.negated and metric.total is None and study is not None and metric.group is None:
            metric = replace(metric, total=study)
        elif metric.stat == "rate" and metric.count and metric.total is None and metric.value is not None:
            metric = _with_implied_total(metric, populations)
        key = (metric.start, metric.endpoint, metric.value)
        if key not in kept or (kept[key].group is None and metric.group is not None):
            kept[key] = metric
    return sorted(kept.values(), key=lambda m: (m.start, m.end))


def _with_implied_total(metric: OutcomeMetric, populations: list[OutcomeMetric]) -> OutcomeMetric:
    """"38 (53.5%)" after "71 patients were infused": 38 of 71, when the percentage is 38/71 as written."""
    decimals = len(f"{metric.value:g}".partition(".")[2])
    tolerance = 0.5 / 10 ** decimals + 1e-9
    for population in populations:
        if (population.group == metric.group and population.start < metric.start and metric.count <= population.count
                and abs(100.0 * metric.count / population.count - metric.value) <= tolerance):
            return replace(metric, total=population.count)
    return metric


# ----------------------------------------------------------------------------- zero events


# "Two patients died versus none in the placebo group", "3 relapses vs zero with drug A": the comparator's zero
_VERSUS_NONE = re.compile(r"\s*(?:\([^()]{0,60}\)\s*)?(?:\s+(?:in|among|with|for|on)\s+[^,;()]{1,40}?)?,?\s*"
                          r"(?:versus|vs\.?|compared\s+with|against)\s+"
                          r"(?:zero|none|no\s+(?:deaths?|patients?|events?|relapses?))\b", re.IGNORECASE)


def _compared_with_none(s: _Sentence, metric: OutcomeMetric, after: int) -> list[OutcomeMetric]:
    match = _VERSUS_NONE.match(s.words, after)
    if match is None or metric.stat not in ("count", "rate"):
        return []
    group = group_after(s.words, match.end())
    return [replace(metric, stat="rate", value=0.0, unit="%", count=0, total=None, negated=True,
                    start=s.offset + match.end() - 4, end=s.offset + match.end(), group=group.label if group else None)]


def _zero_event_metrics(s: _Sentence, context: TextContext, endpoints: list[EndpointMention] | None) -> list[OutcomeMetric]:
    """"None of the patients had grade 3-4 CRS": rate 0 %, count 0, negated."""
    endpoints = endpoints if endpoints is not None else find_endpoints(s.words, context=context)
    metrics = []
    zeros = find_zero_events(s.words, endpoints)
    if "none" in s.words.lower():  # "CRS occurred in 18 patients; none were grade 3 or higher"
        named = {z.endpoint.code for z in zeros}
        zeros += [ZeroEvent(EndpointMention(code, start, end, s.words[start:end]), start, end, None)
                  for code, start, end in elided_high_grade_zeros(s.words, endpoints) if code not in named]
    if "either" in s.words:  # "Neither grade ≥3 CRS nor grade ≥3 ICANS was observed"
        named = {z.endpoint.code for z in zeros}
        zeros += [ZeroEvent(endpoint, start, end, None) for endpoint, start, end in neither_nor_zeros(s.words, endpoints)
                  if endpoint.code not in named]
    timepoints = find_masks(s.digits)[2] if zeros else []
    for zero in zeros:
        if zero.total is None and (total := denominator_of_an_absence(s.digits, zero.start)) is not None:
            zero = replace(zero, total=total)  # "… was not observed in any of the 24 patients"
        group = group_after(s.words, zero.endpoint.end)
        # "Nobody died during the first 30 days", "no deaths within 100 days": the window of the absence (v2.1, 7)
        timepoint = next((t for t in timepoints if 0 <= t.start - max(zero.end, zero.endpoint.end) <= 12), None)
        metrics.append(OutcomeMetric(
            endpoint=zero.endpoint.code, stat="rate", value=0.0, unit="%", start=s.offset + zero.start,
            end=s.offset + zero.end, sentence=s.original, label=zero.endpoint.label, count=0, total=zero.total,
            group=group.label if group else None, negated=True, sentence_index=s.index, sentence_start=s.offset,
            timepoint=timepoint.text.strip() if timepoint else None,
            timepoint_months=timepoint.months[0] if timepoint else None,
        ))
    return metrics
