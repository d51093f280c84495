"""Dose-level sizes of cell-therapy trials: "50 × 10^6 (n = 5), 150 × 10^6 (n = 12) or 450 × 10^6 (n = 9) CAR T
cells", "1 × 10^6/kg (n = 3)", "DL1 (n = 3)", "dose level 2 (n = 14)".

Each is the head count of a dose group (guideline: N_TREATED with the dose as its group; N_ENROLLED after a
randomisation verb). The dose itself is masked as a non-value, so the arm-size readers of `populations`, which
look for a label before the parenthesis, see none; this reads the dose as the label.
"""

from __future__ import annotations

import re

from litmus.nlp.populations import GroupCount

_DOSE = (r"(?:\d+(?:\.\d+)?\s*(?:[×x]\s*10\s*\^?\s*-?\d+|million|billion)(?:\s*(?:CAR[\w+-]*\s*)?(?:T\s*)?cells?)?"
         r"(?:\s*/\s*kg)?|(?:DL|(?i:dose\s+level)\s*)-?\d+)")
_DOSE_SIZE = re.compile(rf"(?P<dose>{_DOSE})\s*\(\s*(?:(?P<named>[A-Za-z][\w -]{{0,20}}),\s*)?[nN]\s*=\s*(?P<n>\d+)\s*\)")
_RANDOMISED = re.compile(r"\brandomi[sz]ed\b|\brandomly\s+assigned\b", re.IGNORECASE)


def dose_level_sizes(digits: str, words: str) -> list[GroupCount]:
    """The sizes of the dose levels a sentence lists (`digits`: numbers in digits; `words`: as written, same
    offsets), each with its dose as written."""
    code = "N_ENROLLED" if _RANDOMISED.search(words) else "N_TREATED"
    return [GroupCount(code, int(m.group("n")), m.start("n"), m.end("n"),
                       " ".join(words[m.start("dose"):m.end("dose")].split())) for m in _DOSE_SIZE.finditer(digits)]
