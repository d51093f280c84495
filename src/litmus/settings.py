"""Run settings read from the environment and the command line, and the Entrez client they imply.

The API key is read where it is used and never passed around as a parameter, so it cannot end up
in Prefect's parameter store, the run log, an artifact or an exception. The contact address and
the key come from the environment (NCBI_EMAIL, NCBI_API_KEY); a run started by Prefect (a
scheduled deployment) also finds them in the Prefect Variable `ncbi-email` and the Secret block
`ncbi-api-key`, so a served deployment needs no secret in its environment.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from litmus.paths import corpus_dir

EntrezMode = Literal["replay", "live", "record"]


log = logging.getLogger("litmus.settings")

PREFECT_EMAIL_VARIABLE = "ncbi-email"
PREFECT_API_KEY_SECRET = "ncbi-api-key"


class SettingsError(ValueError):
    pass


def ncbi_email(*, ask_prefect: bool = False) -> str | None:
    """NCBI_EMAIL, else (inside a Prefect run, or when asked) the Prefect Variable `ncbi-email`."""
    return os.environ.get("NCBI_EMAIL") or _from_prefect("variable", PREFECT_EMAIL_VARIABLE, ask_prefect)


def ncbi_api_key(*, ask_prefect: bool = False) -> str | None:
    """NCBI_API_KEY, else (inside a Prefect run, or when asked) the Prefect Secret block `ncbi-api-key`."""
    return os.environ.get("NCBI_API_KEY") or _from_prefect("secret", PREFECT_API_KEY_SECRET, ask_prefect)


def _from_prefect(kind: str, name: str, ask_prefect: bool) -> str | None:
    """A Prefect Variable or Secret block's value; None when it does not exist. Asked only inside a
    Prefect run (or when `ask_prefect`): a command run by hand reads the environment alone."""
    if "prefect" not in sys.modules and not ask_prefect:
        return None
    from prefect.context import FlowRunContext

    if FlowRunContext.get() is None and not ask_prefect:
        return None
    try:
        if kind == "variable":
            from prefect.variables import Variable

            value = Variable.get(name, default=None)
        else:
            from prefect.blocks.system import Secret

            value = Secret.load(name).get()
    except ValueError:  # no block of that name
        return None
    except Exception as error:  # the server is unreachable: say so, then fall back to "not set"
        log.warning("could not read the Prefect %s %r: %s", kind, name, type(error).__name__)
        return None
    text = str(value).strip() if value is not None else ""
    return text or None


@dataclass(frozen=True)
class EntrezSettings:
    mode: EntrezMode = "replay"
    replay_dir: Path | None = None  # default: corpus/entrez
    email: str | None = None

    @classmethod
    def from_flags(cls, *, live: bool = False, record: bool = False, replay_dir: Path | None = None) -> "EntrezSettings":
        if record and not live:
            raise SettingsError("--record saves live answers for replay: use it together with --live")
        mode: EntrezMode = "record" if record else "live" if live else "replay"
        email = ncbi_email() if mode != "replay" else None
        if mode != "replay" and not email:
            raise SettingsError(
                "live mode talks to NCBI, which asks every client for a contact address: "
                "set NCBI_EMAIL=you@example.org (and optionally NCBI_API_KEY for 10 requests/s), "
                f"or for scheduled runs the Prefect Variable {PREFECT_EMAIL_VARIABLE!r}"
            )
        return cls(mode=mode, replay_dir=replay_dir, email=email)

    @property
    def store_dir(self) -> Path:
        return Path(self.replay_dir) if self.replay_dir else corpus_dir() / "entrez"

    def describe(self) -> str:
        if self.mode == "replay":
            return f"offline replay of {self.store_dir}"
        key = "with API key" if ncbi_api_key() else "without API key"
        suffix = f", recording into {self.store_dir}" if self.mode == "record" else ""
        return f"live NCBI E-utilities ({key}{suffix})"


def make_transport(settings: EntrezSettings):
    from litmus.entrez.replay import RecordingTransport, ReplayTransport

    if settings.mode == "replay":
        return ReplayTransport(settings.store_dir)
    from litmus.entrez.live import LiveTransport

    # LITMUS_EUTILS_URL points at a mirror or proxy of E-utilities (and at a local fake in tests).
    base_url = os.environ.get("LITMUS_EUTILS_URL") or None
    options = {"base_url": base_url} if base_url else {}
    live = LiveTransport(email=settings.email, api_key=ncbi_api_key(), **options)
    if settings.mode == "record":
        return RecordingTransport(live, settings.store_dir)
    return live


def make_client(settings: EntrezSettings):
    from litmus.entrez.client import EntrezClient

    return EntrezClient(make_transport(settings))
