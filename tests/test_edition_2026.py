"""The 2026 edition (KA220/KA210) through the engine API and the command line: what the
golden cases do not show (next steps, lump sums as input, editions side by side)."""
import json

import pytest

from wizard.answers import AnswersError, parse_answers
from wizard.content import available_editions, default_edition, load_edition
from wizard.engine import evaluate, limits

from conftest import add_partners_and_go_on, args, cli, fill_partner, make_app, notifications, press_next, settle, visible_texts
from wizard.cli import create_app


@pytest.fixture(scope="module")
def e26():
    return load_edition("2026")


def plan(**fields):
    base = {
        "edition": "2026", "sector": "school_education", "partnership_type": "small_scale_partnership",
        "partners": [{"name": "Basisschool De Regenboog", "country": "NL", "organisation_type": "school", "role": "coordinator"},
                     {"name": "Escola Básica de Braga", "country": "PT", "organisation_type": "school", "role": "partner"}],
        "duration_months": 12, "grant_eur": 30000, "activities": ["project_management"], "priorities": ["inclusion_diversity"],
    }
    return {**base, **fields}


def test_the_newest_edition_is_the_default():
    assert available_editions() == ["2020", "2026"]
    assert default_edition() == "2026"


def test_limits_follow_the_partnership_type(e26):
    ka210 = limits(parse_answers(plan(), e26), e26)
    ka220 = limits(parse_answers(plan(partnership_type="cooperation_partnership"), e26), e26)
    assert (ka210.minimum_organisations, ka210.minimum_countries, ka210.duration_min, ka210.duration_max) == (2, 2, 6, 24)
    assert (ka220.minimum_organisations, ka220.minimum_countries, ka220.duration_min, ka220.duration_max) == (3, 3, 12, 36)
    assert limits(parse_answers(plan(partnership_type=None), e26), e26) is None  # no type: no limits yet


def test_2026_has_no_maximum_organisations_rule_and_2020_has_no_grant_rule(e26):
    v26 = evaluate(parse_answers(plan(), e26), e26)
    assert [r.id for r in v26.rules] == ["sector", "partnership_type", "minimum_organisations", "minimum_countries",
                                         "partner_countries", "coordinator", "duration", "eche", "activities", "grant", "priorities"]
    e20 = load_edition("2020")
    v20 = evaluate(parse_answers({"edition": "2020", "sector": "youth"}, e20), e20)
    assert "grant" not in {r.id for r in v20.rules} and "maximum_organisations" in {r.id for r in v20.rules}


@pytest.mark.parametrize("lang, text", [("en", "EUR 120,000 / EUR 250,000 / EUR 400,000"), ("nl", "EUR 120.000 / EUR 250.000 / EUR 400.000")])
def test_a_wrong_lump_sum_names_the_right_ones(e26, lang, text):
    v = evaluate(parse_answers(plan(partnership_type="cooperation_partnership", grant_eur=60000), e26, lang), e26, lang)
    assert v.rule("grant").status == "fail" and text in v.rule("grant").message


def test_sport_applies_to_eacea_and_other_fields_to_the_national_agency(e26):
    sport = evaluate(parse_answers(plan(sector="sport"), e26), e26)
    school = evaluate(parse_answers(plan(), e26), e26)
    assert "EACEA" in sport.next_steps[0].text and "national agency of Netherlands" not in sport.next_steps[0].text
    assert "national agency of Netherlands" in school.next_steps[0].text


def test_the_autumn_round_note_is_for_small_scale_partnerships_only(e26):
    ka210 = evaluate(parse_answers(plan(), e26), e26).next_steps[0].text
    ka220 = evaluate(parse_answers(plan(partnership_type="cooperation_partnership"), e26), e26).next_steps[0].text
    assert "second round" in ka210 and "second round" not in ka220
    assert "Programme Guide 2027" in ka210 and "Programme Guide 2027" in ka220


