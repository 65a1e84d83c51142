"""The wizard driven by Textual's Pilot: every screen, validation, navigation, safety."""
import json

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import DataTable, Input, Static

from wizard.answers import Answers, parse_answers, read_answers_file
from wizard.content import load_edition
from wizard.engine import evaluate
from wizard.texts import STEPS
from wizard.screens.dialogs import ConfirmQuit, HelpScreen, WhyScreen
from wizard.widgets.stepper import Stepper

from conftest import (HE_PLAN, fill_partner, make_app, notifications, partner, press_next, settle, visible_texts, wait_until,
                      walk)


def text_of(widget) -> str:
    return str(widget.render())


def screen_text(app) -> str:
    """All the text of the current screen (what a user reads)."""
    return visible_texts(app)


# --- welcome and language -------------------------------------------------------------
async def test_welcome_says_what_it_is_and_starts():
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.current_step == "welcome"
        text = screen_text(app)
        assert "not an official decision" in text and "This call has closed" in text
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_step == "sector"


async def test_language_choice_on_welcome_switches_every_text():
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#language").focus()
        await pilot.press("up", "enter")  # highlight Nederlands (English is chosen), choose it
        await settle(pilot)
        assert app.lang == "nl"
        assert "Stap 1 van 7" in screen_text(app)
        assert app.current_step == "welcome"


def test_default_language_follows_the_locale(monkeypatch):
    from wizard.cli import default_lang

    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "nl_BE.UTF-8")
    assert default_lang() == "nl"
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert default_lang() == "en"
    assert default_lang("nl") == "nl"


# --- sector and type ----------------------------------------------------------------------
async def test_next_without_a_sector_says_what_to_do_and_stays():
    app = make_app("en", start="sector")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_next(pilot)
        assert app.current_step == "sector"
        assert "Choose a sector first" in text_of(app.screen.query_one("#problems"))
        assert app.focused.id == "sectors"


async def test_sector_choice_is_saved_and_explained():
    app = make_app("en", start="sector")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        prompt = str(app.screen.query_one("#sectors").get_option("youth").prompt)
        assert "youth workers" in prompt  # one line on who it is for
        await pilot.press("down", "down", "down", "down", "enter")
        await settle(pilot)
        assert app.answers.sector == "youth"
        await pilot.press("enter")  # focus moved to Next
        await settle(pilot)
        assert app.current_step == "partnership_type"


async def test_enter_on_the_answer_already_chosen_moves_on_too():
    app = make_app("en", HE_PLAN, start="sector")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = app.answers
        await pilot.press("enter")  # the highlighted option is the sector already chosen
        await settle(pilot)
        assert app.focused.id == "next" and app.answers is before  # nothing changed, nothing to save
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_step == "partnership_type"
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert app.current_step == "partners"
        app.goto("welcome")
        await settle(pilot)
        app.screen.query_one("#language").focus()
        await pilot.pause()
        await pilot.press("enter")  # English, already chosen
        await settle(pilot)
        assert app.lang == "en" and app.focused.id == "next"


async def test_higher_education_shows_exchange_disabled_with_the_reason():
    app = make_app("en", {"sector": "higher_education"}, start="partnership_type")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        types = app.screen.query_one("#types")
        option = types.get_option("exchange_of_good_practices")
        assert option.disabled
        assert "only apply for projects supporting innovation" in str(option.prompt)
        await pilot.press("down", "down", "enter")  # navigation skips the disabled option
        await settle(pilot)
        assert app.answers.partnership_type == "innovation"


async def test_school_sector_explains_the_school_exchange_format():
    app = make_app("en", {"sector": "school_education"}, start="partnership_type")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#types").get_option("exchange_of_good_practices").disabled
        assert "School Exchange Partnership (KA229)" in screen_text(app)


# --- partners -------------------------------------------------------------------------------
async def test_partners_add_with_live_counters_and_not_counted_explained():
    app = make_app("en", {"sector": "higher_education", "partnership_type": "innovation"}, start="partners")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await fill_partner(pilot, "Hogeschool Utrecht", "NL", eche="yes")
        await fill_partner(pilot, "Universität Wien", "AT", eche="yes")
        counters = text_of(app.screen.query_one("#counters"))
        assert "2 of 3 organisations from programme countries · 2 of 3 countries" in counters
        await fill_partner(pilot, "ETH Zürich", "CH")
        assert "ETH Zürich does not count" in text_of(app.screen.query_one("#not-counted"))
        assert [p.role for p in app.answers.partners] == ["coordinator", "partner", "partner"]
        assert app.answers.partners[0].eche is True and app.answers.partners[0].country == "NL"
        assert app.screen.query_one(DataTable).row_count == 3


async def test_partner_form_rejects_empty_name_and_duplicates():
    app = make_app("en", {"sector": "youth", "partners": [partner("Jugendring", "DE", "youth_organisation", "coordinator")]}, start="partners")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#add").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "Fill in the name" in text_of(app.screen.query_one("#form-error"))
        assert app.focused.id == "name"
        await fill_partner(pilot, "jugendring", "DE", "youth_organisation")
        assert "already in the list" in text_of(app.screen.query_one("#form-error"))
        assert len(app.answers.partners) == 1


async def test_partner_edit_and_remove_from_the_table():
    plan = {"sector": "higher_education", "partners": HE_PLAN["partners"]}
    app = make_app("en", plan, start="partners")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        table.focus()
        await pilot.press("down", "enter")  # second row: edit
        await settle(pilot)
        name = app.screen.query_one("#name", Input)
        assert name.value == "Universität Wien"
        name.value = "Universität Graz"
        app.screen.query_one("#add").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.answers.partners[1].name == "Universität Graz"
        table.focus()
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        app.screen.query_one("#remove").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "Remove Universidade do Porto from the list?" in screen_text(app)
        await pilot.press("enter")  # the safe answer has the focus: keep it
        await settle(pilot)
        assert len(app.answers.partners) == 3
        app.screen.query_one("#remove").press()
        await settle(pilot)
        app.screen.query_one("#yes").press()
        await settle(pilot)
        assert [p.name for p in app.answers.partners] == ["Hogeschool Utrecht", "Universität Graz"]


async def test_the_table_cursor_stays_on_its_organisation_when_the_window_or_the_plan_changes():
    """A trainer resizing the window, or an organisation changed elsewhere, leaves the cursor
    where the user put it (it went back to the first row at every resize)."""
    partners = [*HE_PLAN["partners"], partner("Uniwersytet Warszawski", "PL")]
    app = make_app("en", {"sector": "higher_education", "partners": partners}, start="partners")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        table.focus()
        await pilot.press("down", "down")
        await settle(pilot)
        assert table.cursor_row == 2
        await pilot.resize_terminal(100, 34)  # taller
        await settle(pilot)
        assert table.cursor_row == 2
        await pilot.resize_terminal(44, 34)  # so narrow that the type goes under the name
        await settle(pilot)
        assert table.row_count == 4 and table.cursor_row == 2
        assert str(table.get_row_at(2)[1]) == "PT"  # Universidade do Porto, its name cut short here
        app.update_answers(partners=app.answers.partners[:2])  # the rows below it are gone
        await settle(pilot)
        assert table.cursor_row == 1

