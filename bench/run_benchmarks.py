"""Bulk-scale benchmarks: parse, load, extract and end to end, with peak memory per run.

Every measurement runs in a fresh child process (`bench/bulk_scale.py`); this parent samples the
resident memory of the child and all its descendants from /proc every 200 ms (extraction workers
included, which `getrusage` would not add up) and prints a table. Results go to
bench/results/bulk_scale.json.

Inputs: synthetic PubMed files of 10k/30k/60k records (`bench/synthetic.py`, fixed seed, written
once to bench/.data/) and, when present, the real bulk files in ../shared/data/pubmed-files.

    .venv/bin/python bench/run_benchmarks.py            # everything (~15 min on 2 cores)
    .venv/bin/python bench/run_benchmarks.py --quick    # no 30k end-to-end extraction run
    .venv/bin/python bench/run_benchmarks.py --cap-margin   # only: 60k end to end under 64MB and 32MB caps (~5 min)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / ".data"
RESULTS = BENCH / "results" / "bulk_scale.json"
SHARED = Path(os.environ.get("LITMUS_SHARED_DIR", ROOT.parent / "shared")) / "data" / "pubmed-files"
sys.path.insert(0, str(BENCH))


def _tree_rss_bytes(pid: int) -> int:
    """Resident bytes of `pid` and its descendants, from /proc (no psutil needed)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
        stack.extend(children.get(current, []))
    return total


