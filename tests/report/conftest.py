"""A small report with hostile text, shared by the HTML and browser tests."""

import pytest

from litmus.report.html import ClaimRow, EvidenceRow, FactRow, ReportData

HOSTILE = "<script>alert('x')</script>"


@pytest.fixture
def report_data() -> ReportData:
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
        evidence=[
            EvidenceRow(f"Tong 2020 {HOSTILE}", "CR", 71.4, "32777041", "tandem", "phase 1", 28, 20, 28),
            EvidenceRow("Cordoba 2021", "CR", 86.0, "34253922", "bispecific", "phase 1", 14),
            EvidenceRow("Wei 2022", "ORR", 87.7, None, "cocktail", None, 65),
            EvidenceRow("Wei 2022", "PFS", 14.8, None, "cocktail", unit="months"),
        ],
    )


