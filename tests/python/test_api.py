"""The aimet_onnx-shaped API: calibration forms, sessions, sweeps, encodings round trip."""

import json

import numpy as np
import pytest

import litemp
from litemp import QuantizationSimModel, compute_encodings
from conftest import MNIST, flags, shared

MODEL = shared("models", "mnist_cnn.onnx")


@pytest.fixture(scope="module")
def batches():
    data = litemp.Dataset(**flags(MNIST))
    return [x for x, _ in data.batches(range(96), 32)]


def encodings(sim):
    return json.loads(sim.encodings_json())


def test_the_four_calibration_forms_agree(batches):
    sims = [QuantizationSimModel(MODEL) for _ in range(4)]
    name = sims[0].session.get_inputs()[0].name
    sims[0].compute_encodings(batches)
    sims[1].compute_encodings(lambda s: [s.run(None, {name: x}) for x in batches])
    sims[2].compute_encodings(lambda s, xs: [s.run(None, {name: x}) for x in xs], batches)
    with compute_encodings(sims[3]):
        for x in batches:
            sims[3].session.run(None, {name: x})
    first = encodings(sims[0])
    assert first["activation_encodings"] and first["param_encodings"]
    for s in sims[1:]:
        assert encodings(s) == first


def test_an_exception_during_calibration_keeps_the_old_encodings(batches):
    sim = QuantizationSimModel(MODEL)
    sim.compute_encodings(batches)
    before = encodings(sim)
    with pytest.raises(KeyError):
        with compute_encodings(sim):
            sim.session.run(None, [batches[0] * 10])  # would widen every range
            raise KeyError("user code failed")
    assert encodings(sim) == before
    out = sim.session.run(None, [batches[0]])[0]
    assert np.isfinite(out).all()


def test_sim_session_behaves_like_an_inference_session(batches):
    sim = QuantizationSimModel(MODEL)
    sim.compute_encodings(batches)
    fp = litemp.InferenceSession(MODEL)
    x = batches[0]
    keep = x.copy()
    (q,) = sim.session.run(None, {"Input3": x})
    (f,) = fp.run([fp.get_outputs()[0].name], {"Input3": x})
    assert np.array_equal(x, keep), "the caller's array must not be written"
    assert q.shape == f.shape == (32, 10) and q.dtype == np.float32
    assert 0 < np.abs(q - f).max() < 1.0  # quantized: close, not equal
    # float64 and non-contiguous arrays are converted; the result is the same.
    (q64,) = sim.session.run(None, {"Input3": x.astype(np.float64)})
    assert np.array_equal(q, q64)
    (qs,) = sim.session.run(None, {"Input3": np.ascontiguousarray(x[::-1])[::-1]})
    assert np.array_equal(q, qs)
    # Any batch size, one sample included.
    (one,) = sim.session.run(None, [x[:1]])
    assert one.shape == (1, 10)
    # A misaligned buffer (np.frombuffer at an odd offset) is copied, not read in place.
    raw = bytearray(x.nbytes + 1)
    odd = np.frombuffer(raw, np.float32, count=x.size, offset=1).reshape(x.shape)
    odd[...] = x
    (qo,) = sim.session.run(None, {"Input3": odd})
    assert np.array_equal(q, qo)
    inp = sim.session.get_inputs()[0]
    assert inp.name == "Input3" and inp.shape[1:] == [1, 28, 28] and inp.type == "tensor(float)"


def test_fast_sweep_equals_naive_and_the_metric_path(batches):
    sim = QuantizationSimModel(MODEL)
    sim.compute_encodings(batches)
    feeds = [{"Input3": batches[0]}]
    fast = litemp.analyze_per_layer_sensitivity(sim, litemp.make_psnr_eval_fn(None, feeds))
    naive = litemp.analyze_per_layer_sensitivity(sim, inputs=feeds, naive=True)
    # The same PSNR through a plain Python callable: numpy's PSNR per layer.
    fp = litemp.InferenceSession(MODEL)
    metric = litemp.make_psnr_eval_fn(fp, feeds)
    calls = []
    custom = litemp.analyze_per_layer_sensitivity(sim, eval_fn=lambda s: calls.append(1) or metric(s))
    assert len(fast) == len(sim.layers()) > 3
    assert len(calls) == len(fast)
    assert list(fast) == list(naive)
    for layer in fast:
        assert fast[layer] == pytest.approx(naive[layer], abs=1e-3)
        assert fast[layer] == pytest.approx(custom[layer], abs=1e-3)
    assert list(fast.values()) == sorted(fast.values())


