"""One measured step of the bulk benchmarks, run as a child process by `run_benchmarks.py`.

Each step prints one JSON object on stdout; the parent measures the child's peak memory (and that
of its worker processes) from outside, so the figures include everything the step allocated.

    python bench/bulk_scale.py parse FILE
    python bench/bulk_scale.py ingest FILE WAREHOUSE
    python bench/bulk_scale.py end-to-end FILE WAREHOUSE WORKERS [MEMORY]   (MEMORY: DuckDB cap, default the bulk one)
    python bench/bulk_scale.py file-series WAREHOUSE MEMORY FILE...
    python bench/bulk_scale.py entrez-read FILE
    python bench/bulk_scale.py row-inserts ROWS WAREHOUSE
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")


def parse(file: str) -> dict:
    from litmus.pubmed import iter_pubmed_xml

    started = time.perf_counter()
    count = sum(1 for _ in iter_pubmed_xml(file))
    return {"items": count, "seconds": time.perf_counter() - started}


def ingest(file: str, warehouse: str) -> dict:
    from litmus.bulk import ingest_files
    from litmus.warehouse import connect

    con = connect(warehouse)
    started = time.perf_counter()
    outcome = ingest_files(con, [file], force=True).files[0]
    seconds = time.perf_counter() - started
    con.close()
    return {"records": outcome.records, "kept": outcome.kept, "seconds": seconds,
            "warehouse_bytes": Path(warehouse).stat().st_size}


def end_to_end(file: str, warehouse: str, workers: str, memory: str | None = None) -> dict:
    from litmus.bulk import bulk_memory_limit, ingest_and_extract
    from litmus.warehouse import connect

    timings: dict[str, float] = {}
    started = time.perf_counter()
    con = connect(warehouse)

    def on_extract_start(name: str, count: int) -> None:
        timings["ingest_seconds"] = time.perf_counter() - started
        timings["to_extract"] = count

    summary = ingest_and_extract(con, [file], extract=True, version="bench", workers=int(workers),
                                 on_extract_start=on_extract_start, memory=memory)
    total = time.perf_counter() - started
    con.close()
    return {"memory_cap": bulk_memory_limit(memory), "records": summary.totals()["records"],
            "extracted": summary.extracted, "seconds": total,
            "extract_seconds": total - timings.get("ingest_seconds", total), **timings,
            "warehouse_bytes": Path(warehouse).stat().st_size}


def file_series(warehouse: str, memory: str, *files: str) -> dict:
    """Files ingested one after another into one growing warehouse, with this process's peak RSS
    per file: does memory follow the warehouse, or stay put? (`memory` is the DuckDB cap.)"""
    import threading

    from litmus.bulk import ingest_and_extract
    from litmus.warehouse import connect

    def rss_mb() -> float:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    peak = [0.0]

    def sample() -> None:
        while True:
            peak[0] = max(peak[0], rss_mb())
            time.sleep(0.05)

    threading.Thread(target=sample, daemon=True).start()
    per_file: list[dict] = []
    started = time.perf_counter()
    con = connect(warehouse)

    def on_file(outcome) -> None:
        per_file.append({"file": outcome.name, "records": outcome.kept, "seconds": round(outcome.seconds, 1),
                         "peak_rss_mb": round(peak[0])})
        peak[0] = rss_mb()

    ingest_and_extract(con, list(files), memory=memory, on_file=on_file)
    con.close()
    return {"memory_cap": memory, "files": per_file, "seconds": time.perf_counter() - started,
            "records": sum(f["records"] for f in per_file), "warehouse_bytes": Path(warehouse).stat().st_size}


def entrez_read(file: str) -> dict:
    import gzip

    from Bio import Entrez

    Entrez.local_cache = tempfile.mkdtemp(prefix="litmus-bench-entrez-")  # never writes ~/.config
    started = time.perf_counter()
    opener = gzip.open if file.endswith(".gz") else open
    with opener(file, "rb") as handle:
        result = Entrez.read(handle, validate=False)
    count = len(result["PubmedArticle"]) + len(result.get("PubmedBookArticle", []))
    return {"records": count, "seconds": time.perf_counter() - started}


def row_inserts(rows: str, warehouse: str) -> dict:
    """Row-by-row `executemany` against an Arrow load of the same paper rows."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from synthetic import synthetic_records

    from litmus.warehouse import connect
    from litmus.warehouse.arrow import paper_tables
    from litmus.warehouse.load import insert_arrow

    records = list(synthetic_records(int(rows), seed=11))
    table = paper_tables(records, "bench")["papers"]
    con = connect(warehouse)
    columns = table.schema.names
    values = [tuple(row[c] for c in columns) for row in table.to_pylist()]
    started = time.perf_counter()
    con.executemany(f"INSERT INTO papers ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", values)
    row_seconds = time.perf_counter() - started
    con.execute("DELETE FROM papers")
    started = time.perf_counter()
    insert_arrow(con, "papers", table)
    arrow_seconds = time.perf_counter() - started
    con.close()
    return {"rows": len(values), "executemany_seconds": row_seconds, "arrow_seconds": arrow_seconds}


STEPS = {"parse": parse, "ingest": ingest, "end-to-end": end_to_end, "entrez-read": entrez_read,
         "row-inserts": row_inserts, "file-series": file_series}

if __name__ == "__main__":
    step, *arguments = sys.argv[1:]
    print(json.dumps(STEPS[step](*arguments)))
