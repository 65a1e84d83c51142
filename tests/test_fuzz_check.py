"""`check` on generated files (issue #14): whatever the file holds, the exit code says what
happened (0 eligible, 1 not eligible, 2 bad input — never a crash), a refusal is one line on
stderr, and nothing from the file reaches the terminal unescaped.

PARTNERSHIP_WIZARD_FUZZ_EXAMPLES sets the number of files (default 500; `make fuzz` runs more).
"""
from __future__ import annotations

import io
import json
import os
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.cli import main
from wizard.content import load_edition

from conftest import HE_PLAN, ROOT

EXAMPLES = int(os.environ.get("PARTNERSHIP_WIZARD_FUZZ_EXAMPLES", "500"))
EDITION = load_edition("2020")
BIG = "__BIG_NUMBER__"  # replaced in the JSON text by an integer of 5,000 digits

HOSTILE_TEXT = [
    "A\ud800", "\udc00B", "\x1b]0;pwned\x07", "\x1b[2J\x1b[H", "line\nbreak", "cr\rhere", "\u2028\u2029\x85",
    "\u202eevil", "x" * 5000, "../editions/2020", str(ROOT / "content" / "editions" / "2020"), "/etc/passwd",
    "", " ", "[b]bold[/b]", "[/]", "{}", "{{count}}", "NL", "el", "uk", "2020", "\x00", "\x7f", "\x9b31m",
]
ids = lambda collection: st.sampled_from(list(collection))  # noqa: E731
text = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=30))
scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False), text,
                   st.just(BIG))
junk = st.recursive(scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
                    max_leaves=8)


@st.composite
def partner(draw):
    p = {
        "name": draw(st.one_of(text, st.sampled_from(["ACME", "Hogeschool Utrecht"]))),
        "country": draw(st.one_of(ids(EDITION.countries), text)),
        "organisation_type": draw(st.one_of(ids(EDITION.organisation_types), text)),
        "role": draw(st.one_of(ids(EDITION.roles), text)),
    }
    if draw(st.booleans()):
        p["eche"] = draw(st.one_of(st.booleans(), st.none(), junk))
    if draw(st.integers(0, 9)) == 0:
        p[draw(text)] = draw(junk)
    return p


FIELDS = {
    "edition": st.one_of(st.just("2020"), st.sampled_from(HOSTILE_TEXT), junk),
    "sector": st.one_of(ids(EDITION.sectors), text, junk),
    "partnership_type": st.one_of(ids(EDITION.partnership_types), text, junk),
    "partners": st.one_of(st.lists(partner(), max_size=6), junk),
    "duration_months": st.one_of(st.integers(-5, 50), st.sampled_from([0, 1200, 1201, 9999, 10**12, BIG]), junk),
    "activities": st.one_of(st.lists(st.one_of(ids(EDITION.activities), text), max_size=4), junk),
    "priorities": st.one_of(st.lists(st.one_of(ids(EDITION.priorities), text), max_size=4), junk),
    "effects": st.one_of(st.lists(st.one_of(ids(EDITION.effects), text), max_size=4), junk),
}


@st.composite
def answers_file(draw) -> bytes:
    kind = draw(st.integers(0, 19))
    if kind == 0:  # not JSON, or not text at all
        return draw(st.one_of(st.binary(max_size=200), st.sampled_from([b"[" * 100_000, b"{", b"", b"\xef\xbb\xbf{}"])))
    if kind == 1:  # JSON, but not an object
        data = draw(junk)
    else:  # a plan: some fields right, some hostile, sometimes a field the format does not know
        base = {k: v for k, v in HE_PLAN.items() if draw(st.booleans())}
        data = {**base, **{k: draw(s) for k, s in FIELDS.items() if draw(st.integers(0, 3)) == 0}}
        if draw(st.integers(0, 9)) == 0:
            data[draw(text)] = draw(junk)
    raw = json.dumps(data, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 2])))
    raw = raw.replace(json.dumps(BIG), "1" + "0" * 5000)
    return raw.encode("utf-8", "surrogatepass")  # a lone surrogate written raw: not UTF-8


