"""Records per second and peak memory of the PubMed XML parser on a real bulk file.

Parses `pubmed20n1015.xml.gz` (756 records) a few times, then streams the same records repeated
20 times (about 15,000 records, never held in memory at once) to show that memory stays flat as
the input grows. Writes bench/results/parse_throughput.json.

    .venv/bin/python bench/parse_throughput.py [--rounds 5] [--repeat 20]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import platform
import resource
import statistics
import time
from pathlib import Path

from litmus.pubmed import iter_pubmed_xml

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("LITMUS_SHARED_DIR", PROJECT_ROOT.parent / "shared"))
BULK_FILE = SHARED_DIR / "data" / "pubmed-files" / "pubmed20n1015.xml.gz"
RESULT_FILE = PROJECT_ROOT / "bench" / "results" / "parse_throughput.json"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


class RepeatedArticles(io.RawIOBase):
    """A PubmedArticleSet whose body is the file's articles `times` over, produced as it is read."""

    def __init__(self, xml: bytes, times: int):
        body_start = xml.index(b"<PubmedArticle>")
        body_end = xml.rindex(b"</PubmedArticleSet>")
        view = memoryview(xml)
        self._parts = iter([view[:body_start], *([view[body_start:body_end]] * times), view[body_end:]])
        self._part = memoryview(b"")
        self._offset = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while self._offset >= len(self._part):
            part = next(self._parts, None)
            if part is None:
                return b""
            self._part, self._offset = part, 0
        end = len(self._part) if size < 0 else self._offset + size
        chunk = self._part[self._offset : end].tobytes()
        self._offset += len(chunk)
        return chunk


def timed_count(source) -> tuple[int, float]:
    start = time.perf_counter()
    count = sum(1 for _ in iter_pubmed_xml(source))
    return count, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed passes over the bulk file")
    parser.add_argument("--repeat", type=int, default=20, help="copies of the records in the streaming pass")
    args = parser.parse_args()
    if not BULK_FILE.exists():
        raise SystemExit(
            f"{BULK_FILE} is absent: set LITMUS_SHARED_DIR to the shared folder holding data/pubmed-files"
        )

    rss_after_import = peak_rss_mb()
    passes = [timed_count(BULK_FILE) for _ in range(args.rounds)]
    records = passes[0][0]
    median_seconds = statistics.median(seconds for _, seconds in passes)
    rss_after_file = peak_rss_mb()

    xml = gzip.decompress(BULK_FILE.read_bytes())
    rss_with_xml_in_memory = peak_rss_mb()
    streamed, streamed_seconds = timed_count(RepeatedArticles(xml, args.repeat))
    rss_after_stream = peak_rss_mb()

    result = {
        "file": BULK_FILE.name,
        "records": records,
        "rounds": args.rounds,
        "median_seconds": round(median_seconds, 4),
        "records_per_second": round(records / median_seconds),
        "peak_rss_mb_after_import": round(rss_after_import, 1),
        "peak_rss_mb_after_parsing_file": round(rss_after_file, 1),
        "streamed_records": streamed,
        "streamed_records_per_second": round(streamed / streamed_seconds),
        "peak_rss_mb_before_stream": round(rss_with_xml_in_memory, 1),
        "peak_rss_mb_after_stream": round(rss_after_stream, 1),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
    }
    RESULT_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULT_FILE.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
