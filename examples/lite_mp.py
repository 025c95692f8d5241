#!/usr/bin/env python3
"""Lite-MP on MobileNetV2 from Python: the feature guide's seven steps
(../shared/docs/lite_mixed_precision.rst) on the shipped model and imagenet_sample, with
litemp's own image decoding and a top-1 function written here. It prints the same three
accuracies as the README's `litemp run` command, because it makes the same choices: the
same split (calib 100, sens 32, the rest evaluated), batches of 32, 10% flipped to int16.

    PYTHONPATH=build/python python3 examples/lite_mp.py [--shared ../shared] [--out DIR]
"""

import argparse
import json
import os
import sys

import numpy as np

import litemp
from litemp import QuantizationSimModel, compute_encodings, int8, int16

HERE = os.path.dirname(os.path.abspath(__file__))
BATCH_SIZE = 32


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.environ.get("LITEMP_SHARED", os.path.join(HERE, "..", "..", "shared")))
    ap.add_argument("--out", help="export the mixed-precision model and encodings here")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args()
    model = os.path.join(args.shared, "models", "mobilenet_v2.onnx")
    images = os.path.join(args.shared, "data", "imagenet_sample")

    # Data: decoded as `litemp run --resize 256 --crop 224 --mean 0.5 --std 0.5` decodes it.
    data = litemp.Dataset(images=images, labels=os.path.join(images, "labels.csv"), label_offset=1,
                          resize=256, crop=224, mean=0.5, std=0.5)
    split = litemp.make_split(len(data), calib=100, sens=32)
    calibration_batches = [x for x, _ in data.batches(split["calib"], BATCH_SIZE)]

    def evaluate(session, indices):
        """Top-1 accuracy of `session` (anything with ORT's run/get_inputs) on `indices`."""
        input_name = session.get_inputs()[0].name
        correct = total = 0
        for x, labels in data.batches(indices, BATCH_SIZE):
            logits, *_ = session.run(None, {input_name: x})
            correct += int(np.sum(np.argmax(logits, axis=1) == labels))
            total += len(labels)
        return correct / total

    fp_session = litemp.InferenceSession(model)
    fp32 = evaluate(fp_session, split["eval"])
    log(args, f"fp32 accuracy: {fp32:.4f}")

    # Step 1: the QuantSim model.
    sim = QuantizationSimModel(model, param_type=int8, activation_type=int8, quant_scheme="min_max",
                               config_file="default")
    input_name = sim.session.get_inputs()[0].name

    # Step 2: encodings from the calibration samples.
    with compute_encodings(sim):
        for x in calibration_batches:
            sim.session.run(None, {input_name: x})

    # Step 3: the base precision's accuracy.
    w8a8 = evaluate(sim.session, split["eval"])
    log(args, f"quantized accuracy (w8a8): {w8a8:.4f}")

    # Step 4: per-layer sensitivity on a few samples (the fast exact sweep).
    fp_inputs = [{input_name: data.load_batch(split["sens"])}]
    psnr_eval_fn = litemp.make_psnr_eval_fn(fp_session, fp_inputs)
    layer_sensitivity_dict = litemp.analyze_per_layer_sensitivity(sim, eval_fn=psnr_eval_fn)

    # Step 5: the most sensitive 10% to int16.
    flipped = litemp.flip_layers_to_higher_precision(sim, layer_sensitivity_dict, 10, int16)

    # Step 6: recalibrate the mixed-precision sim.
    with compute_encodings(sim):
        for x in calibration_batches:
            sim.session.run(None, {input_name: x})

    # Step 7: the mixed-precision accuracy.
    mixed = evaluate(sim.session, split["eval"])
    log(args, f"quantized accuracy (w8a8_mixed): {mixed:.4f}")
    log(args, f"flipped to int16: {len(flipped)} of {len(layer_sensitivity_dict)} layers")
    for name in flipped:
        log(args, f"  {name}")
    if args.out:
        sim.export(args.out, "mobilenet_v2")
        log(args, f"exported to {args.out}")
    if args.json:
        print(json.dumps({"fp32": fp32, "w8a8": w8a8, "mixed": mixed, "flipped": flipped,
                          "samples": len(split["eval"]),
                          "sensitivity": layer_sensitivity_dict}))


def log(args, text):
    print(text, file=sys.stderr if args.json else sys.stdout)


if __name__ == "__main__":
    main()
