"""Small typed dialogs: help for a step, confirmations, and saving a file."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from wizard.widgets.guards import ClosesOnce


class InfoDialog(ClosesOnce, ModalScreen[None]):
    """A title, a scrolling body of paragraphs, and Close (Esc)."""

    AUTO_FOCUS = "#close"  # focused when shown
    BINDINGS = [Binding("escape", "close", "Close")]  # the key bar says it (key.close)

    def heading(self) -> str:
        raise NotImplementedError

    def body(self) -> ComposeResult:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content(self.heading()), classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield from self.body()
            yield Button(self.app.t("help.close"), id="close", variant="primary", compact=True)

    def on_resize(self, event) -> None:
        """The body scrolls within what the window leaves: Close always stays in view
        (the dialog is at most 90% high; its border, padding, title and button take 8 rows).
        A resize on its way as the dialog closes finds the body gone (NoMatches ended the app;
        found by the TUI fuzz test, seed 1 of 150 events)."""
        for body in self.query("#help-body"):
            body.styles.max_height = max(3, int(self.size.height * 0.9) - 8)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class HelpScreen(InfoDialog):
    """Help for one step, from the edition's content (F1 opens and closes it)."""

    BINDINGS = [Binding("f1", "close", show=False)]

    def __init__(self, step: str) -> None:
        super().__init__()
        self.step = step

    def heading(self) -> str:
        return self.app.t("help.title", title=self.app.t(f"step.long.{self.step}"))

    def body(self) -> ComposeResult:
        app = self.app
        for para in app.edition.help.steps[self.step](app.lang).split("\n"):
            yield Static(Content(para), classes="para")


class Confirm(ClosesOnce, ModalScreen[bool]):
    """A question with two answers; Esc means no. The safe answer has the focus."""

    BINDINGS = [Binding("escape", "no", "No")]

    def __init__(self, title: str, text: str | None, yes: str, no: str, *, yes_variant: str = "error",
                 focus_yes: bool = False) -> None:
        super().__init__()
        self.title_text, self.text, self.yes, self.no = title, text, yes, no
        self.yes_variant, self.focus_yes = yes_variant, focus_yes
        self.AUTO_FOCUS = "#yes" if focus_yes else "#no"  # the safe answer, focused when shown

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="small"):
            yield Static(Content(self.title_text), classes="dialog-title")
            if self.text:
                yield Static(Content(self.text), classes="para")
            with Horizontal(classes="buttons"):
                yield Button(self.no, id="no", variant="primary")
                yield Button(self.yes, id="yes", variant=self.yes_variant)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_no(self) -> None:
        self.dismiss(False)


class ConfirmQuit(Confirm):
    def __init__(self, app, text: str | None = None) -> None:
        super().__init__(app.t("quit.question"), text, app.t("quit.yes"), app.t("quit.no"))


