"""SVG snapshots of every screen at 80x24 (the summary also at 120x40), cursor blink frozen.

Update after an intended visual change with `make test PYTEST_ARGS=--snapshot-update`.
"""
import pytest
from textual.widgets import Input

from conftest import HE_PLAN, make_app, partner

PARTNERS_PLAN = {
    **HE_PLAN,
    "partners": HE_PLAN["partners"][:2] + [partner("ETH Zürich [CH]", "CH"), partner("Gemeente Porto", "PT", "public_body", "associated_partner")],
}
NOT_ELIGIBLE = {**PARTNERS_PLAN, "duration_months": 40, "activities": ["multiplier_events"]}

SCREENS = [
    ("welcome", {}),
    ("sector", {"sector": "higher_education"}),
    ("partnership_type", {"sector": "higher_education"}),
    ("partners", PARTNERS_PLAN),
    ("duration", {**HE_PLAN, "duration_months": 40}),
    ("activities", {**HE_PLAN, "effects": ["education_innovation"]}),
    ("summary", HE_PLAN),
]


async def freeze(pilot) -> None:
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("step, plan", SCREENS, ids=[s for s, _ in SCREENS])
def test_screen_80x24(snap_compare, step, plan):
    assert snap_compare(make_app("en", plan, start=step), terminal_size=(80, 24), run_before=freeze)


def test_summary_120x40(snap_compare):
    assert snap_compare(make_app("en", HE_PLAN, start="summary"), terminal_size=(120, 40), run_before=freeze)


def test_summary_not_eligible_120x40(snap_compare):
    assert snap_compare(make_app("en", NOT_ELIGIBLE, start="summary"), terminal_size=(120, 40), run_before=freeze)


def test_partners_next_pressed_with_problems(snap_compare):
    async def press_next(pilot):
        pilot.app.screen.query_one("#next").focus()
        await pilot.press("enter")
        await freeze(pilot)

    plan = {**HE_PLAN, "partners": HE_PLAN["partners"][:1]}
    assert snap_compare(make_app("en", plan, start="partners"), terminal_size=(80, 24), run_before=press_next)


def test_too_small(snap_compare):
    assert snap_compare(make_app("en", HE_PLAN, start="partners"), terminal_size=(50, 12), run_before=freeze)


def test_help_dialog(snap_compare):
    async def help(pilot):
        await pilot.press("f1")
        await freeze(pilot)

    assert snap_compare(make_app("en", HE_PLAN, start="partners"), terminal_size=(80, 24), run_before=help)


def test_summary_in_dutch_120x40(snap_compare):
    assert snap_compare(make_app("nl", NOT_ELIGIBLE, start="summary"), terminal_size=(120, 40), run_before=freeze)


def test_summary_presentation_theme_120x40(snap_compare):
    from wizard.app import WizardApp
    from wizard.answers import Answers
    from wizard.content import load_edition
    from wizard.session import StartOptions

    app = WizardApp(StartOptions("en", edition=load_edition("2020"), answers=Answers(**NOT_ELIGIBLE), start="summary",
                                 theme="presentation"))
    assert snap_compare(app, terminal_size=(120, 40), run_before=freeze)


def test_quit_dialog(snap_compare):
    async def quit(pilot):
        await pilot.press("ctrl+q")
        await freeze(pilot)

    assert snap_compare(make_app("en", HE_PLAN, start="summary"), terminal_size=(80, 24), run_before=quit)


def test_save_dialog(snap_compare):
    async def save(pilot):
        await pilot.press("ctrl+s")
        await pilot.pause()
        pilot.app.screen.query_one(Input).value = "/tmp/my-plan.json"
        await freeze(pilot)

    assert snap_compare(make_app("en", HE_PLAN, start="summary"), terminal_size=(80, 24), run_before=save)


# --- the 2026 call (KA220 / KA210) ---------------------------------------------------------------
def org26(name, country, t, role="partner", eche=None):
    d = {"name": name, "country": country, "organisation_type": t, "role": role}
    return {**d, "eche": eche} if eche is not None else d


PLAN_2026 = {
    "sector": "youth", "partnership_type": "cooperation_partnership",
    "partners": [org26("Jongerencentrum De Peppel", "NL", "youth_organisation", "coordinator"),
                 org26("Nuorisokeskus Helsinki", "FI", "youth_organisation"),
                 org26("Youth Club Leeds", "GB", "youth_organisation"),
                 org26("Youth Centre Minsk", "BY", "ngo")],
    "duration_months": 24, "grant_eur": 250000, "activities": ["project_management"], "priorities": ["inclusion_diversity"],
}
SCREENS_2026 = [
    ("partnership_type", {"sector": "higher_education"}),
    ("partners", PLAN_2026),
    ("summary", {**PLAN_2026, "partners": PLAN_2026["partners"][:2] + [org26("Centro Giovani", "IT", "youth_organisation")]}),
]


@pytest.mark.parametrize("step, plan", SCREENS_2026, ids=[s for s, _ in SCREENS_2026])
def test_2026_screen_80x24(snap_compare, step, plan):
    assert snap_compare(make_app("en", plan, start=step, edition="2026"), terminal_size=(80, 24), run_before=freeze)


def test_partners_60x20(snap_compare):
    """The partner table without sideways scrolling: the type under the name, ECHE and Counts whole."""
    assert snap_compare(make_app("en", PARTNERS_PLAN, start="partners"), terminal_size=(60, 20), run_before=freeze)
