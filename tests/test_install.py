"""The wheel, installed as a user would (not editable), works from any folder.

Builds the wheel without build isolation (no download: setuptools comes with the test
extras), installs it into a fresh venv whose dependencies are those of this venv (a .pth
line: nothing is downloaded), and runs the installed program from an empty folder.
"""
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

from conftest import GOLDEN, ROOT


pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]  # one worker builds the wheel once


def _run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"  # a clean copy: no build/ left over from an earlier build, none left behind
    for name in ("wizard", "content"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                  "-w", str(tmp / "dist"), str(source)])
    assert built.returncode == 0, built.stdout + built.stderr
    assert "warning" not in (built.stdout + built.stderr).lower(), built.stdout + built.stderr
    (wheel,) = (tmp / "dist").glob("partnership_wizard-*.whl")
    venv = tmp / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip())
    (site / "_deps_of_the_test_venv.pth").write_text(sysconfig.get_path("purelib") + "\n")
    inst = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)])
    assert inst.returncode == 0, inst.stdout + inst.stderr
    assert "warning" not in (inst.stdout + inst.stderr).lower(), inst.stdout + inst.stderr
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PARTNERSHIP_WIZARD", "PYTHON"))}
    env.update(XDG_CACHE_HOME=str(tmp / "cache"), XDG_DATA_HOME=str(tmp / "data"), LANG="en_GB.UTF-8")
    return {"bin": venv / "bin" / "partnership-wizard", "python": python, "cwd": elsewhere, "env": env}


def _wizard(installed, *args, **kw):
    return _run([str(installed["bin"]), *args], cwd=installed["cwd"], env=installed["env"], **kw)


def test_installed_wizard_runs_from_the_wheel_not_the_checkout(installed):
    r = _run([str(installed["python"]), "-c", "import wizard, wizard.texts as t, wizard.serve as s; "
              "print(wizard.__file__); print(t.CONTENT_DIR); print(s.PAGE)"], cwd=installed["cwd"], env=installed["env"])
    module, content, page = r.stdout.split()
    assert not Path(module).is_relative_to(ROOT) and not Path(content).is_relative_to(ROOT), r.stdout
    assert (Path(content) / "ui.yaml").is_file() and Path(page).is_file()  # content and the serve page came along


def test_version_comes_from_the_package_metadata(installed):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    r = _wizard(installed, "--version")
    assert r.returncode == 0 and r.stdout.strip() == f"partnership-wizard {version}", r.stdout + r.stderr


@pytest.mark.parametrize("eligible", [True, False])
def test_check_on_a_golden_case(installed, tmp_path, eligible):
    case = next(c for c in (json.loads(p.read_text()) for p in sorted((GOLDEN / "2020").glob("*.json")))
                if c["expected"]["eligible"] is eligible)
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(case["answers"]))
    r = _wizard(installed, "check", str(plan), "--format", "json")
    assert r.returncode == (0 if eligible else 1), r.stderr
    verdict = json.loads(r.stdout)
    assert verdict["eligible"] is eligible
    assert sorted(x["id"] for x in verdict["rules"] if x["status"] == "fail") == case["expected"]["failing"]


def test_demo_list_names_every_demo_plan(installed):
    for edition in sorted((ROOT / "content" / "editions").iterdir()):
        r = _wizard(installed, "--edition", edition.name, "demo", "--list")
        assert r.returncode == 0, r.stderr
        for demo in (edition / "demos").glob("*.json"):
            assert demo.stem in r.stdout


def test_the_tui_starts_headless_and_quits(installed):
    """The real program under Textual's web driver (as `serve` runs it): the first screen's
    heading arrives, and a quit message ends it cleanly."""
    env = dict(installed["env"], TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver", COLUMNS="100", ROWS="30")
    proc = subprocess.Popen([str(installed["bin"]), "--lang", "en", "--no-resume", "--no-autosave"],
                            cwd=installed["cwd"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        assert proc.stdout.readline() == b"__GANGLION__\n"
        screen = b""
        while b"Strategic Partnership" not in screen:
            kind, size = proc.stdout.read(1), int.from_bytes(proc.stdout.read(4), "big")
            payload = proc.stdout.read(size)
            assert kind, proc.stderr.read().decode()
            if kind == b"D":
                screen += payload
        quit_ = json.dumps({"type": "quit"}).encode()
        proc.stdin.write(b"M" + len(quit_).to_bytes(4, "big") + quit_)
        proc.stdin.flush()
        assert proc.wait(timeout=30) == 0
        assert b"Traceback" not in proc.stderr.read()
    finally:
        proc.kill()
        proc.wait()
