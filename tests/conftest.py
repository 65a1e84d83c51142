"""Shared fixtures and helpers: plans, the command line, and driving the wizard in Pilot tests.

Test modules import helpers from here only, never from each other."""
import argparse
import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wizard.answers import Answers, parse_answers
from wizard.brief import load_ui
from wizard.content import load_edition

from random_session import send_keys

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.hookimpl(optionalhook=True)  # pytest without xdist (-p no:xdist) runs too
def pytest_xdist_auto_num_workers(config) -> int:
    """``-n auto`` (``make test``): two workers per core. A Pilot test waits for the app to
    go idle after each key and each pause, and CLI tests wait for their subprocess: with one
    worker per core, a core waits too."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return 2 * cores


# The garbage collector in a test process: every Pilot test leaves Textual's caches a little
# larger (they fill up to their limits), so that a full pass, ~0.3 s each, took a quarter of the
# Pilot tests' CPU. What earlier tests left is kept out of the passes (frozen), and a pass starts
# after 10,000 new objects instead of 700.
GC_THRESHOLD = (10_000, 10, 10)


def pytest_configure(config):
    gc.set_threshold(*GC_THRESHOLD)


@pytest.fixture(autouse=True)
def _earlier_tests_frozen():
    """Before a test, once earlier ones left many objects: what is garbage is collected (none is
    kept for good), what lives on is frozen. Apps here freeze and unfreeze nothing (see
    wizard.screens.steps.freeze_built), so what is frozen here stays so."""
    if len(gc.get_objects(generation=2)) > 20_000:
        gc.collect()
        gc.freeze()


@pytest.fixture(scope="session")
def edition():
    return load_edition("2020")


@pytest.fixture(scope="session")
def ui():
    return load_ui()


@pytest.fixture
def make_answers(edition):
    def make(**fields) -> Answers:
        return parse_answers({"edition": "2020", **fields}, edition)

    return make


def golden_cases(edition_id: str = "2020"):
    for path in sorted((GOLDEN / edition_id).glob("*.json")):
        yield pytest.param(json.loads(path.read_text(encoding="utf-8")), id=path.stem)


def partner(name, country, t="higher_education_institution", role="partner", eche=True):
    d = {"name": name, "country": country, "organisation_type": t, "role": role}
    if t == "higher_education_institution":
        d["eche"] = eche
    return d


HE_PLAN = {
    "edition": "2020",
    "sector": "higher_education",
    "partnership_type": "innovation",
    "partners": [
        partner("Hogeschool Utrecht", "NL", role="coordinator"),
        partner("Universität Wien", "AT"),
        partner("Universidade do Porto", "PT"),
    ],
    "duration_months": 24,
    "activities": ["transnational_project_meetings", "intellectual_outputs"],
    "priorities": ["social_inclusion"],
}


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path, monkeypatch):
    """Every test gets its own autosave folder: no test touches the user's real plans."""
    monkeypatch.setenv("PARTNERSHIP_WIZARD_DATA", str(tmp_path / "data"))


AUTOSAVE_EVERY = 0.02  # seconds: the autosave interval in tests


@pytest.fixture(autouse=True)
def _fast_timings(monkeypatch):
    """Injected timings: autosave every 20 ms, and no background warm-up unless a test asks
    for it (by setting ``app.WARM_UP_AFTER``), then without waiting for the user to read, so
    that tests wait on events, not clocks."""
    from wizard.app import WizardApp

    monkeypatch.setattr(WizardApp, "AUTOSAVE_EVERY", AUTOSAVE_EVERY)
    monkeypatch.setattr(WizardApp, "WARM_UP_AFTER", None)
    monkeypatch.setattr(WizardApp, "READING", 0)


