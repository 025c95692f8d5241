"""The Python API against the CLI on the shared models: same sensitivity, same accuracies,
same files."""

import csv
import json
import os
import subprocess
import sys

import numpy as np

import litemp
from conftest import MNIST, RESNET8, ROOT, BUILD, flags, run_cli, shared


def cli_flags(kw):
    return litemp._flags.to_argv(kw)


def test_run_writes_what_the_cli_writes(tmp_path):
    model = shared("models", "resnet8_cifar10.onnx")
    kw = flags(RESNET8)
    r = run_cli("run", model, "--out", tmp_path / "cli", "--json", *cli_flags(kw))
    assert r.returncode == 0, r.stderr
    cli = json.loads(r.stdout)
    py = litemp.run(model, tmp_path / "py", **kw)
    for key in ("fp32", "w8a8", "mixed", "fidelity", "flipped", "layers", "prepared", "samples"):
        assert py[key] == cli[key], key
    for name in ("sensitivity.csv", "predictions.csv", "model.encodings", "model_qdq.onnx"):
        assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name


def test_analyze_only_and_flags(tmp_path):
    model = shared("models", "mnist_cnn.onnx")
    py = litemp.run(model, tmp_path / "a", analyze=True, **flags(MNIST))
    assert py["command"] == "analyze" and py["layers"] > 0 and "mixed" not in py
    assert (tmp_path / "a" / "sensitivity.csv").exists()


def read_sensitivity(path):
    with open(path) as f:
        return {row["layer"]: float(row["psnr_db"]) for row in csv.DictReader(f)}


def top1(session, data, indices):
    name = session.get_inputs()[0].name
    correct = 0
    for x, y in data.batches(indices, 32):
        logits, = session.run(None, {name: x})
        correct += int(np.sum(np.argmax(logits.reshape(len(y), -1), axis=1) == y))
    return correct / len(indices)


def test_step_by_step_api_reproduces_the_cli(tmp_path):
    """QuantizationSimModel + Dataset + sweep + flip give the CLI's numbers exactly."""
    model = shared("models", "resnet8_cifar10.onnx")
    kw = flags(RESNET8)
    out = tmp_path / "cli"
    r = run_cli("run", model, "--out", out, "--json", *cli_flags(kw))
    assert r.returncode == 0, r.stderr
    cli = json.loads(r.stdout)

    data = litemp.Dataset(**kw)
    split = litemp.make_split(len(data), calib=100, sens=32)
    assert split["calib"][:32] == split["sens"]
    calib = [x for x, _ in data.batches(split["calib"])]
    assert top1(litemp.InferenceSession(model), data, split["eval"]) == cli["fp32"]["top1"]

    sim = litemp.QuantizationSimModel(model)
    sim.compute_encodings(calib)
    assert top1(sim.session, data, split["eval"]) == cli["w8a8"]["top1"]

    sens = litemp.analyze_per_layer_sensitivity(sim, inputs=data.load_batch(split["sens"]))
    expected = read_sensitivity(out / "sensitivity.csv")
    assert list(sens) == list(expected)  # same layers, same ranking
    for layer, value in expected.items():
        assert round(sens[layer], 4) == value, layer

    flipped = litemp.flip_layers_to_higher_precision(sim, sens, 10, litemp.int16)
    assert flipped == cli["flipped"]
    sim.compute_encodings(calib)
    assert top1(sim.session, data, split["eval"]) == cli["mixed"]["top1"]
    sim.export(tmp_path / "py", "model")
    assert (tmp_path / "py" / "model.encodings").read_bytes() == (out / "model.encodings").read_bytes()


def test_example_reproduces_the_readme_run(tmp_path):
    """examples/lite_mp.py prints the README command's fp32/w8a8/mixed accuracies."""
    model = shared("models", "mobilenet_v2.onnx")
    images = shared("data", "imagenet_sample")
    r = run_cli("run", model, "--images", images, "--labels", os.path.join(images, "labels.csv"), "--label-offset", 1,
                "--resize", 256, "--crop", 224, "--mean", 0.5, "--std", 0.5, "--out", tmp_path / "cli", "--json")
    assert r.returncode == 0, r.stderr
    cli = json.loads(r.stdout)
    env = dict(os.environ, PYTHONPATH=os.path.join(BUILD, "python"), LITEMP_SHARED=os.path.dirname(os.path.dirname(model)))
    ex = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "lite_mp.py"), "--json", "--out",
                         str(tmp_path / "py")], capture_output=True, text=True, env=env)
    assert ex.returncode == 0, ex.stderr
    py = json.loads(ex.stdout)
    assert py["samples"] == cli["fp32"]["samples"]
    for key in ("fp32", "w8a8", "mixed"):
        assert py[key] == cli[key]["top1"], key
    assert py["flipped"] == cli["flipped"]
    assert (tmp_path / "py" / "mobilenet_v2.encodings").read_bytes() == (tmp_path / "cli" / "model.encodings").read_bytes()
