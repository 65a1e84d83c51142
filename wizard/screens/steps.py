"""The step screens of an app: each built once per language and call, installed and kept, and
built ahead in the background while the user reads the first one (see ``warm_up``).

Built screens wait on the stack of Textual's default screen mode, which is never shown: the
wizard runs in a mode of its own (``MODE``) once its first screen is up."""
from __future__ import annotations

import asyncio
import gc
import importlib
import time
from functools import partial

from textual import events
from textual.screen import Screen

from wizard.texts import STEPS

SCREENS = {
    "welcome": "wizard.screens.welcome:WelcomeScreen",
    "sector": "wizard.screens.sector:SectorScreen",
    "partnership_type": "wizard.screens.partnership_type:PartnershipTypeScreen",
    "partners": "wizard.screens.partners:PartnersScreen",
    "duration": "wizard.screens.duration:DurationScreen",
    "activities": "wizard.screens.activities:ActivitiesScreen",
    "summary": "wizard.screens.summary:SummaryScreen",
}
MODE = "wizard"  # the screen mode the wizard is shown in, once the first screen is up (enter_own_mode)
# Heavy imports first, one per turn of the event loop: a key pressed meanwhile waits for
# one of them at most, not for all of them (pydantic alone takes ~60 ms).
WARM_UP_IMPORTS = ("pydantic_core", "annotated_types", "pydantic", "pydantic.types", "pydantic.main",
                   "wizard.content", "wizard.answers", "wizard.engine")


def screen_key(app, step: str, lang: str | None = None) -> str:
    """The name a step's screen is installed under: one per step, language (the app's) and call."""
    return f"{step}-{lang or app.lang}-{app.session.edition_id}"


def step_screen(app, step: str) -> Screen:
    """The screen of a step in the app's language and call: built and installed on first use."""
    key = screen_key(app, step)
    if not app.is_screen_installed(key):
        module, _, name = SCREENS[step].partition(":")
        screen = getattr(importlib.import_module(module), name)()
        # the size classes Textual gives it for the window's size: its styles are worked out
        # once, not again when it first learns the size
        screen.add_class(*size_classes(app))
        app.install_screen(screen, key)
    return app.get_screen(key)


def size_classes(app) -> set[str]:
    """The breakpoint classes (App.HORIZONTAL_BREAKPOINTS, VERTICAL_BREAKPOINTS) of the window's size."""
    width, height = app.size
    return {name for size, points in ((width, app.HORIZONTAL_BREAKPOINTS), (height, app.VERTICAL_BREAKPOINTS))
            for name in [next((name for limit, name in sorted(points, reverse=True) if size >= limit), None)] if name}


def first_paint_done(app) -> None:
    """Once the first screen is drawn: what is built so far is frozen (see freeze_built; the
    young garbage collected first: ~50 objects, under 1 ms), and the warm-up is set to start."""
    freeze_built(app, generation=1)
    in_background(app, warm_up)


def in_background(app, job) -> None:
    """Run ``job(app)`` in the background ``app.WARM_UP_AFTER`` seconds from now (never if None),
    instead of one started before."""
    if app.WARM_UP_AFTER is not None:
        app.set_timer(app.WARM_UP_AFTER, partial(app.run_worker, partial(job, app), group="prebuild", exclusive=True))


def freeze_built(app, generation: int) -> None:
    """Keep what the app has built so far out of the garbage collector's full passes (gc.freeze),
    which otherwise cost tens of ms in the middle of a step change: at the first paint (Textual
    and the first screen; a step built while the user goes on at once then pays ~20 ms for a full
    pass instead of ~50-90) and once the step screens are built (a first visit after the build:
    ~200 -> ~110 ms CPU). Garbage up to ``generation`` is collected first: frozen, it would stay.

    Only in a process that ends with the app (``app.FREEZE_BUILT``, set by the command line; a
    served session is one): Python can unfreeze only all or nothing, so nothing is unfrozen,
    neither what the app froze nor what others froze before it (serve's warm worker, whose pages
    its sessions share; the tests' conftest). A process that runs one app after another (tests,
    serve's warm-up run) leaves it off: its frozen set would keep every app."""
    if app.FREEZE_BUILT:
        gc.collect(generation)
        gc.freeze()


