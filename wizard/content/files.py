"""Reading one content file: YAML → its validated model, every problem a line that names the
file, the path to the field and what is wrong (``ContentError``)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.texts import format_loc

if TYPE_CHECKING:  # pydantic only where a file is validated: a start with a fresh cache never needs it
    from pydantic import ValidationError

    from wizard.content.schema import Model


class ContentError(Exception):
    """Content that cannot be used. ``problems`` are lines of 'file: path: what is wrong'."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def validation_problems(filename: str, err: ValidationError) -> list[str]:
    problems = []
    for e in err.errors():
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            msg = "unknown key (not allowed here)"
        elif e["type"] == "missing":
            msg = "required key is missing"
        problems.append(f"{filename}: {format_loc(e['loc']) or '(top level)'}: {msg}")
    return problems


def read_yaml(path: Path) -> Any:
    import yaml  # only when content is (re)validated: a cached start-up never needs it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError([f"{path.name}: file is missing"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError([f"{path.name}: cannot be read ({exc})"]) from None
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(unknown line)"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ContentError([f"{path.name}: {where}: invalid YAML: {problem}"]) from None


def load_file(path: Path, model: type[Model]) -> Model:
    from pydantic import ValidationError

    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ContentError([f"{path.name}: (top level): expected a mapping of keys"])
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise ContentError(validation_problems(path.name, err)) from None
