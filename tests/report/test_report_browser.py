"""Opens reports in headless Chromium: the script runs without errors, the sections a reader needs are
there, and a screenshot of the shipped review's report is kept in tests/artifacts/ for people to look at."""

import subprocess
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess:
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=90)


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install chromium to run the browser test")


@pytest.fixture
def report(browser, report_data, tmp_path):
    from litmus.report.html import render_report

    return render_report(report_data, tmp_path / "out").html


def test_script_runs_without_errors(report, tmp_path):
    result = chromium(tmp_path / "profile", "--enable-logging=stderr", "--v=0", "--dump-dom", report.as_uri())
    assert 'id="js-status" data-state="ready"' in result.stdout, result.stdout[-2000:] + result.stderr[-2000:]
    assert "3 of 3 claims shown" in result.stdout
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line]
    assert console == []


@pytest.mark.integration
def test_shipped_review_report_has_its_sections_and_a_screenshot(browser, shipped_run, tmp_path):
    from litmus.report.data import report_data
    from litmus.report.html import render_report
    from litmus.reviews import load_review_input
    from litmus.warehouse import connect

    warehouse = shipped_run[0]
    con = connect(warehouse, read_only=True)
    try:
        data = report_data(con, load_review_input(None).review_id, warehouse)
    finally:
        con.close()
    page = render_report(data, tmp_path / "out").html
    dom = chromium(tmp_path / "profile", "--dump-dom", page.as_uri()).stdout
    for section in ("claims", "evidence", "other-outcomes", "new-studies", "citations"):
        assert f'<section id="{section}">' in dom
    assert 'id="provenance"' in dom and "offline replay of corpus/" in dom
    assert dom.count('class="unresolved-row"') == 11 and "5 of 16 citations resolved" in dom
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/34642489/"' in dom  # Cordoba 2021, CR 13/15
    assert 'id="outcome-CR"' in dom and 'id="outcome-CR-CRi"' in dom and "13/15" in dom  # CR or CRi, stated
    # Cordoba 2021 and Wu 2021 say in words that no patient had grade >=3 CRS: k = 0 stated, n derived
    assert dom.count("no event, stated in words") >= 2
    assert 'data-state="ready"' in dom and "ready: " not in _visible_text(dom)

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    chromium(tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,8000", page.as_uri())
    assert shot.exists(), "chromium wrote no screenshot"
    import matplotlib.image

    pixels = matplotlib.image.imread(shot)
    assert pixels.shape[:2] == (8000, 1280)  # the whole report, down to the citations
    assert pixels[..., :3].std() > 0.05  # text, tables and plots, not an empty page


def _visible_text(dom: str) -> str:
    import re

    dom = re.sub(r'<span id="js-status"[^>]*hidden[^>]*>.*?</span>', "", dom, flags=re.S)
    return re.sub(r"<[^>]+>", " ", dom)
