"""The step indicator: "Step 4 of 7 · Partners" and a row of steps with their state.

One widget for the whole row (each step a clickable span), so that every screen stays
light: every widget costs style work on each step change."""
from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from wizard.texts import STEPS

SYMBOL = {"done": "✓", "current": "●", "attention": "!", "todo": "○"}
STYLE = {"done": "$success", "current": "bold reverse", "attention": "bold $warning", "todo": "$text-muted"}


class Stepper(Static):
    def __init__(self, step: str) -> None:
        super().__init__(id="stepper")
        self.step = step
        self.states: dict[str, str] = {}

    def on_mount(self) -> None:
        self.refresh_states()

    def refresh_states(self) -> None:
        app = self.app
        number = STEPS.index(self.step) + 1
        self.states = {step: app.session.step_state(step) for step in STEPS}
        position = Content(app.t("stepper.position", number=number, total=len(STEPS),
                                 title=app.t(f"step.long.{self.step}"))).stylize("bold")
        chips = [
            Content(f"{SYMBOL[state]} {app.t(f'step.{step}')}").stylize(STYLE[state]).stylize(f"@click=app.goto('{step}')")
            for step, state in self.states.items()
        ]
        self.update(Content.assemble(position, "\n", *sum(([c, " "] for c in chips), [])))
        self.tooltip = app.t("stepper.legend")
