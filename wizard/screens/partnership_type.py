"""Step 3: innovation or exchange of good practices; a type the sector does not allow is
shown disabled with the reason, never hidden."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from wizard.screens.base import StepScreen
from wizard.widgets.choice_list import Choice, ChoiceList


class PartnershipTypeScreen(StepScreen):
    step = "partnership_type"
    FOCUS_FOR_RULE = {"partnership_type": "#types"}

    def compose_body(self) -> ComposeResult:
        app, e, lang = self.app, self.app.edition, self.app.lang
        sector = e.sectors.get(app.answers.sector or "")
        yield Static(Content(self.t("type.question")), classes="question")
        if sector is None:
            yield Static(Content(self.t("type.no_sector")), classes="para note")
        choices = []
        for t in e.partnership_types.values():
            reason = None
            if sector is not None and t.id not in sector.allowed_types:
                why = sector.type_not_allowed_reason(lang) if sector.type_not_allowed_reason else ""
                reason = self.t("type.not_possible", sector=sector.name(lang), reason=why)
            choices.append(Choice(t.id, t.name(lang), t.description(lang), disabled_reason=reason))
        yield ChoiceList(choices, app.answers.partnership_type, id="types", classes="choices")
        if sector is not None:
            for f in e.formats.values():
                if f.applies_when.sector == sector.id:
                    yield Static(Content(self.t("type.format_note", format=f.name(lang), description=f.description(lang))),
                                 classes="para hint")

    def on_mount(self) -> None:
        self.query_one("#types").focus()

    def on_choice_list_changed(self, event: ChoiceList.Changed) -> None:
        event.stop()
        self.app.update_answers(partnership_type=event.choice_list.value)
        self.query_one("#next").focus()  # Enter, then Enter again goes on