def test_excluded_countries_fail_whatever_the_type(e26):
    for ptype in ("cooperation_partnership", "small_scale_partnership"):
        partners = plan()["partners"] + [{"name": "Youth Centre Minsk", "country": "by", "organisation_type": "ngo", "role": "partner"}]
        v = evaluate(parse_answers(plan(partnership_type=ptype, partners=partners), e26), e26)
        assert v.rule("partner_countries").status == "fail" and "Belarus" in v.rule("partner_countries").message


def test_a_lump_sum_without_a_type_waits_for_the_type(e26):
    v = evaluate(parse_answers(plan(partnership_type=None, grant_eur=60000), e26), e26)
    assert v.rule("grant").status == "missing" and "partnership type first" in v.rule("grant").message


def test_a_grant_that_is_not_a_whole_number_is_bad_input(tmp_path, e26):
    with pytest.raises(AnswersError):
        parse_answers(plan(grant_eur="30000"), e26)
    f = tmp_path / "plan.json"
    f.write_text(json.dumps(plan(grant_eur=30000.5)), encoding="utf-8")
    r = cli("check", str(f))
    assert r.returncode == 2 and "grant_eur" in r.stderr and "Traceback" not in r.stderr


def test_check_reads_each_file_in_its_own_edition(tmp_path):
    f26, f20 = tmp_path / "a.json", tmp_path / "b.json"
    f26.write_text(json.dumps(plan()), encoding="utf-8")
    f20.write_text(json.dumps({"edition": "2020", "sector": "youth", "partnership_type": "innovation"}), encoding="utf-8")
    out26 = json.loads(cli("check", str(f26), "--format", "json").stdout)
    out20 = json.loads(cli("check", str(f20), "--format", "json").stdout)
    assert out26["edition"] == "2026" and out26["eligible"] is True
    assert out20["edition"] == "2020" and out20["complete"] is False


def test_the_markdown_export_names_the_lump_sum(tmp_path):
    f = tmp_path / "a.json"
    f.write_text(json.dumps(plan(grant_eur=60000)), encoding="utf-8")
    assert "- **Lump sum:** EUR 60,000" in cli("check", str(f), "--format", "markdown").stdout


def test_demo_list_for_2026_has_at_least_four_plans():
    r = cli("--edition", "2026", "demo", "--list")
    assert r.returncode == 0
    assert sum(1 for line in r.stdout.splitlines() if line.startswith("  ")) >= 4


# --- the wizard (Pilot) -------------------------------------------------------------------------
async def pick(pilot, selector: str, option_id: str) -> None:
    """Choose an option of a choice list as a person does: highlight it, Enter."""
    from wizard.widgets.choice_list import ChoiceList

    lst = pilot.app.screen.query_one(selector, ChoiceList)
    lst.focus()
    lst.highlighted = lst.get_option_index(option_id)
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


async def fill_plan(pilot, sector: str, ptype: str, partners: list[tuple], months: str, grant: str) -> None:
    """From the welcome screen to the summary, values set directly, choices picked."""
    from textual.widgets import Input

    app = pilot.app
    await settle(pilot)
    await press_next(pilot)  # Start
    await pick(pilot, "#sectors", sector)
    await press_next(pilot)
    await pick(pilot, "#types", ptype)
    await press_next(pilot)
    await add_partners_and_go_on(pilot, partners, fill_partner)
    app.screen.query_one("#months", Input).value = months
    await settle(pilot)
    await press_next(pilot)
    await pick(pilot, "#priorities", "inclusion_diversity")
    await pick(pilot, "#activities", "project_management")
    await pick(pilot, "#grant", grant)
    await press_next(pilot)
    if app.current_step == "activities":
        await press_next(pilot)


