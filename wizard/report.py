"""Verdict → text, JSON or Markdown. The same words as the TUI summary."""
from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from wizard.content import Edition, Ui
from wizard.engine import Verdict, format_eur
from wizard.texts import escape_controls

if TYPE_CHECKING:  # check renders the answers it read, without pydantic (wizard.answers.plain_answers)
    from wizard.answers import Answers


def headline(verdict: Verdict, ui: Ui) -> str:
    lang = verdict.lang
    failed = sum(r.status == "fail" for r in verdict.rules)
    checks = sum(r.status == "check" for r in verdict.rules)
    if not verdict.complete:  # counted in steps, as the user answers them, not in rules
        missing = len(verdict.unanswered)
        steps = len({r.step for r in verdict.rules})
        if failed:
            return ui("report.incomplete_with_failures", lang, failed=failed, count=missing, steps=steps)
        return ui("report.incomplete", lang, count=missing, steps=steps)
    if not verdict.eligible:
        return ui("report.not_eligible", lang, count=failed)
    if checks:
        return ui("report.eligible_with_checks", lang, count=checks)
    return ui("report.eligible", lang)


def to_json(verdict: Verdict) -> str:
    return json.dumps(verdict.to_dict(), ensure_ascii=False, indent=2) + "\n"


def to_text(verdict: Verdict, edition: Edition, ui: Ui) -> str:
    lang = verdict.lang
    out = [ui("report.title", lang), ui("report.edition", lang, edition=edition.info.title(lang)), "", headline(verdict, ui), ""]
    out.append(ui("report.rules", lang))
    for r in verdict.rules:
        out.append(f"  {ui('status.' + r.status, lang)} — {r.title}")
        out.append(f"      {r.message}")
        out.append(f"      {ui('report.source', lang)}: {r.source}")
    if verdict.suggested_activities:
        out += ["", ui("report.suggested", lang)]
        for s in verdict.suggested_activities:
            out.append(f"  • {s.title}")
            out.append(f"      {s.why}")
    out += ["", ui("report.next_steps", lang)]
    for i, s in enumerate(verdict.next_steps, 1):
        out.append(f"  {i}. {s.title}: {s.text}")
    out += ["", f"{ui('report.disclaimer_heading', lang)}: {edition.info.disclaimer(lang)} {edition.info.status_note(lang)}"]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """Escape Markdown so that user text (partner names) shows literally."""
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def _md_sources(r) -> str:
    """The rule's sources; titles escaped, web addresses as they are (a link must work)."""
    if not r.references:
        return _md(r.source)
    return "; ".join(f"{_md(ref.title)} (<https://{ref.url}>)" for ref in r.references)


def plan_rows(answers: Answers, edition: Edition, ui: Ui, lang: str) -> list[tuple[str, str]]:
    """The plan, answer by answer, in words: (label, value); partners are listed apart."""
    none = ui("summary.not_answered", lang)

    def names(ids, table, attr="title") -> str:
        if ids is None:
            return none
        return ", ".join(getattr(table[i], attr)(lang) for i in ids if i in table) or "—"

    a = answers
    return [
        (ui("step.long.sector", lang), edition.sectors[a.sector].name(lang) if a.sector in edition.sectors else none),
        (ui("step.long.partnership_type", lang),
         edition.partnership_types[a.partnership_type].name(lang) if a.partnership_type in edition.partnership_types else none),
        (ui("step.long.duration", lang), ui("summary.months", lang, months=a.duration_months) if a.duration_months else none),
        (ui("report.effects", lang), names(a.effects, edition.effects)),
        (ui("report.priorities", lang), names(a.priorities, edition.priorities)),
        (ui("report.activities", lang), names(a.activities, edition.activities)),
    ] + ([(ui("report.grant", lang), format_eur(a.grant_eur, lang) if a.grant_eur is not None else none)]
         if any(t.lump_sums for t in edition.partnership_types.values()) else [])  # an edition with lump sums


def _md_plan(answers: Answers, edition: Edition, ui: Ui, lang: str) -> list[str]:
    rows = plan_rows(answers, edition, ui, lang)
    out = [f"## {_md(ui('report.plan', lang))}", ""]
    out += [f"- **{_md(label)}:** {_md(value)}" for label, value in rows[:3]]
    out += ["", f"### {_md(ui('step.long.partners', lang))}", ""]
    if answers.partners:
        cols = ["name", "country", "type", "role", "eche"]
        out.append("| " + " | ".join(_md(ui("partners.col." + c, lang)) for c in cols) + " |")
        out.append("|" + "---|" * len(cols))
        for p in answers.partners:
            org = edition.organisation_types.get(p.organisation_type)
            role = edition.roles.get(p.role)
            eche = "—" if not (org and org.needs_eche) else ui(
                "partners.eche." + {True: "yes", False: "no", None: "unknown"}[p.eche], lang)
            cells = [p.name, edition.country_name(p.country, lang), org.name(lang) if org else p.organisation_type,
                     role.short(lang) if role else p.role, eche]
            out.append("| " + " | ".join(_md(c) for c in cells) + " |")
    else:
        out.append(_md(ui("summary.not_answered", lang)))
    out.append("")
    out += [f"- **{_md(label)}:** {_md(value)}" for label, value in rows[3:]]
    return out + [""]


def to_markdown(verdict: Verdict, edition: Edition, ui: Ui, answers: Answers | None = None) -> str:
    lang = verdict.lang
    out = [f"# {ui('report.title', lang)}", "", f"*{_md(edition.info.title(lang))}*", "", f"**{_md(headline(verdict, ui))}**", ""]
    if answers is not None:
        out += _md_plan(answers, edition, ui, lang)
    out += [f"## {ui('report.rules', lang)}", ""]
    for r in verdict.rules:
        out.append(f"- **{_md(ui('status.' + r.status, lang))}: {_md(r.title)}** — {_md(r.message)}  ")
        out.append(f"  {_md(ui('report.source', lang))}: {_md_sources(r)}")
    if verdict.suggested_activities:
        out += ["", f"## {ui('report.suggested', lang)}", ""]
        for s in verdict.suggested_activities:
            out.append(f"- **{_md(s.title)}** — {_md(s.why)}")
    out += ["", f"## {ui('report.next_steps', lang)}", ""]
    for i, s in enumerate(verdict.next_steps, 1):
        out.append(f"{i}. **{_md(s.title)}**: {_md(s.text)}")
    out += ["", f"> {_md(edition.info.disclaimer(lang))} {_md(edition.info.status_note(lang))}", ""]
    return "\n".join(out)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def render(verdict: Verdict, edition: Edition, ui: Ui, fmt: str, answers: Answers | None = None) -> str:
    """The verdict in a format; Markdown (to e-mail to partners) starts with the plan itself.
    Control characters from the plan (a partner's name) are shown escaped, so that printing
    the report can never steer the terminal."""
    if fmt == "json":  # json.dumps escapes C0 controls already; these it leaves raw
        return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", to_json(verdict))
    text = to_markdown(verdict, edition, ui, answers) if fmt == "markdown" else to_text(verdict, edition, ui)
    return escape_controls(text, keep="\n")
