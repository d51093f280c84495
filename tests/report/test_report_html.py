import re

import pytest

from litmus.report.forest import forest_rows, wilson_interval
from litmus.report.html import ReportData, render_report

HOSTILE = "<script>alert('x')</script>"  # as in tests/report/conftest.py

def test_wilson_interval_known_values():
    low, high = wilson_interval(20, 28)
    assert low == pytest.approx(0.5291, abs=1e-3) and high == pytest.approx(0.8476, abs=1e-3)
    assert wilson_interval(0, 10)[0] == 0.0 and wilson_interval(10, 10)[1] == 1.0
    with pytest.raises(ValueError):
        wilson_interval(3, 0)


def test_forest_rows_use_counts_or_round_percent_times_n(report_data):
    rows = forest_rows(report_data.evidence)
    assert [(r.study, r.k, r.n) for r in rows] == [("Cordoba 2021", 12, 14), ("Wei 2022", 57, 65),
                                                   (f"Tong 2020 {HOSTILE}", 20, 28)]
    assert [r.strategy for r in rows] == ["bispecific", "cocktail", "tandem"]


def test_report_is_self_contained_and_escaped(report_data, tmp_path):
    files = render_report(report_data, tmp_path)
    page = files.html.read_text()
    assert HOSTILE not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert page.count("<script>") == 1  # ours only
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?https?:|@import""", page)
    assert "<svg" in page and 'data-verdict="contradicted"' in page and 'data-cites="|Nan et al.|"' in page
    assert files.forest_svg.read_text().count("Cordoba 2021") == 1
    assert HOSTILE not in files.forest_svg.read_text()
    assert files.forest_png.read_bytes().startswith(b"\x89PNG")


def test_report_without_evidence_still_renders(tmp_path):
    files = render_report(ReportData(title="Empty"), tmp_path)
    assert "No outcome figures" in files.html.read_text() and files.forest_png.exists()


def test_graded_verdicts_have_their_own_colour_glyph_and_a_discrepancy_filter(report_data, tmp_path):
    from litmus.report.html import VERDICT_GLYPH, VERDICT_ORDER, report_html

    page = report_html(report_data, "<svg></svg>")
    colours = re.findall(r"\.v-(\w+)\{background:(#[0-9a-f]{6})", page)
    assert {verdict for verdict, _ in colours} == set(VERDICT_ORDER)
    assert len({colour for _, colour in colours}) == len(VERDICT_ORDER)  # no two verdicts share a colour
    assert len(set(VERDICT_GLYPH.values())) == len(VERDICT_ORDER)
    assert '<select id="filter-kind">' in page
    assert '<option value="composite_endpoint">composite endpoint</option>' in page
    assert 'data-kinds="|composite_endpoint|"' in page and 'data-kinds="|value|"' in page
    assert "≈ supported with discrepancy" in page
