"""A Select whose long option list is built only when it is first opened or set.

The partner form's country list has 250 options; building them costs more than the rest
of the screen, so the screen shows first and the list is built when it is needed.
Relies on Select internals of the pinned Textual version (tests cover it)."""
from __future__ import annotations

from textual.widgets import Select


class LazySelect(Select):
    def __init__(self, options: list, **kwargs) -> None:
        self._all_options = options
        self._filled = False
        super().__init__([], **kwargs)

    def _fill(self) -> None:
        if self._filled:
            return
        self._filled = True
        self._setup_variables_for_options(self._all_options)
        if self.is_mounted:
            self._setup_options_renderables()

    def _validate_value(self, value):
        if value not in self._legal_values:
            self._fill()
        return super()._validate_value(value)

    def _watch_expanded(self, expanded: bool) -> None:
        if expanded:
            self._fill()
        super()._watch_expanded(expanded)
