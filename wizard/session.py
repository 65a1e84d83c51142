"""What a wizard session starts from, and (see Session) what it holds: no Textual here.

``cli`` builds the StartOptions from the command line; the app shows the session.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pydantic loads on first use, not at start-up
    from wizard.answers import Answers
    from wizard.content import Edition
    from wizard.storage import Loaded


@dataclass(frozen=True)
class StartOptions:
    """How the wizard starts.

    ``edition``: already loaded (tests, benchmarks); else ``edition_id`` (default the newest)
    is loaded when a step first needs it, so that the welcome screen shows without waiting.
    ``start``: the first step shown; None means the first step that needs attention.
    ``autosave``: write every change to the autosave file. ``resume``: an autosaved plan to
    offer. ``dropped``: unknown ids taken out of ``answers``, to be confirmed by the user.
    ``notices``: messages to show once the app runs. ``demo``: an example plan to open."""

    lang: str = "en"
    edition_id: str | None = None
    edition: Edition | None = None
    answers: Answers | None = None
    start: str | None = "welcome"
    autosave: bool = False
    resume: Loaded | None = None
    dropped: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    demo: str | None = None
    theme: str = "default"