UNSAFE = [chr(c) for c in range(0x20) if c != 0x0A] + ["\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\u202e"]


def run_check(path: Path, fmt: str, lang: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["check", str(path), "--format", fmt, "--lang", lang])
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(content=answers_file(), fmt=st.sampled_from(["text", "json", "markdown"]), lang=st.sampled_from(["en", "nl"]))
def test_check_on_any_file_exits_0_1_or_2_with_safe_output(content, fmt, lang):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.json"
        path.write_bytes(content)
        code, out, err = run_check(path, fmt, lang)
    assert code in (0, 1, 2), (code, err)
    for stream in (out, err):
        assert not any(c in stream for c in UNSAFE), repr(stream[:300])
        stream.encode("utf-8")  # a terminal (UTF-8) can take it: no unpaired surrogate
    if code == 2:
        assert out == "" and err.startswith("partnership-wizard: ") and err.count("\n") == 1, err
        assert len(err) < 1500
    else:
        assert err == "" and out
        if fmt == "json":
            verdict = json.loads(out)
            assert verdict["eligible"] == (code == 0)


@st.composite
def plan_data(draw) -> dict:
    """A plan as a file decodes to: right, wrong and missing values in any field, partners with
    fields missing, of the wrong type or unknown, and fields the format does not know."""
    base = {k: v for k, v in HE_PLAN.items() if draw(st.booleans())}
    fields = {**FIELDS, **dict.fromkeys(("edition", "action", "step", "grant_eur"), st.one_of(text, junk, st.integers()))}
    data = {**base, **{k: draw(s) for k, s in fields.items() if draw(st.integers(0, 2)) == 0}}
    if isinstance(data.get("partners"), list) and draw(st.booleans()):
        data["partners"] = [{k: v for k, v in p.items() if draw(st.integers(0, 5))} if isinstance(p, dict) else p
                            for p in data["partners"]]  # a field left out here and there
    if draw(st.integers(0, 5)) == 0:
        data[draw(text)] = draw(junk)
    raw = json.dumps(data, ensure_ascii=False).replace(json.dumps(BIG), "1" + "0" * 60)
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:  # an unpaired surrogate: refused before the format is read (bad_character)
        raw = raw.encode("utf-8", "replace").decode("utf-8")
    return json.loads(raw)


def test_the_reader_without_pydantic_knows_every_field_of_the_models():
    """The plain reader's field lists are a copy of the models' fields: a field added to one and not
    the other would make the two paths disagree on every file that has it."""
    from wizard.answers import FIELDS, PARTNER_FIELDS
    from wizard.answers_model import Answers, Partner

    assert set(FIELDS) == set(Answers.model_fields) and set(PARTNER_FIELDS) == set(Partner.model_fields)


@settings(max_examples=EXAMPLES * 4, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(data=plan_data(), lang=st.sampled_from(["en", "nl"]))
def test_the_reader_without_pydantic_reads_the_format_as_the_models_do(data, lang):
    """check reads a file without pydantic (format_fields); the pydantic models (fields_by_models)
    read it the same: the same fields, or a refusal with the same sentence."""
    from wizard.answers import AnswersError, fields_by_models, format_fields

    def outcome(read):
        try:
            return read(data, lang)
        except AnswersError as exc:
            return f"refused: {exc}"

    assert outcome(format_fields) == outcome(fields_by_models)


def test_check_with_a_fresh_cache_imports_no_pydantic(tmp_path):
    """check restores the edition from the cache as records and reads the file without pydantic."""
    import subprocess
    import sys

    f = tmp_path / "plan.json"
    f.write_text(json.dumps({"edition": "2020", **HE_PLAN}), encoding="utf-8")
    code = (f"import sys, io, contextlib; from wizard.cli import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()): rc = main(['check', {str(f)!r}])\n"
            f"sys.exit(rc + (10 if 'pydantic' in sys.modules else 0))")
    subprocess.run([sys.executable, "-c", code], capture_output=True)  # fills the cache, if it is not fresh
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, (r.returncode, r.stderr)
