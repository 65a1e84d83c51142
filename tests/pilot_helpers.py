"""Driving the wizard by keyboard in Pilot tests."""
from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.widgets import Button, DataTable, Input, OptionList, Select, Static

from wizard.answers import Answers
from wizard.app import WizardApp
from wizard.content import load_edition, load_ui


def make_app(lang: str = "en", answers: Answers | dict | None = None, start: str = "welcome") -> WizardApp:
    if isinstance(answers, dict):
        answers = Answers(**answers)
    return WizardApp(load_edition("2020"), load_ui(), lang, answers, start)


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.pause()


async def add_partner(pilot, name: str, country: str, org_type: str, role: str | None = None, eche: str | None = None) -> None:
    """Fill the partner form by keyboard: type the name, Enter, then each Select in turn."""
    screen = pilot.app.screen
    screen.query_one("#name").focus()
    await pilot.pause()
    await pilot.press(*list(name))
    await pilot.press("enter")  # moves on to the country
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*list(country))
    await pilot.press("enter")  # choosing moves on to the type
    await settle(pilot)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*list(org_type))
    await pilot.press("enter")  # moves on to the role
    await settle(pilot)
    if role is not None:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*list(role))
        await pilot.press("enter")
        await settle(pilot)
    else:
        await pilot.press("tab")
    if eche is not None:
        if screen.focused is None or screen.focused.id != "eche":
            screen.query_one("#eche").focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*list(eche))
        await pilot.press("enter")
        await settle(pilot)
    screen.query_one("#add").focus()
    await pilot.press("enter")
    await settle(pilot)


async def press_next(pilot) -> None:
    button = pilot.app.screen.query_one("#next")
    button.focus()
    await pilot.pause()  # focus moves on the next turn of the loop; a person is slower still
    while button.has_class("-active"):  # Textual ignores a second press within 0.2 s (a double press)
        await pilot.pause(0.05)
    await pilot.press("enter")
    await settle(pilot)


def visible_texts(app, selector: str = "*") -> str:
    """Every text on the current screen that a person can read, widget by widget
    (of the widgets that match the selector)."""
    out = []
    for w in app.screen.query(selector):
        if not w.display or any(not a.display for a in w.ancestors_with_self if hasattr(a, "display")):
            continue
        if any(isinstance(a, Select) for a in w.ancestors):
            continue  # read as a whole below
        if isinstance(w, OptionList):
            out += [str(w.get_option_at_index(i).prompt) for i in range(w.option_count)]
        elif isinstance(w, DataTable):
            out += [str(c.label) for c in w.columns.values()]
            out += [str(cell) for r in range(w.row_count) for cell in w.get_row_at(r)]
        elif isinstance(w, Input):
            out += [w.value, w.placeholder]
        elif isinstance(w, (Static, Button)):
            shown = w.render()
            out.append(str(shown) if isinstance(shown, (str, Content, Text)) else "")  # else: empty (Blank)
        elif isinstance(w, Select):
            out.append(str(w.query_one("SelectCurrent #label", Static).render()) if w.query("SelectCurrent") else "")
    return "\n".join(out)
