"""Reading reference lists and named citations out of plain-text/Markdown reviews."""

from __future__ import annotations

import pytest

from litmus.references.entries import expand_page_range, parse_author_list, parse_reference_entry
from litmus.references.markdown import (
    ReviewParseError,
    cited_numbers,
    find_named_citations,
    parse_review_markdown,
)

# --------------------------------------------------------------------------- the real editorial

ZHANG_EXPECTED = {  # key: (doi, year, volume, first page)
    "1": ("10.1002/hon.3036", 2022, None, None),
    "2": ("10.1136/jitc-2020-001150", 2020, "8", None),
    "3": ("10.1038/s41392-022-00924-0", 2022, "7", "101"),
    "4": ("10.1182/blood.2019000017", 2020, "135", "17"),
    "5": ("10.1038/s41591-021-01497-1", 2021, "27", "1797"),
    "6": ("10.1182/blood.2020005278", 2020, "136", "1632"),
    "7": ("10.1002/ctm2.176", 2020, "10", "e176"),
    "8": ("10.1038/s41408-021-00523-2", 2021, "11", "131"),
    "9": ("10.1038/s41375-021-01196-3", 2021, "35", "3268"),
    "10": ("10.1016/j.trecan.2021.10.003", 2022, "8", "9"),
}


@pytest.fixture
def zhang_review(shared_reviews):
    path = shared_reviews / "zhang2022-editorial-car-t-resistance.md"
    return parse_review_markdown(
        path.read_text(encoding="utf-8"), review_id="zhang2022-editorial-car-t-resistance", source=str(path)
    )


def test_editorial_has_ten_numbered_references_with_identifiers(zhang_review):
    numbered = [c for c in zhang_review.citations if c.kind == "numbered"]
    assert [c.key for c in numbered] == [str(n) for n in range(1, 11)]
    for citation in numbered:
        assert (citation.doi, citation.year, citation.volume, citation.first_page) == ZHANG_EXPECTED[citation.key]
        assert citation.note is None


def test_editorial_reference_details(zhang_review):
    by_key = {c.key: c for c in zhang_review.citations}
    assert by_key["5"].pages == "1797-1805"
    assert by_key["6"].pages == "1632-1644"
    assert by_key["6"].journal == "Blood"
    assert by_key["6"].issue == "14"
    assert by_key["3"].authors[:3] == ("Wei J", "Xiao M", "Mao Z")
    assert by_key["5"].authors[3] == "Pignataro DS"
    assert by_key["1"].authors == ("Yang X", "Wei J", "Zhou J")  # "J Zhou" as printed
    assert by_key["10"].title == "Radiotherapy and immunotherapy: Open questions and future strategies"


def test_editorial_named_articles_exclude_authors_of_numbered_references(zhang_review):
    named = [c for c in zhang_review.citations if c.kind == "named"]
    assert {c.key for c in named} == {f"{name} et al." for name in ("Nan", "Zhu", "Li", "Xiao", "Valeri", "Hu")}
    assert len(named) == 6
    assert all(c.authors == (c.key.removesuffix(" et al."),) for c in named)


def test_editorial_front_matter(zhang_review):
    assert zhang_review.title.startswith("Editorial: The mechanism and novel strategies")
    assert zhang_review.doi == "10.3389/fimmu.2022.1093339"
    assert zhang_review.year == 2022
    assert zhang_review.authors == ("Zhang T", "Yu T", "Yang X", "Tian W", "Wei J")


# --------------------------------------------------------------------------- styles we write ourselves

NLM_REVIEW = """\
# A made-up review of widget therapy

Smith et al. showed widgets work [1]. Later, Brown et al. confirmed it (2). Garcia et al. disagreed.
Jones et al. described the design. The trial is reference 2 (2).

## Bibliography

1. Brown AB, Jones CD. Widgets in practice: a randomised trial. N Engl J Med. 2019 Mar 7;380(10):
   901-9. doi:10.1056/NEJMoa0000001. PMID: 30712345.
2. Jones CD, Brown AB, van der Berg E, et al. Long-term widget outcomes. Lancet Oncol. 2020;21(3):e150-e161.
3. Lee F. A study with no DOI at all. J. Clin. Oncol. 2018;36:2001-8.
"""


def test_nlm_entries_with_pmid_wrapped_lines_and_missing_doi():
    review = parse_review_markdown(NLM_REVIEW, review_id="made-up")
    first, second, third = review.citations[:3]
    assert first.pmid == "30712345"
    assert first.doi == "10.1056/NEJMoa0000001"
    assert (first.journal, first.year, first.volume, first.issue, first.pages) == (
        "N Engl J Med", 2019, "380", "10", "901-909"
    )
    assert first.title == "Widgets in practice: a randomised trial"
    assert second.authors == ("Jones CD", "Brown AB", "van der Berg E")
    assert second.pages == "e150-e161" and second.doi is None
    assert (third.title, third.journal, third.volume, third.pages) == (
        "A study with no DOI at all", "J. Clin. Oncol", "36", "2001-2008"
    )
    assert third.doi is None and third.note is None


def test_named_citations_skip_first_authors_cited_by_number_nearby():
    review = parse_review_markdown(NLM_REVIEW, review_id="made-up")
    named = [c.key for c in review.citations if c.kind == "named"]
    # Brown is ref 1's first author but the sentence cites (2), whose first author is Jones;
    # Jones is followed by "(2)" in the next sentence.
    assert named == ["Smith et al.", "Brown et al.", "Garcia et al."]


