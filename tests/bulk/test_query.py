"""The `--keep` query language."""

from __future__ import annotations

import pytest

from litmus.bulk.query import QueryError, compile_query

from .conftest import make_record

CAR_T = make_record(1, mesh=("Immunotherapy, Adoptive", "Humans"), keywords=("CAR-T",),
                    pubtypes=("Journal Article", "Clinical Trial, Phase I"))
OTHER = make_record(2016, title="Statins after myocardial infarction.", mesh=("Humans",))


@pytest.mark.parametrize(
    ("query", "car_t", "other"),
    [
        ('mesh:"immunotherapy, adoptive"', True, False),
        ("keyword:CAR-T OR mesh:Humans", True, True),
        ("mesh:Humans AND NOT keyword:CAR-T", False, True),
        ("mesh:Humans NOT keyword:CAR-T", False, True),  # no operator means AND
        ('pubtype:"Clinical Trial"', True, False),  # matches the phase-specific types
        ("year:2016", True, False),  # make_record(1) is published 2016, make_record(2016) in 2021
        ("year:2020-2024", False, True),
        ("text:statins?", False, True),
        ("(keyword:x OR mesh:humans) AND journal:blood", True, True),
        ("lang:eng AND NOT (text:statin OR text:leukemia)", False, False),
    ],
)
def test_queries(query, car_t, other):
    keep = compile_query(query)
    assert (keep(CAR_T), keep(OTHER)) == (car_t, other)


@pytest.mark.parametrize(
    ("query", "message"),
    [("", "empty"), ("immunotherapy", "not field:value"), ("colour:red", "unknown field"),
     ("(mesh:x", r"missing '\)'"), ("mesh:x OR", "ends where"), ("year:20x", "year"), ('text:"("', "regular expression")],
)
def test_bad_queries_say_what_is_wrong(query, message):
    with pytest.raises(QueryError, match=message):
        compile_query(query)
