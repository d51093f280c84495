"""The evidence per outcome never shows a count its source does not state, unless marked derived."""

import pytest

from litmus.outcomes import evidence_as_rows, outcome_evidence, study_rows


def by_pmid(rows):
    return {row["pmid"]: row for row in rows}


def test_a_percentage_alone_gives_no_stated_count(trials_warehouse):
    cr = by_pmid(study_rows(trials_warehouse, "CR"))
    only_percent = cr["900002"]
    assert only_percent["rate_pct"] == 72.0
    assert only_percent["events"] is None and only_percent["total"] is None  # the abstract states no k/n
    # 72% of the 25 treated patients gives 18/25 back exactly: shown, but marked derived
    assert only_percent["k_n_source"] == "derived"
    assert (only_percent["derived_events"], only_percent["derived_total"]) == (18, 25)
    assert "recomputed from 72%" in only_percent["derivation"]
    assert not only_percent["poolable"]
    stated = cr["900001"]
    assert (stated["events"], stated["total"], stated["k_n_source"]) == (12, 20, "stated")
    assert stated["derived_events"] is None and stated["poolable"]
    assert "12 of 20" in stated["quote"]


def test_a_count_with_its_percentage_gives_a_derived_denominator(trials_warehouse):
    row = by_pmid(study_rows(trials_warehouse, "ORR"))["900004"]
    assert (row["events"], row["total"], row["rate_pct"]) == (9, None, 75.0)  # "9 patients (75%)"
    assert (row["derived_events"], row["derived_total"], row["k_n_source"]) == (9, 12, "derived")
    assert "n = 12, recomputed from the 9 events and 75%" in row["derivation"]


def test_an_absence_in_words_states_no_events_but_not_the_denominator(trials_warehouse):
    row = by_pmid(study_rows(trials_warehouse, "CRS_GE3"))["900005"]
    assert (row["events"], row["total"], row["stated_as_absent"]) == (0, None, True)
    assert (row["derived_events"], row["derived_total"], row["k_n_source"]) == (0, 12, "derived")
    assert "no event, stated in words" in row["derivation"] and not row["poolable"]


def test_derived_counts_are_left_out_of_pooling_unless_asked(trials_warehouse):
    default = outcome_evidence(trials_warehouse, "CR")
    assert default.overall.k == 2 and (default.overall.events, default.overall.total) == (36, 50)
    assert [row.pmid for row in default.not_pooled] == ["900002"]
    assert "900002" not in default.weights and sum(default.weights.values()) == pytest.approx(1.0)
    with_derived = outcome_evidence(trials_warehouse, "CR", include_derived=True)
    assert with_derived.overall.k == 3 and with_derived.overall.events == 54


def test_each_study_appears_once_under_its_primary_strategy(trials_warehouse):
    evidence = outcome_evidence(trials_warehouse, "CR")
    pmids = [row.pmid for group in evidence.subgroups for row in group.studies]
    assert sorted(pmids) == ["900001", "900002", "900003"]
    labels = {group.label for group in evidence.subgroups}
    assert all("_" not in label and ":" not in label for label in labels)  # human labels, not codes
    assert "Dual targeting — tandem CAR" in labels
    family = outcome_evidence(trials_warehouse, "CR", by="family")
    assert "Dual targeting" in [group.label for group in family.subgroups]
    assert sum(len(group.studies) for group in family.subgroups) == 3


def test_rows_carry_provenance_for_the_reader(trials_warehouse):
    row = by_pmid(study_rows(trials_warehouse, "CRS_GE3"))["900001"]
    assert row["pubmed_url"] == "https://pubmed.ncbi.nlm.nih.gov/900001/"
    assert row["study"] == "Alpha 2021" and row["phase"] == "phase 1" and row["allocation"] == "single-arm"
    assert row["line_of_therapy"] == "relapsed/refractory"
    assert row["cited_by_review"] is False  # no review in this warehouse cites it


def test_pooled_estimates_table_matches_the_library(trials_warehouse):
    stored = trials_warehouse.execute(
        "SELECT k, events, total, proportion_pct FROM pooled_estimates"
        " WHERE outcome = 'CR' AND grouping = 'overall' AND method = 'REML'").fetchall()
    overall = outcome_evidence(trials_warehouse, "CR").overall
    assert stored == [(2, 36, 50, pytest.approx(100 * overall.proportion))]
    methods = {m for (m,) in trials_warehouse.execute("SELECT DISTINCT method FROM pooled_estimates").fetchall()}
    assert {"REML", "DL", "single study"} <= methods


def test_plain_rows_for_artifacts(trials_warehouse):
    rows = evidence_as_rows(trials_warehouse, outcomes=("CR",))
    assert {r["pmid"] for r in rows["studies"]} == {"900001", "900002", "900003"}
    assert next(r for r in rows["studies"] if r["pmid"] == "900002")["pooled"] is False
    overall = next(r for r in rows["pooled"] if r["grouping"] == "overall")
    assert sorted(overall["pmids"]) == ["900001", "900003"] and overall["not_pooled"] == ["900002"]


def test_unknown_grouping_is_refused(trials_warehouse):
    with pytest.raises(ValueError, match="cannot group by"):
        outcome_evidence(trials_warehouse, "CR", by="journal")
