"""Loading an edition: its YAML files validated one by one by pydantic, then checked together
(``refs.cross_check``), and kept as records (``wizard.content.records``) in a JSON cache that
is read back without pydantic (see ``wizard.texts.cached``): a start with a fresh cache never
imports it."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from types import UnionType
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args, get_origin

from wizard.content.edition import EDITION_PARTS, Edition
from wizard.content.files import ContentError, load_file, validation_problems
from wizard.content.records import builder, plain_data
from wizard.texts import available_editions, cached, default_edition, editions_dir

if TYPE_CHECKING:
    from pydantic import BaseModel


def load_edition_dir(path: Path) -> Edition:
    """Read and validate one edition directory; raise ContentError listing every problem.
    The edition returned holds records, as one read from the cache does."""
    from pydantic import ValidationError

    from wizard.content.refs import cross_check
    from wizard.content.schema import EDITION_FILES, DemoFile

    path = Path(path)
    if not path.is_dir():
        raise ContentError([f"{path}: not a directory with an edition's YAML files"])
    problems: list[str] = []
    parts: dict[str, BaseModel] = {}
    for attribute, filename in EDITION_PARTS.items():
        try:
            parts[attribute] = load_file(path / filename, EDITION_FILES[filename])
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    edition = Edition(path=path, **parts)
    demo_dir = path / "demos"
    if demo_dir.is_dir():
        for f in sorted(demo_dir.glob("*.json")):
            try:
                data = json.loads(f.read_text(encoding="utf-8"))
                edition.demos[f.stem] = DemoFile.model_validate(data)
            except json.JSONDecodeError as exc:
                problems.append(f"demos/{f.name}: line {exc.lineno}: invalid JSON: {exc.msg}")
            except ValidationError as err:
                problems.extend(validation_problems(f"demos/{f.name}", err))
    if problems:
        raise ContentError(problems)
    problems = cross_check(edition)  # the demo plans are judged above the engine: wizard.demos
    if edition.id != path.name:
        problems.insert(0, f"edition.yaml: id: '{edition.id}' differs from the directory name '{path.name}'")
    if problems:
        raise ContentError(problems)
    return _restore_edition(path, _dump_edition(edition))


def _dump_edition(edition: Edition) -> dict[str, Any]:
    """A validated edition (of models or of records) as JSON data, for the cache and for the
    records: each part as ``model_dump`` gives it, and under "models" the shape of every model (the records' fields, see records.builder)."""
    from wizard.content.schema import EDITION_FILES, DemoFile

    def as_json(part: Any) -> Any:  # a validated model, or a record
        return part.model_dump(mode="json") if hasattr(part, "model_dump") else plain_data(part)

    data: dict[str, Any] = {attribute: as_json(getattr(edition, attribute)) for attribute in EDITION_PARTS}
    data["demos"] = {name: as_json(demo) for name, demo in edition.demos.items()}
    models: dict[str, dict[str, Any]] = {}
    parts = {attribute: _shape(EDITION_FILES[filename], models) for attribute, filename in EDITION_PARTS.items()}
    models[_EDITION] = {**parts, "demos": ["dict", _shape(DemoFile, models)]}
    data["models"] = models
    return data


_EDITION = "edition"  # the shape of the whole (not a schema model: those are named in CamelCase)


def _shape(kind: Any, models: dict[str, dict[str, Any]]) -> Any:
    """The shape (see records.builder) of the JSON data ``model_dump`` writes for ``kind``;
    the models it contains are added to ``models``."""
    from pydantic import BaseModel

    origin, args = get_origin(kind), get_args(kind)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        name = kind.__name__
        if name not in models:
            models[name] = {}  # a model may contain itself
            models[name] = {field: _shape(info.annotation, models) for field, info in kind.model_fields.items()}
        return ["model", name]
    if kind is Any:
        return "any"
    if origin is Annotated:
        return _shape(args[0], models)
    if origin in (Union, UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        return ["optional", _shape(inner, models)]
    if origin is list:
        return ["list", _shape(args[0], models)]
    if origin is dict:
        return ["dict", _shape(args[1], models)]
    if origin is Literal:
        return ["literal", list(args)]
    if kind in (str, int, float, bool):
        return kind.__name__
    raise TypeError(f"no shape for {kind}")


def _restore_edition(path: Path, data: dict[str, Any]) -> Edition:
    """The cached JSON data back to an edition of records, without pydantic; raises on data
    of another shape (see records.builder)."""
    data = dict(data)
    models = data.pop("models")
    parts = builder(["model", _EDITION], models)(data)
    return Edition(path=path, **parts.__dict__)


@lru_cache(maxsize=8)
def _load_edition_cached(path: str) -> Edition:
    return cached(Path(path), "edition", load_edition_dir, _dump_edition, _restore_edition)


def forget_loaded_editions() -> None:
    """Forget the editions loaded in this process: the next load reads the content again (from
    the on-disk cache when no file changed). For a process that outlives a change to the
    content files, and for tests that change them."""
    _load_edition_cached.cache_clear()


def load_edition_at(path: Path) -> Edition:
    """The validated edition in this directory (from the cache when no file changed)."""
    return _load_edition_cached(str(Path(path).resolve()))


def load_edition(edition_id: str | None = None, content_dir: Path | None = None) -> Edition:
    """The edition by id (default: the newest), validated once and cached."""
    edition_id = edition_id or default_edition(content_dir)
    if edition_id is None:
        raise ContentError([f"{editions_dir(content_dir)}: no editions found"])
    if edition_id not in available_editions(content_dir):  # an id, never a path ("../editions/2020")
        raise KeyError(edition_id)
    return load_edition_at(editions_dir(content_dir) / edition_id)


def schema_filename(name: str) -> str:
    """edition.yaml → edition.schema.json; demo.json → demo.schema.json."""
    return name.rsplit(".", 1)[0] + ".schema.json"


def json_schemas() -> dict[str, dict]:
    """The JSON Schema of every content file, keyed by file name."""
    from wizard.content.schema import EDITION_FILES, DemoFile, UiFile

    out = {name: model.model_json_schema() for name, model in EDITION_FILES.items()}
    out["ui.yaml"] = UiFile.model_json_schema()
    out["demo.json"] = DemoFile.model_json_schema()
    return out
