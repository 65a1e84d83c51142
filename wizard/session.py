"""What a wizard session starts from, and (see Session) what it holds: no Textual here.

``cli`` builds the StartOptions from the command line; the app shows the session.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from wizard.brief import load_brief, load_ui
from wizard.texts import STEPS, Ui, default_edition, pick

if TYPE_CHECKING:  # pydantic loads on first use, not at start-up
    from wizard.answers import Answers
    from wizard.content import Edition
    from wizard.engine import RuleResult
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


class Session:
    """One wizard session: the plan and its edition, the language, where the user is and has
    been, and the autosave. The app shows it; tests drive it directly (no Textual here).

    The edition loads when first needed (the welcome screen shows without it)."""

    def __init__(self, options: StartOptions | None = None, ui: Ui | None = None) -> None:
        options = options or StartOptions()
        self.lang = options.lang
        self._edition = options.edition
        self.edition_id = options.edition.id if options.edition is not None else (options.edition_id or default_edition())
        self.base_ui = ui or load_ui()
        self.ui = self.base_ui.worded_for(self._wording())
        self._answers: Answers | None = None
        self._rules: tuple[RuleResult, ...] | None = None
        if options.answers is not None:
            self.answers = options.answers
        self.visited: set[str] = set()
        self.current_step: str | None = None
        self.visits = 0  # how many times a step was shown: a screen shown again sees it changed
        # the autosave: on (unless a demo or --no-autosave), a change not yet on disk, the last
        # write failed, and an older autosave the user did not resume is kept aside first
        self.autosave = options.autosave
        self.dirty = False
        self.autosave_failed = False
        self.protect_autosave = options.autosave
        self.saved_step: str | None = None  # the step the autosave file records
        self.autosave_ours = False  # the autosave file holds this plan (written or resumed): a new step is saved too
        self.return_to_summary = False  # an answer chosen on the summary is being edited
        self.example: Answers | None = None  # an example plan as it was opened (not autosaved)

    # --- texts -----------------------------------------------------------------------------
    def t(self, key: str, **fields) -> str:
        return self.ui(key, self.lang, **fields)

    def switch_language(self) -> None:
        """The other language; the step on show is shown again in it (not left: not visited)."""
        self.lang = "en" if self.lang == "nl" else "nl"
        self._rules = None  # the messages are in the language
        self.current_step = None

    def _wording(self) -> dict[str, tuple[str, str]]:
        """The interface texts the edition words its own way (its country terms, its title)."""
        if self._edition is not None:
            return {k: (t.nl, t.en) for k, t in self._edition.info.ui.items()}
        return load_brief(self.edition_id).get("ui", {})

    def switch_edition(self, edition_id: str, carry: bool = True) -> str | None:
        """Check the plan against another call. ``carry``: what that edition knows of the plan
        carries over, and the sentence returned lists what does not; else a plan of that
        edition follows (a resumed autosave) and there is nothing to say."""
        from wizard.content import load_edition
        from wizard.storage import carry_over

        if edition_id == self.edition_id:
            return None
        self._edition, self.edition_id = load_edition(edition_id), edition_id
        self.ui = self.base_ui.worded_for(self._wording())
        self._rules = None
        if not carry:
            return None
        title = self._edition.info.title(self.lang)
        if self._answers is None:
            return self.t("edition.switched", title=title)
        moved = carry_over(self._answers, self._edition)
        self.answers, self.dirty = moved.answers, True
        if moved.dropped:
            return self.t("edition.dropped", title=title, items=", ".join(moved.dropped))
        return self.t("edition.switched", title=title)

    def brief(self, field: str) -> str:
        """An edition text for the welcome screen, without loading the whole edition."""
        if self._edition is not None:
            return getattr(self._edition.info, field)(self.lang)
        return pick(self.lang, *load_brief(self.edition_id)[field])

    # --- the plan ----------------------------------------------------------------------------
    @property
    def edition(self) -> Edition:
        if self._edition is None:
            from wizard.content import load_edition

            self._edition = load_edition(self.edition_id)
        return self._edition

    @property
    def started(self) -> bool:
        """Whether there is a plan yet (the welcome screen needs none)."""
        return self._answers is not None

    @property
    def answers(self) -> Answers:
        if self._answers is None:
            from wizard.answers import Answers

            self._answers = Answers(edition=self.edition.id)
        return self._answers

    @answers.setter
    def answers(self, value: Answers) -> None:
        # the plan itself: where a saved plan was (its step) is not part of it
        self._answers = value if value.step is None else value.model_copy(update={"step": None})
        self._rules = None  # checked again when asked

    def update(self, **changes) -> Answers:
        """Change the plan, validated as the answers file is (types, ids, organisations):
        the session never holds a plan its own reader refuses (raises AnswersError)."""
        from wizard.answers import parse_answers

        current = self.answers.model_dump()
        current.update({k: [p.model_dump() if hasattr(p, "model_dump") else p for p in v]
                        if k == "partners" and v is not None else v for k, v in changes.items()})
        self.answers = parse_answers(current, self.edition, self.lang, self.ui)
        self.dirty = True
        return self.answers

    @property
    def rules(self) -> tuple[RuleResult, ...]:
        if self._rules is None:
            from wizard.engine import evaluate_rules

            self._rules = evaluate_rules(self.answers, self.edition, self.lang)
        return self._rules

    def step_rules(self, step: str) -> list[RuleResult]:
        return [r for r in self.rules if r.step == step]

    # --- the steps ------------------------------------------------------------------------------
    def visit(self, step: str) -> None:
        """The user goes to ``step``: the step they leave counts as visited."""
        if self.current_step is not None:
            self.visited.add(self.current_step)
        self.current_step = step
        self.visits += 1

    def step_state(self, step: str) -> str:
        """current, done, attention (something wrong, or missing after a visit) or todo."""
        if step == self.current_step:
            return "current"
        if step == "welcome":
            return "done" if "welcome" in self.visited else "todo"
        if step == "summary" or not self.started:
            return "todo"
        results = self.step_rules(step)
        if any(r.status == "fail" for r in results):
            return "attention"
        if any(r.status == "missing" for r in results):
            return "attention" if step in self.visited else "todo"
        return "done" if results else "todo"

    def resume_step(self, saved: str | None) -> str:
        """Where a resumed plan opens: the step it was autosaved on (the summary too), else (the
        welcome screen, or a step this wizard does not have) the first step needing attention."""
        return saved if saved in STEPS[1:] else self.first_step_needing_attention()

    def first_step_needing_attention(self) -> str:
        for step in STEPS[1:-1]:
            if any(r.status in ("fail", "missing") for r in self.step_rules(step)):
                return step
        return "summary"

    @staticmethod
    def next_step(step: str) -> str:
        return STEPS[min(STEPS.index(step) + 1, len(STEPS) - 1)]

    @staticmethod
    def previous_step(step: str) -> str:
        return STEPS[max(STEPS.index(step) - 1, 0)]

    # --- keeping the plan -------------------------------------------------------------------------
    def open_plan(self, answers: Answers, *, autosave: bool | None = None) -> None:
        """Replace the plan (a resumed autosave, an example plan). ``autosave=False``: this plan
        never overwrites the user's autosave (a demo)."""
        self.saved_step = answers.step
        self.answers = answers
        self.protect_autosave = False
        if autosave is not None:
            self.autosave = autosave
        self.autosave_ours = autosave is None and self.autosave  # a resumed autosave
        self.example = self.answers if autosave is False else None

    def example_changed(self) -> bool:
        """An example plan was changed since it was opened: quitting loses the changes."""
        return self.example is not None and self.answers != self.example

    def flush_autosave(self) -> list[tuple[str, str, float]]:
        """Write the plan to the autosave file if it changed (atomically). Returns what the
        user should be told, as (message, severity, seconds shown): an older autosave kept aside, the
        autosave failing (said once) or working again."""
        moved = self.autosave_ours and self.current_step not in (None, self.saved_step)
        if not (self.autosave and (self.dirty or moved)):
            return []
        from wizard.storage import StorageError, autosave_path, move_aside, write_atomic

        told: list[tuple[str, str, float]] = []
        path = autosave_path()
        try:
            if self.protect_autosave and path.exists():
                told.append((self.t("autosave.kept_previous", path=move_aside(path, "previous")), "information", 12))
            self.protect_autosave = False
            step = self.current_step or self.saved_step
            write_atomic(path, self.answers.model_copy(update={"step": step}).to_json())
            self.saved_step, self.autosave_ours = step, True
        except (StorageError, OSError) as exc:
            if not self.autosave_failed:
                err = exc if isinstance(exc, StorageError) else StorageError("other", str(exc))
                told.append((self.t("autosave.failed", problem=err.describe(self.ui, self.lang)), "error", 20))
            self.autosave_failed = True
            return told
        self.dirty = False
        if self.autosave_failed:
            self.autosave_failed = False
            told.append((self.t("autosave.works_again"), "information", 5))
        return told
