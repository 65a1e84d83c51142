"""The eligibility engine: answers + edition → verdict, rule by rule.

One pure function serves the TUI, the ``check`` command and the tests. It holds no
Erasmus+ facts: every number, list and sentence comes from the edition's content.

Each rule is one function in the table ``RULES``: it looks at the plan (a ``Plan``) and
returns its outcome (status, message key, the values of the fields the message fills in).
Beside each function is its part of the message contract: the keys it uses in rules.yaml and
the {fields} each may use, in the order the function gives their values (but for those the
plan's Setting fills in: ``RuleSpec.setting_fields``). ``contract_problems`` checks an edition
against it; ``RuleBook`` is what the rules need from an edition in one language, built once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Collection, Literal, NamedTuple

from wizard.content import LANGS, ContentError, Edition, placeholders
from wizard.texts import LITERAL, Template, compile_template, fill_template, mid_sentence

if TYPE_CHECKING:  # the engine reads the fields of answers and content: it needs no pydantic
    from wizard.answers import Answers, Partner
    from wizard.content import Activity, BudgetNote, Format, SourceRef

Status = Literal["pass", "fail", "check", "missing"]


@dataclass(frozen=True)
class Reference:
    id: str
    title: str
    url: str
    quote: str | None = None
    note: str | None = None
    translation: str | None = None  # of a Dutch quote, for the English interface


class RuleResult(NamedTuple):
    """One rule's verdict on a plan, as the user reads it. A named tuple: immutable, and made
    at C speed (a verdict makes eleven)."""

    id: str
    step: str
    title: str
    status: Status
    message: str
    source: str
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True)
class SuggestedActivity:
    id: str
    title: str
    why: str


@dataclass(frozen=True)
class NextStepItem:
    id: str
    title: str
    text: str


@dataclass(frozen=True, init=False)
class Verdict:
    edition: str
    lang: str
    eligible: bool
    complete: bool
    rules: tuple[RuleResult, ...]
    suggested_activities: tuple[SuggestedActivity, ...] = ()
    next_steps: tuple[NextStepItem, ...] = ()
    format: str | None = None
    unanswered: tuple[str, ...] = ()  # the steps whose answer is not given yet

    def __init__(self, edition: str, lang: str, eligible: bool, complete: bool, rules: tuple[RuleResult, ...],
                 suggested_activities: tuple[SuggestedActivity, ...] = (), next_steps: tuple[NextStepItem, ...] = (),
                 format: str | None = None, unanswered: tuple[str, ...] = ()) -> None:
        # set at once: a frozen dataclass's own __init__ sets each field through object.__setattr__
        # (from a dict display: keyword arguments would make a dict of their own first)
        self.__dict__.update({"edition": edition, "lang": lang, "eligible": eligible, "complete": complete, "rules": rules,
                              "suggested_activities": suggested_activities, "next_steps": next_steps, "format": format,
                              "unanswered": unanswered})

    def rule(self, rule_id: str) -> RuleResult:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def failing(self) -> list[str]:
        return [r.id for r in self.rules if r.status == "fail"]

    def to_dict(self) -> dict:
        return {
            "edition": self.edition,
            "eligible": self.eligible,
            "complete": self.complete,
            "rules": [
                {"id": r.id, "title": r.title, "status": r.status, "message": r.message, "source": r.source}
                for r in self.rules
            ],
            # their fields are strings: a copy of each one's fields is what dataclasses.asdict gives, made faster
            "suggested_activities": [dict(vars(s)) for s in self.suggested_activities],
            "next_steps": [dict(vars(s)) for s in self.next_steps],
        }


@dataclass(frozen=True)
class Limits:
    """The limits that apply to a plan: the sector's, or a stricter format's."""

    scope_id: str
    scope_name: str
    format: Format | None
    minimum_organisations: int
    maximum_organisations: int | None
    minimum_countries: int
    partner_countries_allowed: bool
    duration_min: int
    duration_max: int
    extended_max: int | None
    extension_activity: str | None


@dataclass(slots=True)
class PartnerCount:
    """Who counts toward the minimums, and why the others do not; with the other groups of
    organisations the rules look at, sorted out in the same pass over the partners."""

    counted: list[Partner]
    countries: list[str]  # of the counted ones, each once
    not_counted: list[tuple[Partner, str]]
    participating: list[Partner]  # in a role that counts
    coordinators: list[Partner]
    outside: list[Partner]  # not from a programme country, in any role
    excluded: list[Partner]  # from a country the action excludes
    institutions: list[Partner]  # counted, of a type that needs an ECHE
    types: list[str]  # the organisation types of all partners (each as often as it is found)
    participating_types: list[str]  # of those in a role that counts


def applicable_format(answers: Answers, edition: Edition) -> Format | None:
    types = {p.organisation_type for p in answers.partners or [] if edition.roles[p.role].counts}
    formats = RuleBook.of(edition, "en").formats.get((answers.sector, answers.partnership_type), ())
    return _format_for(formats, answers.action, types)


def _format_for(formats: tuple[tuple[Format, frozenset[str]], ...], action: str | None,
                participating_types: Collection[str]) -> Format | None:
    """The format whose conditions the plan meets, of the formats for its sector and type
    (``RuleBook.formats``), given the organisation types of its participating organisations."""
    if not participating_types:
        return None
    for f, types in formats:
        if f.optional and action is not None and action != f.action:
            continue  # the applicant chose the sector's own action instead
        if types.issuperset(participating_types):
            return f
    return None


def limits(answers: Answers, edition: Edition, lang: str = "en") -> Limits | None:
    """The limits for the chosen sector and type: a format's, else the type's where it gives
    them, else the sector's. None until they are known (no sector yet, or an edition that
    sets its limits per type and no type yet)."""
    if answers.sector is None:
        return None
    fmt = applicable_format(answers, edition)
    return _limits(edition, lang, answers.sector, answers.partnership_type, fmt.id if fmt else None)


@lru_cache(maxsize=256)
def _limits(edition: Edition, lang: str, sector_id: str, type_id: str | None, format_id: str | None) -> Limits | None:
    if format_id is not None:
        fmt = edition.formats[format_id]
        ext = fmt.extended_duration
        return Limits(fmt.id, fmt.name(lang), fmt, fmt.minimum_organisations, fmt.maximum_organisations,
                      fmt.minimum_countries, fmt.partner_countries_allowed, fmt.duration.min, fmt.duration.max,
                      ext.max if ext else None, ext.requires_activity if ext else None)
    sector = edition.sectors[sector_id]
    ptype = edition.partnership_types.get(type_id or "")
    names = ("minimum_organisations", "minimum_countries", "duration")
    own = {n: getattr(ptype, n) for n in names if ptype is not None and getattr(ptype, n) is not None}
    values = {n: own.get(n, getattr(sector, n)) for n in names}
    if any(v is None for v in values.values()):
        return None
    scope = ptype if own else sector
    return Limits(scope.id, scope.name(lang), None, values["minimum_organisations"], None, values["minimum_countries"],
                  ptype.partner_countries_allowed if ptype is not None else True,
                  values["duration"].min, values["duration"].max, None, None)


def count_partners(answers: Answers, edition: Edition, lang: str = "en") -> PartnerCount:
    return PartnerCount(*_count_partners(answers.partners or [], RuleBook.of(edition, lang)))


def _count_partners(partners: list[Partner], book: RuleBook) -> tuple[list, ...]:
    """The fields of the partners' PartnerCount, in its order (a Plan keeps them as its own)."""
    counted: list[Partner] = []
    countries: list[str] = []
    not_counted: list[tuple[Partner, str]] = []
    participating: list[Partner] = []
    coordinators: list[Partner] = []
    outside: list[Partner] = []
    excluded: list[Partner] = []
    institutions: list[Partner] = []
    types: list[str] = []  # lists: appending to one costs less than adding to a set
    participating_types: list[str] = []
    roles, programme, excluded_countries, eche_types = book.roles, book.programme, book.excluded_countries, book.eche_types
    for p in partners:
        fields = p.__dict__  # see Plan: one read of a model's fields costs less than reading three of them
        role, country, otype = roles[fields["role"]], fields["country"], fields["organisation_type"]
        types.append(otype)
        if role.coordinates:
            coordinators.append(p)
        if country in excluded_countries:
            excluded.append(p)
        from_outside = country not in programme
        if from_outside:
            outside.append(p)
        if not role.counts:
            not_counted.append((p, role.not_counted_reason))
            continue
        participating.append(p)
        participating_types.append(otype)
        if from_outside:
            not_counted.append((p, book.partner_country_reason))
        else:
            counted.append(p)
            if country not in countries:
                countries.append(country)
            if otype in eche_types:
                institutions.append(p)
    return (counted, countries, not_counted, participating, coordinators, outside, excluded, institutions, types,
            participating_types)


