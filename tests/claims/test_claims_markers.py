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
