"""examples/pipeline.py runs end to end and writes its figure."""
import os
import re
import subprocess
import sys

from conftest import HERE, REPO, mitdb, needs_mitdb


@needs_mitdb
def test_pipeline_example(gbm_model, tmp_path):
    script = os.path.join(REPO, "examples", "pipeline.py")
    assert sum(1 for _ in open(script)) < 40
    env = dict(os.environ, PYTHONPATH=os.path.dirname(HERE), MPLBACKEND="Agg")
    out = tmp_path / "p.png"
    r = subprocess.run([sys.executable, script, mitdb(233), gbm_model, str(out)],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    m = re.search(r"QRS Se ([0-9.]+) % \+P ([0-9.]+) %.*accuracy ([0-9.]+) %", r.stdout)
    assert m and float(m.group(1)) > 99 and float(m.group(2)) > 99 and float(m.group(3)) > 70
    assert out.stat().st_size > 20000 and open(out, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