# --- what the rules need from an edition, once per language ------------------------------
# (slotted dataclasses: the rules read their fields at every verdict, and a slot is read
# faster than a named tuple's field)
@dataclass(frozen=True, slots=True)
class BookEntry:
    """One rule of the edition, ready to judge with: its function, texts and sources."""

    id: str
    step: str
    title: str
    judge: Callable[[Plan], Outcome]
    answers: tuple[str, ...]  # the answers it judges: given all, a missing result waits for sector/type
    messages: dict[str, Template]  # message key → the template in the language, compiled
    references: dict[str, tuple[tuple[Reference, ...], str]]  # source scope → (references, source line)
    fixed: bool  # its result depends only on the plan's sector, type and format (see RuleSpec)
    notes: bool  # its outcome may have notes (see RuleSpec)


@dataclass(frozen=True, slots=True)
class RoleEntry:
    """A role as the partner count reads it, in the book's language."""

    counts: bool
    coordinates: bool
    not_counted_reason: str  # "" when it counts


@dataclass(frozen=True, slots=True)
class PriorityEntry:
    """A priority as the priorities rule reads it, in the book's language."""

    group: str
    unlisted: bool
    title: str
    mid_title: str  # the title inside a sentence (mid_sentence)


class RuleBook:
    """An edition's rules in one language, with their texts and sources looked up once
    (``RuleBook.of``). Refuses an edition that breaks the engine's message contract."""

    def __init__(self, edition: Edition, lang: str):
        problems = contract_problems(edition)
        if problems:
            raise ContentError(problems)
        self.edition, self.lang, self.edition_id = edition, lang, edition.id
        self.programme, self.excluded_countries = edition.programme_countries, edition.excluded_countries
        self.country_names = {code: c.name(lang) for code, c in edition.countries.items()}
        self.action_codes = {sid: frozenset(edition.action_codes(sid)) for sid in edition.sources}
        self.entries = tuple(self._entry(rule) for rule in edition.rules_file.rules)
        self.messages = {entry.id: entry.messages for entry in self.entries}  # rule id → key → template
        self.not_counted = self.messages["minimum_organisations"]["not_counted"]  # (read at every verdict)
        self.activity_titles = {a.id: a.title(lang) for a in edition.activities.values()}
        self.roles = {r.id: RoleEntry(r.counts, r.coordinates, r.not_counted_reason(lang) if r.not_counted_reason else "")
                      for r in edition.roles.values()}
        self.partner_country_reason = edition.organisations.partner_country_not_counted_reason(lang)
        self.eche_types = frozenset(o.id for o in edition.organisation_types.values() if o.needs_eche)
        self.priorities = {p.id: PriorityEntry(p.group, p.unlisted, p.title(lang), mid_sentence(p.title(lang)))
                           for p in edition.priorities.values()}
        self.sector_mid_names = {s.id: mid_sentence(s.name(lang)) for s in edition.sectors.values()}
        # (sector id, type id) → its formats, in content order, each with the organisation
        # types all of its organisations must be of (the plans of the others have none)
        self.formats: dict[tuple[str, str], tuple[tuple[Format, frozenset[str]], ...]] = {}
        for f in edition.formats.values():
            key = (f.applies_when.sector, f.applies_when.partnership_type)
            self.formats[key] = (*self.formats.get(key, ()), (f, frozenset(f.applies_when.all_organisation_types)))
        self.settings: dict[tuple[str | None, str | None, str | None], Setting] = {}  # (see setting)

    @staticmethod
    @lru_cache(maxsize=32)
    def of(edition: Edition, lang: str) -> RuleBook:
        return RuleBook(edition, lang)

    def _entry(self, rule) -> BookEntry:
        spec = RULES[rule.id]
        step_answers = STEP_ANSWERS.get(rule.step, ())
        return BookEntry(rule.id, rule.step, rule.title(self.lang), spec.judge, spec.answers or step_answers,
                         {key: compile_template(text(self.lang), spec.messages[key]) for key, text in rule.messages.items()},
                         {scope: self.references(items) for scope, items in rule.sources.items()}, spec.fixed, spec.notes)

    def setting(self, sector: str | None, ptype: str | None, fmt: str | None) -> Setting:
        """What a plan of this sector, type and format (ids, or None) fixes, worked out once."""
        key = (sector, ptype, fmt)
        found = self.settings.get(key)
        if found is None:
            found = self.settings[key] = Setting(self, sector, ptype, fmt)
        return found

    def references(self, items: list[SourceRef]) -> tuple[tuple[Reference, ...], str]:
        sources, lang = self.edition.sources, self.lang
        refs = tuple(Reference(sources[r.source].id, sources[r.source].title, sources[r.source].url, r.quote,
                               r.note(lang) if r.note else None, r.translation if lang == "en" else None)
                     for r in items)
        return refs, "; ".join(f"{r.title} ({r.url})" for r in refs)

    def orgs(self, partners: list[Partner]) -> str:
        """Organisations as a message names them: "name (country), ..."."""
        names, named = self.country_names, []
        for p in partners:  # (a loop: in Python 3.11 a comprehension is a call of its own, which costs more)
            fields = p.__dict__  # (see Plan)
            named.append(f"{fields['name']} ({names.get(fields['country'], fields['country'])})")
        return ", ".join(named)


