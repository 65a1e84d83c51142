"""The answers file: what a user has decided so far, in JSON.

The wizard saves and loads this format and ``check`` reads it. Every field may be absent
(a plan saved halfway). Parsing turns every problem into an ``AnswersError`` whose message
is a sentence in the user's language; it never lets a traceback through.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError

from wizard.brief import load_ui
from wizard.content import Edition, Ui, available_editions
from wizard.texts import format_loc, shown

MAX_FILE_BYTES = 1024 * 1024


class Partner(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    name: StrictStr
    country: StrictStr
    organisation_type: StrictStr
    role: StrictStr
    eche: StrictBool | None = None


class Answers(BaseModel):
    """One plan. ``None`` means "not answered yet"."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    edition: StrictStr | None = None
    sector: StrictStr | None = None
    partnership_type: StrictStr | None = None
    action: StrictStr | None = None  # applied for under this action code (an optional format's or the sector's)
    partners: list[Partner] | None = None
    duration_months: StrictInt | None = None
    grant_eur: StrictInt | None = None
    activities: list[StrictStr] | None = None
    priorities: list[StrictStr] | None = None
    effects: list[StrictStr] | None = None
    # The step the wizard was on when it autosaved the plan: a resumed plan opens there again.
    # Only the autosave writes it; check accepts and ignores it, the session reads it and never
    # holds it in the plan (a step it does not know is ignored).
    step: StrictStr | None = None

    def to_json(self) -> str:
        return json.dumps(self.model_dump(exclude_none=True), ensure_ascii=False, indent=2) + "\n"


# Python's JSON messages (English only) → the ui.yaml text that says the same in the user's language
_JSON_PROBLEMS = {
    "Expecting value": "json.expecting_value",
    "Expecting property name": "json.expecting_name",
    "Expecting ':'": "json.expecting_colon",
    "Expecting ','": "json.expecting_comma",
    "Unterminated string": "json.unterminated_string",
    "Invalid control character": "json.control_character",
    "Invalid \\": "json.bad_escape",
    "Extra data": "json.extra_data",
    "Illegal trailing comma": "json.trailing_comma",
}


def _json_problem(message: str) -> str:
    return next((key for start, key in _JSON_PROBLEMS.items() if message.startswith(start)), "json.other")


# A duration is a number of months a project can last: at least one, and not more than a
# century (a bound of the format, not a programme rule: the edition's limits are the engine's).
MAX_MONTHS = 1200
_WHOLE = re.compile(r"[+-]?[0-9]+")


def duration_problem(months: int) -> str | None:
    """The ui key saying why a number of months is impossible, or None. One rule for the
    reader (check, --answers, the autosave) and the duration field."""
    if months < 1:
        return "answers.duration_too_small"
    if months > MAX_MONTHS:
        return "answers.duration_too_large"
    return None


def parse_duration(text: str) -> tuple[int | None, str | None]:
    """What was typed in the duration field → (months, None), or (None, the ui key of what is
    wrong with it). Nothing typed → (None, None)."""
    raw = text.strip()
    if not raw:
        return None, None
    if not _WHOLE.fullmatch(raw):
        return None, "answers.duration_not_whole"
    digits = raw.lstrip("+-").lstrip("0") or "0"
    if len(digits) > len(str(MAX_MONTHS)):  # not turned into a number: it may have any length
        return None, "answers.duration_too_small" if raw.startswith("-") else "answers.duration_too_large"
    months = int(raw)
    problem = duration_problem(months)
    return (None, problem) if problem else (months, None)


def clean_name(name: str) -> str:
    """An organisation's name as a plan keeps it: one space between words, none around them."""
    return " ".join(name.split())


def organisation_key(name: str, country: str) -> tuple[str, str]:
    """What makes two organisations of a plan the same one: the name (cleaned, in any case)
    and the country. A plan names each organisation once."""
    return clean_name(name).casefold(), country


class AnswersError(Exception):
    """Bad input, with a sentence for the user (in their language). ``kind`` is
    "unknown_id" when the only problem is an id the edition does not know."""

    def __init__(self, message: str, kind: str = "bad_input") -> None:
        super().__init__(message)
        self.kind = kind


