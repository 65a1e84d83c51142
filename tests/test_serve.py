"""`serve` for a room, through the command line, on 127.0.0.1 only."""
import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from wizard.brief import load_ui

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from bench_serve import free_port, tree  # noqa: E402

UI = load_ui()
HEADING = " ".join(UI("welcome.heading", "en").split()[:2]).encode()


class Served:
    """The server in a process group of its own, as in a terminal: Ctrl+C there sends SIGINT
    to the whole foreground group."""

    def __init__(self, *args: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "wizard", "--lang", "en", "serve", "--host", "127.0.0.1", "--port", str(self.port), *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=dict(os.environ, PYTHONUNBUFFERED="1"),
            start_new_session=True)
        first = self.proc.stdout.readline()
        if not first.startswith(UI("serve.listening", "en", url="X").split("X")[0]):
            self.stop()  # no server left behind by a failing test
            raise AssertionError(first)

    def ctrl_c(self) -> None:
        os.killpg(self.proc.pid, signal.SIGINT)

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.ctrl_c()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        return self.proc.stdout.read()


@pytest.fixture(scope="module")
def served():
    s = Served()
    yield s
    s.stop()


async def first_screen(ws) -> bytes:
    screen = b""
    async with asyncio.timeout(60):
        async for msg in ws:
            if msg.type == aiohttp.WSMsgType.BINARY:
                screen += msg.data
                if HEADING in screen:
                    return screen
    raise AssertionError(f"the session ended before its first screen: {screen[-300:]!r}")


async def test_the_page_takes_every_address_from_the_browser(served):
    """Opened as a participant on another computer would (the LAN address in Host), the page
    names no address of the server: its script, styles and websocket follow the browser's."""
    async with aiohttp.ClientSession() as http:
        async with http.get(served.url + "/?fontsize=24", headers={"Host": f"192.168.1.23:{served.port}"}) as r:
            page = await r.text()
    assert r.status == 200
    assert "127.0.0.1" not in page and "0.0.0.0" not in page and "ws://" not in page
    assert 'src="static/js/textual.js"' in page and 'data-font-size="24"' in page
    assert "window.location.href" in page  # the websocket address is made from the page's own
    # keyboard: the terminal gets the focus on load, Restart when the session has ended
    assert 'document.querySelector("#terminal textarea")' in page and 'getElementById("restart").focus()' in page


def test_the_addresses_printed_for_a_room_are_ones_a_participant_can_type():
    from wizard.serve import participant_urls

    urls = participant_urls("0.0.0.0", 8000, None)
    assert urls and all(u.startswith("http://") and u.endswith(":8000/") for u in urls)
    assert not any("0.0.0.0" in u for u in urls)
    assert participant_urls("0.0.0.0", 8000, "https://room.example/") == ["https://room.example/"]


async def test_public_url_is_used_for_the_page_addresses():
    s = Served("--public-url", "https://wizard.example.org/room1/")
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(s.url + "/", headers={"Host": "wizard.example.org"}) as r:
                page = await r.text()
        assert 'src="https://wizard.example.org/room1/static/js/textual.js"' in page
        assert 'data-public-url="https://wizard.example.org/room1/"' in page
    finally:
        s.stop()


async def test_a_websocket_from_another_site_is_refused_and_its_own_page_gets_a_wizard(served):
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(served.url + "/ws", headers={"Origin": "http://evil.example"})
        assert refused.value.status == 403
        async with http.ws_connect(served.url + "/ws?width=100&height=30", headers={"Origin": served.url}) as ws:
            assert HEADING in await first_screen(ws)


async def test_a_request_for_another_host_name_is_refused(served):
    async with aiohttp.ClientSession() as http:
        async with http.get(served.url + "/", headers={"Host": f"rebound.evil.example:{served.port}"}) as r:
            assert r.status == 403
            assert "rebound.evil.example" in await r.text()
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(served.url + "/ws", headers={"Host": "rebound.evil.example",
                                                               "Origin": "http://rebound.evil.example"})
        assert refused.value.status == 403


async def test_the_session_limit_shows_a_clear_page():
    s = Served("--max-sessions", "1")
    try:
        async with aiohttp.ClientSession() as http:
            async with http.ws_connect(s.url + "/ws", headers={"Origin": s.url}) as ws:
                await first_screen(ws)
                async with http.get(s.url + "/") as r:
                    assert r.status == 503
                    assert UI("serve.full_title", "en") in await r.text()
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await http.ws_connect(s.url + "/ws", headers={"Origin": s.url})
                assert refused.value.status == 503
            await asyncio.sleep(0.5)  # the place is free again once the session has ended
            async with http.get(s.url + "/") as r:
                assert r.status == 200
    finally:
        out = s.stop()
    assert out.count(UI("serve.session_started", "en", time="", count=1).strip()) == 1
    assert out.count(UI("serve.session_ended", "en", time="", count=0).strip()) == 1
    assert "GET /" not in out  # no access log: one line per session start and end


async def test_ctrl_c_with_an_open_session_stops_quickly_and_cleanly():
    s = Served()
    async with aiohttp.ClientSession() as http:
        async with http.ws_connect(s.url + "/ws", headers={"Origin": s.url}) as ws:
            await first_screen(ws)
            processes = tree(s.proc.pid)
            assert len(processes) >= 3  # the server, the warm worker and the session
            t = time.perf_counter()
            s.ctrl_c()
            await asyncio.to_thread(s.proc.wait, 10)
            took = time.perf_counter() - t
            out = s.proc.stdout.read()
            async with asyncio.timeout(5):
                async for _ in ws:  # the browser sees its session end
                    pass
    assert took < 2, took
    assert s.proc.returncode == 0 and "Traceback" not in out and "Error" not in out, out
    assert UI("serve.stopping", "en", count=1) in out
    for pid in processes:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text(), pid