class Setting:
    """What a plan's sector, type and format fix, in one language (``RuleBook.setting``): its
    limits, where its sources are looked for, each rule's sources, whether each activity is
    possible and which of its budget notes may hold, the activities that may be suggested, the
    next steps, and the results of the rules that depend on nothing else."""

    def __init__(self, book: RuleBook, sector: str | None, ptype: str | None, fmt: str | None):
        edition, lang = book.edition, book.lang
        self.edition, self.lang, self.sector, self.partnership_type = edition, lang, sector, ptype
        self.limits = _limits(edition, lang, sector, ptype, fmt) if sector is not None else None
        self.format_id = fmt if self.limits is not None and self.limits.format is not None else None
        self.sector_record = edition.sectors[sector] if sector else None
        self.sector_in_sentence = book.sector_mid_names[sector] if sector else ""  # its name, as a sentence names it
        # the name of what sets the limits, as a sentence names it
        self.scope_in_sentence = mid_sentence(self.limits.scope_name) if self.limits is not None else ""
        # where a rule's sources are looked for, most specific first (then its default)
        self.scopes = tuple(s for s in (fmt, ptype, sector) if s is not None)
        self.sources = tuple(next((e.references[s] for s in self.scopes if s in e.references),
                                  e.references.get("default", ((), ""))) for e in book.entries)
        # what _judge reads of each rule, in the book's order, as one tuple (unpacked faster
        # than as many fields are read): its id, step, title, function, messages, its sources
        # here, whether it is fixed and may give notes, the entry
        self.rows = tuple((e.id, e.step, e.title, e.judge, self._messages(e), references, source, e.fixed, e.notes, e)
                          for e, (references, source) in zip(book.entries, self.sources))
        # activity id → (the activities it requires, whether it is possible with them, without them)
        plan = _Choices(sector, ptype)
        self.activities = {
            a.id: (frozenset(a.requires), activity_allowed(a.id, plan, edition, lang, self.limits, {a.id, *a.requires}),
                   activity_allowed(a.id, plan, edition, lang, self.limits, set()))
            for a in edition.activities.values()}
        # activity id → its budget notes whose type and format conditions hold (activities with
        # none are left out), each with the activities whose choice lifts it (None: none do) and
        # what the activities rule adds for it to its message (_note)
        note = _note_maker(book, self)
        self.budget_notes = {a.id: notes for a in edition.activities.values() if (notes := tuple(
            (None if n.when.without_activities is None else frozenset(n.when.without_activities), n, *note(a, n))
            for n in a.budget_notes
            if (n.when.partnership_types is None or ptype in n.when.partnership_types)
            and (n.when.formats is None or fmt in n.when.formats)))}
        self.suggestions = self._suggestions(fmt) if sector is not None and ptype is not None else ()
        # the priorities a plan of the sector chooses from (of a group for all sectors, or of the
        # sector's own), and those of them on a list that was found
        groups = frozenset((*edition.groups_for_all_sectors, sector)) if sector else frozenset()
        self.priorities = {pid: p for pid, p in book.priorities.items() if p.group in groups}
        self.listed_priorities = frozenset(pid for pid, p in self.priorities.items() if not p.unlisted)
        self.priority_names = {pid: p.mid_title for pid, p in self.priorities.items()}  # as a sentence names them
        self.fixed: dict[str, RuleResult] = {}  # rule id → its result, for the rules marked fixed
        self.next_steps_by_country: dict[str | None, tuple[NextStepItem, ...]] = {}  # coordinator's country → (see next_steps)

    def _messages(self, entry: BookEntry) -> dict[str, Template]:
        """The rule's messages compiled for this setting: with the values of the fields it
        fixes (``RuleSpec.setting_fields``) in their text. Without limits the rules that have
        such fields give only their missing messages, which have none."""
        spec = RULES[entry.id]
        if spec.setting_fields is None or self.limits is None:
            return entry.messages
        values = spec.setting_fields(self)
        messages = {}
        for key, text in self.edition.rules[entry.id].messages.items():
            order = spec.messages[key]
            messages[key] = compile_template(text(self.lang), tuple(f for f in order if f not in values),
                                             tuple((f, values[f]) for f in order if f in values))
        return messages

    def activity_allowed(self, act_id: str, chosen: set[str]) -> tuple[bool | None, str]:
        """``activity_allowed`` in this setting, given the chosen activities (with this one)."""
        requires, with_them, without = self.activities[act_id]
        return with_them if requires.issubset(chosen) else without

    def activity_note(self, act_id: str, chosen: set[str]) -> BudgetNote | None:
        """``activity_note`` in this setting: the first of the activity's budget notes that
        the chosen activities (with this one) do not lift."""
        found = self.note_for(act_id, chosen)
        return found[1] if found is not None else None

    def note_for(self, act_id: str, chosen: set[str]) -> _BudgetNoteEntry | None:
        """The entry (see ``budget_notes``) of the note that ``activity_note`` gives."""
        for found in self.budget_notes.get(act_id, ()):
            if found[0] is None or found[0].isdisjoint(chosen):
                return found
        return None

    def _suggestions(self, fmt: str | None) -> tuple[tuple[str, bool, tuple[_Suggestion, ...]], ...]:
        """The activities possible here with the activities they require (what does not depend
        on the plan's choice of activities), in content order, each with: whether the other
        activities chosen matter (it requires some, or has budget notes here), and its
        suggestions whose sector, type and format conditions hold (their other conditions as
        sets, and the suggestion in the language)."""
        sector, ptype, lang = self.sector, self.partnership_type, self.lang

        def condition(ids: list[str] | None) -> _Condition:
            return None if ids is None else frozenset(ids)

        out = []
        for act in self.edition.activities_file.activities:
            if self.activities[act.id][1][0] is not True:
                continue
            suggestions = tuple((condition(s.when.priorities_any), condition(s.when.effects_any), condition(s.when.activities_any),
                                 condition(s.when.organisation_types_any), SuggestedActivity(act.id, act.title(lang), s.why(lang)))
                                for s in act.suggest
                                if (s.when.sectors is None or sector in s.when.sectors)
                                and (s.when.partnership_types is None or ptype in s.when.partnership_types)
                                and (s.when.formats is None or fmt in s.when.formats))
            if suggestions:
                out.append((act.id, bool(act.requires or self.budget_notes.get(act.id)), suggestions))
        return tuple(out)

    def next_steps(self, country: str | None) -> tuple[NextStepItem, ...]:
        """The next steps of a plan of this sector and type whose coordinator is from this
        programme country (None: not known), worked out once."""
        found = self.next_steps_by_country.get(country)
        if found is None:
            found = self.next_steps_by_country[country] = self._next_steps_for(country)
        return found

    def _next_steps_for(self, country: str | None) -> tuple[NextStepItem, ...]:
        edition, lang, sector, ptype = self.edition, self.lang, self.sector, self.partnership_type
        ns = edition.next_steps
        out = []
        for step in ns.steps:
            fields = {}
            if step.agency_fallback is not None:
                agency = None
                central = [c for c in ns.central_agencies if sector in c.sectors]
                if central:
                    agency = central[0].name(lang)
                elif country:
                    for a in ns.national_agencies:
                        if a.country == country and sector in a.sectors:
                            agency = a.name(lang)
                    if agency is None:
                        agency = step.agency_fallback(lang).format(country=edition.country_name(country, lang))
                else:
                    agency = step.agency_unknown(lang) if step.agency_unknown else ""
                deadline = " ".join(d.text(lang) for d in ns.deadlines if sector in d.sectors
                                    and (d.partnership_types is None or ptype is None or ptype in d.partnership_types))
                if sector is None:
                    deadline = " ".join(d.text(lang) for d in ns.deadlines)
                fields = {"agency": agency, "deadline": deadline}
            out.append(NextStepItem(step.id, step.title(lang), step.text(lang).format(**fields).strip()))
        return tuple(out)


