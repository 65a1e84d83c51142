"""Seeded random sessions of the wizard (issue #14): keys, clicks, resizes (too small too),
both languages, the palette, Save as with odd paths, plans set directly. No session may crash,
and every few events the plan the app holds must be one its own reader accepts, with the
verdict the engine gives (the summary shows that verdict). See tests/random_session.py.

PARTNERSHIP_WIZARD_FUZZ_SESSIONS and PARTNERSHIP_WIZARD_FUZZ_EVENTS set the size of the run
(default 20 sessions of 150 events, ~2 s CPU a session; `make fuzz` runs 200 of 400). A failure names its seed and the
last events sent.
"""
from __future__ import annotations

import os

import pytest

from conftest import make_app
from random_session import RandomUser

SESSIONS = int(os.environ.get("PARTNERSHIP_WIZARD_FUZZ_SESSIONS", "20"))
EVENTS = int(os.environ.get("PARTNERSHIP_WIZARD_FUZZ_EVENTS", "150"))
CHECK_EVERY = 5
SIZES = [(80, 24), (40, 12), (60, 20), (100, 30), (30, 8)]  # 40x12 and 30x8: too small


@pytest.mark.parametrize("seed", range(SESSIONS))
async def test_a_random_session_never_crashes_or_holds_a_plan_check_refuses(seed, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # Save as and exports write here
    lang = "nl" if seed % 2 else "en"
    start = ["welcome", "sector", "partners", "duration", "summary"][seed % 5]
    app = make_app(lang, {"sector": "youth"} if seed % 3 == 0 else None, start=start)
    user = None
    try:
        async with app.run_test(size=SIZES[seed % len(SIZES)]) as pilot:
            user = RandomUser(pilot, seed, tmp_path)
            while user.events < EVENTS and app.is_running:
                await user.step()
                if user.events % CHECK_EVERY == 0:
                    await user.settle()
                    user.verify()
            await user.settle()
            user.verify()
    except BaseException as exc:
        raise AssertionError(f"seed {seed}, after {user and user.events} events; the last sent: "
                             f"{user and user.log[-20:]}") from exc
    assert user.events == EVENTS, f"the session ended after {user.events} events: {user.log[-20:]}"  # nobody quit
    assert user.checks >= EVENTS // CHECK_EVERY
