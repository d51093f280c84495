"""The exceptions that mean "the input or the environment needs fixing", not "litmus has a bug".

The CLI prints these as one line and exits 2; anything else keeps its traceback.
"""

from __future__ import annotations

import importlib
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
    ("litmus.updates.deploy", "DeploymentConfigError"),
    ("litmus.bulk.ingest", "BulkInputError"),
    ("litmus.bulk.query", "QueryError"),
    ("litmus.limits", "LimitExceeded"),
    ("litmus.limits", "LimitSettingError"),
    ("litmus.outputs", "OutputPathError"),
]


def user_facing_errors(*, imported_only: bool = False) -> tuple[type[BaseException], ...]:
    """The user-facing exception classes; with `imported_only`, those of the modules imported so far.

    The CLI asks for the imported ones: a class whose module was never imported cannot have been
    raised, and importing them all would make every command pay for spaCy (seconds) before it starts.
    """
    found: list[type[BaseException]] = []
    for module_name, name in _USER_FACING:
        if imported_only:
            module = sys.modules.get(module_name)
        else:
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                continue
        error = getattr(module, name, None)
        if isinstance(error, type) and issubclass(error, BaseException):
            found.append(error)
    return tuple(found)