_Condition = frozenset[str] | None
# (the activities whose choice lifts the note, the note, the note as a message adds it, the
# sources behind it that the message adds: None when it shows them already)
_BudgetNoteEntry = tuple[frozenset[str] | None, "BudgetNote", str, "tuple[tuple[Reference, ...], str] | None"]


_Suggestion = tuple[_Condition, _Condition, _Condition, _Condition, SuggestedActivity]


def _note_maker(book: RuleBook, setting: Setting) -> Callable[[Activity, BudgetNote], tuple[str, tuple | None]]:
    """What the activities rule adds to its message for a budget note of an activity, in this
    setting: a sentence, and the sources behind it that the rule's own do not show already.
    A source about another sector's action (a KA202 page for a KA203 plan) is not shown."""
    template = book.messages["activities"]["note"]
    index = next(i for i, e in enumerate(book.entries) if e.id == "activities")
    shown = {(r.id, r.quote) for r in setting.sources[index][0]}
    lim, codes = setting.limits, book.action_codes
    own = ({book.edition.sectors[setting.sector].action} if setting.sector else set()) | (
        {lim.format.action} if lim and lim.format else set())

    def note(activity: Activity, n: BudgetNote) -> tuple[str, tuple | None]:
        sentence = " " + fill_template(template, (mid_sentence(book.activity_titles[activity.id]), n.text(book.lang)))
        extra = [r for r in n.sources if (r.source, r.quote) not in shown and (not codes[r.source] or codes[r.source] & own)]
        return sentence, book.references(extra) if extra else None
    return note


# --- the plan as the rules see it ---------------------------------------------------------
# What a rule says, its outcome: its status, the key of its message in rules.yaml and the
# values of the message's fields, in the contract's order, but for those the plan's Setting
# fills in (RuleSpec.setting_fields; a tuple: it is made at C speed, and
# the compiled message takes them as they are); a message with notes (a rule marked notes)
# adds the text after the message and the sources of that text, as (references, source line)
# pairs. A plain tuple: every rule of every verdict makes one, and calling anything costs more
# than most rules.
Outcome = (tuple[Status, str, tuple]
           | tuple[Status, str, tuple, str, tuple[tuple[tuple[Reference, ...], str], ...]])

MISSING: Outcome = ("missing", "missing", ())  # not answered yet (the engine picks the exact message)


class _Choices(NamedTuple):
    """A plan with only its sector and type chosen: what the tables of a Setting are worked out for."""

    sector: str | None
    partnership_type: str | None
    activities: list[str] | None = None
    partners: list[Partner] | None = None
    action: str | None = None


