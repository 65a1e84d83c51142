"""The step indicator: "Step 4 of 7 · Partners" and a row of steps with their state."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Click
from textual.widgets import Static

from wizard.app import STEPS

SYMBOL = {"done": "✓", "current": "●", "attention": "!", "todo": "○"}


class StepChip(Static):
    """One step in the row; clicking it jumps there."""

    def __init__(self, step: str) -> None:
        super().__init__(id=f"chip-{step}", classes="chip")
        self.step = step

    def on_click(self, event: Click) -> None:
        event.stop()
        self.app.goto(self.step)


class Stepper(Vertical):
    def __init__(self, step: str) -> None:
        super().__init__(id="stepper")
        self.step = step

    def compose(self) -> ComposeResult:
        yield Static(id="position")
        with Horizontal(id="chips"):
            for step in STEPS:
                yield StepChip(step)

    def on_mount(self) -> None:
        self.refresh_states()

    def refresh_states(self) -> None:
        app = self.app
        number = STEPS.index(self.step) + 1
        self.query_one("#position", Static).update(Content(
            app.t("stepper.position", number=number, total=len(STEPS), title=app.t(f"step.long.{self.step}"))
        ))
        for chip in self.query(StepChip):
            state = app.step_state(chip.step)
            chip.update(Content(f"{SYMBOL[state]} {app.t(f'step.{chip.step}')}"))
            chip.set_classes(f"chip -{state}")
            chip.tooltip = app.t(f"stepper.state.{state}")
