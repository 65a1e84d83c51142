"""Load benchmark for `partnership-wizard serve` (prints figures; not a test).

Starts the server on loopback (or uses --url), opens N websocket sessions at the same
moment, as N browsers in a room would, and measures for each the time from opening the
websocket until the wizard's first screen has arrived (its heading is in the terminal
output). Then the memory of the server and all its session processes: the sum of their
RSS (shared pages counted in every process) and of their PSS (shared pages divided among
the processes that share them: what the machine really spends), and how long the server
takes to stop on Ctrl+C (SIGINT) with every session still open.

    .venv/bin/python scripts/bench_serve.py --sessions 30

On a machine busy with other work the times mostly measure that work (the CPU per session
does not); to measure as on a machine of its own, run the whole benchmark at real-time
priority (as root): `chrt -r 1 .venv/bin/python scripts/bench_serve.py`. To measure another
checkout's server: `PYTHONPATH=/path/to/checkout .venv/bin/python scripts/bench_serve.py`.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree(pid: int) -> list[int]:
    """pid and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) the processes used so far, their waited-for children included."""
    total = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def memory_kib(pids: list[int]) -> tuple[int, int]:
    rss = pss = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            pass
    return rss, pss


async def session(url: str, origin: str, marker: bytes, start: asyncio.Event, timeout: float) -> tuple[float, object]:
    import aiohttp

    await start.wait()
    t0 = time.perf_counter()
    http = aiohttp.ClientSession()
    ws = await http.ws_connect(url + "?width=100&height=30", headers={"Origin": origin}, max_msg_size=0)
    screen = b""
    async with asyncio.timeout(timeout):
        async for msg in ws:
            if msg.type == aiohttp.WSMsgType.BINARY:
                screen += msg.data
                if marker in screen:
                    took = time.perf_counter() - t0
                    # go on reading, as a browser does (and answering the server's pings)
                    return took, (http, ws, asyncio.create_task(drain(ws)))
            elif msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                break
    raise RuntimeError("the session ended before its first screen")


async def drain(ws) -> None:
    async for _ in ws:
        pass


async def bench(url: str, origin: str, marker: bytes, n: int, timeout: float) -> tuple[list[float], list]:
    start = asyncio.Event()
    tasks = [asyncio.create_task(session(url, origin, marker, start, timeout)) for _ in range(n)]
    await asyncio.sleep(0.1)
    start.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    times = [r[0] for r in results if isinstance(r, tuple)]
    failures = [r for r in results if not isinstance(r, tuple)]
    for f in failures[:3]:
        print(f"  a session failed: {f!r}")
    return times, [r[1] for r in results if isinstance(r, tuple)]


async def close_all(conns: list) -> None:
    for http, ws, reading in conns:
        await ws.close()
        await http.close()
        reading.cancel()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", "-n", type=int, default=30)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--show-output", action="store_true", help="print the server's console output")
    ap.add_argument("--wizard", default=f"{sys.executable} -m wizard",
                    help="the command that starts the wizard (gets --lang en serve --host 127.0.0.1 --port PORT)")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from wizard.brief import load_ui

    marker = " ".join(load_ui()("welcome.heading", "en").split()[:2]).encode()
    port = free_port()
    env = dict(os.environ, LANG="en_GB.UTF-8")
    proc = subprocess.Popen([*args.wizard.split(), "--lang", "en", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, cwd="/", stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("the server did not start:\n" + (proc.stdout.read() if proc.poll() is not None else ""))
                time.sleep(0.1)
        time.sleep(1.0)  # let a server that warms up in the background finish doing so
        idle_rss, idle_pss = memory_kib(tree(proc.pid))
        idle_cpu = cpu_seconds(tree(proc.pid))
        load_before = os.getloadavg()[0]
        loop = asyncio.new_event_loop()
        times, conns = loop.run_until_complete(
            bench(f"ws://127.0.0.1:{port}/ws", f"http://127.0.0.1:{port}", marker, args.sessions, args.timeout))
        pids = tree(proc.pid)
        rss, pss = memory_kib(pids)
        cpu = cpu_seconds(pids) - idle_cpu
        t = time.perf_counter()
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
            stop = f"{time.perf_counter() - t:.2f} s"
        except subprocess.TimeoutExpired:
            stop = "> 60 s"
        left = [p for p in pids if Path(f"/proc/{p}").exists() and "zombie" not in Path(f"/proc/{p}/status").read_text()]
        loop.run_until_complete(close_all(conns))
        output = proc.stdout.read()
    finally:
        if proc.poll() is None:
            proc.kill()
    if args.show_output:
        print(output)
    print(f"{args.sessions} sessions opened at once on loopback ({os.cpu_count()} cores):")
    if times:
        print(f"  time to first screen: median {statistics.median(times):.2f} s, max {max(times):.2f} s, "
              f"min {min(times):.2f} s ({len(times)} of {args.sessions} sessions)")
        print(f"  CPU used by the server and the sessions until the last first screen: {cpu:.1f} s "
              f"({cpu / len(times):.2f} s per session); load average before: {load_before:.1f}")
    print(f"  memory, server idle: RSS {idle_rss / 1024:.0f} MiB, PSS {idle_pss / 1024:.0f} MiB")
    print(f"  memory with every session open: RSS total {rss / 1024:.0f} MiB, PSS total {pss / 1024:.0f} MiB "
          f"({len(pids)} processes); per session: PSS {(pss - idle_pss) / 1024 / max(len(times), 1):.0f} MiB")
    print(f"  stop with Ctrl+C (SIGINT) with every session open: {stop}; processes left: {len(left)}; "
          f"traceback printed: {'yes' if 'Traceback' in output else 'no'}")


if __name__ == "__main__":
    main()