class Plan:
    """One plan being judged: the answers with what every rule needs worked out once. The
    rules read the answers from here: they are read from the answers' fields once (an
    attribute of a pydantic model costs several times a plain one's, and its fields, like a
    record's, are its ``__dict__``). The fields of its partners' PartnerCount are its own (one
    object fewer per verdict)."""

    __slots__ = ("answers", "edition", "lang", "book", "setting", "limits", "sector", "partners_missing",
                 "partnership_type", "partners", "duration_months", "activities", "priorities", "effects", "grant_eur",
                 "chosen", *PartnerCount.__slots__)

    def __init__(self, answers: Answers, edition: Edition, lang: str):
        self.answers, self.edition, self.lang = answers, edition, lang
        self.book = book = RuleBook.of(edition, lang)
        fields = answers.__dict__
        sector, self.partnership_type, self.partners = fields["sector"], fields["partnership_type"], fields["partners"]
        self.duration_months, self.activities, self.priorities = (fields["duration_months"], fields["activities"],
                                                                  fields["priorities"])
        self.effects, self.grant_eur = fields["effects"], fields["grant_eur"]
        self.chosen = set(self.activities or ())  # the activities chosen, as a set
        partners, ptype = self.partners, self.partnership_type
        (self.counted, self.countries, self.not_counted, self.participating, self.coordinators, self.outside,
         self.excluded, self.institutions, self.types, self.participating_types) = _count_partners(partners or [], book)
        formats = book.formats.get((sector, ptype)) if sector is not None else None
        fmt = _format_for(formats, fields["action"], self.participating_types) if formats else None
        fmt_id = fmt.id if fmt else None
        # (book.setting, its usual case written out: a call costs more than the lookup)
        self.setting = setting = book.settings.get((sector, ptype, fmt_id)) or book.setting(sector, ptype, fmt_id)
        self.limits = setting.limits
        self.sector = setting.sector_record
        # the partners, or the limits they are counted against, are not known yet
        self.partners_missing = partners is None or self.limits is None

    def message(self, rule_id: str, key: str, *values) -> str:
        """Another message of a rule, to go inside its main message (the values of its
        fields in the contract's order)."""
        return fill_template(self.book.messages[rule_id][key], values)


# --- the rules, each with its message contract --------------------------------------------
@dataclass(frozen=True)
class RuleSpec:
    """A rule of the engine: its function, the message keys it uses with the {fields} each
    may use (content may use fewer, never more), and when the edition may leave them out."""

    id: str
    judge: Callable[[Plan], Outcome]
    messages: dict[str, tuple[str, ...]]
    answers: tuple[str, ...] = ()  # the answers it judges, when not all of its step's
    needed_if: Callable[[Edition], bool] | None = None  # None: every edition has this rule
    messages_needed_if: dict[str, Callable[[Edition], bool]] = field(default_factory=dict)
    content_problems: Callable[[Edition], list[str]] | None = None  # what else it needs of an edition that has it
    # True: its result depends only on the plan's sector, type and format (and what the
    # edition says of them): it is worked out once per Setting
    fixed: bool = False
    notes: bool = False  # True: its outcome may have notes (see Outcome)
    # The fields whose values a plan's Setting fixes (its limits, the name of what sets them),
    # given by a function of the Setting: filled into the rule's messages once per Setting (in
    # a Setting with limits), so that the rule gives the values of the others only
    setting_fields: Callable[[Setting], dict[str, Any]] | None = None


RULES: dict[str, RuleSpec] = {}


def rule(rule_id: str, messages: dict[str, tuple[str, ...]], **options) -> Callable:
    def register(judge: Callable[[Plan], Outcome]) -> Callable[[Plan], Outcome]:
        RULES[rule_id] = RuleSpec(rule_id, judge, messages, **options)
        return judge
    return register


def _waits_for_type(e: Edition) -> bool:
    """Whether a plan's limits (or its lump sum) can wait for the partnership type."""
    return any(s.duration is None or s.minimum_organisations is None or s.minimum_countries is None
               for s in e.sectors.values()) or any(t.lump_sums for t in e.partnership_types.values())


def _has_extended_duration(e: Edition) -> bool:
    return any(f.extended_duration for f in e.formats.values())


WAITS_FOR_TYPE = {"missing_type": _waits_for_type}


@rule("sector", {"missing": (), "pass": ("sector", "action")}, fixed=True)
def sector_rule(plan: Plan) -> Outcome:
    if plan.sector is None:
        return MISSING
    return "pass", "pass", (plan.sector.name(plan.lang), plan.sector.action)


@rule("partnership_type", {"missing": (), "missing_sector": (), "pass": ("type", "sector"),
                           "fail": ("type", "sector", "reason", "allowed")}, fixed=True)
def partnership_type_rule(plan: Plan) -> Outcome:
    sector, lang, types = plan.sector, plan.lang, plan.edition.partnership_types
    if sector is None or plan.partnership_type is None:
        return MISSING
    ptype = types[plan.partnership_type]
    name, sector_name = ptype.name(lang), mid_sentence(sector.name(lang))
    if ptype.id in sector.allowed_types:
        return "pass", "pass", (name, sector_name)
    reason = sector.type_not_allowed_reason(lang) if sector.type_not_allowed_reason else ""
    allowed = " / ".join(mid_sentence(types[t].name(lang)) for t in sector.allowed_types)
    return "fail", "fail", (name, sector_name, reason, allowed)


@rule("minimum_organisations", {"missing": (), "missing_type": (), "missing_sector": (),
                                "pass": ("count", "minimum", "not_counted"),
                                "fail": ("count", "minimum", "short", "not_counted"), "not_counted": ("names",)},
      messages_needed_if=WAITS_FOR_TYPE, setting_fields=lambda s: {"minimum": s.limits.minimum_organisations})
def minimum_organisations_rule(plan: Plan) -> Outcome:
    if plan.partners_missing:
        return MISSING
    minimum = plan.limits.minimum_organisations
    not_counted = ""
    if plan.not_counted:
        names = []
        for p, why in plan.not_counted:  # (a loop: see RuleBook.orgs)
            names.append(f"{p.__dict__['name']} ({why})")  # (see Plan)
        not_counted = " " + fill_template(plan.book.not_counted, (", ".join(names),))  # (plan.message, written out)
    n = len(plan.counted)
    if n >= minimum:
        return "pass", "pass", (n, not_counted)
    return "fail", "fail", (n, minimum - n, not_counted)


def _cap_problems(e: Edition) -> list[str]:
    """Without a format's maximum the rule names the budget cap on organisations: it needs it, sourced."""
    if e.sectors_file.budget_organisation_cap is None or not e.sectors_file.budget_organisation_cap_sources:
        return ["sectors.yaml: budget_organisation_cap: needed, with its sources, by the maximum_organisations rule"]
    return []


