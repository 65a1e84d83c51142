"""What every step screen shares: the step indicator, the body, the problems, Back/Next."""
from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Static

from typing import TYPE_CHECKING

from wizard.widgets.keybar import KeyBar
from wizard.widgets.stepper import Stepper

if TYPE_CHECKING:
    from wizard.engine import RuleResult


def status_line(app, r: RuleResult) -> Content:
    """A rule result as plain text: symbol and words, never colour alone. User text stays literal."""
    return Content(f"{app.t('status.' + r.status)} — {r.title}: {r.message}")


class StepScreen(Screen):
    """Base class of the wizard steps. Subclasses set ``step`` and implement ``compose_body``."""

    step: str = ""
    BINDINGS = [Binding("escape", "back", "Back"), Binding("ctrl+n", "next", "Next")]
    # focus_first() places the cursor when the step is shown; Textual's own pick (the first
    # focusable widget, the scrolling body) would restyle the whole body on focus and again on blur
    AUTO_FOCUS = ""
    FOCUS_FOR_RULE: dict[str, str] = {}
    LIVE_EXCLUDE: set[str] = set()  # rules shown only after Next (the screen shows them otherwise)

    def __init__(self) -> None:
        super().__init__(classes=f"step step-{self.step}")
        self._warned = False
        self._show_missing = False

    def t(self, key: str, **fields) -> str:
        return self.app.t(key, **fields)

    TOO_SMALL = ("-too-narrow", "-too-short")  # the size classes that show "make the window larger"

    def refuses_key(self, key: str) -> bool:
        """While the "make the window larger" message shows, nothing behind it takes a key: not
        the hidden list (Page Down there fails inside Textual), not Esc or Ctrl+N (the step
        would change unseen), not the palette. Ctrl+Q still quits."""
        return key != "ctrl+q" and any(self.has_class(c) for c in self.TOO_SMALL)

    def compose(self) -> ComposeResult:
        self._styled_for = self.style_context()  # the widgets are styled as they are mounted
        yield Stepper(self.step)
        with VerticalScroll(id="body"):
            yield from self.compose_body()
        with VerticalScroll(id="problems-box"):
            yield Static(id="problems")
        with Horizontal(id="nav"):
            yield Button(self.t("nav.back"), id="back", variant="default", compact=True)
            yield Static(id="nav-spacer")
            yield Button(self.next_label(), id="next", variant="primary", compact=True)
        yield KeyBar()
        yield Static(Content(self.t("too_small")), id="too-small")

    def compose_body(self) -> ComposeResult:
        yield from ()

    def note(self, place: str) -> Static:
        """The help.yaml note for this place (a sentence of the seed page), hidden if none."""
        note = self.app.edition.help.notes.get(place)
        box = Static(Content(note.text(self.app.lang)) if note else "", id=f"note-{place}", classes="para hint")
        box.display = note is not None
        return box

    def next_label(self) -> str:
        to_summary = self.step == "activities" or self.app.session.return_to_summary
        return self.t("nav.to_summary") if to_summary else self.t("nav.next")

    def show_next_label(self) -> None:
        button = self.query_one("#next", Button)
        if str(button.label) != self.next_label():
            button.label = self.next_label()
            button.refresh(layout=True)  # a longer label needs a wider button

    def onward(self, step: str) -> str:
        """Where Next and Back lead: after an edit chosen on the summary, back to the summary."""
        return "summary" if self.app.session.return_to_summary and self.step != "summary" else step

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if (action == "back" and self.step == "welcome") or (action == "next" and self.step == "summary"):
            return False
        return True

    # --- built once, shown many times ----------------------------------------------------
    # A step screen is built once per language and kept (see WizardApp.goto): building one
    # costs far more than showing it again. Each time it is shown it shows the current plan.
    _visit = -1  # the session's visit this screen last showed (see Session.visit)

    def on_mount(self) -> None:
        if not (self.app.is_running and self.is_attached):
            return  # built in the background and the app closed meanwhile: nothing to show
        self._visit = self.app.session.visits
        self.app.answers_changed.subscribe(self, self._on_answers_changed)  # not immediate: errors are reported
        if self.step == "welcome":
            self.query_one("#back").display = False
        self.prepare()
        self.sync()
        self.show_next_label()
        self.refresh_problems()
        self.focus_first()

    def on_resize(self, event) -> None:
        self.call_after_refresh(self.fit_lists)

    def fit_lists(self) -> None:
        """A long list of choices (sectors, types) takes the rows the body leaves below it,
        instead of a fixed height that clips its last line while empty rows sit below."""
        if not self.is_attached:
            return
        body = self.query_one("#body")
        for choices in self.query("ChoiceList.choices"):
            if choices.has_class("compact"):
                continue
            room = body.region.bottom - (choices.region.y - int(body.scroll_y)) - 1
            if room > 0 and body.region.height:
                choices.styles.max_height = max(6, room)

    def on_screen_suspend(self) -> None:
        """A dialog opened over this step: the key bar shows the keys that act there."""
        self.refresh_keys()

    def refresh_keys(self) -> None:
        """The key bar shows the keys that act now. A screen taken apart (or not built yet) has
        none: NoMatches ended the app once (TUI fuzz test, seed 38 of 300 events; not seen again
        after the keys typed on another screen stopped acting on this one)."""
        for bar in self.query(KeyBar):
            bar.refresh_keys()

    _styled_for: tuple = ()  # what the screen's styles were last worked out for (see style_context)

    def style_context(self) -> tuple:
        """What a step screen's styles depend on beyond the screen itself: the app's CSS as parsed
        (a new list when a theme or a widget's CSS comes in), the app's classes (-presentation)
        and pseudo-classes (:dark, :focus ...)."""
        app = self.app
        return app.stylesheet.rules, app.classes, app.pseudo_classes

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Shown again after other steps (not after a dialog closed over it: then everything,
        a half-filled form too, stays as it was). Textual works the styles of every widget out
        again when a screen is shown (half the time of a step change); not when nothing they
        depend on changed since they were (a widget whose classes or focus change is restyled
        by Textual then)."""
        context, before = self.style_context(), self._styled_for
        if before and context[0] is before[0] and context[1:] == before[1:]:
            event.refresh_styles = False
        self._styled_for = context
        if not self.is_current:
            return  # laid out while it is not shown (steps.lay_out; it may be taken apart meanwhile)
        self.refresh_keys()
        if self.is_mounted and self._visit != self.app.session.visits:
            self.show_again()

    def show_again(self) -> None:
        self._visit = self.app.session.visits
        self._warned = self._show_missing = False
        self.query_one(Stepper).refresh_states()
        self.sync()
        self.show_next_label()
        self.refresh_problems()
        self.focus_first()

    def prepare(self) -> None:
        """Once, after the screen is built."""

    def sync(self) -> None:
        """Show the current plan in the widgets compose_body built."""

    def focus_first(self) -> None:
        """Where the cursor goes when the step is shown."""
        self.query_one("#next").focus()

    # --- state changes ----------------------------------------------------------------
    def _on_answers_changed(self, answers) -> None:
        if self.is_current:  # the others show the plan when they are shown again
            self.answers_changed()

    def answers_changed(self) -> None:
        """After every change to the plan, on the screen on show: re-check this step and the indicator."""
        self._warned = False
        self.query_one(Stepper).refresh_states()
        self.refresh_problems()

    def visible_problems(self) -> list[RuleResult]:
        if self.step == "welcome":
            return []
        # live: what is wrong; after Next: also what is missing and what to check
        if self._show_missing:
            return [r for r in self.app.session.step_rules(self.step) if r.status in ("fail", "missing", "check")]
        return [r for r in self.app.session.step_rules(self.step) if r.status == "fail" and r.id not in self.LIVE_EXCLUDE]

    def refresh_problems(self, extra: str | None = None) -> None:
        problems = self.visible_problems()
        widget = self.query_one("#problems", Static)
        lines = [status_line(self.app, r) for r in problems]
        if extra:  # what to do comes first: the box may need scrolling
            lines.insert(0, Content(extra).stylize("bold"))
        widget.update(Content("\n").join(lines) if lines else "")
        box = self.query_one("#problems-box")
        box.display = bool(lines)
        box.set_class(any(r.status in ("fail", "missing") for r in problems), "-bad")

    # --- navigation ----------------------------------------------------------------------
    # Textual calls the handlers of every class in the MRO: subclasses handle their own
    # buttons with on_button_pressed, and these two stay here.
    @on(Button.Pressed, "#next")
    def _next_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_next()

    @on(Button.Pressed, "#back")
    def _back_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_back()

    def action_back(self) -> None:
        if self.step != "welcome":
            self.app.goto(self.onward(self.app.session.previous_step(self.step)))

    def choose(self, field: str, value: str | None) -> None:
        """A single choice made, or made again: keep it (if it changed) and move to Next,
        so that Enter, then Enter again, goes on."""
        if getattr(self.app.answers, field) != value:
            self.app.update_answers(**{field: value})
        self.query_one("#next").focus()

    def blocking(self) -> list[RuleResult]:
        return [r for r in self.app.session.step_rules(self.step) if r.status in ("fail", "missing")]

    def action_next(self) -> None:
        problems = self.blocking()
        if problems and not self._warned:
            self._warned = True
            self._show_missing = True
            self.query_one("#problems-box").scroll_home(animate=False)
            self.refresh_problems(self.t("nav.continue_anyway"))
            self.focus_for(problems[0].id)
            self.app.bell()
            return
        self.app.goto(self.onward(self.app.session.next_step(self.step)))

    def focus_for(self, rule_id: str) -> None:
        selector = self.FOCUS_FOR_RULE.get(rule_id)
        if selector:
            try:
                widget: Widget = self.query_one(selector)
            except Exception:
                return
            if widget.focusable:
                widget.focus()
            widget.scroll_visible(animate=False)
