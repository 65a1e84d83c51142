"""Benchmark: `partnership-wizard check` wall time, and engine throughput in-process.

Prints figures; it is not a test. Targets (issue #2): check < 0.4 s on this 2-core
machine; the engine >= 5,000 answer sets per second.
"""
from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import HE_PLAN  # noqa: E402

from wizard.answers import parse_answers  # noqa: E402
from wizard.content import load_edition  # noqa: E402
from wizard.engine import evaluate, evaluate_rules  # noqa: E402


def bench_check(runs: int = 10) -> float:
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "a.json"
        f.write_text(json.dumps({"edition": "2020", **HE_PLAN}), encoding="utf-8")  # HE_PLAN is a 2020 plan
        exe = [sys.executable, "-m", "wizard", "check", str(f)]
        subprocess.run(exe, capture_output=True)  # warm the file cache
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(exe, capture_output=True, check=False)
            times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_engine(n: int = 5000) -> tuple[float, float]:
    e = load_edition("2020")
    rnd = random.Random(1)
    sectors, types = sorted(e.sectors), sorted(e.partnership_types)
    countries = ["NL", "DE", "AT", "PT", "CH", "UA", "GB"]
    sets = []
    for i in range(200):
        partners = [
            {"name": f"Org {j}", "country": rnd.choice(countries), "organisation_type": rnd.choice(sorted(e.organisation_types)),
             "role": "coordinator" if j == 0 else rnd.choice(["partner", "associated_partner"]), "eche": rnd.choice([True, None])}
            for j in range(rnd.randint(1, 7))
        ]
        sets.append(parse_answers({"sector": rnd.choice(sectors), "partnership_type": rnd.choice(types), "partners": partners,
                                   "duration_months": rnd.randint(6, 40), "activities": rnd.sample(sorted(e.activities), 3),
                                   "priorities": rnd.sample(sorted(e.priorities), 2)}, e))
    t = time.perf_counter()
    for i in range(n):
        evaluate(sets[i % len(sets)], e, "en")
    full = n / (time.perf_counter() - t)
    t = time.perf_counter()
    for i in range(n):
        evaluate_rules(sets[i % len(sets)], e, "en")
    rules_only = n / (time.perf_counter() - t)
    return full, rules_only


if __name__ == "__main__":
    check = bench_check()
    full, rules_only = bench_engine()
    print(f"check command, median of 10 runs: {check * 1000:.0f} ms (target < 400 ms)")
    print(f"engine, full verdict (rules + suggestions + next steps): {full:,.0f} answer sets/s (target >= 5,000)")
    print(f"engine, rules only (step validation): {rules_only:,.0f} answer sets/s")
