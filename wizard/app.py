"""The Textual app: one App, one screen per wizard step, one Answers object it owns."""
from __future__ import annotations

import importlib
from collections.abc import Iterable
from functools import partial

from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from wizard.session import StartOptions
from wizard.texts import STEPS, Ui, load_brief, load_ui

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


def presentation_theme():
    """High contrast for a washed-out projector: pure black, white text, strong accents."""
    from textual.theme import Theme

    return Theme(
        name="presentation", primary="#FFD21F", secondary="#5FD7FF", accent="#5FD7FF", warning="#FFB000",
        error="#FF6B6B", success="#4CFF7A", foreground="#FFFFFF", background="#000000", surface="#000000",
        panel="#262626", boost="#303030", dark=True, luminosity_spread=0.1, text_alpha=1.0,
    )


THEMES = {"default": "textual-dark", "presentation": "presentation"}


class WizardApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Partnership Wizard"
    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (60, "-normal"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (16, "-tall"), (36, "-roomy")]
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("f2", "switch_language", "Language"),
        Binding("ctrl+s", "save_as", "Save as"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]
    AUTOSAVE_EVERY = 0.5  # seconds: a change is on disk at most this long after it
    WARM_UP_AFTER: float | None = 0.6  # seconds after start: load what the next steps need

    def __init__(self, options: StartOptions | None = None, ui: Ui | None = None) -> None:
        super().__init__()
        options = options or StartOptions()
        self._autosave = options.autosave
        self._dirty = False
        self._autosave_failed = False
        self._protect_autosave = options.autosave  # keep an older autosave the user did not resume
        self._resume = options.resume
        self._dropped = list(options.dropped)
        self._notices = list(options.notices)
        self._demo = options.demo
        self._theme_name = options.theme
        self._edition = options.edition
        self._edition_id = options.edition.id if options.edition is not None else options.edition_id
        self.ui = ui or load_ui()
        self.lang = options.lang
        self._answers = options.answers
        self.visited: set[str] = set()
        self.current_step: str | None = None
        self._start = options.start
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
        self._rules = None  # checked again when asked

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
        self._dirty = True
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
        self.register_theme(presentation_theme())
        self.set_presentation(self._theme_name == "presentation")
        if self._demo:
            self.open_demo(self._demo, navigate=False)
        self.goto(self._start or self.first_step_needing_attention())
        for notice in self._notices:
            self.notify(notice, markup=False, timeout=12)
        if self._autosave:
            self.set_interval(self.AUTOSAVE_EVERY, self.flush_autosave)
        if self.WARM_UP_AFTER is not None:
            self.set_timer(self.WARM_UP_AFTER, self._warm_up)  # while the user reads the first screen
        if self._dropped:
            self.call_after_refresh(self._confirm_dropped, self._dropped)
        elif self._resume is not None:
            self.call_after_refresh(self._offer_resume)

    # Heavy imports first, one per turn of the event loop: a key pressed meanwhile waits for
    # one of them at most, not for all of them (pydantic alone takes ~60 ms).
    WARM_UP_IMPORTS = ("pydantic_core", "annotated_types", "pydantic", "pydantic.types", "pydantic.main",
                       "wizard.content", "wizard.answers", "wizard.engine")

    def _warm_up(self) -> None:
        self.run_worker(self._warm_up_steps(), group="prebuild", exclusive=True)

    async def _warm_up_steps(self) -> None:
        """Load the edition and build the step screens before they are needed, so that the
        first step change does not pay for them (the welcome screen shows without them)."""
        import asyncio
        import gc

        for name in (*self.WARM_UP_IMPORTS, *(t.partition(":")[0] for t in SCREENS.values())):
            importlib.import_module(name)
            await asyncio.sleep(0)
        self.edition
        await asyncio.sleep(0)
        self.step_rules("sector")
        gc.freeze()  # the content lives as long as the app: out of the collector's full passes
        await self._prebuild()

    def _start_prebuild(self) -> None:
        self.run_worker(self._prebuild(), group="prebuild", exclusive=True)

    PREBUILD_PAUSE = 0.05  # seconds between two screens: keys pressed meanwhile are handled first
    MODE = "wizard"  # the screen mode the wizard is shown in (see goto)

    async def _prebuild(self) -> None:
        """Build the step screens one by one while the user reads the first one, so that no
        step is slow the first time it is shown. A screen built here is pushed onto the stack
        of Textual's default mode, which is never shown (the wizard runs in its own mode):
        it is composed and mounted there, not shown. Showing it later calls its show_again."""
        import asyncio
        import gc

        for step in STEPS:
            if not self.is_running or self.current_mode != self.MODE:
                return  # closing, or not started yet
            screen = self.step_screen(step)
            if screen.is_running:
                continue
            await self.push_screen(screen, mode=self.DEFAULT_MODE)
            await asyncio.sleep(self.PREBUILD_PAUSE)
        # Everything built so far lives as long as the app: keep it out of the garbage
        # collector's full passes, which otherwise cost tens of ms in the middle of a step change.
        gc.freeze()

    # --- keeping the plan -------------------------------------------------------------
    def flush_autosave(self) -> None:
        """Write the plan to the autosave file if it changed (atomically)."""
        if not (self._autosave and self._dirty):
            return
        from wizard.storage import StorageError, autosave_path, move_aside, write_atomic

        path = autosave_path()
        try:
            if self._protect_autosave and path.exists():
                kept = move_aside(path, "previous")
                self.notify(self.t("autosave.kept_previous", path=kept), markup=False, timeout=12)
            self._protect_autosave = False
            write_atomic(path, self.answers.to_json())
        except (StorageError, OSError) as exc:
            if not self._autosave_failed:
                err = exc if isinstance(exc, StorageError) else StorageError("other", str(exc))
                self.notify(self.t("autosave.failed", problem=err.describe(self.ui, self.lang)),
                            severity="error", markup=False, timeout=20)
            self._autosave_failed = True
            return
        self._dirty = False
        if self._autosave_failed:
            self._autosave_failed = False
            self.notify(self.t("autosave.works_again"), markup=False)

    # --- trainers ----------------------------------------------------------------------
    @property
    def presentation(self) -> bool:
        return self.has_class("-presentation")

    def set_presentation(self, on: bool) -> None:
        self.theme = THEMES["presentation" if on else "default"]
        self.set_class(on, "-presentation")

    def action_toggle_presentation(self) -> None:
        self.set_presentation(not self.presentation)

    def open_demo(self, name: str, navigate: bool = True) -> None:
        """Open an example plan: like an answers file, but the autosave stays untouched."""
        from wizard.answers import parse_answers

        demo = self.edition.demos[name]
        self._autosave = False  # a demo never overwrites the user's own autosave
        self._resume = None
        self.answers = parse_answers(demo.answers, self.edition, self.lang, None)
        self.notify(self.t("demo.opened", title=demo.title(self.lang)), markup=False, timeout=8)
        if navigate:
            self.goto(self.first_step_needing_attention())

    def action_demos(self) -> None:
        from wizard.screens.dialogs import DemoPicker

        def chosen(name: str | None) -> None:
            if name:
                self.open_demo(name)

        self.push_screen(DemoPicker(), chosen)

    def first_step_needing_attention(self) -> str:
        for step in STEPS[1:-1]:
            if any(r.status in ("fail", "missing") for r in self.step_rules(step)):
                return step
        return "summary"

    def _offer_resume(self) -> None:
        from datetime import datetime

        from wizard.screens.dialogs import Confirm
        from wizard.storage import autosave_path, move_aside

        loaded = self._resume
        a = loaded.answers
        try:
            date = datetime.fromtimestamp(autosave_path().stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        except OSError:
            date = "?"
        sector = self.edition.sectors[a.sector].name(self.lang) if a.sector else self.t("resume.no_sector")
        summary = self.t("resume.summary", sector=sector, count=len(a.partners or []))

        def chosen(cont: bool | None) -> None:
            if cont:
                self._protect_autosave = False  # it is this plan now
                self.answers = a
                if loaded.dropped:
                    self._confirm_dropped(loaded.dropped)
                else:
                    self.goto(self.first_step_needing_attention())
            else:
                try:
                    kept = move_aside(autosave_path(), "previous")
                    self.notify(self.t("autosave.kept_previous", path=kept), markup=False, timeout=12)
                except OSError:
                    pass
                self._protect_autosave = False

        self.push_screen(Confirm(self.t("resume.title"), self.t("resume.text", date=date, summary=summary),
                                 self.t("resume.continue"), self.t("resume.new"), yes_variant="primary", focus_yes=True),
                         chosen)

    def _confirm_dropped(self, dropped: list[str]) -> None:
        from wizard.screens.dialogs import Confirm

        def chosen(ok: bool | None) -> None:
            if ok:
                self._dirty = True
                self.goto(self.first_step_needing_attention())
            else:
                self._autosave = False  # leave every file as it was
                self.exit()

        self.push_screen(Confirm(self.t("drop.title"), self.t("drop.text", items=", ".join(dropped)),
                                 self.t("drop.accept"), self.t("drop.decline"), yes_variant="primary"), chosen)

    def save_text(self, title: str, filename: str, text) -> None:
        """Save a file: a download when served in a browser, else a dialog asking where."""
        if self.is_web:
            import io

            self.deliver_text(io.StringIO(text()), save_filename=filename)
            self.notify(self.t("save.delivered", name=filename), markup=False)
            return
        from pathlib import Path

        from wizard.screens.dialogs import SaveDialog

        self.push_screen(SaveDialog(title, Path.cwd() / filename, text))

    def action_save_as(self) -> None:
        self.save_text(self.t("save.title_answers"), "partnership-plan.json", self.answers.to_json)

    def export(self, fmt: str) -> None:
        """The verdict as `check --format markdown|json` prints it for the same answers."""
        from wizard.engine import evaluate
        from wizard.report import render

        def text() -> str:
            return render(evaluate(self.answers, self.edition, self.lang), self.edition, self.ui, fmt, self.answers)

        name = "partnership-verdict.md" if fmt == "markdown" else "partnership-verdict.json"
        self.save_text(self.t(f"save.title_{fmt}"), name, text)

    def goto(self, step: str) -> None:
        """Show a step. Each step screen is built once per language and kept: showing it
        again costs a fraction of building it (see StepScreen.show_again)."""
        if self.current_step is not None:
            self.visited.add(self.current_step)
        self.current_step = step
        screen = self.step_screen(step)
        if screen in self.screen_stack:  # shown already (an example plan opened on this step)
            while self.screen is not screen:
                self.pop_screen()
            screen.show_again()
            return
        screen.stale = screen.is_running  # a new one shows the plan when it is built
        if self.current_mode != self.MODE:  # the first step: the wizard's own mode starts (see _prebuild)
            self.add_mode(self.MODE, Screen)
            self.switch_mode(self.MODE)
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def step_screen(self, step: str) -> Screen:
        key = f"{step}-{self.lang}"
        if not self.is_screen_installed(key):
            module, _, name = SCREENS[step].partition(":")
            screen = getattr(importlib.import_module(module), name)()
            # the size classes the screen on show has: its styles are worked out once, not
            # again when it first learns the window size
            sizes = {name for _, name in self.HORIZONTAL_BREAKPOINTS + self.VERTICAL_BREAKPOINTS}
            screen.add_class(*(c for c in self.screen.classes if c in sizes))
            self.install_screen(screen, key)
        return self.get_screen(key)

    def action_goto(self, step: str) -> None:
        """Clicking a step in the step indicator."""
        if step in STEPS:
            self.goto(step)

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
        from wizard.screens.dialogs import Confirm

        if any(isinstance(s, Confirm) for s in self.screen_stack):
            self.bell()  # a question is waiting for an answer; it keeps its language until then
            return
        self.lang = "en" if self.lang == "nl" else "nl"
        self._rules = None
        from wizard.screens.base import StepScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, StepScreen):
            self.pop_screen()
        if self.current_step:
            step, self.current_step = self.current_step, None
            self.goto(step)
        if self.WARM_UP_AFTER is not None:
            self.set_timer(self.WARM_UP_AFTER, self._start_prebuild)  # the other steps in this language

    async def action_quit(self) -> None:
        from wizard.screens.dialogs import ConfirmQuit

        if isinstance(self.screen, ConfirmQuit):
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.flush_autosave()
                self.exit()

        self.push_screen(ConfirmQuit(self), done)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for step in STEPS:
            yield SystemCommand(self.t("cmd.goto", title=self.t(f"step.long.{step}")), self.t("cmd.goto_help"),
                                partial(self.goto, step))
        yield SystemCommand(self.t("cmd.language"), self.t("cmd.language_help"), self.action_switch_language)
        yield SystemCommand(self.t("cmd.save_as"), self.t("cmd.save_as_help"), self.action_save_as)
        yield SystemCommand(self.t("cmd.demo"), self.t("cmd.demo_help"), self.action_demos)
        yield SystemCommand(self.t("cmd.theme"), self.t("cmd.theme_help"), self.action_toggle_presentation)
        yield SystemCommand(self.t("cmd.export_md"), self.t("cmd.export_md_help"), partial(self.export, "markdown"))
        yield SystemCommand(self.t("cmd.export_json"), self.t("cmd.export_json_help"), partial(self.export, "json"))
        yield SystemCommand(self.t("cmd.help"), self.t("cmd.help_help"), self.action_help)
        yield SystemCommand(self.t("cmd.quit"), self.t("cmd.quit_help"), self.action_quit)
