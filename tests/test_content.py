"""Content validation: a broken edition gets 'file: path: problem' lines, never a traceback."""
import json
import shutil
import subprocess
import sys

import pytest
import yaml

from wizard.content import CONTENT_DIR, LANGS, json_schemas, schema_filename


@pytest.fixture
def broken(tmp_path):
    """A copy of the 2020 edition; call with (file, function that edits the loaded YAML)."""
    dst = tmp_path / "2020"
    shutil.copytree(CONTENT_DIR / "editions" / "2020", dst)

    def edit(filename, change):
        p = dst / filename
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        change(data)
        p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return dst

    return edit


@pytest.fixture
def content_check(capsys):
    """`partnership-wizard content check PATH`, in this process: (exit code, stderr)."""
    from wizard.cli import main

    def run(path):
        capsys.readouterr()
        code = main(["content", "check", str(path)])
        return code, capsys.readouterr().err

    return run


def _rule(d, rule_id):
    return next(r for r in d["rules"] if r["id"] == rule_id)


def _activity(d, act_id):
    return next(a for a in d["activities"] if a["id"] == act_id)


CASES = {
    "extra key": ("sectors.yaml", lambda d: d["sectors"][0].update(colour="red"), "sectors.yaml: sectors[0].colour: unknown key"),
    "missing dutch": ("sectors.yaml", lambda d: d["sectors"][2]["name"].pop("nl"), "sectors.yaml: sectors[2].name.nl: required key is missing"),
    "wrong type": ("sectors.yaml", lambda d: d["sectors"][0].update(minimum_countries="three"), "sectors.yaml: sectors[0].minimum_countries"),
    "unknown source": ("rules.yaml", lambda d: d["rules"][1]["sources"]["default"][0].update(source="S999"), "unknown source id 'S999'"),
    "unknown type in sector": ("sectors.yaml", lambda d: d["sectors"][0]["allowed_types"].append("magic"), "sectors[0].allowed_types[2]: unknown partnership type 'magic'"),
    "unknown activity in format": ("sectors.yaml", lambda d: d["formats"][0]["extended_duration"].update(requires_activity="nope"), "unknown activity 'nope'"),
    "bad placeholder": ("rules.yaml", lambda d: d["rules"][7]["messages"]["pass"].update(en="{months} {weeks}"), "unknown placeholder(s) {weeks}"),
    "missing rule": ("rules.yaml", lambda d: d["rules"].pop(), "rule 'priorities' is missing"),
    "missing message": ("rules.yaml", lambda d: d["rules"][8]["messages"].pop("check"), "rules[8].messages.check: message is missing"),
    "unknown country": ("countries.yaml", lambda d: d["programme_countries"]["codes"].append("QQ"), "unknown country code 'QQ'"),
    "duplicate id": ("activities.yaml", lambda d: d["activities"].append(d["activities"][0]), "duplicate id 'transnational_project_meetings'"),
    # a fail must point at words that forbid the plan (issue 9)
    "fail without quote or note": ("rules.yaml", lambda d: _rule(d, "duration")["sources"].update(school_exchange_partnership=[{"source": "S16"}]),
                                   "sources.school_exchange_partnership: the rule can fail, so a source needs a quote or a note"),
    "activity ban without quote": ("activities.yaml", lambda d: _activity(d, "intensive_study_programmes").update(sources=[{"source": "S14"}]),
                                   "sources: the activity can be 'not possible', so a source needs a quote"),
    "another sector's source": ("rules.yaml", lambda d: _rule(d, "partner_countries")["sources"]["higher_education"].append({"source": "S8", "quote": "x"}),
                                "source S8 is about KA204, yet it is shown for higher_education (KA203)"),
    "default shown to a format": ("rules.yaml", lambda d: _rule(d, "coordinator")["sources"].update(
        default=[{"source": "S13", "quote": "nicht als Antragsteller"}]), "source S13 is about KA203, yet it is shown for school_education (KA201)"),
    # a counted text has real plural forms (issue 11)
    "fake plural": ("rules.yaml", lambda d: _rule(d, "eche")["messages"].update(pass_none={"nl": "x", "en": "{names} organisation(s)"}),
                    "messages.pass_none.en: 'n(s)' fakes a plural"),
    "one form only": ("rules.yaml", lambda d: _rule(d, "activities")["messages"]["pass"].update(en="{count} {count:activity} here"),
                      "messages.pass.en: {count:activity} must give exactly two forms, one|other"),
    "empty plural form": ("rules.yaml", lambda d: _rule(d, "activities")["messages"]["pass"].update(nl="{count} {count:activiteit|}"),
                          "messages.pass.nl: {count:activiteit|} must give exactly two forms"),
    "field not a name": ("rules.yaml", lambda d: _rule(d, "activities")["messages"]["pass"].update(en="{count} {0} here"),
                         "messages.pass.en: {0}: a field is a name"),
    "no cap for the maximum rule": ("sectors.yaml", lambda d: d.pop("budget_organisation_cap"),
                                    "sectors.yaml: budget_organisation_cap: needed, with its sources, by the maximum_organisations rule"),
    # a priority group is a sector's own or one for all sectors, said in content (issue 13)
    "group of no sector": ("priorities.yaml", lambda d: d["groups"].append({"id": "music", "title": {"nl": "x", "en": "y"}}),
                           "groups[6].id: 'music' is neither a sector nor a group for all sectors"),
    "no group for all sectors": ("priorities.yaml", lambda d: d["groups"][0].pop("all_sectors"),
                                 "groups: no group for all sectors (all_sectors: true)"),
    # a Dutch quote has an English translation beside it; only a Dutch quote has one (issue 11)
    "Dutch quote untranslated": ("rules.yaml", lambda d: _rule(d, "duration")["sources"]["higher_education"][0].pop("translation"),
                                 "rules.yaml: rules[7].sources.higher_education[0]: the quote of SEED is in Dutch: add its English translation"),
    "translation of an English quote": ("rules.yaml", lambda d: _rule(d, "eche")["sources"]["default"][1].update(translation="x"),
                                        "only a quote from a Dutch source (language: nl) has one"),
    "unknown priority in suggestion": ("activities.yaml", lambda d: d["activities"][1]["suggest"][0]["when"].update(priorities_any=["zzz"]), "unknown priority 'zzz'"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_content_errors_name_file_path_and_problem(broken, content_check, case):
    filename, change, expected = CASES[case]
    path = broken(filename, change)
    code, err = content_check(path)
    assert code == 2
    assert expected in err, err


def test_invalid_yaml_names_the_line(broken, content_check):
    path = broken("rules.yaml", lambda d: None)
    (path / "rules.yaml").write_text("rules:\n  - id: [unclosed\n", encoding="utf-8")
    code, err = content_check(path)
    assert code == 2 and "rules.yaml: line" in err and "invalid YAML" in err


def test_missing_file(broken, content_check):
    path = broken("rules.yaml", lambda d: None)
    (path / "priorities.yaml").unlink()
    code, err = content_check(path)
    assert code == 2 and "priorities.yaml: file is missing" in err


def test_every_text_has_dutch_and_english(edition, ui):
    def walk(node):
        if isinstance(node, dict):
            if set(node) == set(LANGS):
                assert all(isinstance(v, str) and v.strip() for v in node.values()), node
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for f in (CONTENT_DIR / "editions" / "2020").glob("*.yaml"):
        walk(yaml.safe_load(f.read_text(encoding="utf-8")))
    assert all(nl and en for nl, en in ui.texts.values())


def test_json_schema_in_the_repo_is_current():
    schema_dir = CONTENT_DIR / "schema"
    for name, schema in json_schemas().items():
        path = schema_dir / schema_filename(name)
        assert path.exists(), f"{path} missing: run 'partnership-wizard schema'"
        assert json.loads(path.read_text(encoding="utf-8")) == schema, f"{path} is stale: run 'partnership-wizard schema'"


def test_unconfirmed_priorities_are_flagged(edition):
    flagged = {p.id for p in edition.priorities.values() if not p.confirmed}
    assert {"tackling_skills_gaps", "common_values"} <= flagged
    assert {"social_inclusion", "innovative_practices_digital_era", "environmental_climate_goals"}.isdisjoint(flagged)


def test_content_cache_revalidates_a_changed_file(tmp_path, monkeypatch):
    """The cache of validated content never hides a change: edit a file, get the new fact."""
    from wizard.content import load_edition
    from wizard.content import forget_loaded_editions
    from wizard.brief import forget_loaded_briefs, load_brief

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    first = load_edition("2020", root)
    assert first.sectors["youth"].duration.min == 6
    assert any((tmp_path / "cache" / "partnership-wizard").glob("edition-*.json"))
    sectors = root / "editions" / "2020" / "sectors.yaml"
    sectors.write_text(sectors.read_text(encoding="utf-8").replace("duration: {min: 6, max: 36}", "duration: {min: 5, max: 36}"), encoding="utf-8")
    forget_loaded_editions()
    assert load_edition("2020", root).sectors["youth"].duration.min == 5
    edition_yaml = root / "editions" / "2020" / "edition.yaml"
    edition_yaml.write_text(edition_yaml.read_text(encoding="utf-8").replace("colour: red", "") + "colour: red\n", encoding="utf-8")
    forget_loaded_editions()
    forget_loaded_briefs()
    with pytest.raises(Exception) as err:
        load_brief("2020", root)
    assert "edition.yaml: colour: unknown key" in str(err.value)


def test_content_cache_is_json_used_only_for_the_same_code_and_content(tmp_path, monkeypatch):
    """The cache is JSON (reading it runs no code) and is used only when the hash of code +
    content stored in it matches: a cache written by other code is validated again."""
    from wizard import texts
    from wizard.content import load_edition
    from wizard.content import forget_loaded_editions

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    assert load_edition("2020", root).sectors["youth"].duration.min == 6
    (cache,) = (tmp_path / "cache" / "partnership-wizard").glob("edition-*.json")
    stored = json.loads(cache.read_text(encoding="utf-8"))
    youth = next(s for s in stored["value"]["sectors_file"]["sectors"] if s["id"] == "youth")
    youth["duration"]["min"] = 99  # a planted value: shows whether the cache was used
    cache.write_text(json.dumps(stored), encoding="utf-8")
    forget_loaded_editions()
    assert load_edition("2020", root).sectors["youth"].duration.min == 99  # same code + content: used
    monkeypatch.setattr(texts, "_code_hash", lambda: "other code (e.g. a changed engine)")
    forget_loaded_editions()
    assert load_edition("2020", root).sectors["youth"].duration.min == 6  # other code: validated again
    youth["duration"]["min"] = "six"  # a wrong shape under the right key is not trusted either
    stored["key"] = json.loads(cache.read_text(encoding="utf-8"))["key"]
    cache.write_text(json.dumps(stored), encoding="utf-8")
    forget_loaded_editions()
    assert load_edition("2020", root).sectors["youth"].duration.min == 6


def test_cached_edition_equals_a_freshly_validated_one(tmp_path, monkeypatch):
    from wizard.content import load_edition, load_edition_dir
    from wizard.content import forget_loaded_editions

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    forget_loaded_editions()
    load_edition("2020")  # writes the cache (or finds it)
    forget_loaded_editions()
    from_cache, fresh = load_edition("2020"), load_edition_dir(CONTENT_DIR / "editions" / "2020")
    assert any((tmp_path / "cache" / "partnership-wizard").glob("edition-*.json"))
    for part in ("info", "countries_file", "names", "organisations", "sectors_file", "activities_file",
                 "priorities_file", "rules_file", "next_steps", "help", "demos"):
        assert getattr(from_cache, part) == getattr(fresh, part), part


def test_welcome_needs_no_pydantic_when_the_cache_is_fresh():
    code = (
        "import sys; from wizard.brief import load_ui, load_brief; import wizard.app, wizard.screens.welcome;"
        "load_ui(); load_brief(); sys.exit(1 if 'pydantic' in sys.modules else 0)"
    )
    subprocess.run([sys.executable, "-c", "from wizard.brief import load_ui, load_brief; load_ui(); load_brief()"], check=True)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


def test_a_demo_whose_verdict_breaks_its_promise_is_a_content_error(broken, content_check):
    path = broken("rules.yaml", lambda d: None)
    demo = path / "demos" / "youth-two-countries.json"
    data = json.loads(demo.read_text(encoding="utf-8"))
    data["answers"]["duration_months"] = 48
    demo.write_text(json.dumps(data), encoding="utf-8")
    code, err = content_check(path)
    assert code == 2
    assert "demos/youth-two-countries.json: promise: the story promises eligible=True" in err


def test_help_texts_agree_with_the_sector_rules(edition):
    """help.yaml repeats the sector numbers in words: a change in sectors.yaml must reach it."""
    for lang, months, fmt in (("en", "{a} to {b} months", "{a} from {b}"), ("nl", "{a} tot {b} maanden", "{a} uit {b}")):
        text = edition.help.steps["sector"](lang)
        for s in edition.sectors.values():
            assert months.format(a=s.duration.min, b=s.duration.max) in text, (lang, s.id)
            assert fmt.format(a=s.minimum_organisations, b=s.minimum_countries) in text, (lang, s.id)


@pytest.mark.parametrize("text", ["{count} organisatie(s)", "{count} vraag/vragen", "{count} {count:vraag}"])
def test_ui_texts_with_a_fake_or_half_plural_are_refused(tmp_path, text):
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    ui = root / "ui.yaml"
    data = yaml.safe_load(ui.read_text(encoding="utf-8"))
    data["texts"]["resume.summary"]["nl"] = text
    ui.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "wizard", "content", "check"], capture_output=True, text=True, timeout=60,
                       env={**__import__("os").environ, "PARTNERSHIP_WIZARD_CONTENT": str(root), "PARTNERSHIP_WIZARD_NO_CACHE": "1"})
    assert r.returncode == 2 and "resume.summary.nl" in r.stderr, r.stderr