@rule("maximum_organisations", {"missing": (), "missing_sector": (), "pass_no_maximum": ("cap",),
                                "pass": ("count", "scope", "maximum"), "fail": ("count", "scope", "maximum", "excess")},
      needed_if=lambda e: any(f.maximum_organisations for f in e.formats.values()),
      content_problems=_cap_problems,
      setting_fields=lambda s: {"cap": s.edition.sectors_file.budget_organisation_cap, "scope": s.scope_in_sentence,
                                "maximum": s.limits.maximum_organisations})
def maximum_organisations_rule(plan: Plan) -> Outcome:
    if plan.partners_missing:
        return MISSING
    lim, total = plan.limits, len(plan.participating)
    maximum = lim.maximum_organisations
    if maximum is None:
        return "pass", "pass_no_maximum", ()
    if total <= maximum:
        return "pass", "pass", (total,)
    return "fail", "fail", (total, total - maximum)


@rule("minimum_countries", {"missing": (), "missing_type": (), "missing_sector": (),
                            "pass": ("count", "countries", "minimum"), "fail": ("count", "minimum", "countries", "short")},
      messages_needed_if=WAITS_FOR_TYPE, setting_fields=lambda s: {"minimum": s.limits.minimum_countries})
def minimum_countries_rule(plan: Plan) -> Outcome:
    if plan.partners_missing:
        return MISSING
    countries, minimum, names = plan.countries, plan.limits.minimum_countries, plan.book.country_names
    n, named = len(countries), ", ".join(map(names.get, countries, countries)) or "-"
    if n >= minimum:
        return "pass", "pass", (n, named)
    return "fail", "fail", (n, named, minimum - n)


@rule("partner_countries", {"missing": (), "missing_type": (), "missing_sector": (), "pass": (),
                            "check": ("names", "count"), "check_associated": ("names", "scope", "count"),
                            "fail": ("names", "scope", "count"), "fail_excluded": ("names", "reason", "count")},
      messages_needed_if={**WAITS_FOR_TYPE, "fail_excluded": lambda e: e.countries_file.excluded is not None},
      setting_fields=lambda s: {"scope": s.scope_in_sentence})
def partner_countries_rule(plan: Plan) -> Outcome:
    if plan.partners_missing:
        return MISSING
    lim, book = plan.limits, plan.book
    excluded = plan.excluded
    if excluded:
        reason = plan.edition.countries_file.excluded.reason(plan.lang)
        return "fail", "fail_excluded", (book.orgs(excluded), reason, len(excluded))
    outside = plan.outside
    if not outside:
        return "pass", "pass", ()
    if lim.partner_countries_allowed:
        return "check", "check", (book.orgs(outside), len(outside))
    # programme countries only applies to full participants; an associated
    # partner-country organisation is a "check" (e.g. a Swiss school in KA229)
    full = [p for p in outside if book.roles[p.role].counts]
    if full:
        return "fail", "fail", (book.orgs(full), len(full))
    return "check", "check_associated", (book.orgs(outside), len(outside))


@rule("coordinator", {"missing": (), "pass": ("name", "country"), "fail_none": (), "fail_many": ("count", "names"),
                      "fail_partner_country": ("name", "country")})
def coordinator_rule(plan: Plan) -> Outcome:
    if plan.partners is None:
        return MISSING
    coordinators = plan.coordinators
    if not coordinators:
        return "fail", "fail_none", ()
    if len(coordinators) > 1:
        return "fail", "fail_many", (len(coordinators), ", ".join(p.name for p in coordinators))
    coordinator = coordinators[0].__dict__  # (see Plan)
    country = coordinator["country"]
    fields = (coordinator["name"], plan.book.country_names.get(country, country))
    if country not in plan.book.programme:
        return "fail", "fail_partner_country", fields
    return "pass", "pass", fields


@rule("duration", {"missing": (), "missing_type": (), "missing_sector": (),
                   "pass": ("months", "min", "max", "scope"), "pass_extension": ("months", "extended_max"),
                   "fail": ("months", "min", "max", "scope"), "fail_extension": ("months", "scope", "min", "max", "extended_max"),
                   "check_extension": ("months", "max")},
      messages_needed_if={**WAITS_FOR_TYPE, **dict.fromkeys(("pass_extension", "fail_extension", "check_extension"),
                                                            _has_extended_duration)},
      setting_fields=lambda s: {"min": s.limits.duration_min, "max": s.limits.duration_max, "scope": s.scope_in_sentence,
                                "extended_max": s.limits.extended_max})
def duration_rule(plan: Plan) -> Outcome:
    lim, months, activities = plan.limits, plan.duration_months, plan.activities
    if lim is None or months is None:
        return MISSING
    given = (months,)  # (the other fields are the Setting's: see setting_fields)
    if lim.duration_min <= months <= lim.duration_max:
        return "pass", "pass", given
    if lim.extended_max and lim.duration_max < months <= lim.extended_max:
        if activities is None:
            return "check", "check_extension", given
        if lim.extension_activity in activities:
            return "pass", "pass_extension", given
    if lim.extended_max and months > lim.duration_max:
        return "fail", "fail_extension", given
    return "fail", "fail", given


@rule("eche", {"missing": (), "pass_none": (), "pass": ("count",), "fail": ("names",), "check": ("names",)})
def eche_rule(plan: Plan) -> Outcome:
    if plan.partners is None:
        return MISSING
    book = plan.book  # the institutions: in a role that counts, from a programme country
    institutions = plan.institutions
    if not institutions:
        return "pass", "pass_none", ()
    without = [p for p in institutions if p.eche is False]
    if without:
        return "fail", "fail", (book.orgs(without),)
    unknown = [p for p in institutions if p.eche is None]
    if unknown:
        return "check", "check", (book.orgs(unknown),)
    return "pass", "pass", (len(institutions),)


@rule("activities", {"missing": (), "missing_sector": (), "pass": ("count",), "fail_empty": (),
                     "fail": ("problems",), "check": ("sector", "names"), "note": ("activity", "note")}, notes=True)
