"""Content schemas and the loader.

Every Erasmus+ fact and every user-facing text lives in ``content/`` as YAML. This module
validates it with pydantic (extra keys forbidden) and checks the cross-references, so a
content error names the file, the path to the field and what is wrong.
No Textual import here: the engine and the ``check`` command stand on this module alone.
"""
from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass, field, fields
from functools import cached_property, lru_cache
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Callable, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

LANGS = ("nl", "en")
Lang = Literal["nl", "en"]

from wizard.texts import (  # noqa: F401  (re-exported: the light half of content loading)
    CONTENT_DIR,
    STEPS,
    Ui,
    available_editions,
    cached,
    default_edition,
    editions_dir,
    pick,
    plural_problems,
)

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]*$")]
SourceId = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*$")]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class Model(BaseModel):
    # defer_build: the validators are built on first validation, so a start-up that
    # finds validated content in the cache (see _cached_edition) never pays for them.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Text(Model):
    """A user-facing text in Dutch and English."""

    nl: NonEmpty
    en: NonEmpty

    def __call__(self, lang: str) -> str:
        return pick(lang, self.nl, self.en)


class SourceRef(Model):
    source: SourceId
    quote: NonEmpty | None = None
    note: Text | None = None


class Source(Model):
    id: SourceId
    title: NonEmpty
    url: NonEmpty
    kind: Literal["national_agency", "programme_guide", "european_commission", "third_party"]


# --- edition.yaml -----------------------------------------------------------------
class EditionFile(Model):
    id: NonEmpty
    title: Text
    programme: Text
    status_note: Text
    status_sources: list[SourceId]
    disclaimer: Text
    limitations: Text
    # Interface texts (keys of content/ui.yaml) worded for this edition, e.g. its country terms.
    ui: dict[str, Text] = {}
    sources: list[Source] = Field(min_length=1)


# --- countries ----------------------------------------------------------------------
class ProgrammeCountries(Model):
    codes: list[CountryCode] = Field(min_length=1)
    sources: list[SourceRef] = Field(min_length=1)


class ExcludedCountries(Model):
    """Countries whose organisations cannot take part at all (the partner-countries rule fails)."""

    codes: list[CountryCode] = Field(min_length=1)
    reason: Text
    sources: list[SourceRef] = Field(min_length=1)


class CountriesFile(Model):
    programme_countries: ProgrammeCountries
    aliases: dict[CountryCode, CountryCode]
    partner_country_note: Text
    partner_country_sources: list[SourceRef] = Field(min_length=1)
    excluded: ExcludedCountries | None = None


class Country(Model):
    code: CountryCode
    name: Text


class CountryNamesFile(Model):
    countries: list[Country] = Field(min_length=1)


# --- organisations ------------------------------------------------------------------
class OrganisationType(Model):
    id: Id
    name: Text
    short: Text
    needs_eche: bool = False


class Role(Model):
    id: Id
    name: Text
    short: Text
    counts: bool
    coordinates: bool
    not_counted_reason: Text | None = None


class OrganisationsFile(Model):
    organisation_types: list[OrganisationType] = Field(min_length=1)
    organisation_types_sources: list[SourceRef]
    roles: list[Role] = Field(min_length=1)
    partner_country_not_counted_reason: Text


# --- sectors, types, formats --------------------------------------------------------
class Range(Model):
    min: int = Field(ge=1)
    max: int = Field(ge=1)


class LumpSum(Model):
    """One of the fixed grant amounts a partnership type offers, with what it typically covers."""

    amount: int = Field(ge=1)
    covers: Text


class PartnershipType(Model):
    """A kind of partnership. Limits given here apply in every sector and replace the
    sector's (an edition gives its limits per sector, per type, or both)."""

    id: Id
    name: Text
    description: Text
    minimum_organisations: int | None = Field(default=None, ge=1)
    minimum_countries: int | None = Field(default=None, ge=1)
    duration: Range | None = None
    partner_countries_allowed: bool = True
    lump_sums: list[LumpSum] = []
    sources: list[SourceRef] = Field(min_length=1)


