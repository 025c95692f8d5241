"""Lite-MP's precision adjustment (aimet_onnx.lite_mp)."""

import math

from ._types import flip_precision, float16


def flip_layers_to_higher_precision(sim, layer_sensitivity_dict, percent_to_flip=10, override_precision=float16, *,
                                    count=None, psnr_below=None):
    """Flips the most sensitive layers of `layer_sensitivity_dict` ({layer: score}, as
    analyze_per_layer_sensitivity returns it; lower is more sensitive) to
    `override_precision`: litemp.int16 (w16a16), litemp.float16, or a (param, activation)
    pair such as (int8, int16). Flips ceil(N * percent_to_flip / 100) layers, or `count`
    layers, or every layer scoring below `psnr_below`. Returns the flipped layer names, most
    sensitive first. Recalibrate (sim.compute_encodings) afterwards.

    Unlike aimet_onnx 2.x, float16 is real fp16 emulation (round to binary16 and back),
    not quantizers switched off.
    """
    # Ascending, NaN last, ties in the dict's order (a stable sort), as litemp's sweep ranks.
    ranking = sorted(layer_sensitivity_dict.items(), key=lambda kv: (math.isnan(kv[1]), kv[1]))
    percent = None if (count is not None or psnr_below is not None) else float(percent_to_flip)
    return sim._native.flip(ranking, percent, count, psnr_below, flip_precision(override_precision))


def set_layer_precision(sim, layers, precision):
    """Sets the named layers to `precision` (as override_precision above). Recalibrate
    afterwards."""
    sim._native.flip_named(list(layers), flip_precision(precision))