async def test_next_on_partners_shows_problems_focuses_and_second_next_continues():
    plan = {"sector": "higher_education", "partnership_type": "innovation", "partners": HE_PLAN["partners"][:2]}
    app = make_app("en", plan, start="partners")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_next(pilot)
        assert app.current_step == "partners"
        problems = text_of(app.screen.query_one("#problems"))
        assert "2 of 3 organisations from programme countries. Add 1 more" in problems
        assert "press Next again" in problems
        assert app.focused.id == "name"
        await press_next(pilot)
        assert app.current_step == "duration"


# --- duration -----------------------------------------------------------------------------------
async def test_duration_shows_the_range_before_typing_and_checks_as_you_type():
    app = make_app("en", {"sector": "higher_education"}, start="duration")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Allowed for higher education: 24 to 36 months." in text_of(app.screen.query_one("#range"))
        await pilot.press("1", "2")
        await settle(pilot)
        assert app.answers.duration_months == 12
        assert "12 months is outside 24 to 36 months" in text_of(app.screen.query_one("#problems"))
        await pilot.press("backspace", "backspace", "2", "4")
        await settle(pilot)
        assert not app.screen.query_one("#problems-box").display
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_step == "activities"


DURATION_TYPED = {
    "24.5": ("24.5", '✗ "24.5" is not a whole number of months.'),
    "0": ("0", "✗ 0 months is not possible: a project lasts at least 1 month."),
    "-1": ("-1", "✗ -1 months is not possible: a project lasts at least 1 month."),
    "9999": ("9999", "✗ 9999 months is not possible: that is more than 1200 months."),
    "999999999999": ("999999999999", "✗ 999999999999 months is not possible: that is more than 1200 months."),
    "twelve": ("twelve", '✗ "twelve" is not a whole number of months.'),
}


@pytest.mark.parametrize("typed", DURATION_TYPED, ids=list(DURATION_TYPED))
async def test_duration_says_what_is_wrong_keeps_what_was_typed_and_never_holds_it(typed, tmp_path):
    """Issue #11 (inputs) and #14 item 3: what was typed stays, the line under it says what is
    wrong, and the plan holds no duration that check would refuse (Next says the same)."""
    app = make_app("en", {"sector": "higher_education"}, start="duration")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*typed)
        await settle(pilot)
        value, error = DURATION_TYPED[typed]
        assert app.screen.query_one("#months", Input).value == value
        assert text_of(app.screen.query_one("#field-error")).startswith(error)
        assert app.answers.duration_months is None
        path = tmp_path / "plan.json"
        path.write_text(app.answers.to_json(), encoding="utf-8")
        read_answers_file(path, lambda _e: app.edition)  # check's reader takes what the app holds
        await pilot.press("enter")  # Next: the box says what is wrong with the number, not "not answered"
        await settle(pilot)
        problems = text_of(app.screen.query_one("#problems"))
        assert error in problems and "not answered" not in problems.lower()
        app.goto("sector")
        await settle(pilot)
        app.goto("duration")
        await settle(pilot)
        assert app.screen.query_one("#months", Input).value == value  # kept, with its reason
        assert text_of(app.screen.query_one("#field-error")).startswith(error)


async def test_duration_range_of_the_school_exchange_format():
    plan = {"sector": "school_education", "partnership_type": "exchange_of_good_practices",
            "partners": [partner("A", "NL", "school", "coordinator"), partner("B", "DE", "school")]}
    app = make_app("en", plan, start="duration")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "12 to 24 months. Up to 36 months if you plan long-term pupil mobility" in text_of(app.screen.query_one("#range"))


# --- activities --------------------------------------------------------------------------------------
async def test_activities_disabled_with_reason_and_choices_saved():
    plan = {"sector": "vet", "partnership_type": "exchange_of_good_practices"}
    app = make_app("en", plan, start="activities")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        acts = app.screen.query_one("#activities")
        isp = acts.get_option("intensive_study_programmes")
        assert isp.disabled and "only in higher education" in str(isp.prompt)
        io = acts.get_option("intellectual_outputs")  # possible; only its dedicated budget is missing (issue 9)
        assert not io.disabled and "dedicated budget" in str(io.prompt)
        prios = app.screen.query_one("#priorities")
        assert "wording to confirm" in str(prios.get_option("common_values").prompt)
        prios.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.answers.priorities == ["social_inclusion"]
        acts.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.answers.activities == ["transnational_project_meetings"]
        await pilot.press("enter")  # space/enter toggles off again
        await settle(pilot)
        assert app.answers.activities == []


# --- navigation ----------------------------------------------------------------------------------------
async def test_back_and_forward_keep_every_answer():
    app = make_app("en", HE_PLAN, start="duration")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = app.answers.model_dump()
        for _ in range(4):
            await pilot.press("escape")
            await settle(pilot)
        assert app.current_step == "welcome"
        await pilot.press("escape")  # nothing before the welcome screen
        await settle(pilot)
        assert app.current_step == "welcome"
        assert app.answers.model_dump() == before
        assert not app.screen.query_one("#back").display
        for step in ["sector", "partnership_type", "partners", "duration", "activities"]:
            await press_next(pilot)  # a complete plan: Next goes straight on
            assert app.current_step == step
        assert app.screen.query_one("#activities").selected == HE_PLAN["activities"]
        await pilot.press("escape")
        await settle(pilot)
        assert app.current_step == "duration" and app.screen.query_one("#months", Input).value == "24"
        await press_next(pilot)
        await press_next(pilot)
        assert app.current_step == "summary" and app.screen.verdict.eligible
        assert app.answers.model_dump() == before


async def test_changing_an_earlier_answer_marks_a_later_step():
    app = make_app("en", HE_PLAN, start="summary")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        stepper = app.screen.query_one(Stepper)
        assert stepper.states["partners"] == "done" and "✓ Partners" in text_of(stepper)
        answers = app.screen.query_one("#answers")
        answers.focus()
        answers.highlighted = answers.get_option_index("sector")
        await pilot.press("enter")  # edit the sector from the summary
        await settle(pilot)
        assert app.current_step == "sector"
        await pilot.press("up", "enter")  # from higher education up to VET: still fine
        await settle(pilot)
        assert app.answers.sector == "vet" and app.screen.query_one(Stepper).states["duration"] == "done"
        app.update_answers(sector="youth", duration_months=40)
        await settle(pilot)
        stepper = app.screen.query_one(Stepper)
        assert stepper.states["duration"] == "attention" and "! Duration" in text_of(stepper)
        await pilot.click(Stepper, offset=(1 + text_of(stepper).splitlines()[1].index("! Duration") + 3, 1))  # 1: padding
        await settle(pilot)
        assert app.current_step == "duration"  # a click on a step in the indicator goes there


async def test_help_and_command_palette_and_quit_confirmation():
    app = make_app("en", start="partners")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "Exactly one organisation is the coordinator" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Go to step: Duration" in titles and "Switch language: Nederlands (taal wisselen)" in titles and "Quit" in titles
        await pilot.press("ctrl+p")  # the command palette, as the key bar says
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"step: durat")
        results = app.screen.query_one(CommandList)
        await wait_until(pilot, lambda: results.option_count > 0, "palette results")
        assert "Go to step: Duration" in str(results.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_step == "duration"
        app.goto("partners")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmQuit)
        await pilot.press("escape")
        await settle(pilot)
        assert app.current_step == "partners" and app.is_running
        await pilot.press("ctrl+q")
        await settle(pilot)
        app.screen.query_one("#yes").press()
        await settle(pilot)
    assert app.return_code == 0


