"""Bad input raises litemp.Error subclasses carrying the CLI's message; nothing crashes."""

import numpy as np
import pytest

import litemp
from conftest import MNIST, flags, run_cli, shared

MODEL = shared("models", "mnist_cnn.onnx")


def cli_error(*args):
    r = run_cli(*args)
    assert r.returncode != 0
    line = r.stderr.strip().splitlines()[-1]
    assert line.startswith("error: ")
    return line[len("error: "):]


def test_missing_model_same_message_as_cli(tmp_path):
    missing = str(tmp_path / "none.onnx")
    with pytest.raises(litemp.FileError) as e:
        litemp.QuantizationSimModel(missing)
    assert isinstance(e.value, OSError) and isinstance(e.value, litemp.Error)
    assert str(e.value) == cli_error("prepare", missing, "--out", tmp_path / "o.onnx")


def test_corrupt_model(tmp_path):
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"\x08\x07garbage" * 10)
    with pytest.raises(litemp.Error) as e:
        litemp.InferenceSession(str(bad))
    assert "bad.onnx" in str(e.value)
    with pytest.raises(litemp.Error):
        litemp.InferenceSession(b"not a model")
    with pytest.raises(litemp.InvalidArgumentError):
        litemp.InferenceSession(12345)


def test_bad_feeds():
    s = litemp.InferenceSession(MODEL)
    x = np.zeros((2, 1, 28, 28), np.float32)
    with pytest.raises(litemp.InvalidArgumentError, match="missing input 'Input3'"):
        s.run(None, {})
    with pytest.raises(litemp.InvalidArgumentError, match="unknown input 'x'"):
        s.run(None, {"Input3": x, "x": x})
    with pytest.raises(litemp.InvalidArgumentError, match=r"expects \[N,1,28,28\]"):
        s.run(None, {"Input3": np.zeros((2, 3, 28, 28), np.float32)})
    with pytest.raises(litemp.InvalidArgumentError, match="dtype int64"):
        s.run(None, {"Input3": x.astype(np.int64)})
    with pytest.raises(litemp.InvalidArgumentError, match="expected a numpy array"):
        s.run(None, {"Input3": [[1.0]]})
    with pytest.raises(litemp.InvalidArgumentError, match="no output named 'nope'|'nope'"):
        s.run(["nope"], {"Input3": x})


def test_nan_calibration_and_sensitivity_data_are_refused():
    sim = litemp.QuantizationSimModel(MODEL)
    x = np.zeros((2, 1, 28, 28), np.float32)
    x[1, 0, 3, 4] = np.nan
    with pytest.raises(litemp.InvalidArgumentError, match="input 'Input3' holds NaN at flat index 872"):
        sim.compute_encodings([x])
    sim.compute_encodings([np.zeros_like(x)])
    with pytest.raises(litemp.InvalidArgumentError, match="holds NaN"):
        litemp.analyze_per_layer_sensitivity(sim, inputs=x)


def test_bad_options():
    with pytest.raises(litemp.InvalidArgumentError, match="unknown type 'int99'"):
        litemp.QuantizationSimModel(MODEL, param_type="int99")
    with pytest.raises(litemp.InvalidArgumentError, match="unknown scheme"):
        litemp.QuantizationSimModel(MODEL, quant_scheme="magic")
    with pytest.raises(litemp.Error, match="config"):
        litemp.QuantizationSimModel(MODEL, config_file="/no/such/config.json")
    sim = litemp.QuantizationSimModel(MODEL)
    with pytest.raises(litemp.InvalidArgumentError):
        litemp.flip_layers_to_higher_precision(sim, {"conv1": 1.0}, 10, litemp.int8)  # not higher
    with pytest.raises(litemp.InvalidArgumentError, match="no layer"):
        litemp.flip_layers_to_higher_precision(sim, {"no_such_layer": 1.0}, 100, litemp.int16)
    with pytest.raises(litemp.InvalidArgumentError):
        litemp.set_num_threads(-1)


def test_kernels_are_chosen_once(tmp_path):
    with pytest.raises(litemp.InvalidArgumentError, match="portable or native, got 'fast'"):
        litemp.set_kernels("fast")
    used = litemp.get_kernels()  # fixes the set: "portable (avx2)", "native (avx512_core_bf16)", ...
    name = used.split()[0]
    assert name in ("portable", "native") and used.endswith(")")
    litemp.set_kernels(name)  # the set in use may be chosen again
    other = "native" if name == "portable" else "portable"
    with pytest.raises(litemp.InvalidArgumentError, match="already runs the " + name):
        litemp.set_kernels(other)
    with pytest.raises(litemp.InvalidArgumentError, match="already runs the " + name):
        litemp.run(MODEL, tmp_path / "o", kernels=other, **flags(MNIST))
    assert not (tmp_path / "o").exists()


def test_bad_run_flags_match_the_cli(tmp_path):
    kw = flags(MNIST)
    with pytest.raises(litemp.InvalidArgumentError) as e:
        litemp.run(MODEL, tmp_path / "o", percent=200, **kw)
    assert str(e.value) == cli_error("run", MODEL, "--out", tmp_path / "o", "--percent", 200,
                                     *litemp._flags.to_argv(kw))
    with pytest.raises(litemp.InvalidArgumentError, match="--no-such-flag"):
        litemp.run(MODEL, tmp_path / "o", no_such_flag=1, **kw)
    assert not (tmp_path / "o").exists()


def test_calibration_misuse():
    sim = litemp.QuantizationSimModel(MODEL)
    with pytest.raises(litemp.InvalidArgumentError, match="already running"):
        with litemp.compute_encodings(sim):
            with litemp.compute_encodings(sim):
                pass
    with pytest.raises(litemp.InvalidArgumentError, match="inside compute_encodings"):
        with litemp.compute_encodings(sim):
            sim.export("/tmp", "never")
    with pytest.raises(TypeError):
        sim.compute_encodings()
