"""Step 5: the duration in months, with the allowed range shown before typing."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, Static

from wizard.answers import MAX_MONTHS, parse_duration
from wizard.engine import limits
from wizard.screens.base import StepScreen
from wizard.texts import mid_sentence, shown


class DurationScreen(StepScreen):
    step = "duration"
    FOCUS_FOR_RULE = {"duration": "#months"}

    def compose_body(self) -> ComposeResult:
        yield Static(Content(self.t("duration.question")), classes="question")
        yield Static(id="range", classes="para")
        yield Static(Content(self.t("duration.label")), classes="label")
        # any text: what was typed stays as typed, and the line below says what is wrong with it
        yield Input(id="months", placeholder=self.t("duration.placeholder"))
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
        typed, problem = parse_duration(months.value)
        # what was typed and not taken stays while the plan is the one it was typed for
        if typed != app.answers.duration_months or (problem and app.answers is not self._typed_for):
            value = "" if app.answers.duration_months is None else str(app.answers.duration_months)
            with months.prevent(Input.Changed):  # showing the plan is not a change to it
                months.value = value
            months.cursor_position = len(value)
            problem = None
        # else: the field shows the plan, or what was typed and is not taken (with its reason)
        self.show_problem(problem, months.value)

    typed_problem: str | None = None  # what is wrong with the text in the field, in words
    _typed_for = None  # the plan when it was typed

    def show_problem(self, key: str | None, typed: str) -> None:
        self.typed_problem = None if key is None else self.t(key, value=shown(typed.strip(), 20), max=MAX_MONTHS)
        error = self.query_one("#field-error", Static)
        error.update(Content("✗ " + self.typed_problem) if self.typed_problem else "")

    def visible_problems(self):
        # a duration typed but not taken: the line under the field says why, not "not answered"
        problems = super().visible_problems()
        if self.typed_problem:
            problems = [r for r in problems if not (r.id == "duration" and r.status == "missing")]
        return problems

    def refresh_problems(self, extra: str | None = None) -> None:
        if self.typed_problem and self._show_missing:
            extra = f"{extra}\n✗ {self.typed_problem}" if extra else f"✗ {self.typed_problem}"
        super().refresh_problems(extra)

    def focus_first(self) -> None:
        self.query_one("#months").focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        months, problem = parse_duration(event.value)  # the rule check and the autosave apply
        self.show_problem(problem, event.value)        # (one validation: wizard.answers)
        if months != self.app.answers.duration_months:
            self.app.update_answers(duration_months=months)  # None while what is typed is not possible
        else:
            self.refresh_problems()
        self._typed_for = self.app.answers

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_next()
