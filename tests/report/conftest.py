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
            ClaimRow("c02", "Another claim", "contradicted", "CR differs", ("Nan et al.",), flags=("retracted: 4",)),
        ],
        evidence=[
            EvidenceRow(f"Tong 2020 {HOSTILE}", "CR", 71.4, "32777041", "tandem", "phase 1", 28, 20, 28),
            EvidenceRow("Cordoba 2021", "CR", 86.0, "34253922", "bispecific", "phase 1", 14),
            EvidenceRow("Wei 2022", "ORR", 87.7, None, "cocktail", None, 65),
            EvidenceRow("Wei 2022", "PFS", 14.8, None, "cocktail", unit="months"),
        ],
    )