def measured(step: str, *arguments: str) -> dict:
    """Run one step in a child process; its JSON plus wall seconds and peak tree RSS."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, str(BENCH / "bulk_scale.py"), step, *map(str, arguments)],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = [0]

    def sample() -> None:
        while child.poll() is None:
            peak[0] = max(peak[0], _tree_rss_bytes(child.pid))
            time.sleep(0.2)  # a /proc scan costs ~10 ms: sample often enough, not more

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = child.communicate()
    sampler.join()
    if child.returncode != 0:
        raise RuntimeError(f"benchmark step {step} {arguments} failed (exit {child.returncode})")
    result = json.loads(output.strip().splitlines()[-1])
    result.update(wall_seconds=round(time.perf_counter() - started, 2), peak_rss_mb=round(peak[0] / 2**20, 1))
    return result


def synthetic_file(records: int) -> Path:
    from synthetic import write_synthetic_file

    path = DATA / f"synthetic-{records // 1000}k.xml.gz"
    if not path.exists():
        write_synthetic_file(path, records, seed=7, deletions=records // 1500)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the 10k/30k/60k end-to-end extraction runs")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--cap-margin", action="store_true",
                        help="only the 60k end-to-end run under smaller DuckDB caps, to bench/results/memory_cap_margin.json")
    args = parser.parse_args(argv)
    if args.cap_margin:
        return cap_margin(args.workers)
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()}, "runs": []}
    scratch = Path(tempfile.mkdtemp(prefix="litmus-bench-"))

    def record(kind: str, label: str, result: dict) -> None:
        results["runs"].append({"kind": kind, "input": label, **result})
        print(f"{kind:<22} {label:<26} " + ", ".join(f"{k}={v}" for k, v in result.items() if not isinstance(v, dict)),
              flush=True)

    for size in (10_000, 30_000, 60_000):
        file = synthetic_file(size)
        label = file.name
        parsed = measured("parse", file)
        parsed["records_per_second"] = round(parsed["items"] / parsed["seconds"])
        record("parse", label, parsed)
        loaded = measured("ingest", file, scratch / f"ingest-{size}.duckdb")
        loaded["records_per_second"] = round(loaded["records"] / loaded["seconds"])
        loaded["bytes_per_record"] = round(loaded["warehouse_bytes"] / loaded["kept"])
        record("ingest (parse+load)", label, loaded)

    for real in ("pubmed20n1015.xml.gz", "medline16n0902.xml.gz"):
        if (SHARED / real).exists():
            loaded = measured("ingest", SHARED / real, scratch / f"real-{real}.duckdb")
            loaded["records_per_second"] = round(loaded["records"] / loaded["seconds"])
            record("ingest (parse+load)", real, loaded)

    ten_k = synthetic_file(10_000)
    ours = measured("parse", ten_k)
    ours["records_per_second"] = round(ours["items"] / ours["seconds"])
    record("parse: litmus", ten_k.name, ours)
    try:
        theirs = measured("entrez-read", ten_k)
        theirs["records_per_second"] = round(theirs["records"] / theirs["seconds"])
        record("parse: Bio.Entrez.read", ten_k.name, theirs)
    except RuntimeError as error:
        print(f"Bio.Entrez.read skipped: {error}")

    inserts = measured("row-inserts", 2_000, scratch / "rows.duckdb")
    inserts["executemany_rows_per_second"] = round(inserts["rows"] / inserts["executemany_seconds"])
    inserts["arrow_rows_per_second"] = round(inserts["rows"] / inserts["arrow_seconds"])
    inserts["executemany_seconds_per_million_rows"] = round(1e6 / inserts["executemany_rows_per_second"])
    record("load: executemany vs Arrow", "2,000 paper rows", inserts)

    sizes = [] if args.quick else [10_000, 30_000, 60_000]
    if args.quick:
        sizes = [2_000]
    for size in sizes:
        file = synthetic_file(size) if size >= 10_000 else _small_file(size)
        run = measured("end-to-end", file, scratch / f"e2e-{size}.duckdb", args.workers)
        run["abstracts_per_second"] = round(run["extracted"]["papers"] / max(run["extract_seconds"], 1e-9), 1)
        run["target_met"] = run["wall_seconds"] <= 180 and run["peak_rss_mb"] <= 1024
        record(f"end-to-end ({args.workers} workers)", file.name, run)

    # A warehouse that grows file after file, as with PubMed's baseline: with and without DuckDB's cap.
    count, per = (3, 2_000) if args.quick else (8, 30_000)
    series = [series_file(index, per) for index in range(count)]
    from litmus.bulk import DEFAULT_MEMORY_LIMIT

    for memory in (DEFAULT_MEMORY_LIMIT, UNCAPPED):
        run = measured("file-series", scratch / f"series-{memory}.duckdb", memory, *series)
        run["peak_rss_mb_per_file"] = [f["peak_rss_mb"] for f in run["files"]]
        run["records_per_second"] = round(run["records"] / run["seconds"])
        record(f"file series, cap {memory}", f"{count} files x {per:,}", run)

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


def cap_margin(workers: int, caps: tuple[str, ...] = ("64MB", "32MB")) -> int:
    """How much room the default cap leaves: the 60k file end to end under smaller caps (a failure is a result)."""
    scratch = Path(tempfile.mkdtemp(prefix="litmus-bench-"))
    file = synthetic_file(60_000)
    runs = []
    for cap in caps:
        try:
            run = measured("end-to-end", file, scratch / f"cap-{cap}.duckdb", workers, cap)
        except RuntimeError as error:
            run = {"memory_cap": cap, "failed": str(error)}
        runs.append(run)
        print(", ".join(f"{k}={v}" for k, v in run.items() if not isinstance(v, dict)), flush=True)
    out = RESULTS.parent / "memory_cap_margin.json"
    out.write_text(json.dumps({"machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                               "input": file.name, "runs": runs}, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


UNCAPPED = "16GB"  # about DuckDB's own default (80% of RAM) on the 24 GiB machine the figures come from


def series_file(index: int, records: int) -> Path:
    """One of a series of files with distinct PMIDs, like consecutive baseline files."""
    from synthetic import write_synthetic_file

    path = DATA / f"series-{records}-n{index:04d}.xml.gz"
    if not path.exists():
        write_synthetic_file(path, records, seed=100 + index, first_pmid=50_000_000 + index * records)
    return path


def _small_file(size: int) -> Path:
    from synthetic import write_synthetic_file

    path = DATA / f"synthetic-{size}.xml.gz"
    if not path.exists():
        write_synthetic_file(path, size, seed=7)
    return path


if __name__ == "__main__":
    sys.exit(main())
