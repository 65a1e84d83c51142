"""Benchmark: `partnership-wizard check` wall time against `python -c "import pydantic, yaml"`,
and engine throughput in-process.

Prints figures; it is not a test. Targets (issue #13): check <= 1.5x the time of importing
pydantic and yaml; the engine >= 20,000 full verdicts per second. On a shared machine the
figures depend on the load: check and the imports run interleaved, so that their ratio
compares like with like; the engine runs in rounds, each timed in wall and CPU time, and
the median and the best round are given (the best is the least disturbed one, as timeit
recommends its minimum).
"""
from __future__ import annotations

import json
import os
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


def bench_check(runs: int = 20) -> tuple[list[float], list[float]]:
    """Wall times of `check` on the 2020 example plan and of `python -c "import pydantic, yaml"`,
    run in turns."""
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "a.json"
        f.write_text(json.dumps({"edition": "2020", **HE_PLAN}), encoding="utf-8")  # HE_PLAN is a 2020 plan
        commands = ([sys.executable, "-m", "wizard", "check", str(f)], [sys.executable, "-c", "import pydantic, yaml"])
        for command in commands:
            subprocess.run(command, capture_output=True)  # warm the file and content caches
        times: tuple[list[float], list[float]] = ([], [])
        for _ in range(runs):
            for command, kept in zip(commands, times):
                t = time.perf_counter()
                subprocess.run(command, capture_output=True, check=False)
                kept.append(time.perf_counter() - t)
    return times


def answer_sets(e) -> list:
    """200 random plans of the edition, every step answered (the same ones at every run)."""
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
    return sets


def bench_engine(judge=evaluate, rounds: int = 5, seconds: float = 1.0) -> tuple[list[float], list[float]]:
    """Answer sets per second that ``judge`` (``evaluate``: full verdicts) gets through, in
    each of ``rounds`` rounds of about ``seconds``: (wall, CPU), each a list by round."""
    e = load_edition("2020")
    sets = answer_sets(e)
    for answers in sets:  # warm the caches, as a running app has them
        judge(answers, e, "en")
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(rounds):
        n, w, c = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - w < seconds:
            for answers in sets:
                judge(answers, e, "en")
            n += len(sets)
        wall.append(n / (time.perf_counter() - w))
        cpu.append(n / (time.process_time() - c))
    return wall, cpu


def rates(per_round: list[float]) -> str:
    return f"median {statistics.median(per_round):,.0f}/s, best {max(per_round):,.0f}/s"


if __name__ == "__main__":
    load_before = os.getloadavg()[0]
    check, imports = bench_check()
    full_wall, full_cpu = bench_engine()
    rules_wall, _ = bench_engine(evaluate_rules, seconds=0.2)
    print(f"check command, 20 runs: min {min(check) * 1000:.0f} ms, median {statistics.median(check) * 1000:.0f} ms")
    print(f"python -c 'import pydantic, yaml', the same 20 turns: min {min(imports) * 1000:.0f} ms, "
          f"median {statistics.median(imports) * 1000:.0f} ms")
    print(f"check / imports: {min(check) / min(imports):.2f} (min), "
          f"{statistics.median(check) / statistics.median(imports):.2f} (median) (target <= 1.5)")
    print(f"engine, full verdicts (rules + suggestions + next steps), {len(full_wall)} rounds of 1 s: "
          f"wall {rates(full_wall)}; CPU time {rates(full_cpu)} (target >= 20,000)")
    print(f"engine, rules only (step validation), {len(rules_wall)} rounds of 0.2 s: wall {rates(rules_wall)}")
    print(f"load average (1 min) before / after: {load_before:.1f} / {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs (figures from a busy machine are lower)")
