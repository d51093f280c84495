"""Time and memory of the whole extraction pipeline on adversarial texts, per KB, at growing sizes.

Each generator makes a text of a given size: random digits and symbols, deep nesting, long runs of one
character, fraction chains, a sentence-less soup of endpoints and values, abbreviation spam, random
Unicode, and plain clinical sentences for comparison. Before the bounds of src/litmus/nlp/bounds.py,
40 KB of '%' ran past 200 s and 8 KB of nested parentheses took 58 s and 6.5 GB; a linear pipeline keeps
the time per KB flat as the size grows. tests/hostile/test_nlp_fuzz.py asserts the same on small sizes.

    python bench/hostile_text.py [--sizes-kb 10,100,1000] [--kinds pct_run,nested_parentheses]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import tracemalloc
import warnings
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "hostile_text.json"


def _random(alphabet: str) -> Callable[[int, random.Random], str]:
    return lambda size, rng: "".join(rng.choice(alphabet) for _ in range(size))


def _words(words: list[str], joiner: str = " ") -> Callable[[int, random.Random], str]:
    def make(size: int, rng: random.Random) -> str:
        parts, length = [], 0
        while length < size:
            word = rng.choice(words)
            parts.append(word)
            length += len(word) + len(joiner)
        return joiner.join(parts)[:size]
    return make


def _repeat(unit: str) -> Callable[[int, random.Random], str]:
    return lambda size, rng: (unit * (size // len(unit) + 1))[:size]


def _nested(opening: str, closing: str) -> Callable[[int, random.Random], str]:
    def make(size: int, rng: random.Random) -> str:
        depth = size // (len(opening) + len(closing))
        return opening * depth + closing * depth
    return make


SOUP = ("ORR", "CR", "PFS", "OS", "EFS", "CRS", "ICANS", "80%", "(16/20)", "95%", "CI", "1.2-3.4", "months", "median",
        "was", "and", "of", "patients", "(", ")", ",", ";", "12", "3.5", "vs", "HR", "0.81", "p<0.001", "grade", "≥3")
GENERATORS: dict[str, Callable[[int, random.Random], str]] = {
    "digits_and_symbols": _random("0123456789%.,/()"),
    "digits_and_symbols_spaced": _random("0123456789%.,/() "),
    "nested_parentheses": _nested("(", ")"),
    "nested_words": _nested("(a ", ") "),
    "nested_spaced": _nested("( ", ") "),
    "pct_run": _repeat("%"),
    "open_parenthesis_run": _repeat("("),
    "digit_run": _repeat("1"),
    "fraction_chain": _random("0123456789/"),
    "endpoint_soup_one_sentence": _words(list(SOUP)),
    "abbreviation_spam": _repeat("complete remission (CR) overall response rate (ORR) "),
    "random_unicode": lambda size, rng: "".join(chr(rng.randint(0x21, 0x2FFF)) for _ in range(size)),
    "whitespace_and_newlines": _random(" \n\t"),
    "dots_and_dashes": _random(".-"),
    "clinical_sentences": _repeat("Twenty patients received CD19 CAR-T cells. The ORR was 80% (16/20) and median PFS was 9.1 months. "),
}


def warm_up(nlp) -> None:
    """Components load lazily (the fuzzy linker imports scikit-learn on its first candidate): not a cost per KB."""
    from litmus.nlp.extract import extract_document

    for make in GENERATORS.values():
        extract_document(nlp, make(2000, random.Random(1)))


def measure(nlp, kind: str, size: int, *, seed: int = 14) -> dict:
    """Seconds (best of one untraced run) and traced peak memory of extracting one generated text."""
    from litmus.nlp.extract import extract_document

    text = GENERATORS[kind](size, random.Random(seed))
    started = time.perf_counter()
    result = extract_document(nlp, text)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    extract_document(nlp, text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    kb = len(text.encode("utf-8")) / 1000
    return {"kind": kind, "kb": round(kb, 1), "seconds": round(seconds, 3), "ms_per_kb": round(1000 * seconds / kb, 2),
            "peak_mb": round(peak / 1e6, 1), "peak_kb_per_kb": round(peak / 1000 / kb, 1),
            "metrics": len(result.metrics), "bounded": result.bounded[:3]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes-kb", default="10,100,1000", help="text sizes in KB (default 10,100,1000)")
    parser.add_argument("--kinds", default=",".join(GENERATORS), help=f"comma-separated, of: {', '.join(GENERATORS)}")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    from litmus.nlp.pipeline import build_pipeline

    nlp = build_pipeline()
    warm_up(nlp)
    rows = []
    for kind in args.kinds.split(","):
        for size_kb in (float(s) for s in args.sizes_kb.split(",")):
            row = measure(nlp, kind, int(size_kb * 1000))
            rows.append(row)
            print(f"{kind:<28} {row['kb']:>8,.0f} KB {row['seconds']:>8.2f} s {row['ms_per_kb']:>7.2f} ms/KB"
                  f" peak {row['peak_mb']:>7.1f} MB ({row['peak_kb_per_kb']:>6.1f} KB/KB)", flush=True)
    RESULTS.write_text(json.dumps({"measured": time.strftime("%Y-%m-%d"), "command": "python bench/hostile_text.py "
                                   + " ".join(argv if argv is not None else sys.argv[1:]), "runs": rows}, indent=2) + "\n")
    print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
