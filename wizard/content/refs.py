"""The checks that need the whole edition: what pydantic cannot see in one file.

Each check is a function of the edition that returns its problems, one line each
('file: path: what is wrong'); ``CHECKS`` lists them and ``cross_check`` runs them all.
Ids that name another item are found through their ``RefTo`` annotation in the schema,
so a new reference is checked as soon as the schema says what it names. The rule ids,
message keys and their {fields} are the engine's contract (``wizard.engine.contract_problems``).
"""
from __future__ import annotations

from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Callable, Iterator, Union, get_args, get_origin

from pydantic import BaseModel

from wizard.content.edition import EDITION_PARTS, Edition
from wizard.content.files import ContentError, load_file
from wizard.content.schema import LANGS, NOTE_PLACES, RefTo, SourceRef, UiFile
from wizard.texts import STEPS, format_loc, placeholders, plural_problems


def explains(items: list[SourceRef]) -> bool:
    """A 'fail' must point at words: at least one source with a quote or a note."""
    return any(r.quote or r.note for r in items)


# --- ids: unique within their list, and every reference names an existing item --------------
ID_LISTS: tuple[tuple[str, str, Callable[[Edition], list]], ...] = (
    ("edition.yaml", "sources", lambda e: e.info.sources),
    ("sectors.yaml", "sectors", lambda e: e.sectors_file.sectors),
    ("sectors.yaml", "partnership_types", lambda e: e.sectors_file.partnership_types),
    ("sectors.yaml", "formats", lambda e: e.sectors_file.formats),
    ("activities.yaml", "activities", lambda e: e.activities_file.activities),
    ("activities.yaml", "effects", lambda e: e.activities_file.effects),
    ("priorities.yaml", "priorities", lambda e: e.priorities_file.priorities),
    ("rules.yaml", "rules", lambda e: e.rules_file.rules),
    ("organisations.yaml", "organisation_types", lambda e: e.organisations.organisation_types),
    ("organisations.yaml", "roles", lambda e: e.organisations.roles),
    ("countries-names.yaml", "countries", lambda e: e.names.countries),
)


def duplicate_ids(e: Edition) -> Iterator[str]:
    for filename, name, items in ID_LISTS:
        seen: set[str] = set()
        for i, item in enumerate(items(e)):
            key = getattr(item, "id", None) or item.code
            if key in seen:
                yield f"{filename}: {name}[{i}].id: duplicate id '{key}'"
            seen.add(key)


def _references(value: Any, kind: Any, loc: tuple) -> Iterator[tuple[tuple, Any, RefTo]]:
    """(where, id, what it names) for every annotated reference in ``value`` of type ``kind``."""
    if value is None:
        return
    origin, args = get_origin(kind), get_args(kind)
    if origin is Annotated:
        for ref in args[1:]:
            if isinstance(ref, RefTo):
                yield loc, value, ref
        yield from _references(value, args[0], loc)
    elif origin in (Union, UnionType):
        for arg in args:
            if arg is not type(None):
                yield from _references(value, arg, loc)
    elif origin is list:
        for i, item in enumerate(value):
            yield from _references(item, args[0], (*loc, i))
    elif origin is dict:
        for key, item in value.items():
            yield from _references(item, args[1], (*loc, key))
    elif isinstance(kind, type) and issubclass(kind, BaseModel):
        for name, info in type(value).model_fields.items():
            # pydantic keeps a field's own Annotated extras (a RefTo among them) in its metadata
            field_kind = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
            yield from _references(getattr(value, name), field_kind, (*loc, name))


