"""For trainers: demo plans, switching language anywhere, presentation view, why-this-rule, serve."""
import functools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from textual.widgets import Button, DataTable, Input, OptionList, Select, Static

from wizard.cli import create_app
from wizard.brief import load_ui
from wizard.content import load_edition
from wizard.screens.dialogs import DemoPicker, WhyScreen
from wizard.storage import autosave_path
from wizard.texts import STEPS
from wizard.widgets.choice_list import ChoiceList

from conftest import HE_PLAN, RUN_ENV, args, autosave_ticks, cli, cli_process, make_app, settle, visible_texts

DEMOS = sorted(load_edition("2020").demos)


@functools.cache
def english_only_fragments() -> frozenset[str]:
    """Literal pieces (12+ characters) of every English text whose Dutch text differs."""
    pairs = list(load_ui().texts.values())

    def walk(node):
        if hasattr(node, "nl") and hasattr(node, "en") and isinstance(node.en, str):
            pairs.append((node.nl, node.en))
        elif isinstance(node, (list, tuple)):
            for x in node:
                walk(x)
        elif isinstance(node, dict):
            for x in node.values():
                walk(x)
        elif hasattr(node, "__dict__"):  # a content record: its fields
            for x in vars(node).values():
                walk(x)

    e = load_edition("2020")
    for part in (e.info, e.countries_file, e.organisations, e.sectors_file, e.activities_file, e.priorities_file,
                 e.rules_file, e.next_steps, e.help):
        walk(part)
    out = set()
    for nl, en in pairs:
        if nl == en:
            continue
        for piece in re.split(r"\{[^}]*\}", en):
            piece = piece.strip(" .,:;()·—-")
            if len(piece) >= 12 and piece not in nl:
                out.add(piece)
    return frozenset(out)


# --- demo plans ------------------------------------------------------------------------------------
def test_at_least_eight_demos_cover_every_sector_the_exchange_format_and_the_classic_mistakes():
    e = load_edition("2020")
    assert len(e.demos) >= 8
    assert {d.answers["sector"] for d in e.demos.values()} == set(e.sectors)
    failing = {f for d in e.demos.values() for f in d.promise.failing}
    assert {"minimum_countries", "minimum_organisations", "partnership_type", "duration", "eche"} <= failing
    assert all(d.title.nl != d.title.en and d.story.nl and d.story.en for d in e.demos.values())


def test_demo_list_command():
    r = cli("--edition", "2020", "demo", "--list")
    assert r.returncode == 0
    for name in DEMOS:
        assert name in r.stdout
    assert "Classic mistake: too few countries (not eligible)" in r.stdout
    assert "Klassieke fout: te weinig landen (niet subsidiabel)" in cli("--edition", "2020", "demo", "--list", "--lang", "nl").stdout


def test_unknown_demo_is_bad_input():
    r = cli("--edition", "2020", "--demo", "nope")
    assert r.returncode == 2 and 'Unknown example plan "nope"' in r.stderr and "school-exchange" in r.stderr


