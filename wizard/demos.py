"""The example plans of an edition and the verdicts their stories promise.

Checked above the engine (content loading knows nothing of the engine): ``content check``
reads an edition with ``check_edition_dir``, which also judges every demo plan."""
from __future__ import annotations

from pathlib import Path

from wizard.answers import AnswersError, parse_answers
from wizard.content import ContentError, Edition, load_edition_dir
from wizard.engine import contract_problems, evaluate


def demo_problems(edition: Edition) -> list[str]:
    """Every demo plan is a valid answers file for this edition and gets the verdict
    its story promises."""
    problems = []
    for name, demo in edition.demos.items():
        try:
            answers = parse_answers(demo.answers, edition, "en")
        except AnswersError as exc:
            problems.append(f"demos/{name}.json: answers: {exc}")
            continue
        verdict = evaluate(answers, edition, "en")
        if verdict.eligible != demo.promise.eligible or sorted(verdict.failing()) != sorted(demo.promise.failing):
            problems.append(f"demos/{name}.json: promise: the story promises eligible={demo.promise.eligible}, "
                            f"failing={sorted(demo.promise.failing)}; the rules give eligible={verdict.eligible}, "
                            f"failing={sorted(verdict.failing())}")
    return problems


def check_edition_dir(path: Path) -> Edition:
    """An edition directory validated as ``content check`` does: the content holds together
    (see load_edition_dir), its rules say what the engine needs (contract_problems), then every
    demo plan keeps its promise. Raises ContentError."""
    edition = load_edition_dir(path)
    problems = contract_problems(edition) or demo_problems(edition)
    if problems:
        raise ContentError(problems)
    return edition