def test_the_groups_for_all_sectors_and_the_roles_are_content(broken):
    """Rename the horizontal group and the roles: the edition still loads, and the engine and
    the partner form follow it (no group or role id in the code)."""
    from wizard.answers import parse_answers
    from wizard.content import load_edition_dir
    from wizard.engine import evaluate

    from conftest import HE_PLAN

    def rename_group(d):
        d["groups"][0]["id"] = "transversal"
        for p in d["priorities"]:
            p["group"] = "transversal" if p["group"] == "horizontal" else p["group"]

    broken("priorities.yaml", rename_group)
    roles = {"coordinator": "lead", "partner": "member", "associated_partner": "friend"}
    path = broken("organisations.yaml", lambda d: [r.update(id=roles[r["id"]]) for r in d["roles"]])
    edition = load_edition_dir(path)
    assert edition.priority_groups_for("higher_education") == ["transversal", "higher_education"]
    assert (edition.role_for_new_organisation(False), edition.role_for_new_organisation(True)) == ("lead", "member")
    plan = {**HE_PLAN, "priorities": ["social_inclusion"],  # a horizontal priority
            "partners": [{**p, "role": roles[p["role"]]} for p in HE_PLAN["partners"]]}
    verdict = evaluate(parse_answers(plan, edition), edition)
    assert verdict.rule("priorities").status == "pass" and verdict.eligible


