"""`cmake --install` gives an importable package outside the build tree."""

import os
import subprocess
import sys

from conftest import BUILD, shared


def test_installed_package_imports_and_runs(tmp_path):
    r = subprocess.run(["cmake", "--install", BUILD, "--prefix", str(tmp_path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    site = tmp_path / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "dist-packages"
    assert (site / "litemp" / "__init__.py").exists()
    assert (tmp_path / "bin" / "litemp").exists()
    code = ("import litemp, numpy as np; s = litemp.InferenceSession(%r); "
            "print(litemp.__file__, s.run(None, [np.zeros((1, 1, 28, 28), np.float32)])[0].shape)"
            % shared("models", "mnist_cnn.onnx"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert str(site) in r.stdout and "(1, 10)" in r.stdout