async def warm_up(app) -> None:
    """Load the edition and build the step screens before they are needed, so that the
    first step change does not pay for them (the welcome screen shows without them). What is
    built is frozen once per app, not after a later build (another language or call): the
    frozen set would grow with each and keep what a switch let go."""
    shown_since = time.monotonic() - (app.WARM_UP_AFTER or 0)  # the first screen, read since it was drawn
    for name in (*WARM_UP_IMPORTS, *(t.partition(":")[0] for t in SCREENS.values())):
        importlib.import_module(name)
        await asyncio.sleep(0)
    app.session.edition
    await asyncio.sleep(0)
    app.session.step_rules("sector")
    await asyncio.sleep(0)
    await prebuild(app, shown_since)
    freeze_built(app, generation=2)  # garbage first: ~1.7 MiB


async def prebuild(app, shown_since: float | None = None) -> None:
    """Build the step screens one by one while the user reads the first one, so that no step is
    slow the first time it is shown: composed and mounted on a stack that is not shown."""
    while not enter_own_mode(app) or len(app.screen_stack) > 2:  # a question is open: build once
        await asyncio.sleep(0.2)                                       # it is answered
    built: list[Screen] = []
    reading = Reading(app, shown_since)
    while (step := next_to_build(app, built)) is not None:
        if not app.is_running or not app.screen_stack:
            return  # closing
        screen = step_screen(app, step)
        built.append(screen)
        await app.push_screen(screen, mode=app.DEFAULT_MODE)
        lay_out(screen)
        await reading.wait()
    for screen in built:  # styled again for the CSS of the widgets of the steps built after it
        if not app.is_running or not app.screen_stack:
            return
        lay_out(screen)
        await reading.wait()


class Reading:
    """When the user reads, the background build goes on: a build then rarely meets a step change
    in the middle (started at any moment, the build of the partners step, ~150 ms, met a user who
    goes on at once in the change to partnership_type). Right after the step on show changed and
    the new one is drawn (the user reads it: one build), or once a step has been on show
    ``app.READING`` seconds (builds ``app.PREBUILD_PAUSE`` apart, so that keys go first)."""

    def __init__(self, app, since: float | None = None) -> None:
        """``since``: when the step on show was drawn (default: now)."""
        self.app, self.shown, self.since = app, self.top(app), time.monotonic() if since is None else since

    @staticmethod
    def top(app) -> Screen | None:
        stack = app.screen_stack
        return stack[-1] if stack else None

    async def wait(self) -> None:
        app = self.app
        while self.top(app) is self.shown and time.monotonic() - self.since < app.READING:
            await asyncio.sleep(app.PREBUILD_PAUSE)
        if self.top(app) is self.shown or not app.is_running:
            await asyncio.sleep(app.PREBUILD_PAUSE)
        else:  # the user went on
            self.shown, self.since = self.top(app), time.monotonic()
            await app.wait_for_refresh()


def next_to_build(app, tried: list[Screen]) -> str | None:
    """The step the user will likely go to first of those not built yet: the steps after the one
    on show, in order, then those before it (a user who goes on at once overtakes a build in the
    steps' order, and then waits for the screen the build is busy with, not the one after)."""
    here = STEPS.index(app.current_step) + 1 if app.current_step in STEPS else 0
    for step in (*STEPS[here:], *STEPS[:here]):
        key = screen_key(app, step)
        if not app.is_screen_installed(key):
            return step
        screen = app.get_screen(key)
        if not screen.is_running and screen not in tried:  # installed, not mounted yet
            return step
    return None


def lay_out(screen: Screen) -> None:
    """Have Textual lay a screen built in the background out for the window, as it does when a
    screen is shown (a ScreenResume: styles, layout, the widgets told their size), so that its
    first visit costs about what a later one does (with StepScreen's styles kept: partners
    ~150 -> ~50 ms CPU). Not a screen on show already (the user went there while it was built)."""
    if not screen.is_current:
        screen.post_message(events.ScreenResume())


def enter_own_mode(app) -> bool:
    """Show the wizard in a screen mode of its own: Textual's default mode, no longer shown, holds
    the screens built in the background (after the first screen: a new mode costs a restyle)."""
    if app.current_mode != MODE and app.is_running:
        if len(app.screen_stack) != 2:
            return False  # a dialog is open: later
        shown = app.screen
        app.add_mode(MODE, Screen)
        app.switch_mode(MODE)
        app.push_screen(shown)
    return True
