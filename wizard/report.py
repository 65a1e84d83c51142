"""Verdict → text, JSON or Markdown. The same words as the TUI summary."""
from __future__ import annotations

import json

from wizard.content import Edition, Ui
from wizard.engine import Verdict


def headline(verdict: Verdict, ui: Ui) -> str:
    lang = verdict.lang
    failed = sum(r.status == "fail" for r in verdict.rules)
    missing = sum(r.status == "missing" for r in verdict.rules)
    checks = sum(r.status == "check" for r in verdict.rules)
    if not verdict.complete:
        if failed:
            return ui("report.incomplete_with_failures", lang, failed=failed, count=missing)
        return ui("report.incomplete", lang, count=missing)
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


def to_markdown(verdict: Verdict, edition: Edition, ui: Ui) -> str:
    lang = verdict.lang
    out = [f"# {ui('report.title', lang)}", "", f"*{_md(edition.info.title(lang))}*", "", f"**{_md(headline(verdict, ui))}**", ""]
    out += [f"## {ui('report.rules', lang)}", ""]
    for r in verdict.rules:
        out.append(f"- **{_md(ui('status.' + r.status, lang))}: {_md(r.title)}** — {_md(r.message)}  ")
        out.append(f"  {_md(ui('report.source', lang))}: {_md(r.source)}")
    if verdict.suggested_activities:
        out += ["", f"## {ui('report.suggested', lang)}", ""]
        for s in verdict.suggested_activities:
            out.append(f"- **{_md(s.title)}** — {_md(s.why)}")
    out += ["", f"## {ui('report.next_steps', lang)}", ""]
    for i, s in enumerate(verdict.next_steps, 1):
        out.append(f"{i}. **{_md(s.title)}**: {_md(s.text)}")
    out += ["", f"> {_md(edition.info.disclaimer(lang))} {_md(edition.info.status_note(lang))}", ""]
    return "\n".join(out)


def render(verdict: Verdict, edition: Edition, ui: Ui, fmt: str) -> str:
    if fmt == "json":
        return to_json(verdict)
    if fmt == "markdown":
        return to_markdown(verdict, edition, ui)
    return to_text(verdict, edition, ui)
