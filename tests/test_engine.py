"""Unit tests for every rule, on both sides of every boundary, through the engine's API."""
import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.answers import Answers, Partner
from wizard.engine import activity_allowed, activity_note, count_partners, evaluate, limits, suggest

from conftest import HE_PLAN, partner


def plan(**changes):
    d = copy.deepcopy(HE_PLAN)
    d.update(changes)
    return d


def status(make_answers, rule, **changes):
    v = evaluate(make_answers(**plan(**changes)), pytest.edition)
    return v.rule(rule).status


@pytest.fixture(autouse=True)
def _edition(edition):
    pytest.edition = edition


@pytest.mark.parametrize("months, expected", [(23, "fail"), (24, "pass"), (36, "pass"), (37, "fail")])
def test_higher_education_duration_bounds(make_answers, months, expected):
    assert status(make_answers, "duration", duration_months=months) == expected


@pytest.mark.parametrize("sector, low, high", [("school_education", 12, 36), ("vet", 12, 36), ("adult_education", 12, 36), ("youth", 6, 36)])
def test_duration_bounds_per_sector(make_answers, sector, low, high):
    for months, expected in [(low - 1, "fail"), (low, "pass"), (high, "pass"), (high + 1, "fail")]:
        assert status(make_answers, "duration", sector=sector, duration_months=months) == expected, (sector, months)


def test_duration_message_says_the_allowed_range(make_answers, edition):
    v = evaluate(make_answers(**plan(duration_months=40)), edition)
    assert "24" in v.rule("duration").message and "36" in v.rule("duration").message


@pytest.mark.parametrize("countries, expected", [(["NL", "NL", "AT"], "fail"), (["NL", "AT", "PT"], "pass")])
def test_two_versus_three_countries(make_answers, countries, expected):
    partners = [partner(f"Org {i}", c, role="coordinator" if i == 0 else "partner") for i, c in enumerate(countries)]
    assert status(make_answers, "minimum_countries", partners=partners) == expected
    assert status(make_answers, "minimum_organisations", partners=partners) == "pass"


def test_partner_country_organisation_is_not_counted_and_is_explained(make_answers, edition):
    partners = HE_PLAN["partners"][:2] + [partner("ETH Zürich", "CH")]
    v = evaluate(make_answers(**plan(partners=partners)), edition)
    assert v.rule("minimum_organisations").status == "fail"
    assert "ETH Zürich" in v.rule("minimum_organisations").message
    assert v.rule("partner_countries").status == "check"
    assert "ETH Zürich" in v.rule("partner_countries").message


def test_associated_partner_is_not_counted(make_answers, edition):
    partners = HE_PLAN["partners"][:2] + [partner("Gemeente Porto", "PT", "public_body", "associated_partner")]
    a = make_answers(**plan(partners=partners))
    pc = count_partners(a, edition)
    assert [p.name for p in pc.counted] == ["Hogeschool Utrecht", "Universität Wien"]
    assert pc.not_counted[0][0].name == "Gemeente Porto"
    assert evaluate(a, edition).rule("minimum_organisations").status == "fail"


@pytest.mark.parametrize("code, iso", [("UK", "GB"), ("uk", "GB"), ("EL", "GR"), ("el", "GR"), ("nl", "NL"), ("Gb", "GB")])
def test_eu_and_lower_case_country_codes(make_answers, code, iso):
    a = make_answers(**plan(partners=[partner("X", code, role="coordinator")]))
    assert a.partners[0].country == iso


def test_uk_counts_as_a_programme_country_in_2020(make_answers):
    partners = [partner("A", "NL", role="coordinator"), partner("B", "UK"), partner("C", "EL")]
    assert status(make_answers, "minimum_countries", partners=partners) == "pass"


def test_serbia_and_turkey_are_programme_countries_switzerland_is_not(edition):
    assert {"RS", "TR", "MK", "IS", "LI", "NO"} <= edition.programme_countries
    assert "CH" not in edition.programme_countries
    assert len(edition.programme_countries) == 34


@pytest.mark.parametrize("eche, expected", [(True, "pass"), (False, "fail"), (None, "check")])
def test_eche(make_answers, eche, expected):
    partners = HE_PLAN["partners"][:2] + [partner("Universidade do Porto", "PT", eche=eche)]
    assert status(make_answers, "eche", partners=partners) == expected


