"""The command palette's commands (Ctrl+P): the app's own list, found in the user's language.

Textual's fuzzy score alone lists "Partnership type" above "Partners" when the user types
"Partners"; here a command whose word is the query, or starts with it, comes first. When
nothing matches, the palette says so in the user's language (Textual's own message is
English only).
"""
from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.command import (CommandInput, CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider,
                             SearchIcon)
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Mount
from textual.widgets import Button, Input, LoadingIndicator

from wizard.widgets.guards import ClicksRowsThatExist, ClosesOnce


def rank(query: str, name: str, fuzzy: float) -> float:
    """Exact word matches first, then word prefixes, then the fuzzy rest (Textual scores well below 10 000)."""
    q = query.casefold().strip()
    words = re.findall(r"\w+", name.casefold())
    if q and (q in words or name.casefold().endswith(q)):
        return 20_000 + fuzzy
    if q and any(w.startswith(q) for w in words):
        return 10_000 + fuzzy
    return fuzzy


class WizardCommands(Provider):
    async def discover(self) -> Hits:
        for name, help_text, callback, discover in self.app.get_system_commands(self.screen):
            if discover:
                yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        found = False
        for name, help_text, callback, *_ in self.app.get_system_commands(self.screen):
            if (score := matcher.match(name)) > 0:
                found = True
                yield Hit(rank(query, name, score), matcher.highlight(name), callback, text=name, help=help_text)
        if not found and query.strip():
            text = self.app.t("cmd.no_matches")
            yield Hit(0.001, Content(text).stylize("dim"), lambda: None, text=text)


class ResultList(ClicksRowsThatExist, CommandList):
    """The palette's results: a click on a result that was replaced as the user typed clicks nothing."""


class WizardPalette(ClosesOnce, CommandPalette):
    """Textual's palette, closed once (Esc and a click on the background together closed the step
    below), with a result list that ignores a click on a result that is gone."""

    def __init__(self, placeholder: str, **kwargs) -> None:
        super().__init__(placeholder=placeholder, **kwargs)
        self.placeholder = placeholder

    # Textual's palette searches in a worker that first looks up its result list, and ends the
    # app when that fails (NoMatches). A search started by a palette that is closed already runs
    # on a palette taken apart: it starts when the palette is mounted (its own handler, after
    # these) or when the text changes (a key typed just before Esc). Once closed, neither starts;
    # a search already on its way is called off when it closes (ClosesOnce, WizardApp.close_top).
    def closed(self) -> bool:
        return self not in self.app.screen_stack

    def on_mount(self, event: Mount) -> None:
        if self.closed():  # closed as it opened: a step or the language chosen in the same moment
            event.prevent_default()

    @on(Input.Changed)
    def no_search_once_closed(self, event: Input.Changed) -> None:
        if self.closed():
            event.prevent_default()
            event.stop()

    def compose(self) -> ComposeResult:  # Textual's, with ResultList for CommandList
        with Vertical(id="--container"):
            with Horizontal(id="--input"):
                yield SearchIcon()
                yield CommandInput(placeholder=self.placeholder, select_on_focus=False)
                if not self.run_on_select:
                    yield Button("\u25b6")
            with Vertical(id="--results"):
                yield ResultList()
                yield LoadingIndicator()


class LocalPalette:
    """For the app: Textual's palette with these commands, its prompt in the user's language."""

    COMMANDS = {WizardCommands}

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(WizardPalette(placeholder=self.t("cmd.placeholder")))  # no id: the one closing may still hold it
