"""Keeping and sharing plans: autosave, resume, --answers, save as, export, bad files."""
import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from wizard.answers import read_answers_file
from wizard.cli import create_app
from wizard.content import load_edition
from wizard.engine import evaluate
from wizard.screens.dialogs import Confirm, SaveDialog
from wizard.storage import autosave_path

from conftest import (HE_PLAN, ROOT, RUN_ENV, args, autosave_ticks, cli, fill_partner, notifications, partner, settle,
                      wait_for_autosave, wait_until, walk, write_plan)

# --- round trip --------------------------------------------------------------------------------
async def test_round_trip_tui_autosave_check_and_answers(tmp_path):
    app = create_app(args(no_resume=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await walk(pilot, [("Hogeschool Utrecht", "NL", "higher_education_institution", None, "yes"),
                           ("ETH Zürich", "CH")], "40", fill=fill_partner)
        assert app.current_step == "summary"
        await wait_for_autosave(pilot)
        shown = app.screen.verdict
    saved = autosave_path()
    assert saved.exists()
    r = cli("check", str(saved), "--format", "json", "--lang", "en")
    assert r.returncode == 1
    assert json.loads(r.stdout) == shown.to_dict()

    # --answers of that file restores every field of every screen
    again = create_app(args(answers=str(saved), no_resume=True))
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert again.answers == app.answers
        assert again.current_step == "partners"  # the first step that needs attention
        table = again.screen.query_one(DataTable)
        shown_names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]  # a long name is cut with "…"
        assert [n.removesuffix("…") for n in shown_names] == [n[:len(s.removesuffix("…"))] for n, s in
                                                              zip(["Hogeschool Utrecht", "ETH Zürich"], shown_names)]
        assert shown_names[1] == "ETH Zürich"
        for step, check in [
            ("sector", lambda s: s.query_one("#sectors").selected == ["higher_education"]),
            ("partnership_type", lambda s: s.query_one("#types").selected == ["innovation"]),
            ("duration", lambda s: s.query_one("#months", Input).value == "40"),
            ("activities", lambda s: s.query_one("#activities").selected == app.answers.activities
                and s.query_one("#priorities").selected == app.answers.priorities
                and s.query_one("#effects").selected == app.answers.effects),
        ]:
            again.goto(step)
            await settle(pilot)
            assert check(again.screen), step


async def test_complete_plan_opens_on_the_summary(tmp_path):
    app = create_app(args(answers=str(write_plan(tmp_path, HE_PLAN))))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.current_step == "summary"


# --- autosave timing, kill and resume --------------------------------------------------------------
KILLED = textwrap.dedent("""
    import argparse, asyncio, sys, time
    sys.path.insert(0, {tests!r})
    from wizard.app import WizardApp
    from wizard.cli import create_app
    from conftest import AUTOSAVE_EVERY, settle
    WizardApp.AUTOSAVE_EVERY = AUTOSAVE_EVERY  # the tests' injected interval, as in every other test
    async def main():
        app = create_app(argparse.Namespace(lang="en", edition="2020", answers=None, no_resume=True, command=None))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("enter"); await settle(pilot)
            await pilot.press("down", "down", "down", "down", "enter"); await settle(pilot)  # youth
            await pilot.press("enter"); await settle(pilot)
            await pilot.press("enter"); await settle(pilot)  # innovation
            from wizard.storage import autosave_path
            while not (autosave_path().exists() and '"innovation"' in autosave_path().read_text()):
                await pilot.pause(AUTOSAVE_EVERY)  # until the autosave holds the choices so far
            print("READY", flush=True)
            await pilot.press("enter"); await settle(pilot)  # go on: partners
            app.update_answers(duration_months=7)  # a change right before the kill may be lost
            while True:
                await asyncio.sleep(0.05)
    asyncio.run(main())
""")


async def test_a_killed_process_resumes_with_its_answers(tmp_path):
    env = {**RUN_ENV, "PARTNERSHIP_WIZARD_DATA": os.environ["PARTNERSHIP_WIZARD_DATA"]}
    proc = subprocess.Popen([sys.executable, "-c", KILLED.format(tests=str(ROOT / "tests"))], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "READY", proc.stderr.read()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    data = json.loads(autosave_path().read_text(encoding="utf-8"))
    assert data["sector"] == "youth" and data["partnership_type"] == "innovation"
    assert not list(autosave_path().parent.glob(".autosave.json.*.tmp"))  # no half-written leftovers

    app = create_app(args())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        assert "Youth, 0 organisations" in str(app.screen.query_one(".para").render())
        await pilot.press("enter")  # "Continue this plan" has the focus
        await settle(pilot)
        assert app.answers.sector == "youth" and app.answers.partnership_type == "innovation"
        assert app.current_step == data["step"] in ("partnership_type", "partners")  # where it was at the last write


async def test_a_plan_autosaved_on_the_summary_opens_on_the_summary():
    """The autosave records the step beside the plan; check and the wizard's own reader take the
    file, and continuing it opens that step (here the summary, not the first step to look at)."""
    app = create_app(args(no_resume=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.update_answers(**{k: v for k, v in HE_PLAN.items() if k != "edition"})
        app.goto("duration")
        await wait_for_autosave(pilot)
        app.goto("summary")  # nothing changes: the step alone is saved
        await wait_until(pilot, lambda: json.loads(autosave_path().read_text()).get("step") == "summary", "the step")
        plan = app.answers
    assert plan.step is None  # the plan held is the plan only
    assert read_answers_file(autosave_path(), lambda _e: app.edition).sector == "higher_education"
    assert cli("check", str(autosave_path())).returncode == 0
    again = create_app(args())
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(again.screen, Confirm), "the question")
        await pilot.press("enter")  # Continue this plan
        await settle(pilot)
        assert again.current_step == "summary" and again.answers == plan


async def test_start_new_keeps_the_old_plan_aside(tmp_path):
    autosave_path().parent.mkdir(parents=True)
    autosave_path().write_text(json.dumps({"sector": "vet"}), encoding="utf-8")
    app = create_app(args())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#no").press()  # start a new plan
        await settle(pilot)
        assert app.answers.sector is None
        kept = list(autosave_path().parent.glob("autosave.previous-*.json"))
        assert len(kept) == 1 and json.loads(kept[0].read_text()) == {"sector": "vet"}


async def test_opening_a_file_never_overwrites_an_older_autosave(tmp_path):
    autosave_path().parent.mkdir(parents=True)
    autosave_path().write_text(json.dumps({"sector": "vet"}), encoding="utf-8")
    app = create_app(args(answers=str(write_plan(tmp_path, HE_PLAN))))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.update_answers(duration_months=30)
        await wait_for_autosave(pilot)
    assert json.loads(autosave_path().read_text())["duration_months"] == 30
    kept = list(autosave_path().parent.glob("autosave.previous-*.json"))
    assert [json.loads(k.read_text()) for k in kept] == [{"sector": "vet"}]


async def test_no_resume_skips_the_question():
    autosave_path().parent.mkdir(parents=True)
    autosave_path().write_text(json.dumps({"sector": "vet"}), encoding="utf-8")
    for no_resume in (True, False):
        app = create_app(args(no_resume=no_resume))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, Confirm) is not no_resume
            if not no_resume:
                assert "Vocational education and training (VET), 0 organisations" in str(app.screen.query_one(".para").render())


# --- bad files ---------------------------------------------------------------------------------------
BAD_FILES = {
    "empty": (b"", "is empty"),
    "truncated": (b'{"sector": "higher_education", "partners": [{"name": "A', "not valid JSON"),
    "not json": (b"sector = higher_education\n", "not valid JSON"),
    "binary": (bytes(range(256)) * 4, "not a text file"),
    "huge": (b'{"sector": "' + b"x" * (1024 * 1024) + b'"}', "too large"),
    "a list": (b"[1, 2]", "is a JSON object"),
    "a number too long": (b'{"duration_months": 1' + b"0" * 5000 + b"}", "too many digits"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_answers_file_gets_a_message_and_stays_untouched(tmp_path, case):
    content, expected = BAD_FILES[case]
    path = tmp_path / "plan.json"
    path.write_bytes(content)
    r = cli("--answers", str(path))
    assert r.returncode == 2
    assert expected in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == content


# A readable file with values the wizard cannot use: those values are left out and named,
# the rest of the plan is kept (issue #14, item 3)
ONE_BAD_VALUE = {
    "impossible duration": ({"duration_months": 9999}, "duration_months: 9999", "duration_months"),
    "duration as text": ({"duration_months": "long"}, "duration_months: long", "duration_months"),
    "unknown country": ({"partners": [partner("A", "ZZ"), partner("B", "BE")]}, "partners: A", "partners"),
    "partner twice": ({"partners": [partner("B", "BE"), partner("B", "BE")]}, "partners: B", "partners"),
    "unknown field": ({"colour": "blue"}, "colour: blue", None),
    "unknown edition": ({"edition": "2099"}, "edition: 2099", "edition"),
    "surrogate in a name": ({"partners": [partner("A\ud800", "NL"), partner("B", "BE")]}, "partners: A\\ud800", "partners"),
}


@pytest.mark.parametrize("case", ONE_BAD_VALUE, ids=list(ONE_BAD_VALUE))
async def test_a_file_with_one_bad_value_opens_without_it_and_names_it(tmp_path, case):
    bad, named, field = ONE_BAD_VALUE[case]
    plan = {**HE_PLAN, **bad}
    path = write_plan(tmp_path, plan)
    before = path.read_bytes()
    app = create_app(args(answers=str(path)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        assert named in str(app.screen.query_one(".para").render())
        app.screen.query_one("#yes").press()
        await settle(pilot)
        kept = app.answers
        assert kept.sector == HE_PLAN["sector"] and kept.activities == HE_PLAN["activities"]  # the rest stays
        if field == "partners":
            assert [p.name for p in kept.partners] == ["B"]
        elif field == "edition":  # the plan is on the edition it was opened on, never on one that does not exist
            assert kept.edition == app.edition.id == "2020"
        elif field:
            assert getattr(kept, field) is None
        await wait_for_autosave(pilot)
    assert path.read_bytes() == before
    read_answers_file(autosave_path(), load_edition)  # what the wizard keeps, check's reader takes (by its edition)


def test_a_plan_opened_on_another_edition_says_the_edition_it_was_checked_against(tmp_path):
    """--edition 2026 on a file of 2020: the plan is checked against 2026, so it says 2026. It
    kept "2020" with 2026's ids, and the next start or check read those against 2020."""
    from wizard.answers import parse_lenient

    newest = load_edition("2026")
    answers, dropped = parse_lenient({"edition": "2020", "sector": "youth"}, lambda _e: newest)
    assert answers.edition == "2026" and answers.sector == "youth" and dropped == []
    path = tmp_path / "held.json"
    path.write_text(answers.to_json(), encoding="utf-8")
    assert read_answers_file(path, load_edition).edition == "2026"  # check's reader, by the file's edition


async def test_an_autosave_with_an_impossible_duration_is_resumed_not_set_aside():
    autosave_path().parent.mkdir(parents=True)
    autosave_path().write_text(json.dumps({**HE_PLAN, "duration_months": 9999}), encoding="utf-8")
    app = create_app(args())
    assert not list(autosave_path().parent.glob("autosave.corrupt-*"))
    assert app.options.resume.answers.partners and app.options.resume.dropped == ["duration_months: 9999"]


def test_missing_or_unreadable_answers_file(tmp_path):
    r = cli("--answers", str(tmp_path / "nope.json"))
    assert r.returncode == 2 and "does not exist" in r.stderr
    r = cli("--answers", str(tmp_path))
    assert r.returncode == 2 and "is a folder" in r.stderr
    r = cli("--answers", str(tmp_path / "x.json"), "--lang", "nl")
    assert r.returncode == 2 and "bestaat niet" in r.stderr


async def test_a_corrupt_autosave_is_moved_aside_and_a_fresh_plan_starts():
    autosave_path().parent.mkdir(parents=True)
    autosave_path().write_bytes(b'{"sector": "youth", "partn')
    app = create_app(args())
    moved = list(autosave_path().parent.glob("autosave.corrupt-*.json"))
    assert len(moved) == 1 and moved[0].read_bytes() == b'{"sector": "youth", "partn'
    assert not autosave_path().exists()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: any(moved[0].name in m and "damaged" in m for m in notifications(app)),
                         "the notice about the damaged autosave")
        notice = next(m for m in notifications(app) if "damaged" in m)
        assert "Repair" not in notice and "not valid JSON" not in notice  # the app set the file aside; nothing to repair
        assert app.current_step == "welcome" and not isinstance(app.screen, Confirm)  # nothing to resume


@pytest.mark.parametrize("accept", [True, False])
async def test_unknown_ids_are_dropped_only_with_consent(tmp_path, accept):
    plan = {**HE_PLAN, "activities": ["intellectual_outputs", "virtual_exchange_2030"], "priorities": ["social_inclusion", "gone"]}
    path = write_plan(tmp_path, plan)
    before = path.read_bytes()
    app = create_app(args(answers=str(path)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        text = str(app.screen.query_one(".para").render())
        assert "activities: virtual_exchange_2030" in text and "priorities: gone" in text
        app.screen.query_one("#yes" if accept else "#no").press()
        await settle(pilot)
        if accept:
            assert app.answers.activities == ["intellectual_outputs"] and app.answers.priorities == ["social_inclusion"]
            assert app.current_step == "summary"
            await wait_for_autosave(pilot)
    assert path.read_bytes() == before
    if not accept:
        assert app.return_code == 0 and not autosave_path().exists()


# --- write failures ----------------------------------------------------------------------------------
async def test_unwritable_data_dir_is_reported_and_save_as_still_rescues(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("PARTNERSHIP_WIZARD_DATA", str(blocker / "data"))
    app = create_app(args(no_resume=True))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.update_answers(sector="youth")
        await wait_until(pilot, lambda: any("Autosave is not working" in m and "Save as (Ctrl+S)" in m
                                            for m in notifications(app)), "the autosave failure notice")
        app.update_answers(duration_months=12)  # the app keeps working
        await autosave_ticks(pilot, 5)
        assert sum("Autosave is not working" in m for m in notifications(app)) == 1  # said once
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SaveDialog)
        target = tmp_path / "rescued.json"
        app.screen.query_one("#path", Input).value = str(target)
        app.screen.query_one("#save").press()
        await settle(pilot)
    assert json.loads(target.read_text()) == {"edition": "2020", "sector": "youth", "duration_months": 12}


async def test_disk_full_is_reported_in_plain_words(monkeypatch):
    import wizard.storage as storage

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    app = create_app(args(no_resume=True))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        monkeypatch.setattr(storage.os, "fsync", full)
        app.update_answers(sector="vet")
        await wait_until(pilot, lambda: any("the disk is full" in m for m in notifications(app)), "the disk-full notice")
        monkeypatch.undo()
        monkeypatch.setenv("PARTNERSHIP_WIZARD_DATA", str(autosave_path().parent))
        await wait_until(pilot, lambda: any("Autosave works again" in m for m in notifications(app)), "the all-clear")
    assert json.loads(autosave_path().read_text())["sector"] == "vet"


ODD_PATHS = {
    "name too long": ("x" * 300, "the name is too long for the file system"),
    "path too long": ("a/" * 3000 + "plan.json", "the name is too long for the file system"),
    "NUL in the name": ("plan\x00.json", "a character that a file name cannot have"),
    "under a file": ("/dev/null/plan.json", "the folder does not exist"),
}


@pytest.mark.parametrize("case", ODD_PATHS, ids=list(ODD_PATHS))
async def test_save_as_with_an_odd_path_says_so_in_the_dialog(tmp_path, monkeypatch, case):
    """Issue #14 item 2: OSError: [Errno 36] File name too long in SaveDialog.attempt."""
    monkeypatch.chdir(tmp_path)
    raw, expected = ODD_PATHS[case]
    app = create_app(args(no_resume=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_save_as()
        await settle(pilot)
        app.screen.query_one("#path", Input).value = raw
        app.screen.query_one("#save").press()
        await settle(pilot)
        assert isinstance(app.screen, SaveDialog)  # open: another place can be chosen
        message = str(app.screen.query_one("#save-error").render())
        assert message.startswith("✗ Cannot save to") and expected in message
    assert list(tmp_path.iterdir()) == []


async def test_save_as_never_overwrites_without_confirmation(tmp_path):
    target = tmp_path / "plan.json"
    target.write_text("precious")
    app = create_app(args(answers=str(write_plan(tmp_path, HE_PLAN, "in.json"))))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_save_as()
        await settle(pilot)
        app.screen.query_one("#path", Input).value = str(target)
        app.screen.query_one("#save").press()
        await settle(pilot)
        assert isinstance(app.screen, Confirm) and "already exists" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("escape")  # no
        await settle(pilot)
        assert target.read_text() == "precious"
        app.screen.query_one("#save").press()
        await settle(pilot)
        app.screen.query_one("#yes").press()
        await settle(pilot)
    assert json.loads(target.read_text())["sector"] == "higher_education"


@pytest.mark.parametrize("fmt", ["markdown", "json"])
@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_export_is_exactly_the_check_output(tmp_path, fmt, lang):
    plan = write_plan(tmp_path, {**HE_PLAN, "partners": HE_PLAN["partners"] + [partner("ACME [Ltd]", "CH")]})
    app = create_app(args(answers=str(plan), lang=lang))
    target = tmp_path / f"out.{fmt}"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.current_step == "summary"
        app.screen.query_one(f"#export-{fmt}").press()
        await settle(pilot)
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
    r = cli("check", str(plan), "--format", fmt, "--lang", lang)
    assert target.read_text(encoding="utf-8") == r.stdout


def test_atomic_write_keeps_permissions_and_leaves_no_temporary_file(tmp_path):
    from wizard.storage import write_atomic

    new = tmp_path / "new.json"
    write_atomic(new, "{}\n")
    umask = os.umask(0)
    os.umask(umask)
    assert new.stat().st_mode & 0o777 == 0o666 & ~umask
    old = tmp_path / "old.json"
    old.write_text("x")
    old.chmod(0o640)
    write_atomic(old, "{}\n")
    assert old.stat().st_mode & 0o777 == 0o640 and old.read_text() == "{}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.json", "old.json"]


async def test_no_autosave_writes_nothing():
    app = create_app(args(no_resume=True, no_autosave=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.update_answers(sector="youth")
        await autosave_ticks(pilot)
    assert not autosave_path().exists()


async def test_language_switch_waits_for_a_pending_question(tmp_path):
    path = write_plan(tmp_path, {**HE_PLAN, "activities": ["gone"]})
    app = create_app(args(answers=str(path)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, Confirm) and app.lang == "en"  # the consent question stays
