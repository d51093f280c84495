"""`litmus update --live --record`: the answers of a live update are saved for replay, and an offline
update of the same day then runs from them alone; `--record` without `--live` is refused at once."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from datetime import date

import pytest
from fake_eutils import FakeEutils

from litmus.updates.searches import SavedSearch

pytestmark = pytest.mark.integration

SEARCHES = '[[search]]\nname = "tandem"\nquery = "tandem CAR[tiab]"\nlookback_days = 30\n'


def run(litmus, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = litmus(list(argv))
    return status, out.getvalue(), err.getvalue()


def test_record_without_live_is_refused_before_anything_runs(litmus, warehouse):
    status, out, err = run(litmus, "update", "--record", "--warehouse", str(warehouse))
    assert status == 2 and out == "" and "--record saves live answers" in err
    assert not warehouse.exists()


def test_a_recorded_live_update_replays_offline(prefect_api, litmus, monkeypatch, tmp_path, project_root):
    home = tmp_path / "home"  # LITMUS_HOME: the recording goes to home/corpus/entrez, not the checkout's
    (home / "corpus").mkdir(parents=True)
    searches = home / "corpus" / "searches.toml"
    searches.write_text(SEARCHES)
    shutil.copytree(project_root / "corpus" / "entrez" / "pubmed", home / "corpus" / "entrez" / "pubmed")
    monkeypatch.setenv("LITMUS_HOME", str(home))
    monkeypatch.setenv("NCBI_EMAIL", "record@example.org")
    with FakeEutils() as fake:
        monkeypatch.setenv("LITMUS_EUTILS_URL", fake.base_url)
        fake.add_records(["36200001"])
        fake.add_search(SavedSearch("tandem", "tandem CAR[tiab]").term, ["36200001"], dates={"36200001": date(2026, 1, 4)})
        status, out, err = run(litmus, "update", "--live", "--record", "--as-of", "2026-01-05", "--no-extract",
                               "--json", "--warehouse", str(tmp_path / "live.duckdb"))
    assert status == 0, err
    live = json.loads(out)
    assert live["new_pmids"] == ["36200001"] and "recording into" in live["mode"]
    assert list((home / "corpus" / "entrez" / "esearch").glob("*.xml"))

    status, out, err = run(litmus, "update", "--as-of", "2026-01-05", "--no-extract", "--json",
                           "--warehouse", str(tmp_path / "offline.duckdb"))
    assert status == 0, err
    offline = json.loads(out)
    assert offline["new_pmids"] == ["36200001"]
    assert live["requests_sent"] == offline["requests_sent"] == len(offline["requests"]) == 2  # ESearch, EFetch
