"""Endpoints an abstract defines for itself: "the overall remission rate, that is, the rate of complete remission or
complete remission with incomplete hematologic recovery".

In acute-leukaemia trials "overall remission" is usually the composite of CR and CRi (or CRh) rather than CR + PR;
when the abstract says so in a definition, every figure of that name is the CR composite (guideline: "CR/CRi 86%" is
CR with composite CR/CRi). Without a definition, the name keeps its ordinary reading.
"""

from __future__ import annotations

import re
from dataclasses import replace

from litmus.nlp.endpoints import find_endpoints
from litmus.records import OutcomeMetric

_DEFINITION = re.compile(
    r"\b(?P<name>(?:overall|objective|best\s+overall)\s+(?:remission|response)(?:\s+rate)?|ORR)\s*(?:\([A-Za-z]{2,5}\))?"
    r"\s*,?\s*(?:that\s+is|i\.e\.|defined\s+as|namely)\s*,?\s*(?P<definition>[^.;]{5,160})", re.IGNORECASE)
_RATE_OF = re.compile(r"^(?:the\s+)?(?:rate|proportion|percentage)\s+of\s+(?:patients\s+(?:with|achieving|in)\s+)?",
                      re.IGNORECASE)
_RATE_WORD = re.compile(r"\s+rates?$", re.IGNORECASE)


def with_defined_endpoints(text: str, metrics: list[OutcomeMetric]) -> list[OutcomeMetric]:
    """`metrics` with the ORR figures of a name the text defines as a CR composite re-coded as that composite."""
    if not any(m.endpoint == "ORR" for m in metrics) or not ("incomplete" in text or "CRi" in text or "CRh" in text):
        return metrics  # a CR composite is defined by its incomplete recovery
    if "that is" not in text and "defined as" not in text and "i.e." not in text and "namely" not in text:
        return metrics
    composites = {}
    for match in _DEFINITION.finditer(text):
        definition = _RATE_OF.sub("", match.group("definition"))
        named = [m for m in find_endpoints(definition) if m.code != "OTHER"]
        if named and named[0].code == "CR" and named[0].composite and all(m.code in ("CR", "CRi") for m in named):
            composites[_key(match.group("name"))] = named[0].composite
    if not composites:
        return metrics
    return [replace(m, endpoint="CR", composite=composites[_key(m.label)])
            if m.endpoint == "ORR" and m.label and _key(m.label) in composites else m for m in metrics]


def _key(name: str) -> str:
    return _RATE_WORD.sub("", " ".join(name.lower().split()))
