"""The command line: the wizard, ``check`` and ``content check``.

Imports stay lazy: ``check`` never imports Textual, and the TUI is imported only when
the wizard starts.
"""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # check and content check never import the session
    from wizard.session import StartOptions

EXIT_OK, EXIT_NOT_ELIGIBLE, EXIT_BAD_INPUT, EXIT_BUG = 0, 1, 2, 3


def default_lang(explicit: str | None = None) -> str:
    """--lang, else the locale from the environment (nl* → Dutch), else English."""
    if explicit:
        return explicit
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "nl" if value.lower().startswith("nl") else "en"
    return "en"


def content_error_message(lang: str) -> str:
    """What to do about broken content, in the user's language when the texts can be read."""
    return _text("cli.content_error", lang,
                 "The wizard's content has errors; run 'partnership-wizard content check' for the details.")


def say(message: str) -> None:
    """One line on stderr: a message never breaks its line or steers the terminal."""
    from wizard.texts import escape_controls

    print(f"partnership-wizard: {escape_controls(str(message))}", file=sys.stderr)


def _text(key: str, lang: str, fallback: str, **fields) -> str:
    try:
        from wizard.brief import load_ui

        return load_ui()(key, lang, **fields)
    except Exception:  # the interface texts themselves are broken
        return fallback.format(**fields)


