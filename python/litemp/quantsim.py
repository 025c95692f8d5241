"""QuantizationSimModel and sessions: aimet_onnx.quantsim's shape on litemp's simulation."""

import contextlib
import os

from . import _litemp
from ._io import write_atomic
from ._types import as_qtype, int8, scheme_name


class NodeArg:
    """An input or output as onnxruntime.InferenceSession.get_inputs() describes it."""

    def __init__(self, name, shape, dtype):
        self.name = name
        self.shape = shape  # list of ints, None where symbolic; None when unknown
        self.type = f"tensor({'float' if dtype == 'float32' else dtype})"

    def __repr__(self):
        return f"NodeArg(name={self.name!r}, type={self.type!r}, shape={self.shape!r})"


class Session:
    """What `sim.session` is: run() and get_inputs()/get_outputs() as onnxruntime's
    InferenceSession has them, so evaluation code written for ORT runs unchanged.

    run(output_names, input_feed): output_names None for every output; input_feed
    {input name: float array [N, ...]} (N of any size, also for models whose batch is
    fixed: they run in chunks). Returns a list of numpy arrays. The GIL is released while
    the model runs; one run per model at a time (other threads wait).
    """

    def __init__(self, native):
        self._native = native

    def run(self, output_names, input_feed, run_options=None):
        return self._native.run(output_names, input_feed)

    def get_inputs(self):
        return [NodeArg(*i) for i in self._native.inputs()]

    def get_outputs(self):
        return [NodeArg(*o) for o in self._native.outputs()]


class InferenceSession(Session):
    """The FP32 model on litemp's own runtime: the reference the simulation is scored
    against. `model`: a path, serialized bytes or an onnx.ModelProto. `prepare` (default
    True, as `litemp run`) folds BatchNormalization and constants first, which changes
    nothing but rounding; `shapes` {input: [d0, ...]} fixes input dims (None keeps one).
    """

    def __init__(self, model, *, prepare=True, shapes=None):
        super().__init__(_litemp._Fp32Session(model, prepare, shapes))


class QuantizationSimModel:
    """Simulates a model quantized as a quantsim config says (AIMET's QuantizationSimModel).

    model: a path, serialized bytes or an onnx.ModelProto.
    param_type, activation_type: litemp.int8 (default), int16, int4, float16, or their
        names; default_param_bw / default_activation_bw (AIMET's older arguments) set an
        integer bitwidth instead.
    quant_scheme: QuantScheme.min_max (default), tf_enhanced or percentile (with
        `percentile`, in (50, 100]).
    config_file: "default", "default_per_tensor", "htp_v75" or a quantsim config JSON path.
    prepare, shapes: as InferenceSession. AIMET quantizes the model as given; litemp
        prepares it by default, as `litemp run` does (prepare=False: as given).
    dummy_input: {input: array}; only its shapes are used (batch dim left free).
    providers, path, user_onnx_libs, session_options_kwargs: accepted for compatibility,
        not used (litemp runs on its own CPU runtime).
    """

    def __init__(self, model, *, param_type=int8, activation_type=int8, quant_scheme="min_max",
                 config_file=None, default_param_bw=None, default_activation_bw=None, percentile=100.0,
                 prepare=True, shapes=None, dummy_input=None, providers=None, path=None,
                 user_onnx_libs=None, session_options_kwargs=None):
        if default_param_bw is not None:
            param_type = as_qtype(int(default_param_bw))
        if default_activation_bw is not None:
            activation_type = as_qtype(int(default_activation_bw))
        if dummy_input is not None and shapes is None:
            shapes = {name: [None] + list(a.shape[1:]) for name, a in dummy_input.items()}
        self._native = _litemp._Sim(model, as_qtype(param_type).name, as_qtype(activation_type).name,
                                    scheme_name(quant_scheme), float(percentile), config_file or "default",
                                    bool(prepare), shapes)
        self.session = Session(self._native)
        self.param_type = as_qtype(param_type)
        self.activation_type = as_qtype(activation_type)

    # -- calibration ---------------------------------------------------------------------

    def compute_encodings(self, *args, **kwargs):
        """Calibrates every quantizer (AIMET's three forms):

            sim.compute_encodings(inputs)                 # iterable of {name: array} (or arrays)
            sim.compute_encodings(callback)               # callback(sim.session)
            sim.compute_encodings(callback, args)         # callback(sim.session, args)

        Parameters are quantized from their own values; activations from what the runs
        see. On an exception the encodings from before are kept.
        """
        has_args = "forward_pass_callback_args" in kwargs or len(args) > 1
        inputs = kwargs.pop("inputs", None)
        callback = kwargs.pop("forward_pass_callback", None)
        cb_args = kwargs.pop("forward_pass_callback_args", None)
        if kwargs:
            raise TypeError(f"unexpected arguments: {', '.join(kwargs)}")
        if args:
            if callable(args[0]):
                callback = args[0]
                if len(args) > 1:
                    cb_args = args[1]
            else:
                inputs = args[0]
        with compute_encodings(self):
            if callback is not None:
                callback(self.session, cb_args) if has_args else callback(self.session)
            elif inputs is not None:
                for feed in inputs:
                    self.session.run(None, feed)
            else:
                raise TypeError("compute_encodings needs inputs or a forward_pass_callback")

    # -- inspection ----------------------------------------------------------------------

    def layers(self):
        """[(layer name, op type, precision)] of every layer with an enabled quantizer,
        in graph order; precision such as "w8a8", "w16a16", "fp16"."""
        return self._native.layers()

    def quantizers(self):
        """Every quantizer as a dict: tensor, layer, role (input/output/param), enabled,
        dtype, bitwidth, symmetric, per_channel, axis, frozen, encodings [{min, max,
        scale, offset, bitwidth}] (empty until calibrated)."""
        return self._native.quantizers()

    @property
    def prepared(self):
        """What model preparation changed, one line each."""
        return self._native.prepared()

    # -- export --------------------------------------------------------------------------

    def export(self, path, filename_prefix, export_model=True, encoding_version="1.0.0"):
        """Writes <path>/<prefix>.encodings (AIMET JSON, `encoding_version` 1.0.0, 0.6.1 or
        2.0.0) and, with export_model, <prefix>.onnx (the FP32 model) and <prefix>_qdq.onnx
        (QuantizeLinear/DequantizeLinear and fp16 Casts, for ONNX Runtime). Creates
        `path` if needed; every file is written atomically."""
        path = os.fspath(path)
        os.makedirs(path, exist_ok=True)
        if export_model:
            self._native.export(path, filename_prefix, encoding_version)
            return
        text = self._native.encodings_json(encoding_version)
        write_atomic(os.path.join(path, filename_prefix + ".encodings"), text)

    def encodings_json(self, encoding_version="1.0.0"):
        """The encodings file's text."""
        return self._native.encodings_json(encoding_version)


@contextlib.contextmanager
def compute_encodings(sim):
    """AIMET's context manager: every sim.session.run inside calibrates the quantizers.

        with compute_encodings(sim):
            for x in calibration_batches:
                sim.session.run(None, {"input": x})
    """
    sim._native.begin_calibration()
    try:
        yield
    except BaseException:
        sim._native.end_calibration(False)
        raise
    sim._native.end_calibration(True)


def load_encodings_to_sim(sim, encoding_path, strict=True):
    """AIMET's load_encodings_to_sim: quantizers named in the file take its encodings and
    are frozen (compute_encodings keeps them); all others are disabled. Always strict: an
    entry that names no quantizer, or does not fit it, is an error and changes nothing."""
    sim._native.load_encodings(os.fspath(encoding_path))