def test_eche_not_needed_without_higher_education_institutions(make_answers):
    partners = [partner("A", "NL", "school", "coordinator"), partner("B", "DE", "school"), partner("C", "BE", "school")]
    assert status(make_answers, "eche", sector="school_education", partners=partners) == "pass"


def test_exchange_of_good_practices_disallowed_in_higher_education_with_reason(make_answers, edition):
    v = evaluate(make_answers(**plan(partnership_type="exchange_of_good_practices", activities=["transnational_project_meetings"])), edition, "nl")
    r = v.rule("partnership_type")
    assert r.status == "fail"
    assert "innovatie" in r.message
    assert any("SEED" == ref.id for ref in r.references)


@pytest.mark.parametrize("n, expected", [(0, "fail"), (1, "pass"), (2, "fail")])
def test_exactly_one_coordinator(make_answers, n, expected):
    partners = [partner(f"Org {i}", c, role="coordinator" if i < n else "partner") for i, c in enumerate(["NL", "AT", "PT"])]
    assert status(make_answers, "coordinator", partners=partners) == expected


def test_school_exchange_partnership_format_applies_only_to_schools(make_answers, edition):
    schools = [partner("A", "NL", "school", "coordinator"), partner("B", "DE", "school")]
    a = make_answers(**plan(sector="school_education", partnership_type="exchange_of_good_practices", partners=schools))
    assert limits(a, edition).format.id == "school_exchange_partnership"
    mixed = schools + [partner("C", "DE", "ngo")]
    b = make_answers(**plan(sector="school_education", partnership_type="exchange_of_good_practices", partners=mixed))
    assert limits(b, edition).format is None
    assert evaluate(b, edition).rule("minimum_countries").status == "fail"  # 2 of 3: KA201 rules


def test_associated_partner_does_not_break_the_school_only_format(make_answers, edition):
    members = [partner("A", "NL", "school", "coordinator"), partner("B", "DE", "school"),
               partner("Museum", "BE", "other", "associated_partner")]
    a = make_answers(**plan(sector="school_education", partnership_type="exchange_of_good_practices", partners=members))
    assert limits(a, edition).format.id == "school_exchange_partnership"


def test_school_exchange_25_months_is_a_check_until_activities_are_chosen(make_answers, edition):
    schools = [partner("A", "NL", "school", "coordinator"), partner("B", "DE", "school")]
    a = Answers(**{**make_answers(sector="school_education", partnership_type="exchange_of_good_practices",
                                  partners=schools, duration_months=30).model_dump()})
    assert evaluate(a, edition).rule("duration").status == "check"


def test_activities_allowed_reasons(make_answers, edition):
    a = make_answers(**plan(partnership_type="exchange_of_good_practices", sector="vet"))
    ok, reason = activity_allowed("intensive_study_programmes", a, edition, "en")
    assert ok is False and "higher education" in reason
    ok, _ = activity_allowed("intensive_study_programmes", make_answers(**plan()), edition)
    assert ok is True


def test_no_dedicated_budget_is_a_note_not_a_ban(make_answers, edition):
    """Issue 9: intellectual outputs in an exchange project are possible, without their own budget."""
    a = make_answers(**plan(partnership_type="exchange_of_good_practices", sector="vet", activities=["intellectual_outputs"]))
    assert activity_allowed("intellectual_outputs", a, edition, "en")[0] is True
    note = activity_note("intellectual_outputs", a, edition)
    assert note is not None and "dedicated budget" in note.text("en")
    assert activity_note("intellectual_outputs", make_answers(**plan()), edition) is None  # innovation: funded
    schools = [partner("A", "NL", "school", "coordinator"), partner("B", "DE", "school")]
    sep = make_answers(**plan(sector="school_education", partnership_type="exchange_of_good_practices", partners=schools,
                              activities=["short_term_pupil_group_exchanges"]))
    assert activity_note("transnational_project_meetings", sep, edition) is not None
    assert "transnational_project_meetings" not in {s.id for s in suggest(sep, edition)}  # suggested only with a budget
    assert "transnational_project_meetings" in {s.id for s in suggest(a, edition)}