class Sector(Model):
    id: Id
    action: NonEmpty
    name: Text
    description: Text
    allowed_types: list[Id] = Field(min_length=1)
    type_not_allowed_reason: Text | None = None
    minimum_organisations: int | None = Field(default=None, ge=1)
    minimum_countries: int | None = Field(default=None, ge=1)
    duration: Range | None = None
    sources: list[SourceRef] = Field(min_length=1)


class FormatCondition(Model):
    sector: Id
    partnership_type: Id
    all_organisation_types: list[Id] = Field(min_length=1)


class ExtendedDuration(Model):
    max: int = Field(ge=1)
    requires_activity: Id


class Alternative(Model):
    """What choosing the sector's own action instead of an optional format means."""

    name: Text
    description: Text
    sources: list[SourceRef] = Field(min_length=1)


class Format(Model):
    id: Id
    action: NonEmpty
    name: Text
    description: Text
    optional: bool = False  # the applicant may apply under the sector's own action instead
    alternative: Alternative | None = None
    applies_when: FormatCondition
    minimum_organisations: int = Field(ge=1)
    maximum_organisations: int | None = Field(default=None, ge=1)
    minimum_countries: int = Field(ge=1)
    partner_countries_allowed: bool = True
    duration: Range
    extended_duration: ExtendedDuration | None = None
    sources: list[SourceRef] = Field(min_length=1)


class SectorsFile(Model):
    partnership_types: list[PartnershipType] = Field(min_length=1)
    sectors: list[Sector] = Field(min_length=1)
    formats: list[Format] = []
    # The project-management budget cap behind the maximum_organisations rule (2020); optional.
    budget_organisation_cap: int | None = Field(default=None, ge=1)
    budget_organisation_cap_sources: list[SourceRef] = []


# --- activities ---------------------------------------------------------------------
class Effect(Model):
    id: Id
    title: Text


class Allowed(Model):
    sectors: list[Id] = []
    sectors_unconfirmed: list[Id] = []
    formats: list[Id] = []
    excluded_formats: list[Id] = []
    partnership_types: list[Id] = Field(min_length=1)


class SuggestWhen(Model):
    """All given conditions must hold; an empty condition always holds."""

    sectors: list[Id] | None = None
    partnership_types: list[Id] | None = None
    formats: list[Id] | None = None
    priorities_any: list[Id] | None = None
    effects_any: list[Id] | None = None
    activities_any: list[Id] | None = None
    organisation_types_any: list[Id] | None = None


class Suggestion(Model):
    when: SuggestWhen
    why: Text


class NoteWhen(Model):
    """All given conditions must hold; an empty condition always holds."""

    partnership_types: list[Id] | None = None
    formats: list[Id] | None = None
    without_activities: list[Id] | None = None


class BudgetNote(Model):
    """The activity is possible, but gets no dedicated budget here: a note, never a fail."""

    when: NoteWhen
    text: Text
    sources: list[SourceRef] = Field(min_length=1)


class Activity(Model):
    id: Id
    kind: Literal["budgeted", "ltt", "example"]
    title: Text
    description: Text | None = None
    allowed: Allowed
    requires: list[Id] = []
    not_allowed_reason: Text | None = None
    requires_reason: Text | None = None
    budget_notes: list[BudgetNote] = []
    sources: list[SourceRef] = Field(min_length=1)
    suggest: list[Suggestion] = []


class ActivitiesFile(Model):
    effects: list[Effect] = Field(min_length=1)
    effects_sources: list[SourceRef] = Field(min_length=1)
    activities: list[Activity] = Field(min_length=1)


# --- priorities ---------------------------------------------------------------------
class PriorityGroup(Model):
    id: Id
    title: Text
    missing_note: Text | None = None


class Priority(Model):
    id: Id
    group: Id
    title: Text
    confirmed: bool
    unlisted: bool = False  # "a priority specific to my sector": the sector's list was not found
    note: Text | None = None
    sources: list[SourceRef] = Field(min_length=1)


class PrioritiesFile(Model):
    groups: list[PriorityGroup] = Field(min_length=1)
    priorities: list[Priority] = Field(min_length=1)
    unconfirmed_label: Text


