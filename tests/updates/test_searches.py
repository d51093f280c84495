"""Saved searches: the shipped defaults load, filters become PubMed syntax, mistakes are named."""

from __future__ import annotations

from datetime import date

import pytest

from litmus.updates.searches import SearchConfigError, load_searches


def write(tmp_path, text: str):
    path = tmp_path / "searches.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_searches_cover_the_topics_of_the_issue():
    searches = {s.name: s for s in load_searches()}
    assert {"cd19-cd22-dual-car-t", "bcma-car-t-myeloma", "car-t-btk-inhibitors", "car-nk-b-cell"} <= set(searches)
    assert all(s.query and s.lookback_days == 365 for s in searches.values())
    assert '"Clinical Trial"[pt]' in searches["bcma-car-t-myeloma"].term


def test_filters_are_anded_onto_the_query_in_pubmed_syntax(tmp_path):
    path = write(tmp_path, """
lookback_days = 30
[[search]]
name = "bcma"
query = "BCMA[tiab]   AND myeloma[tiab]"
publication_types = ["Clinical Trial", "Observational Study"]
languages = ["english"]
published_from = 2019-01-01
published_to = "2024-06-30"
""")
    [search] = load_searches(path)
    assert search.lookback_days == 30
    assert search.published_from == date(2019, 1, 1) and search.published_to == date(2024, 6, 30)
    assert search.term == (
        '(BCMA[tiab] AND myeloma[tiab]) AND ("Clinical Trial"[pt] OR "Observational Study"[pt])'
        ' AND (english[la]) AND ("2019/01/01"[dp] : "2024/06/30"[dp])'
    )


def test_a_search_without_filters_is_sent_as_written(tmp_path):
    [search] = load_searches(write(tmp_path, '[[search]]\nname = "nk"\nquery = "CAR-NK[tiab]"\n'))
    assert search.term == "CAR-NK[tiab]"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[[search]]\nname = "bcma"\nquery = "BCMA"\npublication_type = ["Review"]\n',
         "search 'bcma': unknown key(s) publication_type"),
        ('[[search]]\nname = "bcma"\nquery = "   "\n', "search 'bcma': query is empty"),
        ('[[search]]\nname = "bcma"\nquery = "BCMA"\npublished_from = "2019-13-01"\n',
         "search 'bcma': published_from: not a date"),
        ('[[search]]\nname = "bcma"\nquery = "BCMA"\npublished_from = 2020-01-01\npublished_to = 2019-01-01\n',
         "is after published_to"),
        ('[[search]]\nname = "Bad Name"\nquery = "BCMA"\n', "name must be a slug"),
        ('[[search]]\nname = "a"\nquery = "x"\n[[search]]\nname = "a"\nquery = "y"\n', "search 'a' is defined twice"),
        ('[[search]]\nname = "a"\nquery = "(x"\n', "unbalanced parentheses"),
        ('[[search]]\nname = "a"\nquery = "x"\nlookback_days = 0\n', "lookback_days must be a whole number"),
        ('serch = 1\n', "unknown top-level key(s) serch"),
        ('lookback_days = 5\n', "no [[search]] table"),
        ('[[search]\n', "not valid TOML"),
    ],
)
def test_config_errors_name_the_file_and_the_search(tmp_path, body, expected):
    path = write(tmp_path, body)
    with pytest.raises(SearchConfigError) as caught:
        load_searches(path)
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(SearchConfigError, match="no such saved-searches file"):
        load_searches(tmp_path / "absent.toml")
