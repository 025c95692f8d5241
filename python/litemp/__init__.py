"""litemp: find the layers of an ONNX model that cannot take 8 bits, keep only those at
16 bits or fp16, export for deployment. The API follows aimet_onnx's Lite-MP workflow:

    import litemp
    from litemp import QuantizationSimModel, compute_encodings, int8, int16

    sim = QuantizationSimModel("model.onnx", param_type=int8, activation_type=int8)
    sim.compute_encodings(calibration_feeds)          # or: with compute_encodings(sim): ...
    sens = litemp.analyze_per_layer_sensitivity(sim, litemp.make_psnr_eval_fn(None, feeds))
    litemp.flip_layers_to_higher_precision(sim, sens, 10, int16)
    sim.compute_encodings(calibration_feeds)
    accuracy = my_eval(sim.session)                   # session.run as onnxruntime's
    sim.export("out", "model")

Errors raise litemp.Error (InvalidArgumentError is also a ValueError, FileError an OSError)
with the message the CLI prints after "error: ". docs/python.md lists every deviation from
aimet_onnx.
"""

from ._litemp import (CorruptionError, Error, FileError, InvalidArgumentError, NotSupportedError, __version__,
                      get_kernels, get_num_threads, set_kernels, set_num_threads)
from ._types import QuantScheme, float16, int4, int8, int16, qtype
from .analysis import PsnrEvalFn, analyze_per_layer_sensitivity, make_psnr_eval_fn, psnr
from .data import Dataset, make_split
from .lite_mp import flip_layers_to_higher_precision, set_layer_precision
from .quantsim import (InferenceSession, NodeArg, QuantizationSimModel, Session, compute_encodings,
                       load_encodings_to_sim)
from .workflow import LiteMpResult, apply_lite_mp, run

__all__ = [
    "CorruptionError", "Dataset", "Error", "FileError", "InferenceSession", "InvalidArgumentError", "LiteMpResult",
    "NodeArg", "NotSupportedError", "PsnrEvalFn", "QuantScheme", "QuantizationSimModel", "Session",
    "analyze_per_layer_sensitivity", "apply_lite_mp", "compute_encodings", "flip_layers_to_higher_precision",
    "float16", "get_kernels", "get_num_threads", "int4", "int8", "int16", "load_encodings_to_sim", "make_psnr_eval_fn",
    "make_split", "psnr", "qtype", "run", "set_kernels", "set_layer_precision", "set_num_threads",
]
