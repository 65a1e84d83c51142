"""Step 3: innovation or exchange of good practices; a type the sector does not allow is
shown disabled with the reason, never hidden. Where a format is optional (a partnership of
schools only: KA229 or KA201), both are offered, each with what it means."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from wizard.screens.base import StepScreen
from wizard.texts import mid_sentence
from wizard.widgets.choice_list import Choice, ChoiceList


class PartnershipTypeScreen(StepScreen):
    step = "partnership_type"
    FOCUS_FOR_RULE = {"partnership_type": "#types"}

    def compose_body(self) -> ComposeResult:
        yield Static(Content(self.t("type.question")), classes="question")
        yield Static(Content(self.t("type.no_sector")), id="no-sector", classes="para note")
        yield ChoiceList([], None, id="types", classes="choices")
        yield Static(id="format-notes", classes="para hint")
        # an optional format (KA229): the applicant chooses it or the sector's own action
        yield Static(Content(self.t("type.apply_as")), id="apply-as-question", classes="question")
        yield ChoiceList([], None, id="apply-as", classes="choices")

    def _choices(self) -> list[Choice]:
        e, lang = self.app.edition, self.app.lang
        sector = e.sectors.get(self.app.answers.sector or "")
        choices = []
        for t in e.partnership_types.values():
            reason = None
            if sector is not None and t.id not in sector.allowed_types:
                why = sector.type_not_allowed_reason(lang) if sector.type_not_allowed_reason else ""
                reason = self.t("type.not_possible", sector=mid_sentence(sector.name(lang)), reason=why)
            choices.append(Choice(t.id, t.name(lang), t.description(lang), disabled_reason=reason))
        return choices

    def sync(self) -> None:
        e, lang, a = self.app.edition, self.app.lang, self.app.answers
        sector = e.sectors.get(a.sector or "")
        self.query_one("#no-sector").display = sector is None
        self.query_one("#types", ChoiceList).set_choices(self._choices(), a.partnership_type)
        self._show_formats()

    def answers_changed(self) -> None:
        super().answers_changed()
        self._show_formats()  # what is shown depends on the type just chosen

    def _show_formats(self) -> None:
        """The sector's formats: explained until a type is chosen; with its type, an optional
        format (KA229) is a choice between it and the sector's own action (KA201)."""
        e, lang, a = self.app.edition, self.app.lang, self.app.answers
        sector = e.sectors.get(a.sector or "")
        formats = [f for f in e.formats.values() if sector is not None and f.applies_when.sector == sector.id]
        fitting = [f for f in formats if f.applies_when.partnership_type == a.partnership_type]
        choice = next((f for f in fitting if f.optional and f.alternative), None)
        notes = [self.t("type.format_note", format=f.name(lang), description=f.description(lang))
                 for f in (formats if a.partnership_type is None else fitting) if f is not choice]
        box = self.query_one("#format-notes", Static)
        box.update(Content("\n\n".join(notes)))
        box.display = bool(notes)
        self.query_one("#apply-as-question").display = self.query_one("#apply-as").display = choice is not None
        if choice is not None:
            options = [Choice(choice.action, choice.name(lang), choice.description(lang)),
                       Choice(sector.action, choice.alternative.name(lang), choice.alternative.description(lang))]
            self.query_one("#apply-as", ChoiceList).set_choices(options, a.action or choice.action)

    def focus_first(self) -> None:
        self.query_one("#types").focus()

    def on_choice_list_changed(self, event: ChoiceList.Changed) -> None:
        event.stop()
        field = "action" if event.choice_list.id == "apply-as" else "partnership_type"
        self.choose(field, event.choice_list.value)
        self._show_formats()  # now: the answers-changed signal arrives later
        if field == "partnership_type" and self.query_one("#apply-as").display:
            self.query_one("#apply-as").focus()  # the next question of this step
