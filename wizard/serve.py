"""Browser mode for a room: ``partnership-wizard serve``.

Built on textual-serve (its page script, its websocket protocol, its downloads), with what a
trainer in a room needs on top:

- The page takes the address the browser used (or ``--public-url``): no address of the
  server is written into it, so ``--host 0.0.0.0`` works from every computer.
- A websocket from another web site (its Origin is not this server) is refused (403), a
  request naming another host (DNS rebinding) too, and ``--max-sessions`` caps the room
  with a clear page.
- Sessions start in a fraction of a second: a warm process, which has imported the wizard
  and read its content once, forks one process per browser (where the system can fork; else
  each session starts ``python -m wizard`` as textual-serve does).
- One console line per session start and end; Ctrl+C ends every session and stops within
  a second or two, without a traceback.
"""
from __future__ import annotations

import asyncio
import html
import ipaddress
import shlex
import os
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

PAGE = Path(__file__).with_name("serve.html")
STOP_GRACE = 0.6  # seconds a session gets to end itself on Ctrl+C before it is killed
# A session builds the other step screens in the background soon after its first paint
# (WizardApp.WARM_UP_AFTER, 0.1 s): ~1.6 s of CPU each, after which every step shows at once. A room
# that opens 30 sessions at once would spend the machine on that while the others still wait
# for their first screen; a served session starts it after a random moment in this range
# (seconds), when the room's first screens are out, spread so that keys stay quick meanwhile.
ROOM_WARM_UP = (8.0, 30.0)
FIRST_SCREEN_WAIT = 5.0  # seconds a starting session may hold its start slot at most


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def lan_addresses() -> list[str]:
    """This computer's IPv4 addresses that other computers can use (best effort, no
    packets sent): the one with the default route first."""
    found: list[str] = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # a documentation address: only picks the route
            found.append(s.getsockname()[0])
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(info[4][0]))
    except OSError:
        pass
    out = []
    for a in found:
        if a not in out and not ipaddress.ip_address(a).is_loopback and not ipaddress.ip_address(a).is_unspecified:
            out.append(a)
    return out


def participant_urls(host: str, port: int, public_url: str | None) -> list[str]:
    """The addresses to show the room."""
    if public_url:
        return [public_url]
    hosts = [host]
    if host in ("", "0.0.0.0", "::"):
        hosts = lan_addresses() or ["127.0.0.1"]
    return [f"http://{f'[{h}]' if ':' in h else h}:{port}/" for h in hosts]


def _host_name(netloc: str) -> str:
    try:
        return (urlsplit("//" + netloc).hostname or "").lower()
    except ValueError:
        return ""


class Worker:
    """The warm process that forks the sessions (``wizard.serve_worker``)."""

    def __init__(self, wizard_args: list[str], env: dict[str, str]):
        self.dir = tempfile.mkdtemp(prefix="partnership-wizard-serve-")
        self.path = os.path.join(self.dir, "sessions.sock")
        self.wizard_args = wizard_args
        self.env = env
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "wizard.serve_worker", self.path, *self.wizard_args,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, env=self.env,
            start_new_session=True)  # Ctrl+C in the terminal reaches the server only
        assert self.process.stdout is not None
        if await self.process.stdout.readline() != b"ready\n":
            raise RuntimeError("the session worker did not start")

    async def stop(self) -> None:
        """Close the worker's stdin: it ends every session (SIGTERM, then SIGKILL) and exits.
        Whatever is left of its process group after a moment (the sessions are in it) is
        killed: no session outlives the server."""
        if self.process is not None:
            if self.process.returncode is None:
                assert self.process.stdin is not None
                self.process.stdin.close()
                try:
                    await asyncio.wait_for(self.process.wait(), STOP_GRACE + 0.3)
                except asyncio.TimeoutError:
                    pass
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            await self.process.wait()
        for name in os.listdir(self.dir):
            os.unlink(os.path.join(self.dir, name))
        os.rmdir(self.dir)


