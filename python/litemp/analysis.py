"""Per-layer sensitivity (aimet_onnx.quant_analyzer's analyze_per_layer_sensitivity) and
the PSNR metric it is normally given (aimet_onnx.utils.make_psnr_eval_fn)."""

import csv
import io
import math
import os

import numpy as np

from ._io import write_atomic


class PsnrEvalFn:
    """What make_psnr_eval_fn returns: called with a session, the PSNR (dB) of its outputs
    against the FP32 outputs on the held inputs, AIMET's definition: over every output
    element of all inputs stacked, range = max(max(e) - min(e), max|e|), noise = RMS of the
    difference, 20 log10(range / noise) clipped to [-100, 100]; the minimum over outputs.

    analyze_per_layer_sensitivity recognises it and runs litemp's fast exact sweep on the
    same inputs instead of calling it once per layer (same numbers, a fraction of the time).
    """

    def __init__(self, fp_session, inputs):
        self.inputs = list(inputs)
        if not self.inputs:
            raise ValueError("make_psnr_eval_fn needs at least one input batch")
        self.fp_session = fp_session
        self._expected = None

    def _run_all(self, session):
        outs = [session.run(None, feed) for feed in self.inputs]
        return [np.concatenate([o[i] for o in outs]) for i in range(len(outs[0]))]

    def __call__(self, session):
        if self._expected is None:
            self._expected = self._run_all(self.fp_session)
        actual = self._run_all(session)
        scores = [psnr(e, a) for e, a in zip(self._expected, actual) if np.issubdtype(e.dtype, np.floating)]
        return min(scores)


def make_psnr_eval_fn(fp_session, inputs):
    """AIMET's make_psnr_eval_fn(fp_session, inputs): `inputs` a list of feeds ({name:
    array} or an array for a one-input model). `fp_session` may be any session with run()
    (onnxruntime's or litemp.InferenceSession); the fast sweep computes FP32 itself."""
    return PsnrEvalFn(fp_session, inputs)


def psnr(expected, actual):
    """PSNR of `actual` against `expected` as litemp and AIMET define it (dB)."""
    e = np.asarray(expected, dtype=np.float64)
    a = np.asarray(actual, dtype=np.float64)
    if e.shape != a.shape:
        raise ValueError(f"psnr: shapes differ, {e.shape} vs {a.shape}")
    if not np.all(np.isfinite(e)):
        raise ValueError("psnr: the reference holds NaN or Inf")
    if not np.all(np.isfinite(a)):
        return -100.0
    rng = max(float(e.max() - e.min()), float(np.abs(e).max()), 1e-10)
    noise = max(math.sqrt(float(np.mean((e - a) ** 2))), 1e-15)
    return float(min(100.0, max(-100.0, 20 * math.log10(rng / noise))))


def _stack(feeds, inputs):
    """A list of feeds -> one dict of arrays stacked along the batch."""
    names = [i.name for i in inputs]
    per_input = {n: [] for n in names}
    for feed in feeds:
        if isinstance(feed, dict):
            for n in names:
                if n not in feed:
                    raise ValueError(f"missing input '{n}' in a sensitivity feed")
                per_input[n].append(np.asarray(feed[n]))
        elif len(names) == 1:
            per_input[names[0]].append(np.asarray(feed))
        else:
            raise ValueError("the model has several inputs: give each feed as {name: array}")
    return {n: (v[0] if len(v) == 1 else np.concatenate(v)) for n, v in per_input.items()}


def analyze_per_layer_sensitivity(sim, eval_fn=None, filename=None, *, inputs=None, output=None, naive=False,
                                  memory_budget_mb=512, progress=None):
    """Scores every quantized layer with only its quantizers enabled (the others off), most
    sensitive first: {layer name: score}, ascending (ties in graph order).

    eval_fn: make_psnr_eval_fn(...) (the fast exact sweep on its inputs), or any callable
        taking a session and returning a score where higher is better (called once per
        layer with sim.session, as AIMET does: a task metric such as mAP works).
    inputs: instead of eval_fn, the samples themselves (a feed or a list of feeds), scored
        by PSNR with the fast sweep. output: score only that model output.
    naive: run the whole simulation per layer (the reference the fast sweep matches).
    filename: also write the ranking as CSV (rank, layer, op_type, score).
    progress: callback(label, done, total).
    The sim must be calibrated; its quantizer settings are as before on return.
    """
    if isinstance(eval_fn, PsnrEvalFn):
        inputs = eval_fn.inputs
        eval_fn = None
    if inputs is not None:
        feeds = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        samples = _stack(feeds, sim.session.get_inputs())
        ranking = sim._native.analyze(samples, output or "", bool(naive), float(memory_budget_mb), progress)
    elif callable(eval_fn):
        if output is not None or naive:
            raise ValueError("output and naive apply to the PSNR sweep, not to a custom eval_fn")
        session = sim.session
        ranking = sim._native.analyze_with_metric(lambda: eval_fn(session), progress)
    else:
        raise TypeError("analyze_per_layer_sensitivity needs eval_fn or inputs")
    if filename:
        _write_ranking(os.fspath(filename), ranking)
    return {name: score for name, _, score in ranking}


def _write_ranking(path, ranking):
    text = io.StringIO()
    w = csv.writer(text, lineterminator="\n")
    w.writerow(["rank", "layer", "op_type", "score"])
    for i, (name, op, score) in enumerate(ranking, 1):
        w.writerow([i, name, op, f"{score:.6f}"])
    write_atomic(path, text.getvalue())