async def test_switch_language_keeps_answers_and_step():
    app = make_app("en", HE_PLAN, start="duration")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert app.lang == "nl" and app.current_step == "duration"
        assert "Toegestaan voor hoger onderwijs" in screen_text(app)
        assert app.answers.duration_months == 24


# --- sizes --------------------------------------------------------------------------------------------------
async def test_too_small_window_says_so_and_resizing_does_not_crash():
    app = make_app("en", HE_PLAN, start="partners")
    async with app.run_test(size=(50, 12)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#too-small").display
        assert "Make the window larger" in text_of(app.screen.query_one("#too-small"))
        for size in [(80, 24), (120, 40), (30, 8), (200, 60), (80, 24)]:
            await pilot.resize_terminal(*size)
            await settle(pilot)
        assert not app.screen.query_one("#too-small").display
        assert app.screen.query_one("#body").display


TOO_SMALL_KEYS = ["pagedown", "pageup", "escape", "ctrl+n", "enter", "down", "tab", "f2", "ctrl+s", "ctrl+p", "1"]


@pytest.mark.parametrize("size", [(40, 12), (30, 8), (50, 12)])
async def test_nothing_behind_the_too_small_message_takes_keys(size):
    """Issue #14 item 1: Page Down on a list the app has hidden failed inside Textual (KeyError);
    Esc and Ctrl+N changed the step unseen (issue #11)."""
    app = make_app("en", {"sector": "youth"}, start="partnership_type")
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#too-small").display
        await pilot.press("escape", "pagedown")  # the minimal case of the issue
        await pilot.press(*TOO_SMALL_KEYS)
        await settle(pilot)
        assert app.current_step == "partnership_type" and app.lang == "en" and len(app.screen_stack) == 2
        assert app.answers.partnership_type is None
        app.notify("a long notification " * 5)
        await settle(pilot)
        assert any("a long notification" in shown for shown in notifications(app))  # it came
        toasts = app.screen.query("Toast")
        assert toasts and not any(t.visible for t in toasts)  # it does not cover the message
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert all(t.visible for t in app.screen.query("Toast"))
        await pilot.press("escape")  # large enough again: the keys act
        await settle(pilot)
        assert app.current_step == "sector"


async def test_the_country_list_open_when_the_window_gets_too_small():
    app = make_app("en", HE_PLAN, start="partners")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#country").focus()
        await pilot.press("enter")  # opens the list
        await settle(pilot)
        await pilot.resize_terminal(40, 12)
        await settle(pilot)
        await pilot.press("pagedown", "pageup", "enter", "escape", "escape")
        await settle(pilot)
        assert app.current_step == "partners"
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert app.current_step == "partners" and len(app.answers.partners) == 3


async def test_page_keys_on_a_list_without_room_for_a_page():
    """Page Up/Down on a list of zero height failed inside Textual (KeyError): in the palette
    before its list is laid out (found by the TUI fuzz test)."""
    from textual import events

    app = make_app("en", {"sector": "youth"}, start="sector")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("ctrl+p", "a", "pagedown", "pageup"):  # on their way together: no layout between them
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await settle(pilot)
        assert app.current_step == "sector" and app.is_running


async def test_a_step_shown_again_after_a_resize_fits_the_new_size():
    """Kept step screens were not on show when the window changed size."""
    app = make_app("en", HE_PLAN, start="sector")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.goto("duration")
        await settle(pilot)
        await pilot.resize_terminal(50, 12)
        await settle(pilot)
        app.goto("sector")
        await settle(pilot)
        assert app.screen.query_one("#too-small").display
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        app.goto("duration")
        await settle(pilot)
        assert not app.screen.query_one("#too-small").display
        assert app.screen.has_class("-wide") and app.screen.has_class("-roomy")


# --- markup safety ------------------------------------------------------------------------------------------
NASTY = ["ACME [Ltd]", "[/]", "[@click=app.quit]x", "[b]bold[/b] $name"]


async def test_user_text_is_shown_literally_everywhere():
    partners = [partner(n, c, "ngo", "coordinator" if i == 0 else "partner") for i, (n, c) in enumerate(zip(NASTY, ["NL", "DE", "AT", "CH"]))]
    plan = {**HE_PLAN, "sector": "adult_education", "partners": partners}
    app = make_app("en", plan, start="partners")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        cells = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert cells == NASTY
        assert "[b]bold[/b] $name does not count" in text_of(app.screen.query_one("#not-counted"))
        app.goto("summary")
        await settle(pilot)
        text = screen_text(app)
        for name in NASTY:
            assert name in text
        assert app.is_running  # the [@click=app.quit] name did not become a live action


# --- full walk-throughs ---------------------------------------------------------------------------------------------
def assert_summary_matches_engine(app):
    verdict = evaluate(app.answers, app.edition, app.lang)
    screen = app.screen
    assert screen.verdict == verdict
    headline = text_of(screen.query_one("#headline"))
    from wizard.report import headline as report_headline

    assert headline == report_headline(verdict, app.ui)
    rules = screen.query_one("#rules")
    for r in verdict.rules:
        shown = str(rules.get_option(r.id).prompt)
        assert shown.startswith(f"{app.t('status.' + r.status)} — {r.title}")
        assert r.message in shown


async def test_full_keyboard_walk_eligible_higher_education_plan():
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await walk(pilot, [("Hogeschool Utrecht", "NL", "higher", None, "yes"),
                           ("Universität Wien", "aust", "higher", None, "yes"),
                           ("Universidade do Porto", "PT", "higher", None, "yes")], "24")
        assert app.current_step == "summary"
        assert [p.country for p in app.answers.partners] == ["NL", "AT", "PT"]  # codes, and Austria before Australia
        assert app.screen.verdict.eligible
        assert "✓ ELIGIBLE" in text_of(app.screen.query_one("#headline"))
        assert_summary_matches_engine(app)


async def test_full_keyboard_walk_not_eligible_plan_in_dutch():
    app = make_app("nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await walk(pilot, [("Hogeschool Utrecht", "nederl", "hoger", None, "nee"),
                           ("ETH Zürich", "zwitser", "hoger", None, None)], "40")
        assert app.current_step == "summary"
        v = app.screen.verdict
        assert not v.eligible
        assert {"minimum_organisations", "minimum_countries", "duration", "eche"} <= set(v.failing())
        assert [p.country for p in app.answers.partners] == ["NL", "CH"] and app.answers.partners[0].eche is False
        assert "✗ NIET SUBSIDIABEL" in text_of(app.screen.query_one("#headline"))
        assert_summary_matches_engine(app)


async def test_every_step_opens_from_the_command_palette_entries():
    # speed is measured by scripts/bench_startup.py, not asserted here
    app = make_app("en", HE_PLAN, start="welcome")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        commands = {c.title: c.callback for c in app.get_system_commands(app.screen)}
        for step in ["sector", "partnership_type", "partners", "duration", "activities", "summary"]:
            commands[f"Go to step: {app.t('step.long.' + step)}"]()
            await settle(pilot)
            assert app.current_step == step and app.screen.step == step


def count_edition_loads(monkeypatch) -> list[str | None]:
    import wizard.content

    loads, real = [], wizard.content.load_edition

    def counted(*a, **k):
        loads.append(a[0] if a else None)
        return real(*a, **k)

    monkeypatch.setattr(wizard.content, "load_edition", counted)
    return loads