class _Forked:
    """What AppService.run reads from a session process: its output, and an empty stderr
    (a forked session writes its errors to the server's console directly)."""

    def __init__(self, pid: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.pid, self.stdout, self.stdin = pid, reader, writer
        self.stderr = asyncio.StreamReader()
        self.stderr.feed_eof()


class Session(AppService):
    """One browser's wizard: textual-serve's AppService, with the process forked by the warm
    worker instead of started from a command line (``_open_app_process`` is textual-serve's
    one hook for that; textual-serve is pinned below 2)."""

    worker: Worker | None = None
    FIRST_SCREEN = 1000  # bytes: the first frame is one large write, the set-up before it small

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.shown = asyncio.Event()  # the first screen was sent, or the session ended before

    async def run(self) -> None:
        try:
            await super().run()
        finally:
            self.shown.set()
            try:
                await self.remote_close()  # the process has ended (even without saying so)
            except Exception:
                pass

    async def on_data(self, payload: bytes) -> None:
        if len(payload) > self.FIRST_SCREEN:
            self.shown.set()
        await super().on_data(payload)

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        if self.worker is None:
            return await super()._open_app_process(width, height)
        reader, writer = await asyncio.open_unix_connection(self.worker.path)
        writer.write(f"{width} {height}\n".encode())
        await writer.drain()
        pid = int(await reader.readline())
        process = _Forked(pid, reader, writer)
        self._process, self._stdin = process, writer  # type: ignore[assignment]
        return process


class RoomServer(Server):
    def __init__(self, wizard_args: list[str], *, host: str, port: int, public_url: str | None,
                 max_sessions: int, texts: Callable[..., str], out: Callable[[str], None] = print,
                 fork: bool | None = None):
        command = shlex.join([sys.executable, "-m", "wizard", *wizard_args])
        super().__init__(command, host=host, port=port, title="Partnership Wizard", public_url=public_url or "")
        self.public_url = public_url.rstrip("/") + "/" if public_url else None
        self.wizard_args = wizard_args
        self.max_sessions = max_sessions
        self.t = texts
        self.out = out
        self.fork = hasattr(os, "fork") and hasattr(socket, "AF_UNIX") if fork is None else fork
        self.sessions: set[web.WebSocketResponse] = set()
        self.worker: Worker | None = None
        self.allowed_hosts = {"localhost", socket.gethostname().lower(), socket.gethostname().lower() + ".local"}
        if self.public_url:
            self.allowed_hosts.add(_host_name(urlsplit(self.public_url).netloc))
        self.stopped = asyncio.Event()
        self.starting = asyncio.Semaphore(2 * (os.cpu_count() or 1))

    # --- the rules for who may connect ---------------------------------------------------
    def host_allowed(self, request: web.Request) -> bool:
        """A name this server answers to, or any IP address (a page from another site that
        resolves its own name to this computer, DNS rebinding, gets no answer)."""
        name = _host_name(request.host)
        if name in self.allowed_hosts:
            return True
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return False

    def origin_allowed(self, request: web.Request) -> bool:
        """A browser's websocket carries the page's Origin: it must be this server's page.
        (A client without an Origin is not a browser and no web page can drive it.)"""
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        netloc = urlsplit(origin).netloc.lower()
        return netloc == request.host.lower() or bool(self.public_url and netloc == urlsplit(self.public_url).netloc.lower())

    @web.middleware
    async def check_host(self, request: web.Request, handler: Callable) -> web.StreamResponse:
        if not self.host_allowed(request):
            return web.Response(status=403, text=self.t("serve.wrong_host", host=request.host))
        return await handler(request)

    # --- pages ---------------------------------------------------------------------------
    def page(self, request: web.Request) -> str:
        base = self.public_url or ""
        font = request.query.get("fontsize", "16")
        fields = {
            "static": base + "static/",
            "public_url": base,
            "font_size": font if font.isdigit() and 6 <= int(font) <= 96 else "16",
            "title": "Partnership Wizard",
            "ended": self.t("serve.page_ended"),
            "restart": self.t("serve.page_restart"),
            "start": self.t("serve.page_start"),
            "lang": self.t("serve.page_lang"),
        }
        text = PAGE.read_text(encoding="utf-8")
        for key, value in fields.items():
            text = text.replace("{{ " + key + " }}", html.escape(value, quote=True))
        return text

    def full_page(self) -> web.Response:
        title = html.escape(self.t("serve.full_title"))
        body = html.escape(self.t("serve.full", count=self.max_sessions))
        return web.Response(status=503, content_type="text/html", charset="utf-8", text=(
            f'<!DOCTYPE html><html lang="{self.t("serve.page_lang")}"><head><meta charset="utf-8"><title>{title}</title>'
            '<meta http-equiv="refresh" content="20"></head>'
            f'<body style="font: 24px sans-serif; margin: 3em; background: #0c181f; color: #eee">'
            f"<h1>{title}</h1><p>{body}</p></body></html>"))

    async def handle_index(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        if len(self.sessions) >= self.max_sessions:
            return self.full_page()
        return web.Response(content_type="text/html", charset="utf-8", text=self.page(request))

    # --- sessions ------------------------------------------------------------------------
    def log(self, key: str) -> None:
        self.out(self.t(key, time=time.strftime("%H:%M:%S"), count=len(self.sessions)))

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        if not self.origin_allowed(request):
            self.out(self.t("serve.refused", time=time.strftime("%H:%M:%S"), origin=request.headers.get("Origin", "")))
            return web.Response(status=403, text=self.t("serve.foreign_origin"))
        if len(self.sessions) >= self.max_sessions or self.stopped.is_set():
            return web.Response(status=503, text=self.t("serve.full", count=self.max_sessions))
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        width = _int(request.query.get("width"), 80)
        height = _int(request.query.get("height"), 24)
        service = Session(self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                          close=websocket.close, download_manager=self.download_manager)
        service.worker = self.worker
        self.sessions.add(websocket)
        self.log("serve.session_started")
        try:
            # A room opens its sessions at the same moment: started all at once they would
            # share the processors and all show their first screen late; started a few at a
            # time (first come, first served), most show it early and none later.
            async with self.starting:
                await service.start(width, height)
                try:
                    await asyncio.wait_for(service.shown.wait(), FIRST_SCREEN_WAIT)
                except asyncio.TimeoutError:
                    pass
            await self._process_messages(websocket, service)
        except (asyncio.CancelledError, OSError):  # the browser or the session process went away
            pass
        finally:
            self.sessions.discard(websocket)
            try:
                await asyncio.wait_for(asyncio.shield(service.stop()), STOP_GRACE + 1)
            except (asyncio.TimeoutError, asyncio.CancelledError, ConnectionError):
                pass
            await websocket.close()
            self.log("serve.session_ended")
        return websocket

    # --- running -------------------------------------------------------------------------
    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.check_host])
        app.add_routes([
            web.get("/", self.handle_index),
            web.get("/ws", self.handle_websocket),
            web.get("/download/{key}", self.handle_download),
            web.static("/static", self.statics_path),
        ])
        return app

    async def run(self, started: Callable[[], None] | None = None) -> None:
        """Serve until SIGINT/SIGTERM (or ``self.stopped`` is set); raises OSError when the
        address cannot be used."""
        loop = asyncio.get_running_loop()
        if self.fork:
            self.worker = Worker(self.wizard_args, session_environment())
            await self.worker.start()
        runner = web.AppRunner(self.make_app(), access_log=None, handle_signals=False)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port, shutdown_timeout=0.2)
            await site.start()
            for sig in (signal.SIGINT, signal.SIGTERM):
                try:
                    loop.add_signal_handler(sig, self.stopped.set)
                except (NotImplementedError, RuntimeError):
                    pass
            if started is not None:
                started()
            await self.stopped.wait()
            if self.sessions:
                self.out(self.t("serve.stopping", count=len(self.sessions)))
        finally:
            self.stopped.set()
            if self.worker is not None:
                await self.worker.stop()  # every session process ends; their websockets close
            for websocket in list(self.sessions):
                await websocket.close()
            await runner.cleanup()
            for sig in (signal.SIGINT, signal.SIGTERM):
                try:
                    loop.remove_signal_handler(sig)
                except (NotImplementedError, RuntimeError):
                    pass


def _int(value: str | None, default: int) -> int:
    try:
        return max(10, min(int(value or default), 1000))
    except ValueError:
        return default


def session_environment() -> dict[str, str]:
    """The environment textual-serve gives a session (Textual reads it when imported)."""
    from importlib.metadata import version

    env = dict(os.environ)
    env.update(TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver", TEXTUAL_FPS="60",
               TEXTUAL_COLOR_SYSTEM="truecolor", TERM_PROGRAM="textual",
               TERM_PROGRAM_VERSION=version("textual-serve"))
    return env
