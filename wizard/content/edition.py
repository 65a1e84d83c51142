"""One validated edition: its files' models, with the lookups the rest of the wizard uses."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the fields are records of these models (wizard.content.records)
    from wizard.content.schema import (
        Activity,
        ActivitiesFile,
        CountriesFile,
        Country,
        CountryNamesFile,
        DemoFile,
        EditionFile,
        Effect,
        Format,
        HelpFile,
        NextStepsFile,
        OrganisationsFile,
        OrganisationType,
        PartnershipType,
        PrioritiesFile,
        Priority,
        PriorityGroup,
        Role,
        Rule,
        RulesFile,
        Sector,
        SectorsFile,
        Source,
    )

_ACTION_CODE = re.compile(r"\bKA\d{3}\b")

# Each part of an edition and the file it is read from (its model: schema.EDITION_FILES).
EDITION_PARTS = {
    "info": "edition.yaml",
    "countries_file": "countries.yaml",
    "names": "countries-names.yaml",
    "organisations": "organisations.yaml",
    "sectors_file": "sectors.yaml",
    "activities_file": "activities.yaml",
    "priorities_file": "priorities.yaml",
    "rules_file": "rules.yaml",
    "next_steps": "next_steps.yaml",
    "help": "help.yaml",
}


@dataclass(eq=False)  # one object per directory (see load_edition_at): compared and hashed by identity
class Edition:
    """One validated edition, with lookups. Built once per directory and cached. Its parts are
    records (wizard.content.records) of the schema's models, however it was loaded."""

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

    def priority_groups_for(self, sector_id: str | None) -> list[str]:
        """The priority groups a plan of this sector chooses from: those for all sectors,
        then the sector's own (when it has one)."""
        groups = self.groups_for_all_sectors
        return [*groups, sector_id] if sector_id in self.priority_groups and sector_id not in groups else list(groups)

    @cached_property
    def groups_for_all_sectors(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.priorities_file.groups if g.all_sectors)

    def role_for_new_organisation(self, has_coordinator: bool) -> str:
        """The role an organisation being added starts with: the coordinating one until the
        plan has a coordinator, then the first that counts without coordinating."""
        roles = self.organisations.roles
        if not has_coordinator:
            return next(r.id for r in roles if r.coordinates)
        return next((r.id for r in roles if r.counts and not r.coordinates),
                    next((r.id for r in roles if not r.coordinates), roles[0].id))

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
