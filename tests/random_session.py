"""A seeded random user for the wizard: keys, clicks, resizes (too small too), both
languages, the command palette, Save as with odd paths, and plans set directly.

Used by the TUI fuzz test (tests/test_fuzz_tui.py) and the soak benchmark (scripts/soak.py).
Every few events the plan the app holds is written with its own writer, read back with
``check``'s reader and judged again: it must be readable, and the engine must give the same
verdict (the summary, when shown, must show that verdict's headline).
"""
from __future__ import annotations

import asyncio
import random
from pathlib import Path

from wizard.answers import read_answers_file
from wizard.engine import evaluate
from wizard.report import headline

KEYS = [
    "tab", "shift+tab", "enter", "space", "escape", "up", "down", "left", "right", "pageup", "pagedown",
    "home", "end", "backspace", "ctrl+n", "f1", "f2", "ctrl+s", "ctrl+p", "a", "n", "l", "e", "1", "2", "0",
    "4", "-", ".", "9", "ctrl+q",
]
SIZES = [(80, 24), (60, 20), (40, 12), (30, 8), (50, 12), (59, 15), (70, 16), (60, 18), (120, 40)]  # small ones draw faster
ODD_PATHS = ["x" * 300, "/", "/nonexistent/dir/plan.json", "/dev/null/x.json", "~/" + "é" * 260, ".", "plan\x00.json",
             "a/" * 3000]
NAME_TAILS = ["[b]x[/b]", "Ltd", "é", "[/]", "A\u2028B", "x" * 150]
PALETTE_WORDS = ["taal", "lang", "part", "sum", "dur", "save", "exp", "demo", "thema", "zzz"]


CHARS = {"space": " ", "enter": "\r", "tab": "\t", "backspace": "\x7f", "escape": "\x1b"}


async def send_keys(pilot, *keys: str) -> None:
    """Keys as the terminal sends them, without Pilot's wait for an idle CPU after each
    (which costs at least 20 ms a key); the app handles each before the next is sent."""
    from textual import events

    for key in keys:
        char = CHARS.get(key, key if len(key) == 1 else None)
        pilot.app.post_message(events.Key(key, char))
        await pilot.pause(0)


def random_plan(rng: random.Random, edition) -> dict:
    """A plan in the answers format, valid for the edition (some fields left out)."""
    plan: dict = {}
    if rng.random() < 0.8:
        plan["sector"] = rng.choice(list(edition.sectors))
    if rng.random() < 0.7:
        plan["partnership_type"] = rng.choice(list(edition.partnership_types))
    if rng.random() < 0.7:
        partners = []
        for i in range(rng.randint(0, 6)):
            country = rng.choice(list(edition.countries))
            org = rng.choice(list(edition.organisation_types))
            p = {"name": f"Org {i} {rng.choice(NAME_TAILS)}", "country": country,
                 "organisation_type": org, "role": "coordinator" if i == 0 else rng.choice(list(edition.roles))}
            if edition.organisation_types[org].needs_eche:
                p["eche"] = rng.choice([True, False, None])
            partners.append(p)
        plan["partners"] = partners
    if rng.random() < 0.7:
        plan["duration_months"] = rng.choice([1, 6, 12, 24, 36, 37, 60, 1200])
    for field, ids in (("activities", edition.activities), ("priorities", edition.priorities), ("effects", edition.effects)):
        if rng.random() < 0.6:
            plan[field] = rng.sample(list(ids), rng.randint(0, min(3, len(ids))))
    return plan


