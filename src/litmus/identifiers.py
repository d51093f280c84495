"""What a PMID is, for every reader of one: a review's reference list, a JATS file, a PubMed record, the CLI.

A PMID is a positive integer of 1 to 8 ASCII digits (the `pmid_digits` limit; PubMed's are near
42,000,000) with no leading zero, read as a whole token: "3464248'9" is not PMID 3464248 (another
paper) but no PMID at all, and neither are "0", "０１２" or a 26-digit number.
"""

from __future__ import annotations

from litmus.limits import PMID_DIGITS


def pmid_problem(text: str) -> str | None:
    """Why `text` is not a PMID (one line), or None when it is one."""
    shown = text if len(text) <= 40 else text[:37] + "..."
    if not text.isascii() or not text.isdigit():
        return f"{shown!r} is not a PMID: a PMID is 1-{PMID_DIGITS.value} digits 0-9 and nothing else"
    if len(text) > PMID_DIGITS.value:
        return PMID_DIGITS.message(f"{shown!r} is not a PMID:", len(text)).replace(": (", " (", 1)
    if int(text) == 0:
        return f"{shown!r} is not a PMID: PMIDs start at 1"
    if text.startswith("0"):
        return f"{shown!r} is not a PMID: a PMID has no leading zero"
    return None


def is_pmid(text: str) -> bool:
    return pmid_problem(text) is None