def test_apa_like_unnumbered_list_with_emphasis():
    text = """\
# Review

Text citing things.

References

Smith, J. A., & Jones, B. (2020). Gadgets and widgets revisited. *Journal of Gadget Science*, *12*(3), 45–67. https://doi.org/10.1234/jgs.2020.045

Lee, K. (2018). A book-like work without numbers. Widget Press.
"""
    review = parse_review_markdown(text, review_id="apa")
    first, second = review.citations
    assert first.key == "1" and second.key == "2"
    assert first.authors == ("Smith JA", "Jones B")
    assert (first.title, first.journal, first.year, first.volume, first.issue, first.pages) == (
        "Gadgets and widgets revisited", "Journal of Gadget Science", 2020, "12", "3", "45-67"
    )
    assert first.doi == "10.1234/jgs.2020.045"
    assert second.authors == ("Lee K",) and second.year == 2018


def test_bracketed_numbers_and_reference_list_without_heading_at_the_end():
    text = """\
The intervention was studied twice [1, 2].

[1] Doe J, Roe R. First widget study. Widget J. 2015;3(2):10-5.
[2] Poe E. Second widget study. Widget J. 2016;4:20.
"""
    review = parse_review_markdown(text, review_id="no-heading")
    assert [c.key for c in review.citations] == ["1", "2"]
    assert review.citations[0].pages == "10-15"
    assert review.citations[1].volume == "4" and review.citations[1].pages == "20"


def test_numbered_line_inside_a_wrapped_entry_does_not_start_a_new_entry():
    text = "## References\n1. Doe J. A title. Blood (2020) 136(14):1632–\n44. doi: 10.1000/x\n2. Roe R. Other. Blood (2021) 1:2.\n"
    review = parse_review_markdown(text, review_id="wrapped")
    assert [c.key for c in review.citations] == ["1", "2"]
    assert review.citations[0].pages == "1632-1644"
    assert review.citations[0].doi == "10.1000/x"


def test_review_without_reference_list_raises_an_actionable_error():
    with pytest.raises(ReviewParseError, match="no reference list found in 'notes.md'.*References"):
        parse_review_markdown("# Notes\n\nJust prose, citing Smith et al. and nothing else.\n",
                              review_id="x", source="notes.md")


def test_garbage_entry_is_kept_and_flagged():
    text = "## References\n1. Doe J. Fine title. Blood. 2020;1:2.\n2. see supplementary material\n"
    review = parse_review_markdown(text, review_id="garbage")
    garbage = review.citations[1]
    assert garbage.key == "2"
    assert "could not read authors" in garbage.note and "year" in garbage.note
    assert "see supplementary material" in garbage.note


# --------------------------------------------------------------------------- pure helpers


@pytest.mark.parametrize(
    ("printed", "expanded"),
    [("1797–805", "1797-1805"), ("1632–44", "1632-1644"), ("17–27", "17-27"), ("e176", "e176"),
     ("9-20", "9-20"), ("S12-8", "S12-S18"), ("101", "101")],
)
def test_expand_page_range(printed, expanded):
    assert expand_page_range(printed) == expanded


def test_author_lists():
    assert parse_author_list("Wei J, Xiao M, Mao Z, et al") == ("Wei J", "Xiao M", "Mao Z")
    assert parse_author_list("Tian W and Wei J") == ("Tian W", "Wei J")
    assert parse_author_list("Smith, J. A., & Jones, B.") == ("Smith JA", "Jones B")
    assert parse_author_list("overcoming resistance to anti-CD19 CAR T-cell therapy") is None


def test_cited_numbers_reads_lists_ranges_and_superscripts():
    assert cited_numbers("as shown (9, 10) and [3–5] and<sup>7</sup>") == {"9", "10", "3", "4", "5", "7"}


def test_named_citation_in_markdown_link_and_escapes():
    named = find_named_citations("As [Valeri et al.](#) reviewed, and \\[Hu et al.\\] found.")
    assert [c.key for c in named] == ["Valeri et al.", "Hu et al."]


def test_frontiers_entry_without_volume():
    citation = parse_reference_entry(
        "1", "Yang X, Wei J, J Zhou. overcoming resistance. *Hematol Oncol* (2022). doi: 10.1002/hon.3036"
    )
    assert (citation.journal, citation.year, citation.volume, citation.doi) == (
        "Hematol Oncol", 2022, None, "10.1002/hon.3036"
    )


def test_harvard_entry_with_year_after_authors_and_volume_colon_pages():
    citation = parse_reference_entry("7", "Smith J, Lee K (2019) A 1:1 comparison of widgets. Widget Journal 12:45–7")
    assert (citation.authors, citation.year) == (("Smith J", "Lee K"), 2019)
    assert (citation.title, citation.journal, citation.volume, citation.pages) == (
        "A 1:1 comparison of widgets", "Widget Journal", "12", "45-47"
    )


def test_an_empty_reference_list_is_refused():
    from litmus.references import ReviewParseError, parse_review_markdown

    with pytest.raises(ReviewParseError, match="has no entries"):
        parse_review_markdown("# A review\n\nSome text.\n\n## References\n\n", review_id="empty")
