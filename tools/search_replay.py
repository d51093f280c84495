"""The offline replay of the default saved searches: two consecutive days of a simulated PubMed feed.

A fresh clone runs `litmus update --as-of 2026-01-05`, then `--as-of 2026-01-06`, with no
network. The ESearch answers those runs need are generated here from our own facts, the way
tools/record_review_answers.py generates the review's answers, and checked in under corpus/entrez/esearch:

- only real PMIDs: the extension studies of ../shared/reviews/bibliography-facts.json that have
  a PMID and are shipped as corpus/papers/<pmid>.toml (their EFetch records are already there);
- each assigned to the saved search its topic belongs to, and to a day of the scenario.
  The days are a scenario, not PubMed's real Entrez dates (these papers were added in 2019-2023):
  day 1's papers carry the Entrez date 2026-01-04, day 2's 2026-01-05.

The answers are recorded by running the real incremental code (`update_search`) through
`ScenarioTransport`, so they hold exactly the requests a run makes; any other request is a
`ReplayMiss`. Re-run after changing corpus/searches.toml or the incremental code:

    .venv/bin/python tools/search_replay.py
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Mapping, Sequence
from xml.sax.saxutils import escape

from litmus.entrez.replay import ReplayMiss, ReplayStore, is_pubmed_fetch_by_id
from litmus.entrez.requests import EntrezRequest, EntrezResponse

FIRST_DAY = date(2026, 1, 5)
SECOND_DAY = date(2026, 1, 6)
_DAY1_EDAT = FIRST_DAY - timedelta(days=1)
_DAY2_EDAT = SECOND_DAY - timedelta(days=1)

# search name -> {PMID: its Entrez date in the scenario}. Topics follow the papers' titles.
SCENARIO: dict[str, dict[str, date]] = {
    "cd19-cd22-dual-car-t": {"34312556": _DAY1_EDAT, "36346962": _DAY2_EDAT},
    "bcma-car-t-myeloma": {"30988175": _DAY1_EDAT, "31042825": _DAY2_EDAT},
    "car-t-btk-inhibitors": {},  # the TARMAC study (ibrutinib) has no PMID in our facts
    "car-nk-b-cell": {},  # nor has the CAR-NK study
    "car-t-bridging-lbcl": {"32589728": _DAY1_EDAT, "36724512": _DAY2_EDAT},
    "car-t-imid-maintenance": {"35433994": _DAY2_EDAT},
}

ESEARCH_DOCTYPE = (
    '<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
    '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">'
)


def _parse_day(text: str) -> date:
    year, month, day = (int(part) for part in text.split("/"))
    return date(year, month, day)


def esearch_answer(term: str, ids: Sequence[str], count: int, retstart: int, history: tuple[str, str] | None) -> bytes:
    id_list = "".join(f"<Id>{pmid}</Id>" for pmid in ids)
    keys = f"<QueryKey>{history[1]}</QueryKey><WebEnv>{history[0]}</WebEnv>" if history else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        f"{ESEARCH_DOCTYPE}\n"
        f"<eSearchResult><Count>{count}</Count><RetMax>{len(ids)}</RetMax><RetStart>{retstart}</RetStart>{keys}"
        f"<IdList>{id_list}</IdList><TranslationSet/>"
        f"<QueryTranslation>{escape(term)}</QueryTranslation></eSearchResult>\n"
    ).encode()


class ScenarioTransport:
    """Answers ESearch over date windows from a scenario and EFetch from the replay store.

    `edat[term]` and `mdat[term]` map PMIDs to dates (mdat defaults to edat: a record is modified
    when it is created). Anything else raises `ReplayMiss`.
    """

    def __init__(
        self,
        entrez_dir: Path,
        edat: Mapping[str, Mapping[str, date]],
        mdat: Mapping[str, Mapping[str, date]] | None = None,
    ):
        self.store = ReplayStore(entrez_dir)
        self.edat = {term: dict(ids) for term, ids in edat.items()}
        self.mdat = {term: dict(ids) for term, ids in (mdat or edat).items()}
        self.requests: list[EntrezRequest] = []

    def send(self, request: EntrezRequest) -> EntrezResponse:
        self.requests.append(request)
        if request.utility == "esearch" and request.param("db", "pubmed") == "pubmed":
            dates = (self.mdat if request.param("datetype") == "mdat" else self.edat).get(request.param("term") or "")
            if dates is not None and request.param("mindate") and request.param("maxdate"):
                return EntrezResponse(200, self._search(request, dates), {}, request)
        if is_pubmed_fetch_by_id(request):
            return EntrezResponse(200, self.store.load(request), {}, request)
        raise ReplayMiss(request, "not part of the saved-search replay scenario")

    def _search(self, request: EntrezRequest, dates: Mapping[str, date]) -> bytes:
        low, high = _parse_day(request.param("mindate")), _parse_day(request.param("maxdate"))
        ids = sorted((p for p, d in dates.items() if low <= d <= high), key=lambda p: (dates[p], p), reverse=True)
        retstart, retmax = int(request.param("retstart", "0")), int(request.param("retmax", "20"))
        history = None
        if request.param("usehistory") == "y":  # deterministic, so the recorded files do not churn
            history = (f"MCID_litmus_scenario_{request.digest[:12]}", "1")
        return esearch_answer(request.param("term"), ids[retstart : retstart + retmax], len(ids), retstart, history)

    def close(self) -> None:
        pass


class EsearchRecorder:
    """Wraps a transport and saves its ESearch answers only (the PubMed records are built from TOML)."""

    def __init__(self, inner, entrez_dir: Path):
        self.inner = inner
        self.store = ReplayStore(entrez_dir)
        self.written: list[Path] = []

    @property
    def requests(self) -> list[EntrezRequest]:
        return self.inner.requests

    def send(self, request: EntrezRequest) -> EntrezResponse:
        return self.inner.send(request)

    def accept(self, request: EntrezRequest, response: EntrezResponse) -> None:
        if request.utility == "esearch" and response.status == 200:
            self.written += self.store.save(request, response.body)

    def close(self) -> None:
        self.inner.close()


def check_scenario(papers_dir: Path, facts_path: Path | None) -> list[str]:
    """Every scenario PMID must be shipped in corpus/papers and, when the facts file is at hand,
    be an extension study there: the replay never claims a PMID we do not know."""
    import json

    problems = []
    known = None
    if facts_path is not None and facts_path.is_file():
        facts = json.loads(facts_path.read_text(encoding="utf-8"))
        known = {str(s["pmid"]) for s in facts.get("extension_studies", []) if s.get("pmid")}
    for search, dates in SCENARIO.items():
        for pmid in dates:
            if not (papers_dir / f"{pmid}.toml").is_file():
                problems.append(f"{search}: PMID {pmid} has no corpus/papers/{pmid}.toml")
            if known is not None and pmid not in known:
                problems.append(f"{search}: PMID {pmid} is not an extension study with a PMID in {facts_path}")
    return problems


def build_search_replay(
    searches_path: Path,
    entrez_dir: Path,
    days: Sequence[date] = (FIRST_DAY, SECOND_DAY),
    scenario: Mapping[str, Mapping[str, date]] = SCENARIO,
    articles_dir: Path | None = None,
) -> list[Path]:
    """Run the saved searches for each day against the scenario and save every ESearch answer
    under `entrez_dir`; PubMed records are read from `articles_dir` (default: `entrez_dir`)."""
    from litmus.entrez.client import EntrezClient
    from litmus.updates.incremental import update_search
    from litmus.updates.searches import load_searches
    from litmus.warehouse import open_warehouse

    searches = load_searches(searches_path)
    unknown = sorted(set(scenario) - {s.name for s in searches})
    if unknown:
        raise ValueError(f"the scenario names searches {searches_path} does not define: {', '.join(unknown)}")
    by_term = {s.term: dict(scenario.get(s.name, {})) for s in searches}
    recorder = EsearchRecorder(ScenarioTransport(articles_dir or entrez_dir, by_term), entrez_dir)
    client = EntrezClient(recorder)
    with tempfile.TemporaryDirectory() as scratch, open_warehouse(Path(scratch) / "scenario.duckdb") as con:
        for day in days:
            run_id = uuid.uuid4().hex
            for search in searches:
                update_search(con, client, search, day, run_id=run_id)
    return sorted(set(recorder.written))


def main(argv: list[str] | None = None) -> int:
    from litmus.paths import corpus_dir, project_root
    from litmus.updates.searches import default_searches_path

    parser = argparse.ArgumentParser(
        prog="tools/search_replay.py",
        description="Regenerate corpus/entrez/esearch answers for the default saved searches (two scenario days).",
    )
    parser.add_argument("--searches", type=Path, default=default_searches_path())
    parser.add_argument("--entrez", type=Path, default=corpus_dir() / "entrez")
    parser.add_argument("--facts", type=Path, default=project_root().parent / "shared" / "reviews" / "bibliography-facts.json")
    arguments = parser.parse_args(argv)
    problems = check_scenario(arguments.entrez.parent / "papers", arguments.facts)
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    written = build_search_replay(arguments.searches, arguments.entrez)
    for path in written:
        print(path)
    print(f"{len(written)} file(s) written for as-of {FIRST_DAY} and {SECOND_DAY}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