def activities_rule(plan: Plan) -> Outcome:
    activities = plan.activities
    if activities is None or plan.sector is None or plan.partnership_type is None:
        return MISSING
    if not activities:
        return "fail", "fail_empty", ()
    problems, unconfirmed = [], []
    # "not funded separately" is a note on a passing (or checked) rule, never a fail; with the
    # words behind each note
    notes, also = "", ()
    titles, setting, chosen = plan.book.activity_titles, plan.setting, plan.chosen
    allowed, budget_notes = setting.activities, setting.budget_notes
    for act_id in activities:  # (chosen holds act_id: activity_allowed's and activity_note's default)
        requires, with_them, without = allowed[act_id]  # setting.activity_allowed, written out
        ok, reason = with_them if requires <= chosen else without
        if ok is False:
            problems.append(f"{titles[act_id]} ({reason})")
        elif ok is None:
            unconfirmed.append(titles[act_id])
        if act_id in budget_notes and (note := setting.note_for(act_id, chosen)) is not None:
            _, _, sentence, sources = note
            notes += sentence
            if sources is not None:
                also += (sources,)
    if problems:
        return "fail", "fail", ("; ".join(problems),)
    if unconfirmed:
        return "check", "check", (setting.sector_in_sentence, ", ".join(unconfirmed)), notes, also
    return "pass", "pass", (len(activities),), notes, also


@rule("priorities", {"missing": (), "missing_sector": (), "pass": ("names",), "fail": ("sector", "other"),
                     "other_sector": ("names",), "check_unlisted": ("names", "sector")})
def priorities_rule(plan: Plan) -> Outcome:
    chosen, sector = plan.priorities, plan.sector
    if chosen is None or sector is None:
        return MISSING
    setting = plan.setting
    names_of = setting.priority_names
    fitting = []
    for p in chosen:  # (a loop: see RuleBook.orgs)
        if p in names_of:
            fitting.append(names_of[p])
    if fitting and setting.listed_priorities.isdisjoint(chosen):  # all of them unlisted
        # the sector's 2020 list was not found: no source either way, so check
        return "check", "check_unlisted", (", ".join(fitting), setting.sector_in_sentence)
    if fitting:
        return "pass", "pass", (", ".join(fitting),)
    other = ""
    if chosen:
        priorities = plan.book.priorities
        other = " " + plan.message("priorities", "other_sector", ", ".join(priorities[p].title for p in chosen))
    return "fail", "fail", (setting.sector_in_sentence, other)


@rule("grant", {"missing": (), "missing_type": (), "pass": ("amount", "type"), "fail": ("amount", "type", "allowed")},
      answers=("grant_eur",), needed_if=lambda e: any(t.lump_sums for t in e.partnership_types.values()),
      messages_needed_if=WAITS_FOR_TYPE)
def grant_rule(plan: Plan) -> Outcome:
    ptype = plan.edition.partnership_types.get(plan.partnership_type or "")
    grant, lang = plan.grant_eur, plan.lang
    if ptype is None or grant is None:
        return MISSING
    amounts = [ls.amount for ls in ptype.lump_sums]
    amount, name = format_eur(grant, lang), mid_sentence(ptype.name(lang))
    if grant in amounts:
        return "pass", "pass", (amount, name)
    return "fail", "fail", (amount, name, " / ".join(format_eur(x, lang) for x in amounts) or "-")


# The message contract as data: rule id → message key → the {fields} it may use, in the order
# the rule gives their values.
RULE_MESSAGES: dict[str, dict[str, tuple[str, ...]]] = {spec.id: spec.messages for spec in RULES.values()}


def contract_problems(edition: Edition) -> list[str]:
    """How the edition breaks the engine's contract: a rule the engine has no function for, a
    rule or message it needs and does not find, a {field} it does not fill in, or what else a
    rule of the edition needs of its content."""
    problems: list[str] = []
    for spec in RULES.values():
        if spec.id not in edition.rules and (spec.needed_if is None or spec.needed_if(edition)):
            problems.append(f"rules.yaml: rules: rule '{spec.id}' is missing")
    for i, r in enumerate(edition.rules_file.rules):
        where = f"rules.yaml: rules[{i}]"
        spec = RULES.get(r.id)
        if spec is None:
            problems.append(f"{where}.id: unknown rule '{r.id}' (the engine has no such rule)")
            continue
        for key, allowed in spec.messages.items():
            text = r.messages.get(key)
            if text is None:
                condition = spec.messages_needed_if.get(key)
                if condition is None or condition(edition):
                    problems.append(f"{where}.messages.{key}: message is missing")
                continue
            for lang in LANGS:
                extra = placeholders(getattr(text, lang)) - set(allowed)
                if extra:
                    problems.append(f"{where}.messages.{key}.{lang}: unknown placeholder(s) "
                                    f"{', '.join(sorted('{' + e + '}' for e in extra))}; allowed: {', '.join(sorted(allowed)) or 'none'}")
        for key in r.messages:
            if key not in spec.messages:
                problems.append(f"{where}.messages.{key}: unknown message key (the engine never uses it)")
        if spec.content_problems is not None:
            problems.extend(spec.content_problems(edition))
    return problems


# --- judging a plan -----------------------------------------------------------------------
_make_result = tuple.__new__  # RuleResult(...) without its keyword handling


def _missing_key(plan: Plan, entry: BookEntry) -> str:
    """Not answered yet; an answer that waits for the sector (or, where the limits are the
    type's, for the type) says so."""
    answers = plan.answers
    if all(getattr(answers, name) is not None for name in entry.answers):
        if plan.sector is None and "missing_sector" in entry.messages:
            return "missing_sector"
        if answers.partnership_type is None and "missing_type" in entry.messages:
            return "missing_type"
    return "missing"


def _judge(plan: Plan) -> tuple[tuple[RuleResult, ...], bool, bool]:
    """Every rule of the edition, in the edition's order, each outcome as the user reads it:
    the message filled in, with its sources (the format's, the type's or the sector's own,
    else the rule's default: ``Setting.sources``) and those of its notes. With whether every
    rule is answered and whether one fails. A rule marked fixed is judged once per Setting.

    (It runs for every rule of every verdict: what it calls is written out here.)"""
    setting = plan.setting
    fixed = setting.fixed
    out = []
    complete, failing = True, False
    for rule_id, step, title, judge, messages, references, source, is_fixed, may_note, entry in setting.rows:
        if is_fixed and rule_id in fixed:
            result = fixed[rule_id]
            status = result[3]
        else:
            outcome = judge(plan)
            if may_note and len(outcome) == 5:
                status, key, fields, tail, notes = outcome
                for more, more_source in notes:  # the sources of the notes, after the rule's own
                    references += more
                    source = f"{source}; {more_source}" if source else more_source
            else:
                status, key, fields = outcome
                tail = ""
            if status == "missing":
                key = _missing_key(plan, entry)
            text, values, plurals = messages[key]  # fill_template, written out
            while plurals is not None:
                name, one, other = plurals
                text, values, plurals = one if fields[name] == 1 else other
            if values is None:
                message = text % fields
            else:
                message = text if values is LITERAL else text % values(fields)
            result = _make_result(RuleResult, (rule_id, step, title, status, message + tail if tail else message, source,
                                               references))
            if is_fixed:
                fixed[rule_id] = result
        if status != "pass":
            if status == "missing":
                complete = False
            elif status == "fail":
                failing = True
        out.append(result)
    return tuple(out), complete, failing


