"""The population and intervention a claim is about, read with small general patterns.

"66 patients with relapsed/refractory (r/r) B-cell non-Hodgkin lymphoma (B-NHL)" -> "r/r B-NHL";
"bispecific CAR-T cells expressing both anti-CD19 and anti-CD22 CARs" -> "bispecific CD19/CD22".
Good enough to show a reader which arm a number belongs to; the entity linker does the real work.
"""

from __future__ import annotations

import re

# Long disease names -> the abbreviation reviews use; longest names first so they win.
DISEASE_ABBREVIATIONS = {
    "b-cell non-hodgkin lymphoma": "B-NHL",
    "b cell non-hodgkin lymphoma": "B-NHL",
    "b-cell acute lymphoblastic leukemia": "B-ALL",
    "b cell acute lymphoblastic leukemia": "B-ALL",
    "b-cell acute lymphoblastic leukaemia": "B-ALL",
    "diffuse large b-cell lymphoma": "DLBCL",
    "large b-cell lymphoma": "LBCL",
    "high-grade b-cell lymphoma": "HGBL",
    "primary central nervous system lymphoma": "PCNSL",
    "central nervous system lymphoma": "CNSL",
    "non-hodgkin lymphoma": "NHL",
    "acute lymphoblastic leukemia": "ALL",
    "acute lymphoblastic leukaemia": "ALL",
    "chronic lymphocytic leukemia": "CLL",
    "acute myeloid leukemia": "AML",
    "multiple myeloma": "MM",
    "mantle cell lymphoma": "MCL",
    "follicular lymphoma": "FL",
    "double hit lymphoma": "DHL",
    "double-hit lymphoma": "DHL",
    "b-cell malignancies": "B-cell malignancies",
    "b cell malignancies": "B-cell malignancies",
    "b-cell lymphoma": "B-cell lymphoma",
    "b cell lymphoma": "B-cell lymphoma",
}
_ABBREVIATIONS = sorted({v for v in DISEASE_ABBREVIATIONS.values() if " " not in v}, key=len, reverse=True)
_DISEASE = re.compile(
    r"(?P<long>" + "|".join(re.escape(k) for k in sorted(DISEASE_ABBREVIATIONS, key=len, reverse=True))
    + r")(?:\s*\((?P<abbr>[A-Za-z][\w/-]{1,10})\))?"
    + r"|\b(?P<bare>" + "|".join(re.escape(a) for a in _ABBREVIATIONS) + r")\b",
    re.I,
)
_RELAPSED_REFRACTORY = re.compile(
    r"\br/r\b|relapsed\s*(?:/|or|and)\s*refractory|refractory\s*(?:/|or|and)\s*relapsed", re.I
)
_STATUS_ONLY = re.compile(r"\b(relapsed|refractory|newly diagnosed|first relapse)\b", re.I)

_CONSTRUCTS = ("cocktail", "tandem", "bispecific", "bicistronic", "sequential", "trivalent", "dual")
_CAR_SHORTHAND = re.compile(r"\bCAR\s?-?(\d{1,3}(?:/\d{1,3})+)\b")
_TARGET = re.compile(r"\b(?:anti-)?(CD\d{1,3}|BCMA|GPRC5D|CLL-?1|FLT3|SLAMF7)\b")


def population_of(text: str) -> str | None:
    """The first disease named, by its abbreviation, with "r/r" when relapsed/refractory is said."""
    for match in _DISEASE.finditer(text):
        bare = match.group("bare")
        if bare and bare != bare.upper() and not bare.startswith("B-"):
            continue  # "all", "mm" in running text are words, not diseases
        if bare:
            disease = bare
        else:
            long_name = match.group("long").lower()
            disease = match.group("abbr") or DISEASE_ABBREVIATIONS[long_name]
        return _with_status(text[max(0, match.start() - 60):match.start()], disease)
    return None


def _with_status(before: str, disease: str) -> str:
    if _RELAPSED_REFRACTORY.search(before):
        return f"r/r {disease}"
    status = _STATUS_ONLY.findall(before)
    return f"{status[-1].lower()} {disease}" if status else disease


def intervention_of(text: str) -> str | None:
    """ "CAR19/22 cocktail", "tandem CD19/CD20", "bispecific CD19/CD22", "CD19 CAR-T", or None."""
    lowered = text.lower()
    construct = next((c for c in _CONSTRUCTS if re.search(rf"\b{c}\b", lowered)), None)
    shorthand = _CAR_SHORTHAND.search(text)
    if shorthand:
        name = f"CAR{shorthand.group(1)}"
        return f"{name} {construct}" if construct else name
    targets: list[str] = []
    for match in _TARGET.finditer(text):
        if match.group(1) not in targets:
            targets.append(match.group(1))
    if not targets:
        return None
    if construct:
        return f"{construct} {'/'.join(targets)}"
    if re.search(r"\bCAR\b|CAR-?T\b", text):
        return f"{targets[0]} CAR-T"
    return None
