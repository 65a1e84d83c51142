"""The light half of content loading: paths, the validated-content cache, UI texts and the
edition's welcome texts — without importing pydantic or YAML when the cache is fresh.

Content is always validated by the pydantic models in ``wizard.content`` when a file has
changed; this module only keeps the result of the last validation (like Python's .pyc
files), so that the wizard's first screen does not wait for pydantic.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

STEPS = ("welcome", "sector", "partnership_type", "partners", "duration", "activities", "summary")

_HERE = Path(__file__).resolve().parent
CONTENT_DIR = Path(os.environ.get("PARTNERSHIP_WIZARD_CONTENT", _HERE.parent / "content"))
_CODE_STAMP = "|".join(str((_HERE / f).stat().st_mtime_ns) for f in ("content.py", "texts.py"))


def editions_dir(content_dir: Path | None = None) -> Path:
    return Path(content_dir or CONTENT_DIR) / "editions"


def available_editions(content_dir: Path | None = None) -> list[str]:
    d = editions_dir(content_dir)
    if not d.is_dir():
        return []
    return sorted(p.name for p in d.iterdir() if p.is_dir() and (p / "edition.yaml").exists())


def default_edition(content_dir: Path | None = None) -> str | None:
    eds = available_editions(content_dir)
    return eds[-1] if eds else None


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "partnership-wizard"


def _content_key(path: Path) -> str:
    """Changes whenever a content file, the loader or the Python version changes."""
    h = hashlib.sha256(f"{sys.version}|{_CODE_STAMP}".encode())
    files = sorted(path.rglob("*")) if path.is_dir() else [path]
    for f in files:
        if f.is_file():
            st = f.stat()
            h.update(f"{f.relative_to(path.parent)}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()


def cached(path: Path, kind: str, load: Callable[[Path], Any]) -> Any:
    """``load(path)``, or the result of its last run when no content file changed since.

    Any problem with the cache means: validate again. PARTNERSHIP_WIZARD_NO_CACHE=1
    always validates.
    """
    if os.environ.get("PARTNERSHIP_WIZARD_NO_CACHE"):
        return load(path)
    try:
        key = _content_key(path)
        cache = _cache_dir() / f"{kind}-{hashlib.sha256(str(path).encode()).hexdigest()[:16]}.pickle"
    except OSError:
        return load(path)
    try:
        with open(cache, "rb") as fh:
            stored_key, value = pickle.load(fh)
        if stored_key == key:
            return value
    except Exception:  # missing, stale or unreadable cache: validate again
        pass
    value = load(path)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=cache.parent, delete=False) as fh:
            pickle.dump((key, value), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(fh.name, cache)
    except Exception:  # a read-only or full disk only costs speed
        pass
    return value


class Ui:
    """The user-interface texts (content/ui.yaml): key → (Dutch, English)."""

    def __init__(self, texts: dict[str, tuple[str, str]]):
        self.texts = texts

    def __call__(self, key: str, lang: str, **fields: Any) -> str:
        nl, en = self.texts[key]
        text = nl if lang == "nl" else en
        return text.format(**fields) if fields else text

    def has(self, key: str) -> bool:
        return key in self.texts


def _validate_ui(path: Path) -> dict[str, tuple[str, str]]:
    from wizard.content import UiFile, _load_file

    model = _load_file(path, UiFile)
    return {k: (t.nl, t.en) for k, t in model.texts.items()}  # type: ignore[attr-defined]


@lru_cache(maxsize=4)
def _load_ui(path: str) -> Ui:
    return Ui(cached(Path(path), "ui", _validate_ui))


def load_ui(content_dir: Path | None = None) -> Ui:
    return _load_ui(str((Path(content_dir or CONTENT_DIR) / "ui.yaml").resolve()))


def _validate_brief(path: Path) -> dict[str, Any]:
    from wizard.content import _load_edition_cached

    info = _load_edition_cached(str(path)).info
    return {
        "id": info.id,
        **{f: (getattr(info, f).nl, getattr(info, f).en) for f in ("title", "status_note", "disclaimer")},
    }


@lru_cache(maxsize=8)
def _load_brief(path: str) -> dict[str, Any]:
    return cached(Path(path), "brief", _validate_brief)


def load_brief(edition_id: str | None = None, content_dir: Path | None = None) -> dict[str, Any]:
    """The texts of an edition that the welcome screen shows. Raises KeyError for an
    unknown edition and ContentError (from wizard.content) for broken content."""
    edition_id = edition_id or default_edition(content_dir)
    path = editions_dir(content_dir) / str(edition_id)
    if edition_id is None or not (path / "edition.yaml").exists():
        raise KeyError(edition_id)
    return _load_brief(str(path.resolve()))