class RandomUser:
    """One seeded session. ``step()`` does one random event; ``verify()`` checks the plan."""

    HANG_AFTER = 5.0  # s without the app handling what was sent: a hang, not a slow machine

    def __init__(self, pilot, seed: int, tmp: Path, sizes=SIZES) -> None:
        self.pilot = pilot
        self.app = pilot.app
        self.rng = random.Random(seed)
        self.tmp = Path(tmp)
        self.sizes = sizes
        self.events = 0
        self.checks = 0
        self.log: list[str] = []  # what was sent, for the report of a failing seed
        self.odd_saves = True  # Save as with odd paths (the soak benchmark leaves them out)

    OPENS = ("ctrl+p", "ctrl+q", "ctrl+s", "f1")  # keys that open a dialog

    async def key(self, *keys: str) -> None:
        """Keys as the terminal sends them, as fast as a quick typist: each is posted once the app
        has taken the one before it; the app draws when it has time, as it does for a person."""
        from textual import events
        from textual.command import CommandPalette

        for key in keys:
            self.log.append(key)
            char = CHARS.get(key, key if len(key) == 1 else None)
            self.app.post_message(events.Key(key, char))
            await asyncio.sleep(0)
            if key in self.OPENS or any(isinstance(s, CommandPalette) for s in self.app.screen_stack):
                await self.settle()  # a dialog takes keys once it is up; Textual's palette fails on keys
                                     # that come faster than it takes them (NoMatches inside it)

    async def click(self, x: int, y: int) -> None:
        """A mouse click where the user points, as the terminal reports it."""
        from textual import events

        self.log.append(f"click {x},{y}")
        for cls in (events.MouseMove, events.MouseDown, events.MouseUp):  # the app makes the Click
            self.app.post_message(cls(None, x, y, 0, 0, 1, False, False, False, screen_x=x, screen_y=y))
        await asyncio.sleep(0)

    async def resize(self, width: int, height: int) -> None:
        """The window changes size, as the terminal reports it (the app follows a moment later)."""
        from textual import events
        from textual.geometry import Size

        self.log.append(f"size {width}x{height}")
        self.app.post_message(events.Resize(Size(width, height), Size(width, height)))
        await asyncio.sleep(0)

    async def settle(self) -> None:
        """Until the app, the screen on show and every widget of it with a message waiting have
        handled what was sent so far, again while any widget still had one (what that made them
        send too). Idle widgets are not woken: waking each of a screen's ~60 widgets cost ~5 ms
        CPU a settle, a fifth of this test's CPU. Unlike Pilot's pause, no extra drawing of the
        screen: the app draws when it would for a person."""
        from textual.app import ScreenStackError

        for n in range(self.SETTLE_ROUNDS):
            try:
                screen = self.app.screen
                busy = [p for p in screen.walk_children() if p.message_queue_size]
            except ScreenStackError:  # closing
                return
            if n >= 2 and not busy and not self.app.message_queue_size and not screen.message_queue_size:
                return
            pumps = [self.app, screen, *busy]
            done, waiting = asyncio.Event(), set(pumps)

            def handled(pump) -> None:
                waiting.discard(pump)
                if not waiting:
                    done.set()

            for pump in pumps:
                if not pump.call_later(handled, pump):  # closed meanwhile
                    handled(pump)
            while not done.is_set():
                try:  # a widget removed after it took the call never handles it: not a hang
                    await asyncio.wait_for(done.wait(), self.HANG_AFTER)
                except TimeoutError:
                    stuck = [p for p in waiting if p is self.app or (p.is_attached and p.is_running)]
                    assert not stuck, f"not handled in {self.HANG_AFTER} s (the app hangs): {stuck}"
                    return

    SETTLE_ROUNDS = 8  # at most: a chain of messages longer than this continues at the next event

    async def until(self, condition, what: str) -> None:
        """Let the app handle what was sent until ``condition()`` holds (a hang fails the session)."""
        import time

        end = time.monotonic() + self.HANG_AFTER
        while not condition():
            assert time.monotonic() < end, f"not {what} in {self.HANG_AFTER} s"
            await self.settle()

    async def answer_quit_question(self) -> None:
        """The quit question, once it is up, is answered before anything else, with the answer
        that has the focus (No): a random click on "Yes" would quit, as it would for a person."""
        from wizard.screens.dialogs import ConfirmQuit

        while isinstance(question := self.app.screen, ConfirmQuit):
            await self.key("enter")
            await self.until(lambda: self.app.screen is not question, "the quit question answered")

    async def step(self) -> None:
        from wizard.screens.base import StepScreen

        rng, pilot, app = self.rng, self.pilot, self.app
        await self.answer_quit_question()
        self.events += 1
        roll = rng.random()
        if roll < 0.55:
            key = rng.choice(KEYS)
            await self.key(key)  # Ctrl+Q: the quit question, answered at the next event
        elif roll < 0.70:
            w, h = app.size
            await self.click(rng.randrange(max(w, 1)), rng.randrange(max(h, 1)))
        elif roll < 0.78:
            await self.resize(*rng.choice(self.sizes))
        elif roll < 0.88:
            from wizard.answers import parse_answers

            edition = app.edition
            plan = parse_answers(random_plan(rng, edition), edition)
            self.log.append("plan set")
            app.update_answers(**{k: getattr(plan, k) for k in plan.model_fields_set})
        elif roll < 0.93:
            await self.key("ctrl+p", *rng.choice(PALETTE_WORDS), rng.choice(["enter", "escape", "down"]))
        elif roll < 0.97:
            if self.odd_saves:
                await self.save_as_odd_path()
        elif isinstance(app.screen, StepScreen):  # a step chosen in the step indicator (on a step screen only)
            step = rng.choice(["sector", "partnership_type", "partners", "duration", "activities", "summary"])
            self.log.append(f"goto {step}")
            app.goto(step)

    def on_summary(self) -> bool:
        from wizard.screens.summary import SummaryScreen

        return isinstance(self.app.screen, SummaryScreen)

    async def save_as_odd_path(self) -> None:
        from textual.widgets import Input

        from wizard.screens.dialogs import SaveDialog

        await self.key("ctrl+s")
        await self.settle()
        screen = self.app.screen
        if isinstance(screen, SaveDialog) and screen.query("#path"):
            screen.query_one("#path", Input).value = self.rng.choice(ODD_PATHS)
            await self.key("enter")
            if isinstance(self.app.screen, SaveDialog):
                await self.key("escape")

    def verify(self) -> None:
        """The plan the app holds is one its own reader accepts, with the same verdict."""
        app = self.app
        self.checks += 1
        edition = app.edition
        path = self.tmp / "held.json"
        path.write_text(app.answers.to_json(), encoding="utf-8")
        reread = read_answers_file(path, lambda _e: edition, app.lang, app.ui)
        expected = evaluate(reread, edition, app.lang)
        assert evaluate(app.answers, edition, app.lang) == expected
        screen = app.screen
        if self.on_summary() and hasattr(screen, "verdict"):
            shown = str(screen.query_one("#headline").render())
            assert shown == headline(expected, app.ui), (shown, headline(expected, app.ui))
