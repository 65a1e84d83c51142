"""A list of choices with room for an explanation under each, and disabled choices that
say why. One widget for single choice (radio) and multiple choice (checkboxes)."""
from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from wizard.widgets.guards import ClicksRowsThatExist


@dataclass(frozen=True)
class Choice:
    id: str
    title: str
    description: str = ""
    disabled_reason: str | None = None  # shown disabled, with this reason
    note: str | None = None  # a caveat shown under the title (e.g. "to confirm")
    heading: bool = False  # a group title, not a choice


class ChoiceList(ClicksRowsThatExist, OptionList):
    BINDINGS = [Binding("space", "select", "Select", show=False)]

    class Changed(Message):
        def __init__(self, choice_list: ChoiceList) -> None:
            super().__init__()
            self.choice_list = choice_list

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    def __init__(self, choices: list[Choice], selected: list[str] | str | None = None, *, multiple: bool = False,
                 id: str | None = None, classes: str | None = None) -> None:
        self.choices = {c.id: c for c in choices}
        self.multiple = multiple
        self.selected = self._as_list(selected)
        super().__init__(*[self._option(c) for c in choices], id=id, classes=classes)

    @staticmethod
    def _as_list(selected: list[str] | str | None) -> list[str]:
        if selected is None:
            return []
        return [selected] if isinstance(selected, str) else list(selected)

    def set_choices(self, choices: list[Choice], selected: list[str] | str | None) -> None:
        """Show other choices or another selection (no message: nothing was chosen)."""
        selected = self._as_list(selected)
        choices_map = {c.id: c for c in choices}
        if choices_map == self.choices and selected == self.selected:
            return
        self.choices, self.selected = choices_map, selected
        self.set_options([self._option(c) for c in choices])
        if not self._highlight_selected() and self.option_count:
            self.action_first()  # as a new list does

    @property
    def value(self) -> str | None:
        return self.selected[0] if self.selected else None

    def _marker(self, chosen: bool) -> str:
        if self.multiple:
            return "[x] " if chosen else "[ ] "
        return "(•) " if chosen else "( ) "

    def _prompt(self, c: Choice) -> Content:
        if c.heading:
            return Content(c.title).stylize("bold underline")
        chosen = c.id in self.selected
        prompt = Content(self._marker(chosen)).append(Content(c.title).stylize("bold" if chosen else ""))
        if c.disabled_reason:
            prompt = prompt.append(Content(f"\n✗ {c.disabled_reason}"))
        if c.note:
            prompt = prompt.append(Content(f"\n? {c.note}"))
        if c.description:
            prompt = prompt.append(Content(f"\n{c.description}").stylize("dim"))
        return prompt

    def _option(self, c: Choice) -> Option:
        return Option(self._prompt(c), id=c.id,
                      disabled=c.heading or (c.disabled_reason is not None and c.id not in self.selected))

    def on_mount(self) -> None:
        self._highlight_selected()

    def _highlight_selected(self) -> bool:
        if self.selected and self.selected[0] in self.choices:
            self.highlighted = self.get_option_index(self.selected[0])
            return True
        return False

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        cid = event.option.id
        if cid is None:
            return
        if self.multiple:
            self.selected = [x for x, c in self.choices.items() if not c.heading and (x in self.selected) != (x == cid)]
        else:
            if self.selected == [cid]:
                self.post_message(self.Changed(self))  # chosen again: the screen moves on as after a choice
                return
            self.selected = [cid]
        for c in self.choices.values():
            if c.heading:
                continue
            self.replace_option_prompt(c.id, self._prompt(c))
            if c.disabled_reason is not None and c.id not in self.selected:
                self.disable_option(c.id)
        self.post_message(self.Changed(self))
