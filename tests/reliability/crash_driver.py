"""Runs litmus's stages (resolve, fetch + load, extract) against a fake E-utilities server, and can
stop dead at a chosen point so a test can SIGKILL it there. Test-only code: nothing in src/ knows.

    python crash_driver.py WAREHOUSE BASE_URL --pause {none,load,extract} --marker FILE

`--pause load` holds the 2nd paper batch's transaction open (papers inserted, child rows not yet);
`--pause extract` holds the 2nd extraction batch's transaction open (sentences in, entities not).
A pause in the fetch is scripted on the fake server instead (a slow 2nd EFetch).
The marker file is written when the pause begins, so the test knows when to kill.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from litmus.entrez import EntrezClient, LiveTransport, RateLimiter, RetryPolicy
from litmus.records import Citation, Review

PMIDS = [str(33_100_001 + i) for i in range(6)]
ABSTRACT = (
    "CD19 CAR-T cells were given to 20 patients with relapsed ALL. The overall response rate was 80% (16/20). "
    "Grade 3 or higher cytokine release syndrome occurred in 10% of patients. Median follow-up was 12 months."
)
REVIEW = Review(
    review_id="crash-review",
    title="A review that is interrupted",
    citations=tuple(Citation(str(i + 1), "numbered", pmid=pmid) for i, pmid in enumerate(PMIDS)),
)
PAUSE_SECONDS = 120.0
_nlp = None


def add_records(fake) -> None:
    for pmid in PMIDS:
        fake.add_record(pmid, title=f"CAR-T trial {pmid}", abstract=ABSTRACT)


def _pause_once(module, table: str, call_number: int, marker: Path) -> None:
    """Wrap `module.insert_arrow` so its `call_number`-th insert into `table` never returns."""
    original = module.insert_arrow
    calls = {"n": 0}

    def insert_arrow(con, name, data, **kwargs):
        written = original(con, name, data, **kwargs)
        if name == table:
            calls["n"] += 1
            if calls["n"] == call_number:
                marker.write_text("paused\n")
                time.sleep(PAUSE_SECONDS)
        return written

    module.insert_arrow = insert_arrow


def run(warehouse: Path, base_url: str, *, timeout: float = 60.0) -> None:
    """The whole job, uninterrupted unless a pause was installed."""
    global _nlp
    from litmus.extraction import extract_and_store, extractor_version, papers_to_extract
    from litmus.ingest import fetch_and_store, resolve_review
    from litmus.nlp.pipeline import build_pipeline
    from litmus.warehouse import open_warehouse

    transport = LiveTransport("crash@example.org", base_url=base_url, timeout=timeout, limiter=RateLimiter(1000, burst=1000))
    client = EntrezClient(transport, retry=RetryPolicy(max_attempts=2, base_delay=0.001), batch_size=2)
    with open_warehouse(warehouse) as con:
        resolved = resolve_review(con, REVIEW, client)
        fetch_and_store(con, client, [r.pmid for r in resolved.resolved], source="eutils")
        if _nlp is None:
            _nlp = build_pipeline()
        version = extractor_version()
        extract_and_store(con, _nlp, papers_to_extract(con, version), version, batch_size=2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("base_url")
    parser.add_argument("--pause", choices=["none", "load", "extract"], default="none")
    parser.add_argument("--marker", type=Path)
    args = parser.parse_args()
    if args.pause == "load":
        import litmus.warehouse.load as load

        _pause_once(load, "papers", 2, args.marker)
    elif args.pause == "extract":
        import litmus.extraction as extraction

        _pause_once(extraction, "sentences", 2, args.marker)
    run(args.warehouse, args.base_url, timeout=PAUSE_SECONDS * 2)


if __name__ == "__main__":
    main()