# --- rules --------------------------------------------------------------------------
class Rule(Model):
    id: Id
    step: Id
    title: Text
    messages: dict[Id, Text]
    sources: dict[Id, list[SourceRef]]


class RulesFile(Model):
    rules: list[Rule] = Field(min_length=1)


# --- next steps ---------------------------------------------------------------------
class SourcedText(Model):
    """A text a screen shows, with where it comes from."""

    text: Text
    sources: list[SourceRef] = Field(min_length=1)


# Where a step screen shows a note of help.yaml (under that question).
NOTE_PLACES = ("partners", "priorities", "activities")


class Deadline(Model):
    id: Id
    sectors: list[Id] = Field(min_length=1)
    partnership_types: list[Id] | None = None  # None: every type
    text: Text
    sources: list[SourceRef] = Field(min_length=1)


class NationalAgency(Model):
    country: CountryCode
    sectors: list[Id] = Field(min_length=1)
    name: Text
    sources: list[SourceRef] = Field(min_length=1)


class CentralAgency(Model):
    """Where a sector applies instead of a national agency (e.g. an executive agency)."""

    sectors: list[Id] = Field(min_length=1)
    name: Text
    sources: list[SourceRef] = Field(min_length=1)


class NextStep(Model):
    id: Id
    title: Text
    text: Text
    agency_fallback: Text | None = None
    agency_unknown: Text | None = None
    sources: list[SourceRef] = Field(min_length=1)


class NextStepsFile(Model):
    deadlines: list[Deadline]
    national_agencies: list[NationalAgency] = []
    roadmap: SourcedText | None = None
    central_agencies: list[CentralAgency] = []
    steps: list[NextStep] = Field(min_length=1)


class DemoPromise(Model):
    eligible: bool
    failing: list[Id] = []


class DemoFile(Model):
    """An example plan for trainers: a title, a short story, the verdict the story
    promises, and the plan itself in the answers-file format."""

    title: Text
    story: Text
    promise: DemoPromise
    answers: dict[str, Any]


class HelpFile(Model):
    steps: dict[Id, Text]
    notes: dict[Id, SourcedText] = {}


# --- ui texts (content/ui.yaml, shared by all editions) ----------------------------
class UiFile(Model):
    texts: dict[str, Text]

    @field_validator("texts")
    @classmethod
    def _plurals(cls, texts: dict[str, Text]) -> dict[str, Text]:
        problems = [f"{key}.{lang}: {problem}" for key, text in texts.items() for lang in LANGS
                    for problem in plural_problems(getattr(text, lang))]
        if problems:
            raise ValueError("; ".join(problems))
        return texts


EDITION_FILES: dict[str, type[Model]] = {
    "edition.yaml": EditionFile,
    "countries.yaml": CountriesFile,
    "countries-names.yaml": CountryNamesFile,
    "organisations.yaml": OrganisationsFile,
    "sectors.yaml": SectorsFile,
    "activities.yaml": ActivitiesFile,
    "priorities.yaml": PrioritiesFile,
    "rules.yaml": RulesFile,
    "next_steps.yaml": NextStepsFile,
    "help.yaml": HelpFile,
}