@pytest.mark.parametrize("name", DEMOS)
async def test_each_demo_gives_the_verdict_its_story_promises_and_never_touches_the_autosave(name):
    autosave_path().parent.mkdir(parents=True)
    autosave_path().write_text('{"sector": "vet"}', encoding="utf-8")
    demo = load_edition("2020").demos[name]
    app = create_app(args(demo=name, edition="2020"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.goto("summary")
        await settle(pilot)
        v = app.screen.verdict
        assert v.eligible is demo.promise.eligible
        assert sorted(v.failing()) == sorted(demo.promise.failing)
        app.update_answers(duration_months=13)  # edits during a demo stay out of the autosave
        await autosave_ticks(pilot)
    assert autosave_path().read_text(encoding="utf-8") == '{"sector": "vet"}'


async def test_demo_picker_on_the_welcome_screen():
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#demos", Button).press()
        await settle(pilot)
        assert isinstance(app.screen, DemoPicker)
        picker = app.screen.query_one(ChoiceList)
        picker.highlighted = picker.get_option_index("mistake-he-exchange")
        await pilot.press("enter")
        await settle(pilot)
        assert app.answers.partnership_type == "exchange_of_good_practices"
        assert app.current_step == "partnership_type"  # the first step that needs attention


# --- language ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("step", STEPS)
async def test_switching_to_dutch_on_every_screen_leaves_no_english(step):
    plan = {**HE_PLAN, "partners": HE_PLAN["partners"] + [{"name": "ETH Zürich", "country": "CH",
            "organisation_type": "higher_education_institution", "role": "partner"}], "duration_months": 40}
    app = make_app("en", plan, start=step)
    english = english_only_fragments()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = app.answers
        assert any(f in visible_texts(app) for f in english)  # the check can see English
        await pilot.press("f2")
        await settle(pilot)
        assert app.lang == "nl" and app.current_step == step and app.answers == before
        text = visible_texts(app)
        left = sorted(f for f in english if f in text)
        assert not left, left
        await pilot.press("f1")
        await settle(pilot)
        left = sorted(f for f in english if f in visible_texts(app))
        assert not left, left


def test_english_check_list_is_not_empty():
    fragments = english_only_fragments()
    assert "Choose the sector your project mainly addresses" in fragments
    assert len(fragments) > 200


# --- presentation view -------------------------------------------------------------------------------------
async def test_presentation_theme_from_the_command_line_and_the_palette():
    app = create_app(args(theme="presentation", no_resume=True))
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        assert app.theme == "presentation" and app.presentation
        texts = app.screen.query_one("#body").children
        assert max(w.region.width for w in texts) <= 110  # a readable line width...
        assert min(w.region.x for w in texts if w.region.width) > 30  # ...in the middle of a wide screen
        commands = {c.title: c.callback for c in app.get_system_commands(app.screen)}
        commands["Presentation view on/off"]()
        await settle(pilot)
        assert app.theme == "textual-dark" and not app.presentation
        assert max(w.region.width for w in app.screen.query_one("#body").children) > 150


# --- why this rule ---------------------------------------------------------------------------------------------
async def test_why_this_rule_shows_the_source_sentence():
    plan = {**HE_PLAN, "partnership_type": "exchange_of_good_practices"}
    app = make_app("en", plan, start="summary")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        rules = app.screen.query_one("#rules")
        rules.focus()
        rules.highlighted = rules.get_option_index("partnership_type")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WhyScreen)
        text = visible_texts(app)
        assert "Voor het hoger onderwijs kun je alleen subsidie aanvragen voor projecten gericht op innovatie." in text
        assert "erasmusplus.nl" in text
        await pilot.press("escape")
        await settle(pilot)
        assert app.current_step == "summary"


# --- browser mode ---------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_starts_answers_on_loopback_and_stops_cleanly():
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "wizard", "serve", "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=RUN_ENV)
    try:
        body, deadline = None, time.time() + 30
        while time.time() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as resp:
                    assert resp.status == 200
                    body = resp.read().decode()
            except OSError:
                time.sleep(0.2)
        assert body is not None, proc.stderr.read() if proc.poll() is not None else "no answer"
        assert "Partnership Wizard" in body
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=15)
        out = proc.stdout.read()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode in (0, -signal.SIGINT)
    assert f"http://127.0.0.1:{port}/?fontsize=24" in out
    assert "Warning" not in proc.stderr.read()


def test_serve_warns_when_not_on_loopback_and_reports_a_bad_address():
    # 192.0.2.1 is reserved for documentation: it is never this machine's, so nothing listens or is sent
    r = cli_process("serve", "--host", "192.0.2.1", "--port", str(free_port()))
    assert "Anyone who can reach this computer over the network can use the wizard" in r.stderr
    assert r.returncode == 2 and "Cannot listen on 192.0.2.1" in r.stderr and "Traceback" not in r.stderr
