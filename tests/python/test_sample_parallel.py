"""Sessions and simulations run a batch with its samples spread over the threads where that
pays (native kernels on AVX-512; include/litemp/sample_parallel.h): the outputs must be the
bits of running each sample alone, FP32 and simulated, calibration included. Elsewhere the
batch runs whole and the same holds. Its own process: the kernel set is chosen once."""

import numpy as np

from conftest import shared

import litemp


def test_batches_give_the_bits_of_single_samples():
    litemp.set_kernels("native")
    litemp.set_num_threads(2)
    model = shared("models", "mobilenet_v2.onnx")
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (6, 3, 224, 224)).astype(np.float32)
    session = litemp.InferenceSession(model)
    name = session.get_inputs()[0].name
    whole = session.run(None, {name: x})[0]
    alone = np.concatenate([session.run(None, {name: x[i:i + 1]})[0] for i in range(len(x))])
    assert np.array_equal(whole.view(np.uint32), alone.view(np.uint32))

    # min_max calibration on the batch vs one sample at a time: the same encodings.
    sims = [litemp.QuantizationSimModel(model) for _ in range(2)]
    sims[0].compute_encodings([{name: x}])
    sims[1].compute_encodings([{name: x[i:i + 1]} for i in range(len(x))])
    assert sims[0].encodings_json() == sims[1].encodings_json()
    whole = sims[0].session.run(None, {name: x})[0]
    alone = np.concatenate([sims[0].session.run(None, {name: x[i:i + 1]})[0] for i in range(len(x))])
    assert np.array_equal(whole.view(np.uint32), alone.view(np.uint32))
