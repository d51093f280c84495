"""Peak memory of `litmus ingest-files` on XML bombs: one huge comment, processing instruction, attribute,
text node, run of whitespace, CDATA section, tag or element name, each in a small .xml.gz.

Each bomb is generated here (never committed): two good records, then one construct of SIZE bytes that
compresses ~1000:1, so a 2 MB file unpacks to 2 GB. Each file is ingested by `python -m litmus.cli
ingest-files --json` in its own process; its peak RSS is the process's own VmHWM, its verdict from the JSON.
Before the guard in src/litmus/pubmed/bounded.py a 2 MB comment bomb reached 2.3 GB and a 2 GB attribute
crashed the parser; the target is < 300 MB for every kind.

    python bench/hostile_inputs.py [--size-mb 2048] [--kinds comment,attribute]
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "hostile_inputs.json"
TARGET_MB = 300

_RECORD = (
    '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}</PMID>'
    '<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><PubDate><Year>2020</Year></PubDate>'
    "</JournalIssue><Title>J Test</Title></Journal><ArticleTitle>Trial {pmid}.</ArticleTitle>"
    "<Abstract><AbstractText>The overall response rate was 80% (16/20).</AbstractText></Abstract>"
    "</Article></MedlineCitation></PubmedArticle>\n"
)
# (opening bytes, the byte repeated, closing bytes): each construct is SIZE bytes of its filler.
BOMBS = {
    "comment": (b"<!--", b"a", b"-->"),
    "processing_instruction": (b"<?bomb ", b"a", b"?>"),
    "attribute": (b'<PubmedArticle bomb="', b"a", b'"/>'),
    "text": (_RECORD.format(pmid=3).split("Trial")[0].encode(), b"a", b"</ArticleTitle></Article></MedlineCitation></PubmedArticle>"),
    "whitespace": (b"", b" ", b""),
    "cdata": (b"<PubmedArticle><![CDATA[", b"a", b"]]></PubmedArticle>"),
    "tag_whitespace": (b"<PubmedArticle", b" ", b"/>"),
    "element_name": (b"<a", b"a", b"/>"),
}
REQUIRED = ("comment", "processing_instruction", "attribute", "text", "whitespace")


def write_bomb(kind: str, path: Path, size_bytes: int) -> Path:
    """A PubMed .xml.gz: two good records, then one `kind` construct of `size_bytes`, then the end."""
    opening, filler, closing = BOMBS[kind]
    block = filler * (1 << 20)
    with gzip.open(path, "wb", compresslevel=6) as out:
        out.write(b'<?xml version="1.0"?>\n<PubmedArticleSet>\n')
        out.write((_RECORD.format(pmid=1) + _RECORD.format(pmid=2)).encode())
        out.write(opening)
        left = size_bytes
        while left > 0:
            out.write(block[: min(left, len(block))])
            left -= len(block)
        out.write(closing + b"\n</PubmedArticleSet>\n")
    return path


def measure(kind: str, size_bytes: int, folder: Path) -> dict:
    path = write_bomb(kind, folder / f"bomb_{kind}.xml.gz", size_bytes)
    result = run_measured(["litmus.cli", "ingest-files", "--json", "--warehouse", str(folder / f"{kind}.duckdb"), str(path)])
    verdict = json.loads(result.pop("stdout")) if result["stdout"].startswith("{") else None
    file = verdict["files"][0] if verdict else {}
    return {
        "kind": kind, "decompressed_mb": round(size_bytes / 1e6, 1), "gz_kb": round(path.stat().st_size / 1e3, 1),
        "peak_rss_mb": result["peak_rss_mb"], "seconds": result["seconds"], "returncode": result["returncode"],
        "status": file.get("status"), "records_kept": file.get("kept"), "message": file.get("message"),
        "stderr": result["stderr"].strip()[-300:],
    }


# Runs a module as `python -m` would and, at exit, writes the process's own peak RSS (VmHWM of its
# memory map) to a file. Not ru_maxrss: Linux carries the parent's peak into a child across fork and
# exec, so a child of a large process (a test session) would report its parent's size.
_MEASURED = """
import atexit, runpy, sys
report, module = sys.argv[1], sys.argv[2]
def _peak():
    with open("/proc/self/status") as status, open(report, "w") as out:
        out.write(next(line for line in status if line.startswith("VmHWM:")).split()[1])
atexit.register(_peak)
sys.argv = [module, *sys.argv[3:]]
runpy.run_module(module, run_name="__main__", alter_sys=True)
"""


def run_measured(argv: list[str], *, timeout: float = 900.0) -> dict:
    """Run `python -m MODULE ARGS` (argv = [MODULE, *ARGS]): exit status, seconds, output and its own peak RSS."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "peak_kb"
        try:
            done = subprocess.run([sys.executable, "-c", _MEASURED, str(report), *argv], capture_output=True,
                                  cwd=ROOT, timeout=timeout)
            returncode, out, err = done.returncode, done.stdout, done.stderr
        except subprocess.TimeoutExpired as expired:
            returncode, out, err = None, expired.stdout or b"", expired.stderr or b""
        peak_kb = int(report.read_text()) if report.is_file() else 0
    return {"returncode": returncode, "seconds": round(time.perf_counter() - started, 2),
            "peak_rss_mb": round(peak_kb / 1024, 1),
            "stdout": out.decode(errors="replace"), "stderr": err.decode(errors="replace")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=2048, help="decompressed size of each bomb (default 2048)")
    parser.add_argument("--kinds", default=",".join(BOMBS), help=f"comma-separated, of: {', '.join(BOMBS)}")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="litmus-bombs-") as folder:
        baseline = measure("comment", 0, Path(folder))  # the same two records, an empty comment: no bomb
        print(f"{'no bomb (baseline)':<24} peak {baseline['peak_rss_mb']:>6,.0f} MB, {baseline['seconds']:.1f} s, {baseline['status']}")
        for kind in args.kinds.split(","):
            row = measure(kind, int(args.size_mb * 1e6), Path(folder))
            rows.append(row)
            print(f"{kind:<24} {row['decompressed_mb']:>8,.0f} MB in {row['gz_kb']:>7,.0f} KB .gz: peak {row['peak_rss_mb']:>6,.0f} MB,"
                  f" {row['seconds']:>5.1f} s, exit {row['returncode']}, {row['status']}, kept {row['records_kept']}")
    worst = max(r["peak_rss_mb"] for r in rows)
    summary = {"measured": time.strftime("%Y-%m-%d"), "command": "python bench/hostile_inputs.py "
               + " ".join(argv if argv is not None else sys.argv[1:]), "target_peak_rss_mb": TARGET_MB,
               "worst_peak_rss_mb": worst, "baseline_peak_rss_mb": baseline["peak_rss_mb"], "bombs": rows}
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"worst peak {worst:,.0f} MB (target < {TARGET_MB} MB); written to {RESULTS.relative_to(ROOT)}")
    return 0 if worst < TARGET_MB and all(r["status"] == "failed" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
