"""Render `corpus/papers/<pmid>.toml` into the replay corpus `corpus/entrez/pubmed/<pmid>.xml`.

The TOML files are what we edit; the XML files are what an offline EFetch answers with, so the
pipeline reads our papers exactly as it would read PubMed. Re-run after editing a paper:

    .venv/bin/python tools/build_replay_articles.py

Files of PMIDs without a TOML (recorded from live PubMed) are left alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from litmus.corpus.sources import CorpusError, load_papers
from litmus.entrez.replay import ReplayStore
from litmus.paths import corpus_dir
from pubmed_render import render_pubmed_article


def build_replay_articles(papers_dir: str | Path, entrez_dir: str | Path) -> list[Path]:
    """Write one `<PubmedArticle>` per paper TOML under `entrez_dir/pubmed/`; return the paths."""
    store = ReplayStore(Path(entrez_dir))
    return [
        store.save_article(record.pmid, render_pubmed_article(record))
        for record in load_papers(papers_dir)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="tools/build_replay_articles.py",
        description="Rebuild corpus/entrez/pubmed/<pmid>.xml from corpus/papers/<pmid>.toml.",
    )
    parser.add_argument("--papers", type=Path, default=corpus_dir() / "papers", help="folder of <pmid>.toml (default: %(default)s)")
    parser.add_argument("--entrez", type=Path, default=corpus_dir() / "entrez", help="replay corpus root (default: %(default)s)")
    arguments = parser.parse_args(argv)
    try:
        written = build_replay_articles(arguments.papers, arguments.entrez)
    except CorpusError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    print(f"{len(written)} PubMed article(s) written from {arguments.papers}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
