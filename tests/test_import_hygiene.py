"""The engine, content loader and check path never import Textual."""
import json
import subprocess
import sys

from conftest import HE_PLAN


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
