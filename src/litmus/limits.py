"""Every bound litmus puts on input it does not control, in one place (docs/reliability.md has the table).

A limit is a size or a count past which litmus refuses the input, or handles it in a bounded way
(truncates with a flag, splits, skips with a recorded reason), instead of letting one hostile or
broken document use unbounded memory or time. Each names itself, says why it exists, and can be
raised for a genuine input with an environment variable (`LITMUS_MAX_<NAME>`, e.g.
`LITMUS_MAX_XML_COMMENT_BYTES=5MB`); every refusal is one line naming the limit and that variable.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass


class LimitExceeded(ValueError):
    """Input over one of the limits below; the message names the limit and how to raise it."""

    def __init__(self, message: str, limit: Limit):
        super().__init__(message)
        self.limit = limit


class LimitSettingError(ValueError):
    """A `LITMUS_MAX_…` variable that is not a positive size."""


_SIZE = re.compile(r"^\s*(\d[\d_]*)\s*(k|kb|m|mb|g|gb)?\s*$", re.IGNORECASE)
_MULTIPLIERS = {None: 1, "k": 1_000, "kb": 1_000, "m": 1_000_000, "mb": 1_000_000, "g": 1_000_000_000, "gb": 1_000_000_000}


@dataclass(frozen=True)
class Limit:
    name: str  # also the variable's name: LITMUS_MAX_<NAME>
    default: int
    unit: str  # bytes, characters, digits, …
    what: str  # the thing bounded, as a noun phrase: "a comment in an XML document"
    why: str  # what goes wrong without it
    over: str  # what litmus does past it: "refused", "truncated, flagged", …

    @property
    def variable(self) -> str:
        return f"LITMUS_MAX_{self.name.upper()}"

    @property
    def value(self) -> int:
        """The limit in force: the environment's setting, else the default."""
        setting = os.environ.get(self.variable)
        if not setting:
            return self.default
        match = _SIZE.match(setting)
        if not match or int(match.group(1).replace("_", "")) <= 0:
            raise LimitSettingError(
                f"{self.variable}={setting!r} is not a positive number (plain, or with k/M/G: 500k, 20MB)"
            )
        return int(match.group(1).replace("_", "")) * _MULTIPLIERS[(match.group(2) or "").lower() or None]

    def message(self, subject: str, found: int | None = None) -> str:
        """One line: what is over which limit, and how to raise it for a genuine input."""
        size = f" ({found:,} {self.unit})" if found is not None else ""
        return (
            f"{subject}{size} is over the limit of {self.value:,} {self.unit} for {self.what} ({self.name}); "
            f"if the input is genuine, raise it with {self.variable}=N"
        )

    def refuse(self, subject: str, found: int | None = None) -> LimitExceeded:
        return LimitExceeded(self.message(subject, found), self)


# --------------------------------------------------------------------------- XML (PubMed, JATS)
# libxml2 refuses a single node over 10 MB unless told it is a "huge" document, but in the push mode
# lxml's iterparse uses it first buffers a whole comment, processing instruction or start tag until
# it sees the end: a 2 MB .xml.gz holding one comment reached 2.3 GB. litmus's byte-stream guard
# (pubmed/bounded.py) measures each construct as the bytes arrive and refuses it at these sizes.

XML_TEXT = Limit(
    "xml_text_bytes", 10_000_000, "bytes", "a text node (or CDATA section) in an XML document",
    "a text node is held whole in memory; libxml2's own cap is 10 MB (raising this lifts it)", "refused",
)
XML_TAG = Limit(
    "xml_tag_bytes", 100_000, "bytes", "a tag with its attributes (and the whitespace inside it) in an XML document",
    "the parser buffers a whole tag before reading it: a 2 GB attribute crashed it", "refused",
)
XML_COMMENT = Limit(
    "xml_comment_bytes", 100_000, "bytes", "a comment in an XML document",
    "the parser buffers a whole comment before skipping it", "refused",
)
XML_PROCESSING_INSTRUCTION = Limit(
    "xml_processing_instruction_bytes", 10_000, "bytes", "a processing instruction (<?…?>) in an XML document",
    "the parser buffers a whole processing instruction before skipping it", "refused",
)
XML_DOCTYPE = Limit(
    "xml_doctype_bytes", 100_000, "bytes", "the DOCTYPE declaration of an XML document",
    "the parser buffers the whole declaration; PubMed XML has no internal DTD subset at all", "refused",
)

