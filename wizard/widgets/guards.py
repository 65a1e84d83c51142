"""Guards against edges of Textual that random sessions hit: a dialog closed twice by events on
their way together, Page Up/Down on a list with no room for a page, and a click on a list row
that is gone."""
from __future__ import annotations

from functools import partial
from typing import Callable, TypeVar

from textual import events
from textual.await_complete import AwaitComplete

T = TypeVar("T")


class ClosesOnce:
    """A modal screen that closes once. Two closing events on their way together (Esc and a click
    on the background, say) reach the screen one after the other, the second after it has left the
    stack: Textual would then close the screen below it, or set a result twice (InvalidStateError)."""

    def dismiss(self, result=None) -> AwaitComplete:
        if self.app.screen is not self:  # closed already, or another dialog on top: not ours to close
            return AwaitComplete.nothing()
        return take_down(self, partial(super().dismiss, result))


def take_down(screen, close: Callable[[], T], forget: bool = True) -> T:
    """Close a screen with ``close`` (its dismiss, the app's pop_screen), and end the work it still
    has running: the palette's search, run on a palette taken apart, failed (NoMatches) and ended
    the app. ``forget``: a screen made anew when it opens again (a dialog, the palette), whose
    drawn lines can go (a step screen is kept)."""
    drawn = list(screen.walk_children(with_self=True)) if forget else []
    screen.workers.cancel_node(screen)
    closing = close()
    forget_drawn_lines(drawn)
    return closing


def forget_drawn_lines(widgets) -> None:
    """Let the lines drawn for closed widgets go. Textual keeps the line cache of up to 1,024
    widgets after they are gone (an lru_cache on an instance method of its StylesCache,
    https://github.com/Textualize/textual/issues/6665): each dialog or palette opened and closed
    kept every line it drew, and memory grew for hours of use. A refresh clears a widget's cache."""
    for widget in widgets:
        widget.refresh()


def no_room_to_page(app, event: events.Key) -> bool:
    """Page Up/Down on a list that has no room for a page yet (a tiny window, or the palette's
    list before it is first laid out) fails inside Textual's OptionList (KeyError): there is no
    page to turn."""
    if event.key not in ("pageup", "pagedown"):
        return False
    from textual.command import CommandPalette
    from textual.widgets import OptionList

    lists = [app.focused, *(app.screen.query(OptionList) if isinstance(app.screen, CommandPalette) else ())]
    return any(isinstance(w, OptionList) and w.option_count and w.scrollable_content_region.height <= 0 for w in lists)


class ClicksRowsThatExist:
    """For an OptionList whose options change (the palette's results as the user types, a list
    built anew): a click is aimed at the row drawn under the mouse; when the list has changed
    before the click reaches it, that row may name an option the list no longer has, and
    Textual's OptionList fails on it (IndexError). Such a click clicks nothing."""

    def on_click(self, event: events.Click) -> None:
        option = event.style.meta.get("option")
        if option is not None and option >= self.option_count:
            event.prevent_default()  # OptionList's own click handling does not run