def test_empty_lists_are_answers_not_missing(make_answers, edition):
    v = evaluate(make_answers(**plan(activities=[], priorities=[])), edition)
    assert v.rule("activities").status == "fail"
    assert v.rule("priorities").status == "fail"
    assert v.complete


def test_missing_fields_make_the_verdict_incomplete(make_answers, edition):
    v = evaluate(make_answers(sector="youth"), edition)
    assert not v.complete and not v.eligible
    assert {r.id for r in v.rules if r.status == "missing"} >= {"partnership_type", "minimum_organisations", "duration", "activities", "priorities"}


def test_every_required_rule_id_is_in_the_verdict(make_answers, edition):
    ids = {r.id for r in evaluate(make_answers(), edition).rules}
    assert ids >= {"partnership_type", "minimum_organisations", "maximum_organisations", "minimum_countries",
                   "partner_countries", "coordinator", "duration", "eche", "activities", "priorities"}


def test_messages_come_in_the_chosen_language(make_answers, edition):
    a = make_answers(**plan(duration_months=40))
    assert "maanden" in evaluate(a, edition, "nl").rule("duration").message
    assert "months" in evaluate(a, edition, "en").rule("duration").message


def test_suggestions_fit_the_plan_and_say_why(make_answers, edition):
    he = suggest(make_answers(**plan()), edition, "en")
    ids = [s.id for s in he]
    assert "intensive_study_programmes" in ids and "multiplier_events" in ids
    assert all(s.why for s in he)
    assert "intellectual_outputs" not in ids  # already chosen
    exchange = suggest(make_answers(**plan(sector="vet", partnership_type="exchange_of_good_practices",
                                           activities=["transnational_project_meetings"])), edition)
    assert not {"intellectual_outputs", "multiplier_events", "intensive_study_programmes"} & {s.id for s in exchange}


def test_suggestion_reasons_follow_priorities(make_answers, edition):
    with_inclusion = {s.id: s.why for s in suggest(make_answers(**plan()), edition)}
    assert "equal_rights_inclusion" in with_inclusion
    without = {s.id for s in suggest(make_answers(**plan(priorities=["environmental_climate_goals"])), edition)}
    assert "equal_rights_inclusion" not in without


def test_next_steps_name_the_coordinators_agency_and_deadline(make_answers, edition):
    v = evaluate(make_answers(**plan()), edition, "en")
    apply = v.next_steps[0]
    assert "Nuffic" in apply.text and "23 April 2020" in apply.text
    youth = evaluate(make_answers(**plan(sector="youth", partners=[partner("A", "DE", "youth_organisation", "coordinator")])), edition)
    assert "Germany" in youth.next_steps[0].text and "1 October 2020" in youth.next_steps[0].text
    assert [s.id for s in v.next_steps] == ["apply", "carry_out", "disseminate"]


# --- properties -------------------------------------------------------------------------
ROLES = ["coordinator", "partner", "associated_partner"]
COUNTRIES = ["NL", "DE", "AT", "UK", "EL", "CH", "UA", "US", "RS", "tr"]


@st.composite
def answers_dicts(draw):
    e = pytest.edition
    d = {}
    if draw(st.booleans()):
        d["sector"] = draw(st.sampled_from(sorted(e.sectors)))
    if draw(st.booleans()):
        d["partnership_type"] = draw(st.sampled_from(sorted(e.partnership_types)))
    if draw(st.booleans()):
        n = draw(st.integers(0, 8))
        d["partners"] = [
            {"name": f"Org {i}", "country": draw(st.sampled_from(COUNTRIES)),
             "organisation_type": draw(st.sampled_from(sorted(e.organisation_types))),
             "role": draw(st.sampled_from(ROLES)), "eche": draw(st.sampled_from([True, False, None]))}
            for i in range(n)
        ]
    if draw(st.booleans()):
        d["duration_months"] = draw(st.integers(1, 60))
    if draw(st.booleans()):
        d["activities"] = draw(st.lists(st.sampled_from(sorted(e.activities)), unique=True, max_size=5))
    if draw(st.booleans()):
        d["priorities"] = draw(st.lists(st.sampled_from(sorted(e.priorities)), unique=True, max_size=3))
    return d


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=answers_dicts(), lang=st.sampled_from(["nl", "en"]))
def test_engine_properties(make_answers, data, lang):
    e = pytest.edition
    a = make_answers(**data)
    v = evaluate(a, e, lang)
    statuses = {r.status for r in v.rules}
    assert v.complete == ("missing" not in statuses)
    assert v.eligible == (v.complete and "fail" not in statuses)
    assert all(r.message and r.source for r in v.rules)
    # adding an associated partner never changes the counted minimums
    extra = Partner(name="Associated X", country="US", organisation_type="other", role="associated_partner")
    if a.partners is not None:
        b = a.model_copy(update={"partners": a.partners + [extra]})
        vb = evaluate(b, e, lang)
        for rid in ("minimum_organisations", "minimum_countries", "coordinator"):
            assert vb.rule(rid).status == v.rule(rid).status


