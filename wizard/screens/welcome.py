"""Step 1: what the tool does and does not do, the language, the call (edition), start."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Button, Static

from wizard.screens.base import StepScreen
from wizard.brief import load_brief
from wizard.texts import available_editions, pick
from wizard.widgets.choice_list import Choice, ChoiceList


class WelcomeScreen(StepScreen):
    step = "welcome"

    def compose_body(self) -> ComposeResult:
        app = self.app
        yield Static(Content(self.t("welcome.heading")), classes="heading")
        yield Static(Content(self.t("welcome.what")), classes="para")
        yield Static(Content(self.t("welcome.language")), classes="label")
        yield ChoiceList([Choice("nl", self.t("lang.nl")), Choice("en", self.t("lang.en"))], app.lang,
                         id="language", classes="choices compact")
        yield Button(self.t("demo.button"), id="demos", compact=True)  # above the fold at 80×24
        editions = available_editions()
        if len(editions) > 1:  # the newest first: it is the default
            yield Static(Content(self.t("welcome.call")), classes="label")
            yield ChoiceList([Choice(e, pick(app.lang, *load_brief(e)["title"])) for e in reversed(editions)],
                             app.session.edition_id, id="edition", classes="choices compact")
        brief = app.session.brief
        yield Static(Content(f"{self.t('welcome.not')} {brief('disclaimer')}"), classes="para note")
        yield Static(Content(f"{brief('title')}: {brief('status_note')}"), classes="para note")
        yield Static(Content(self.t("welcome.keys")), classes="para hint")

    def next_label(self) -> str:
        return self.t("nav.start")

    def on_choice_list_changed(self, event: ChoiceList.Changed) -> None:
        event.stop()
        if event.choice_list.id == "edition":
            if event.choice_list.value and event.choice_list.value != self.app.session.edition_id:
                self.app.switch_edition(event.choice_list.value)
            else:
                self.query_one("#next").focus()
            return
        if event.choice_list.value != self.app.lang:
            self.app.action_switch_language()
        else:
            self.query_one("#next").focus()  # this language it is: Enter again starts

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "demos":
            event.stop()
            self.app.action_demos()
