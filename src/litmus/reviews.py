"""Turning what the user names as a review into a `Review`: our TOML transcription, a Markdown or
plain-text file with a numbered reference list, a JATS XML file, or (live) a PMCID or DOI."""

from __future__ import annotations

import re
from pathlib import Path

from litmus.paths import corpus_dir
from litmus.records import Review

DEFAULT_REVIEW_ID = "zhang2022-editorial-car-t-resistance"
PMCID = re.compile(r"^PMC\d+$", re.IGNORECASE)
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
TEXT_SUFFIXES = {".md", ".markdown", ".txt"}


class ReviewInputError(ValueError):
    pass


def default_review_path() -> Path:
    return corpus_dir() / "reviews" / f"{DEFAULT_REVIEW_ID}.toml"


def review_id_from_name(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "review"


def review_label(spec: str | Path | None) -> str:
    """The id a review will be stored under, as far as its name tells (for naming runs before it
    is read): a transcription's `review_id`, a text file's slug, a PMCID; a JATS file's stem."""
    if spec is None:
        return DEFAULT_REVIEW_ID
    text_spec = str(spec).strip()
    if PMCID.match(text_spec):
        return text_spec.upper()
    if DOI.match(text_spec.removeprefix("doi:").strip()):
        return review_id_from_name(text_spec.removeprefix("doi:"))
    path = Path(text_spec).expanduser()
    if path.suffix.lower() == ".toml" and path.is_file():
        import tomllib

        try:
            stated = tomllib.loads(path.read_text(encoding="utf-8")).get("review_id")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            stated = None  # reading it for real reports the problem
        if isinstance(stated, str) and stated.strip():
            return stated.strip()
    return review_id_from_name(path.stem)


def load_review_input(spec: str | Path | None, *, client=None) -> Review:
    """Read a review from a file, or fetch its JATS from PMC when given a PMCID or DOI."""
    if spec is None:
        spec = default_review_path()
    text_spec = str(spec).strip()
    if is_fetched_review(text_spec):
        return _fetch_review(text_spec, client)
    path = Path(text_spec).expanduser()
    _refuse_unless_regular(path, "review")
    if not path.is_file():
        raise ReviewInputError(
            f"review {text_spec!r} is neither a readable file nor a PMCID/DOI; give a .toml transcription, "
            "a .md/.txt file with a numbered reference list, a JATS .xml file, or PMC… / 10.… with --live"
        )
    _refuse_if_too_large(path)
    suffix = path.suffix.lower()
    if suffix == ".toml":
        from litmus.corpus.sources import load_review

        return load_review(path)
    if suffix == ".xml":
        from litmus.references.jats import parse_jats_references

        return parse_jats_references(path.read_bytes())
    if suffix in TEXT_SUFFIXES:
        from litmus.references.markdown import parse_review_markdown

        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise ReviewInputError(f"{path} is not UTF-8 text ({error.reason} at byte {error.start})") from error
        return parse_review_markdown(text, review_id=review_id_from_name(path.stem), source=str(path))
    raise ReviewInputError(f"don't know how to read a review from {path.name}: use .toml, .md, .txt or .xml")


def is_fetched_review(spec: str | Path | None) -> bool:
    """A PMCID or DOI: fetched from PMC (with --live), not read from a file."""
    text = str(spec or "").strip()
    return bool(PMCID.match(text) or DOI.match(text.removeprefix("doi:").strip()))


def read_review_text(path: str | Path) -> str:
    """The review's own prose (--review-text): a regular UTF-8 file within the review_file_bytes limit."""
    path = Path(path).expanduser()
    _refuse_unless_regular(path, "review text")
    if not path.is_file():
        raise ReviewInputError(f"no such review text file: {path}")
    _refuse_if_too_large(path)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ReviewInputError(f"{path} is not UTF-8 text ({error.reason} at byte {error.start})") from error


def _refuse_unless_regular(path: Path, what: str) -> None:
    if path.exists() and not path.is_file() and not path.is_dir():
        raise ReviewInputError(f"{what} {path} is not a regular file (a FIFO, socket or device): give a file")


def _refuse_if_too_large(path: Path) -> None:
    from litmus.limits import REVIEW_FILE_BYTES

    size = path.stat().st_size
    if size > REVIEW_FILE_BYTES.value:
        raise REVIEW_FILE_BYTES.refuse(str(path), size)


def _fetch_review(spec: str, client) -> Review:
    from litmus.references.jats import parse_jats_references

    return parse_jats_references(fetch_review_jats(spec, client))


def is_remote_review(spec: str | Path | None) -> bool:
    """A PMCID or DOI (fetched from PMC), rather than a file."""
    text = str(spec or "").strip()
    return bool(PMCID.match(text) or DOI.match(text.removeprefix("doi:").strip()))


def fetch_review_jats(spec: str, client) -> bytes:
    """The JATS XML of a review in PMC, named by PMCID or DOI."""
    if client is None:
        raise ReviewInputError(f"fetching {spec} needs the E-utilities client (use --live)")
    if PMCID.match(spec):
        pmcid = spec.upper()
    else:
        doi = spec.removeprefix("doi:").strip()
        found = client.esearch(f'"{doi}"[doi]', db="pmc", retmax=2)
        if len(found.ids) != 1:
            raise ReviewInputError(f"DOI {doi} gave {len(found.ids)} PMC articles; give the PMCID instead")
        pmcid = f"PMC{found.ids[0]}"
    return client.efetch_pmc_jats(pmcid)


def transcription_for(spec: str | Path | None) -> Path | None:
    """Our hand transcription of a review's claims, beside its `.toml` record, when there is one."""
    path = default_review_path() if spec is None else Path(str(spec)).expanduser()
    if path.suffix.lower() != ".toml":
        return None
    claims = path.with_name(path.stem + ".claims.toml")
    return claims if claims.is_file() else None


def review_text_for(spec: str | Path | None) -> Path | None:
    """The review's own prose, when the review was given as text (Markdown or plain)."""
    if spec is None:
        return None
    path = Path(str(spec)).expanduser()
    return path if path.suffix.lower() in TEXT_SUFFIXES and path.is_file() else None
