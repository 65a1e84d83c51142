"""The Textual app: one App, one screen per wizard step, one Answers object it owns."""
from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import replace
from functools import partial

from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from wizard.texts import STEPS, Ui, load_brief

if TYPE_CHECKING:  # the engine, answers and pydantic load on first use, not at start-up
    from wizard.answers import Answers
    from wizard.content import Edition
    from wizard.engine import RuleResult


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

    def __init__(self, edition: Edition | None, ui: Ui, lang: str = "en", answers: Answers | None = None,
                 start: str = "welcome", edition_id: str | None = None) -> None:
        """``edition`` may be None: it is then loaded (``edition_id``, default the newest)
        when a step first needs it, so that the welcome screen shows without waiting."""
        super().__init__()
        self._edition = edition
        self._edition_id = edition.id if edition is not None else edition_id
        self.ui = ui
        self.lang = lang
        self._answers = answers
        self.visited: set[str] = set()
        self.current_step: str | None = None
        self._start = start
        self._rules: tuple[RuleResult, ...] | None = None

    # --- texts and state -------------------------------------------------------
    def t(self, key: str, **fields) -> str:
        return self.ui(key, self.lang, **fields)

    @property
    def edition(self) -> Edition:
        if self._edition is None:
            from wizard.content import load_edition

            self._edition = load_edition(self._edition_id)
        return self._edition

    def brief(self, field: str) -> str:
        """An edition text for the welcome screen, without loading the whole edition."""
        if self._edition is not None:
            return getattr(self._edition.info, field)(self.lang)
        nl, en = load_brief(self._edition_id)[field]
        return nl if self.lang == "nl" else en

    @property
    def answers(self) -> Answers:
        if self._answers is None:
            from wizard.answers import Answers

            self._answers = Answers(edition=self.edition.id)
        return self._answers

    @answers.setter
    def answers(self, value: Answers) -> None:
        self._answers = value

    @property
    def rules(self) -> tuple[RuleResult, ...]:
        if self._rules is None:
            from wizard.engine import evaluate_rules

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
        if step == "summary" or self._answers is None:
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
    from wizard.texts import available_editions, load_ui

    lang = default_lang(args.lang)
    try:
        ui = load_ui()
        load_brief(args.edition)  # validates the edition (or finds it validated) before the TUI starts
    except KeyError:
        print(f"partnership-wizard: unknown edition '{args.edition}' (available: {', '.join(available_editions())})",
              file=sys.stderr)
        return 2
    except Exception as exc:  # ContentError: the content is broken, say where
        problems = getattr(exc, "problems", [str(exc)])
        print(f"partnership-wizard: content error: {problems[0]}", file=sys.stderr)
        return 2
    WizardApp(None, ui, lang, edition_id=args.edition).run()
    return 0
