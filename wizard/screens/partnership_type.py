"""Step 3: innovation or exchange of good practices; a type the sector does not allow is
shown disabled with the reason, never hidden."""
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
        notes = [self.t("type.format_note", format=f.name(lang), description=f.description(lang))
                 for f in e.formats.values() if sector is not None and f.applies_when.sector == sector.id]
        box = self.query_one("#format-notes", Static)
        box.update(Content("\n\n".join(notes)))
        box.display = bool(notes)

    def focus_first(self) -> None:
        self.query_one("#types").focus()

    def on_choice_list_changed(self, event: ChoiceList.Changed) -> None:
        event.stop()
        self.choose("partnership_type", event.choice_list.value)