def test_flip_export_and_load_encodings_round_trip(batches, tmp_path):
    sim = QuantizationSimModel(MODEL)
    sim.compute_encodings(batches)
    sens = litemp.analyze_per_layer_sensitivity(sim, inputs=batches[0])
    flipped = litemp.flip_layers_to_higher_precision(sim, sens, 30, litemp.float16)
    assert flipped == list(sens)[:len(flipped)] and len(flipped) >= 2
    sim.compute_encodings(batches)
    precisions = dict((n, p) for n, _, p in sim.layers())
    assert all(precisions[n] == "fp16" for n in flipped)
    sim.export(tmp_path, "mnist")
    for suffix in (".encodings", ".onnx", "_qdq.onnx"):
        assert (tmp_path / f"mnist{suffix}").stat().st_size > 0
    loaded = QuantizationSimModel(MODEL)
    litemp.load_encodings_to_sim(loaded, tmp_path / "mnist.encodings")
    x = batches[1]
    assert np.array_equal(loaded.session.run(None, [x])[0], sim.session.run(None, [x])[0])
    assert all(q["frozen"] for q in loaded.quantizers() if q["enabled"])


def test_precision_pairs_and_legacy_bitwidths(batches):
    sim = QuantizationSimModel(MODEL, default_param_bw=8, default_activation_bw=16)
    sim.compute_encodings(batches)
    assert {p for _, _, p in sim.layers()} <= {"w8a16", "a16", "w8"} and "w8a16" in {p for _, _, p in sim.layers()}
    sim = QuantizationSimModel(MODEL)
    sim.compute_encodings(batches)
    sens = litemp.analyze_per_layer_sensitivity(sim, inputs=batches[0])
    litemp.flip_layers_to_higher_precision(sim, sens, override_precision=(litemp.int8, litemp.int16), count=1)
    assert dict((n, p) for n, _, p in sim.layers())[next(iter(sens))] == "w8a16"


def test_model_from_bytes_and_fixed_shapes(batches):
    with open(MODEL, "rb") as f:
        raw = f.read()
    a = litemp.InferenceSession(raw).run(None, [batches[0]])[0]
    b = litemp.InferenceSession(MODEL, prepare=False).run(None, [batches[0]])[0]
    assert np.allclose(a, b, atol=1e-5)
    fixed = litemp.InferenceSession(MODEL, shapes={"Input3": [4, 1, 28, 28]})
    assert fixed.get_inputs()[0].shape == [4, 1, 28, 28]
    # A fixed batch of 4 still takes 32 samples (chunked), with the same results.
    assert np.allclose(fixed.run(None, [batches[0]])[0], a, atol=1e-5)


def test_dataset_matches_the_cli_decoding():
    data = litemp.Dataset(**flags(MNIST))
    assert len(data) == 300 and data.has_labels
    x = data.load(0)
    assert x.shape == (1, 28, 28) and x.dtype == np.float32 and 0 <= x.min() and x.max() <= 1
    assert np.array_equal(data.load_batch([0, 5])[1], data.load(5))
    assert data.labels().dtype == np.int64 and data.label(3) == data.labels()[3]
    with pytest.raises(IndexError):
        data.load(300)
    split = litemp.make_split(300, calib=50, sens=10, eval_max=100, seed=7)
    assert len(split["eval"]) == 100 and split["sens"] == split["calib"][:10]
    assert sorted(split["order"]) == list(range(300))


def test_run_under_several_mpi_ranks_warns(tmp_path, monkeypatch):
    # Each rank of a script under mpirun would run the whole job: say so, and still run it.
    monkeypatch.setenv("OMPI_COMM_WORLD_SIZE", "4")
    with pytest.warns(RuntimeWarning, match="each of the 4 MPI ranks"):
        summary = litemp.run(shared("models", "mnist_cnn.onnx"), tmp_path / "o", calib=20, sens=4, **flags(MNIST))
    assert summary["resources"]["ranks"] == 1
    monkeypatch.setenv("OMPI_COMM_WORLD_SIZE", "not a number")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        litemp.run(shared("models", "mnist_cnn.onnx"), tmp_path / "p", calib=20, sens=4, **flags(MNIST))
