"""A small report with hostile text, shared by the HTML and browser tests; its evidence comes from the
invented trials warehouse (tests/evidence_trials.py), its claims and citations are written here."""

import pytest

from litmus.outcomes import POOLED_OUTCOMES, outcome_evidence
from litmus.report.html import ClaimRow, FactRow, ReportData
from litmus.report.sections import CitationRow, NewStudyRow, Provenance

HOSTILE = "<script>alert('x')</script>"


@pytest.fixture
def report_data(trials_warehouse) -> ReportData:
    outcomes = [e for e in (outcome_evidence(trials_warehouse, o) for o in POOLED_OUTCOMES) if e.subgroups]
    return ReportData(
        title=f"A review {HOSTILE}",
        claims=[
            ClaimRow("c01", f"Text with {HOSTILE}", "supported", "all figures match", ("3",), "Results", (),
                     (FactRow("CR", "71%", "supported", "reports 71.4%", "3", "71.4%", "CR was 71.4%."),)),
            ClaimRow("c02", "Another claim", "contradicted", "CR differs", ("Nan et al.",), flags=("retracted: 4",),
                     facts=(FactRow("CR", "60%", "contradicted", "reports 86%", "Nan et al.", "86%", "CR was 86%.",
                                    "value"),), discrepancy_kinds=("value",)),
            ClaimRow("c03", "A third claim", "supported_with_discrepancy", "composite", ("5",),
                     facts=(FactRow("CR", "86%", "supported_with_discrepancy", "the source's 86% is CR/CRi", "5",
                                    "86%", None, "composite_endpoint"),), discrepancy_kinds=("composite_endpoint",)),
        ],
        outcomes=outcomes,
        citations=[
            CitationRow("3", f"Alpha et al. Tandem CAR {HOSTILE} (2021)", "900001", "doi", 1.0, "DOI search: 1 hit"),
            CitationRow("Nan et al.", "Nan et al. A case report (2022)", None, "unresolved", 0.0,
                        "DOI search, title search: offline corpus has no answer for this request; run with --live to resolve"),
        ],
        new_studies=[NewStudyRow("900003", "Gamma 2023", "Sequential CD19 and CD22 CAR T-cell infusion", ("cd19-cd22",),
                                 "2026-01-05", False, True)],
        provenance=Provenance("offline replay of corpus/ (no request to NCBI)", "2026-12-08 09:00 UTC",
                              "litmus-run, completed 2026-12-08 08:59 UTC", "0.1.0", "1.3.2", "/tmp/litmus.duckdb"),
        review_id="test-review",
    )