# --- the command line -----------------------------------------------------------------------------
def _without_locale(environ) -> dict:
    return {k: v for k, v in environ.items() if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE")}


RUN_ENV = _without_locale(os.environ)


def cli(*argv, env: dict | None = None, env_lang: str | None = None) -> subprocess.CompletedProcess:
    """`partnership-wizard ARGV` as the installed command runs it (``wizard.cli.main``), in this
    process: its exit code and what it writes to stdout and stderr, with no locale in the
    environment unless ``env_lang``. (A subprocess per call cost ~0.3 s; ``cli_process`` is the
    real one, for the tests of the program as a whole.)"""
    import contextlib
    import io

    from wizard.cli import main

    saved = dict(os.environ)
    out, err = io.StringIO(), io.StringIO()
    try:
        os.environ.clear()
        os.environ.update(_without_locale(saved), **(env or {}), **({"LANG": env_lang} if env_lang else {}))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(argv))
            except SystemExit as exc:  # argparse: a bad option, --help
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return subprocess.CompletedProcess(["partnership-wizard", *argv], code, out.getvalue(), err.getvalue())


def cli_process(*argv, env: dict | None = None, env_lang: str | None = None) -> subprocess.CompletedProcess:
    """`partnership-wizard ARGV` in a real subprocess, with no locale unless ``env_lang``."""
    env = {**_without_locale(os.environ), **(env or {})}
    if env_lang:
        env["LANG"] = env_lang
    return subprocess.run([sys.executable, "-m", "wizard", *argv], capture_output=True, text=True, env=env, timeout=60)


def args(**kw) -> argparse.Namespace:
    """The parsed command line for starting the wizard (what `partnership-wizard` passes on)."""
    base = dict(lang="en", edition="2020", answers=None, no_resume=False, no_autosave=False, command=None, demo=None,
                theme=None)  # the 2020 walk-throughs; tests of the newest edition ask for it
    base.update(kw)
    return argparse.Namespace(**base)


def write_plan(tmp_path, plan, name="plan.json") -> Path:
    p = tmp_path / name
    p.write_text(json.dumps({"edition": "2020", **plan}), encoding="utf-8")
    return p


# --- driving the wizard in Pilot tests ------------------------------------------------------------
def make_app(lang: str = "en", answers: Answers | dict | None = None, start: str = "welcome", edition: str = "2020"):
    from wizard.app import WizardApp
    from wizard.session import StartOptions

    if isinstance(answers, dict):
        answers = Answers(**{"edition": edition, **answers})
    return WizardApp(StartOptions(lang, edition=load_edition(edition), answers=answers, start=start))


async def settle(pilot) -> None:
    """Until the app and the screen on show have handled what was sent, and what that sent in turn
    (each pause waits for them, then draws the screen). No wait for an idle CPU (at least 20 ms
    a pause): on events, not on the clock."""
    await pilot.pause(0)
    await pilot.pause(0)


async def wait_for_autosave(pilot) -> None:
    """Until the autosave file holds the plan as it is now."""
    from wizard.storage import autosave_path

    def saved() -> bool:
        try:
            data = json.loads(autosave_path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        data.pop("step", None)  # where the wizard was, beside the plan
        return data == json.loads(pilot.app.answers.to_json())

    await wait_until(pilot, saved, "the autosave")


async def autosave_ticks(pilot, n: int = 3) -> None:
    """Let the autosave timer fire a few times (to show that something is NOT written)."""
    await pilot.pause(AUTOSAVE_EVERY * n)


async def wait_until(pilot, condition, what: str = "the condition", timeout: float = 5.0) -> None:
    """Let the app run until ``condition()`` holds (checked after each turn of its loop)."""
    import time

    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.01)


async def type_text(pilot, text: str) -> None:
    """Type a text key by key into the field or list that has the focus (one that stays
    focused while it takes the text: a field, or an open list's type-to-search)."""
    await send_keys(pilot, *("space" if c == " " else c for c in text))


