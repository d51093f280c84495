"""Run settings read from the environment and the command line, and the Entrez client they imply.

The API key is read from the environment where it is used and never passed around as a
parameter, so it cannot end up in Prefect's parameter store, the run log or an exception.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from litmus.paths import corpus_dir

EntrezMode = Literal["replay", "live", "record"]


class SettingsError(ValueError):
    pass


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
        email = os.environ.get("NCBI_EMAIL") or None
        if mode != "replay" and not email:
            raise SettingsError(
                "live mode talks to NCBI, which asks every client for a contact address: "
                "set NCBI_EMAIL=you@example.org (and optionally NCBI_API_KEY for 10 requests/s)"
            )
        return cls(mode=mode, replay_dir=replay_dir, email=email)

    @property
    def store_dir(self) -> Path:
        return Path(self.replay_dir) if self.replay_dir else corpus_dir() / "entrez"

    def describe(self) -> str:
        if self.mode == "replay":
            return f"offline replay of {self.store_dir}"
        key = "with API key" if os.environ.get("NCBI_API_KEY") else "without API key"
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
    live = LiveTransport(email=settings.email, api_key=os.environ.get("NCBI_API_KEY") or None, **options)
    if settings.mode == "record":
        return RecordingTransport(live, settings.store_dir)
    return live


def make_client(settings: EntrezSettings):
    from litmus.entrez.client import EntrezClient

    return EntrezClient(make_transport(settings))