def _source_refs(value: Any, loc: tuple) -> Iterator[tuple[tuple, SourceRef]]:
    """(where, reference) for every source reference in ``value``."""
    if isinstance(value, SourceRef):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _source_refs(getattr(value, name), (*loc, name))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _source_refs(item, (*loc, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _source_refs(item, (*loc, key))


def translated_quotes(e: Edition) -> Iterator[str]:
    """A quote from a Dutch source has an English translation beside it (the English interface
    shows both, the translation marked as ours); a translation belongs to a Dutch quote only."""
    dutch = {s.id for s in e.info.sources if s.language == "nl"}
    for attribute, filename in EDITION_PARTS.items():
        for loc, ref in _source_refs(getattr(e, attribute), ()):
            is_dutch = ref.quote is not None and ref.source in dutch
            if is_dutch and ref.translation is None:
                yield f"{filename}: {format_loc(loc)}: the quote of {ref.source} is in Dutch: add its English translation"
            elif ref.translation is not None and not is_dutch:
                yield f"{filename}: {format_loc(loc)}.translation: only a quote from a Dutch source (language: nl) has one"


def unknown_references(e: Edition) -> Iterator[str]:
    for attribute, filename in EDITION_PARTS.items():
        part = getattr(e, attribute)
        for loc, value, ref in _references(part, type(part), ()):
            if value not in getattr(e, ref.lookup):
                yield f"{filename}: {format_loc(loc)}: unknown {ref.what} '{value}'" + (f" ({ref.hint})" if ref.hint else "")


# --- one check a subject ----------------------------------------------------------------
def interface_wording(e: Edition) -> Iterator[str]:
    """An edition's own wording of an interface text keeps that text's placeholders."""
    ui_file = Path(e.path).parent.parent / "ui.yaml"
    if not e.info.ui or not ui_file.exists():
        return
    try:
        base = load_file(ui_file, UiFile).texts
    except ContentError:  # ui.yaml itself is reported by the content check
        return
    for key, text in e.info.ui.items():
        if key not in base:
            yield f"edition.yaml: ui.{key}: unknown interface text (not in ui.yaml)"
            continue
        for lang in LANGS:
            wanted = placeholders(getattr(base[key], lang))
            if placeholders(getattr(text, lang)) != wanted:
                yield f"edition.yaml: ui.{key}.{lang}: placeholders differ from ui.yaml ({', '.join(sorted(wanted)) or 'none'})"


def excluded_countries(e: Edition) -> Iterator[str]:
    for i, code in enumerate(e.countries_file.excluded.codes if e.countries_file.excluded else []):
        if code in e.programme_countries:
            yield f"countries.yaml: excluded.codes[{i}]: '{code}' is also a programme country"


def roles(e: Edition) -> Iterator[str]:
    if not any(r.coordinates for r in e.organisations.roles):
        yield "organisations.yaml: roles: no role has coordinates: true"
    for i, r in enumerate(e.organisations.roles):
        if not r.counts and r.not_counted_reason is None:
            yield f"organisations.yaml: roles[{i}].not_counted_reason: needed when counts is false"


def partnership_types(e: Edition) -> Iterator[str]:
    for i, t in enumerate(e.sectors_file.partnership_types):
        if t.duration and t.duration.min > t.duration.max:
            yield f"sectors.yaml: partnership_types[{i}].duration: min is larger than max"
        amounts = [ls.amount for ls in t.lump_sums]
        if len(set(amounts)) != len(amounts):
            yield f"sectors.yaml: partnership_types[{i}].lump_sums: an amount is listed twice"


def sectors(e: Edition) -> Iterator[str]:
    types = e.sectors_file.partnership_types
    for i, s in enumerate(e.sectors_file.sectors):
        if s.duration and s.duration.min > s.duration.max:
            yield f"sectors.yaml: sectors[{i}].duration: min is larger than max"
        for limit in ("minimum_organisations", "minimum_countries", "duration"):
            lacking = [t.id for t in types if getattr(t, limit) is None] if getattr(s, limit) is None else []
            if lacking:
                yield f"sectors.yaml: sectors[{i}].{limit}: needed, because the partnership type(s) {', '.join(lacking)} give none"
        if set(s.allowed_types) != set(e.partnership_types) and s.type_not_allowed_reason is None:
            yield f"sectors.yaml: sectors[{i}].type_not_allowed_reason: needed when a type is not allowed"


def formats(e: Edition) -> Iterator[str]:
    for i, f in enumerate(e.sectors_file.formats):
        if f.duration.min > f.duration.max:
            yield f"sectors.yaml: formats[{i}].duration: min is larger than max"
        if f.optional and f.alternative is None:
            yield f"sectors.yaml: formats[{i}].alternative: needed when the format is optional"


def activities(e: Edition) -> Iterator[str]:
    for i, a in enumerate(e.activities_file.activities):
        where = f"activities.yaml: activities[{i}]"
        everywhere = (set(a.allowed.sectors) | set(a.allowed.sectors_unconfirmed) == set(e.sectors)
                      and set(a.allowed.partnership_types) == set(e.partnership_types))
        if (not everywhere or a.allowed.excluded_formats) and a.not_allowed_reason is None:
            yield f"{where}.not_allowed_reason: needed when the activity is not allowed everywhere"
        if a.requires and a.requires_reason is None:
            yield f"{where}.requires_reason: needed with requires"
        if (not everywhere or a.allowed.excluded_formats or a.requires) and not explains(a.sources):
            yield (f"{where}.sources: the activity can be 'not possible', so a source needs a quote or a note that "
                   "explains the ban (no source: use sectors_unconfirmed; no budget: budget_notes)")


def priorities(e: Edition) -> Iterator[str]:
    for i, p in enumerate(e.priorities_file.priorities):
        group = e.priority_groups.get(p.group)
        if p.unlisted and group is not None and group.all_sectors:
            yield f"priorities.yaml: priorities[{i}].unlisted: only a sector's group can stand in for an unlisted list"
    for i, g in enumerate(e.priorities_file.groups):
        if not g.all_sectors and g.id not in e.sectors:
            yield f"priorities.yaml: groups[{i}].id: '{g.id}' is neither a sector nor a group for all sectors (all_sectors: true)"
    if not any(g.all_sectors for g in e.priorities_file.groups):
        yield "priorities.yaml: groups: no group for all sectors (all_sectors: true), such as the horizontal priorities"


def rules(e: Edition) -> Iterator[str]:
    """Steps, plural forms and source scopes of the rules."""
    scopes = set(e.sectors) | set(e.formats) | set(e.partnership_types) | {"default"}
    for i, r in enumerate(e.rules_file.rules):
        where = f"rules.yaml: rules[{i}]"
        if r.step not in STEPS:
            yield f"{where}.step: unknown step '{r.step}' (one of {', '.join(STEPS)})"
        for key, text in r.messages.items():
            for lang in LANGS:
                for problem in plural_problems(getattr(text, lang)):
                    yield f"{where}.messages.{key}.{lang}: {problem}"
        if "default" not in r.sources:
            yield f"{where}.sources.default: missing"
        can_fail = any(key.startswith("fail") for key in r.messages)
        for scope, items in r.sources.items():
            if scope not in scopes:
                yield f"{where}.sources.{scope}: unknown sector, partnership type or format '{scope}'"
            if can_fail and not explains(items):
                yield f"{where}.sources.{scope}: the rule can fail, so a source needs a quote or a note that explains the ban"


def foreign_action_sources(e: Edition) -> Iterator[str]:
    """No plan is shown a source whose title names another sector's action code (a KA204
    page for a higher-education plan). Checked for the list each sector and format really
    gets (format, else sector, else default)."""
    targets = [(s.id, s.id, {s.action}) for s in e.sectors_file.sectors]
    targets += [(f.id, f.applies_when.sector, {f.action} | ({e.sectors[f.applies_when.sector].action}
                 if f.applies_when.sector in e.sectors else set())) for f in e.sectors_file.formats]
    for i, r in enumerate(e.rules_file.rules):
        for target, sector, own in targets:
            scope = target if target in r.sources else sector if sector in r.sources else "default"
            for ref in r.sources.get(scope, []):
                codes = e.action_codes(ref.source)
                if codes and not codes & own:
                    yield (f"rules.yaml: rules[{i}].sources.{scope}: source {ref.source} is about "
                           f"{', '.join(sorted(codes))}, yet it is shown for {target} ({', '.join(sorted(own))}); "
                           f"give {target} its own sources")


def help_texts(e: Edition) -> Iterator[str]:
    for step in STEPS:
        if step not in e.help.steps:
            yield f"help.yaml: steps.{step}: help text is missing"
    for place in e.help.notes:
        if place not in NOTE_PLACES:
            yield f"help.yaml: notes.{place}: no screen shows it (one of {', '.join(NOTE_PLACES)})"
    for step in e.help.steps:
        if step not in STEPS:
            yield f"help.yaml: steps.{step}: unknown step (one of {', '.join(STEPS)})"


CHECKS: tuple[Callable[[Edition], Iterator[str]], ...] = (
    duplicate_ids, unknown_references, interface_wording, excluded_countries, roles,
    partnership_types, sectors, formats, activities, priorities, rules, foreign_action_sources, help_texts,
    translated_quotes,
)


def cross_check(e: Edition) -> list[str]:
    """Every problem the checks find: ids, references, and what each file needs of the others."""
    return [problem for check in CHECKS for problem in check(e)]
