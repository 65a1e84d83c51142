"""The answers file: what a user has decided so far, in JSON.

The wizard saves and loads this format and ``check`` reads it. Every field may be absent
(a plan saved halfway). Parsing turns every problem into an ``AnswersError`` whose message
is a sentence in the user's language; it never lets a traceback through.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.brief import load_ui
from wizard.content import Edition, Ui, available_editions
from wizard.content.records import Record, record_class
from wizard.texts import format_loc, shown

if TYPE_CHECKING:
    from pydantic import ValidationError

    from wizard.answers_model import Answers, Partner

MAX_FILE_BYTES = 1024 * 1024

# The answers format, field by field (the pydantic models in wizard.answers_model say the same):
# "text", "number" (a whole one), "yes/no", a list of texts, or the partners. Every field may be
# absent or null; a partner's fields are required but for eche.
FIELDS = {"edition": "text", "sector": "text", "partnership_type": "text", "action": "text", "partners": "partners",
          "duration_months": "number", "grant_eur": "number", "activities": "texts", "priorities": "texts",
          "effects": "texts", "step": "text"}
PARTNER_FIELDS = {"name": "text", "country": "text", "organisation_type": "text", "role": "text", "eche": "yes/no"}
PARTNER_OPTIONAL = frozenset({"eche"})


def __getattr__(name: str) -> Any:
    """``Answers`` and ``Partner``, the pydantic models of the plan the app holds, imported on
    first use: ``check`` never needs them."""
    if name in ("Answers", "Partner"):
        from wizard import answers_model

        return getattr(answers_model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


_EXPECTED = {
    "string_type": "answers.expect_text",
    "int_type": "answers.expect_whole_number",
    "int_from_float": "answers.expect_whole_number",
    "bool_type": "answers.expect_true_false",
    "list_type": "answers.expect_list",
    "model_type": "answers.expect_object",
    "dict_type": "answers.expect_object",
}


def _problem_message(loc: tuple, kind: str, problem: str, ui: Ui, lang: str) -> str:
    """A problem with the format (pydantic's error types and places) as a sentence for the user."""
    where = format_loc(loc)
    if kind == "extra_forbidden":
        return ui("answers.unknown_field", lang, field=shown(where))
    if kind == "missing":
        return ui("answers.missing_field", lang, field=where)
    if kind in _EXPECTED:
        return ui("answers.wrong_type", lang, field=where, expected=ui(_EXPECTED[kind], lang))
    return ui("answers.invalid_field", lang, field=where, problem=shown(problem))


def _pydantic_message(err: ValidationError, ui: Ui, lang: str) -> str:
    e = err.errors()[0]
    return _problem_message(e["loc"], e["type"], e["msg"], ui, lang)


# The error type of a value that is not what the format wants, as pydantic names it
_WRONG = {"text": "string_type", "number": "int_type", "yes/no": "bool_type", "texts": "list_type", "partners": "list_type"}
_TYPES = {"text": str, "number": int, "yes/no": bool}


def _format_problem(data: dict) -> tuple[tuple, str] | None:
    """The first problem with the format in JSON data (where, pydantic's error type), in
    pydantic's order: the fields in the order of the model (a list item by item, a partner's
    fields in order), then the fields it does not know; None when there is none."""
    for name, kind in FIELDS.items():
        value = data.get(name)
        if value is None:
            continue
        if kind in _TYPES:
            if type(value) is not _TYPES[kind]:
                return (name,), _WRONG[kind]
            continue
        if type(value) is not list:
            return (name,), _WRONG[kind]
        for i, item in enumerate(value):
            if kind == "texts":
                if type(item) is not str:
                    return (name, i), "string_type"
            elif type(item) is not dict:
                return (name, i), "model_type"
            else:
                for field, field_kind in PARTNER_FIELDS.items():
                    if field not in item:
                        if field not in PARTNER_OPTIONAL:
                            return (name, i, field), "missing"
                    elif type(item[field]) is not _TYPES[field_kind] and not (field in PARTNER_OPTIONAL and item[field] is None):
                        return (name, i, field), _WRONG[field_kind]
                for field in item:
                    if field not in PARTNER_FIELDS:
                        return (name, i, field), "extra_forbidden"
    for name in data:
        if name not in FIELDS:
            return (name,), "extra_forbidden"
    return None


def _is_json(value: Any) -> bool:
    """Whether a value is made of what JSON decodes to (the data the reader is proven on)."""
    kind = type(value)
    if kind is dict:
        return all(type(k) is str and _is_json(v) for k, v in value.items())
    if kind is list:
        return all(_is_json(v) for v in value)
    return kind in (str, int, float, bool) or value is None


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


def validated_fields(data: Any, edition: Edition, lang: str = "en", ui: Ui | None = None) -> dict[str, Any]:
    """The one validation of a plan (the app's reader and ``check``): a decoded JSON value
    checked against the format and the edition's ids. Returns the fields given, with the
    partners' names cleaned and their country codes normalised (upper case, EL→GR,
    UK→GB); raises ``AnswersError``. Needs no pydantic for JSON data; any other value is
    checked by the pydantic models."""
    ui = ui or load_ui()
    if not isinstance(data, dict):
        raise AnswersError(ui("answers.not_an_object", lang))
    where = _unwritable_text(data)
    if where is not None:
        raise AnswersError(ui("answers.bad_character", lang, field=shown(where)))
    fields = format_fields(data, lang, ui) if _is_json(data) else fields_by_models(data, lang, ui)
    return _checked_ids(fields, edition, lang, ui)


def format_fields(data: dict, lang: str = "en", ui: Ui | None = None) -> dict[str, Any]:
    """JSON data read as the answers format (no ids checked yet): its fields, copied, or an
    ``AnswersError`` naming the first problem as ``fields_by_models`` does. Needs no pydantic."""
    problem = _format_problem(data)
    if problem is not None:
        raise AnswersError(_problem_message(*problem, "", ui or load_ui(), lang))
    fields = {k: list(v) if type(v) is list else v for k, v in data.items()}
    if fields.get("partners") is not None:
        fields["partners"] = [dict(p) for p in fields["partners"]]
    return fields


def fields_by_models(data: dict, lang: str = "en", ui: Ui | None = None) -> dict[str, Any]:
    """The same reading by the pydantic models (``Answers.model_validate``): for values built
    in Python rather than read from JSON, and the reference that ``format_fields`` follows."""
    from pydantic import ValidationError

    from wizard.answers_model import Answers

    try:
        answers = Answers.model_validate(data)
    except ValidationError as err:
        raise AnswersError(_pydantic_message(err, ui or load_ui(), lang)) from None
    fields = answers.model_dump(include=answers.model_fields_set)
    if answers.partners is not None:
        fields["partners"] = [p.model_dump(include=p.model_fields_set) for p in answers.partners]
    return fields


def _checked_ids(fields: dict[str, Any], edition: Edition, lang: str, ui: Ui) -> dict[str, Any]:
    """Every id must exist in the edition; organisations must be unique."""

    def unknown(field: str, value: str, known, kind: str = "unknown_id") -> AnswersError:
        return AnswersError(ui("answers.unknown_id", lang, field=field, value=shown(value), known=", ".join(known)), kind)

    sector, ptype, action = fields.get("sector"), fields.get("partnership_type"), fields.get("action")
    if sector is not None and sector not in edition.sectors:
        raise unknown("sector", sector, edition.sectors)
    if ptype is not None and ptype not in edition.partnership_types:
        raise unknown("partnership_type", ptype, edition.partnership_types)
    if action is not None:
        actions = [s.action for s in edition.sectors.values()] + [f.action for f in edition.formats.values() if f.optional]
        if action not in actions:
            raise unknown("action", action, actions)
    months = fields.get("duration_months")
    if months is not None and (problem := duration_problem(months)):
        raise AnswersError(ui(problem, lang, value=shown(months), max=MAX_MONTHS))
    for field, known in (("activities", edition.activities), ("priorities", edition.priorities), ("effects", edition.effects)):
        for i, v in enumerate(fields.get(field) or []):
            if v not in known:
                raise unknown(f"{field}[{i}]", v, known)
    seen: dict[tuple[str, str], int] = {}
    for i, p in enumerate(fields.get("partners") or []):
        name = clean_name(p["name"])
        if not name:
            raise AnswersError(ui("answers.empty_name", lang, field=f"partners[{i}].name"))
        country = edition.normalise_country(p["country"])
        if country is None:
            raise AnswersError(ui("answers.unknown_country", lang, field=f"partners[{i}].country", value=shown(p["country"])))
        if p["organisation_type"] not in edition.organisation_types:
            raise unknown(f"partners[{i}].organisation_type", p["organisation_type"], edition.organisation_types, "bad_input")
        if p["role"] not in edition.roles:
            raise unknown(f"partners[{i}].role", p["role"], edition.roles, "bad_input")
        key = organisation_key(name, country)
        if key in seen:
            raise AnswersError(ui("answers.duplicate_organisation", lang, name=shown(name), country=country, first=seen[key], second=i))
        seen[key] = i
        p.update(name=name, country=country)
    return fields


def parse_answers(data: Any, edition: Edition, lang: str = "en", ui: Ui | None = None) -> Answers:
    """Validate a decoded JSON value against the format and the edition's ids
    (``validated_fields``): the plan as the app holds it.

    Returns the answers with country codes normalised (upper case, EL→GR, UK→GB).
    """
    from wizard.answers_model import Answers, Partner

    fields = validated_fields(data, edition, lang, ui)
    if fields.get("partners") is not None:
        fields["partners"] = [Partner.model_construct(**p) for p in fields["partners"]]
    return Answers.model_construct(**fields)  # validated above, by the same rules


def plain_answers(fields: dict[str, Any]) -> Record:
    """Validated fields (``validated_fields``) as an object with the fields of ``Answers``
    (None where not given), built without pydantic: what ``check`` judges."""
    values = {name: fields.get(name) for name in FIELDS}
    if values["partners"] is not None:
        partner = record_class("Partner")
        values["partners"] = [partner(**{name: p.get(name) for name in PARTNER_FIELDS}) for p in values["partners"]]
    return record_class("Answers")(**values)


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


def read_answers_file(path: str | Path, edition_for, lang: str = "en", ui: Ui | None = None) -> Record:
    """Read and validate an answers file (``check``: any problem refuses the file), by the
    rules of ``parse_answers``; the answers come as ``plain_answers`` (no pydantic).

    ``edition_for`` maps the file's ``edition`` field (or None) to an Edition, raising
    ``AnswersError`` for an unknown one.
    """
    ui = ui or load_ui()
    data = read_json_object(path, lang, ui)
    return plain_answers(validated_fields(data, edition_for(_edition_id(data, lang, ui)), lang, ui))


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
    if data.get("edition") not in (None, edition.id):
        # the plan says the edition it is checked against (--edition may differ from the file's):
        # else it would be written with ids of one edition under the name of another, which the
        # next start and check read against the wrong one. An edition that does not exist is named.
        if data.get("edition") not in available_editions():
            dropped.append(f"edition: {shown(data.get('edition'))}")
        data = {**data, "edition": edition.id}

    def usable(fields: dict) -> bool:
        try:
            validated_fields(fields, edition, lang, ui)
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
