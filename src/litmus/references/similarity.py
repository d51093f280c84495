"""How alike two article titles are, after removing what typesetting changes between sources.

A review prints "CAR T cells with dual targeting … : A phase 1 trial" in sentence case with
markdown italics; PubMed stores "CAR T cells with dual targeting …: a phase 1 trial." with a
final period and sometimes HTML tags. The comparison therefore works on normalised word tokens,
not on characters, so hyphenation ("CAR-T" / "CAR T") and case do not count as differences.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

_MARKUP = re.compile(r"</?[A-Za-z][^>]*>|[*_`]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalise_title(title: str) -> str:
    """Lowercase ASCII words separated by single spaces: "<i>In vivo</i> CAR-T." -> "in vivo car t"."""
    text = _MARKUP.sub(" ", title)
    # Decompose accents so "Gómez" and "Gomez" compare equal; drop what has no ASCII form.
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_WORD.sub(" ", text.lower()).strip()


def title_tokens(title: str) -> list[str]:
    return normalise_title(title).split()


def title_similarity(first: str, second: str) -> float:
    """0.0 (nothing in common) to 1.0 (same words in the same order), word-level Ratcliff/Obershelp.

    Word order matters on purpose: two trials can share every word of their titles
    ("CD19 after CD22" / "CD22 after CD19") and still be different papers.
    """
    first_tokens, second_tokens = title_tokens(first), title_tokens(second)
    if not first_tokens or not second_tokens:
        return 0.0
    return SequenceMatcher(None, first_tokens, second_tokens, autojunk=False).ratio()
