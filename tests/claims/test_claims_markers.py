from litmus.claims.markers import author_mentions, expand_number_list, find_markers, find_numbered_markers


def keys(text, n=10):
    return [m.keys for m in find_numbered_markers(text, n)]


def test_numbered_markers_lists_and_ranges():
    assert keys("shown (3). Also (4, 5) and (3–5) and [7] and (9, 10).") == [
        ("3",), ("4", "5"), ("3", "4", "5"), ("7",), ("9", "10")]


def test_out_of_range_numbers_years_and_abbreviations_are_not_markers():
    assert keys("in (2020) with complete remission (CR) in (r/r) cases (11) and (0)") == []
    assert keys("cohort (2020)", n=None) == []


def test_enumeration_labels_are_not_citations():
    text = "three aspects: (1) the cells' lifespan; (2) antigen loss; and (3) the niche. A review (1) and more."
    markers = find_numbered_markers(text, 10)
    assert [m.keys for m in markers] == [("1",)]
    assert text[markers[0].start - 7:markers[0].start] == "review "


def test_named_citations_with_or_without_full_stop():
    text = "As Nan et al. showed, and Nan et al found, unlike Nancy et al. (2)."
    markers = find_markers(text, named_citations=["Nan et al."], n_references=5)
    assert [(m.kind, m.keys) for m in markers] == [
        ("named", ("Nan et al.",)), ("named", ("Nan et al.",)), ("numbered", ("2",))]


def test_range_expansion_and_author_mentions():
    assert expand_number_list("3-5, 8") == [3, 4, 5, 8]
    assert expand_number_list("9-2") == []
    assert author_mentions("Tong et al. and Smith and Jones et al. then Tong et al.") == [
        "Tong et al.", "Smith and Jones et al."]


def test_numbered_markers_of_any_length_link_when_the_list_is_that_long():
    text = "as reported (1050) and [998, 1200-1202]."
    assert keys(text, n=1300) == [("1050",), ("998", "1200", "1201", "1202")]
    assert keys(text, n=1000) == []  # beyond the reference list: not a citation


def test_flattened_superscripts_after_punctuation_or_a_name():
    text = ("PFS at 12 months was 64%.6 Dual targeting helps. Two trials,3,4 both small, agree. "
            "Tong et al.6 recruited 28 cases; the CR rate was 71.4% in 2019.2 and Fig.1 shows it.")
    markers = find_numbered_markers(text, 10)
    assert [m.keys for m in markers] == [("6",), ("3", "4"), ("6",)]
    assert [text[m.start:m.end] for m in markers] == ["6", "3,4", "6"]


def test_flattened_superscript_ends_its_sentence():
    from litmus.claims.text import sentence_spans

    text = "The CR and PFS rates were 71% and 64%, respectively.6 Dual targeting may help."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "The CR and PFS rates were 71% and 64%, respectively.6", "Dual targeting may help."]


def test_author_year_markers_are_keyed_by_the_reference_they_name():
    from litmus.records import Citation

    citations = [Citation("1", "numbered", authors=("Smith J",), year=2020),
                 Citation("2", "numbered", authors=("van der Berg A",), year=2019)]
    text = ("Dual CARs work (Smith et al., 2020; van der Berg and Lee 2019). Smith et al. (2020) saw it, "
            "unlike (Brown, 2018), in (January 2021) or (CR, 2020).")
    found = find_markers(text, named_citations=[], citations=citations)
    assert [(m.kind, m.keys) for m in found] == [
        ("author_year", ("1", "2")), ("author_year", ("1",)), ("author_year", ("Brown 2018",))]