def _pydantic_message(err: ValidationError, ui: Ui, lang: str) -> str:
    e = err.errors()[0]
    where = format_loc(e["loc"])
    kind = e["type"]
    expected = {
        "string_type": "answers.expect_text",
        "int_type": "answers.expect_whole_number",
        "int_from_float": "answers.expect_whole_number",
        "bool_type": "answers.expect_true_false",
        "list_type": "answers.expect_list",
        "model_type": "answers.expect_object",
        "dict_type": "answers.expect_object",
    }
    if kind == "extra_forbidden":
        return ui("answers.unknown_field", lang, field=shown(where))
    if kind == "missing":
        return ui("answers.missing_field", lang, field=where)
    if kind in expected:
        return ui("answers.wrong_type", lang, field=where, expected=ui(expected[kind], lang))
    return ui("answers.invalid_field", lang, field=where, problem=shown(e["msg"]))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _unwritable_text(value: Any, loc: tuple = ()) -> str | None:
    """Where a text holds an unpaired surrogate (legal in JSON, but not a character: it cannot
    be printed or saved as UTF-8), or None."""
    if isinstance(value, str):
        return format_loc(loc) or "?" if _SURROGATE.search(value) else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(key, str) and _SURROGATE.search(key):
            return format_loc((*loc, key))
        found = _unwritable_text(item, (*loc, key))
        if found is not None:
            return found
    return None


def parse_answers(data: Any, edition: Edition, lang: str = "en", ui: Ui | None = None) -> Answers:
    """Validate a decoded JSON value against the format and the edition's ids.

    Returns the answers with country codes normalised (upper case, EL→GR, UK→GB).
    """
    ui = ui or load_ui()
    if not isinstance(data, dict):
        raise AnswersError(ui("answers.not_an_object", lang))
    where = _unwritable_text(data)
    if where is not None:
        raise AnswersError(ui("answers.bad_character", lang, field=shown(where)))
    try:
        answers = Answers.model_validate(data)
    except ValidationError as err:
        raise AnswersError(_pydantic_message(err, ui, lang)) from None
    return check_ids(answers, edition, lang, ui)


def check_ids(answers: Answers, edition: Edition, lang: str = "en", ui: Ui | None = None) -> Answers:
    """Every id must exist in the edition; organisations must be unique."""
    ui = ui or load_ui()

    def unknown(field: str, value: str, known, kind: str = "unknown_id") -> AnswersError:
        return AnswersError(ui("answers.unknown_id", lang, field=field, value=shown(value), known=", ".join(known)), kind)

    if answers.sector is not None and answers.sector not in edition.sectors:
        raise unknown("sector", answers.sector, edition.sectors)
    if answers.partnership_type is not None and answers.partnership_type not in edition.partnership_types:
        raise unknown("partnership_type", answers.partnership_type, edition.partnership_types)
    if answers.action is not None:
        actions = [s.action for s in edition.sectors.values()] + [f.action for f in edition.formats.values() if f.optional]
        if answers.action not in actions:
            raise unknown("action", answers.action, actions)
    if answers.duration_months is not None and (problem := duration_problem(answers.duration_months)):
        raise AnswersError(ui(problem, lang, value=shown(answers.duration_months), max=MAX_MONTHS))
    for field, known in (("activities", edition.activities), ("priorities", edition.priorities), ("effects", edition.effects)):
        values = getattr(answers, field)
        for i, v in enumerate(values or []):
            if v not in known:
                raise unknown(f"{field}[{i}]", v, known)
    partners = []
    seen: dict[tuple[str, str], int] = {}
    for i, p in enumerate(answers.partners or []):
        name = clean_name(p.name)
        if not name:
            raise AnswersError(ui("answers.empty_name", lang, field=f"partners[{i}].name"))
        country = edition.normalise_country(p.country)
        if country is None:
            raise AnswersError(ui("answers.unknown_country", lang, field=f"partners[{i}].country", value=shown(p.country)))
        if p.organisation_type not in edition.organisation_types:
            raise unknown(f"partners[{i}].organisation_type", p.organisation_type, edition.organisation_types, "bad_input")
        if p.role not in edition.roles:
            raise unknown(f"partners[{i}].role", p.role, edition.roles, "bad_input")
        key = organisation_key(name, country)
        if key in seen:
            raise AnswersError(ui("answers.duplicate_organisation", lang, name=shown(name), country=country, first=seen[key], second=i))
        seen[key] = i
        partners.append(p.model_copy(update={"name": name, "country": country}))
    if answers.partners is None:
        return answers
    return answers.model_copy(update={"partners": partners})


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _parse_int(digits: str) -> int:
    if len(digits) > 100:  # Python refuses more than 4,300 digits with a ValueError; no count is this long
        raise _NumberTooLong
    return int(digits)