async def add_partner(pilot, name: str, country: str, org_type: str, role: str | None = None, eche: str | None = None) -> None:
    """Fill the partner form by keyboard: type the name, Enter, type the country, Enter, then
    Tab to each list in turn (type-to-search on a piece of the shown name). For the full
    keyboard walks only."""
    screen = pilot.app.screen
    screen.query_one("#name").focus()
    await pilot.pause()
    await type_text(pilot, name)
    await pilot.press("enter")  # moves on to the country
    await pilot.pause()
    await type_text(pilot, country)  # typing on the closed field opens the list
    await pilot.press("enter")  # chosen; the focus stays on the field
    await settle(pilot)
    await pilot.press("tab")
    await pilot.press("enter")
    await pilot.pause()
    await type_text(pilot, org_type)
    await pilot.press("enter")  # chosen; the focus stays on the field
    await settle(pilot)
    await pilot.press("tab")  # on to the role
    if role is not None:
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, role)
        await pilot.press("enter")
        await settle(pilot)
    await pilot.press("tab")  # on to the ECHE field when it shows, else Add
    if eche is not None:
        assert screen.focused is not None and screen.focused.id == "eche", screen.focused
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, eche)
        await pilot.press("enter")
        await settle(pilot)
    screen.query_one("#add").focus()
    await pilot.press("enter")
    await settle(pilot)


async def fill_partner(pilot, name: str, country: str, org_type: str = "higher_education_institution",
                       role: str | None = None, eche: str | None = None) -> None:
    """Fill the partner form by setting its fields (ids, not shown names), then press Add."""
    from textual.widgets import Input, Select

    from wizard.widgets.country_picker import CountryPicker

    screen = pilot.app.screen
    screen.query_one("#name", Input).value = name
    screen.query_one("#country", CountryPicker).value = country
    screen.query_one("#type", Select).value = org_type
    await pilot.pause()
    if role is not None:
        screen.query_one("#role", Select).value = role
    if eche is not None:
        screen.query_one("#eche", Select).value = eche
    await pilot.pause()
    screen.query_one("#add").focus()
    await pilot.press("enter")
    await settle(pilot)


async def press_next(pilot) -> None:
    button = pilot.app.screen.query_one("#next")
    button.active_effect_duration = 0  # no 0.2 s press effect, in which Textual ignores a second press
    button.focus()
    await pilot.pause(0)  # focus moves on the next turn of the loop
    await pilot.press("enter")
    await settle(pilot)


async def add_partners_and_go_on(pilot, partners, fill) -> None:
    """Add each organisation with ``fill``, then Next (again if problems were shown)."""
    for p in partners:
        await fill(pilot, *p)
    await press_next(pilot)
    if pilot.app.current_step == "partners":  # problems shown: Next again continues anyway
        await press_next(pilot)


async def walk(pilot, partners, months: str, fill=add_partner):
    """From the welcome screen to the summary by keyboard (partners by ``fill``)."""
    app = pilot.app
    await settle(pilot)
    await pilot.press("enter")  # Start
    await settle(pilot)
    await pilot.press("down", "down", "enter", "enter")  # Higher education, Next
    await settle(pilot)
    await pilot.press("enter", "enter")  # Innovation, Next
    await settle(pilot)
    await add_partners_and_go_on(pilot, partners, fill)
    await type_text(pilot, months)
    await pilot.press("enter")
    await settle(pilot)
    if app.current_step == "duration":
        await press_next(pilot)
    await pilot.press("enter", "tab", "enter", "tab", "down", "enter")  # effect, priority, intellectual outputs
    await press_next(pilot)
    if app.current_step == "activities":
        await press_next(pilot)


def visible_texts(app, selector: str = "*") -> str:
    """Every text on the current screen that a person can read, widget by widget
    (of the widgets that match the selector)."""
    from rich.text import Text
    from textual.content import Content
    from textual.widgets import Button, DataTable, Input, OptionList, Select, Static

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


def notifications(app) -> list[str]:
    """The messages of the notifications on show, as a user reads them in the toasts
    (run the app with ``run_test(notifications=True)``)."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]
