import json
import re

import pytest

from litmus.claims.extract import decimals_of, extract_claims, qualifier_before
from litmus.records import OutcomeMetric

# Our own prose, written for these tests: a study named by author, its figures in the next
# sentence, an unsourced figure, an enumeration and a qualitative claim.
REVIEW = """# Test review

## Dual targeting

About 40% of patients relapse after single-target therapy. Smith et al. enrolled 20 r/r B-ALL patients given tandem CAR-T cells targeting CD19/CD22. The CR rate was 85.0% at 3 months (2). General reasoning follows here without any source.

Three points matter: (1) the cells; (2) the antigen; and (3) the niche. Jones et al. described a single case of relapse. Sequencing found a mutation. However, the patient responded again. Another drug also looks promising.

## References

1. A. Paper. J (2020).
"""


def fake_metrics(text: str) -> list[OutcomeMetric]:
    """Stands in for litmus.nlp.metrics: every "<number>%" is a CR rate, "<n> ... patients" a count."""
    found = []
    for match in re.finditer(r"(\d+(?:\.\d+)?)%", text):
        found.append(OutcomeMetric("CR", "rate", float(match.group(1)), "%", match.start(), match.end(), text))
    for match in re.finditer(r"(\d+) [\w/ -]*?patients", text):
        found.append(OutcomeMetric("N_ENROLLED", "count", float(match.group(1)), "patients",
                                   match.start(), match.end(), text))
    return found


@pytest.fixture
def claims():
    return extract_claims(REVIEW, named_citations=["Jones et al."], n_references=3, extract_metrics=fake_metrics)


def test_claims_group_a_study_with_its_figures(claims):
    assert [c.claim_id for c in claims] == ["c01", "c02", "c03"]
    unsourced, study, case = claims
    assert unsourced.cites == () and unsourced.kind == "numeric"
    assert study.cites == ("2",) and study.sentence_count == 2
    assert study.text.startswith("Smith et al. enrolled") and study.text.endswith("(2).")
    assert study.mentioned_authors == ("Smith et al.",)
    assert case.cites == ("Jones et al.",) and case.kind == "qualitative"
    assert case.text.endswith("the patient responded again.")  # bridged one sentence, stopped at "Another"


def test_claim_offsets_and_context(claims):
    from litmus.claims.text import clean_review

    text = clean_review(REVIEW).text
    study = claims[1]
    assert text[study.start:study.end] == study.text
    assert study.population == "r/r B-ALL" and study.intervention == "tandem CD19/CD22"
    cr = [f for f in study.facts if f.endpoint == "CR"][0]
    assert text[cr.start:cr.end] == "85.0%"
    assert (cr.written, cr.decimals) == ("85.0", 1)
    assert claims[0].facts[0].qualifier == "about"


def test_enumerations_and_unsourced_reasoning_are_not_claims(claims):
    assert not any("Three points" in c.text or "General reasoning" in c.text for c in claims)


def test_decimals_and_qualifiers_as_written():
    assert [decimals_of(w) for w in ("87.7", "86", "81.81")] == [1, 0, 2]
    text = "over 10 months, within 80 days, 50%"
    assert qualifier_before(text, text.index("10")) == "over"
    assert qualifier_before(text, text.index("80")) == "within"
    assert qualifier_before(text, text.index("50")) is None


# ----------------------------------------------------------------------- the real editorial


def _numeric_recall(claims, transcribed) -> tuple[float, list[str]]:
    """Share of transcribed facts with a value that some extracted claim citing the same works
    (or, for an unsourced claim, citing nothing) states with the same endpoint, value and unit."""
    found, missed = 0, []
    for expected in transcribed:
        candidates = [c for c in claims if set(c.cites) & set(expected.cites) or (not c.cites and not expected.cites)]
        for fact in (f for f in expected.facts if f.value is not None):
            hit = any(
                f.endpoint == fact.endpoint and f.value == fact.value and (f.unit or None) == (fact.unit or None)
                for c in candidates for f in c.facts
            )
            found += hit
            if not hit:
                missed.append(f"{expected.claim_id} {fact.endpoint} {fact.value} {fact.unit}")
    return found / (found + len(missed)), missed


def test_editorial_numeric_facts_recall(shared_reviews, project_root):
    pytest.importorskip("litmus.nlp.metrics", reason="the outcome-metric extractor is not in this checkout")
    from litmus.corpus.sources import load_claims

    facts = json.loads((shared_reviews / "bibliography-facts.json").read_text())["review"]
    claims = extract_claims(
        (shared_reviews / "zhang2022-editorial-car-t-resistance.md").read_text(),
        named_citations=facts["research_topic_articles_named"],
        n_references=facts["n_references"],
    )
    transcribed = load_claims(project_root / "corpus/reviews/zhang2022-editorial-car-t-resistance.claims.toml")
    recall, missed = _numeric_recall(claims, transcribed)
    assert recall >= 0.9, f"recall {recall:.0%}; missed: {missed}"


def test_editorial_claims_cover_every_citation(shared_reviews):
    facts = json.loads((shared_reviews / "bibliography-facts.json").read_text())["review"]
    claims = extract_claims(
        (shared_reviews / "zhang2022-editorial-car-t-resistance.md").read_text(),
        named_citations=facts["research_topic_articles_named"],
        n_references=facts["n_references"],
        extract_metrics=lambda text: [],
    )
    cited = {key for c in claims for key in c.cites}
    expected = {key for claim in facts["claims"] for key in claim["cites"]}
    assert cited == expected
    assert [c.claim_id for c in claims] == [f"c{i:02d}" for i in range(1, len(claims) + 1)]
    assert not any(c.text.startswith(("In summary", "Moreover")) for c in claims)