class _NumberTooLong(Exception):
    pass


def read_json_object(path: str | Path, lang: str = "en", ui: Ui | None = None) -> dict:
    """Read an answers file as far as the JSON object in it; every problem on the way (the file,
    its encoding, its JSON) is an ``AnswersError`` saying what to do."""
    ui = ui or load_ui()
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise AnswersError(ui("answers.is_directory", lang, path=shown(path, 200)))
        if size > MAX_FILE_BYTES:
            raise AnswersError(ui("answers.too_large", lang, path=shown(path, 200), size=size // 1024))
        raw = path.read_bytes()
    except FileNotFoundError:
        raise AnswersError(ui("answers.not_found", lang, path=shown(path, 200))) from None
    except PermissionError:
        raise AnswersError(ui("answers.no_permission", lang, path=shown(path, 200))) from None
    except AnswersError:
        raise
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        problem = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise AnswersError(ui("answers.unreadable", lang, path=shown(path, 200), problem=shown(problem))) from None
    if not raw.strip():
        raise AnswersError(ui("answers.empty", lang, path=shown(path, 200)))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AnswersError(ui("answers.binary", lang, path=shown(path, 200))) from None
    if "\x00" in text or _CONTROL.search(text):
        raise AnswersError(ui("answers.binary", lang, path=shown(path, 200)))
    try:
        data = json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise AnswersError(ui("answers.not_json", lang, path=shown(path, 200), line=exc.lineno, column=exc.colno,
                              problem=ui(_json_problem(exc.msg), lang))) from None
    except _NumberTooLong:
        raise AnswersError(ui("answers.number_too_long", lang, path=shown(path, 200))) from None
    except RecursionError:
        raise AnswersError(ui("answers.too_deep", lang, path=shown(path, 200))) from None
    if not isinstance(data, dict):
        raise AnswersError(ui("answers.not_an_object", lang))
    return data


def _edition_id(data: dict, lang: str, ui: Ui) -> str | None:
    edition_id = data.get("edition")
    if edition_id is not None and not isinstance(edition_id, str):
        raise AnswersError(ui("answers.wrong_type", lang, field="edition", expected=ui("answers.expect_text", lang)))
    return edition_id


def read_answers_file(path: str | Path, edition_for, lang: str = "en", ui: Ui | None = None) -> Answers:
    """Read and validate an answers file (``check``: any problem refuses the file).

    ``edition_for`` maps the file's ``edition`` field (or None) to an Edition, raising
    ``AnswersError`` for an unknown one.
    """
    ui = ui or load_ui()
    data = read_json_object(path, lang, ui)
    return parse_answers(data, edition_for(_edition_id(data, lang, ui)), lang, ui)


_LISTS = ("activities", "priorities", "effects", "partners")


def parse_lenient(data: dict, edition_for, lang: str = "en", ui: Ui | None = None) -> tuple[Answers, list[str]]:
    """Like ``parse_answers``, but a value that cannot be used (an id this edition does not know,
    an impossible duration, a broken partner, a field it does not know) is left out and named
    instead of refusing the whole plan: the wizard keeps the rest. Returns the answers and
    what was left out, as "field: value" lines."""
    ui = ui or load_ui()
    dropped: list[str] = []
    try:
        edition = edition_for(_edition_id(data, lang, ui))
    except AnswersError:  # an edition that does not exist: the newest
        edition = edition_for(None)
    if data.get("edition") not in (None, edition.id, *available_editions()):
        # also when the edition was given (--edition): the plan never keeps an edition that does not exist
        dropped.append(f"edition: {shown(data.get('edition'))}")
        data = {**data, "edition": edition.id}

    def usable(fields: dict) -> bool:
        try:
            parse_answers(fields, edition, lang, ui)
        except AnswersError:
            return False
        return True

    def label(value: Any) -> str:
        if isinstance(value, dict) and isinstance(value.get("name"), str):
            return shown(value["name"])
        return shown(json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value)

    clean: dict[str, Any] = {}
    for key, value in data.items():
        if key in _LISTS and isinstance(value, list):
            kept: list = []
            for i, item in enumerate(value):
                if usable({key: [*kept, item]}):  # partners: also no second copy of one before it
                    kept.append(item)
                else:
                    dropped.append(f"{key}: {label(item)}")
            value = kept
        if usable({key: value}):
            clean[key] = value
        else:
            dropped.append(f"{shown(key)}: {label(value)}")
    return parse_answers(clean, edition, lang, ui), dropped
