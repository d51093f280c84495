import re

from litmus.report.html import ReportData, render_report

HOSTILE = "<script>alert('x')</script>"  # as in tests/report/conftest.py


def test_report_is_self_contained_and_escaped(report_data, tmp_path):
    files = render_report(report_data, tmp_path)
    page = files.html.read_text()
    assert HOSTILE not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert page.count("<script>") == 1  # ours only
    # nothing is loaded from elsewhere; the only outward links are anchors to PubMed records
    assert not re.search(r"""src\s*=\s*["']?(?:https?:)?//|url\(\s*["']?https?:|@import|<link\b""", page)
    assert set(re.findall(r'href="(https?://[^/"]+)', page)) == {"https://pubmed.ncbi.nlm.nih.gov"}
    assert "<svg" in page and 'data-verdict="contradicted"' in page and 'data-cites="|Nan et al.|"' in page
    for svg, png in files.forests:
        assert HOSTILE not in svg.read_text() and png.read_bytes().startswith(b"\x89PNG")
    assert [svg.name for svg, _ in files.forests] == ["forest-CR.svg", "forest-ORR.svg", "forest-CRS_GE3.svg"]


def test_evidence_sections_show_stated_and_derived_counts_apart(report_data, tmp_path):
    page = render_report(report_data, tmp_path).html.read_text()
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/900001/">Alpha 2021</a>' in page
    assert "12/20" in page  # stated by the abstract
    assert '18/25 ‡</span>' in page and "recomputed from 72%" in page and "not pooled" in page
    assert 'data-pmid="900002" data-pooled="false"' in page and 'data-pmid="900001" data-pooled="true"' in page
    assert "Pooled over 2 studies (36/50 patients)" in page
    assert "Dual targeting — tandem CAR" in page and "dual_targeting:" not in page


def test_the_summary_says_when_the_continuity_correction_carries_a_zero_event_study(trials_warehouse):
    from litmus.outcomes import outcome_evidence
    from litmus.report.sections import outcome_section

    asked = outcome_section(outcome_evidence(trials_warehouse, "CRS_GE3", include_derived=True), "")
    assert "1 study(ies) with no events (or only events) entered with 0.5 added" in asked
    default = outcome_section(outcome_evidence(trials_warehouse, "CRS_GE3"), "")
    assert "0.5 added" not in default and "Pooled over 2 studies (9/50 patients)" in default


def test_citations_new_studies_and_provenance(report_data, tmp_path):
    page = render_report(report_data, tmp_path).html.read_text()
    assert "1 of 2 citations resolved to a PubMed record; 1 unresolved." in page
    assert "run with --live to resolve" in page and '<span class="unresolved">unresolved</span>' in page
    assert "new in the last update" in page and "† not cited by the review" in page
    assert "offline replay of corpus/" in page and "litmus 0.1.0" in page and "/tmp/litmus.duckdb" in page
    assert re.search(r'<span id="js-status"[^>]*hidden', page)  # the script's status is for tests, not readers


def test_report_without_evidence_still_renders(tmp_path):
    files = render_report(ReportData(title="Empty"), tmp_path)
    page = files.html.read_text()
    assert "No outcome figures" in page and "no citations on record" in page and files.forests == ()


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
