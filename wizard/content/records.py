"""Validated content as plain Python objects, rebuilt without pydantic.

Content is validated by the pydantic models in ``wizard.content.schema``; what the rest of the
wizard reads is the validated data as records: objects with the same fields (and a Text's
``__call__``), built from JSON data and a shape that the validating side describes
(``wizard.content.load``). A start whose cache of validated content is fresh builds these
without importing pydantic (see ``wizard.texts.cached``).

A shape is JSON: "str", "int", "float", "bool", "any", ["optional", shape], ["list", shape],
["dict", shape], ["literal", [values]] or ["model", name], with the models' fields as
{name: {field: shape}}.
"""
from __future__ import annotations

from typing import Any, Callable


class Record:
    """A validated content item: read-only fields, compared by its kind and fields."""

    __slots__ = ("__dict__",)

    def __init__(self, **fields: Any) -> None:
        object.__setattr__(self, "__dict__", fields)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    __delattr__ = __setattr__

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    __hash__ = None  # as the pydantic models: most records hold lists

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"


class TextRecord(Record):
    """A user-facing text in Dutch and English (schema.Text)."""

    def __call__(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en


def plain_data(value: Any) -> Any:
    """Records back to the JSON data they were built from."""
    if isinstance(value, Record):
        return {k: plain_data(v) for k, v in value.__dict__.items()}
    if isinstance(value, list):
        return [plain_data(v) for v in value]
    if isinstance(value, dict):
        return {k: plain_data(v) for k, v in value.items()}
    return value


_BASES: dict[str, type[Record]] = {"Text": TextRecord}
_CLASSES: dict[str, type[Record]] = {}  # one class per model name: records of one model compare equal


def record_class(name: str) -> type[Record]:
    """The record class of a schema model (by its name)."""
    cls = _CLASSES.get(name)
    if cls is None:
        cls = _CLASSES[name] = type(name, (_BASES.get(name, Record),), {"__slots__": (), "__module__": __name__})
    return cls
_PLAIN = {"str": str, "int": int, "float": float, "bool": bool}


def builder(shape: Any, models: dict[str, dict[str, Any]]) -> Callable[[Any], Any]:
    """A function that turns JSON data of this shape into records; it raises ValueError (or
    KeyError, TypeError) on data of another shape."""
    made: dict[str, Callable[[Any], Any]] = {}

    def build(shape: Any) -> Callable[[Any], Any]:
        if isinstance(shape, str):
            if shape == "any":  # free-form JSON (a demo's answers, read again by parse_answers)
                return lambda value: value
            kind = _PLAIN[shape]

            def plain(value: Any) -> Any:
                if type(value) is not kind:
                    raise ValueError(f"{value!r} is not a {kind.__name__}")
                return value
            return plain
        tag, arg = shape
        if tag == "optional":
            some = build(arg)
            return lambda value: None if value is None else some(value)
        if tag == "list":
            item = build(arg)

            def items(value: Any) -> list:
                if type(value) is not list:
                    raise ValueError(f"{value!r} is not a list")
                return [item(v) for v in value]
            return items
        if tag == "dict":
            item = build(arg)
            return lambda value: {k: item(v) for k, v in value.items()}
        if tag == "literal":
            def literal(value: Any) -> Any:
                if value not in arg:
                    raise ValueError(f"{value!r} is not one of {arg}")
                return value
            return literal
        if tag == "model":
            return model(arg)
        raise ValueError(f"unknown shape {shape!r}")

    def model(name: str) -> Callable[[Any], Any]:
        if name in made:
            return made[name]
        cls = record_class(name)
        fields: dict[str, Callable[[Any], Any]] = {}
        made[name] = lambda value: record(value)  # a model may contain itself

        def record(value: Any) -> Record:
            if value.keys() != fields.keys():
                raise ValueError(f"{name}: fields {sorted(value)}")
            return cls(**{k: fields[k](v) for k, v in value.items()})
        for field, shape in models[name].items():
            fields[field] = build(shape)
        made[name] = record
        return record

    return build(shape)
