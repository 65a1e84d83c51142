"""Loading an edition: its YAML files validated one by one, then checked together
(``refs.cross_check``), and kept in a JSON cache that is read back without building the
validators (see ``wizard.texts.cached``)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Callable, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from wizard.content.edition import EDITION_PARTS, Edition
from wizard.content.files import ContentError, load_file, validation_problems
from wizard.content.refs import cross_check
from wizard.content.schema import EDITION_FILES, DemoFile, UiFile
from wizard.texts import available_editions, cached, default_edition, editions_dir


def load_edition_dir(path: Path) -> Edition:
    """Read and validate one edition directory; raise ContentError listing every problem."""
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
    return edition


def _dump_edition(edition: Edition) -> dict[str, Any]:
    """A validated edition as JSON data, for the cache."""
    data = {attribute: getattr(edition, attribute).model_dump(mode="json") for attribute in EDITION_PARTS}
    data["demos"] = {name: demo.model_dump(mode="json") for name, demo in edition.demos.items()}
    return data


_BUILDERS: dict[Any, Callable[[Any], Any]] = {}


def _builder(kind: Any) -> Callable[[Any], Any]:
    """A function that turns the JSON data ``model_dump`` wrote for ``kind`` back into the
    models, without running the validators: the cache holds only what a validation gave for
    this exact code and content (see ``wizard.texts.cached``), and building the validators
    would cost more than reading the cache saves. It raises on data of another shape.
    Made once per type."""
    if kind in _BUILDERS:
        return _BUILDERS[kind]
    origin, args = get_origin(kind), get_args(kind)
    build: Callable[[Any], Any]
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        fields: dict[str, Callable[[Any], Any]] = {}
        _BUILDERS[kind] = lambda value: model(value)  # a model may contain itself
        for name, info in kind.model_fields.items():
            fields[name] = _builder(info.annotation)
        construct = kind.model_construct

        def model(value: Any) -> Any:
            return construct(**{k: fields[k](v) for k, v in value.items()})
        build = model
    elif kind is Any:  # free-form JSON (a demo's answers, read again by parse_answers)
        build = lambda value: value  # noqa: E731
    elif origin is Annotated:
        build = _builder(args[0])
    elif origin in (Union, UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        some = _builder(inner)
        build = lambda value: None if value is None else some(value)  # noqa: E731
    elif origin is list:
        item = _builder(args[0])
        build = lambda value: [item(v) for v in value]  # noqa: E731
    elif origin is dict:
        item = _builder(args[1])
        build = lambda value: {k: item(v) for k, v in value.items()}  # noqa: E731
    elif origin is Literal:
        def literal(value: Any) -> Any:
            if value not in args:
                raise ValueError(f"{value!r} is not one of {args}")
            return value
        build = literal
    elif kind in (str, int, float, bool):
        def plain(value: Any) -> Any:
            if type(value) is not kind:
                raise ValueError(f"{value!r} is not a {kind.__name__}")
            return value
        build = plain
    else:
        raise TypeError(f"no builder for {kind}")
    _BUILDERS[kind] = build
    return build


def _restore_edition(path: Path, data: dict[str, Any]) -> Edition:
    """The cached JSON data back to an edition (see _builder)."""
    parts = {attribute: _builder(EDITION_FILES[filename])(data[attribute]) for attribute, filename in EDITION_PARTS.items()}
    demo = _builder(DemoFile)
    demos = {name: demo(value) for name, value in data["demos"].items()}
    return Edition(path=path, demos=demos, **parts)


@lru_cache(maxsize=8)
def _load_edition_cached(path: str) -> Edition:
    return cached(Path(path), "edition", load_edition_dir, _dump_edition, _restore_edition)


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
    out = {name: model.model_json_schema() for name, model in EDITION_FILES.items()}
    out["ui.yaml"] = UiFile.model_json_schema()
    out["demo.json"] = DemoFile.model_json_schema()
    return out