def activity_allowed(act_id: str, answers: Answers, edition: Edition, lang: str = "en",
                     lim: Limits | None = None, chosen: set[str] | None = None) -> tuple[bool | None, str]:
    """Whether an activity is possible in this plan: True, False (with the reason) or
    None (possible, but no source confirms it for this sector).

    ``chosen`` is the set of activities to judge it with (default: the plan's, with this one)."""
    act = edition.activities[act_id]
    lim = lim if lim is not None else limits(answers, edition, lang)
    fmt = lim.format.id if lim and lim.format else None
    allowed = act.allowed
    if answers.partnership_type is not None and answers.partnership_type not in allowed.partnership_types:
        return False, act.not_allowed_reason(lang) if act.not_allowed_reason else ""
    if fmt and fmt in allowed.excluded_formats:
        return False, act.not_allowed_reason(lang) if act.not_allowed_reason else ""
    if act.requires:
        chosen = chosen if chosen is not None else set(answers.activities or []) | {act_id}
        if any(r not in chosen for r in act.requires):
            return False, act.requires_reason(lang) if act.requires_reason else ""
    if fmt and fmt in allowed.formats:
        return True, ""
    if answers.sector is None or answers.sector in allowed.sectors:
        return True, ""
    if answers.sector in allowed.sectors_unconfirmed:
        return None, ""
    return False, act.not_allowed_reason(lang) if act.not_allowed_reason else ""


def activity_note(act_id: str, answers: Answers, edition: Edition, lim: Limits | None = None,
                  chosen: set[str] | None = None) -> BudgetNote | None:
    """The first budget note of the activity that holds for this plan: the activity is
    possible, but gets no dedicated budget here. None when it is funded as such."""
    lim = lim if lim is not None else limits(answers, edition)
    fmt = lim.format.id if lim and lim.format else None
    chosen = chosen if chosen is not None else set(answers.activities or []) | {act_id}
    return RuleBook.of(edition, "en").setting(answers.sector, answers.partnership_type, fmt).activity_note(act_id, chosen)


def format_eur(amount: int, lang: str) -> str:
    """An amount in euros with the thousands separator of the language: 120.000 / 120,000."""
    text = f"{amount:,}"
    return f"EUR {text.replace(',', '.') if lang == 'nl' else text}"


def suggest(answers: Answers, edition: Edition, lang: str = "en") -> list[SuggestedActivity]:
    """Activities that fit this plan and are not chosen yet, each with why it fits: the first
    of its suggestions whose conditions all hold (an absent condition always holds)."""
    return _suggest(Plan(answers, edition, lang))


def _suggest(plan: Plan) -> list[SuggestedActivity]:
    setting = plan.setting
    chosen = plan.chosen
    priorities, effects = plan.priorities or (), plan.effects or ()  # (isdisjoint takes any iterable)
    organisation_types = plan.types
    out = []
    for act_id, choice_matters, suggestions in setting.suggestions:  # none until the sector and type are known
        if act_id in chosen:
            continue
        for priorities_any, effects_any, activities_any, types_any, suggested in suggestions:
            if ((priorities_any is None or not priorities_any.isdisjoint(priorities))
                    and (effects_any is None or not effects_any.isdisjoint(effects))
                    and (activities_any is None or not activities_any.isdisjoint(chosen))
                    and (types_any is None or not types_any.isdisjoint(organisation_types))):
                break
        else:
            continue  # none of its suggestions fits this plan
        if choice_matters:
            with_it = chosen | {act_id}
            if setting.activity_allowed(act_id, with_it)[0] is not True:
                continue  # not possible without the activities it requires
            if setting.activity_note(act_id, with_it) is not None:
                continue  # possible, but not funded as such
        out.append(suggested)
    return out


def next_steps(answers: Answers, edition: Edition, lang: str = "en") -> list[NextStepItem]:
    """What to do next: the steps of the edition, with the agency and deadline of this plan
    (they depend on its sector, its type and its coordinator's country)."""
    return list(_next_steps(Plan(answers, edition, lang)))


def _next_steps(plan: Plan) -> tuple[NextStepItem, ...]:
    coordinators = plan.coordinators
    country = coordinators[0].__dict__["country"] if len(coordinators) == 1 else None
    if country not in plan.book.programme:
        country = None
    # (Setting.next_steps, its usual case written out: a call costs more than the lookup)
    return plan.setting.next_steps_by_country.get(country) or plan.setting.next_steps(country)


# The answers that answer each step (the activities step asks for both lists).
STEP_ANSWERS = {"sector": ("sector",), "partnership_type": ("partnership_type",), "partners": ("partners",),
                "duration": ("duration_months",), "activities": ("activities", "priorities")}


def answered(answers: Answers, step: str) -> bool:
    return all(getattr(answers, name) is not None for name in STEP_ANSWERS.get(step, ()))


def evaluate(answers: Answers, edition: Edition, lang: str = "en") -> Verdict:
    """The verdict for one plan. Pure: same answers and edition, same verdict."""
    plan = Plan(answers, edition, lang)
    rules, complete, failing = _judge(plan)
    unanswered = () if complete else tuple(dict.fromkeys(r.step for r in rules if r.status == "missing"
                                                         and not answered(answers, r.step)))
    # by position: keywords cost more than building the rest of a verdict
    return Verdict(plan.book.edition_id, lang, complete and not failing, complete, rules, tuple(_suggest(plan)),
                   _next_steps(plan), plan.setting.format_id, unanswered)


def evaluate_rules(answers: Answers, edition: Edition, lang: str = "en") -> tuple[RuleResult, ...]:
    """Only the rules (no suggestions or next steps): the fast path for step validation."""
    return _judge(Plan(answers, edition, lang))[0]
