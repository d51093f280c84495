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
        # Windows ("within 80 days") and counts of regimens are transcribed as the review states them,
        # but they are no findings: the prose reader leaves them out by design.
        for fact in (f for f in expected.facts if f.value is not None and f.qualifier != "within"
                     and not (f.endpoint == "OTHER" and f.stat == "count")):
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


# ------------------------------------------------------------------ review prose in many styles
# Our own prose, written for these tests: citation styles, discourse openers, several figures per
# sentence, number words, ranges, thresholds. The real extractor reads the figures.

STYLES = """# Dual targeting in lymphoma: a short review

## Background

CD19 CAR T cells changed the outlook of relapsed lymphoma.1 In this study, 40 patients were enrolled and 36 were infused with tandem CD19/CD20 CAR T cells; the ORR was 81% and the CR rate 58%.2 In the cited trial, median overall survival was 20.4 months with a median follow-up of 26 months (3). In that cohort, 12-month PFS reached 55%, and grade 3 or higher CRS occurred in 8% [4]. The authors reported that the CR rate was 62% and the ORR 85% (Smith et al., 2021).

Fifteen children with B-ALL received bispecific CAR T cells; thirteen (86%) reached CR or CRi at one month (5). Responses lasted beyond 36 months in a minority, and four other regimens were compared (5). Jones et al.6 treated 22 patients, of whom 14 (64%) had a complete response. CR rates ranged from 40% to 60% across trials (2–4). In patients with bulky disease, the CR rate was 40% (2).

## References

1. Alpha A, Beta B. First paper. Blood. 2019;1:1-2.
2. Gamma C. Second paper. Lancet. 2020;2:3-4.
3. Delta D. Third paper. Nature. 2020;3:5-6.
4. Eps E. Fourth paper. Cell. 2021;4:7-8.
5. Zeta F. Fifth paper. JCO. 2021;5:9-10.
6. Jones G. Sixth paper. NEJM. 2022;6:11-12.
7. Smith H. Seventh paper. Blood. 2021;7:13-14.
"""


@pytest.fixture(scope="module")
def styled():
    pytest.importorskip("litmus.nlp.metrics", reason="the outcome-metric extractor is not in this checkout")
    from litmus.references.markdown import parse_review_markdown

    review = parse_review_markdown(STYLES, review_id="styles")
    named = [c.key for c in review.citations if c.kind == "named"]
    claims = extract_claims(STYLES, named_citations=named, n_references=7, citations=review.citations)
    return {c.cites: c for c in reversed(claims)}  # the first claim of each citation


def facts_of(claim):
    return [(f.endpoint, f.value, f.unit, f.timepoint_months, f.group) for f in claim.facts]


def test_every_citation_style_is_read(styled):
    assert set(styled) == {("1",), ("2",), ("3",), ("4",), ("7",), ("5",), ("6",), ("2", "3", "4")}
    assert styled[("1",)].text.endswith("lymphoma.1") and styled[("2",)].text.startswith("In this study")


def test_discourse_openers_are_not_subgroups(styled):
    assert facts_of(styled[("2",)]) == [("N_ENROLLED", 40, "patients", None, None), ("N_TREATED", 36, "patients", None, None),
                                        ("ORR", 81, "%", None, None), ("CR", 58, "%", None, None)]
    assert all(f.group is None for key in (("3",), ("4",), ("7",)) for f in styled[key].facts)
    assert [f.endpoint for f in styled[("7",)].facts] == ["CR", "ORR"]


def test_several_figures_keep_their_endpoints_and_a_follow_up_is_no_survival(styled):
    assert [(f.endpoint, f.value) for f in styled[("3",)].facts] == [("OS", 20.4), ("FOLLOW_UP", 26)]
    assert [(f.endpoint, f.value, f.timepoint_months) for f in styled[("4",)].facts] == [
        ("PFS", 55, 12), ("CRS_GE3", 8, None)]


def test_number_words_composites_ranges_and_thresholds(styled):
    five = styled[("5",)]
    assert [(f.endpoint, f.value) for f in five.facts] == [("N_TREATED", 15), ("CR", 86)]
    assert five.facts[1].composite == "CR/CRi" and five.facts[1].timepoint_months == 1
    assert not any(f.value in (36, 4) for f in five.facts)  # "beyond 36 months", "four other regimens"
    (range_fact,) = styled[("2", "3", "4")].facts
    assert (range_fact.endpoint, range_fact.value, range_fact.value_high, range_fact.written) == ("CR", 40, 60, "40–60")


def test_a_name_before_a_flattened_marker_is_that_reference(styled):
    assert styled[("6",)].cites == ("6",)
    assert [(f.endpoint, f.value) for f in styled[("6",)].facts] == [("N_TREATED", 22), ("CR", 64)]


def test_a_real_subgroup_stays_one(project_root):
    pytest.importorskip("litmus.nlp.metrics", reason="the outcome-metric extractor is not in this checkout")
    claims = extract_claims(STYLES, named_citations=[], n_references=7)
    bulky = [f for c in claims for f in c.facts if f.group]
    assert [f.value for f in bulky] == [40] and bulky[0].group.endswith("patients with bulky disease")


@pytest.mark.parametrize("group,names_the_study", [
    ("in this study", True), ("in the cited trial", True), ("in that cohort", True),
    ("in our previous study", True), ("in this study of 40 patients", True), ("in the phase 2 ZUMA-1 trial", True),
    ("in the 28 infused patients", True), ("among those patients", True),
    ("in patients with bulky disease", False), ("in the high-dose cohort", False), ("in the CAR T-cell arm", False),
    # as the extractor labels groups since 2.0: no preposition, no article
    ("cited trial", True), ("randomised trial", True), ("high-dose", False), ("patients with bulky disease", False),
    ("CAR T-cell", False),
])
def test_a_group_that_names_the_study_is_no_subgroup(group, names_the_study):
    from litmus.claims.figures import STUDY_AS_GROUP

    assert bool(STUDY_AS_GROUP.match(group)) is names_the_study
