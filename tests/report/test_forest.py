"""The forest plot: a reviewer's layout, every number traceable to the evidence rows."""

import pytest

from litmus.outcomes import outcome_evidence
from litmus.report.forest import DERIVED, NOT_CITED, forest_lines, render_forest


def test_lines_group_studies_once_with_their_own_counts(trials_warehouse):
    lines = forest_lines(outcome_evidence(trials_warehouse, "CR"))
    studies = [line for line in lines if line.kind == "study"]
    assert sorted(line.label for line in studies) == [f"Alpha 2021 {NOT_CITED}", f"Beta 2022 {NOT_CITED}", f"Gamma 2023 {NOT_CITED}"]
    by_label = {line.label.split()[0]: line for line in studies}
    assert by_label["Alpha"].events_n == "12/20" and not by_label["Alpha"].hollow
    assert by_label["Alpha"].interval_text == "60.0 [36.1; 80.9]"  # Clopper-Pearson of 12/20
    assert by_label["Beta"].events_n == f"18/25 {DERIVED}" and by_label["Beta"].hollow and by_label["Beta"].weight == "—"
    weights = [float(line.weight.rstrip("%")) for line in studies if line.weight != "—"]
    assert sum(weights) == pytest.approx(100, abs=0.2)
    headings = [line.label for line in lines if line.kind == "heading"]
    assert headings and all(":" not in h and "_" not in h for h in headings)
    overall = [line for line in lines if line.kind == "overall"]
    assert len(overall) == 1 and overall[0].events_n == "36/50"


def test_including_derived_counts_pools_them(trials_warehouse):
    lines = forest_lines(outcome_evidence(trials_warehouse, "CR", include_derived=True))
    assert next(line for line in lines if line.kind == "overall").events_n == "54/75"
    assert any(line.kind == "prediction" for line in lines)  # k = 3: a prediction interval


def test_svg_and_png_are_written(trials_warehouse, tmp_path):
    svg = render_forest(outcome_evidence(trials_warehouse, "CR"), tmp_path / "f.svg", tmp_path / "f.png")
    assert svg.startswith("<svg") and "Alpha 2021" in svg and "Events/N" in svg and "Weight" in svg
    assert (tmp_path / "f.png").read_bytes().startswith(b"\x89PNG")
    assert "<metadata>" not in svg


def test_an_outcome_without_figures_still_draws(trials_warehouse, tmp_path):
    svg = render_forest(outcome_evidence(trials_warehouse, "ICANS_GE3"), tmp_path / "f.svg", tmp_path / "f.png")
    assert "No study reports" in svg
