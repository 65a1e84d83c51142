"""Step 6: effects, priorities, activities and (where the edition has them) the lump sum.
Options the sector or type does not allow are shown disabled with the reason; an option
without its own budget here shows why."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from wizard.engine import activity_allowed, activity_note, format_eur, limits
from wizard.screens.base import StepScreen
from wizard.widgets.choice_list import Choice, ChoiceList


class ActivitiesScreen(StepScreen):
    step = "activities"
    FOCUS_FOR_RULE = {"activities": "#activities", "priorities": "#priorities", "grant": "#grant"}

    def compose_body(self) -> ComposeResult:
        e, lang = self.app.edition, self.app.lang
        yield Static(Content(self.t("activities.effects")), classes="question")
        yield ChoiceList([Choice(x.id, x.title(lang)) for x in e.effects.values()], None, multiple=True,
                         id="effects", classes="choices")
        yield Static(Content(self.t("activities.priorities")), classes="question")
        yield self.note("priorities")
        yield ChoiceList([], None, multiple=True, id="priorities", classes="choices")
        yield Static(id="priorities-missing", classes="para hint")
        yield Static(Content(self.t("activities.activities")), classes="question")
        yield self.note("activities")
        yield Static(Content(self.t("activities.no_sector")), id="no-sector", classes="para note")
        yield ChoiceList([], None, multiple=True, id="activities", classes="choices")
        if any(t.lump_sums for t in e.partnership_types.values()):
            yield Static(Content(self.t("activities.grant")), classes="question")
            yield Static(Content(self.t("activities.grant_no_type")), id="grant-no-type", classes="para note")
            yield ChoiceList([], None, id="grant", classes="choices")

    def sync(self) -> None:
        e, a = self.app.edition, self.app.answers
        effects = self.query_one("#effects", ChoiceList)
        effects.set_choices(list(effects.choices.values()), a.effects)
        self.query_one("#priorities", ChoiceList).set_choices(self._priority_options(), a.priorities)
        group = e.priority_groups.get(a.sector or "")
        missing = self.query_one("#priorities-missing", Static)
        missing.display = bool(group and group.missing_note)
        if missing.display:
            missing.update(Content(group.missing_note(self.app.lang)))
        self.query_one("#no-sector").display = a.sector is None or a.partnership_type is None
        self.query_one("#activities", ChoiceList).set_choices(self._activity_options(), a.activities)
        grants = self.query("#grant")
        if grants:
            t = e.partnership_types.get(a.partnership_type or "")
            sums = t.lump_sums if t is not None else []
            self.query_one("#grant-no-type").display = t is None
            chosen = str(a.grant_eur) if a.grant_eur is not None else None
            grants.first(ChoiceList).set_choices(
                [Choice(str(ls.amount), format_eur(ls.amount, self.app.lang), ls.covers(self.app.lang)) for ls in sums], chosen)

    def _priority_options(self) -> list[Choice]:
        e, lang, a = self.app.edition, self.app.lang, self.app.answers
        unconfirmed = e.priorities_file.unconfirmed_label(lang)
        options = []
        for g in e.priority_groups_for(a.sector):
            group = e.priority_groups.get(g)
            if group is None:
                continue
            options.append(Choice(f"group-{g}", group.title(lang), heading=True))
            for p in e.priorities.values():
                if p.group == g:
                    options.append(Choice(p.id, p.title(lang), note=None if p.confirmed or p.unlisted else unconfirmed))
        return options

    def _activity_options(self) -> list[Choice]:
        app, e, lang, a = self.app, self.app.edition, self.app.lang, self.app.answers
        lim = limits(a, e, lang)
        chosen = set(a.activities or [])
        out = []
        for act in e.activities.values():
            # judge the activity alone: a missing companion activity is a rule message, not a lock
            ok, reason = activity_allowed(act.id, a, e, lang, lim, chosen | {act.id} | set(act.requires))
            desc = self.t("activities.kind." + act.kind) + (f": {act.description(lang)}" if act.description else "")
            budget = activity_note(act.id, a, e, lim, chosen | {act.id})  # possible, without its own budget
            note = self.t("activities.unconfirmed") if ok is None else budget.text(lang) if budget else None
            out.append(Choice(act.id, act.title(lang), desc,
                              disabled_reason=self.t("activities.not_possible", reason=reason) if ok is False else None,
                              note=note))
        # what is possible first; what is not stays visible below, with its reason
        return sorted(out, key=lambda c: c.disabled_reason is not None)

    def focus_first(self) -> None:
        self.query_one("#effects").focus()

    def on_choice_list_changed(self, event: ChoiceList.Changed) -> None:
        event.stop()
        field = event.choice_list.id
        if field == "grant":
            value = event.choice_list.value
            amount = int(value) if value is not None else None
            if self.app.answers.grant_eur != amount:
                self.app.update_answers(grant_eur=amount)
            self.query_one("#next").focus()
            return
        e = self.app.edition
        order = {"effects": e.effects, "priorities": e.priorities, "activities": e.activities}[field]  # content order
        selected = set(event.choice_list.selected)
        self.app.update_answers(**{field: [v for v in order if v in selected]})