@pytest.mark.parametrize("edition_id", ["2020", "2026"])
def test_source_titles_carry_no_english_season(edition_id):
    """A source title is shown as it is in both languages: it names the document (in its own
    language) and a year, not an English season ("autumn 2020" read oddly in the Dutch interface)."""
    import re

    from wizard.content import load_edition

    edition = load_edition(edition_id)
    seasons = re.compile(r"\b(spring|summer|autumn|fall|winter)\b", re.I)
    assert [s.title for s in edition.info.sources if seasons.search(s.title)] == []


def test_a_message_may_name_its_fields_in_any_order_twice_or_not_at_all(broken):
    """The engine gives a message's values in its contract's order; the edition's text may name
    them in another order, one twice, some not at all, with plural forms and a literal %."""
    from wizard.answers import parse_answers
    from wizard.content import load_edition_dir
    from wizard.engine import evaluate, limits
    from wizard.texts import mid_sentence

    from conftest import HE_PLAN

    def reword(d):
        messages = _rule(d, "duration")["messages"]
        messages["pass"] = {"en": "{scope} 100%: {max} >= {months} {months:month|months} >= {min}, {months} again",
                            "nl": "{months:maand|maanden}"}  # plural forms only
        _rule(d, "activities")["messages"]["pass"]["en"] = "{count:activity|activities}: {count}."
        _rule(d, "minimum_countries")["messages"]["pass"]["en"] = "Enough."  # no field
        _rule(d, "coordinator")["messages"]["pass"]["en"] = "{country}: {name}"  # each once, the other way round

    edition = load_edition_dir(broken("rules.yaml", reword))
    answers = parse_answers(HE_PLAN, edition)
    lim, months = limits(answers, edition), HE_PLAN["duration_months"]
    en, nl = evaluate(answers, edition, "en"), evaluate(answers, edition, "nl")
    assert en.rule("duration").message == (f"{mid_sentence(lim.scope_name)} 100%: {lim.duration_max} >= {months} months"
                                           f" >= {lim.duration_min}, {months} again")
    assert nl.rule("duration").message == "maanden"
    assert en.rule("minimum_countries").message == "Enough."
    coordinator = HE_PLAN["partners"][0]
    assert en.rule("coordinator").message == f"{edition.country_name(coordinator['country'], 'en')}: {coordinator['name']}"
    for activities, text in ((HE_PLAN["activities"][:1], "activity: 1."), (HE_PLAN["activities"], "activities: 2.")):
        verdict = evaluate(parse_answers({**HE_PLAN, "activities": activities}, edition), edition, "en")
        assert verdict.rule("activities").status == "pass" and verdict.rule("activities").message.startswith(text)