def _silence_stdout() -> None:
    """Standard output cannot be written (a closed pipe, a full disk): send what is still
    buffered nowhere, so that Python's own flush at exit adds no second message."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def crash_report(exc: BaseException) -> Path | None:
    """Write the details of an unexpected error to a file in the user's state folder (else
    the temporary folder) and return its path, or None when nothing could be written."""
    import tempfile
    import time
    import traceback

    details = "".join(traceback.format_exception(exc))
    text = f"partnership-wizard {sys.argv!r}\nPython {sys.version}\n\n{details}"
    folders = []
    try:
        from platformdirs import user_state_dir

        folders.append(Path(user_state_dir("partnership-wizard", appauthor=False)))
    except Exception:
        pass
    folders.append(Path(tempfile.gettempdir()))
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.txt"
            path.write_text(text, encoding="utf-8", errors="backslashreplace")
            return path
        except OSError:
            continue
    return None


def _failed(exc: Exception, lang: str) -> int:
    """An error no command caught: content or the system (exit 2), else a bug (exit 3;
    never 1, which tells a script "not eligible")."""
    content = sys.modules.get("wizard.content")
    if content is not None and isinstance(exc, content.ContentError):
        say(f"{content_error_message(lang)} ({exc.problems[0]})")
        return EXIT_BAD_INPUT
    if isinstance(exc, OSError):
        if exc.filename is None:  # standard output or error
            _silence_stdout()
        problem = exc.strerror or str(exc)
        if exc.filename is not None:
            problem += f": {exc.filename}"
        say(_text("cli.os_error", lang, "{problem}", problem=problem))
        return EXIT_BAD_INPUT
    path = crash_report(exc)
    problem = f"{type(exc).__name__}: {exc}"
    if path is None:
        say(_text("cli.bug_no_file", lang, "This is a bug in the wizard ({problem}).", problem=problem))
    else:
        say(_text("cli.bug", lang, "This is a bug in the wizard ({problem}); the details are in {path}.",
                  problem=problem, path=path))
    return EXIT_BUG


def _unknown_edition(edition: str | None, lang: str) -> bool:
    """An --edition that is not the id of an edition: said in one line (never used as a path)."""
    from wizard.texts import available_editions, shown

    known = available_editions()
    if edition is None or edition in known:
        return False
    say(_text("answers.unknown_edition", lang, "Unknown edition \"{value}\". Available: {known}.",
              value=shown(edition), known=", ".join(known)))
    return True


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with one line, as argparse does, minus the noise
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message}\n")


class _Version(argparse.Action):
    """--version: the installed package's version, read only when asked (a faster start)."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, help="print the version and stop")

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("partnership-wizard")
        except PackageNotFoundError:  # run from a checkout that was never installed
            number = "unknown (not installed)"
        print(f"{parser.prog} {number}")
        parser.exit(EXIT_OK)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="partnership-wizard", description="Check an Erasmus+ Strategic Partnership idea, step by step.")
    p.add_argument("--version", action=_Version)
    p.add_argument("--lang", choices=["nl", "en"], help="language (default: from the locale, else English)")
    p.add_argument("--edition", help="content edition (default: the newest)")
    p.add_argument("--answers", metavar="FILE", help="start with the plan in this answers file")
    p.add_argument("--no-resume", action="store_true", help="do not offer to continue the autosaved plan")
    p.add_argument("--no-autosave", action="store_true", help="do not save automatically (used by 'serve')")
    p.add_argument("--demo", metavar="NAME", help="open an example plan (see 'demo --list'); your autosave stays untouched")
    p.add_argument("--theme", choices=["default", "presentation"], help="presentation: high contrast for projectors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    c = sub.add_parser("check", help="check an answers file and print the verdict")
    c.add_argument("file", help="answers file (JSON)")
    c.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    c.add_argument("--lang", choices=["nl", "en"], dest="sub_lang", metavar="{nl,en}", help="language")
    c.add_argument("--edition", dest="sub_edition", metavar="EDITION", help="content edition (overrides the file's)")
    cc = sub.add_parser("content", help="content tools")
    csub = cc.add_subparsers(dest="content_command", metavar="ACTION")
    ck = csub.add_parser("check", help="validate an edition's content (default: every edition)")
    ck.add_argument("dir", nargs="?", help="an edition directory, e.g. content/editions/2020")
    sub.add_parser("schema", help="write the JSON Schema of the content files to content/schema/")
    d = sub.add_parser("demo", help="example plans for trainers")
    d.add_argument("--list", action="store_true", help="list the example plans")
    d.add_argument("--lang", choices=["nl", "en"], dest="sub_lang", help="language")
    sv = sub.add_parser("serve", help="serve the wizard in web browsers, e.g. for a room (textual-serve)")
    sv.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (default: 127.0.0.1, this computer only; 0.0.0.0: the whole network)")
    sv.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    sv.add_argument("--public-url", metavar="URL",
                    help="the address participants use, when it is not this computer's (e.g. behind a proxy)")
    sv.add_argument("--max-sessions", type=int, default=60, metavar="N",
                    help="at most N wizards at once; others see a 'full' page (default: 60)")
    return p


def _edition_for(explicit: str | None, lang: str):
    from wizard.answers import AnswersError
    from wizard.brief import load_ui
    from wizard.content import available_editions, load_edition
    from wizard.texts import shown

    def pick(file_edition: str | None):
        wanted = explicit or file_edition
        try:
            return load_edition(wanted)
        except KeyError:
            raise AnswersError(load_ui()("answers.unknown_edition", lang, value=shown(wanted),
                                         known=", ".join(available_editions()))) from None

    return pick


def cmd_check(args) -> int:
    from wizard.answers import AnswersError, read_answers_file
    from wizard.brief import load_ui
    from wizard.content import ContentError
    from wizard.engine import evaluate
    from wizard.report import render

    lang = default_lang(args.sub_lang or args.lang)
    try:
        ui = load_ui()
        edition_for = _edition_for(args.sub_edition or args.edition, lang)
        answers = read_answers_file(args.file, edition_for, lang, ui)
        edition = edition_for(args.sub_edition or args.edition or answers.edition)
    except AnswersError as exc:
        say(str(exc))
        return EXIT_BAD_INPUT
    except ContentError as exc:
        say(f"{content_error_message(lang)} ({exc.problems[0]})")
        return EXIT_BAD_INPUT
    verdict = evaluate(answers, edition, lang)
    sys.stdout.write(render(verdict, edition, ui, args.format, answers))
    return EXIT_OK if verdict.eligible else EXIT_NOT_ELIGIBLE


def cmd_content_check(args) -> int:
    from wizard.content import CONTENT_DIR, ContentError, UiFile, editions_dir, load_file
    from wizard.demos import check_edition_dir

    dirs = [Path(args.dir)] if args.dir else sorted(p for p in editions_dir().iterdir() if p.is_dir())
    bad = 0
    if not args.dir:
        try:
            load_file(CONTENT_DIR / "ui.yaml", UiFile)
        except ContentError as exc:
            bad += 1
            print(f"{len(exc.problems)} problem(s) in {CONTENT_DIR / 'ui.yaml'}:", file=sys.stderr)
            for line in exc.problems:
                print(f"  {line}", file=sys.stderr)
    for d in dirs:
        try:
            ed = check_edition_dir(d)
        except ContentError as exc:
            bad += 1
            print(f"{len(exc.problems)} problem(s) in {d}:", file=sys.stderr)
            for line in exc.problems:
                print(f"  {line}", file=sys.stderr)
            continue
        print(f"Content OK: edition {ed.id} ({d}).")
    return EXIT_BAD_INPUT if bad else EXIT_OK


def cmd_schema(args) -> int:
    import json

    from wizard.content import CONTENT_DIR, json_schemas, schema_filename

    out = CONTENT_DIR / "schema"
    out.mkdir(exist_ok=True)
    for name, schema in json_schemas().items():
        (out / schema_filename(name)).write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"JSON Schemas written to {out}")
    return EXIT_OK


