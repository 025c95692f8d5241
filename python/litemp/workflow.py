"""Whole workflows in one call: the CLI's `run`, and Lite-MP with your own metric."""

import json
import os
import warnings

from . import _litemp
from ._flags import to_argv
from ._types import int8, int16
from .analysis import analyze_per_layer_sensitivity
from .lite_mp import flip_layers_to_higher_precision
from .quantsim import InferenceSession, QuantizationSimModel


def _mpi_ranks():
    """How many ranks the MPI launcher that started this process started (1 without one)."""
    sizes = [os.environ.get(v, "") for v in ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE")]
    return max([int(s) for s in sizes if s.isdigit()] + [1])


def run(model, out, *, analyze=False, verbose=False, progress=None, **flags):
    """`litemp run MODEL --out OUT ...` (`litemp analyze` with analyze=True): every output
    file the CLI writes, and summary.json's contents returned as a dict.

    Keywords are the CLI's flags with underscores: images, labels, label_offset, resize,
    crop, mean, std, calib, sens, eval, percent, count, psnr_below, precision,
    percent_sweep, config, scheme, encodings_version, output, shapes, prepare, batch, seed,
    memory_budget, ... The same values give the same results as the CLI, byte for byte.
    verbose: progress bars on stderr; progress: callback(label, done, total).
    """
    ranks = _mpi_ranks()
    if ranks > 1:
        warnings.warn(f"litemp.run runs the whole job in each of the {ranks} MPI ranks of this launch; to split one "
                      "run across ranks, launch the CLI: mpirun -n N litemp run ...", RuntimeWarning, stacklevel=2)
    argv = [os.fspath(model), "--out", os.fspath(out)] + to_argv(flags)
    return json.loads(_litemp._run_workflow(argv, bool(analyze), bool(verbose), progress))


class LiteMpResult:
    """What apply_lite_mp found: the mixed-precision sim (calibrated), the three scores
    (fp32, base precision, mixed), the sensitivity ranking and the flipped layers."""

    def __init__(self, sim, scores, sensitivity, flipped):
        self.sim = sim
        self.scores = scores            # {"fp32": ..., "base": ..., "mixed": ...}
        self.sensitivity = sensitivity  # {layer: PSNR}, most sensitive first
        self.flipped = flipped          # layer names, most sensitive first

    def __repr__(self):
        return f"LiteMpResult(scores={self.scores}, flipped={self.flipped})"


def apply_lite_mp(model, calibration_data, eval_fn, *, sensitivity_data=None, percent_to_flip=10,
                  override_precision=int16, param_type=int8, activation_type=int8, quant_scheme="min_max",
                  config_file=None, prepare=True, shapes=None, export_path=None, filename_prefix="model",
                  progress=None):
    """The feature guide's seven steps with your data and your metric:

    FP32 score -> QuantizationSimModel -> compute_encodings(calibration_data) -> base score
    -> PSNR sensitivity on sensitivity_data (default: the first calibration feed) -> flip
    percent_to_flip % to override_precision -> recalibrate -> mixed score -> export.

    calibration_data: a list of feeds ({input: array} or arrays). eval_fn(session) -> score
    (e.g. accuracy, mAP, negative WER), called with the FP32 session, then sim.session.
    export_path: when set, sim.export(export_path, filename_prefix).
    """
    calibration_data = list(calibration_data)
    if not calibration_data:
        raise ValueError("calibration_data is empty")
    fp32 = InferenceSession(model, prepare=prepare, shapes=shapes)
    scores = {"fp32": eval_fn(fp32)}
    sim = QuantizationSimModel(model, param_type=param_type, activation_type=activation_type,
                               quant_scheme=quant_scheme, config_file=config_file, prepare=prepare, shapes=shapes)
    sim.compute_encodings(calibration_data)
    scores["base"] = eval_fn(sim.session)
    sens_inputs = sensitivity_data if sensitivity_data is not None else calibration_data[:1]
    sens = analyze_per_layer_sensitivity(sim, inputs=sens_inputs, progress=progress)
    flipped = flip_layers_to_higher_precision(sim, sens, percent_to_flip, override_precision)
    sim.compute_encodings(calibration_data)
    scores["mixed"] = eval_fn(sim.session)
    if export_path is not None:
        sim.export(export_path, filename_prefix)
    return LiteMpResult(sim, scores, sens, flipped)