class ContentError(Exception):
    """Content that cannot be used. ``problems`` are lines of 'file: path: what is wrong'."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _format_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _validation_problems(filename: str, err: ValidationError) -> list[str]:
    problems = []
    for e in err.errors():
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            msg = "unknown key (not allowed here)"
        elif e["type"] == "missing":
            msg = "required key is missing"
        problems.append(f"{filename}: {_format_loc(e['loc'])}: {msg}")
    return problems


def _read_yaml(path: Path) -> Any:
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
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise ContentError([f"{path.name}: (top level): expected a mapping of keys"])
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise ContentError(_validation_problems(path.name, err)) from None


_ACTION_CODE = re.compile(r"\bKA\d{3}\b")


def _explains(items: list[SourceRef]) -> bool:
    """A 'fail' must point at words: at least one source with a quote or a note."""
    return any(r.quote or r.note for r in items)


def placeholders(template: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:  # unbalanced braces
        return {f"<{exc}>"}


@dataclass(eq=False)  # one object per directory (see load_edition_at): compared and hashed by identity
class Edition:
    """One validated edition, with lookups. Built once per directory and cached."""

    path: Path
    info: EditionFile
    countries_file: CountriesFile
    names: CountryNamesFile
    organisations: OrganisationsFile
    sectors_file: SectorsFile
    activities_file: ActivitiesFile
    priorities_file: PrioritiesFile
    rules_file: RulesFile
    next_steps: NextStepsFile
    help: HelpFile
    demos: dict[str, DemoFile] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.info.id

    @cached_property
    def sources(self) -> dict[str, Source]:
        return {s.id: s for s in self.info.sources}

    @cached_property
    def countries(self) -> dict[str, Country]:
        return {c.code: c for c in self.names.countries}

    @cached_property
    def programme_countries(self) -> frozenset[str]:
        return frozenset(self.countries_file.programme_countries.codes)

    @cached_property
    def excluded_countries(self) -> frozenset[str]:
        ex = self.countries_file.excluded
        return frozenset(ex.codes) if ex else frozenset()

    @property
    def aliases(self) -> dict[str, str]:
        return self.countries_file.aliases

    @cached_property
    def sectors(self) -> dict[str, Sector]:
        return {s.id: s for s in self.sectors_file.sectors}

    @cached_property
    def partnership_types(self) -> dict[str, PartnershipType]:
        return {t.id: t for t in self.sectors_file.partnership_types}

    @cached_property
    def formats(self) -> dict[str, Format]:
        return {f.id: f for f in self.sectors_file.formats}

    @cached_property
    def organisation_types(self) -> dict[str, OrganisationType]:
        return {o.id: o for o in self.organisations.organisation_types}

    @cached_property
    def roles(self) -> dict[str, Role]:
        return {r.id: r for r in self.organisations.roles}

    @cached_property
    def activities(self) -> dict[str, Activity]:
        return {a.id: a for a in self.activities_file.activities}

    @cached_property
    def effects(self) -> dict[str, Effect]:
        return {e.id: e for e in self.activities_file.effects}

    @cached_property
    def priorities(self) -> dict[str, Priority]:
        return {p.id: p for p in self.priorities_file.priorities}

    @cached_property
    def priority_groups(self) -> dict[str, PriorityGroup]:
        return {g.id: g for g in self.priorities_file.groups}

    @cached_property
    def rules(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules_file.rules}

    def normalise_country(self, code: str) -> str | None:
        """ISO alpha-2 in any case, or an EU alias (EL, UK); None when unknown."""
        c = code.strip().upper()
        c = self.aliases.get(c, c)
        return c if c in self.countries else None

    def country_name(self, code: str, lang: str) -> str:
        c = self.countries.get(code)
        return c.name(lang) if c else code

    def action_codes(self, source_id: str) -> set[str]:
        """The action codes (KA201 …) a source's title names: the sectors it is about."""
        src = self.sources.get(source_id)
        return set(_ACTION_CODE.findall(src.title)) if src else set()

    def _foreign_action_sources(self) -> list[str]:
        """No plan is shown a source whose title names another sector's action code
        (a KA204 page for a higher-education plan). Checked for the list each sector and
        format really gets (format, else sector, else default)."""
        out = []
        targets = [(s.id, s.id, {s.action}) for s in self.sectors_file.sectors]
        targets += [(f.id, f.applies_when.sector, {f.action} | ({self.sectors[f.applies_when.sector].action}
                     if f.applies_when.sector in self.sectors else set())) for f in self.sectors_file.formats]
        for i, r in enumerate(self.rules_file.rules):
            for target, sector, own in targets:
                scope = target if target in r.sources else sector if sector in r.sources else "default"
                for ref in r.sources.get(scope, []):
                    codes = self.action_codes(ref.source)
                    if codes and not codes & own:
                        out.append(f"rules.yaml: rules[{i}].sources.{scope}: source {ref.source} is about "
                                   f"{', '.join(sorted(codes))}, yet it is shown for {target} ({', '.join(sorted(own))}); "
                                   f"give {target} its own sources")
        return out

    def cross_check(self) -> list[str]:
        """Every referenced id exists; every rule the engine needs has its messages."""
        p: list[str] = []
        src = self.sources

        def refs(filename: str, where: str, items: list[SourceRef]) -> None:
            for i, r in enumerate(items):
                if r.source not in src:
                    p.append(f"{filename}: {where}[{i}].source: unknown source id '{r.source}' (not in edition.yaml sources)")

        def ids(filename: str, where: str, values: list[str], known: dict | frozenset, what: str) -> None:
            for i, v in enumerate(values):
                if v not in known:
                    p.append(f"{filename}: {where}[{i}]: unknown {what} '{v}'")

        seen: dict[str, str] = {}
        for fname, items in (
            ("edition.yaml sources", self.info.sources),
            ("sectors.yaml sectors", self.sectors_file.sectors),
            ("sectors.yaml partnership_types", self.sectors_file.partnership_types),
            ("sectors.yaml formats", self.sectors_file.formats),
            ("activities.yaml activities", self.activities_file.activities),
            ("activities.yaml effects", self.activities_file.effects),
            ("priorities.yaml priorities", self.priorities_file.priorities),
            ("rules.yaml rules", self.rules_file.rules),
            ("organisations.yaml organisation_types", self.organisations.organisation_types),
            ("organisations.yaml roles", self.organisations.roles),
            ("countries-names.yaml countries", self.names.countries),
        ):
            local: set[str] = set()
            for i, item in enumerate(items):
                key = getattr(item, "id", None) or getattr(item, "code")
                if key in local:
                    f, _, w = fname.partition(" ")
                    p.append(f"{f}: {w}[{i}].id: duplicate id '{key}'")
                local.add(key)
            seen[fname] = "ok"

        refs("edition.yaml", "status_sources", [SourceRef(source=s) for s in self.info.status_sources])
        content_dir = self.path.parent.parent
        if self.info.ui and (content_dir / "ui.yaml").exists():
            try:
                base = load_file(content_dir / "ui.yaml", UiFile).texts
            except ContentError:  # ui.yaml itself is reported by the content check
                base = {}
            for key, text in self.info.ui.items() if base else ():
                if key not in base:
                    p.append(f"edition.yaml: ui.{key}: unknown interface text (not in ui.yaml)")
                    continue
                for lang in LANGS:
                    if placeholders(getattr(text, lang)) != placeholders(getattr(base[key], lang)):
                        p.append(f"edition.yaml: ui.{key}.{lang}: placeholders differ from ui.yaml "
                                 f"({', '.join(sorted(placeholders(getattr(base[key], lang)))) or 'none'})")
        refs("countries.yaml", "programme_countries.sources", self.countries_file.programme_countries.sources)
        refs("countries.yaml", "partner_country_sources", self.countries_file.partner_country_sources)
        ids("countries.yaml", "programme_countries.codes", self.countries_file.programme_countries.codes, self.countries, "country code")
        ex = self.countries_file.excluded
        if ex is not None:
            ids("countries.yaml", "excluded.codes", ex.codes, self.countries, "country code")
            refs("countries.yaml", "excluded.sources", ex.sources)
            for i, c in enumerate(ex.codes):
                if c in self.programme_countries:
                    p.append(f"countries.yaml: excluded.codes[{i}]: '{c}' is also a programme country")
        for alias, target in self.aliases.items():
            if target not in self.countries:
                p.append(f"countries.yaml: aliases.{alias}: unknown country code '{target}'")
        refs("organisations.yaml", "organisation_types_sources", self.organisations.organisation_types_sources)
        if not any(r.coordinates for r in self.organisations.roles):
            p.append("organisations.yaml: roles: no role has coordinates: true")
        for i, r in enumerate(self.organisations.roles):
            if not r.counts and r.not_counted_reason is None:
                p.append(f"organisations.yaml: roles[{i}].not_counted_reason: needed when counts is false")
        sf = self.sectors_file
        refs("sectors.yaml", "budget_organisation_cap_sources", sf.budget_organisation_cap_sources)
        if "maximum_organisations" in self.rules and (sf.budget_organisation_cap is None or not sf.budget_organisation_cap_sources):
            p.append("sectors.yaml: budget_organisation_cap: needed, with its sources, by the maximum_organisations rule")
        for i, t in enumerate(sf.partnership_types):
            refs("sectors.yaml", f"partnership_types[{i}].sources", t.sources)
        for i, t in enumerate(sf.partnership_types):
            if t.duration and t.duration.min > t.duration.max:
                p.append(f"sectors.yaml: partnership_types[{i}].duration: min is larger than max")
            amounts = [ls.amount for ls in t.lump_sums]
            if len(set(amounts)) != len(amounts):
                p.append(f"sectors.yaml: partnership_types[{i}].lump_sums: an amount is listed twice")
        for i, s in enumerate(sf.sectors):
            ids("sectors.yaml", f"sectors[{i}].allowed_types", s.allowed_types, self.partnership_types, "partnership type")
            refs("sectors.yaml", f"sectors[{i}].sources", s.sources)
            if s.duration and s.duration.min > s.duration.max:
                p.append(f"sectors.yaml: sectors[{i}].duration: min is larger than max")
            for field_name in ("minimum_organisations", "minimum_countries", "duration"):
                if getattr(s, field_name) is None:
                    lacking = [t.id for t in sf.partnership_types if getattr(t, field_name) is None]
                    if lacking:
                        p.append(f"sectors.yaml: sectors[{i}].{field_name}: needed, because the partnership type(s) {', '.join(lacking)} give none")
            if set(s.allowed_types) != set(self.partnership_types) and s.type_not_allowed_reason is None:
                p.append(f"sectors.yaml: sectors[{i}].type_not_allowed_reason: needed when a type is not allowed")
        for i, f in enumerate(sf.formats):
            w = f"formats[{i}]"
            if f.applies_when.sector not in self.sectors:
                p.append(f"sectors.yaml: {w}.applies_when.sector: unknown sector '{f.applies_when.sector}'")
            if f.applies_when.partnership_type not in self.partnership_types:
                p.append(f"sectors.yaml: {w}.applies_when.partnership_type: unknown partnership type '{f.applies_when.partnership_type}'")
            ids("sectors.yaml", f"{w}.applies_when.all_organisation_types", f.applies_when.all_organisation_types, self.organisation_types, "organisation type")
            refs("sectors.yaml", f"{w}.sources", f.sources)
            if f.duration.min > f.duration.max:
                p.append(f"sectors.yaml: {w}.duration: min is larger than max")
            if f.optional and f.alternative is None:
                p.append(f"sectors.yaml: {w}.alternative: needed when the format is optional")
            if f.alternative:
                refs("sectors.yaml", f"{w}.alternative.sources", f.alternative.sources)
            if f.extended_duration and f.extended_duration.requires_activity not in self.activities:
                p.append(f"sectors.yaml: {w}.extended_duration.requires_activity: unknown activity '{f.extended_duration.requires_activity}'")
        af = self.activities_file
        refs("activities.yaml", "effects_sources", af.effects_sources)
        for i, a in enumerate(af.activities):
            w = f"activities[{i}]"
            ids("activities.yaml", f"{w}.allowed.sectors", a.allowed.sectors, self.sectors, "sector")
            ids("activities.yaml", f"{w}.allowed.sectors_unconfirmed", a.allowed.sectors_unconfirmed, self.sectors, "sector")
            ids("activities.yaml", f"{w}.allowed.formats", a.allowed.formats, self.formats, "format")
            ids("activities.yaml", f"{w}.allowed.excluded_formats", a.allowed.excluded_formats, self.formats, "format")
            ids("activities.yaml", f"{w}.allowed.partnership_types", a.allowed.partnership_types, self.partnership_types, "partnership type")
            ids("activities.yaml", f"{w}.requires", a.requires, self.activities, "activity")
            refs("activities.yaml", f"{w}.sources", a.sources)
            everywhere = set(a.allowed.sectors) | set(a.allowed.sectors_unconfirmed) == set(self.sectors) and set(a.allowed.partnership_types) == set(self.partnership_types)
            if (not everywhere or a.allowed.excluded_formats) and a.not_allowed_reason is None:
                p.append(f"activities.yaml: {w}.not_allowed_reason: needed when the activity is not allowed everywhere")
            if a.requires and a.requires_reason is None:
                p.append(f"activities.yaml: {w}.requires_reason: needed with requires")
            can_fail = not everywhere or a.allowed.excluded_formats or a.requires
            if can_fail and not _explains(a.sources):
                p.append(f"activities.yaml: {w}.sources: the activity can be 'not possible', so a source needs a quote "
                         "or a note that explains the ban (no source: use sectors_unconfirmed; no budget: budget_notes)")
            for j, n in enumerate(a.budget_notes):
                nw = f"{w}.budget_notes[{j}]"
                ids("activities.yaml", f"{nw}.when.partnership_types", n.when.partnership_types or [], self.partnership_types, "partnership type")
                ids("activities.yaml", f"{nw}.when.formats", n.when.formats or [], self.formats, "format")
                ids("activities.yaml", f"{nw}.when.without_activities", n.when.without_activities or [], self.activities, "activity")
                refs("activities.yaml", f"{nw}.sources", n.sources)
            for j, s in enumerate(a.suggest):
                c = s.when
                sw = f"{w}.suggest[{j}].when"
                ids("activities.yaml", f"{sw}.sectors", c.sectors or [], self.sectors, "sector")
                ids("activities.yaml", f"{sw}.partnership_types", c.partnership_types or [], self.partnership_types, "partnership type")
                ids("activities.yaml", f"{sw}.formats", c.formats or [], self.formats, "format")
                ids("activities.yaml", f"{sw}.priorities_any", c.priorities_any or [], self.priorities, "priority")
                ids("activities.yaml", f"{sw}.effects_any", c.effects_any or [], self.effects, "effect")
                ids("activities.yaml", f"{sw}.activities_any", c.activities_any or [], self.activities, "activity")
                ids("activities.yaml", f"{sw}.organisation_types_any", c.organisation_types_any or [], self.organisation_types, "organisation type")
        for i, pr in enumerate(self.priorities_file.priorities):
            if pr.group not in self.priority_groups:
                p.append(f"priorities.yaml: priorities[{i}].group: unknown group '{pr.group}'")
            if pr.unlisted and pr.group == "horizontal":
                p.append(f"priorities.yaml: priorities[{i}].unlisted: only a sector's group can stand in for an unlisted list")
            refs("priorities.yaml", f"priorities[{i}].sources", pr.sources)
        for i, g in enumerate(self.priorities_file.groups):
            if g.id != "horizontal" and g.id not in self.sectors:
                p.append(f"priorities.yaml: groups[{i}].id: '{g.id}' is neither 'horizontal' nor a sector")
        if "horizontal" not in self.priority_groups:
            p.append("priorities.yaml: groups: the group 'horizontal' is missing")
        # rules: steps, plural forms, source scopes (the rule ids, message keys and {fields} are the
        # engine's contract: wizard.engine.contract_problems)
        scopes = set(self.sectors) | set(self.formats) | set(self.partnership_types) | {"default"}
        for i, r in enumerate(self.rules_file.rules):
            w = f"rules[{i}]"
            if r.step not in STEPS:
                p.append(f"rules.yaml: {w}.step: unknown step '{r.step}' (one of {', '.join(STEPS)})")
            for key, text in r.messages.items():
                for lang in LANGS:
                    for problem in plural_problems(getattr(text, lang)):
                        p.append(f"rules.yaml: {w}.messages.{key}.{lang}: {problem}")
            if "default" not in r.sources:
                p.append(f"rules.yaml: {w}.sources.default: missing")
            can_fail = any(k.startswith("fail") for k in r.messages)
            for scope, items in r.sources.items():
                if scope not in scopes:
                    p.append(f"rules.yaml: {w}.sources.{scope}: unknown sector, partnership type or format '{scope}'")
                refs("rules.yaml", f"{w}.sources.{scope}", items)
                if can_fail and not _explains(items):
                    p.append(f"rules.yaml: {w}.sources.{scope}: the rule can fail, so a source needs a quote or a note "
                             "that explains the ban")
        p.extend(self._foreign_action_sources())
        ns = self.next_steps
        for i, d in enumerate(ns.deadlines):
            ids("next_steps.yaml", f"deadlines[{i}].sectors", d.sectors, self.sectors, "sector")
            ids("next_steps.yaml", f"deadlines[{i}].partnership_types", d.partnership_types or [], self.partnership_types, "partnership type")
            refs("next_steps.yaml", f"deadlines[{i}].sources", d.sources)
        for i, a in enumerate(ns.national_agencies):
            ids("next_steps.yaml", f"national_agencies[{i}].sectors", a.sectors, self.sectors, "sector")
            if a.country not in self.countries:
                p.append(f"next_steps.yaml: national_agencies[{i}].country: unknown country code '{a.country}'")
            refs("next_steps.yaml", f"national_agencies[{i}].sources", a.sources)
        for i, c in enumerate(ns.central_agencies):
            ids("next_steps.yaml", f"central_agencies[{i}].sectors", c.sectors, self.sectors, "sector")
            refs("next_steps.yaml", f"central_agencies[{i}].sources", c.sources)
        for i, s in enumerate(ns.steps):
            refs("next_steps.yaml", f"steps[{i}].sources", s.sources)
        for step in STEPS:
            if step not in self.help.steps:
                p.append(f"help.yaml: steps.{step}: help text is missing")
        for place, note in self.help.notes.items():
            if place not in NOTE_PLACES:
                p.append(f"help.yaml: notes.{place}: no screen shows it (one of {', '.join(NOTE_PLACES)})")
            refs("help.yaml", f"notes.{place}.sources", note.sources)
        if ns.roadmap:
            refs("next_steps.yaml", "roadmap.sources", ns.roadmap.sources)
        for step in self.help.steps:
            if step not in STEPS:
                p.append(f"help.yaml: steps.{step}: unknown step (one of {', '.join(STEPS)})")
        return p