class SaveDialog(ClosesOnce, ModalScreen[Path | None]):
    """Ask for a path and write ``text()`` there; never overwrite without asking; a failure
    is a sentence in the dialog, which stays open so that another place can be chosen."""

    AUTO_FOCUS = "#path"  # focused when shown
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, default_path: Path, text: Callable[[], str]) -> None:
        super().__init__()
        self.title_text = title
        self.default_path = default_path
        self.text = text

    def compose(self) -> ComposeResult:
        app = self.app
        with Vertical(id="dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield Static(Content(app.t("save.path")), classes="flabel")
            yield Input(value=str(self.default_path), id="path")
            yield Static(id="save-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button(app.t("save.save"), id="save", variant="primary")
                yield Button(app.t("save.cancel"), id="cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.attempt()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.attempt()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def error(self, message: str) -> None:
        self.query_one("#save-error", Static).update(Content("✗ " + message))
        self.query_one("#path").focus()
        self.app.bell()

    def attempt(self) -> None:
        app = self.app
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            return self.error(app.t("save.empty_path"))
        path = Path(raw)
        try:  # a name too long, a NUL, a folder we may not look into: a sentence, never a crash
            path = path.expanduser()
            is_dir, exists = path.is_dir(), path.exists()
        except (OSError, ValueError, RuntimeError) as exc:
            from wizard.storage import path_problem

            return self.error(app.t("save.failed", path=path, problem=path_problem(exc).describe(app.ui, app.lang)))
        if is_dir:
            return self.error(app.t("save.is_directory", path=path))
        if exists:
            def answered(yes: bool | None) -> None:
                if yes:
                    self.write(path)

            app.push_screen(Confirm(app.t("save.exists", path=path), None, app.t("save.overwrite"), app.t("save.keep")),
                            answered)
            return
        self.write(path)

    def write(self, path: Path) -> None:
        from wizard.storage import StorageError, write_atomic

        try:
            write_atomic(path, self.text())
        except StorageError as exc:
            return self.error(self.app.t("save.failed", path=path, problem=exc.describe(self.app.ui, self.app.lang)))
        self.app.notify(self.app.t("save.saved", path=path), markup=False)
        self.dismiss(path)


def save_file(app, title: str, filename: str, text: Callable[[], str]) -> None:
    """Save a file: a download when served in a browser, else a dialog asking where."""
    if app.is_web:
        import io

        app.deliver_text(io.StringIO(text()), save_filename=filename)
        app.notify(app.t("save.delivered", name=filename), markup=False)
        return
    app.push_screen(SaveDialog(title, Path.cwd() / filename, text))


class DemoPicker(ClosesOnce, ModalScreen[str | None]):
    """The example plans, each with its story and the verdict it leads to."""

    AUTO_FOCUS = "#demos"  # focused when shown
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        from wizard.widgets.choice_list import Choice, ChoiceList

        app = self.app
        choices = []
        for name, demo in app.edition.demos.items():
            verdict = app.t("demo.eligible" if demo.promise.eligible else "demo.not_eligible")
            choices.append(Choice(name, f"{demo.title(app.lang)} ({verdict})", demo.story(app.lang)))
        with Vertical(id="dialog"):
            yield Static(Content(app.t("demo.title")), classes="dialog-title")
            yield ChoiceList(choices, id="demos", classes="choices")
            with Horizontal(classes="buttons"):
                yield Button(app.t("save.cancel"), id="cancel")

    def on_choice_list_changed(self, event) -> None:
        event.stop()
        self.dismiss(event.choice_list.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class WhyScreen(InfoDialog):
    """"Says who?": the sources of one rule, with the sentence each one says."""

    def __init__(self, rule) -> None:
        super().__init__()
        self.rule = rule

    def heading(self) -> str:
        return self.app.t("why.title", title=self.rule.title)

    def body(self) -> ComposeResult:
        app = self.app
        yield Static(Content(self.rule.message), classes="para")
        yield Static(Content(app.t("why.intro")), classes="flabel")
        for ref in self.rule.references:
            text = Content(f"• {ref.title}\n").stylize("bold").append(Content(f"  {ref.url}\n").stylize("dim"))
            if ref.quote:
                text = text.append(Content("  " + app.t("why.quote", quote=f"“{ref.quote}”")))
                if ref.translation:
                    text = text.append(Content("\n  " + app.t("why.translation", text=f"“{ref.translation}”")).stylize("italic"))
            else:
                text = text.append(Content("  " + app.t("why.no_quote")).stylize("dim"))
            if ref.note:
                text = text.append(Content(f"\n  {ref.note}"))
            yield Static(text, classes="para")


# --- questions at start-up ------------------------------------------------------------------------
def ask_at_start(app) -> None:
    """The question at start (ids dropped from the plan given, or an autosaved plan to resume),
    asked in the wizard's own screen mode: its answer shows a step there, never while the
    background build moves the app into that mode."""
    from wizard.screens.steps import enter_own_mode

    options = app.options
    enter_own_mode(app)
    if options.dropped:
        confirm_dropped(app, options.dropped)
    else:
        offer_resume(app, options.resume)


def offer_resume(app, loaded) -> None:
    """An autosaved plan was found: continue it, or start a new one (the old one kept aside)."""
    from datetime import datetime

    from wizard.storage import autosave_path, move_aside

    session, a = app.session, loaded.answers
    try:
        date = datetime.fromtimestamp(autosave_path().stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    except OSError:
        date = "?"
    known = session.edition.sectors.get(a.sector or "")  # a plan of another call shows its sector id
    sector = known.name(session.lang) if known else (a.sector or app.t("resume.no_sector"))
    summary = app.t("resume.summary", sector=sector, count=len(a.partners or []))

    def chosen(cont: bool | None) -> None:
        if cont:
            if a.edition and a.edition != session.edition_id:
                app.switch_edition(a.edition, carry=False)  # the plan's own call
            session.open_plan(a)  # it is this plan now
            if loaded.dropped:
                confirm_dropped(app, loaded.dropped)
            else:
                app.goto(session.resume_step(a.step))
            return
        try:
            app.notify(app.t("autosave.kept_previous", path=move_aside(autosave_path(), "previous")), markup=False,
                       timeout=12)
        except OSError:
            pass
        session.protect_autosave = False

    app.push_screen(Confirm(app.t("resume.title"), app.t("resume.text", date=date, summary=summary),
                            app.t("resume.continue"), app.t("resume.new"), yes_variant="primary", focus_yes=True), chosen)


def confirm_dropped(app, dropped) -> None:
    """Ids the edition does not know were taken out of the plan: go on without them, or stop
    and leave every file as it was."""
    session = app.session

    def chosen(ok: bool | None) -> None:
        if ok:
            session.dirty = True
            app.goto(session.first_step_needing_attention())
        else:
            session.autosave = False  # leave every file as it was
            app.exit()

    app.push_screen(Confirm(app.t("drop.title"), app.t("drop.text", items=", ".join(dropped)),
                            app.t("drop.accept"), app.t("drop.decline"), yes_variant="primary"), chosen)
