"""The answers format as pydantic models: the plan the app holds and edits (``Answers``).

Files are read by ``wizard.answers`` without pydantic, by the same rules (a property test
proves that the two accept the same files and refuse them with the same message); these
models validate what the app builds itself (``Answers(...)``, ``Partner(...)``).
``from wizard.answers import Answers`` gives them.
"""
from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, StrictStr


class Partner(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    name: StrictStr
    country: StrictStr
    organisation_type: StrictStr
    role: StrictStr
    eche: StrictBool | None = None


class Answers(BaseModel):
    """One plan. ``None`` means "not answered yet"."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    edition: StrictStr | None = None
    sector: StrictStr | None = None
    partnership_type: StrictStr | None = None
    action: StrictStr | None = None  # applied for under this action code (an optional format's or the sector's)
    partners: list[Partner] | None = None
    duration_months: StrictInt | None = None
    grant_eur: StrictInt | None = None
    activities: list[StrictStr] | None = None
    priorities: list[StrictStr] | None = None
    effects: list[StrictStr] | None = None
    # The step the wizard was on when it autosaved the plan: a resumed plan opens there again.
    # Only the autosave writes it; check accepts and ignores it, the session reads it and never
    # holds it in the plan (a step it does not know is ignored).
    step: StrictStr | None = None

    def to_json(self) -> str:
        return json.dumps(self.model_dump(exclude_none=True), ensure_ascii=False, indent=2) + "\n"