def load_edition_dir(path: Path) -> Edition:
    """Read and validate one edition directory; raise ContentError listing every problem."""
    path = Path(path)
    if not path.is_dir():
        raise ContentError([f"{path}: not a directory with an edition's YAML files"])
    problems: list[str] = []
    parts: dict[str, Model] = {}
    for filename, model in EDITION_FILES.items():
        try:
            parts[filename] = load_file(path / filename, model)
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    edition = Edition(
        path=path,
        info=parts["edition.yaml"],
        countries_file=parts["countries.yaml"],
        names=parts["countries-names.yaml"],
        organisations=parts["organisations.yaml"],
        sectors_file=parts["sectors.yaml"],
        activities_file=parts["activities.yaml"],
        priorities_file=parts["priorities.yaml"],
        rules_file=parts["rules.yaml"],
        next_steps=parts["next_steps.yaml"],
        help=parts["help.yaml"],
    )
    demo_dir = path / "demos"
    if demo_dir.is_dir():
        for f in sorted(demo_dir.glob("*.json")):
            try:
                data = json.loads(f.read_text(encoding="utf-8"))
                edition.demos[f.stem] = DemoFile.model_validate(data)
            except json.JSONDecodeError as exc:
                problems.append(f"demos/{f.name}: line {exc.lineno}: invalid JSON: {exc.msg}")
            except ValidationError as err:
                problems.extend(_validation_problems(f"demos/{f.name}", err))
    if problems:
        raise ContentError(problems)
    problems = edition.cross_check()  # the demo plans are judged above the engine: wizard.demos
    if edition.id != path.name:
        problems.insert(0, f"edition.yaml: id: '{edition.id}' differs from the directory name '{path.name}'")
    if problems:
        raise ContentError(problems)
    return edition


_EDITION_PARTS = {f.name: f.type for f in fields(Edition) if f.name not in ("path", "demos")}


def _dump_edition(edition: Edition) -> dict[str, Any]:
    """A validated edition as JSON data, for the cache."""
    data = {name: getattr(edition, name).model_dump(mode="json") for name in _EDITION_PARTS}
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
    parts = {name: _builder(globals()[kind])(data[name]) for name, kind in _EDITION_PARTS.items()}
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