def test_a_budget_note_shows_the_words_behind_it(make_answers, edition):
    """Issue 9: the 'says who?' of a note is the sentence it rests on (S3 for an exchange project)."""
    a = make_answers(**plan(partnership_type="exchange_of_good_practices", sector="vet", activities=["intellectual_outputs"]))
    refs = evaluate(a, edition, "en").rule("activities").references
    assert any(r.id == "S3" and r.quote and "may also produce tangible outputs" in r.quote for r in refs)
    assert len({(r.id, r.quote) for r in refs}) == len(refs)  # each sentence once


def test_a_note_never_shows_another_sectors_source(make_answers, edition):
    """The note on multiplier events without outputs rests on a VET (KA202) page: not shown for KA203."""
    he = evaluate(make_answers(**plan(activities=["multiplier_events"])), edition, "en").rule("activities")
    assert "intellectual outputs" in he.message and "V11" not in {r.id for r in he.references}
    vet = evaluate(make_answers(**plan(sector="vet", activities=["multiplier_events"])), edition, "en").rule("activities")
    assert "V11" in {r.id for r in vet.references}


def test_an_amount_in_an_edition_without_a_grant_rule_is_not_judged(make_answers, edition):
    """The 2020 call has no lump sums and no grant rule: a plan that names an amount gets no
    grant result (check used to stop with KeyError: 'grant', exit 3)."""
    v = evaluate(make_answers(**plan(grant_eur=5000)), edition, "nl")
    assert "grant" not in {r.id for r in v.rules}
    assert v.eligible and v.complete


@pytest.mark.parametrize("edition_id", ["2020", "2026"])
def test_the_engine_fills_every_message_as_fill_template_does(monkeypatch, edition_id):
    """The engine fills a rule's message itself (its hot loop, from values in the contract's
    order, with those its Setting fixes filled in beforehand); it must read as ``texts.fill``
    (by name) reads it: every message of every rule, in both languages, with counts 0, 1 and
    many, distinct values in every field and a literal %, in a plan without limits and in one
    with them."""
    import dataclasses

    from wizard import engine
    from wizard.answers import parse_answers
    from wizard.content import load_edition
    from wizard.texts import fill

    edition = load_edition(edition_id)
    with_limits = next({"sector": s, "partnership_type": t} for s in edition.sectors for t in edition.partnership_types
                       if limits(parse_answers({"sector": s, "partnership_type": t}, edition), edition) is not None)
    specs = {spec.id: spec for spec in engine.RULES.values() if spec.id in edition.rules}
    rounds = max(len(edition.rules[rule_id].messages) for rule_id in specs)
    variants = [lambda i: 0, lambda i: 1, lambda i: 2 + i, lambda i: f"value {i}: 100%"]
    filled_in_beforehand = set()
    try:
        for answers in (parse_answers({}, edition), parse_answers(with_limits, edition)):
            for lang in ("nl", "en"):
                setting = engine.Plan(answers, edition, lang).setting
                for k in range(rounds):
                    for variant in variants:
                        expected = {}
                        for rule_id, spec in specs.items():
                            keys = list(edition.rules[rule_id].messages)  # the edition may leave some out
                            key = keys[k % len(keys)]
                            fixed = spec.setting_fields(setting) if spec.setting_fields and setting.limits else {}
                            given = [f for f in spec.messages[key] if f not in fixed]
                            values = tuple(variant(i) for i in range(len(given)))
                            # "check": a status that takes the key as it is (a missing one picks its own)
                            outcome = ("check", key, values)
                            monkeypatch.setitem(engine.RULES, rule_id, dataclasses.replace(
                                spec, judge=lambda plan, outcome=outcome: outcome, fixed=False))
                            text = getattr(edition.rules[rule_id].messages[key], lang)
                            expected[rule_id] = fill(text, **fixed, **dict(zip(given, values)))
                            filled_in_beforehand.update(f for f in spec.messages[key] if f in fixed)
                        engine.RuleBook.of.cache_clear()  # a book takes the rules' functions when it is made
                        verdict = evaluate(answers, edition, lang)
                        assert {r.id: r.message for r in verdict.rules} == expected
    finally:
        monkeypatch.undo()
        engine.RuleBook.of.cache_clear()
    assert {"minimum", "scope", "min", "max"} <= filled_in_beforehand