async def test_lazy_start_loads_the_edition_when_a_step_needs_it(monkeypatch):
    from wizard.app import WizardApp
    from wizard.session import StartOptions

    loads = count_edition_loads(monkeypatch)
    app = WizardApp(StartOptions("nl", edition_id="2020"))  # no loading ahead (tests): the welcome screen needs no edition
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert loads == []
        assert "Deze oproep is gesloten" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_step == "sector" and len(loads) == 1
        assert "Hoger onderwijs (KA203)" in str(app.screen.query_one("#sectors").get_option("higher_education").prompt)


async def test_warm_up_loads_the_edition_while_the_welcome_screen_shows(monkeypatch):
    from wizard.app import WizardApp
    from wizard.session import StartOptions

    loads = count_edition_loads(monkeypatch)
    app = WizardApp(StartOptions("en", edition_id="2020"))
    app.WARM_UP_AFTER = 0.05
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: loads, "the edition to load")
        assert app.current_step == "welcome"


async def test_warm_up_builds_every_step_screen_and_each_shows_the_plan_when_it_comes():
    from wizard.app import WizardApp
    from wizard.session import StartOptions

    app = WizardApp(StartOptions("en", edition_id="2020"))
    app.WARM_UP_AFTER = app.PREBUILD_PAUSE = 0.01
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: screens_built(app) == len(STEPS), "the step screens built in the background", 20)
        assert app.current_step == "welcome" and app.screen is app.get_screen("welcome-en-2020")
        app.open_demo("mistake-he-exchange")  # a plan that none of the built screens has seen
        await settle(pilot)
        assert app.current_step == "partnership_type"
        types = app.screen.query_one("#types")
        assert "✗ not possible in higher education" in str(types.get_option("exchange_of_good_practices").prompt)
        app.goto("summary")
        await settle(pilot)
        assert app.screen.verdict == evaluate(app.answers, app.edition, "en")
        assert "partnership_type" in app.screen.verdict.failing()
        await pilot.press("f2")  # the other language: built when needed, then in the background
        await settle(pilot)
        assert app.lang == "nl" and app.current_step == "summary"
        await wait_until(pilot, lambda: screens_built(app, "nl") == len(STEPS), "the Dutch screens built after the switch",
                         20)


async def test_an_app_in_a_process_that_runs_others_freezes_nothing_and_unfreezes_nothing():
    """Tests (and serve's warm-up run) start one app after another: an app there keeps nothing of
    its own out of the collector (the frozen set would keep every app: ~396 MB in test_tui once),
    and what the process froze before it stays frozen (an unfreeze at the app's end undid the
    tests' conftest and serve's warm worker)."""
    import gc

    from wizard.app import WizardApp
    from wizard.session import StartOptions

    gc.collect()
    gc.freeze()  # what the process froze before the app, as the conftest and serve's worker do
    before = gc.get_freeze_count()
    app = WizardApp(StartOptions("en", edition_id="2020"))
    app.WARM_UP_AFTER = app.PREBUILD_PAUSE = 0.01
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: screens_built(app) == len(STEPS), "the step screens built", 20)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert gc.get_freeze_count() <= before  # only fewer: a frozen object freed leaves the set
    assert gc.get_freeze_count() > before * 0.9


async def test_an_app_that_ends_with_its_process_freezes_what_it_built_and_never_unfreezes():
    """As the command line runs it (FREEZE_BUILT): frozen at the first paint (a step built on
    demand, for a user who goes on at once, then pays no full collection over Textual and the
    first screen), once more when the step screens are built, not after a language switch (the
    frozen set would grow with each), and never unfrozen: not what the app froze (the process
    ends with it) nor what was frozen before it (serve's warm worker: pages its sessions share)."""
    import gc

    from wizard.app import WizardApp
    from wizard.screens import steps
    from wizard.session import StartOptions

    gc.collect()
    gc.freeze()
    before = gc.get_freeze_count()
    try:
        app = WizardApp(StartOptions("en", edition_id="2020"))
        app.FREEZE_BUILT = True
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            painted = gc.get_freeze_count()
            assert painted > before + 1_000  # the app and its first screen
            app.WARM_UP_AFTER = app.PREBUILD_PAUSE = 0.01
            steps.in_background(app, steps.warm_up)
            await wait_until(pilot, lambda: screens_built(app) == len(STEPS), "the step screens built", 20)
            await app.workers.wait_for_complete()
            built = gc.get_freeze_count()
            assert built > painted + 10_000  # the step screens
            await pilot.press("f2")
            await wait_until(pilot, lambda: screens_built(app, "nl") == len(STEPS), "the Dutch screens built", 20)
            await app.workers.wait_for_complete()
            await settle(pilot)
            assert gc.get_freeze_count() <= built
        assert gc.get_freeze_count() > built * 0.9
    finally:
        gc.unfreeze()  # this process goes on with other apps (the conftest freezes what lives on)


def built_steps(app, lang: str = "en") -> list[str]:
    """The steps whose screens are built (mounted) in a language, in order."""
    from wizard.screens.steps import screen_key

    keys = {s: screen_key(app, s, lang) for s in STEPS}
    return [s for s, key in keys.items() if app.is_screen_installed(key) and app.get_screen(key).is_mounted]


def screens_built(app, lang: str = "en") -> int:
    return len(built_steps(app, lang))


async def test_the_background_build_starts_with_the_steps_after_the_one_on_show():
    """A user who goes on at once overtakes a build in the steps' order: the build starts with the
    step after the one on show (where that user goes first), then the others after it, then the
    ones before it."""
    app = make_app("en", HE_PLAN, start="duration")
    app.WARM_UP_AFTER = app.PREBUILD_PAUSE = 0.01
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: screens_built(app) >= 2, "a step built in the background", 20)
        built = built_steps(app)
        assert built[:2] == ["duration", "activities"] and "sector" not in built, built


async def test_the_background_build_goes_on_while_the_user_reads():
    """A build started at any moment met a user who goes on at once in the middle of a step change
    (the partners step's, ~150 ms, in the change to partnership_type): after the step after the
    first one, a step is built right after each step change (the user reads the new step), and the
    others once a step has been on show app.READING seconds."""
    app = make_app("en", HE_PLAN, start="welcome")
    app.WARM_UP_AFTER = app.PREBUILD_PAUSE = 0.01
    app.READING = 600  # the user goes on at once

    def built() -> list[str]:
        return built_steps(app)

    async def a_while(pilot) -> None:  # builds 0.01 s apart would go on meanwhile: no event says they do not
        for _ in range(10):
            await pilot.pause(0.02)

    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: len(built()) == 2, "the step after the first one built", 20)
        await a_while(pilot)
        assert built() == ["welcome", "sector"]
        app.goto("sector")
        await wait_until(pilot, lambda: len(built()) == 3, "a step built after the step change", 20)
        await a_while(pilot)
        assert built() == ["welcome", "sector", "partnership_type"]
        app.READING = 0.01  # the user reads
        await wait_until(pilot, lambda: len(built()) == len(STEPS), "the other steps built", 20)


