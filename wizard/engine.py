"""The eligibility engine: answers + edition → verdict, rule by rule.

One pure function serves the TUI, the ``check`` command and the tests. It holds no
Erasmus+ facts: every number, list and sentence comes from the edition's content.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from wizard.answers import Answers, Partner
from wizard.content import BudgetNote, Edition, Format, Sector, SourceRef
from wizard.texts import fill, mid_sentence

Status = Literal["pass", "fail", "check", "missing"]


@dataclass(frozen=True)
class Reference:
    id: str
    title: str
    url: str
    quote: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class RuleResult:
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


@dataclass(frozen=True)
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
            "suggested_activities": [asdict(s) for s in self.suggested_activities],
            "next_steps": [asdict(s) for s in self.next_steps],
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


@dataclass
class PartnerCount:
    """Who counts toward the minimums, and why the others do not."""

    counted: list[Partner] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    not_counted: list[tuple[Partner, str]] = field(default_factory=list)
    participating: list[Partner] = field(default_factory=list)


def applicable_format(answers: Answers, edition: Edition) -> Format | None:
    participating = [p for p in answers.partners or [] if edition.roles[p.role].counts]
    for f in edition.formats.values():
        cond = f.applies_when
        if f.optional and answers.action is not None and answers.action != f.action:
            continue  # the applicant chose the sector's own action instead
        if (
            answers.sector == cond.sector
            and answers.partnership_type == cond.partnership_type
            and participating
            and all(p.organisation_type in cond.all_organisation_types for p in participating)
        ):
            return f
    return None


def limits(answers: Answers, edition: Edition, lang: str = "en") -> Limits | None:
    """The limits for the chosen sector and type: a format's, else the type's where it gives
    them, else the sector's. None until they are known (no sector yet, or an edition that
    sets its limits per type and no type yet)."""
    if answers.sector is None:
        return None
    s: Sector = edition.sectors[answers.sector]
    f = applicable_format(answers, edition)
    if f is not None:
        ext = f.extended_duration
        return Limits(f.id, f.name(lang), f, f.minimum_organisations, f.maximum_organisations,
                      f.minimum_countries, f.partner_countries_allowed, f.duration.min, f.duration.max,
                      ext.max if ext else None, ext.requires_activity if ext else None)
    t = edition.partnership_types.get(answers.partnership_type or "")
    fields = ("minimum_organisations", "minimum_countries", "duration")
    own = {n: getattr(t, n) for n in fields if t is not None and getattr(t, n) is not None}
    values = {n: own.get(n, getattr(s, n)) for n in fields}
    if any(v is None for v in values.values()):
        return None
    scope = t if own else s
    return Limits(scope.id, scope.name(lang), None, values["minimum_organisations"], None, values["minimum_countries"],
                  t.partner_countries_allowed if t is not None else True,
                  values["duration"].min, values["duration"].max, None, None)


def count_partners(answers: Answers, edition: Edition, lang: str = "en") -> PartnerCount:
    pc = PartnerCount()
    for p in answers.partners or []:
        role = edition.roles[p.role]
        if role.counts:
            pc.participating.append(p)
        if not role.counts:
            pc.not_counted.append((p, role.not_counted_reason(lang) if role.not_counted_reason else ""))
        elif p.country not in edition.programme_countries:
            pc.not_counted.append((p, edition.organisations.partner_country_not_counted_reason(lang)))
        else:
            pc.counted.append(p)
            if p.country not in pc.countries:
                pc.countries.append(p.country)
    return pc


def _names(items: list[str]) -> str:
    return ", ".join(items)


def _org(p: Partner, edition: Edition, lang: str) -> str:
    return f"{p.name} ({edition.country_name(p.country, lang)})"


class _Evaluator:
    def __init__(self, answers: Answers, edition: Edition, lang: str):
        self.a = answers
        self.e = edition
        self.lang = lang
        self.limits = limits(answers, edition, lang)
        self.sector = edition.sectors[answers.sector] if answers.sector else None
        self.count = count_partners(answers, edition, lang)
        self.results: list[RuleResult] = []

    def msg(self, rule_id: str, key: str, **fields) -> str:
        return fill(self.e.rules[rule_id].messages[key](self.lang), **fields)

    def refs(self, rule_id: str) -> tuple[tuple[Reference, ...], str]:
        sources = self.e.rules[rule_id].sources
        scope = "default"
        if self.limits and self.limits.format and self.limits.format.id in sources:
            scope = self.limits.format.id
        elif self.a.partnership_type in sources:
            scope = self.a.partnership_type
        elif self.sector and self.sector.id in sources:
            scope = self.sector.id
        key = ("refs", rule_id, scope, self.lang)
        cached = self.e._cache.get(key)
        if cached is None:
            cached = self.e._cache[key] = self.references(sources.get(scope, []))
        return cached

    def references(self, items: list[SourceRef]) -> tuple[tuple[Reference, ...], str]:
        out = []
        for r in items:
            s = self.e.sources[r.source]
            out.append(Reference(s.id, s.title, s.url, r.quote, r.note(self.lang) if r.note else None))
        return tuple(out), "; ".join(f"{r.title} ({r.url})" for r in out)

    def add(self, rule_id: str, status: Status, message: str, also: list[SourceRef] = ()) -> None:
        """One rule's result; ``also``: sources of a note in the message, shown after the rule's own."""
        rule = self.e.rules.get(rule_id)
        if rule is None:  # the edition has no such rule (content decides which rules exist)
            return
        refs, source = self.refs(rule_id)
        # a note's source about another sector's action (a KA202 page for a KA203 plan) is not shown
        own = ({self.sector.action} if self.sector else set()) | ({self.limits.format.action} if self.limits and self.limits.format else set())
        extra = [r for r in also if all((r.source, r.quote) != (x.id, x.quote) for x in refs)
                 and (not (codes := self.e.action_codes(r.source)) or codes & own)]
        if extra:
            more, more_source = self.references(extra)
            refs, source = refs + more, "; ".join(x for x in (source, more_source) if x)
        self.results.append(RuleResult(rule_id, rule.step, rule.title(self.lang), status, message, source, refs))

    def missing(self, rule_id: str) -> None:
        """Not answered yet; an answer that waits for the sector (or, where the limits are the
        type's, for the type) says so. A rule the edition does not have is not given."""
        rule = self.e.rules.get(rule_id)
        if rule is None:
            return
        key = "missing"
        if all(getattr(self.a, name) is not None for name in RULE_ANSWERS.get(rule_id, STEP_ANSWERS.get(rule.step, ()))):
            if self.sector is None and "missing_sector" in rule.messages:
                key = "missing_sector"
            elif self.a.partnership_type is None and "missing_type" in rule.messages:
                key = "missing_type"
        self.add(rule_id, "missing", self.msg(rule_id, key))

    # --- the rules ---------------------------------------------------------------
    def sector_rule(self) -> None:
        if self.sector is None:
            return self.missing("sector")
        self.add("sector", "pass", self.msg("sector", "pass", sector=self.sector.name(self.lang), action=self.sector.action))

    def partnership_type(self) -> None:
        rid = "partnership_type"
        if self.sector is None or self.a.partnership_type is None:
            return self.missing(rid)
        t = self.e.partnership_types[self.a.partnership_type]
        sector = mid_sentence(self.sector.name(self.lang))
        if t.id in self.sector.allowed_types:
            return self.add(rid, "pass", self.msg(rid, "pass", type=t.name(self.lang), sector=sector))
        reason = self.sector.type_not_allowed_reason(self.lang) if self.sector.type_not_allowed_reason else ""
        allowed = " / ".join(mid_sentence(self.e.partnership_types[x].name(self.lang)) for x in self.sector.allowed_types)
        self.add(rid, "fail", self.msg(rid, "fail", type=t.name(self.lang), sector=sector, reason=reason, allowed=allowed))

    def _partners_missing(self, *rule_ids: str) -> bool:
        if self.a.partners is None or self.limits is None:
            for r in rule_ids:
                self.missing(r)
            return True
        return False

    def organisations(self) -> None:
        if self._partners_missing("minimum_organisations", "maximum_organisations", "minimum_countries", "partner_countries"):
            return
        lim, pc, lang = self.limits, self.count, self.lang
        # minimum organisations
        rid = "minimum_organisations"
        nc = ""
        if pc.not_counted:
            nc = " " + self.msg(rid, "not_counted", names=_names([f"{p.name} ({why})" for p, why in pc.not_counted]))
        n = len(pc.counted)
        if n >= lim.minimum_organisations:
            self.add(rid, "pass", self.msg(rid, "pass", count=n, minimum=lim.minimum_organisations, not_counted=nc))
        else:
            self.add(rid, "fail", self.msg(rid, "fail", count=n, minimum=lim.minimum_organisations,
                                           short=lim.minimum_organisations - n, not_counted=nc))
        # maximum organisations
        rid = "maximum_organisations"
        total = len(pc.participating)
        if rid not in self.e.rules:
            pass
        elif lim.maximum_organisations is None:
            self.add(rid, "pass", self.msg(rid, "pass_no_maximum", cap=self.e.sectors_file.budget_organisation_cap))
        elif total <= lim.maximum_organisations:
            self.add(rid, "pass", self.msg(rid, "pass", count=total, maximum=lim.maximum_organisations, scope=mid_sentence(lim.scope_name)))
        else:
            self.add(rid, "fail", self.msg(rid, "fail", count=total, maximum=lim.maximum_organisations,
                                           scope=mid_sentence(lim.scope_name), excess=total - lim.maximum_organisations))
        # minimum countries
        rid = "minimum_countries"
        c = len(pc.countries)
        countries = ", ".join(self.e.country_name(x, lang) for x in pc.countries) or "-"
        if c >= lim.minimum_countries:
            self.add(rid, "pass", self.msg(rid, "pass", count=c, minimum=lim.minimum_countries, countries=countries))
        else:
            self.add(rid, "fail", self.msg(rid, "fail", count=c, minimum=lim.minimum_countries,
                                           countries=countries, short=lim.minimum_countries - c))
        # partner countries
        rid = "partner_countries"
        excluded = [p for p in self.a.partners if p.country in self.e.excluded_countries]
        outside = [p for p in self.a.partners if p.country not in self.e.programme_countries]
        if excluded:
            ex = self.e.countries_file.excluded
            self.add(rid, "fail", self.msg(rid, "fail_excluded", names=_names([_org(p, self.e, lang) for p in excluded]),
                                           reason=ex.reason(lang) if ex else "", count=len(excluded)))
        elif not outside:
            self.add(rid, "pass", self.msg(rid, "pass"))
        else:
            names = _names([_org(p, self.e, lang) for p in outside])
            if lim.partner_countries_allowed:
                return self.add(rid, "check", self.msg(rid, "check", names=names, count=len(outside)))
            # programme countries only applies to full participants; an associated
            # partner-country organisation is a "check" (e.g. a Swiss school in KA229)
            full = [p for p in outside if self.e.roles[p.role].counts]
            if full:
                return self.add(rid, "fail", self.msg(rid, "fail", names=_names([_org(p, self.e, lang) for p in full]),
                                                      scope=mid_sentence(lim.scope_name), count=len(full)))
            self.add(rid, "check", self.msg(rid, "check_associated", names=names, scope=mid_sentence(lim.scope_name),
                                            count=len(outside)))

    def coordinator(self) -> None:
        rid = "coordinator"
        if self.a.partners is None:
            return self.missing(rid)
        coords = [p for p in self.a.partners if self.e.roles[p.role].coordinates]
        if not coords:
            return self.add(rid, "fail", self.msg(rid, "fail_none"))
        if len(coords) > 1:
            return self.add(rid, "fail", self.msg(rid, "fail_many", count=len(coords), names=_names([p.name for p in coords])))
        c = coords[0]
        country = self.e.country_name(c.country, self.lang)
        if c.country not in self.e.programme_countries:
            return self.add(rid, "fail", self.msg(rid, "fail_partner_country", name=c.name, country=country))
        self.add(rid, "pass", self.msg(rid, "pass", name=c.name, country=country))

    def duration(self) -> None:
        rid = "duration"
        lim, months = self.limits, self.a.duration_months
        if lim is None or months is None:
            return self.missing(rid)
        f = dict(months=months, min=lim.duration_min, max=lim.duration_max, scope=mid_sentence(lim.scope_name))
        if lim.duration_min <= months <= lim.duration_max:
            return self.add(rid, "pass", self.msg(rid, "pass", **f))
        if lim.extended_max and lim.duration_max < months <= lim.extended_max:
            if self.a.activities is None:
                return self.add(rid, "check", self.msg(rid, "check_extension", months=months, max=lim.duration_max))
            if lim.extension_activity in self.a.activities:
                return self.add(rid, "pass", self.msg(rid, "pass_extension", months=months, extended_max=lim.extended_max))
        if lim.extended_max and months > lim.duration_max:
            return self.add(rid, "fail", self.msg(rid, "fail_extension", extended_max=lim.extended_max, **f))
        self.add(rid, "fail", self.msg(rid, "fail", **f))

    def eche(self) -> None:
        rid = "eche"
        if self.a.partners is None:
            return self.missing(rid)
        heis = [
            p for p in self.a.partners
            if self.e.organisation_types[p.organisation_type].needs_eche
            and self.e.roles[p.role].counts
            and p.country in self.e.programme_countries
        ]
        if not heis:
            return self.add(rid, "pass", self.msg(rid, "pass_none"))
        without = [p for p in heis if p.eche is False]
        unknown = [p for p in heis if p.eche is None]
        if without:
            return self.add(rid, "fail", self.msg(rid, "fail", names=_names([_org(p, self.e, self.lang) for p in without])))
        if unknown:
            return self.add(rid, "check", self.msg(rid, "check", names=_names([_org(p, self.e, self.lang) for p in unknown])))
        self.add(rid, "pass", self.msg(rid, "pass", count=len(heis)))

    def activities(self) -> None:
        rid = "activities"
        if self.a.activities is None or self.sector is None or self.a.partnership_type is None:
            return self.missing(rid)
        if not self.a.activities:
            return self.add(rid, "fail", self.msg(rid, "fail_empty"))
        problems, unconfirmed = [], []
        for act_id in self.a.activities:
            ok, reason = activity_allowed(act_id, self.a, self.e, self.lang, self.limits)
            act = self.e.activities[act_id]
            if ok is False:
                problems.append(f"{act.title(self.lang)} ({reason})")
            elif ok is None:
                unconfirmed.append(act.title(self.lang))
        if problems:
            return self.add(rid, "fail", self.msg(rid, "fail", problems="; ".join(problems)))
        # "not funded separately" is a note on a passing (or checked) rule, never a fail
        found = [(act_id, note) for act_id in self.a.activities
                 if (note := activity_note(act_id, self.a, self.e, self.limits)) is not None]
        notes = "".join(" " + self.msg(rid, "note", activity=mid_sentence(self.e.activities[act_id].title(self.lang)),
                                       note=note.text(self.lang)) for act_id, note in found)
        also = [r for _, note in found for r in note.sources]  # the words behind each note
        if unconfirmed:
            return self.add(rid, "check", self.msg(rid, "check", names=_names(unconfirmed),
                                                   sector=mid_sentence(self.sector.name(self.lang))) + notes, also)
        self.add(rid, "pass", self.msg(rid, "pass", count=len(self.a.activities)) + notes, also)

    def priorities(self) -> None:
        rid = "priorities"
        if self.a.priorities is None or self.sector is None:
            return self.missing(rid)
        fitting = [p for p in self.a.priorities if self.e.priorities[p].group in ("horizontal", self.sector.id)]
        other = [p for p in self.a.priorities if p not in fitting]
        names = _names([mid_sentence(self.e.priorities[p].title(self.lang)) for p in fitting])
        if fitting and all(self.e.priorities[p].unlisted for p in fitting):
            # the sector's 2020 list was not found: no source either way, so check
            return self.add(rid, "check", self.msg(rid, "check_unlisted", names=names,
                                                   sector=mid_sentence(self.sector.name(self.lang))))
        if fitting:
            return self.add(rid, "pass", self.msg(rid, "pass", names=names))
        o = " " + self.msg(rid, "other_sector", names=_names([self.e.priorities[p].title(self.lang) for p in other])) if other else ""
        self.add(rid, "fail", self.msg(rid, "fail", sector=mid_sentence(self.sector.name(self.lang)), other=o))

    def grant(self) -> None:
        rid = "grant"
        t = self.e.partnership_types.get(self.a.partnership_type or "")
        if t is None or self.a.grant_eur is None:
            return self.missing(rid)
        amounts = [ls.amount for ls in t.lump_sums]
        f = dict(amount=format_eur(self.a.grant_eur, self.lang), type=mid_sentence(t.name(self.lang)))
        if self.a.grant_eur in amounts:
            return self.add(rid, "pass", self.msg(rid, "pass", **f))
        allowed = " / ".join(format_eur(x, self.lang) for x in amounts) or "-"
        self.add(rid, "fail", self.msg(rid, "fail", allowed=allowed, **f))

    def run(self) -> list[RuleResult]:
        self.sector_rule()
        self.partnership_type()
        self.organisations()
        self.coordinator()
        self.eche()
        self.duration()
        self.activities()
        self.grant()
        self.priorities()
        order = {r.id: i for i, r in enumerate(self.e.rules_file.rules)}
        return sorted(self.results, key=lambda r: order[r.id])


def activity_allowed(act_id: str, answers: Answers, edition: Edition, lang: str = "en",
                     lim: Limits | None = None, chosen: set[str] | None = None) -> tuple[bool | None, str]:
    """Whether an activity is possible in this plan: True, False (with the reason) or
    None (possible, but no source confirms it for this sector).

    ``chosen`` is the set of activities to judge it with (default: the plan's, with this one)."""
    act = edition.activities[act_id]
    lim = lim if lim is not None else limits(answers, edition, lang)
    fmt = lim.format.id if lim and lim.format else None
    reason = act.not_allowed_reason(lang) if act.not_allowed_reason else ""
    if answers.partnership_type is not None and answers.partnership_type not in act.allowed.partnership_types:
        return False, reason
    if fmt and fmt in act.allowed.excluded_formats:
        return False, reason
    chosen = chosen if chosen is not None else set(answers.activities or []) | {act_id}
    missing_required = [r for r in act.requires if r not in chosen]
    if missing_required:
        return False, act.requires_reason(lang) if act.requires_reason else ""
    if fmt and fmt in act.allowed.formats:
        return True, ""
    if answers.sector is None or answers.sector in act.allowed.sectors:
        return True, ""
    if answers.sector in act.allowed.sectors_unconfirmed:
        return None, ""
    return False, reason


def activity_note(act_id: str, answers: Answers, edition: Edition, lim: Limits | None = None,
                  chosen: set[str] | None = None) -> BudgetNote | None:
    """The first budget note of the activity that holds for this plan: the activity is
    possible, but gets no dedicated budget here. None when it is funded as such."""
    act = edition.activities[act_id]
    if not act.budget_notes:
        return None
    lim = lim if lim is not None else limits(answers, edition)
    fmt = lim.format.id if lim and lim.format else None
    chosen = chosen if chosen is not None else set(answers.activities or []) | {act_id}
    for note in act.budget_notes:
        w = note.when
        if ((w.partnership_types is None or answers.partnership_type in w.partnership_types)
                and (w.formats is None or fmt in w.formats)
                and (w.without_activities is None or not set(w.without_activities) & chosen)):
            return note
    return None


def format_eur(amount: int, lang: str) -> str:
    """An amount in euros with the thousands separator of the language: 120.000 / 120,000."""
    text = f"{amount:,}"
    return f"EUR {text.replace(',', '.') if lang == 'nl' else text}"


def _suggest_matches(when, answers: Answers, lim: Limits | None) -> bool:
    fmt = lim.format.id if lim and lim.format else None

    def any_of(wanted, have) -> bool:
        return wanted is None or bool(set(wanted) & set(have or []))

    return (
        (when.sectors is None or answers.sector in when.sectors)
        and (when.partnership_types is None or answers.partnership_type in when.partnership_types)
        and (when.formats is None or fmt in when.formats)
        and any_of(when.priorities_any, answers.priorities)
        and any_of(when.effects_any, answers.effects)
        and any_of(when.activities_any, answers.activities)
        and any_of(when.organisation_types_any, [p.organisation_type for p in answers.partners or []])
    )


def suggest(answers: Answers, edition: Edition, lang: str = "en") -> list[SuggestedActivity]:
    """Activities that fit this plan and are not chosen yet, each with why it fits."""
    if answers.sector is None or answers.partnership_type is None:
        return []
    lim = limits(answers, edition, lang)
    chosen = set(answers.activities or [])
    out = []
    for act in edition.activities_file.activities:
        if act.id in chosen:
            continue
        ok, _ = activity_allowed(act.id, answers, edition, lang, lim, chosen | {act.id})
        if ok is not True or activity_note(act.id, answers, edition, lim, chosen | {act.id}) is not None:
            continue  # suggest only what is possible and funded as such
        for s in act.suggest:
            if _suggest_matches(s.when, answers, lim):
                out.append(SuggestedActivity(act.id, act.title(lang), s.why(lang)))
                break
    return out


def next_steps(answers: Answers, edition: Edition, lang: str = "en") -> list[NextStepItem]:
    ns = edition.next_steps
    coords = [p for p in answers.partners or [] if edition.roles[p.role].coordinates]
    country = coords[0].country if len(coords) == 1 and coords[0].country in edition.programme_countries else None
    out = []
    for step in ns.steps:
        fields = {}
        if step.agency_fallback is not None:
            agency = None
            central = [c for c in ns.central_agencies if answers.sector in c.sectors]
            if central:
                agency = central[0].name(lang)
            elif country:
                for a in ns.national_agencies:
                    if a.country == country and (answers.sector in a.sectors):
                        agency = a.name(lang)
                if agency is None:
                    agency = step.agency_fallback(lang).format(country=edition.country_name(country, lang))
            else:
                agency = step.agency_unknown(lang) if step.agency_unknown else ""
            deadline = " ".join(d.text(lang) for d in ns.deadlines if answers.sector in d.sectors
                                and (d.partnership_types is None or answers.partnership_type is None
                                     or answers.partnership_type in d.partnership_types))
            if answers.sector is None:
                deadline = " ".join(d.text(lang) for d in ns.deadlines)
            fields = {"agency": agency, "deadline": deadline}
        out.append(NextStepItem(step.id, step.title(lang), step.text(lang).format(**fields).strip()))
    return out


# The answers that answer each step (the activities step asks for both lists).
STEP_ANSWERS = {"sector": ("sector",), "partnership_type": ("partnership_type",), "partners": ("partners",),
                "duration": ("duration_months",), "activities": ("activities", "priorities")}


RULE_ANSWERS = {"grant": ("grant_eur",)}  # a rule that judges one answer of its step


def answered(answers: Answers, step: str) -> bool:
    return all(getattr(answers, name) is not None for name in STEP_ANSWERS.get(step, ()))


def evaluate(answers: Answers, edition: Edition, lang: str = "en") -> Verdict:
    """The verdict for one plan. Pure: same answers and edition, same verdict."""
    ev = _Evaluator(answers, edition, lang)
    rules = ev.run()
    complete = all(r.status != "missing" for r in rules)
    eligible = complete and all(r.status != "fail" for r in rules)
    return Verdict(
        edition=edition.id,
        lang=lang,
        eligible=eligible,
        complete=complete,
        rules=tuple(rules),
        suggested_activities=tuple(suggest(answers, edition, lang)),
        next_steps=tuple(next_steps(answers, edition, lang)),
        format=ev.limits.format.id if ev.limits and ev.limits.format else None,
        unanswered=tuple(dict.fromkeys(r.step for r in rules if r.status == "missing" and not answered(answers, r.step))),
    )


def evaluate_rules(answers: Answers, edition: Edition, lang: str = "en") -> tuple[RuleResult, ...]:
    """Only the rules (no suggestions or next steps): the fast path for step validation."""
    return tuple(_Evaluator(answers, edition, lang).run())


def step_results(answers: Answers, edition: Edition, step: str, lang: str = "en") -> list[RuleResult]:
    """The rules that concern one wizard step."""
    return [r for r in evaluate_rules(answers, edition, lang) if r.step == step]
