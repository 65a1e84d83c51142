"""The Textual app: shows a Session (the plan, the language, the steps) one step screen at a time."""
from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.signal import Signal

from wizard.commands import LocalPalette
from wizard.widgets.guards import no_room_to_page, take_down
from wizard.screens import steps
from wizard.session import Session, StartOptions
from wizard.texts import STEPS, Ui

if TYPE_CHECKING:  # the engine, answers and pydantic load on first use, not at start-up
    from wizard.answers import Answers
    from wizard.content import Edition


def presentation_theme():
    """High contrast for a washed-out projector: pure black, white text, strong accents."""
    from textual.theme import Theme

    return Theme(
        name="presentation", primary="#FFD21F", secondary="#5FD7FF", accent="#5FD7FF", warning="#FFB000",
        error="#FF6B6B", success="#4CFF7A", foreground="#FFFFFF", background="#000000", surface="#000000",
        panel="#262626", boost="#303030", dark=True, luminosity_spread=0.1, text_alpha=1.0,
    )


THEMES = {"default": "textual-dark", "presentation": "presentation"}


class WizardApp(LocalPalette, App[None]):
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
    WARM_UP_AFTER: float | None = 0.1  # seconds after the first paint (settled by then): load what next steps need
    FREEZE_BUILT = False  # gc.freeze what is built: only in a process that ends with the app (steps.freeze_built)
    PREBUILD_PAUSE = 0.05  # seconds between two screens built in the background: keys go first
    READING = 0.5  # seconds a step is on show before the build goes on past the step after it (steps.Reading)

    def __init__(self, options: StartOptions | None = None, ui: Ui | None = None) -> None:
        super().__init__()
        self.options = options or StartOptions()
        self.session = Session(self.options, ui)
        self.ui = self.session.ui
        self.answers_changed = Signal(self, "answers-changed")  # published after every change to the plan

    # --- the session, as the screens read it ------------------------------------------------
    def t(self, key: str, **fields) -> str:
        return self.session.t(key, **fields)

    @property
    def lang(self) -> str:
        return self.session.lang

    @property
    def edition(self) -> Edition:
        return self.session.edition

    @property
    def answers(self) -> Answers:
        return self.session.answers

    @answers.setter
    def answers(self, value: Answers) -> None:
        self.session.answers = value

    @property
    def current_step(self) -> str | None:
        return self.session.current_step

    def update_answers(self, **changes) -> None:
        """Change the plan (validated); the screen on show and its step indicator re-check."""
        self.session.update(**changes)
        self.answers_changed.publish(self.session.answers)

    def on_mount(self) -> None:
        options = self.options
        self.register_theme(presentation_theme())
        self.set_presentation(options.theme == "presentation")
        if options.demo:
            self.open_demo(options.demo, navigate=False)
        self.goto(options.start or self.session.first_step_needing_attention())
        for notice in options.notices:
            self.notify(notice, markup=False, timeout=12)
        if self.session.autosave:
            self.set_interval(self.AUTOSAVE_EVERY, self.flush_autosave)
        self.call_after_refresh(steps.first_paint_done, self)  # the warm-up, while the user reads
        if options.dropped or options.resume is not None:  # a question first
            from wizard.screens.dialogs import ask_at_start

            self.call_after_refresh(ask_at_start, self)

    async def on_event(self, event: events.Event) -> None:
        """A key the screen on show refuses (StepScreen.refuses_key: the window is too small) is
        stopped here, as a key goes to the focused widget before its screen sees it. Nor does
        Page Up/Down reach a list with no room for a page (see no_room_to_page)."""
        if isinstance(event, events.Key) and (
                getattr(self.screen, "refuses_key", None) and self.screen.refuses_key(event.key)
                or no_room_to_page(self, event)):
            event.stop()
            self.bell()
            return
        if isinstance(event, events.Key) and not event.is_forwarded:
            event.typed_on = self.screen  # see on_key
        await super().on_event(event)

    def on_key(self, event: events.Key) -> None:
        """A key no widget took comes back to the app, which runs its binding on the screen on
        top *then*: Tab typed just before Ctrl+Q moved the focus in the quit question to "Yes",
        and the Enter after it quit (found by the TUI fuzz test). A key acts on the screen it
        was typed on, or not at all."""
        if getattr(event, "typed_on", self.screen) is not self.screen:
            event.prevent_default()

    # --- keeping the plan -------------------------------------------------------------------------
    def flush_autosave(self) -> None:
        """Write the plan to the autosave file if it changed, and say what the user should know."""
        for message, severity, seconds in self.session.flush_autosave():
            self.notify(message, severity=severity, markup=False, timeout=seconds)

    def action_save_as(self) -> None:
        from wizard.screens.dialogs import save_file

        save_file(self, self.t("save.title_answers"), "partnership-plan.json", self.answers.to_json)

    def export(self, fmt: str) -> None:
        """The verdict as `check --format markdown|json` prints it for the same answers."""
        from wizard.screens.dialogs import save_file
        from wizard.engine import evaluate
        from wizard.report import render

        name = "partnership-verdict.md" if fmt == "markdown" else "partnership-verdict.json"
        save_file(self, self.t(f"save.title_{fmt}"), name,
                  lambda: render(evaluate(self.answers, self.edition, self.lang), self.edition, self.ui, fmt, self.answers))

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
        self.session.open_plan(parse_answers(demo.answers, self.edition, self.lang, None), autosave=False)
        self.notify(self.t("demo.opened", title=demo.title(self.lang)), markup=False, timeout=8)
        if navigate:
            self.goto(self.session.first_step_needing_attention())

    def action_demos(self) -> None:
        from wizard.screens.dialogs import DemoPicker

        self.push_screen(DemoPicker(), lambda name: self.open_demo(name) if name else None)

    # --- navigation ---------------------------------------------------------------------------------
    def goto(self, step: str) -> None:
        """Show a step. Each step screen is built once per language and kept: showing it
        again costs a fraction of building it (see StepScreen.show_again)."""
        self.session.visit(step)
        screen = steps.step_screen(self, step)
        self.close_dialogs()
        if screen in self.screen_stack:  # shown already (an example plan opened on this step)
            while self.screen is not screen:
                self.close_top()
            if screen.is_mounted:  # else it shows the plan when it is mounted (a step chosen twice at once)
                screen.show_again()
        elif len(self.screen_stack) <= 1:  # only the mode's blank base screen: the first step
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def close_dialogs(self) -> None:
        """Take down what is open above the step (a dialog, the palette), for a step or language
        chosen while it is open: the step is switched, not put on top of it."""
        from wizard.screens.base import StepScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, StepScreen):
            self.close_top(forget=True)

    def close_top(self, forget: bool = False) -> None:
        """Take down the screen on top and the work it still has running (see guards.take_down)."""
        take_down(self.screen, self.pop_screen, forget)

    def action_goto(self, step: str) -> None:
        """Clicking a step in the step indicator."""
        if step in STEPS:
            self.goto(step)

    # --- actions --------------------------------------------------------------------------------------
    def action_help(self) -> None:
        from wizard.screens.dialogs import HelpScreen

        if not isinstance(self.screen, HelpScreen) and self.current_step:
            self.push_screen(HelpScreen(self.current_step))

    def action_switch_language(self) -> None:
        from wizard.screens.dialogs import Confirm

        if any(isinstance(s, Confirm) for s in self.screen_stack):
            self.bell()  # a question is waiting for an answer; it keeps its language until then
            return
        self.show_changed(self.session.switch_language)

    def switch_edition(self, edition_id: str, carry: bool = True) -> None:
        """Check the plan against another call (on its own step screens); say what is dropped."""
        self.show_changed(lambda: self.session.switch_edition(edition_id, carry))

    def show_changed(self, change) -> None:
        """Change the language or the call, show the step on show again, build the others after."""
        step, told = self.current_step, change()
        self.ui = self.session.ui
        if told:
            self.notify(told, markup=False, timeout=20)
        self.close_dialogs()
        if step:
            self.goto(step)
        steps.in_background(self, steps.prebuild)

    async def action_quit(self) -> None:
        from wizard.screens.dialogs import ConfirmQuit

        if isinstance(self.screen, ConfirmQuit):
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.flush_autosave()
                self.exit()

        self.push_screen(ConfirmQuit(self, self.t("quit.demo_unsaved") if self.session.example_changed() else None), done)

    COMMANDS_LIST = [("language", "action_switch_language"), ("save_as", "action_save_as"), ("demo", "action_demos"),
                     ("theme", "action_toggle_presentation"), ("export_md", "export:markdown"),
                     ("export_json", "export:json"), ("help", "action_help"), ("quit", "action_quit")]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for step in STEPS:
            yield SystemCommand(self.t("cmd.goto", title=self.t(f"step.long.{step}")), self.t("cmd.goto_help"),
                                partial(self.goto, step))
        for key, target in self.COMMANDS_LIST:
            method, _, argument = target.partition(":")
            callback = partial(getattr(self, method), argument) if argument else getattr(self, method)
            yield SystemCommand(self.t(f"cmd.{key}"), self.t(f"cmd.{key}_help"), callback)
