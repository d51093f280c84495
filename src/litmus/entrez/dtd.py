"""Keep Bio.Entrez offline: DTDs come from Biopython's bundle or from litmus, never from the network.

Bio.Entrez downloads any DTD it does not find locally, even with `validate=False`, and by default
caches it under `~/.config/biopython`. `use_local_dtds()` points its cache at `dtds/` in this
package (Biopython's layout: `dtds/Bio/Entrez/DTDs/`) and replaces the download with an error
that says which file is missing and where to put it.
"""

from __future__ import annotations

import threading
from pathlib import Path

from litmus.entrez.errors import MissingDTDError

DTD_CACHE_DIR = Path(__file__).resolve().parent / "dtds"
SHIPPED_DTD_DIR = DTD_CACHE_DIR / "Bio" / "Entrez" / "DTDs"

_configured = False
_lock = threading.Lock()


def _refuse_download(url, *args, **kwargs):
    name = str(getattr(url, "full_url", url)).rsplit("/", 1)[-1]
    raise MissingDTDError(
        f"Bio.Entrez tried to download {url!r}: litmus never fetches DTDs at run time. "
        f"Copy {name} (an NCBI public-domain schema file) into {SHIPPED_DTD_DIR}, "
        "or upgrade Biopython to a release that bundles it."
    )


def use_local_dtds() -> None:
    """Make every later `Bio.Entrez.read` resolve DTDs locally or fail clearly. Idempotent."""
    global _configured
    with _lock:
        if _configured:
            return
        from Bio import Entrez

        # Must be set before Bio.Entrez.Parser is first imported: its metaclass creates the cache
        # folders from this value at import time (under ~/.config when it is None).
        Entrez.local_cache = str(DTD_CACHE_DIR)
        from Bio.Entrez import Parser

        if Parser.DataHandler.directory != str(DTD_CACHE_DIR):  # imported earlier by someone else
            try:
                Parser.DataHandler.directory = str(DTD_CACHE_DIR)
            except OSError:  # a read-only install: the lookup path is all we need
                Parser.DataHandler.local_dtd_dir = str(SHIPPED_DTD_DIR)
        Parser.urlopen = _refuse_download
        _configured = True


def entrez_read(body: bytes, *, validate: bool = True):
    """`Bio.Entrez.read` of an answer held in memory, with DTDs resolved offline."""
    from io import BytesIO

    from Bio import Entrez

    use_local_dtds()
    return Entrez.read(BytesIO(body), validate=validate)
