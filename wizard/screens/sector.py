"""Step 2: the five sectors, each with one line on who it is for."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from wizard.screens.base import StepScreen
from wizard.widgets.choice_list import Choice, ChoiceList


class SectorScreen(StepScreen):
    step = "sector"
    FOCUS_FOR_RULE = {"sector": "#sectors"}

    def compose_body(self) -> ComposeResult:
        app, lang = self.app, self.app.lang
        yield Static(Content(self.t("sector.question")), classes="question")
        yield ChoiceList(
            [Choice(s.id, f"{s.name(lang)} ({s.action})", s.description(lang)) for s in app.edition.sectors.values()],
            app.answers.sector, id="sectors", classes="choices",
        )

    def sync(self) -> None:
        sectors = self.query_one("#sectors", ChoiceList)
        sectors.set_choices(list(sectors.choices.values()), self.app.answers.sector)

    def focus_first(self) -> None:
        self.query_one("#sectors").focus()

    def on_choice_list_changed(self, event: ChoiceList.Changed) -> None:
        event.stop()
        self.choose("sector", event.choice_list.value)

    def action_next(self) -> None:
        if self.app.answers.sector is None:
            self.refresh_problems(self.t("nav.sector_required"))
            self.query_one("#problems-box").set_class(True, "-bad")
            self.query_one("#sectors").focus()
            self.app.bell()
            return
        super().action_next()
