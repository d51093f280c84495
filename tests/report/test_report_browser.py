"""Opens the report in headless Chromium: the script must run without errors and the page must paint."""

import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess:
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


@pytest.fixture
def report(report_data, tmp_path):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install chromium to run the browser test")
    from litmus.report.html import render_report

    return render_report(report_data, tmp_path / "out").html


def test_script_runs_without_errors(report, tmp_path):
    result = chromium(tmp_path / "profile", "--enable-logging=stderr", "--v=0", "--dump-dom", report.as_uri())
    assert 'id="js-status" data-state="ready"' in result.stdout, result.stdout[-2000:] + result.stderr[-2000:]
    assert "3 of 3 claims shown" in result.stdout
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line]
    assert console == []


def test_screenshot_is_not_blank(report, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    chromium(tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2000", report.as_uri())
    assert shot.exists(), "chromium wrote no screenshot"
    import matplotlib.image

    pixels = matplotlib.image.imread(shot)
    assert pixels.shape[:2] == (2000, 1280)
    assert pixels[..., :3].std() > 0.05  # text, tables and the plot, not an empty page
