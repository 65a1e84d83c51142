"""The content's schema: one pydantic model per YAML file, extra keys forbidden.

An id that names another item of the edition (a sector, a format, a source …) is annotated
with ``RefTo``: ``wizard.content.refs`` checks every such reference against the edition.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from wizard.texts import LANGS, plural_problems

Lang = Literal["nl", "en"]


@dataclass(frozen=True)
class RefTo:
    """An id that must name an item of the edition: ``lookup`` is the Edition property that
    holds the known ids, ``what`` names them in a problem, ``hint`` says where they live."""

    lookup: str
    what: str
    hint: str = ""


Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]*$")]
SourceId = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*$")]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]

# References, by what they name
SourceIdRef = Annotated[SourceId, RefTo("sources", "source id", "not in edition.yaml sources")]
CountryRef = Annotated[CountryCode, RefTo("countries", "country code")]
SectorRef = Annotated[Id, RefTo("sectors", "sector")]
TypeRef = Annotated[Id, RefTo("partnership_types", "partnership type")]
FormatRef = Annotated[Id, RefTo("formats", "format")]
OrganisationTypeRef = Annotated[Id, RefTo("organisation_types", "organisation type")]
ActivityRef = Annotated[Id, RefTo("activities", "activity")]
EffectRef = Annotated[Id, RefTo("effects", "effect")]
PriorityRef = Annotated[Id, RefTo("priorities", "priority")]
GroupRef = Annotated[Id, RefTo("priority_groups", "group")]


class Model(BaseModel):
    # defer_build: the validators are built on first validation, so a start-up that
    # finds validated content in the cache (see wizard.content.load) never pays for them.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Text(Model):
    """A user-facing text in Dutch and English."""

    nl: NonEmpty
    en: NonEmpty

    def __call__(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en  # texts.pick, inlined: called for every name in a verdict


class SourceRef(Model):
    source: SourceIdRef
    quote: NonEmpty | None = None  # verbatim, in the source's language
    translation: NonEmpty | None = None  # of a Dutch quote: the English interface shows it beside the quote
    note: Text | None = None


class Source(Model):
    id: SourceId
    title: NonEmpty
    url: NonEmpty
    kind: Literal["national_agency", "programme_guide", "european_commission", "third_party"]
    language: Literal["nl", "en"] = "en"  # the language its quotes are in


# --- edition.yaml -----------------------------------------------------------------
class EditionFile(Model):
    id: NonEmpty
    title: Text
    programme: Text
    status_note: Text
    status_sources: list[SourceIdRef]
    disclaimer: Text
    limitations: Text
    # Interface texts (keys of content/ui.yaml) worded for this edition, e.g. its country terms.
    ui: dict[str, Text] = {}
    sources: list[Source] = Field(min_length=1)


# --- countries ----------------------------------------------------------------------
class ProgrammeCountries(Model):
    codes: list[CountryRef] = Field(min_length=1)
    sources: list[SourceRef] = Field(min_length=1)


class ExcludedCountries(Model):
    """Countries whose organisations cannot take part at all (the partner-countries rule fails)."""

    codes: list[CountryRef] = Field(min_length=1)
    reason: Text
    sources: list[SourceRef] = Field(min_length=1)


class CountriesFile(Model):
    programme_countries: ProgrammeCountries
    aliases: dict[CountryCode, CountryRef]
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
    allowed_types: list[TypeRef] = Field(min_length=1)
    type_not_allowed_reason: Text | None = None
    minimum_organisations: int | None = Field(default=None, ge=1)
    minimum_countries: int | None = Field(default=None, ge=1)
    duration: Range | None = None
    sources: list[SourceRef] = Field(min_length=1)


class FormatCondition(Model):
    sector: SectorRef
    partnership_type: TypeRef
    all_organisation_types: list[OrganisationTypeRef] = Field(min_length=1)


class ExtendedDuration(Model):
    max: int = Field(ge=1)
    requires_activity: ActivityRef


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
    sectors: list[SectorRef] = []
    sectors_unconfirmed: list[SectorRef] = []
    formats: list[FormatRef] = []
    excluded_formats: list[FormatRef] = []
    partnership_types: list[TypeRef] = Field(min_length=1)


class SuggestWhen(Model):
    """All given conditions must hold; an empty condition always holds."""

    sectors: list[SectorRef] | None = None
    partnership_types: list[TypeRef] | None = None
    formats: list[FormatRef] | None = None
    priorities_any: list[PriorityRef] | None = None
    effects_any: list[EffectRef] | None = None
    activities_any: list[ActivityRef] | None = None
    organisation_types_any: list[OrganisationTypeRef] | None = None


class Suggestion(Model):
    when: SuggestWhen
    why: Text


class NoteWhen(Model):
    """All given conditions must hold; an empty condition always holds."""

    partnership_types: list[TypeRef] | None = None
    formats: list[FormatRef] | None = None
    without_activities: list[ActivityRef] | None = None


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
    requires: list[ActivityRef] = []
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
    """A list of priorities: a sector's own (its id is the sector's), or one every sector
    may choose from (all_sectors: the horizontal priorities)."""

    id: Id
    title: Text
    all_sectors: bool = False
    missing_note: Text | None = None


class Priority(Model):
    id: Id
    group: GroupRef
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
    sectors: list[SectorRef] = Field(min_length=1)
    partnership_types: list[TypeRef] | None = None  # None: every type
    text: Text
    sources: list[SourceRef] = Field(min_length=1)


class NationalAgency(Model):
    country: CountryRef
    sectors: list[SectorRef] = Field(min_length=1)
    name: Text
    sources: list[SourceRef] = Field(min_length=1)


class CentralAgency(Model):
    """Where a sector applies instead of a national agency (e.g. an executive agency)."""

    sectors: list[SectorRef] = Field(min_length=1)
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