def cmd_demo(args) -> int:
    from wizard.content import load_edition
    from wizard.engine import evaluate
    from wizard.brief import load_ui

    lang = default_lang(args.sub_lang or args.lang)
    ui = load_ui()
    edition = load_edition(args.edition)
    print(ui("demo.list_heading", lang))
    width = max((len(n) for n in edition.demos), default=0)
    for name, demo in edition.demos.items():
        verdict = ui("demo.eligible" if demo.promise.eligible else "demo.not_eligible", lang)
        print(f"  {name.ljust(width)}  {demo.title(lang)} ({verdict})")
    return EXIT_OK


def cmd_serve(args) -> int:
    import asyncio

    from wizard.brief import load_ui

    lang = default_lang(args.lang)
    ui = load_ui()

    def fail(key: str, **fields) -> int:
        say(ui(key, lang, **fields))
        return EXIT_BAD_INPUT

    try:
        from wizard.serve import RoomServer, is_loopback, participant_urls
    except ImportError:
        return fail("serve.missing")
    if not 0 < args.port < 65536:
        return fail("serve.bad_port", port=args.port)
    if args.max_sessions < 1:
        return fail("serve.bad_max_sessions", count=args.max_sessions)
    if args.public_url and not args.public_url.startswith(("http://", "https://")):
        return fail("serve.bad_public_url", url=args.public_url)
    # every browser gets its own wizard; they share no autosave (each saves with Save as / Export)
    wizard_args = ["--lang", lang, "--no-resume", "--no-autosave"]
    if args.edition:
        wizard_args += ["--edition", args.edition]
    server = RoomServer(wizard_args, host=args.host, port=args.port, public_url=args.public_url,
                        max_sessions=args.max_sessions, texts=lambda key, **f: ui(key, lang, **f),
                        out=lambda line: print(line, flush=True))

    if not is_loopback(args.host):
        print(ui("serve.warning", lang, host=args.host), file=sys.stderr)

    def started() -> None:
        urls = participant_urls(args.host, args.port, args.public_url)
        print(ui("serve.listening", lang, url=urls[0]))
        if len(urls) > 1:
            print(ui("serve.also", lang, urls=", ".join(urls[1:])))
        if not is_loopback(args.host) or args.public_url:
            try:
                import segno

                print(ui("serve.qr", lang))
                segno.make(urls[0], error="m").terminal(compact=True)
            except ImportError:  # an install without segno: the address above does it
                pass
        print(ui("serve.max_sessions", lang, count=args.max_sessions), flush=True)

    try:
        asyncio.run(server.run(started))
    except OSError as exc:
        return fail("serve.cannot_listen", host=args.host, port=args.port, problem=exc.strerror or exc)
    print(ui("serve.stopped", lang), flush=True)
    return EXIT_OK


def check_rules_contract(edition_id: str | None) -> None:
    """Raise ContentError when the edition's rules.yaml breaks the engine's message contract
    (wizard.engine.contract_problems), before the TUI starts. The answer is cached with the
    content, like its validation: a start with a fresh cache needs neither pydantic nor the engine."""
    from wizard.texts import cached, default_edition, editions_dir

    def problems(path: Path) -> list[str]:
        from wizard.content import load_edition_at
        from wizard.engine import contract_problems

        return contract_problems(load_edition_at(path))

    def restore(_path: Path, data: list) -> list[str]:
        if not all(isinstance(line, str) for line in data):
            raise ValueError("not a list of problems")
        return data

    path = (editions_dir() / (edition_id or default_edition() or "")).resolve()
    found = cached(path, "contract", problems, lambda value: value, restore)
    if found:
        from wizard.content import ContentError

        raise ContentError(found)