@pytest.mark.parametrize("built", range(1, len(STEPS) + 1))  # 1: only the welcome screen; all of them
async def test_quitting_while_the_steps_are_built_in_the_background_is_clean(built):
    """Quit (Ctrl+Q, Yes) at moments spread over the background build: no error, whatever was
    half built, and the plan is on disk."""
    from wizard.cli import create_app

    from conftest import args
    from wizard.storage import autosave_path

    app = create_app(args(no_resume=True))
    app.WARM_UP_AFTER = app.PREBUILD_PAUSE = 0.01
    async with app.run_test(size=(80, 24)) as pilot:  # raises what the app raised
        await wait_until(pilot, lambda: screens_built(app) >= built, f"{built} screens built", timeout=20)
        months = 10 + built
        app.update_answers(duration_months=months)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: app.screen.query("#yes"), "the quit question")
        app.screen.query_one("#yes").press()
        await settle(pilot)
    assert app.return_code == 0
    assert json.loads(autosave_path().read_text(encoding="utf-8"))["duration_months"] == months


@pytest.mark.parametrize("built", (1, 2, 4, 6))
async def test_moving_and_switching_language_while_the_steps_are_built_shows_the_plan(built):
    from wizard.app import WizardApp
    from wizard.session import StartOptions

    app = WizardApp(StartOptions("en", edition_id="2020"))
    app.WARM_UP_AFTER = app.PREBUILD_PAUSE = 0.01
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: screens_built(app) >= built, f"{built} screens built", timeout=20)
        app.open_demo("mistake-duration")
        await pilot.press("f2")
        for step in ("partners", "duration", "summary"):
            app.goto(step)
            await pilot.pause(0.05)
        await settle(pilot)
        assert app.lang == "nl" and app.current_step == "summary"
        assert app.screen.verdict == evaluate(app.answers, app.edition, "nl")
        assert "duration" in app.screen.verdict.failing()
        app.goto("duration")
        await settle(pilot)
        assert app.screen.query_one("#months").value == str(app.answers.duration_months)


async def test_a_step_shown_again_is_restyled_only_when_what_its_styles_depend_on_changed():
    """Textual works the styles of every widget out again each time a screen is shown (about
    half of a step change); a step screen skips that while the app's CSS, classes and
    pseudo-classes are as they were. After a theme change it does not: the step shows the new
    theme, exactly as a full restyle would."""
    from textual.screen import Screen

    app = make_app("en", HE_PLAN, start="sector")
    async with app.run_test(size=(80, 24)) as pilot:
        for step in ("partnership_type", "partners", "sector"):  # every screen built once
            app.goto(step)
            await settle(pilot)
        restyled = []
        update_styles = app.update_styles

        def counting(node, animate: bool = True) -> None:
            if isinstance(node, Screen):
                restyled.append(node)
            update_styles(node, animate)

        app.update_styles = counting
        app.goto("partners")
        await settle(pilot)
        assert app.screen.step == "partners" and restyled == []
        app.action_toggle_presentation()  # the theme of every step changes
        await settle(pilot)
        app.goto("sector")
        await settle(pilot)
        assert app.screen.step == "sector" and app.screen in restyled
        shown = [(w, w.styles.css) for w in app.screen.walk_children(with_self=True)]
        app.screen.update_node_styles(animate=False)
        assert [(w, w.styles.css) for w, _ in shown] == shown


async def test_partners_screen_shown_again_reflects_changes_and_keeps_a_half_filled_form():
    app = make_app("en", {"sector": "higher_education", "partners": HE_PLAN["partners"][:1]}, start="partners")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "1 of 3 organisations" in text_of(app.screen.query_one("#counters"))
        app.screen.query_one("#name", Input).value = "Half typed"
        await pilot.press("f1")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one("#name", Input).value == "Half typed"
        await pilot.press("escape")  # Esc outside a list is Back: the half-filled form is not lost
        await settle(pilot)
        assert app.current_step == "partnership_type"
        app.goto("sector")
        await settle(pilot)
        app.update_answers(sector="youth")
        app.goto("partners")
        await settle(pilot)
        assert "1 of 2 organisations" in text_of(app.screen.query_one("#counters"))
        assert app.screen.query_one("#name", Input).value == "Half typed"
        app.goto("duration")
        await settle(pilot)
        app.update_answers(partners=[])  # the organisations changed meanwhile
        app.goto("partners")
        await settle(pilot)
        assert app.screen.query_one("#name", Input).value == ""  # the form starts again


# --- step screens are kept: shown again, each shows the plan as it is now ---------------------------------
@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_every_step_shown_again_shows_what_a_new_screen_would(lang):
    """Screens are built once and kept. After the plan changed completely, each one shown
    again reads exactly as a newly built one for the same plan (body and problems)."""
    edition = load_edition("2020")
    first = edition.demos["he-digital-teaching"].answers
    second = edition.demos["school-exchange"].answers
    app = make_app(lang, first)
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        for step in STEPS:  # build every screen with the first plan
            app.goto(step)
            await settle(pilot)
        app.answers = parse_answers(second, edition, lang, None)
        kept = {}
        for step in STEPS:
            app.goto(step)
            await settle(pilot)
            kept[step] = visible_texts(app, "#body *, #problems")
    fresh_app = make_app(lang, parse_answers(second, edition, lang, None))  # each screen built on its first visit
    async with fresh_app.run_test(size=(100, 60)) as pilot:
        for step in STEPS:
            fresh_app.goto(step)
            await settle(pilot)
            assert kept[step] == visible_texts(fresh_app, "#body *, #problems"), step


async def test_an_example_plan_opened_on_its_own_step_is_shown_at_once():
    app = make_app("en", {"sector": "youth", "duration_months": 40}, start="summary")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.verdict.eligible
        app.open_demo("he-digital-teaching")  # everything fine: it opens on the summary, shown already
        await settle(pilot)
        assert app.current_step == "summary"
        assert app.screen.verdict == evaluate(app.answers, app.edition, "en") and app.screen.verdict.eligible
        assert text_of(app.screen.query_one("#headline")).startswith("✓ ELIGIBLE")


async def test_summary_lists_have_a_highlighted_row_every_time_the_summary_is_shown():
    app = make_app("en", HE_PLAN, start="summary")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(2):  # built, then shown again
            app.screen.query_one("#answers").focus()
            await pilot.pause()
            await pilot.press("enter")  # Enter at once edits the first answer: never a dead key
            await settle(pilot)
            assert app.current_step == "sector"
            app.goto("summary")
            await settle(pilot)
        rules = app.screen.query_one("#rules")
        rules.focus()
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WhyScreen)


async def test_duration_shown_again_drops_an_invalid_entry_and_shows_the_new_range():
    app = make_app("en", {"sector": "higher_education"}, start="duration")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "24 to 36 months" in text_of(app.screen.query_one("#range"))
        await pilot.press("0")
        await settle(pilot)
        assert text_of(app.screen.query_one("#field-error")).startswith("✗ 0 months is not possible")
        await pilot.press("escape")
        await settle(pilot)
        app.answers = Answers(sector="school_education", partnership_type="exchange_of_good_practices",
                              partners=[partner("A", "NL", "school", "coordinator"), partner("B", "BE", "school")])
        app.goto("duration")
        await settle(pilot)
        assert app.screen.query_one("#months", Input).value == ""
        assert text_of(app.screen.query_one("#field-error")) == ""
        assert "12 to 24 months" in text_of(app.screen.query_one("#range"))


