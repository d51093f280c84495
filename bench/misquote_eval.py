"""The misquote benchmark: a review written to misquote its sources, verified end to end.

    .venv/bin/python bench/misquote_eval.py [--errors]

bench/misquote/ holds twelve fictional abstracts written by us (PMIDs 990000xx, no real record has
them), three of the shipped corpus's own-words abstracts, a review citing them (review.md) whose 72
claims are half correct and half carry one injected error each (value, endpoint swap, time point,
population count, composite, comparative wording), and the answer key (answers.toml).
bench/misquote/heldout/ is a second, smaller set (6 abstracts, 30 claims) written after the rules
were set; its first score, before its errors were studied, is in bench/misquote/README.md.

End to end, as a user would run it: the abstracts are written as one PubMed XML file, ingested and
extracted (`litmus ingest-files FILE --extract`), the review's citations resolved (`litmus ingest
--review review.md`: each reference states its PMID), and the review's own prose verified (`litmus
verify --review review.md`). Prints error recall by kind (a contradicted or supported_with_discrepancy
verdict), whether the discrepancy named is the injected kind, the false-alarm rate and the share of
correct claims `supported`, and coverage; writes bench/results/misquote_eval.json. --errors lists
every claim scored wrong.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import tomllib
from pathlib import Path

# The PubMed renderer builds corpora and fixtures, so it lives with the tools, not in litmus.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

BENCH = Path(__file__).resolve().parent
DATA = BENCH / "misquote"
PROJECT = BENCH.parent
HELD_OUT = DATA / "heldout"  # written after the rules were set (first score in misquote/README.md)
FLAGGED = {"contradicted", "supported_with_discrepancy"}
NOT_CHECKED = {"unverifiable", "source_unavailable", "not_in_source"}
# The discrepancy kinds that name each injected error.
EXPECTED_KINDS = {
    "value": {"value"},
    "endpoint_swap": {"endpoint_swap"},
    "timepoint": {"timepoint_differs", "timepoint_only_in_review"},
    "population_count": {"population_count"},
    "composite": {"composite_endpoint"},
    "comparative": {"no_comparator"},
}


def load_answers(data: Path = DATA) -> list[dict]:
    return tomllib.loads((data / "answers.toml").read_text(encoding="utf-8"))["claims"]


def write_pubmed_file(path: Path, data: Path = DATA) -> int:
    """The set's abstracts, and the shipped ones its review cites, as one PubMed XML file (what
    `litmus ingest-files` reads)."""
    from litmus.corpus.sources import load_paper, load_papers
    from litmus.paths import corpus_dir
    from pubmed_render import render_pubmed_article_set  # tools/: builds corpora and fixtures
    from litmus.reviews import load_review_input

    cited = {c.pmid for c in load_review_input(data / "review.md").citations if c.pmid}
    shipped = [corpus_dir() / "papers" / f"{pmid}.toml" for pmid in sorted(cited)]
    records = load_papers(data / "papers") + [load_paper(p) for p in shipped if p.is_file()]
    path.write_bytes(render_pubmed_article_set(records))
    return len(records)


def ingest(warehouse: Path, workdir: Path, data: Path = DATA) -> dict:
    """Steps 1-2: the PubMed file ingested and extracted, the review's citations resolved (offline)."""
    from litmus.bulk import ingest_and_extract
    from litmus.ingest import fetch_and_store, resolve_review
    from litmus.reviews import load_review_input
    from litmus.settings import EntrezSettings, make_client
    from litmus.warehouse import open_warehouse

    pubmed = workdir / "misquote-abstracts.xml"
    records = write_pubmed_file(pubmed, data)
    review = load_review_input(data / "review.md")
    client = make_client(EntrezSettings.from_flags())  # replay: every reference states its PMID
    with open_warehouse(warehouse) as con:
        ingest_and_extract(con, [pubmed], extract=True, workers=1)
        outcome = resolve_review(con, review, client)
        fetched = fetch_and_store(con, client, [r.pmid for r in outcome.resolutions if r.pmid], source="eutils")
    return {"records": records, "review_id": review.review_id, "resolved": sum(1 for r in outcome.resolutions if r.pmid),
            "citations": len(review.citations), "already_stored": fetched.already_stored}


def verify_with_library(warehouse: Path, data: Path = DATA) -> list[dict]:
    """Step 3 with the library: the review's prose verified and stored; the verdicts as `verify --json` gives them."""
    from litmus.reviews import load_review_input
    from litmus.verification import load_claims, read_verdicts, source_evidence, store_verdicts, verify_claims
    from litmus.warehouse import open_warehouse

    review = load_review_input(data / "review.md")
    claim_set = load_claims(review, review_text=data / "review.md", transcription=None)
    with open_warehouse(warehouse) as con:
        evidence = source_evidence(con, review.review_id)
        store_verdicts(con, review.review_id, verify_claims(claim_set.claims, evidence), origin=claim_set.origin,
                       evidence=evidence)
        return read_verdicts(con, review.review_id)


