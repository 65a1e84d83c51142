"""Driving the wizard by keyboard in Pilot tests."""
from __future__ import annotations

from textual.widgets import Button, DataTable, Input, OptionList, Select, Static
from textual.widgets._footer import FooterKey

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
    pilot.app.screen.query_one("#next").focus()
    await pilot.press("enter")
    await settle(pilot)


def visible_texts(app) -> str:
    """Every text on the current screen that a person can read, widget by widget."""
    out = []
    for w in app.screen.query("*"):
        if not w.display:
            continue
        if isinstance(w, OptionList):
            out += [str(w.get_option_at_index(i).prompt) for i in range(w.option_count)]
        elif isinstance(w, DataTable):
            out += [str(c.label) for c in w.columns.values()]
            out += [str(cell) for r in range(w.row_count) for cell in w.get_row_at(r)]
        elif isinstance(w, Input):
            out += [w.value, w.placeholder]
        elif isinstance(w, (Static, Button, FooterKey)):
            out.append(str(w.render()))
        elif isinstance(w, Select):
            out.append(str(w.query_one("SelectCurrent").render()) if w.query("SelectCurrent") else "")
    return "\n".join(out)
