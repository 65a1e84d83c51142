"""One-way imports: the core (and the check path) never imports Textual, the layers of
pyproject.toml hold, and no module is in an import circle."""
import json
import subprocess
import sys
from pathlib import Path

from conftest import HE_PLAN, ROOT


def test_core_does_not_import_textual(tmp_path):
    f = tmp_path / "a.json"
    f.write_text(json.dumps(HE_PLAN), encoding="utf-8")
    code = f"""
import sys, io, contextlib
import wizard.content, wizard.answers, wizard.engine, wizard.report, wizard.cli, wizard.session, wizard.storage
with contextlib.redirect_stdout(io.StringIO()):
    rc = wizard.cli.main(["check", {str(f)!r}, "--format", "json"])
assert rc == 0, rc
bad = [m for m in sys.modules if m == "textual" or m.startswith("textual.")]
print("textual modules:", bad)
sys.exit(1 if bad else 0)
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


def test_imports_go_one_way():
    """pyproject.toml's import-linter contracts: each layer imports only the layers below it
    (imports inside functions count), and the core never imports Textual."""
    lint = Path(sys.executable).with_name("lint-imports")
    assert lint.exists(), "import-linter is a test dependency: .venv/bin/pip install -e '.[test]'"
    r = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_no_import_circle():
    import grimp

    graph = grimp.build_graph("wizard", cache_dir=None)
    modules = sorted(graph.modules)
    circles = [(a, b) for i, a in enumerate(modules) for b in modules[i + 1:]
               if not (a.startswith(b + ".") or b.startswith(a + "."))
               and graph.chain_exists(a, b) and graph.chain_exists(b, a)]
    assert not circles, circles