# --- the key bar ---------------------------------------------------------------------------------------
async def test_key_bar_shows_the_keys_in_the_language_and_a_click_presses_them():
    app = make_app("nl", HE_PLAN, start="sector")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one("#keys")
        line = text_of(bar)
        for word in ("Hulp", "Terug", "Volgende", "English"):
            assert word in line
        await pilot.hover("#keys", offset=(1 + line.index("Hulp"), 0))
        await settle(pilot)
        spans = [(span.start, span.end, str(span.style)) for span in bar.render().spans]
        hulp = line.index("Hulp")
        assert any("reverse" in style and start <= hulp < end for start, end, style in spans)  # shows what a click does
        await pilot.click("#keys", offset=(1 + line.index("Hulp"), 0))  # 1: padding; the description is part of the key
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)
        line = text_of(app.screen.query_one("#keys"))
        await pilot.click("#keys", offset=(1 + line.index("Terug"), 0))
        await settle(pilot)
        assert app.current_step == "welcome"
        assert "Terug" not in text_of(app.screen.query_one("#keys"))  # nothing before the welcome screen


async def test_a_duration_no_plan_can_have_is_refused_with_a_sentence():
    app = make_app("en", {"sector": "higher_education"}, start="duration")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#months", Input).value = "5000"  # the answers file refuses it too
        await settle(pilot)
        assert app.answers.duration_months is None and app.is_running
        assert "5000" in text_of(app.screen.query_one("#field-error"))


# --- issue 9: texts the content defines are shown ------------------------------------------------
async def test_partner_country_note_shown_when_a_partner_country_is_chosen():
    app = make_app("en", {"sector": "higher_education", "partnership_type": "innovation"}, start="partners")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        note = app.screen.query_one("#partner-country-note")
        assert "suit your project's objectives" in text_of(app.screen.query_one("#note-partners"))
        assert not note.display
        app.screen.query_one("#country").value = "CH"
        await settle(pilot)
        assert note.display and "cannot coordinate" in text_of(note)
        app.screen.query_one("#country").value = "DE"
        await settle(pilot)
        assert not note.display


async def test_activities_offer_a_priority_of_a_sector_without_a_list_and_say_why():
    app = make_app("nl", {"sector": "youth", "partnership_type": "innovation"}, start="activities")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        prios = app.screen.query_one("#priorities")
        assert "specifiek voor mijn sector" in str(prios.get_option("youth_unlisted").prompt)
        assert "Elk jaar" in text_of(app.screen.query_one("#note-priorities"))
        assert "schaal en aard" in text_of(app.screen.query_one("#note-activities"))


async def test_summary_shows_the_roadmap_and_the_limitations():
    app = make_app("en", HE_PLAN, start="summary")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "check its roadmap" in text_of(app.screen.query_one("#next-steps"))
        assert "full text of the 2020 Programme Guide could not be read" in text_of(app.screen.query_one("#disclaimer"))


async def test_school_only_exchange_offers_ka229_or_ka201_with_the_difference():
    """Issue 9, item 7: no source says schools only must apply as KA229; the type step offers both."""
    app = make_app("en", {"sector": "school_education", "partnership_type": "exchange_of_good_practices"}, start="partnership_type")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        choice = app.screen.query_one("#apply-as")
        assert choice.display and app.screen.query_one("#apply-as-question").display
        app.screen.query_one("#types").focus()
        await pilot.press("enter")  # exchange of good practices again: the next question is KA229 or KA201
        await settle(pilot)
        assert app.focused is choice
        assert "each school signs its own contract" in str(choice.get_option("KA229").prompt)
        assert "At least 3 organisations from 3 Programme Countries" in str(choice.get_option("KA201").prompt)
        choice.focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.answers.action == "KA201"
        app.update_answers(partnership_type="innovation")
        await settle(pilot)
        assert not choice.display  # only an exchange partnership of schools has the choice


async def test_the_steps_are_built_once_a_question_at_start_is_answered():
    """The question at start is asked in the wizard's own screen mode, so that its answer never
    shows a step while the background build moves the app into that mode (that order raised
    ScreenStackError under load). The build is run here at the moments that matter, not on a timer."""
    import asyncio

    from conftest import args
    from wizard.cli import create_app
    from wizard.screens import steps
    from wizard.screens.dialogs import Confirm
    from wizard.storage import autosave_path

    autosave_path().parent.mkdir(parents=True)
    autosave_path().write_text('{"sector": "vet"}', encoding="utf-8")
    app = create_app(args())
    app.PREBUILD_PAUSE = 0
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, Confirm) and app.screen.query("#yes"), "the question")
        assert app.current_mode == steps.MODE  # asked where its answer will show a step
        build = asyncio.ensure_future(steps.prebuild(app))
        await settle(pilot)
        assert screens_built(app) == 1 and not build.done()  # it waits for the answer
        assert isinstance(app.screen, Confirm) and app.current_step == "welcome"
        app.screen.dismiss(True)  # answered: the build goes on, in the mode the answer shows its step in
        await wait_until(pilot, build.done, "the step screens built")
        build.result()
        await settle(pilot)
        assert screens_built(app) == len(STEPS)
        assert app.answers.sector == "vet" and app.screen.step == app.current_step == "partnership_type"
        app.goto("summary")
        await settle(pilot)
        assert app.screen.step == "summary" and app.screen.verdict == evaluate(app.answers, app.edition, "en")


async def _palette_first(app, pilot, query: str) -> str:
    """Open the command palette, type a query, and return the first result's text."""
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*query)
    results = app.screen.query_one(CommandList)
    await wait_until(pilot, lambda: results.option_count > 0, "palette results")
    await settle(pilot)
    first = str(results.get_option_at_index(0).prompt)
    await pilot.press("escape")
    await settle(pilot)
    return first


@pytest.mark.parametrize("lang, query, expected", [
    ("en", "Partners", "Go to step: Partners"),  # not "Partnership type": a whole word first
    ("nl", "taal", "Taal wisselen: English"),
    ("en", "taal", "Switch language: Nederlands"),
    ("nl", "xqzw", "Geen opdracht gevonden; probeer een ander woord."),  # never Textual's English "No matches found"
])
async def test_command_palette_finds_exact_words_first_in_the_users_language(lang, query, expected):
    from textual.command import CommandInput

    app = make_app(lang, start="sector")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert app.screen.query_one(CommandInput).placeholder == ("Zoek een opdracht…" if lang == "nl" else "Search for commands…")
        await pilot.press("escape")
        await settle(pilot)
        first = (await _palette_first(app, pilot, query)).split("\n")[0]
        assert first == expected or first.startswith(expected + " "), first


async def test_an_open_list_shows_its_key_in_dutch():
    from textual.widgets import Select

    app = make_app("nl", {"sector": "youth"}, start="partners")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#type", Select).focus()
        await pilot.press("enter")  # opens the list of organisation types
        await settle(pilot)
        assert app.screen.query_one("#type", Select).expanded
        text = screen_text(app)
        assert "Lijst sluiten" in text and "Dismiss" not in text


@pytest.mark.parametrize("key", ["next", "escape"])
async def test_an_answer_edited_from_the_summary_returns_to_the_summary(key):
    from textual.widgets import OptionList

    app = make_app("nl", HE_PLAN, start="duration")  # the duration step was shown before (its Next said "Volgende")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.goto("summary")
        await settle(pilot)
        answers = app.screen.query_one("#answers", OptionList)
        answers.focus()
        answers.highlighted = next(i for i in range(answers.option_count) if answers.get_option_at_index(i).id == "duration")
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_step == "duration"
        next_button = app.screen.query_one("#next")
        assert "Naar overzicht" in str(next_button.label)
        assert next_button.size.width >= len("Naar overzicht →") + 2, next_button.size  # the whole label, not "Naar"
        app.screen.query_one("#months", Input).value = "30"
        await settle(pilot)
        if key == "next":
            await press_next(pilot)
        else:
            await pilot.press("escape")
            await settle(pilot)
        assert app.current_step == "summary" and app.answers.duration_months == 30
        app.goto("sector")  # not from the summary: Next goes on to the following step
        await settle(pilot)
        await press_next(pilot)
        assert app.current_step == "partnership_type"