def score(claims: list[dict], answers: list[dict]) -> dict:
    """Error recall by kind, kind named, false alarms, supported share and coverage of `verify --json` output."""
    rows = []
    for answer in answers:
        found = [c for c in claims if answer["phrase"] in (c["claim"] or "")]
        claim = found[0] if found else None
        verdict = claim["verdict"] if claim else "missed"
        kinds = set(claim["discrepancy_kinds"]) if claim else set()
        rows.append({
            "phrase": answer["phrase"], "truth": answer["truth"], "verdict": verdict,
            "claim_id": claim["claim_id"] if claim else None, "discrepancy_kinds": sorted(kinds),
            "flagged": verdict in FLAGGED, "kind_named": bool(kinds & EXPECTED_KINDS.get(answer["truth"], set())),
            "checked": claim is not None and verdict not in NOT_CHECKED,
        })
    shared = {}
    for row in rows:
        shared.setdefault(row["claim_id"], []).append(row["phrase"])
    errors = [r for r in rows if r["truth"] != "correct"]
    correct = [r for r in rows if r["truth"] == "correct"]
    by_kind = {}
    for kind in EXPECTED_KINDS:
        of_kind = [r for r in errors if r["truth"] == kind]
        by_kind[kind] = {"claims": len(of_kind), "recall": _share(of_kind, "flagged"),
                         "kind_named": _share(of_kind, "kind_named")}
    return {
        "claims": len(rows), "errors": len(errors), "correct": len(correct),
        "error_recall": _share(errors, "flagged"), "kind_named": _share(errors, "kind_named"),
        "false_alarm_rate": _share(correct, "flagged"),
        "correct_supported": round(sum(r["verdict"] == "supported" for r in correct) / len(correct), 3),
        "coverage": _share(rows, "checked"),
        "missed_claims": sum(r["verdict"] == "missed" for r in rows),
        "claims_sharing_a_verdict": sum(len(p) for cid, p in shared.items() if cid and len(p) > 1),
        "by_kind": by_kind, "rows": rows,
    }


def _share(rows: list[dict], key: str) -> float:
    return round(sum(bool(r[key]) for r in rows) / len(rows), 3) if rows else 0.0


def run(workdir: Path, data: Path = DATA) -> dict:
    started = time.perf_counter()
    warehouse = workdir / "misquote.duckdb"
    ingested = ingest(warehouse, workdir, data)
    claims = verify_with_library(warehouse, data)
    result = score(claims, load_answers(data))
    result["ingest"] = ingested
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def print_result(result: dict, errors: bool = False) -> None:
    print(f"misquote benchmark: {result['claims']} claims ({result['errors']} with an injected error, "
          f"{result['correct']} correct); {result['seconds']} s")
    print(f"  error recall (contradicted or discrepancy): {result['error_recall']:.3f}; the injected kind named: "
          f"{result['kind_named']:.3f}")
    print(f"  false alarms on correct claims: {result['false_alarm_rate']:.3f}; correct claims supported: "
          f"{result['correct_supported']:.3f}; coverage (checked, not unverifiable/not in source/unavailable): "
          f"{result['coverage']:.3f}")
    for kind, figures in result["by_kind"].items():
        print(f"  {kind:17} {figures['claims']:2} claims: recall {figures['recall']:.2f}, kind named {figures['kind_named']:.2f}")
    if errors:
        for row in result["rows"]:
            wrong = row["flagged"] != (row["truth"] != "correct") or (row["truth"] == "correct" and row["verdict"] != "supported")
            if wrong:
                print(f"  [{row['truth']}] {row['verdict']} {row['discrepancy_kinds']} {row['claim_id']}: {row['phrase']}")


def main() -> None:
    args = sys.argv[1:]
    results = {}
    for name, data in (("benchmark", DATA), ("held_out", HELD_OUT)):
        with tempfile.TemporaryDirectory() as folder:
            result = run(Path(folder), data)
        print(f"[{name}: {data.relative_to(PROJECT)}]")
        print_result(result, errors="--errors" in args)
        results[name] = {k: v for k, v in result.items() if k != "rows"}
    out = BENCH / "results" / "misquote_eval.json"
    out.parent.mkdir(exist_ok=True)
    results["measured"] = time.strftime("%Y-%m-%d")
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(PROJECT)}")


if __name__ == "__main__":
    main()
