"""Golden cases: answers → expected verdict, as data files per edition.

A case states the verdict (eligible, complete, failing rules), rule statuses, and may
state words each rule's message must contain, per language ("contains": {rule: {en, nl}}),
and words the next steps must contain ("next_steps_contain": {en, nl}).
"source" says where the expected verdict comes from when it was corrected."""
import pytest

from wizard.answers import parse_answers
from wizard.content import load_edition
from wizard.engine import evaluate

from conftest import GOLDEN, golden_cases


def test_enough_golden_cases_cover_every_sector_and_the_school_exchange_format(edition):
    cases = [p.values[0] for p in golden_cases()]
    assert len(cases) >= 25
    sectors = {c["answers"].get("sector") for c in cases}
    assert set(edition.sectors) <= sectors
    formats = {evaluate(parse_answers(c["answers"], edition), edition).format for c in cases}
    assert "school_exchange_partnership" in formats


@pytest.mark.parametrize("edition_id, case", [pytest.param(e, c.values[0], id=f"{e}-{c.id}")
                                              for e in ("2020", "2026") for c in golden_cases(e)])
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_golden_case(edition_id, case, lang):
    edition = load_edition(edition_id)
    answers = parse_answers(case["answers"], edition, lang)
    verdict = evaluate(answers, edition, lang)
    exp = case["expected"]
    assert verdict.eligible is exp["eligible"], [(r.id, r.status, r.message) for r in verdict.rules]
    assert verdict.complete is exp["complete"]
    assert sorted(verdict.failing()) == exp["failing"], [(r.id, r.status, r.message) for r in verdict.rules]
    for rule_id, status in exp["statuses"].items():
        assert verdict.rule(rule_id).status == status, verdict.rule(rule_id).message
    for rule_id, words in exp.get("contains", {}).items():
        assert words[lang] in verdict.rule(rule_id).message
    if "next_steps_contain" in exp:
        assert exp["next_steps_contain"][lang] in " ".join(s.text for s in verdict.next_steps)


def test_enough_2026_golden_cases_cover_every_sector_type_and_lump_sum():
    e = load_edition("2026")
    cases = [p.values[0]["answers"] for p in golden_cases("2026")]
    assert len(cases) >= 30
    assert set(e.sectors) <= {c.get("sector") for c in cases}
    assert set(e.partnership_types) <= {c.get("partnership_type") for c in cases}
    amounts = {ls.amount for t in e.partnership_types.values() for ls in t.lump_sums}
    assert amounts <= {c.get("grant_eur") for c in cases}
    countries = {p["country"].upper() for c in cases for p in c.get("partners", [])}
    assert countries & e.excluded_countries == e.excluded_countries  # every excluded country is tried
    assert {"GB", "CH", "UA"} <= countries  # non-associated, counted nowhere
    assert {"IS", "NO", "TR", "MK", "RS"} <= countries  # associated
