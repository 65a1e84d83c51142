"""Step 7: every answer with a way back to edit it, the verdict rule by rule, suggested
activities and next steps. Exactly the engine's verdict for the same answers."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from wizard.engine import evaluate
from wizard.report import headline
from wizard.screens.base import StepScreen


class SummaryScreen(StepScreen):
    step = "summary"

    def compose_body(self) -> ComposeResult:
        app, e, lang, a = self.app, self.app.edition, self.app.lang, self.app.answers
        verdict = evaluate(a, e, lang)
        self.verdict = verdict
        yield Static(Content(headline(verdict, app.ui)), id="headline",
                     classes="headline " + ("-eligible" if verdict.eligible else "-not-eligible"))
        if verdict.format:
            yield Static(Content(self.t("summary.format", format=e.formats[verdict.format].name(lang))), classes="para")
        yield Static(Content(self.t("summary.answers")), classes="question")
        for step, value in self._answer_rows():
            state = app.step_state(step)
            with Horizontal(classes=f"answer-row -{state}"):
                yield Static(Content(f"{'!' if state == 'attention' else '✓' if state == 'done' else '○'} {self.t('step.' + step)}"), classes="answer-step")
                yield Static(Content(value), classes="answer-value")
                yield Button(self.t("summary.edit"), id=f"edit-{step}", classes="edit", compact=True)
        yield Static(Content(self.t("summary.verdict")), classes="question")
        with Vertical(id="rules"):
            for r in verdict.rules:
                with Horizontal(classes=f"rule-row -{r.status}"):
                    yield Static(
                        Content(f"{self.t('status.' + r.status)} — {r.title}\n").append(Content(r.message)).append(
                            Content(f"\n{self.t('report.source')}: {'; '.join(ref.title for ref in r.references)}").stylize("dim")),
                        id=f"rule-{r.id}", classes=f"rule -{r.status}")
                    yield Button(self.t("summary.why"), id=f"why-{r.id}", classes="why", compact=True)
        if verdict.suggested_activities:
            yield Static(Content(self.t("report.suggested")), classes="question")
            for s in verdict.suggested_activities:
                yield Static(Content(f"• {s.title}\n").append(Content(f"  {s.why}").stylize("dim")), classes="suggestion")
        with Horizontal(classes="buttons", id="exports"):
            yield Button(self.t("export.markdown"), id="export-markdown", compact=True, variant="primary")
            yield Button(self.t("export.json"), id="export-json", compact=True)
            yield Button(self.t("export.save_answers"), id="save-answers", compact=True)
        yield Static(Content(self.t("report.next_steps")), classes="question")
        for i, s in enumerate(verdict.next_steps, 1):
            yield Static(Content(f"{i}. {s.title}: {s.text}"), classes="para")
        yield Static(Content(f"{e.info.disclaimer(lang)} {e.info.status_note(lang)}"), classes="para note")

    def _answer_rows(self) -> list[tuple[str, str]]:
        app, e, lang, a = self.app, self.app.edition, self.app.lang, self.app.answers
        none = self.t("summary.not_answered")
        partners = a.partners or []
        names = ", ".join(f"{p.name} ({p.country})" for p in partners)
        return [
            ("sector", e.sectors[a.sector].name(lang) if a.sector else none),
            ("partnership_type", e.partnership_types[a.partnership_type].name(lang) if a.partnership_type else none),
            ("partners", self.t("summary.organisations", count=len(partners), names=names) if a.partners else none),
            ("duration", self.t("summary.months", months=a.duration_months) if a.duration_months else none),
            ("activities", self.t("summary.chosen", effects=len(a.effects or []), priorities=len(a.priorities or []),
                                  activities=len(a.activities or [])) if a.activities is not None or a.priorities is not None else none),
        ]

    def on_mount(self) -> None:
        self.query_one("#next").display = False
        self.query_one("#body").focus()

    def refresh_problems(self, extra: str | None = None) -> None:
        self.query_one("#problems-box").display = False

    def on_button_pressed(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        if bid.startswith("edit-"):
            event.stop()
            self.app.goto(bid.removeprefix("edit-"))
        elif bid.startswith("export-"):
            event.stop()
            self.app.export(bid.removeprefix("export-"))
        elif bid.startswith("why-"):
            event.stop()
            from wizard.screens.dialogs import WhyScreen

            self.app.push_screen(WhyScreen(self.verdict.rule(bid.removeprefix("why-"))))
        elif bid == "save-answers":
            event.stop()
            self.app.action_save_as()