def _edition_where_activities_require_others(tmp_path):
    """A copy of the 2020 edition in which some activities require others (none does in the
    real editions)."""
    import shutil

    import yaml

    from wizard.content import load_edition_dir
    from wizard.texts import CONTENT_DIR

    dst = tmp_path / "2020"
    shutil.copytree(CONTENT_DIR / "editions" / "2020", dst)
    path = dst / "activities.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    activities = data["activities"]
    for act, required in ((activities[0], activities[1:3]), (activities[3], activities[1:2])):
        act["requires"] = [r["id"] for r in required]
        act["requires_reason"] = {"nl": f"alleen met {required[0]['id']}", "en": f"only with {required[0]['id']}"}
        act["sources"][0]["note"] = {"nl": "Verzonnen voor deze test.", "en": "Made up for this test."}  # (a ban needs one)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_edition_dir(dst)


@pytest.mark.parametrize("edition_id", ["2020", "2026", "2020 with requirements"])
def test_the_activities_rule_judges_each_activity_as_activity_allowed_does(edition_id, tmp_path):
    """The activities rule tests whether each chosen activity is possible itself (its hot loop);
    it must agree with ``activity_allowed``: a fail names each impossible one with its reason, a
    check each one no source confirms, on many random plans with one to four activities."""
    import random

    from wizard.answers import parse_answers
    from wizard.content import load_edition

    from random_session import random_plan

    if edition_id == "2020 with requirements":
        edition = _edition_where_activities_require_others(tmp_path)
    else:
        edition = load_edition(edition_id)
    rng = random.Random(13)
    seen = set()
    for _ in range(400):
        data = random_plan(rng, edition)
        data.update(sector=data.get("sector") or rng.choice(list(edition.sectors)),
                    partnership_type=data.get("partnership_type") or rng.choice(list(edition.partnership_types)),
                    activities=rng.sample(list(edition.activities)[:5], rng.randint(1, 4)))
        answers = parse_answers(data, edition)
        for lang in ("nl", "en"):
            result = evaluate(answers, edition, lang).rule("activities")
            allowed = {a: activity_allowed(a, answers, edition, lang) for a in data["activities"]}
            problems = [f"{edition.activities[a].title(lang)} ({reason})" for a, (ok, reason) in allowed.items() if ok is False]
            unconfirmed = [edition.activities[a].title(lang) for a, (ok, _) in allowed.items() if ok is None]
            expected = "fail" if problems else "check" if unconfirmed else "pass"
            assert result.status == expected, (data, lang)
            if problems:
                assert "; ".join(problems) in result.message
            elif unconfirmed:
                assert ", ".join(unconfirmed) in result.message
            seen.add((expected, any("only with" in p for p in problems)))
    assert len(seen) > 1  # the plans reach more than one outcome (2026: no activity is impossible)
    assert ((("fail", True) in seen) == (edition_id == "2020 with requirements"))  # a missing requirement, where one can be


@pytest.mark.parametrize("preset", [0, 1, 2, "50% off"])
def test_a_field_filled_in_beforehand_reads_as_one_filled_in_later(preset):
    """A Setting fills the fields it fixes into a rule's messages once (compile_template's
    preset): with plural forms, a conversion and a literal %, the message reads as the
    template filled in at once."""
    from wizard.texts import compile_template, fill, fill_template

    template = "{a} 100% {b:one|other} {b!r} ({c}) {b} {a}"
    for a, c in ((1, "x"), (0, "%s")):
        early = fill_template(compile_template(template, ("a", "c"), (("b", preset),)), (a, c))
        assert early == fill(template, a=a, b=preset, c=c)
