import json
from pathlib import Path

import pytest

from wizard.answers import Answers, parse_answers
from wizard.content import load_edition, load_ui

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="session")
def edition():
    return load_edition("2020")


@pytest.fixture(scope="session")
def ui():
    return load_ui()


@pytest.fixture
def make_answers(edition):
    def make(**fields) -> Answers:
        return parse_answers({"edition": "2020", **fields}, edition)

    return make


def golden_cases(edition_id: str = "2020"):
    for path in sorted((GOLDEN / edition_id).glob("*.json")):
        yield pytest.param(json.loads(path.read_text(encoding="utf-8")), id=path.stem)


def partner(name, country, t="higher_education_institution", role="partner", eche=True):
    d = {"name": name, "country": country, "organisation_type": t, "role": role}
    if t == "higher_education_institution":
        d["eche"] = eche
    return d


HE_PLAN = {
    "sector": "higher_education",
    "partnership_type": "innovation",
    "partners": [
        partner("Hogeschool Utrecht", "NL", role="coordinator"),
        partner("Universität Wien", "AT"),
        partner("Universidade do Porto", "PT"),
    ],
    "duration_months": 24,
    "activities": ["transnational_project_meetings", "intellectual_outputs"],
    "priorities": ["social_inclusion"],
}


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path, monkeypatch):
    """Every test gets its own autosave folder: no test touches the user's real plans."""
    monkeypatch.setenv("PARTNERSHIP_WIZARD_DATA", str(tmp_path / "data"))
