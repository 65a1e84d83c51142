"""Soak benchmark: the wizard under continuous random editing, RSS printed over time.

    .venv/bin/python scripts/soak.py [--seconds 240] [--every 15] [--seed 1] [--switches 20]

Runs the app headless (as a user would, with the step screens built in the background),
drives it with the seeded random user of the fuzz test (keys, clicks, plans set directly,
the summary; no resizes to too-small sizes and no language switches in the editing phase),
and prints the resident set size every ``--every`` seconds, the growth per minute and per 1,000
events after the warm-up (``--warm-up``, the first third of the run: Textual's bounded caches
fill meanwhile), and then RSS around ``--switches`` language switches back and forth.
Target (issue #14): growth <= 3 MB/min after warm-up; the language switches return to the
same level.
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def main(seconds: float, every: float, seed: int, switches: int, warm_up: float) -> None:
    import random_session
    from random_session import RandomUser

    from wizard.app import WizardApp
    from wizard.session import StartOptions

    # editing only: F2 and the palette switch the language, measured separately below
    random_session.KEYS[:] = [k for k in random_session.KEYS if k not in ("f2", "ctrl+q")]
    random_session.PALETTE_WORDS[:] = [w for w in random_session.PALETTE_WORDS if w not in ("taal", "lang")]
    app = WizardApp(StartOptions("en"))
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # Save as and exports write here
        async with app.run_test(size=(100, 32)) as pilot:
            user = RandomUser(pilot, seed, Path(tmp), sizes=[(80, 24), (100, 32), (120, 40)])
            user.odd_saves = False
            await pilot.press("enter")  # start
            t0 = time.monotonic()
            samples: list[tuple[float, float]] = []
            next_report = 0.0
            print(f"{'t (s)':>7} {'RSS (MB)':>9} {'events':>7} {'objects':>9} {'frozen':>8}")
            while (now := time.monotonic() - t0) < seconds:
                try:
                    await user.step()
                except BaseException:
                    print(f"failed after {user.events} events; the last sent: {user.log[-30:]}", flush=True)
                    raise
                if now >= next_report:
                    samples.append((now, rss_mb(), user.events))
                    print(f"{now:7.0f} {samples[-1][1]:9.1f} {user.events:7d} {len(gc.get_objects()):9d} "
                          f"{gc.get_freeze_count():8d}", flush=True)
                    next_report += every
            samples.append((time.monotonic() - t0, rss_mb(), user.events))
            warm = [s for s in samples if s[0] >= seconds * warm_up]
            if len(warm) >= 2:
                (ta, ra, ea), (tb, rb, eb) = warm[0], warm[-1]
                print(f"growth after warm-up ({ta:.0f}-{tb:.0f} s, events {ea}-{eb}): "
                      f"{(rb - ra) / ((tb - ta) / 60):.2f} MB/min, {(rb - ra) / max(eb - ea, 1) * 1000:.2f} MB per "
                      f"1,000 events ({ra:.1f} -> {rb:.1f} MB)")
            if switches:
                app.goto("partners")
                await pilot.pause()
                levels = []
                for i in range(switches):
                    app.action_switch_language()
                    await pilot.pause(0.05)
                    app.action_switch_language()
                    await pilot.pause(0.05)
                    if i in (0, switches // 2, switches - 1):
                        await pilot.pause(1.5)  # the other steps are built meanwhile
                        levels.append(rss_mb())
                print("language switched back and forth: RSS " + " -> ".join(f"{r:.1f}" for r in levels) + " MB")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=240)
    ap.add_argument("--every", type=float, default=15)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--switches", type=int, default=20)
    ap.add_argument("--warm-up", type=float, default=1 / 3, help="the part of the run before growth is measured")
    a = ap.parse_args()
    asyncio.run(main(a.seconds, a.every, a.seed, a.switches, a.warm_up))
