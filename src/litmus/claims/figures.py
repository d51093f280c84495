"""The figures one sentence of review prose states, read with the outcome-metric extractor.

The extractor (`litmus.nlp.metrics.extract_metrics`) links each number to its endpoint, several
figures of a sentence included ("the ORR was 81% and the CR rate 58%"; "60% and 32% of overall and
event-free survival rates at one year"). Review prose adds what abstracts rarely write, handled here
around it, never inside it:

- citation markers ("(5)", "[4]", ".6", "(Smith et al., 2020)") are blanked (same length, so
  offsets hold) before the extractor reads the sentence: a marker is no figure;
- a group that only names the study or its whole population ("In this study,", "In the cited
  trial,", "In that cohort,", "in the 28 infused patients") is no subgroup;
- enrolled, treated and evaluable counts by the verb that governs each ("enrolled 52 patients, of
  whom 47 received …": `population_counts`), and qualified durations (`prose_facts`) where the
  extractor found nothing;
- ranges ("CR rates ranged from 40% to 60%", "ORR of 60–80%") as one figure with two bounds;
- the composite a figure is ("reached CR or CRi") on the fact, as `composite`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from litmus.claims.prose_facts import prose_facts
from litmus.claims.source_text import composite_of, timepoints_in, with_population_counts
from litmus.records import OutcomeMetric

MetricExtractor = Callable[[str], list[OutcomeMetric]]

_STUDY_NOUN = (r"(?:study|studies|trial|trials|cohort|cohorts|series|analysis|analyses|report|reports|work|paper|"
               r"experience|investigation|population|setting|review|case|registry)")
_PEOPLE = r"(?:patients|participants|subjects|children|adults|cases|individuals)"
# A group the extractor reads that only names the study or its whole population: "In this study,", "In the
# cited trial,", "In that cohort,", "in this study of 40 patients", "in the 28 infused patients",
# "among those patients". A discourse opener is no subgroup.
# "the high-dose cohort" is a subgroup, "the cited trial" the study: after "the" (or no article, as the
# extractor labels groups: "cited trial"), only words for a whole study.
_WHOLE_STUDY_NOUN = r"(?:study|studies|trial|trials|series|analysis|analyses|report|reports|work|paper|investigation|registry)"
STUDY_AS_GROUP = re.compile(
    rf"^(?:(?:in|among|for|within|across|from)\s+)?(?:(?:(?:this|that|our|their|these|those|a|one)\s+(?:[\w/().-]+\s+){{0,4}}?"
    rf"{_STUDY_NOUN}|(?:the\s+)?(?:[\w/().-]+\s+){{0,4}}?{_WHOLE_STUDY_NOUN})(?:\s+(?:of|in|with|among)\s+.+)?"
    rf"|(?:the\s+|these\s+|those\s+|all\s+)?(?:\d+\s+)?(?:(?:infused|treated|evaluable|enrolled|included|remaining)\s+)?"
    rf"{_PEOPLE})$",
    re.I,
)
_RANGE = re.compile(
    r"(?:\bfrom\s+|\bbetween\s+)?(?P<low>\d+(?:\.\d+)?)\s*(?P<u1>%)?\s*(?:–|—|-|\bto\b|\band\b)\s*"
    r"(?P<high>\d+(?:\.\d+)?)\s*(?P<unit>%|months?\b|years?\b)",
    re.I,
)
_NOT_A_RANGE_BEFORE = re.compile(r"(?:CI|confidence interval|range|IQR|interquartile|aged?|ages)[\s,:;=]*$", re.I)


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of a sentence: the metric (offsets in the sentence) and what review prose adds."""

    metric: OutcomeMetric
    high: float | None = None  # the upper bound of a range; `metric.value` is then its lower bound
    composite: str | None = None


def sentence_figures(sentence: str, marker_spans: Sequence[tuple[int, int]], extractor: MetricExtractor) -> list[Figure]:
    """Every figure `sentence` states; `marker_spans` are its citation markers (offsets in the sentence)."""
    readable = _blank(sentence, list(marker_spans))
    found = [m for m in extractor(readable) if _value_outside(m, marker_spans)]
    found = with_population_counts(found, readable)
    found += [extra for extra in prose_facts(readable) if not any(_overlaps(extra, m) for m in found)]
    ranges = _ranges(readable, found)
    found = [m for m in found if not any(r.metric.start <= m.start < r.metric.end for r in ranges)]
    figures = [_as_figure(m, sentence, readable) for m in found]
    if len(figures) == 1 and figures[0].metric.timepoint_months is None and figures[0].metric.stat == "rate":
        months = timepoints_in(readable)  # "The CR rate of 81% was measured six months after infusion"
        if len(months) == 1:
            figures[0] = replace(figures[0], metric=replace(figures[0].metric, timepoint_months=months[0]))
    return sorted(figures + ranges, key=lambda f: f.metric.start)


def _as_figure(metric: OutcomeMetric, sentence: str, readable: str) -> Figure:
    composite = composite_of(metric, readable)
    if composite == "MRD-negative CR" and metric.endpoint == "MRD_NEG":
        metric = replace(metric, endpoint="CR")  # a complete remission, the stricter kind
    return Figure(_without_study_group(replace(metric, sentence=sentence)), None, composite)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(max(0, start), min(len(chars), end)):
            chars[i] = " "
    return "".join(chars)


def _value_outside(metric: OutcomeMetric, spans: Sequence[tuple[int, int]]) -> bool:
    return not any(a <= metric.start < b for a, b in spans)


def _overlaps(a: OutcomeMetric, b: OutcomeMetric) -> bool:
    return a.start < b.end and b.start < a.end


def _without_study_group(metric: OutcomeMetric) -> OutcomeMetric:
    if metric.group and STUDY_AS_GROUP.match(metric.group.strip(" ,")):
        return replace(metric, group=None)
    return metric


def _ranges(sentence: str, found: list[OutcomeMetric]) -> list[Figure]:
    """ "CR rates ranged from 40% to 60%": one figure, the endpoint of the figures inside it (or the nearest before)."""
    from litmus.nlp.endpoints import find_endpoints

    ranges = []
    for match in _RANGE.finditer(sentence):
        if _NOT_A_RANGE_BEFORE.search(sentence[max(0, match.start() - 20):match.start()]):
            continue
        low, high = float(match.group("low")), float(match.group("high"))
        unit = "%" if match.group("unit") == "%" else re.sub(r"s?$", "s", match.group("unit").lower())
        if low >= high or (match.group("u1") and unit != "%"):
            continue
        inside = [m for m in found if match.start() <= m.start < match.end()]
        endpoint = inside[0].endpoint if inside else _endpoint_before(find_endpoints(sentence), match.start())
        if endpoint is None:
            continue
        stat = "rate" if unit == "%" else "median"
        metric = OutcomeMetric(endpoint, stat, low, unit, match.start("low"), match.end(), sentence,
                               label=inside[0].label if inside else None,
                               timepoint_months=inside[0].timepoint_months if inside else None)
        ranges.append(Figure(metric, high))
    return ranges


def _endpoint_before(endpoints, position: int) -> str | None:
    before = [e for e in endpoints if e.end <= position and position - e.end <= 60]
    return before[-1].code if before else None
