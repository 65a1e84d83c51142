"""Small typed dialogs: help for a step, and the quit confirmation."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "close", show=False), Binding("f1", "close", show=False)]

    def __init__(self, step: str) -> None:
        super().__init__(classes="dialog")
        self.step = step

    def compose(self) -> ComposeResult:
        app = self.app
        with Vertical(id="dialog"):
            yield Static(Content(app.t("help.title", title=app.t(f"step.long.{self.step}"))), classes="dialog-title")
            with VerticalScroll(id="help-body"):
                for para in app.edition.help.steps[self.step](app.lang).split("\n"):
                    yield Static(Content(para), classes="para")
            yield Button(app.t("help.close"), id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class ConfirmQuit(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "stay", show=False)]

    def compose(self) -> ComposeResult:
        app = self.app
        with Vertical(id="dialog", classes="small"):
            yield Static(Content(app.t("quit.question")), classes="dialog-title")
            with Horizontal(classes="buttons"):
                yield Button(app.t("quit.no"), id="no", variant="primary")
                yield Button(app.t("quit.yes"), id="yes", variant="error")

    def on_mount(self) -> None:
        self.query_one("#no").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_stay(self) -> None:
        self.dismiss(False)
