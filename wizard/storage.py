"""Keeping plans: the autosave, atomic writes, and reading old or broken files.

No Textual here. Every failure becomes a ``StorageError`` with a sentence for the user;
a file that cannot be read is never changed (a corrupt autosave is only renamed).
"""
from __future__ import annotations

import errno
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from wizard.answers import Answers, AnswersError, parse_lenient, read_json_object
from wizard.texts import Ui

AUTOSAVE_NAME = "autosave.json"


class StorageError(Exception):
    """A file could not be written. ``kind`` is disk_full, no_permission, no_folder,
    name_too_long, bad_name or other."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(detail or kind)
        self.kind = kind
        self.detail = detail

    def describe(self, ui: Ui, lang: str) -> str:
        key = f"storage.{self.kind}"
        return ui(key, lang) if ui.has(key) else self.detail or self.kind


def data_dir() -> Path:
    """Where the autosave lives: PARTNERSHIP_WIZARD_DATA, else the platform's user data dir."""
    override = os.environ.get("PARTNERSHIP_WIZARD_DATA")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("partnership-wizard", appauthor=False))


def autosave_path() -> Path:
    return data_dir() / AUTOSAVE_NAME


def path_problem(exc: Exception) -> StorageError:
    """What is wrong with a path the user gave, from the error that looking at it raised
    (an OSError, or ValueError for a NUL character in it)."""
    if not isinstance(exc, OSError):
        return StorageError("bad_name")
    return _error(exc)


def _error(exc: OSError) -> StorageError:
    if exc.errno == errno.ENAMETOOLONG:
        return StorageError("name_too_long")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageError("disk_full")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StorageError("no_permission")
    if exc.errno in (errno.ENOTDIR, errno.ENOENT, errno.EEXIST):
        return StorageError("no_folder")
    return StorageError("other", exc.strerror or str(exc))


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (umask)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: Path, text: str) -> None:
    """Write a temporary file beside ``path``, fsync it, and rename it over ``path``:
    a crash or a killed terminal leaves the old file or the new one, never half of one."""
    path = Path(path)
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.chmod(tmp_name, _mode_for(path))
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
        try:  # make the rename itself durable
            dir_fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError:
            pass
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        raise path_problem(exc) from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def move_aside(path: Path, label: str = "corrupt") -> Path:
    """Rename a file out of the way, keeping it: autosave.json → autosave.corrupt-20261126-153000.json."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{label}-{stamp}{path.suffix}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.stem}.{label}-{stamp}-{n}{path.suffix}")
        n += 1
    os.replace(path, target)
    return target


@dataclass
class Loaded:
    """An answers file read leniently: the answers, and the values that were left out."""

    answers: Answers
    dropped: list[str] = field(default_factory=list)


def read_lenient(path: Path, edition_for, lang: str, ui: Ui) -> Loaded:
    """Read an answers file, leaving out (and listing) each value the wizard cannot use: an
    unknown id (an old file, content that changed), an impossible duration, a broken partner.
    Only a file that cannot be read as a JSON object raises AnswersError."""
    answers, dropped = parse_lenient(read_json_object(path, lang, ui), edition_for, lang, ui)
    return Loaded(answers, dropped)


def carry_over(answers: Answers, edition) -> Loaded:
    """The plan moved to another edition (another call): what that edition knows is kept; the
    rest is listed as "field: value" (read as a file is read: ids it does not know, organisations
    whose type or role it does not have; and a lump sum when it has none)."""
    raw = answers.model_dump(exclude_none=True)
    dropped = []
    if "grant_eur" in raw and not any(t.lump_sums for t in edition.partnership_types.values()):
        dropped.append(f"grant_eur: {raw.pop('grant_eur')}")
    kept, unusable = parse_lenient({**raw, "edition": edition.id}, lambda _id: edition)
    return Loaded(kept, dropped + unusable)


@dataclass
class AutosaveState:
    """What was found in the data directory at start-up."""

    loaded: Loaded | None = None
    moved_to: Path | None = None  # a corrupt autosave, renamed
    problem: str | None = None  # why it could not be read


def find_autosave(edition_for, lang: str, ui: Ui) -> AutosaveState:
    path = autosave_path()
    if not path.exists():
        return AutosaveState()
    try:
        return AutosaveState(loaded=read_lenient(path, edition_for, lang, ui))
    except AnswersError as exc:
        try:
            moved = move_aside(path)
        except OSError:
            moved = None
        return AutosaveState(moved_to=moved, problem=str(exc))
