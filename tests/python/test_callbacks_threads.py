"""User callbacks (metric, progress) and concurrency: the GIL is released, errors surface."""

import threading

import numpy as np
import pytest

import litemp
from conftest import MNIST, RESNET8, flags, shared

MNIST_MODEL = shared("models", "mnist_cnn.onnx")
RESNET8_MODEL = shared("models", "resnet8_cifar10.onnx")


def calibrated(model, spec, n=64):
    data = litemp.Dataset(**flags(spec))
    batches = [x for x, _ in data.batches(range(n), 32)]
    sim = litemp.QuantizationSimModel(model)
    sim.compute_encodings(batches)
    return sim, data, batches


def test_custom_task_metric_drives_the_sweep_and_the_flip():
    """A metric with no PSNR in it: top-1 agreement with FP32 (a task metric, labels unused)."""
    sim, data, batches = calibrated(MNIST_MODEL, MNIST)
    fp = litemp.InferenceSession(MNIST_MODEL)
    x = np.concatenate(batches)
    ref = np.argmax(fp.run(None, [x])[0], axis=1)

    def agreement(session):
        return float(np.mean(np.argmax(session.run(None, [x])[0], axis=1) == ref))

    sens = litemp.analyze_per_layer_sensitivity(sim, eval_fn=agreement)
    assert len(sens) == len(sim.layers())
    assert all(0.9 <= v <= 1.0 for v in sens.values())
    assert list(sens.values()) == sorted(sens.values())
    flipped = litemp.flip_layers_to_higher_precision(sim, sens, 25, litemp.int16)
    assert len(flipped) == -(-len(sens) * 25 // 100)
    # The sweep leaves every quantizer as it found it.
    assert all(p in ("w8a8", "w8", "a8", "w16a16", "w16", "a16") for _, _, p in sim.layers())


def test_metric_exceptions_propagate_unchanged():
    sim, _, _ = calibrated(MNIST_MODEL, MNIST)

    class Boom(Exception):
        pass

    def bad(session):
        raise Boom("metric failed")

    with pytest.raises(Boom, match="metric failed"):
        litemp.analyze_per_layer_sensitivity(sim, eval_fn=bad)
    with pytest.raises(litemp.InvalidArgumentError, match="must return a number"):
        litemp.analyze_per_layer_sensitivity(sim, eval_fn=lambda s: "high")
    # The sim still works afterwards.
    assert litemp.analyze_per_layer_sensitivity(sim, inputs=np.zeros((2, 1, 28, 28), np.float32))


def test_progress_callback(tmp_path):
    sim, _, batches = calibrated(MNIST_MODEL, MNIST)
    seen = []
    litemp.analyze_per_layer_sensitivity(sim, inputs=batches[0], progress=lambda *a: seen.append(a))
    assert seen and seen[-1][1] == seen[-1][2] == len(sim.layers())
    assert [d for _, d, _ in seen] == sorted(d for _, d, _ in seen)

    def stop(label, done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        litemp.analyze_per_layer_sensitivity(sim, inputs=batches[0], progress=stop)
    labels = set()
    litemp.run(MNIST_MODEL, tmp_path / "o", progress=lambda label, d, t: labels.add(label), **flags(MNIST))
    assert len(labels) >= 3  # calibration, sensitivity, evaluation


def test_two_sims_in_two_threads_match_serial_runs():
    jobs = [(MNIST_MODEL, MNIST), (RESNET8_MODEL, RESNET8), (MNIST_MODEL, MNIST)]
    sims = [calibrated(m, spec) for m, spec in jobs]
    serial = [litemp.analyze_per_layer_sensitivity(s, inputs=b[0]) for s, _, b in sims]
    outputs = [s.session.run(None, [b[1]])[0] for s, _, b in sims]
    results, errors = [None] * len(sims), []

    def work(i):
        try:
            s, _, b = sims[i]
            for _ in range(3):
                sens = litemp.analyze_per_layer_sensitivity(s, inputs=b[0])
                out = s.session.run(None, [b[1]])[0]
            results[i] = (sens, out)
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(sims))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for i in range(len(sims)):
        assert results[i][0] == serial[i]
        assert np.array_equal(results[i][1], outputs[i])


def test_one_sim_shared_by_threads_serialises_its_runs():
    sim, _, batches = calibrated(MNIST_MODEL, MNIST)
    expected = [sim.session.run(None, [b])[0] for b in batches]
    got = {}

    def work(i):
        for _ in range(5):
            got[i] = sim.session.run(None, [batches[i]])[0]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(batches))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, e in enumerate(expected):
        assert np.array_equal(got[i], e)


def test_apply_lite_mp_with_a_user_metric(tmp_path):
    data = litemp.Dataset(**flags(MNIST))
    split = litemp.make_split(len(data), calib=64, sens=16)
    calibration = [{"Input3": x} for x, _ in data.batches(split["calib"], 32)]
    calls = []

    def accuracy(session):
        calls.append(session)
        correct = 0
        for x, y in data.batches(split["eval"], 64):
            correct += int(np.sum(np.argmax(session.run(None, {"Input3": x})[0], axis=1) == y))
        return correct / len(split["eval"])

    r = litemp.apply_lite_mp(MNIST_MODEL, calibration, accuracy, percent_to_flip=20, export_path=tmp_path,
                             sensitivity_data=calibration[0]["Input3"])  # one array is a feed too
    assert len(calls) == 3 and isinstance(calls[0], litemp.InferenceSession) and calls[1] is r.sim.session
    assert set(r.scores) == {"fp32", "base", "mixed"} and all(0.9 < v <= 1 for v in r.scores.values())
    assert r.flipped == list(r.sensitivity)[:len(r.flipped)] and r.flipped
    assert (tmp_path / "model.encodings").exists() and (tmp_path / "model_qdq.onnx").exists()


def test_a_metric_may_run_the_session_on_another_thread():
    """The sweep does not hold the sim while the metric runs: a metric that hands the run to a
    worker thread (a thread pool, an async loop) completes instead of deadlocking."""
    from concurrent.futures import ThreadPoolExecutor

    sim, _, batches = calibrated(MNIST_MODEL, MNIST)
    x = batches[0]
    direct = litemp.analyze_per_layer_sensitivity(sim, eval_fn=lambda s: float(-np.abs(s.run(None, [x])[0]).sum()))
    result = {}

    def sweep():
        with ThreadPoolExecutor(1) as pool:
            metric = lambda s: pool.submit(lambda: float(-np.abs(s.run(None, [x])[0]).sum())).result()  # noqa: E731
            result["sens"] = litemp.analyze_per_layer_sensitivity(sim, eval_fn=metric)

    t = threading.Thread(target=sweep, daemon=True)
    t.start()
    t.join(120)
    assert not t.is_alive(), "the sweep deadlocked"
    assert result["sens"] == direct

    def flips(session):
        litemp.set_layer_precision(sim, [sim.layers()[0][0]], litemp.int16)
        return 0.0

    with pytest.raises(litemp.InvalidArgumentError, match="during a sensitivity sweep"):
        litemp.analyze_per_layer_sensitivity(sim, eval_fn=flips)


def test_thread_count_can_be_restored():
    default = litemp.get_num_threads()
    sim, _, batches = calibrated(MNIST_MODEL, MNIST)
    litemp.set_num_threads(1)
    try:
        assert litemp.get_num_threads() == 1
        one = sim.session.run(None, [batches[0]])[0]
    finally:
        litemp.set_num_threads(0)
    assert litemp.get_num_threads() == default
    assert np.array_equal(sim.session.run(None, [batches[0]])[0], one)
