"""The command line through its public surface: exit codes and output of its main() as the
installed command runs it, and real subprocesses for the program as a whole."""
import json
import os
import subprocess
import sys

import pytest

from conftest import HE_PLAN, RUN_ENV, cli as run, cli_process, partner




@pytest.fixture
def write(tmp_path):
    def w(content, name="answers.json", raw=False):
        p = tmp_path / name
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content if raw else json.dumps(content), encoding="utf-8")
        return str(p)

    return w


def test_eligible_plan_exits_0(write):
    r = cli_process("check", write(HE_PLAN))  # the program as a whole: `python -m wizard`
    assert r.returncode == 0, r.stdout + r.stderr
    assert "✓ ELIGIBLE" in r.stdout
    assert r.stderr == ""


def test_not_eligible_plan_exits_1(write):
    r = run("check", write({**HE_PLAN, "duration_months": 12}))
    assert r.returncode == 1
    assert "✗ NOT ELIGIBLE" in r.stdout and "✗ not met — Duration" in r.stdout


def test_incomplete_plan_exits_1(write):
    r = run("check", write({"sector": "youth"}), "--format", "json")
    assert r.returncode == 1
    out = json.loads(r.stdout)
    assert out["complete"] is False and out["eligible"] is False


def test_json_output_shape(write):
    r = run("check", write(HE_PLAN), "--format", "json")
    out = json.loads(r.stdout)
    assert set(out) == {"edition", "eligible", "complete", "rules", "suggested_activities", "next_steps"}
    assert out["edition"] == "2020"
    for rule in out["rules"]:
        assert {"id", "status", "message", "source"} <= set(rule)
        assert rule["status"] in {"pass", "fail", "check", "missing"}
    for s in out["suggested_activities"]:
        assert set(s) == {"id", "title", "why"}
    assert out["next_steps"]


def test_markdown_output_escapes_user_text(write):
    plan = {**HE_PLAN, "partners": [partner("ACME [Ltd] *bold*", "NL", role="coordinator")] + HE_PLAN["partners"][1:]}
    r = run("check", write(plan), "--format", "markdown")
    assert r.returncode == 0
    assert r.stdout.startswith("# ")
    assert "ACME \\[Ltd\\] \\*bold\\*" in r.stdout


def test_dutch_output_and_locale_default(write):
    r = run("check", write(HE_PLAN), "--lang", "nl")
    assert "SUBSIDIABEL" in r.stdout and "Regels" in r.stdout
    r2 = cli_process("check", write(HE_PLAN), env_lang="nl_NL.UTF-8")  # the locale a real process gets
    assert "SUBSIDIABEL" in r2.stdout
    r3 = run("check", write(HE_PLAN), env_lang="de_DE.UTF-8")
    assert "ELIGIBLE" in r3.stdout


def test_text_output_does_not_rely_on_colour(write):
    r = run("check", write({**HE_PLAN, "duration_months": 12}))
    assert "\x1b[" not in r.stdout
    assert "✓ OK" in r.stdout and "✗ not met" in r.stdout


