"""The key bar at the bottom: the keys of this screen and what they do, each clickable.

One widget for the whole line, like the step indicator. Textual's Footer builds a widget
per key and builds them all again whenever the focus moves, which made every step change
noticeably slower."""
from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widgets import Static


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        padding: 0 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """
    ALLOW_SELECT = False
    GAP = "  "  # between two keys

    def __init__(self) -> None:
        super().__init__(id="keys")
        self._shown = ""
        self._enabled: dict[str, bool] = {}
        self._spans: list[tuple[int, int, str]] = []
        self._hover: str | None = None  # the key under the mouse

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.refresh_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        if screen is self.screen:
            self.refresh_keys()

    def describe(self, action: str, description: str) -> str:
        """What the key does, in the app's language (``key.<action>`` in the interface texts)."""
        ui, lang = getattr(self.app, "ui", None), getattr(self.app, "lang", "en")
        return ui(f"key.{action}", lang) if ui is not None and ui.has(f"key.{action}") else description

    def on_resize(self, event: events.Resize) -> None:
        self._shown = ""  # another width: other keys may fit
        self.refresh_keys()

    def refresh_keys(self) -> None:
        """The keys that act now: this screen's, or, while a dialog is open over it, the
        dialog's. Only whole keys: those that do not fit the width are left out."""
        app = self.app
        palette_key = app.COMMAND_PALETTE_BINDING if app.ENABLE_COMMAND_PALETTE else None
        seen: set[str] = set()
        keys: list[tuple[str, str, str, bool]] = []
        palette = None
        top = app.screen if self.screen in app.screen_stack else self.screen
        for key, (_node, binding, enabled, _tooltip) in top.active_bindings.items():
            if key == palette_key:
                palette = (binding.key, app.get_key_display(binding), self.describe(binding.action, binding.description), enabled)
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            keys.append((binding.key, app.get_key_display(binding), self.describe(binding.action, binding.description), enabled))
        if palette is not None:
            keys.append(palette)
        width = self.content_size.width
        if width:
            def length(ks) -> int:
                return sum(len(d) + 1 + len(t) for _, d, t, _ in ks) + len(self.GAP) * (len(ks) - 1)

            while len(keys) > 1 and length(keys) > width:
                keys.pop(-2 if palette is not None and len(keys) > 2 else -1)  # the palette key stays last
        self._enabled = {key: enabled for key, _, _, enabled in keys}
        signature = repr((keys, self._hover))
        if signature == self._shown:
            return  # nothing changed: no new layout or paint
        self._shown = signature
        parts: list[Content] = []
        self._spans = []  # where each key is on the line, for clicks
        x = 0
        for key, display, description, enabled in keys:
            chip = Content(display).stylize("bold $footer-key-foreground").append(" ").append(description)
            if not enabled:
                chip = chip.stylize("dim")
            elif key == self._hover:
                chip = chip.stylize("reverse")  # under the mouse: a click presses it
            parts.append(chip)
            self._spans.append((x, x + chip.cell_length, key))
            x += chip.cell_length + len(self.GAP)
        self.update(Content(self.GAP).join(parts), layout=False)  # one line, docked: its size never changes

    def _key_at(self, event: events.MouseEvent) -> str | None:
        offset = event.get_content_offset(self)
        if offset is not None:
            for start, end, key in self._spans:
                if start <= offset.x < end:
                    return key
        return None

    def on_click(self, event: events.Click) -> None:
        """A click on a key does what pressing it does (a key that is off now only rings)."""
        key = self._key_at(event)
        if key is None:
            return
        event.stop()
        if self._enabled.get(key, False):
            self.app.simulate_key(key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event)
        if key != self._hover:
            self._hover = key
            self.refresh_keys()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh_keys()
