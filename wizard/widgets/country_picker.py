"""The country field: a closed line showing the chosen country that opens a list to filter
by typing. Typing on the closed field opens it with what was typed; a country code (also
EL and UK, the codes Erasmus+ uses) finds its country first, then names that start with the
text, then names with a word that does, then the rest; among equal matches the programme
(associated) countries come first, then the order of the user's language.

Keys: Enter, Space or Down opens the list; Up/Down/PageUp/PageDown move; Enter chooses; Esc
closes the list and keeps the typed text for the next opening. A choice keeps the focus on
the field (Tab goes on to the next one)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from wizard.texts import fold, sort_key


@dataclass(frozen=True)
class Country:
    code: str  # the value chosen (ISO 3166-1 alpha-2)
    name: str  # in the user's language
    label: str  # as the list shows it
    codes: tuple[str, ...] = ()  # every code that finds it: its own and its aliases (EL, UK)
    group: int = 0  # among equal matches, lower first (programme countries before the others)
    # worked out once, not for every country on every key typed
    key: tuple[str, str] = field(init=False, repr=False, compare=False)  # its place in name order
    words: tuple[str, ...] = field(init=False, repr=False, compare=False)  # the words of the folded name

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", sort_key(self.name))
        object.__setattr__(self, "words", tuple(_WORDS.split(self.key[0])))


_WORDS = re.compile(r"[^\w']+")


def find(query: str, countries: list[Country]) -> list[Country]:
    """The countries the text finds, best first (all of them, in name order, for no text)."""
    q = fold(query).strip()
    if not q:
        return sorted(countries, key=lambda c: c.key)
    code = q.upper()
    found = []
    for c in countries:
        name = c.key[0]
        if code in c.codes:
            kind = 0
        elif name.startswith(q):
            kind = 1
        elif q not in name:
            continue
        elif any(word.startswith(q) for word in c.words):
            kind = 2
        else:
            kind = 3
        found.append((kind, c.group, c.key, c))
    found.sort(key=lambda hit: hit[:3])
    return [hit[-1] for hit in found]


class CountryPicker(Widget, can_focus=True):
    DEFAULT_CSS = """
    CountryPicker {
        height: auto;
        width: 1fr;
        background: $surface;
        & > #current {
            width: 1fr;
            height: 1;
            color: $foreground 50%;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
        & > #arrow {
            dock: right;
            width: 3;
            height: 1;
            padding: 0 1;
            color: $foreground 50%;
        }
        &.-expanded > #arrow {
            display: none;
        }
        &.-has-value > #current {
            color: $foreground;
        }
        &:focus {
            background-tint: $foreground 5%;
        }
        & > #drop {
            display: none;
            overlay: screen;
            constrain: none inside;
            width: 1fr;
            height: auto;
            border: tall $border;
            background: $surface;
        }
        &.-expanded > #drop {
            display: block;
        }
        & #matches {
            height: auto;
            max-height: 10;
            border: none;
            padding: 0;
            background: $surface;
        }
    }
    """
    BINDINGS = [
        Binding("enter,space", "open", "Open", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("pagedown", "move(8)", "Page down", show=False),
        Binding("pageup", "move(-8)", "Page up", show=False),
        Binding("escape", "dismiss", "Close the list"),
    ]

    value: var[str | None] = var(None, init=False)
    expanded: var[bool] = var(False, init=False)

    class Changed(Message):
        """The chosen country changed (also when set from code, as a Select does)."""

        def __init__(self, picker: CountryPicker, value: str | None) -> None:
            super().__init__()
            self.picker = picker
            self.value = value

        @property
        def control(self) -> CountryPicker:
            return self.picker

    def __init__(self, countries: list[Country], *, prompt: str, placeholder: str, no_match: Callable[[str], str],
                 id: str | None = None, classes: str | None = None) -> None:
        """``no_match(text)`` is the line shown when the text finds nothing."""
        super().__init__(id=id, classes=classes)
        self.countries = {c.code: c for c in countries}
        self.prompt = prompt
        self.placeholder = placeholder
        self.no_match = no_match
        self._shown: list[Country] = []  # the options on the list, in order

    def compose(self) -> ComposeResult:
        yield Static("▼", id="arrow")
        yield Static(self.prompt, id="current", markup=False)
        with Vertical(id="drop"):
            yield Input(id="filter", compact=True, placeholder=self.placeholder, select_on_focus=False)
            matches = OptionList(id="matches", compact=True)
            matches.can_focus = False  # the typing stays in the filter
            yield matches

    # --- the value ------------------------------------------------------------------------
    def watch_value(self, value: str | None) -> None:
        if value is not None and value not in self.countries:
            raise ValueError(f"unknown country code {value!r}")
        self.query_one("#current", Static).update(self.prompt if value is None else Content(self.countries[value].label))
        self.set_class(value is not None, "-has-value")
        self.post_message(self.Changed(self, value))

    def clear(self) -> None:
        self.value = None
        self.query_one("#filter", Input).value = ""

    # --- opening and closing --------------------------------------------------------------
    def watch_expanded(self, expanded: bool) -> None:
        self.set_class(expanded, "-expanded")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "dismiss":
            return self.expanded  # closed, Esc is the screen's
        if action == "open":
            return not self.expanded  # open, Enter chooses (the filter's own key)
        return True

    def open(self, text: str | None = None) -> None:
        """Open the list, filtered by ``text`` (by the text kept from last time when None)."""
        field = self.query_one("#filter", Input)
        if text is not None:
            field.value = text
        self.expanded = True
        self._filter(field.value)
        field.focus()
        field.cursor_position = len(field.value)

    def action_open(self) -> None:
        self.open()

    def action_dismiss(self) -> None:
        """Close the list; what was typed stays for the next opening."""
        self.expanded = False
        self.focus()

    def action_move(self, by: int) -> None:
        if not self.expanded:
            self.open()
            return
        matches = self.query_one("#matches", OptionList)
        if not self._shown:
            return
        current = matches.highlighted if matches.highlighted is not None else -by
        matches.highlighted = max(0, min(len(self._shown) - 1, current + by))

    def on_key(self, event: events.Key) -> None:
        """A letter or digit typed on the closed field opens the list with it (a key typed
        before the focus has moved into the open list goes there too)."""
        if not self.has_focus or not event.is_printable or event.character is None:
            return
        if not self.expanded and event.character != " ":
            event.stop()
            event.prevent_default()
            self.open(event.character)
        elif self.expanded:
            event.stop()
            event.prevent_default()
            self.query_one("#filter", Input).insert_text_at_cursor(event.character)

    def on_click(self, event: events.Click) -> None:
        """A click on the closed field opens the list (clicks in the list choose)."""
        if not self.expanded and event.widget is not None and self.query_one("#drop") not in event.widget.ancestors_with_self:
            event.stop()
            self.open()

    def on_focus(self) -> None:
        if self.expanded:  # a click on the list: the typing stays in the filter
            self.query_one("#filter", Input).focus()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.call_after_refresh(self._close_if_left)

    def _close_if_left(self) -> None:
        focused = self.screen.focused if self.is_attached else None
        if self.expanded and (focused is None or self not in focused.ancestors_with_self):
            self.expanded = False

    # --- the list -------------------------------------------------------------------------
    def _filter(self, text: str) -> None:
        matches = self.query_one("#matches", OptionList)
        self._shown = find(text, list(self.countries.values()))
        if self._shown:
            matches.set_options([Option(Content(c.label)) for c in self._shown])
            index = 0
            if not text.strip() and self.value is not None:
                index = next(i for i, c in enumerate(self._shown) if c.code == self.value)
            matches.highlighted = index
        else:
            matches.set_options([Option(Content(self.no_match(text.strip())), disabled=True)])

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.expanded:
            self._filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        index = self.query_one("#matches", OptionList).highlighted
        if self._shown and index is not None:
            self._choose(self._shown[index])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self._shown):
            self._choose(self._shown[event.option_index])

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()

    def _choose(self, country: Country) -> None:
        self.query_one("#filter", Input).value = ""  # the next opening shows the whole list
        self.expanded = False
        self.focus()
        if self.value != country.code:
            self.value = country.code
