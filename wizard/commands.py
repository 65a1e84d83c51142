"""The command palette's commands (Ctrl+P): the app's own list, found in the user's language.

Textual's fuzzy score alone lists "Partnership type" above "Partners" when the user types
"Partners"; here a command whose word is the query, or starts with it, comes first. When
nothing matches, the palette says so in the user's language (Textual's own message is
English only).
"""
from __future__ import annotations

import re

from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from wizard.widgets.guards import ClosesOnce


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


class WizardPalette(ClosesOnce, CommandPalette):
    """Textual's palette, closed once (Esc and a click on the background together closed the step below)."""


class LocalPalette:
    """For the app: Textual's palette with these commands, its prompt in the user's language."""

    COMMANDS = {WizardCommands}

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(WizardPalette(placeholder=self.t("cmd.placeholder"), id="--command-palette"))
