"""Finding 3: extraction is linear on pathological text. A fuzz test over the whole pipeline.

Every generator of bench/hostile_text.py (digits and symbols, deep nesting, long runs of '%', '(' and
digits, fraction chains, a sentence-less soup of endpoints and values, abbreviation spam, random Unicode,
…) is extracted at 4 KB and at 16 KB. Linear work grows 4x; the quadratic cases of the finding grew 16x
and more (8 KB of nesting: 58 s, 6.5 GB). The bounds are generous because the machine is shared and
noisy; bench/hostile_text.py prints the real figures at up to 1 MB.
"""

from __future__ import annotations

import random
import time
import tracemalloc

import pytest
from helpers import load_bench_script

from litmus.nlp.extract import extract_document
from litmus.nlp.pipeline import build_pipeline

MS_PER_KB = 250  # ordinary abstracts take 2-40 ms/KB here, depending on the load
GROWTH = 10  # time(16 KB) / time(4 KB): 4 when linear, 16 when quadratic
TRACED_KB_PER_KB = 1_000  # Python-heap peak per KB of text (ordinary text: ~100-350)


bench = load_bench_script("hostile_text")


@pytest.fixture(scope="module")
def nlp():
    pipeline = build_pipeline()
    bench.warm_up(pipeline)
    return pipeline


def _seconds(nlp, text: str) -> float:
    best = float("inf")
    for _ in range(2):  # the better of two: a neighbour's burst is not the pipeline's cost
        started = time.perf_counter()
        extract_document(nlp, text)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("kind", sorted(bench.GENERATORS))
def test_time_and_memory_per_kb_stay_flat(nlp, kind):
    make = bench.GENERATORS[kind]
    small, large = make(4_000, random.Random(1)), make(16_000, random.Random(1))
    t_small, t_large = _seconds(nlp, small), _seconds(nlp, large)
    kb = len(large.encode("utf-8")) / 1000
    assert 1000 * t_large / kb < MS_PER_KB, f"{kind}: {1000 * t_large / kb:.0f} ms/KB"
    assert t_large < GROWTH * t_small + 0.5, f"{kind}: {t_small:.3f} s at 4 KB, {t_large:.3f} s at 16 KB"
    tracemalloc.start()
    try:
        extract_document(nlp, large)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak / 1000 / kb < TRACED_KB_PER_KB, f"{kind}: {peak / 1e6:.1f} MB traced for {kb:.0f} KB"


HOSTILE_PIECES = ["(", ")", "((", "))", "%", "%%", "/", ".", ",", "-", "±", "–", "·", "1", "22", "333", "4.5", "0.001",
                  "1/2", "16/20", "95% CI", "ORR", "CR", "CRi", "PFS", "OS", "HR", "months", "mo", "year", "median",
                  "not reached", "NR", "patients", "of", "in", "vs", " ", "  ", "\n", "\t", "e", "E", "x10^9", "≥", "<",
                  "[", "]", "{", "}", "'", '"', "CD19", "CAR-T", "(CR)", "complete remission", "\u200b", "é", "🦠"]


def test_random_hostile_texts_never_raise_and_stay_within_budget(nlp):
    rng = random.Random(1414)
    for _ in range(40):
        text = "".join(rng.choice(HOSTILE_PIECES) for _ in range(rng.randint(50, 3_000)))
        started = time.perf_counter()
        result = extract_document(nlp, text)
        elapsed = time.perf_counter() - started
        kb = max(len(text.encode("utf-8")) / 1000, 1)
        assert elapsed / kb < MS_PER_KB / 1000, f"{elapsed:.2f} s for {kb:.1f} KB: {text[:200]!r}"
        for metric in result.metrics:
            assert 0 <= metric.start < metric.end <= len(text)
        for start, end, sentence in result.sentences:
            assert text[start:end] == sentence
