"""The light half of content loading: paths, the validated-content cache, UI texts and the
edition's welcome texts — without importing pydantic or YAML when the cache is fresh.

Content is always validated by the pydantic models in ``wizard.content`` when a file has
changed; this module only keeps the result of the last validation (like Python's .pyc
files), so that the wizard's first screen does not wait for pydantic.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

STEPS = ("welcome", "sector", "partnership_type", "partners", "duration", "activities", "summary")

_HERE = Path(__file__).resolve().parent


def _default_content_dir() -> Path:
    """PARTNERSHIP_WIZARD_CONTENT (for content editors), else the content installed inside the
    package (a wheel: ``wizard/data``, built from the top-level ``content/``), else the
    ``content/`` folder of a source checkout."""
    override = os.environ.get("PARTNERSHIP_WIZARD_CONTENT")
    if override:
        return Path(override)
    packaged = _HERE / "data"
    return packaged if packaged.is_dir() else _HERE.parent / "content"


CONTENT_DIR = _default_content_dir()
CACHE_FORMAT = "2"  # bump when the shape of a cache file changes


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


@lru_cache(maxsize=1)
def _code_hash() -> str:
    """The wizard's own modules that validate content and judge the demo plans (the engine
    included): a change to any of them makes every cache stale."""
    h = hashlib.sha256(f"{CACHE_FORMAT}|{sys.version}".encode())
    for f in sorted(_HERE.glob("*.py")):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def _content_key(path: Path) -> str:
    """A hash of the code and of every content file's name and bytes (not their dates)."""
    h = hashlib.sha256(_code_hash().encode())
    files = sorted(path.rglob("*")) if path.is_dir() else [path]
    for f in files:
        if f.is_file():
            h.update(f"{f.relative_to(path.parent)}\0{f.stat().st_size}\0".encode() + f.read_bytes())
    return h.hexdigest()


def cached(path: Path, kind: str, load: Callable[[Path], Any], dump: Callable[[Any], Any],
           restore: Callable[[Path, Any], Any]) -> Any:
    """``load(path)``, or the result of its last run when neither the content nor the code
    changed since.

    The cache is JSON (reading it cannot run code): ``dump(value)`` gives the JSON data and
    ``restore(path, data)`` rebuilds the value, raising on anything unexpected. A cache file
    is used only when the hash of code + content stored in it is the one computed now; any
    problem with it means: validate again. PARTNERSHIP_WIZARD_NO_CACHE=1 always validates.
    """
    if os.environ.get("PARTNERSHIP_WIZARD_NO_CACHE"):
        return load(path)
    try:
        key = _content_key(path)
        cache = _cache_dir() / f"{kind}-{hashlib.sha256(str(path).encode()).hexdigest()[:16]}.json"
    except OSError:
        return load(path)
    try:
        stored = json.loads(cache.read_bytes())
        if stored["key"] == key:
            return restore(path, stored["value"])
    except Exception:  # missing, stale or unreadable cache: validate again
        pass
    value = load(path)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=cache.parent, delete=False) as fh:
            json.dump({"key": key, "value": dump(value)}, fh, ensure_ascii=False)
        os.replace(fh.name, cache)
    except Exception:  # a read-only or full disk only costs speed
        pass
    return value


def _pairs(data: Any) -> dict[str, tuple[str, str]]:
    """JSON {key: [nl, en]} back to {key: (nl, en)}; ValueError on any other shape."""
    out = {}
    for k, v in data.items():
        nl, en = v
        if not (isinstance(k, str) and isinstance(nl, str) and isinstance(en, str)):
            raise ValueError(k)
        out[k] = (nl, en)
    return out


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
    return Ui(cached(Path(path), "ui", _validate_ui, lambda v: v, lambda _p, data: _pairs(data)))


def load_ui(content_dir: Path | None = None) -> Ui:
    return _load_ui(str((Path(content_dir or CONTENT_DIR) / "ui.yaml").resolve()))


def _validate_brief(path: Path) -> dict[str, Any]:
    from wizard.content import _load_edition_cached

    info = _load_edition_cached(str(path)).info
    return {
        "id": info.id,
        **{f: (getattr(info, f).nl, getattr(info, f).en) for f in ("title", "status_note", "disclaimer")},
    }


def _restore_brief(_path: Path, data: Any) -> dict[str, Any]:
    if not isinstance(data.get("id"), str):
        raise ValueError("id")
    return {"id": data["id"], **_pairs({k: v for k, v in data.items() if k != "id"})}


@lru_cache(maxsize=8)
def _load_brief(path: str) -> dict[str, Any]:
    return cached(Path(path), "brief", _validate_brief, lambda v: v, _restore_brief)


def load_brief(edition_id: str | None = None, content_dir: Path | None = None) -> dict[str, Any]:
    """The texts of an edition that the welcome screen shows. Raises KeyError for an
    unknown edition and ContentError (from wizard.content) for broken content."""
    edition_id = edition_id or default_edition(content_dir)
    path = editions_dir(content_dir) / str(edition_id)
    if edition_id is None or not (path / "edition.yaml").exists():
        raise KeyError(edition_id)
    return _load_brief(str(path.resolve()))
