"""The Textual app: one App, one screen per wizard step, one Answers object it owns."""
from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import replace
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from wizard.answers import Answers
from wizard.content import STEPS, Edition, Ui
from wizard.engine import RuleResult, evaluate_rules

SCREENS = {
    "welcome": "wizard.screens.welcome:WelcomeScreen",
    "sector": "wizard.screens.sector:SectorScreen",
    "partnership_type": "wizard.screens.partnership_type:PartnershipTypeScreen",
    "partners": "wizard.screens.partners:PartnersScreen",
    "duration": "wizard.screens.duration:DurationScreen",
    "activities": "wizard.screens.activities:ActivitiesScreen",
    "summary": "wizard.screens.summary:SummaryScreen",
}


def localize_bindings(node: DOMNode, ui: Ui, lang: str) -> None:
    """Give the node's key bindings their description in the chosen language (footer)."""
    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [
            replace(b, description=ui(f"key.{b.action}", lang)) if ui.has(f"key.{b.action}") else b for b in bindings
        ]


class WizardApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Partnership Wizard"
    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (60, "-normal"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (16, "-tall"), (36, "-roomy")]
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("f2", "switch_language", "Language"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, edition: Edition, ui: Ui, lang: str = "en", answers: Answers | None = None,
                 start: str = "welcome") -> None:
        super().__init__()
        self.edition = edition
        self.ui = ui
        self.lang = lang
        self.answers = answers or Answers(edition=edition.id)
        self.visited: set[str] = set()
        self.current_step: str | None = None
        self._start = start
        self._rules: tuple[RuleResult, ...] | None = None

    # --- texts and state -------------------------------------------------------
    def t(self, key: str, **fields) -> str:
        return self.ui(key, self.lang, **fields)

    @property
    def rules(self) -> tuple[RuleResult, ...]:
        if self._rules is None:
            self._rules = evaluate_rules(self.answers, self.edition, self.lang)
        return self._rules

    def step_rules(self, step: str) -> list[RuleResult]:
        return [r for r in self.rules if r.step == step]

    def update_answers(self, **changes) -> None:
        """Change the plan; every screen and the step indicator re-check from here."""
        self.answers = self.answers.model_copy(update=changes)
        self._rules = None
        screen = self.screen
        if hasattr(screen, "answers_changed"):
            screen.answers_changed()

    def step_state(self, step: str) -> str:
        if step == self.current_step:
            return "current"
        if step == "welcome":
            return "done" if "welcome" in self.visited else "todo"
        if step == "summary":
            return "todo"
        results = self.step_rules(step)
        if any(r.status == "fail" for r in results):
            return "attention"
        answered = any(r.status != "missing" for r in results)
        missing = any(r.status == "missing" for r in results)
        if missing:
            return "attention" if step in self.visited else "todo"
        return "done" if answered else "todo"

    # --- navigation ---------------------------------------------------------------
    def on_mount(self) -> None:
        localize_bindings(self, self.ui, self.lang)
        self.goto(self._start)

    def goto(self, step: str) -> None:
        module, _, name = SCREENS[step].partition(":")
        cls = getattr(importlib.import_module(module), name)
        if self.current_step is not None:
            self.visited.add(self.current_step)
        self.current_step = step
        if len(self.screen_stack) <= 1:  # only Textual's default screen: the first step
            self.push_screen(cls())
        else:
            self.switch_screen(cls())

    def next_step(self, step: str) -> str:
        i = STEPS.index(step)
        return STEPS[min(i + 1, len(STEPS) - 1)]

    def previous_step(self, step: str) -> str:
        i = STEPS.index(step)
        return STEPS[max(i - 1, 0)]

    # --- actions --------------------------------------------------------------------
    def action_help(self) -> None:
        from wizard.screens.dialogs import HelpScreen

        if not isinstance(self.screen, HelpScreen) and self.current_step:
            self.push_screen(HelpScreen(self.current_step))

    def action_switch_language(self) -> None:
        self.lang = "en" if self.lang == "nl" else "nl"
        self._rules = None
        localize_bindings(self, self.ui, self.lang)
        while len(self.screen_stack) > 1 and not isinstance(self.screen, _step_screen_class()):
            self.pop_screen()
        if self.current_step:
            step, self.current_step = self.current_step, None
            self.goto(step)

    async def action_quit(self) -> None:
        from wizard.screens.dialogs import ConfirmQuit

        if isinstance(self.screen, ConfirmQuit):
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmQuit(), done)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for step in STEPS:
            yield SystemCommand(self.t("cmd.goto", title=self.t(f"step.long.{step}")), self.t("cmd.goto_help"),
                                partial(self.goto, step))
        yield SystemCommand(self.t("cmd.language"), self.t("cmd.language_help"), self.action_switch_language)
        yield SystemCommand(self.t("cmd.help"), self.t("cmd.help_help"), self.action_help)
        yield SystemCommand(self.t("cmd.quit"), self.t("cmd.quit_help"), self.action_quit)


def _step_screen_class():
    from wizard.screens.base import StepScreen

    return StepScreen


def run(args) -> int:
    import sys

    from wizard.cli import default_lang
    from wizard.content import ContentError, load_edition, load_ui

    lang = default_lang(args.lang)
    try:
        ui = load_ui()
        edition = load_edition(args.edition)
    except ContentError as exc:
        print(f"partnership-wizard: content error: {exc.problems[0]}", file=sys.stderr)
        return 2
    except KeyError:
        print(f"partnership-wizard: unknown edition '{args.edition}'", file=sys.stderr)
        return 2
    WizardApp(edition, ui, lang).run()
    return 0
