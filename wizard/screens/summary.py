"""Step 7: every answer with a way back to edit it, the verdict rule by rule, suggested
activities and next steps. Exactly the engine's verdict for the same answers."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from wizard.engine import evaluate, format_eur
from wizard.report import headline
from wizard.screens.base import StepScreen


class SummaryScreen(StepScreen):
    step = "summary"

    def compose_body(self) -> ComposeResult:
        yield Static(id="headline", classes="headline")
        yield Static(id="format", classes="para")
        yield Static(Content(self.t("summary.answers")), classes="question")
        yield Static(Content(self.t("summary.edit_hint")), classes="hint")
        yield OptionList(id="answers")
        yield Static(Content(self.t("summary.verdict")), classes="question")
        yield Static(Content(self.t("summary.why_hint")), classes="hint")
        yield OptionList(id="rules")
        yield Static(Content(self.t("report.suggested")), id="suggestions-title", classes="question")
        yield Static(id="suggestions")
        with Horizontal(classes="buttons", id="exports"):
            yield Button(self.t("export.markdown"), id="export-markdown", compact=True, variant="primary")
            yield Button(self.t("export.json"), id="export-json", compact=True)
            yield Button(self.t("export.save_answers"), id="save-answers", compact=True)
        yield Static(Content(self.t("report.next_steps")), classes="question")
        yield Static(id="next-steps", classes="para")
        yield Static(id="disclaimer", classes="para note")

    def sync(self) -> None:
        """The verdict of the plan as it is now: exactly what `evaluate` says."""
        e, lang = self.app.edition, self.app.lang
        self.app.session.return_to_summary = False
        verdict = evaluate(self.app.answers, e, lang)
        self.verdict = verdict
        headline_ = self.query_one("#headline", Static)
        headline_.update(Content(headline(verdict, self.app.ui)))
        headline_.set_class(verdict.eligible, "-eligible")
        fmt = self.query_one("#format", Static)
        fmt.display = bool(verdict.format)
        if verdict.format:
            fmt.update(Content(self.t("summary.format", format=e.formats[verdict.format].name(lang))))
        answers = self.query_one("#answers", OptionList)
        answers.set_options([Option(self._answer_prompt(step, value), id=step) for step, value in self._answer_rows()])
        rows: list[Option | None] = []
        for r in verdict.rules:
            rows += [Option(self._rule_prompt(r), id=r.id), None]  # None: a separator line
        rules = self.query_one("#rules", OptionList)
        rules.set_options(rows[:-1])
        answers.action_first()  # as a new list: Enter on it does something at once
        rules.action_first()
        self.query_one("#suggestions-title").display = bool(verdict.suggested_activities)
        suggestions = self.query_one("#suggestions", Static)
        suggestions.display = bool(verdict.suggested_activities)
        suggestions.update(Content("\n").join(
            Content(f"• {s.title}\n").stylize("bold").append(Content(f"  {s.why}")) for s in verdict.suggested_activities
        ))
        roadmap = [Content(e.next_steps.roadmap.text(lang))] if e.next_steps.roadmap else []
        self.query_one("#next-steps", Static).update(
            Content("\n").join(roadmap + [Content(f"{i}. {s.title}: {s.text}") for i, s in enumerate(verdict.next_steps, 1)]))
        self.query_one("#disclaimer", Static).update(
            Content(f"{e.info.disclaimer(lang)} {e.info.limitations(lang)} {e.info.status_note(lang)}"))

    STATUS_STYLE = {"pass": "bold $success", "fail": "bold $error", "check": "bold $warning", "missing": "bold $secondary"}

    def _rule_prompt(self, r) -> Content:
        """One rule: the status in words (never colour alone), the reason, the source."""
        sources = "; ".join(ref.title for ref in r.references)
        return (
            Content(f"{self.t('status.' + r.status)} ").stylize(self.STATUS_STYLE[r.status])
            .append(Content(f"— {r.title}\n").stylize("bold"))
            .append(Content(r.message))
            .append(Content(f"\n{self.t('report.source')}: {sources}").stylize("dim"))
        )

    def _answer_prompt(self, step: str, value: str) -> Content:
        state = self.app.session.step_state(step)
        symbol = {"attention": "!", "done": "✓"}.get(state, "○")
        label = Content(f"{symbol} {self.t('step.' + step)}: ").stylize("bold $warning" if state == "attention" else "bold")
        return label.append(Content(value + "  ")).append(Content(f"[{self.t('summary.edit')}]").stylize("dim"))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """On an answer: go and edit it. On a rule: why this rule? (its sources, with their sentences)."""
        event.stop()
        if event.option_list.id == "answers":
            self.app.session.return_to_summary = True  # Next and Esc on that step come back here
            self.app.goto(event.option.id)
            return
        from wizard.screens.dialogs import WhyScreen

        self.app.push_screen(WhyScreen(self.verdict.rule(event.option.id)))

    def _answer_rows(self) -> list[tuple[str, str]]:
        app, e, lang, a = self.app, self.app.edition, self.app.lang, self.app.answers
        none = self.t("summary.not_answered")
        partners = a.partners or []
        names = ", ".join(f"{p.name} ({p.country})" for p in partners)
        chosen = (self.t("summary.chosen", effects=len(a.effects or []), priorities=len(a.priorities or []),
                         activities=len(a.activities or [])) if a.activities is not None or a.priorities is not None else none)
        if any(t.lump_sums for t in e.partnership_types.values()):  # an edition with lump sums
            grant = format_eur(a.grant_eur, lang) if a.grant_eur is not None else none
            chosen += ", " + self.t("summary.grant", amount=grant)
        return [
            ("sector", e.sectors[a.sector].name(lang) if a.sector else none),
            ("partnership_type", e.partnership_types[a.partnership_type].name(lang) if a.partnership_type else none),
            ("partners", self.t("summary.organisations", count=len(partners), names=names) if a.partners else none),
            ("duration", self.t("summary.months", months=a.duration_months) if a.duration_months else none),
            ("activities", chosen),
        ]

    def prepare(self) -> None:
        self.query_one("#next").display = False

    def focus_first(self) -> None:
        body = self.query_one("#body")
        body.scroll_home(animate=False)
        body.focus()

    def refresh_problems(self, extra: str | None = None) -> None:
        self.query_one("#problems-box").display = False

    def answers_changed(self) -> None:
        """The plan changed while the summary shows (an edit typed just before the summary was
        asked for reaches the plan after it): the verdict follows the plan."""
        super().answers_changed()
        self.sync()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        if bid.startswith("export-"):
            event.stop()
            self.app.export(bid.removeprefix("export-"))
        elif bid == "save-answers":
            event.stop()
            self.app.action_save_as()
