"""Does the cited paper's abstract say what the review says it says? Pure functions, no I/O.

Verdicts are graded as in the quotation-accuracy literature (accurate / minor error / major error):

- `supported`: the source says it;
- `supported_with_discrepancy`: the source says it with a small difference, each named by a kind and
  a one-line reason giving both sides (`population_count`, `composite_endpoint`,
  `timepoint_only_in_review`, `subgroup_only_in_review`, `rounding`, `no_comparator`);
- `contradicted`: the source says otherwise (`value`, `endpoint_swap`, `timepoint_differs`,
  `population_not_studied`, `study_design`);
- `not_in_source`: the abstract does not state it;
- `source_unavailable`: the citation is not resolved, the record has no abstract, or the claim cites
  nothing.

A figure is compared by `litmus.claims.compare`, words by `litmus.claims.qualitative`. With several
cited sources a figure takes its best verdict across them. A claim's verdict:

1. `contradicted` if any figure or word is, else `supported_with_discrepancy` if any has a discrepancy;
2. with figures: `supported` when every figure checked is (figures whose source is unavailable aside),
   `not_in_source` when some figure is not in its abstract, `source_unavailable` when none could be
   checked; words the abstract does not name are listed but do not decide;
3. without figures: `supported` when every word checked is found, `not_in_source` when some is
   missing, `source_unavailable` when no cited abstract is available, and `unverifiable` only when a
   cited abstract is there but the claim names nothing checkable.

Arithmetic (`litmus.claims.arithmetic`) is reported beside the verdict, once per claim; the source's
own rounding is a note. Retractions and errata of a cited paper are flagged whatever the verdict.
"""

from __future__ import annotations

from litmus.claims.arithmetic import check_claim_arithmetic, source_fraction_notes
from litmus.claims.compare import SAMPLE_SIZE_ENDPOINTS, compare_fact
from litmus.claims.qualitative import check_qualitative
from litmus.claims.records import (
    ArithmeticFinding, Claim, ClaimFact, ClaimVerdict, FactVerdict, QualitativeFinding, SourceEvidence,
)

_FACT_RANK = {"supported": 4, "supported_with_discrepancy": 3, "contradicted": 2, "not_in_source": 1,
              "source_unavailable": 0}


def verify_fact(fact: ClaimFact, source: SourceEvidence) -> FactVerdict:
    """One claimed number against one cited paper's abstract (see `litmus.claims.compare`)."""
    return compare_fact(fact, source)


def verify_claim(claim: Claim, sources: dict[str, SourceEvidence]) -> ClaimVerdict:
    """A claim against all the works it cites; see the module docstring for the verdicts."""
    cited = [sources.get(key) or SourceEvidence(key=key, pmid=None) for key in claim.cites]
    available = tuple(s.key for s in cited if s.pmid is not None and s.has_abstract)
    flags = tuple(f"retracted: {s.key}" for s in cited if s.retracted) + tuple(
        f"erratum: {s.key}" for s in cited if s.erratum)
    facts = tuple(_best_verdict(f, cited) for f in claim.facts if f.value is not None)
    source_metrics = [m for s in cited if s.key in available for m in s.metrics]
    arithmetic = _arithmetic(claim, facts, source_metrics)
    notes = tuple(source_fraction_notes(claim.facts, source_metrics))
    findings = tuple(check_qualitative(qualitative_text(claim), cited)) if available else ()
    verdict, explanation = _claim_verdict(claim, facts, findings, available)
    if flags:
        explanation += "; cited paper " + ", ".join(flags)
    return ClaimVerdict(claim, verdict, explanation, facts, available, flags, arithmetic, findings, notes)


def qualitative_text(claim: Claim) -> str:
    """The claim's words: its text, and for a transcribed claim the wording its facts carry."""
    extra = []
    for fact in claim.facts:
        for words in (fact.label, fact.population, fact.intervention):
            if words and words not in claim.text and words not in extra:
                extra.append(words)
    for words in (claim.population, claim.intervention):
        if words and words not in claim.text and words not in extra:
            extra.append(words)
    return "; ".join([claim.text, *extra])