def start_options(args) -> StartOptions | int:
    """How the wizard starts for these command-line arguments, or an exit code after a
    message on stderr.

    Reads --answers (a bad file: a message and exit 2, the file untouched) or finds the
    autosave to offer (a corrupt one is renamed and the user told)."""
    from wizard.brief import load_brief, load_ui
    from wizard.session import StartOptions
    from wizard.texts import available_editions

    lang = default_lang(args.lang)
    try:
        ui = load_ui()
        load_brief(args.edition)  # validates the edition (or finds it validated) before the TUI starts
        check_rules_contract(args.edition)
    except KeyError:
        say(ui("answers.unknown_edition", lang, value=args.edition, known=", ".join(available_editions())))
        return EXIT_BAD_INPUT
    except Exception as exc:  # ContentError: the content is broken, say where
        problems = getattr(exc, "problems", [str(exc)])
        say(f"{content_error_message(lang)} ({problems[0]})")
        return EXIT_BAD_INPUT
    theme = getattr(args, "theme", None) or "default"
    demo = getattr(args, "demo", None)
    if demo:
        from wizard.content import load_edition

        demos = load_edition(args.edition).demos
        if demo not in demos:
            say(ui("demo.unknown", lang, name=demo, known=", ".join(demos)))
            return EXIT_BAD_INPUT
        return StartOptions(lang, args.edition, demo=demo, theme=theme, start=None)
    options = StartOptions(lang, args.edition, autosave=not getattr(args, "no_autosave", False), theme=theme)
    answers_file = getattr(args, "answers", None)
    if not answers_file and getattr(args, "no_resume", False):
        return options
    from wizard.answers import AnswersError
    from wizard.storage import find_autosave, read_lenient

    edition_for = _edition_for(args.edition, lang)
    if answers_file:
        try:
            loaded = read_lenient(answers_file, edition_for, lang, ui)
        except AnswersError as exc:
            say(str(exc))
            return EXIT_BAD_INPUT
        # a plan: open on the first step that needs attention (after the dropped ids are confirmed)
        return replace(options, edition_id=args.edition or loaded.answers.edition, answers=loaded.answers,
                       dropped=tuple(loaded.dropped), start="welcome" if loaded.dropped else None)
    state = find_autosave(edition_for, lang, ui)
    notices = ()
    if state.moved_to is not None or state.problem:
        notices = (ui("autosave.corrupt", lang, problem=state.problem, path=state.moved_to or "-"),)
    return replace(options, resume=state.loaded, notices=notices)


def create_app(args):
    """The wizard app for these command-line arguments, or an exit code (see start_options)."""
    options = start_options(args)
    if isinstance(options, int):
        return options
    from wizard.app import WizardApp

    return WizardApp(options)


def has_terminal() -> bool:
    """Textual reads keys from standard input and draws on standard error: both must be a
    terminal (without one its input loop spins the CPU forever). A session of 'serve' runs
    with Textual's web driver instead (TEXTUAL_DRIVER), on pipes."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    try:
        return sys.stdin.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):  # closed or missing
        return False


def cmd_tui(args) -> int:
    try:
        import wizard.app  # noqa: F401
    except ImportError as exc:  # an incomplete install (textual missing)
        print(f"partnership-wizard: the wizard cannot start ({exc}); reinstall with 'make run'.", file=sys.stderr)
        return EXIT_BAD_INPUT
    app = create_app(args)  # a bad --answers file is said first
    if isinstance(app, int):
        return app
    if not has_terminal():
        say(_text("cli.no_terminal", app.lang, "The wizard needs a terminal; to check a plan without one: "
                  "'partnership-wizard check PLAN.json'."))
        return EXIT_BAD_INPUT
    app.FREEZE_BUILT = True  # this process ends with the app (see steps.freeze_built)
    app.run()
    app.flush_autosave()
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    lang = default_lang(getattr(args, "sub_lang", None) or args.lang)
    try:
        code = _run(parser, args, lang)
        sys.stdout.flush()  # a full disk shows here, not in Python's flush at exit
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except Exception as exc:
        return _failed(exc, lang)


def _run(parser: argparse.ArgumentParser, args, lang: str) -> int:
    if args.command != "content" and (_unknown_edition(args.edition, lang)
                                      or _unknown_edition(getattr(args, "sub_edition", None), lang)):
        return EXIT_BAD_INPUT
    if args.command == "check":
        return cmd_check(args)
    if args.command == "content":
        if args.content_command != "check":
            parser.parse_args(["content", "--help"])
        return cmd_content_check(args)
    if args.command == "schema":
        return cmd_schema(args)
    if args.command == "demo":
        return cmd_demo(args)
    if args.command == "serve":
        return cmd_serve(args)
    return cmd_tui(args)