async def test_a_name_at_the_length_limit_says_so_while_typing():
    app = make_app("nl", {"sector": "youth"}, start="partners")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        name = app.screen.query_one("#name", Input)
        name.focus()
        name.insert_text_at_cursor("x" * 199)
        await settle(pilot)
        assert "hoogstens 200 tekens" not in screen_text(app)
        await pilot.press("y", "z")  # the 200th character, then one too many
        await settle(pilot)
        assert len(name.value) == 200 and "hoogstens 200 tekens" in screen_text(app)
        await pilot.press("backspace")
        await settle(pilot)
        assert "hoogstens 200 tekens" not in screen_text(app)


async def test_quitting_a_changed_example_plan_warns_that_changes_are_not_saved():
    app = make_app("en", start="welcome")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_demo(next(iter(app.edition.demos)))
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmQuit) and "not saved" not in screen_text(app)  # nothing changed yet
        await pilot.press("escape")
        await settle(pilot)
        app.update_answers(duration_months=13)
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmQuit)
        assert "Your changes to this example plan are not saved" in screen_text(app)


async def test_the_key_bar_shows_whole_keys_and_only_those_that_act_in_a_dialog():
    from wizard.widgets.keybar import KeyBar

    app = make_app("nl", HE_PLAN, start="duration")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = str(app.screen.query_one(KeyBar).render())
        assert not bar.rstrip().endswith("…") and "^p Opdrachten" in bar, bar
        assert len(bar) <= 78  # the key bar's width inside its padding
        await pilot.press("ctrl+q")
        await settle(pilot)
        bar = str(app.screen_stack[-2].query_one(KeyBar).render())
        assert "Volgende" not in bar and "Terug" not in bar, bar  # Next and Back do nothing in the dialog
        assert "esc Nee" in bar, bar


async def test_the_partner_table_fits_80_columns_with_a_long_name_and_the_heading_shows():
    long = "Rheinische Friedrich-Wilhelms-Universität Bonn, Fakultät für Bildungswissenschaften"
    plan = {"sector": "higher_education", "partnership_type": "innovation",
            "partners": HE_PLAN["partners"][:2] + [{**partner(long, "DE"), "eche": False}]}
    app = make_app("nl", plan, start="partners")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.size.width, (table.virtual_size, table.size)  # nothing cut off
        assert str(table.get_cell_at((2, 0))).endswith("…") and str(table.get_cell_at((2, 4))) == "nee"
        assert "Telt mee" in [str(c.label) for c in table.columns.values()]
        body = app.screen.query_one("#body")
        assert body.scroll_y == 0  # the question and the list in view, the cursor in the name field
        assert app.focused is app.screen.query_one("#name")


@pytest.mark.parametrize("dialog", ["help", "why"])
async def test_close_is_in_view_in_help_and_why_at_80x24(dialog):
    app = make_app("nl", HE_PLAN, start="partners")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        if dialog == "help":
            await pilot.press("f1")
        else:
            app.push_screen(WhyScreen(evaluate(app.answers, app.edition, "nl").rule("minimum_countries")))
        await settle(pilot)
        close = app.screen.query_one("#close")
        region = close.region
        assert region.height >= 1 and 0 <= region.y and region.bottom <= 24, region
        dialog_box = app.screen.query_one("#dialog").region
        assert dialog_box.contains_region(region), (dialog_box, region)


async def test_example_plans_are_above_the_fold_on_the_welcome_screen():
    app = make_app("nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        body = app.screen.query_one("#body").region
        demos = app.screen.query_one("#demos").region
        assert demos.height == 1 and body.contains_region(demos), (body, demos)


async def test_the_problems_box_shows_a_long_reason_whole_at_80x24():
    plan = {"sector": "higher_education", "partnership_type": "innovation",
            "partners": [{**partner("Hogeschool van Amsterdam, Faculteit Onderwijs en Opvoeding", "NL", role="coordinator"), "eche": False},
                         {**partner("Rheinische Friedrich-Wilhelms-Universität Bonn", "DE"), "eche": False},
                                                   {**partner("Universidade do Porto, Faculdade de Psicologia", "PT"), "eche": False}]}
    app = make_app("nl", plan, start="partners")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        box = app.screen.query_one("#problems-box")
        assert box.display and box.size.height >= 4
        assert box.max_scroll_y == 0, (box.virtual_size, box.size)  # nothing hidden below


@pytest.mark.parametrize("presentation", [False, True])
async def test_the_focused_field_stands_out(presentation):
    from textual.widgets import Select

    app = make_app("en", {"sector": "youth"}, start="partners")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.set_presentation(presentation)
        app.screen.query_one("#type", Select).focus()
        await settle(pilot)
        focused = app.screen.query_one("#type", Select).query_one("SelectCurrent").styles.background
        other = app.screen.query_one("#role", Select).query_one("SelectCurrent").styles.background
        name = app.screen.query_one("#name", Input).styles.background
        assert abs(focused.brightness - other.brightness) > 0.08 or focused.hsl.s - other.hsl.s > 0.2, (focused, other)
        app.screen.query_one("#name", Input).focus()
        await settle(pilot)
        assert app.screen.query_one("#name", Input).styles.background != name


async def test_the_sector_list_uses_the_rows_below_it():
    app = make_app("nl", start="sector")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause(0.05)
        choices = app.screen.query_one("#sectors")
        body = app.screen.query_one("#body")
        assert choices.max_scroll_y == 0 or choices.region.bottom >= body.region.bottom - 1, (choices.region, body.region)


@pytest.mark.parametrize("dialog", ["palette", "help", "save", "quit"])
async def test_a_dialog_closes_once_when_two_closing_events_arrive_together(dialog):
    """Esc and a click on the background on their way at once: the dialog closes
    once, and the second event neither closes the screen below nor sets a result twice (the
    palette raised InvalidStateError; found by the TUI fuzz test, seeds 10 and 14)."""
    from textual import events

    app = make_app("en", {"sector": "youth"}, start="sector")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        step = app.screen
        await pilot.press({"palette": "ctrl+p", "help": "f1", "save": "ctrl+s", "quit": "ctrl+q"}[dialog])
        await settle(pilot)
        assert app.screen is not step
        app.post_message(events.Key("escape", "\x1b"))
        for cls in (events.MouseDown, events.MouseUp, events.Click):  # the top-left corner: the background
            app.post_message(cls(None, 0, 0, 0, 0, 1, False, False, False, screen_x=0, screen_y=0))
        await settle(pilot)
        await settle(pilot)
        assert app.screen is step and app.is_running


@pytest.mark.parametrize("where", ["palette", "step"])
async def test_a_click_on_a_list_row_that_is_gone_clicks_nothing(where):
    """A click is aimed at the row drawn under the mouse; the list changed before the click
    reached it (the palette's results as the user types), so the row names an option the list
    no longer has. Textual's OptionList failed on it (IndexError; found by the TUI fuzz test)."""
    from rich.style import Style
    from textual import events
    from textual.widgets import OptionList

    app = make_app("en", {"sector": "youth"}, start="sector")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        if where == "palette":
            await pilot.press("ctrl+p", "a")
            await wait_until(pilot, lambda: app.screen.query_one(CommandList).option_count > 2, "palette results")
        listed = app.screen.query_one(CommandList if where == "palette" else "#sectors", OptionList)
        last = listed.option_count - 1
        x, y = listed.region.x + 2, listed.region.y + 1
        listed.clear_options()  # changed while the click was on its way
        listed.post_message(events.Click(listed, x, y, 0, 0, 1, False, False, False, screen_x=x, screen_y=y,
                                         style=Style(meta={"option": last})))
        await settle(pilot)
        assert app.is_running and app.current_step == "sector" and app.answers.sector == "youth"


async def test_the_palette_opens_again_while_the_last_one_is_closing():
    """Esc and Ctrl+P in quick succession: the palette opens while the last one is still being
    taken down (DuplicateIds on its fixed id; found by the TUI fuzz test)."""
    app = make_app("en", {"sector": "youth"}, start="sector")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_command_palette()
        await settle(pilot)
        app.screen.dismiss()
        app.action_command_palette()  # in the same turn: the last one is not removed yet
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette) and app.is_running


