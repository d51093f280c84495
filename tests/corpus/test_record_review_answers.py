"""tools/record_review_answers.py: recording the default review through our transcribed papers writes
exactly the E-utilities answers shipped in corpus/entrez (so they can be rebuilt without network)."""

from __future__ import annotations

import shutil

from record_review_answers import record_review_answers

from litmus.paths import corpus_dir
from litmus.reviews import default_review_path


def test_recording_the_review_rebuilds_the_shipped_answers(tmp_path):
    shipped = corpus_dir() / "entrez"
    entrez = tmp_path / "entrez"
    shutil.copytree(shipped / "pubmed", entrez / "pubmed")  # EFetch answers are built from TOML

    report = record_review_answers(default_review_path(), corpus_dir() / "papers", entrez)

    assert sum(r.resolved for r in report.resolutions) == 5
    written = sorted(p.relative_to(entrez) for p in (entrez / "esearch").iterdir())
    assert written
    for relative in written:
        assert (entrez / relative).read_bytes() == (shipped / relative).read_bytes(), relative
