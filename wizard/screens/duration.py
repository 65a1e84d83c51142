"""Step 5: the duration in months, with the allowed range shown before typing."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, Static

from wizard.answers import AnswersError
from wizard.engine import limits
from wizard.screens.base import StepScreen
from wizard.texts import mid_sentence


class DurationScreen(StepScreen):
    step = "duration"
    FOCUS_FOR_RULE = {"duration": "#months"}

    def compose_body(self) -> ComposeResult:
        yield Static(Content(self.t("duration.question")), classes="question")
        yield Static(id="range", classes="para")
        yield Static(Content(self.t("duration.label")), classes="label")
        yield Input(type="integer", max_length=4, id="months", placeholder=self.t("duration.placeholder"))
        yield Static(id="field-error", classes="field-error")

    def sync(self) -> None:
        app = self.app
        lim = limits(app.answers, app.edition, app.lang)
        if lim is None:
            text = self.t("duration.no_sector" if app.answers.sector is None else "duration.no_type")
        else:
            text = self.t("duration.range", scope=mid_sentence(lim.scope_name), min=lim.duration_min, max=lim.duration_max)
            if lim.extended_max:
                text += " " + self.t("duration.range_extended", extended_max=lim.extended_max)
        self.query_one("#range", Static).update(Content(text))
        months = self.query_one("#months", Input)
        value = "" if app.answers.duration_months is None else str(app.answers.duration_months)
        if months.value != value:
            with months.prevent(Input.Changed):  # showing the plan is not a change to it
                months.value = value
            months.cursor_position = len(value)
        self.query_one("#field-error", Static).update("")

    def focus_first(self) -> None:
        self.query_one("#months").focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        raw = event.value.strip()
        error = self.query_one("#field-error", Static)
        if raw == "":
            error.update("")
            self.app.update_answers(duration_months=None)
            return
        try:
            months = int(raw)
        except ValueError:
            months = None
        if months is None or months <= 0:
            error.update(Content(self.t("duration.not_a_number")))
            self.app.update_answers(duration_months=None)
            return
        error.update("")
        try:
            self.app.update_answers(duration_months=months)
        except AnswersError as exc:  # a number no plan can have (the answers file refuses it too)
            error.update(Content(str(exc)))
            self.app.update_answers(duration_months=None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_next()