@pytest.mark.parametrize("chosen", ["language", "step", "step, the search on its way"])
async def test_a_step_or_language_chosen_as_the_palette_opens_closes_it_and_keeps_the_app(chosen):
    """Ctrl+P and a change of step or language in the same moment: the palette was taken apart
    while its search was on its way, which failed (NoMatches) and ended the app (found by the
    soak); a step chosen with the palette open was put on top of the last one, which stayed."""
    app = make_app("en", {"sector": "youth"}, start="sector")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        app.action_command_palette()
        if chosen == "language":
            app.action_switch_language()
        else:
            if chosen == "step, the search on its way":
                await pilot.pause(0)  # mounted: its search has started
                assert isinstance(app.screen, CommandPalette)
            app.goto("partnership_type")
        await settle(pilot)
        await settle(pilot)
        assert app.is_running
        expected = ("sector", "nl") if chosen == "language" else ("partnership_type", "en")
        assert (app.current_step, app.lang) == expected
        assert [s.has_class("step") for s in app.screen_stack] == [False, True]  # the mode's base, one step


async def test_a_closed_palette_does_not_search_for_text_typed_just_before_it_closed(monkeypatch):
    """A key typed just before Esc: its text change reaches the palette after it has closed.
    Textual's palette then searched on a palette being taken apart, which failed (NoMatches)
    and ended the app after minutes of random use (the soak)."""
    from textual.command import CommandInput

    from wizard.commands import WizardCommands

    searched: list[str] = []
    search = WizardCommands.search

    def recording(self, query):
        searched.append(query)
        return search(self, query)

    monkeypatch.setattr(WizardCommands, "search", recording)
    app = make_app("en", {"sector": "youth"}, start="sector")
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_command_palette()
        await settle(pilot)
        palette = app.screen
        field = palette.query_one(CommandInput)
        palette.dismiss()  # Esc
        palette.post_message(Input.Changed(field, "sum"))  # the text typed just before, on its way
        await settle(pilot)
        await settle(pilot)
        assert app.is_running and app.current_step == "sector"
        assert "sum" not in searched


@pytest.mark.parametrize("key", ["tab", "shift+tab"])
async def test_a_key_typed_just_before_a_dialog_opens_does_not_act_in_the_dialog(key):
    """Tab and Ctrl+Q in quick succession: the Tab came back to the app after the quit question
    was up and moved its focus from the safe "No" to "Yes", so Enter quit (TUI fuzz test, seed 22)."""
    from textual import events

    app = make_app("en", {"sector": "youth"}, start="sector")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.post_message(events.Key(key, None))
        app.post_message(events.Key("ctrl+q", None))
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmQuit) and app.focused.id == "no"
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running and app.current_step == "sector"


@pytest.mark.parametrize("close", ["dismiss", "close_dialogs"])  # as Esc does; as a step or language chosen
                                                                 # while it is open does (app.close_top)
async def test_dialogs_opened_and_closed_again_and_again_leave_no_drawn_lines_behind(close):
    """Textual keeps the line cache of closed widgets (up to 1,024 of them; Textualize/textual#6665):
    every palette and dialog kept all the lines it drew (~100 strips a dialog), and
    memory grew over long use (issue #14, item 9). What is left now is at most one line a widget
    (~9 strips a dialog; ~100 without the fix). Counted: strips made during the test and still alive,
    so that what earlier tests in the process left does not count."""
    import gc

    from textual.strip import Strip

    app = make_app("en", {"sector": "youth"}, start="sector")
    async with app.run_test(size=(80, 24)) as pilot:
        async def open_and_close(rounds: int) -> None:
            for _ in range(rounds):
                for opens in (app.action_command_palette, app.action_help):
                    opens()
                    await settle(pilot)  # drawn
                    app.screen.dismiss() if close == "dismiss" else app.close_dialogs()
                    await settle(pilot)

        def strips() -> list:
            gc.collect()
            return [o for o in gc.get_objects() if isinstance(o, Strip)]

        await open_and_close(1)
        before = strips()  # held: their ids stay theirs
        known = {id(o) for o in before}
        await open_and_close(4)
        kept = [o for o in strips() if id(o) not in known]  # made since, and still alive
        assert len(kept) < 8 * 40, f"lines drawn by 8 closed dialogs were kept: {len(kept)} strips"


async def test_the_summary_follows_a_change_that_reaches_the_plan_after_it_is_shown():
    """A duration typed and Ctrl+N at once: the field's change can reach the plan after the summary
    is shown. The summary showed the verdict of the plan before it (found by the TUI fuzz test)."""
    from wizard.report import headline

    app = make_app("en", HE_PLAN, start="summary")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.verdict.eligible
        app.update_answers(duration_months=60)  # arrives while the summary shows
        await settle(pilot)
        expected = evaluate(app.answers, app.edition, "en")
        assert not expected.eligible and app.screen.verdict == expected
        assert text_of(app.screen.query_one("#headline")) == headline(expected, app.ui)


@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_why_this_rule_translates_a_dutch_quote_in_english(lang):
    """The duration rule quotes a Dutch page: in English its translation, marked as ours, stands
    beside the verbatim quote; in Dutch the quote alone."""
    app = make_app(lang, {**HE_PLAN, "duration_months": 40}, start="duration")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.push_screen(WhyScreen(evaluate(app.answers, app.edition, lang).rule("duration")))
        await settle(pilot)
        text = visible_texts(app)
        assert "“minimaal 24 en maximaal 36 maanden”" in text  # verbatim
        assert ("Our translation: “at least 24 and at most 36 months”" in text) is (lang == "en")
        assert "vertaling" not in text.lower()


async def test_a_step_chosen_twice_at_once_and_a_resize_before_it_is_built():
    """A step screen not built yet, chosen twice in one turn (or resized before it is built):
    the second showed a screen whose widgets were not there yet (NoMatches; found by the TUI
    fuzz test after a language switch)."""
    from textual import events
    from textual.geometry import Size

    app = make_app("en", HE_PLAN, start="sector")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.goto("partners")
        app.post_message(events.Resize(Size(40, 12), Size(40, 12)))
        app.goto("partners")
        await settle(pilot)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert app.screen.step == "partners" and app.screen.query_one("#table").row_count == 3