# --------------------------------------------------------------------------- stored text and NLP

ABSTRACT_CHARS = Limit(
    "abstract_chars", 200_000, "characters", "a stored abstract",
    "real abstracts stay under 20,000 characters; a multi-MB one made every later extraction fail",
    "stored truncated at a sentence or word end, papers.abstract_truncated = true",
)
NLP_PIECE_CHARS = Limit(
    "nlp_piece_chars", 100_000, "characters", "one piece of a document given to the spaCy pipeline",
    "spaCy refuses documents over 1,000,000 characters (E088) and its memory grows with the document",
    "longer documents are split at sentence ends and the pieces' results joined (nothing refused)",
)
NLP_TOKEN_CHARS = Limit(
    "nlp_token_chars", 200, "characters", "a run of text without whitespace, as the tokenizer sees it",
    "spaCy's tokenizer peels affixes off a long run one by one, in time quadratic in its length",
    "longer runs are cut into pieces of this size before tokenizing (offsets unchanged)",
)
METRIC_SENTENCE_CHARS = Limit(
    "metric_sentence_chars", 5_000, "characters", "a sentence searched for outcome metrics",
    "linking values to endpoints compares every value with every endpoint of its sentence",
    "the sentence is skipped for metrics and the skip recorded (extractions.bounded)",
)
ABBREVIATION_PARENTHESES = Limit(
    "abbreviation_parentheses", 200, "parentheses", "one document piece searched for abbreviation definitions",
    "scispaCy's detector pairs every '(' with every later ')' of a document: 8 KB of nesting took 58 s and 6.5 GB",
    "definitions are searched within 8 tokens of each '(' instead (what the detector keeps anyway)",
)
TEXT_INPUT_BYTES = Limit(
    "text_input_bytes", 10_000_000, "bytes", "the text given to `litmus extract --text` (a file or standard input)",
    "`yes` piped into `litmus extract --text -` read until memory ran out", "refused",
)
NUMBER_DIGITS = Limit(
    "number_digits", 15, "digits", "a number read by the outcome-metric extractor",
    "a float holds 15 significant digits; a 400-digit fraction raised OverflowError", "not read as a number",
)
REVIEW_FILE_BYTES = Limit(
    "review_file_bytes", 50_000_000, "bytes", "a review file (.toml, .md, .txt, .xml)",
    "a review is read whole into memory", "refused",
)

# --------------------------------------------------------------------------- read-only SQL

SQL_MEMORY = Limit(
    "sql_memory_bytes", 1_000_000_000, "bytes", "the memory DuckDB may use for one `litmus sql` query",
    "read-only connections had DuckDB's default cap, 80% of RAM", "the query stops with one line (or --memory SIZE)",
)
SQL_SECONDS = Limit(
    "sql_seconds", 60, "seconds", "the time one `litmus sql` query may run, its rows fetched included",
    "`SELECT count(*) FROM range(1e12)` ran until killed", "the query is interrupted with one line (or --timeout SECONDS)",
)

# --------------------------------------------------------------------------- identifiers

PMID_DIGITS = Limit(
    "pmid_digits", 8, "digits", "a PMID",
    "PMIDs are 1-8 digit positive integers today; a longer number is another identifier or a typo", "refused per citation",
)

ALL = (
    XML_TEXT, XML_TAG, XML_COMMENT, XML_PROCESSING_INSTRUCTION, XML_DOCTYPE, ABSTRACT_CHARS, NLP_PIECE_CHARS,
    NLP_TOKEN_CHARS, METRIC_SENTENCE_CHARS, ABBREVIATION_PARENTHESES, TEXT_INPUT_BYTES, NUMBER_DIGITS,
    REVIEW_FILE_BYTES, SQL_MEMORY, SQL_SECONDS, PMID_DIGITS,
)


def policy_table() -> str:
    """The limits as a Markdown table (docs/reliability.md holds a copy; a test keeps them equal)."""
    rows = ["| limit | default | bounds | past it | why | raise with |", "|---|---|---|---|---|---|"]
    for limit in ALL:
        rows.append(
            f"| `{limit.name}` | {limit.default:,} {limit.unit} | {limit.what} | {limit.over} | {limit.why} | `{limit.variable}` |"
        )
    return "\n".join(rows)
