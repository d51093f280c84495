"""The shipped two-day replay: regenerated identically, and only real PMIDs of shipped papers."""

from __future__ import annotations

import json
import re

from litmus.paths import corpus_dir
from search_replay import SCENARIO, build_search_replay, check_scenario
from litmus.updates.searches import default_searches_path


def test_the_builder_reproduces_the_shipped_answers(tmp_path):
    written = build_search_replay(default_searches_path(), tmp_path, articles_dir=corpus_dir() / "entrez")
    assert len(written) == 18  # 6 EDAT windows on day 1; EDAT and MDAT per search on day 2
    for path in written + [p.with_suffix(".request") for p in written]:
        shipped = corpus_dir() / "entrez" / "esearch" / path.name
        assert shipped.read_bytes() == path.read_bytes(), f"{shipped} is stale: run .venv/bin/python tools/search_replay.py"


def test_answers_hold_only_extension_studies_shipped_in_corpus_papers(shared_reviews):
    facts = json.loads((shared_reviews / "bibliography-facts.json").read_text())
    extension = {s["pmid"] for s in facts["extension_studies"] if s.get("pmid")}
    shipped = {p.stem for p in (corpus_dir() / "papers").glob("*.toml")}
    assert check_scenario(corpus_dir() / "papers", shared_reviews / "bibliography-facts.json") == []
    seen = set()
    for request in (corpus_dir() / "entrez" / "esearch").glob("*.request"):
        if "datetype=" not in request.read_text():
            continue  # the review's own answers, not ours
        answer = request.with_suffix(".xml").read_text()
        seen |= set(re.findall(r"<Id>(\d+)</Id>", answer))
    assert seen == {p for ids in SCENARIO.values() for p in ids}
    assert seen <= extension & shipped
