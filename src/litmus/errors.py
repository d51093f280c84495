"""The exceptions that mean "the input or the environment needs fixing", not "litmus has a bug".

The CLI prints these as one line and exits 2; anything else keeps its traceback.
"""

from __future__ import annotations

import sys


class InputError(ValueError):
    """Bad input from the command line: a missing file, a malformed identifier."""


_USER_FACING = [
    ("litmus.errors", "InputError"),
    ("litmus.query", "QueryRefused"),
    ("litmus.nlp.pipeline", "BaseModelNotAvailable"),
    ("litmus.claims.text", "ReviewTextError"),
    ("litmus.settings", "SettingsError"),
    ("litmus.reviews", "ReviewInputError"),
    ("litmus.warehouse.connection", "WarehouseError"),
    ("litmus.entrez.replay", "ReplayMiss"),
    ("litmus.entrez.errors", "EntrezError"),
    ("litmus.references.markdown", "ReviewParseError"),
    ("litmus.pubmed.errors", "PubmedParseError"),
    ("litmus.corpus.sources", "CorpusError"),
    ("litmus.status", "StatusError"),
    ("litmus.updates.deploy", "PrefectServerUnavailable"),
    ("litmus.bulk.ingest", "BulkInputError"),
    ("litmus.bulk.query", "QueryError"),
]


def user_facing_errors() -> tuple[type[BaseException], ...]:
    """The user-facing exception classes of the modules imported so far.

    A class whose module was never imported cannot have been raised, and importing them all here
    would make every command pay for spaCy and Prefect (seconds) before it starts.
    """
    found: list[type[BaseException]] = []
    for module_name, name in _USER_FACING:
        module = sys.modules.get(module_name)
        error = getattr(module, name, None)
        if isinstance(error, type) and issubclass(error, BaseException):
            found.append(error)
    return tuple(found)