def _best_verdict(fact: ClaimFact, cited: list[SourceEvidence]) -> FactVerdict:
    if not cited:
        return FactVerdict(fact, None, "source_unavailable", "the review cites no source for this number")
    verdicts = [verify_fact(fact, source) for source in cited]
    return max(verdicts, key=lambda v: _FACT_RANK[v.verdict])


def _arithmetic(claim: Claim, facts: tuple[FactVerdict, ...], source_metrics: list) -> tuple[ArithmeticFinding, ...]:
    findings = check_claim_arithmetic(claim.facts, source_metrics)
    counted = any(f.fact.endpoint in SAMPLE_SIZE_ENDPOINTS and f.verdict not in {"source_unavailable", "not_in_source"}
                  for f in facts)
    # A claim's N checked against the source's counts is a fact verdict already: not said twice.
    return tuple(f for f in findings if not (counted and f.kind == "sample_size_differs"))


def _claim_verdict(claim: Claim, facts: tuple[FactVerdict, ...], findings: tuple[QualitativeFinding, ...],
                   available: tuple[str, ...]) -> tuple[str, str]:
    majors = [d for f in facts for d in f.discrepancies if d.severity == "major"]
    majors += [q.discrepancy for q in findings if q.discrepancy and q.discrepancy.severity == "major"]
    minors = [d for f in facts for d in f.discrepancies if d.severity == "minor"]
    minors += [q.discrepancy for q in findings if q.discrepancy and q.discrepancy.severity == "minor"]
    tally = _tally(facts, findings)
    if majors:
        return "contradicted", f"{tally}: " + "; ".join(f"{d.kind}: {d.reason}" for d in majors + minors)
    if minors:
        return "supported_with_discrepancy", f"{tally}: " + "; ".join(f"{d.kind}: {d.reason}" for d in minors)
    if not claim.cites:
        return ("source_unavailable", "the review cites no source for it") if facts else (
            "unverifiable", "cites no source and states nothing checkable")
    sources_note = f"sources available: {', '.join(available)}" if available else "no cited source has an abstract on record"
    if facts:
        return _numeric_verdict(facts, tally, sources_note)
    return _worded_verdict(findings, tally, sources_note, available)


def _numeric_verdict(facts: tuple[FactVerdict, ...], tally: str, sources_note: str) -> tuple[str, str]:
    checked = [f for f in facts if f.verdict != "source_unavailable"]
    if not checked:
        return "source_unavailable", f"{tally}; {sources_note}"
    return _coverage(checked, tally, "every figure checked matches the cited abstract")


def _worded_verdict(findings: tuple[QualitativeFinding, ...], tally: str, sources_note: str,
                    available: tuple[str, ...]) -> tuple[str, str]:
    if not available:
        return "source_unavailable", f"qualitative claim; {sources_note}"
    if not findings:
        return "unverifiable", f"names nothing checkable (no concept, comparison, population or design word); {sources_note}"
    return _coverage(findings, tally, "every concept and wording checked is in the cited abstract")


def _coverage(items, tally: str, all_found: str) -> tuple[str, str]:
    """`not_in_source` naming what the abstracts lack, else `supported`."""
    missing = [item for item in items if item.verdict == "not_in_source"]
    if missing:
        return "not_in_source", f"{tally}: " + "; ".join(item.explanation for item in missing)
    return "supported", f"{tally}: {all_found}"


def _tally(facts: tuple[FactVerdict, ...], findings: tuple[QualitativeFinding, ...]) -> str:
    parts = []
    for noun, items in (("figure", facts), ("word check", findings)):
        if not items:
            continue
        counts: dict[str, int] = {}
        for item in items:
            counts[item.verdict] = counts.get(item.verdict, 0) + 1
        detail = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items())
        parts.append(f"{len(items)} {noun}{'s' if len(items) > 1 else ''} ({detail})")
    return "; ".join(parts) or "nothing checked"