BAD = {
    "missing file": (None, "does not exist"),
    "invalid json": ('{"sector": ', "not valid JSON"),
    "not an object": ("[1, 2]", "JSON object"),
    "empty": ("", "is empty"),
    "unknown sector": ({"sector": "space"}, 'Unknown value "space" in "sector"'),
    "unknown type": ({"partnership_type": "both"}, '"partnership_type"'),
    "unknown country": ({"partners": [partner("A", "XX", role="coordinator")]}, 'Unknown country code "XX"'),
    "unknown action": ({"action": "KA999"}, 'Unknown value "KA999" in "action"'),
    "unknown activity": ({"activities": ["juggling"]}, '"activities[0]"'),
    "unknown priority": ({"priorities": ["peace"]}, '"priorities[0]"'),
    "unknown organisation type": ({"partners": [partner("A", "NL", "castle")]}, "organisation_type"),
    "unknown role": ({"partners": [partner("A", "NL", role="boss")]}, '"partners[0].role"'),
    "wrong type duration": ({"duration_months": "24"}, '"duration_months" must be a whole number'),
    "wrong type partners": ({"partners": "many"}, '"partners" must be a list'),
    "wrong type eche": ({"partners": [{**partner("A", "NL"), "eche": "yes"}]}, "true or false"),
    "unknown field": ({"sectr": "youth"}, 'Unknown field "sectr"'),
    "duplicate organisations": ({"partners": [partner("ACME", "NL"), partner(" acme ", "nl")]}, "listed twice"),
    "unknown edition": ({"edition": "1999"}, 'Unknown edition "1999"'),
    "negative duration": ({"duration_months": -3}, "-3 months is not possible"),
    "impossible duration": ({"duration_months": 9999}, "9999 months is not possible"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a text file"),
    "too large": ("{" + " " * (1024 * 1024 + 10) + "}", "too large"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_input_exits_2_with_one_line(write, tmp_path, case):
    content, expected = BAD[case]
    path = str(tmp_path / "nope.json") if content is None else write(content, raw=isinstance(content, str))
    r = run("check", path)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert expected in r.stderr
    assert r.stdout == ""


def test_directory_is_bad_input(tmp_path):
    r = run("check", str(tmp_path))
    assert r.returncode == 2 and "is a folder" in r.stderr


def test_bad_input_message_in_dutch(write):
    r = run("check", write({"sector": "space"}), "--lang", "nl")
    assert r.returncode == 2 and "Onbekende waarde" in r.stderr


def test_unknown_edition_option_is_bad_input(write):
    r = run("check", write(HE_PLAN), "--edition", "2031")
    assert r.returncode == 2 and "2031" in r.stderr


def test_bad_options_exit_2():
    r = run("check", "x.json", "--format", "pdf")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_content_check_passes_on_the_shipped_content():
    r = run("content", "check")
    assert r.returncode == 0, r.stderr
    assert "Content OK: edition 2020" in r.stdout


def test_broken_content_gives_a_message_not_a_traceback(tmp_path, write):
    import shutil

    from wizard.content import CONTENT_DIR

    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    for edition_dir in (root / "editions").iterdir():  # the file's edition (2020) and the default one
        (edition_dir / "rules.yaml").write_text("rules: [", encoding="utf-8")
    env = {"PARTNERSHIP_WIZARD_CONTENT": str(root), "PARTNERSHIP_WIZARD_NO_CACHE": "1"}
    for argv in (["check", write(HE_PLAN)], ["--no-resume"], ["demo", "--list"]):
        r = subprocess.run([sys.executable, "-m", "wizard", *argv], capture_output=True, text=True, timeout=60,
                           env={**os.environ, **env})
        assert r.returncode == 2, r.stderr
        assert "content check" in r.stderr and "rules.yaml: line" in r.stderr and "Traceback" not in r.stderr
    (root / "ui.yaml").write_text("texts: {", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "wizard", "check", write(HE_PLAN)], capture_output=True, text=True,
                       timeout=60, env={**os.environ, **env})
    assert r.returncode == 2 and "Traceback" not in r.stderr and "content check" in r.stderr


def test_rules_the_engine_cannot_use_stop_the_wizard_before_it_starts(tmp_path, write):
    """A message key the engine needs, renamed in rules.yaml: check and the TUI both say so (exit 2)."""
    import shutil

    from wizard.content import CONTENT_DIR

    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    rules = root / "editions" / "2020" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    eche = text.index("id: eche")
    rules.write_text(text[:eche] + text[eche:].replace("check:", "checked:", 1), encoding="utf-8")
    env = {**os.environ, "PARTNERSHIP_WIZARD_CONTENT": str(root), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for argv in (["check", write(HE_PLAN)], ["--no-resume", "--edition", "2020"]):
        r = subprocess.run([sys.executable, "-m", "wizard", *argv], capture_output=True, text=True, timeout=30,
                           env=env, stdin=subprocess.DEVNULL)
        assert r.returncode == 2, r.stderr
        assert "content check" in r.stderr and "messages.check: message is missing" in r.stderr, r.stderr


@pytest.mark.parametrize("lang, heading, country", [("en", "## Your plan", "Switzerland"), ("nl", "## Je plan", "Zwitserland")])
def test_markdown_starts_with_the_plan_and_keeps_web_addresses_intact(write, lang, heading, country):
    plan = {**HE_PLAN, "partners": HE_PLAN["partners"] + [partner("ACME | Ltd_x", "CH")]}
    out = run("check", write(plan), "--format", "markdown", "--lang", lang).stdout
    assert out.index(heading) < out.index("## " + ("Rules" if lang == "en" else "Regels"))
    plan_part = out[out.index(heading):out.index("## " + ("Rules" if lang == "en" else "Regels"))]
    assert f"| ACME \\| Ltd\\_x | {country} |" in plan_part  # one table row per partner, name escaped
    assert plan_part.count("\n| ") == len(plan["partners"]) + 1  # header + one row each
    assert "24" in plan_part and ("months" if lang == "en" else "maanden") in plan_part
    assert "youth_en>" in out and "\\_en" not in out  # web addresses are not escaped


def test_counted_texts_agree_with_their_number(write):
    one_fail = run("check", write({**HE_PLAN, "duration_months": 12})).stdout
    assert "NOT ELIGIBLE: 1 rule not met." in one_fail
    two_fail = run("check", write({**HE_PLAN, "duration_months": 12, "priorities": ["upskilling_pathways"]}), "--lang", "nl").stdout
    assert "NIET SUBSIDIABEL: 2 regels voldoen niet." in two_fail
    one_partner_country = {**HE_PLAN, "partners": HE_PLAN["partners"] + [partner("ACME", "CH")]}
    two_partner_countries = {**HE_PLAN, "partners": HE_PLAN["partners"] + [partner("ACME", "CH"), partner("Beta", "US")]}
    assert "It does not count" in run("check", write(one_partner_country)).stdout
    assert "They do not count" in run("check", write(two_partner_countries)).stdout
    assert "Ze tellen niet mee" in run("check", write(two_partner_countries), "--lang", "nl").stdout
    out = run("check", write({**HE_PLAN, "partners": HE_PLAN["partners"][:2]})).stdout
    assert "from 1 more programme country." in out
    for text in (one_fail, two_fail, out):
        assert "(s)" not in text and "(en)" not in text


def test_an_empty_plan_counts_unanswered_steps_not_rules(write):
    assert "NOT COMPLETE YET: 5 of the 5 steps are not answered yet." in run("check", write({})).stdout
    assert "1 van de 5 stappen is nog niet ingevuld" in run("check", write({k: v for k, v in HE_PLAN.items() if k != "duration_months"}), "--lang", "nl").stdout


def test_partner_rules_without_a_sector_say_choose_the_sector_first(write):
    out = run("check", write({"partners": HE_PLAN["partners"]}), "--format", "json").stdout
    rules = {r["id"]: r for r in json.loads(out)["rules"]}
    assert rules["minimum_organisations"]["status"] == "missing"
    assert "sector first" in rules["minimum_organisations"]["message"]
    assert "Add the participating" not in out
    assert "Add the participating organisations" in json.dumps(json.loads(run("check", write({"sector": "youth"}), "--format", "json").stdout))


def test_names_inside_a_sentence_are_lower_case(write):
    out = run("check", write({**HE_PLAN, "partnership_type": "exchange_of_good_practices"})).stdout
    assert "is not possible in higher education:" in out
    assert "Your project addresses social inclusion." in run("check", write(HE_PLAN)).stdout


def test_doubled_braces_are_never_shown(write):
    r = run("check", write("[1, 2]", raw=True))
    assert "({ ... })" in r.stderr and "{{" not in r.stderr


@pytest.mark.parametrize("text, dutch", [('{"sector": "youth', "wordt niet afgesloten met een dubbel aanhalingsteken"),
                                         ('{"sector" "youth"}', "hoort een dubbele punt"),
                                         ('{"sector": "youth"} x', "na het einde van het object staat nog tekst")])
def test_json_errors_are_explained_in_the_users_language(write, text, dutch):
    r = run("check", write(text, raw=True), "--lang", "nl")
    assert r.returncode == 2 and dutch in r.stderr and "Expecting" not in r.stderr and "Unterminated" not in r.stderr, r.stderr


def test_check_help_names_its_options_plainly():
    out = run("check", "--help").stdout
    assert "--edition EDITION" in out and "SUB_" not in out


# --- hostile files and the unexpected (issue #14, items 4-8) --------------------------------------------
def check_in_process(capsys, *argv):
    from wizard.cli import main

    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


EDITIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "content", "editions")
ESC_VALUE = "x\u001b]0;pwned\u0007\u001b[2J\n\r\u2028\u2029\u0085y"
HOSTILE = {
    "unpaired surrogate in a name": ('{"partners": [{"name": "A\\ud800", "country": "NL", '
                                     '"organisation_type": "ngo", "role": "coordinator"}]}', "partners[0].name"),
    "integer of 5000 digits": ('{"duration_months": 1' + "0" * 5000 + "}", "too many digits"),
    "edition of 5000 characters": (json.dumps({"edition": "x" * 5000}), "Unknown edition"),
    "edition as a relative path": (json.dumps({"edition": "../editions/2020"}), "Unknown edition"),
    "edition as an absolute path": (json.dumps({"edition": os.path.join(EDITIONS, "2020")}), "Unknown edition"),
    "control characters in a value": (json.dumps({"sector": ESC_VALUE}), "Unknown value"),
    "control characters in a field name": (json.dumps({ESC_VALUE: 1}), "Unknown field"),
    "control characters in a country": (json.dumps({"partners": [partner("A", ESC_VALUE)]}), "Unknown country"),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_files_are_bad_input_in_one_escaped_line(write, capsys, case):
    content, expected = HOSTILE[case]
    code, out, err = check_in_process(capsys, write(content, raw=True))
    assert code == 2 and out == ""
    assert expected in err
    assert err.endswith("\n") and err.count("\n") == 1 and len(err) < 600
    assert not any(c in err[:-1] for c in "\x1b\x07\r\n\u2028\u2029\u0085")
    if "control" in case:
        assert "\\x1b]0;pwned\\x07" in err


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_control_characters_in_a_name_never_reach_the_terminal(write, capsys, fmt):
    name = "ACME\u001b]0;pwned\u0007\u001b[2J\u0085\u202e"
    plan = {**HE_PLAN, "partners": [*HE_PLAN["partners"], partner(name, "US", "ngo")]}  # named: not counted
    code, out, err = check_in_process(capsys, write(plan), "--format", fmt)
    assert code in (0, 1) and err == ""
    assert not any(c in out for c in "\x1b\x07\x85\u202e")
    if fmt == "json":
        kept = " ".join(name.split())  # as the reader keeps a name
        assert any(kept in r["message"] for r in json.loads(out)["rules"])  # the same JSON, the name unchanged
    else:
        assert "ACME\\x1b" in out and "pwned\\x07\\x1b" in out and "\\u202e" in out  # (U+0085: a space in a name)


def test_an_unknown_edition_for_any_command_is_one_line(capsys):
    from wizard.cli import main

    for argv in (["--edition", "2099", "demo", "--list"], ["--edition", "../editions/2020", "demo", "--list"],
                 ["--edition", "x" * 5000, "--no-resume"]):
        assert main(argv) == 2
        out, err = capsys.readouterr()
        assert "Unknown edition" in err and err.count("\n") == 1 and len(err) < 300 and out == ""


def test_output_to_a_full_disk_is_one_line_and_exit_2(write):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "wizard", "check", write(HE_PLAN)], stdout=full,
                           stderr=subprocess.PIPE, text=True, timeout=60)
    assert r.returncode == 2, r.stderr
    assert r.stderr.count("\n") == 1 and "No space left on device" in r.stderr and "Traceback" not in r.stderr


def test_an_unexpected_error_is_exit_3_with_one_line_and_the_details_in_a_file(write, capsys, monkeypatch, tmp_path):
    import wizard.engine

    def broken(*a, **k):
        raise RuntimeError("boom\u001b[2J\nsecond line")

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(wizard.engine, "evaluate", broken)
    code, out, err = check_in_process(capsys, write(HE_PLAN))
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and "bug in the wizard" in err and "\\x1b[2J\\nsecond line" in err
    reports = list((tmp_path / "state").rglob("crash-*.txt"))
    assert len(reports) == 1 and str(reports[0]) in err
    assert "Traceback" in reports[0].read_text() and "RuntimeError" in reports[0].read_text()


def test_the_command_line_runs_the_wizard_in_a_process_that_ends_with_it(monkeypatch):
    """The command line's process runs one app and ends: the app may keep what it builds out of
    the garbage collector for good (WizardApp.FREEZE_BUILT; a process that runs one app after
    another, such as the tests, leaves it off)."""
    from wizard.app import WizardApp
    from wizard.cli import main

    ran = []
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.headless_driver:HeadlessDriver")  # a terminal, to the CLI
    monkeypatch.setattr(WizardApp, "run", lambda app: ran.append(app.FREEZE_BUILT))
    assert main(["--lang", "en", "--no-resume"]) == 0
    assert ran == [True]


@pytest.mark.parametrize("lang, says", [("en", "needs a terminal"), ("nl", "heeft een terminal nodig")])
def test_the_wizard_without_a_terminal_says_so_and_stops(lang, says):
    """Started from a script (no keyboard, output to a pipe), the wizard spun the CPU forever:
    now one sentence that points to check, and exit 2."""
    r = subprocess.run([sys.executable, "-m", "wizard", "--lang", lang], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, env=RUN_ENV, timeout=30)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and says in r.stderr and "partnership-wizard check" in r.stderr
