"""The session without Textual: the plan, its validation, the steps' states and the autosave."""
import json

import pytest

from wizard.answers import Answers, AnswersError
from wizard.session import Session, StartOptions
from wizard.storage import autosave_path

from conftest import HE_PLAN, partner


def session(loaded, **plan) -> Session:
    return Session(StartOptions("en", edition=loaded, answers=Answers(**plan) if plan else None))


def test_an_update_is_validated_as_the_answers_file_is(edition):
    s = session(edition, **HE_PLAN)
    before = s.answers
    for bad in ({"duration_months": "long"}, {"sector": "magic"}, {"duration_months": 5000},
                {"partners": [partner("A", "NL"), partner(" a ", "nl")]}, {"colour": "red"}):
        with pytest.raises(AnswersError):
            s.update(**bad)
        assert s.answers is before and not s.dirty  # a refused change changes nothing
    s.update(partners=[partner("  Hogeschool   Utrecht ", "nl", role="coordinator"), partner("UK Uni", "UK")])
    assert [(p.name, p.country) for p in s.answers.partners] == [("Hogeschool Utrecht", "NL"), ("UK Uni", "GB")]
    assert s.dirty and s.answers.duration_months == 24  # the rest of the plan stays


def test_step_states_follow_the_plan_and_the_visits(edition):
    s = session(edition, sector="higher_education")
    s.visit("welcome")
    assert s.step_state("welcome") == "current" and s.step_state("partners") == "todo"
    s.visit("partners")
    assert s.step_state("welcome") == "done" and s.step_state("partners") == "current"
    s.visit("duration")
    assert s.step_state("partners") == "attention"  # visited, still missing
    assert s.step_state("sector") == "done" and s.step_state("activities") == "todo"
    s.update(duration_months=48)
    s.visit("summary")
    assert s.step_state("duration") == "attention"  # outside 24 to 36 months
    assert s.first_step_needing_attention() == "partnership_type"
    assert session(edition, **HE_PLAN).first_step_needing_attention() == "summary"
    assert Session.next_step("summary") == "summary" and Session.previous_step("welcome") == "welcome"


def test_each_step_gets_the_rules_of_its_question(edition):
    s = session(edition, **HE_PLAN)
    assert {r.id for r in s.step_rules("partners")} == {
        "minimum_organisations", "maximum_organisations", "minimum_countries", "partner_countries", "coordinator", "eche"}
    assert [r.id for r in s.step_rules("duration")] == ["duration"]


def test_the_welcome_screen_needs_no_plan_and_no_edition(monkeypatch):
    import wizard.content

    monkeypatch.setattr(wizard.content, "load_edition", lambda *a: pytest.fail("the edition was loaded"))
    s = Session(StartOptions("nl"))
    assert not s.started and s.step_state("sector") == "todo"
    assert "oproep 2026" in s.brief("status_note")  # the newest call, by default


def test_switching_language_changes_the_messages_not_the_plan(edition):
    s = session(edition, **{**HE_PLAN, "duration_months": 40})
    s.visit("duration")
    [en] = [r.message for r in s.step_rules("duration") if r.status == "fail"]
    s.switch_language()
    [nl] = [r.message for r in s.step_rules("duration") if r.status == "fail"]
    assert s.lang == "nl" and nl != en and "maanden" in nl and s.answers.duration_months == 40
    assert s.current_step is None and "duration" not in s.visited  # shown again, not left


def test_autosave_keeps_an_older_plan_aside_and_says_each_outcome_once(edition, tmp_path, monkeypatch):
    autosave_path().parent.mkdir(parents=True)
    autosave_path().write_text('{"sector": "vet"}', encoding="utf-8")
    s = Session(StartOptions("en", edition=edition, autosave=True))
    assert s.flush_autosave() == []  # nothing changed yet: nothing written
    s.update(sector="youth")
    [(kept, severity, _)] = s.flush_autosave()
    assert "autosave.previous-" in kept and severity == "information"
    assert json.loads(autosave_path().read_text()) == {"edition": "2020", "sector": "youth"}
    assert [json.loads(p.read_text()) for p in autosave_path().parent.glob("autosave.previous-*.json")] == [{"sector": "vet"}]
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("PARTNERSHIP_WIZARD_DATA", str(blocker / "data"))
    s.update(duration_months=12)
    [(failed, severity, _)] = s.flush_autosave()
    assert "Autosave is not working" in failed and severity == "error"
    s.update(duration_months=13)
    assert s.flush_autosave() == [] and s.dirty  # said once; still to be written
    monkeypatch.undo()
    monkeypatch.setenv("PARTNERSHIP_WIZARD_DATA", str(autosave_path().parent.parent / "data2"))
    [(again, _, _)] = s.flush_autosave()
    assert "Autosave works again" in again and not s.dirty
    assert json.loads(autosave_path().read_text())["duration_months"] == 13


def test_a_demo_never_writes_the_autosave(edition):
    s = Session(StartOptions("en", edition=edition, autosave=True))
    s.open_plan(Answers(sector="vet"), autosave=False)
    s.update(duration_months=20)
    assert s.flush_autosave() == [] and not autosave_path().exists()


def test_a_resumed_plan_opens_on_its_saved_step_if_the_wizard_has_it(edition):
    s = session(edition, **HE_PLAN)
    assert s.resume_step("summary") == "summary" and s.resume_step("duration") == "duration"
    first = s.first_step_needing_attention()
    assert s.resume_step(None) == s.resume_step("welcome") == s.resume_step("nowhere") == first
