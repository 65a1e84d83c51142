"""What the first screen needs: the interface texts and an edition's welcome texts, from the
cache without pydantic or YAML when it is fresh, validated by ``wizard.content`` when a file
has changed (which also validates the whole edition: broken content is found before the
wizard starts)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from wizard.texts import CONTENT_DIR, Ui, available_editions, text_pairs, cached, default_edition, editions_dir


def _validate_ui(path: Path) -> dict[str, tuple[str, str]]:
    from wizard.content import UiFile, load_file

    model = load_file(path, UiFile)
    return {k: (t.nl, t.en) for k, t in model.texts.items()}  # type: ignore[attr-defined]


@lru_cache(maxsize=4)
def _load_ui(path: str) -> Ui:
    return Ui(cached(Path(path), "ui", _validate_ui, lambda v: v, lambda _p, data: text_pairs(data)))


def load_ui(content_dir: Path | None = None) -> Ui:
    return _load_ui(str((Path(content_dir or CONTENT_DIR) / "ui.yaml").resolve()))


def _validate_brief(path: Path) -> dict[str, Any]:
    from wizard.content import load_edition_at

    info = load_edition_at(path).info
    return {
        "id": info.id,
        **{f: (getattr(info, f).nl, getattr(info, f).en) for f in ("title", "status_note", "disclaimer")},
        "ui": {k: (t.nl, t.en) for k, t in info.ui.items()},  # the edition's own wording of interface texts
    }


def _restore_brief(_path: Path, data: Any) -> dict[str, Any]:
    if not isinstance(data.get("id"), str) or not isinstance(data.get("ui"), dict):
        raise ValueError("id")
    return {"id": data["id"], "ui": text_pairs(data["ui"]),
            **text_pairs({k: v for k, v in data.items() if k not in ("id", "ui")})}


@lru_cache(maxsize=8)
def _load_brief(path: str) -> dict[str, Any]:
    return cached(Path(path), "brief", _validate_brief, lambda v: v, _restore_brief)


def forget_loaded_briefs() -> None:
    """Forget the briefs read in this process (as ``wizard.content.forget_loaded_editions``)."""
    _load_brief.cache_clear()


def load_brief(edition_id: str | None = None, content_dir: Path | None = None) -> dict[str, Any]:
    """The texts of an edition that the welcome screen shows. Raises KeyError for an
    unknown edition and ContentError (from wizard.content) for broken content."""
    edition_id = edition_id or default_edition(content_dir)
    if edition_id not in available_editions(content_dir):  # an id, never a path
        raise KeyError(edition_id)
    return _load_brief(str((editions_dir(content_dir) / edition_id).resolve()))
