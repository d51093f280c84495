from litmus.claims.text import clean_review, sentence_spans, split_sentences

REVIEW = """## OPEN ACCESS

EDITED BY
Someone, Some University

# A review of things

Ann Author<sup>1</sup> and Bo Writer<sup>2\\*</sup>

<sup>1</sup>Department of Haematology, Example University Hospital

## Background

Dual CAR-T cells gave CD19<sup>+</sup> responses *in vivo* in the study by [Lee et al.](#) and others (2). The response was not

durable in all patients.

FIGURE 1

A caption that should vanish (3).

## Results

Smith et al. treated 12 patients, e.g. those with r/r disease; the CR rate was 83.3% vs. 50.0% in controls (4).

## Funding

Funded by a grant (5).

## References

1. Someone A. A paper. J Things (2020).
"""


def test_front_matter_byline_captions_and_back_matter_are_dropped():
    review = clean_review(REVIEW)
    assert review.title == "A review of things"
    assert "OPEN ACCESS" not in review.text and "Someone" not in review.text
    assert "Example University" not in review.text
    assert "caption" not in review.text
    assert "grant" not in review.text and "J Things" not in review.text
    assert [p.section for p in review.paragraphs] == ["Background", "Results"]


def test_inline_markup_is_removed_and_page_breaks_rejoined():
    review = clean_review(REVIEW)
    first = review.text[review.paragraphs[0].start:review.paragraphs[0].end]
    assert "CD19+ responses in vivo in the study by Lee et al. and others (2)." in first
    assert "was not durable in all patients." in first


def test_sentences_do_not_break_on_abbreviations_or_decimals():
    review = clean_review(REVIEW)
    sentences = [review.text[s.start:s.end] for s in split_sentences(review)]
    assert sentences[-1].startswith("Smith et al. treated 12 patients, e.g. those with r/r disease")
    assert sentences[-1].endswith("83.3% vs. 50.0% in controls (4).")
    assert len(sentences) == 3


def test_sentence_spans_are_offsets_into_the_text():
    text = "Alpha et al. found 1.5 units. Beta followed. (Gamma) too."
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["Alpha et al. found 1.5 units.", "Beta followed.", "(Gamma) too."]


def test_shared_editorial_cleans_to_body_only(shared_reviews):
    review = clean_review((shared_reviews / "zhang2022-editorial-car-t-resistance.md").read_text())
    sections = {p.section for p in review.paragraphs}
    assert "References" not in sections and "Funding" not in sections and "Publisher's note" not in sections
    assert "FIGURE" not in review.text and "doi:" not in review.text and "<sup>" not in review.text
    # No paragraph may end mid-sentence: page breaks were re-joined.
    for paragraph in review.paragraphs:
        assert review.text[paragraph.end - 1] in ".!?)" or paragraph.section == "Editorial on the Research Topic"


def test_a_clean_sentence_is_located_in_the_file_as_written():
    from litmus.claims.text import locate_in_source

    source = ("## Results\n\nTong *et al.* recruited 28 r/r NHL cases with CD19<sup>+</sup> disease; the CR\n"
              "rate was 71% [6](#ref6). Another line follows.\n")
    review = clean_review(source)
    (first, _) = split_sentences(review)
    sentence = review.text[first.start:first.end]
    start, end = locate_in_source(source, sentence)
    assert source[start:end].startswith("Tong *et al.* recruited") and source[start:end].endswith("(#ref6).")
    assert locate_in_source(source, "Words that are not there.") is None