async def test_walk_to_an_eligible_2026_verdict_in_the_newest_edition():
    app = create_app(args(edition=None, no_resume=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.session.edition_id == "2026"
        welcome = visible_texts(app)
        assert "Cooperation and Small-scale Partnerships, 2026 call" in welcome and "Strategic Partnerships, 2020 call" in welcome
        await fill_plan(pilot, "youth", "small_scale_partnership",
                        [("Jongerencentrum De Peppel", "NL", "youth_organisation"), ("Casa da Juventude", "PT", "youth_organisation")],
                        "12", "30000")
        assert app.current_step == "summary"
        assert app.answers.grant_eur == 30000 and app.answers.edition == "2026"
        assert app.screen.verdict.eligible is True
        shown = visible_texts(app)
        assert "✓ ELIGIBLE" in shown and "lump sum EUR 30,000" in shown and "national agency of Netherlands" in shown


async def test_walk_to_a_not_eligible_2026_verdict_and_the_country_marks():
    from wizard.widgets.country_picker import CountryPicker

    app = create_app(args(edition=None, no_resume=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.update_answers(sector="youth", partnership_type="small_scale_partnership")
        app.goto("partners")
        await settle(pilot)
        country = app.screen.query_one("#country", CountryPicker)
        for code, mark in (("GB", "United Kingdom (GB, UK) · not associated"), ("CH", "Switzerland (CH) · not associated"),
                           ("BY", "Belarus (BY) · cannot take part"), ("NO", "Norway (NO) · EU or associated")):
            country.value = code  # the list shows the chosen country as it is listed
            await settle(pilot)
            assert mark in visible_texts(app, "#country > *")
        app.goto("welcome")
        await settle(pilot)
        await fill_plan(pilot, "youth", "small_scale_partnership",
                        [("Jongerencentrum De Peppel", "NL", "youth_organisation"), ("Youth Club Leeds", "GB", "youth_organisation")],
                        "12", "60000")
        assert app.current_step == "summary" and app.screen.verdict.eligible is False
        assert sorted(app.screen.verdict.failing()) == ["minimum_countries", "minimum_organisations", "partner_countries"]
        assert "✗ NOT ELIGIBLE" in visible_texts(app)


async def test_type_step_explains_both_types_and_disables_ka210_in_higher_education():
    app = make_app("en", {"sector": "higher_education"}, start="partnership_type", edition="2026")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = visible_texts(app)
        assert "For newcomers, less experienced and small organisations" in shown
        assert "✗ not possible in higher education: Small-scale Partnerships do not support projects in higher education." in shown


async def test_switching_the_call_keeps_what_carries_over_and_lists_the_rest():
    app = make_app("en", {"sector": "sport", "partnership_type": "cooperation_partnership", "duration_months": 24,
                          "grant_eur": 120000, "priorities": ["inclusion_diversity"],
                          "partners": [{"name": "Hogeschool Utrecht", "country": "NL", "organisation_type": "higher_education_institution",
                                        "role": "coordinator", "eche": True},
                                       {"name": "Sportklub Ljubljana", "country": "SI", "organisation_type": "sport_organisation",
                                        "role": "partner"}]}, start="welcome", edition="2026")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pick(pilot, "#edition", "2020")
        assert app.session.edition_id == "2020" and app.edition.id == "2020" and app.answers.edition == "2020"
        a = app.answers
        assert a.sector is None and a.partnership_type is None and a.grant_eur is None and a.priorities == []
        assert a.duration_months == 24 and [p.name for p in a.partners] == ["Hogeschool Utrecht"]
        told = " ".join(notifications(app))
        for item in ("sector: sport", "partnership_type: cooperation_partnership", "partners: Sportklub Ljubljana",
                     "grant_eur: 120000", "priorities: inclusion_diversity"):
            assert item in told
        assert "This call has closed" in visible_texts(app)  # the welcome screen of the 2020 call
        await pick(pilot, "#edition", "2026")  # and back: what 2026 knows comes along again
        assert app.session.edition_id == "2026" and app.answers.duration_months == 24


async def test_a_2020_answers_file_opens_in_the_2020_edition(tmp_path):
    from conftest import HE_PLAN, write_plan

    app = create_app(args(edition=None, answers=str(write_plan(tmp_path, HE_PLAN))))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.session.edition_id == "2020" and app.edition.id == "2020"
        assert app.answers.partnership_type == "innovation"
