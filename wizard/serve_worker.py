"""The warm worker of ``partnership-wizard serve`` (runs as ``python -m wizard.serve_worker
SOCKET WIZARD-ARGS...``): imports the wizard and reads its content once, then forks one
process per browser session, each running the command line's ``main``. It sits above the
command line, which starts the server (``wizard.serve``): imports go one way."""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from typing import Callable

from wizard.serve import ROOM_WARM_UP, STOP_GRACE


def worker_main(argv: list[str]) -> None:
    """Import the wizard and read its content once, then fork one process per connection
    on the socket: each child runs the wizard with the connection as its stdin and stdout.
    Ends every child when its stdin (a pipe from the server) closes or on SIGTERM."""
    import gc
    import importlib
    import selectors

    path, *wizard_args = argv
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    from wizard.cli import main
    from wizard.screens.steps import SCREENS, WARM_UP_IMPORTS
    from wizard.brief import load_brief, load_ui
    from wizard.content import ContentError, load_edition

    for name in ("textual.drivers.web_driver", *WARM_UP_IMPORTS,
                 *(t.partition(":")[0] for t in SCREENS.values())):
        importlib.import_module(name)
    edition = wizard_args[wizard_args.index("--edition") + 1] if "--edition" in wizard_args else None
    load_ui()
    try:
        load_brief(edition)
        load_edition(edition)
    except (ContentError, KeyError):  # broken content: each session shows the message, as the TUI does
        pass
    else:
        try:
            _dry_run(wizard_args)
        except Exception as exc:  # only a head start; but say so (the tests look for it)
            print(f"partnership-wizard serve: the warm start failed ({type(exc).__name__}: {exc})", file=sys.stderr)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(128)
    gc.freeze()  # what every session shares stays out of the collector: fewer copied pages
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    children: set[int] = set()
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ)
    sel.register(sys.stdin.fileno(), selectors.EVENT_READ)
    try:
        while True:
            for key, _ in sel.select(timeout=1.0):
                if key.fileobj is listener:
                    conn, _ = listener.accept()
                    pid = os.fork()
                    if pid == 0:
                        sel.close()
                        listener.close()
                        _run_session(conn, main, wizard_args)
                    conn.close()
                    children.add(pid)
                elif not os.read(sys.stdin.fileno(), 1024):
                    return  # the server is gone or stopping
            _reap(children)
    finally:
        _end(children)


def _dry_run(wizard_args: list[str]) -> None:
    """Show the first screen once, headless, before any fork: what Textual caches (parsed
    CSS, styles) every session then finds ready."""
    from wizard.app import WizardApp
    from wizard.cli import build_parser, create_app

    async def first_screen() -> None:
        app = create_app(build_parser().parse_args(wizard_args))
        if isinstance(app, WizardApp):
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause()

    warm_up, WizardApp.WARM_UP_AFTER = WizardApp.WARM_UP_AFTER, None
    try:
        asyncio.run(first_screen())
    finally:
        WizardApp.WARM_UP_AFTER = warm_up


def _reap(children: set[int]) -> None:
    for pid in list(children):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            children.discard(pid)


def _end(children: set[int]) -> None:
    for pid in children:
        try:
            os.kill(pid, signal.SIGTERM)  # Textual's web driver quits the app on it
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + STOP_GRACE
    while children and time.monotonic() < deadline:
        _reap(children)
        time.sleep(0.02)
    for pid in children:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def _run_session(conn: socket.socket, main: Callable[[list[str]], int], wizard_args: list[str]) -> None:
    """In the forked child: never returns."""
    code = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        line = b""
        while not line.endswith(b"\n"):
            chunk = conn.recv(1)
            if not chunk:
                os._exit(0)
            line += chunk
        width, height = line.split()
        os.environ["COLUMNS"], os.environ["ROWS"] = width.decode(), height.decode()
        conn.sendall(f"{os.getpid()}\n".encode())
        from wizard.app import WizardApp

        if WizardApp.WARM_UP_AFTER is not None:
            import random

            WizardApp.WARM_UP_AFTER = random.uniform(*ROOM_WARM_UP)
        os.dup2(conn.fileno(), 0)
        os.dup2(conn.fileno(), 1)
        conn.close()
        code = main(wizard_args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


if __name__ == "__main__":
    worker_main(sys.argv[1:])
