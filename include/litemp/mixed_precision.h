// Lite-MP's precision adjustment: choose the most sensitive layers and move their
// quantizers to a higher precision (AIMET's flip_layers_to_higher_precision).
//
// A flip sets every input, output and parameter quantizer of the layer (enabled or not;
// disabled ones stay disabled) to the target: int16 (bitwidth 16, symmetry unchanged),
// float16 (real fp16 emulation: round to nearest even to binary16 and back, unlike AIMET
// 2.15 which just disables), or a (param, activation) pair such as W8A16. Integer
// encodings become invalid; recalibrate the whole simulation afterwards.
#ifndef LITEMP_MIXED_PRECISION_H_
#define LITEMP_MIXED_PRECISION_H_

#include <optional>
#include <string>
#include <vector>

#include "litemp/quantsim.h"
#include "litemp/sensitivity.h"

namespace litemp {

struct FlipTarget {
  std::string name;  // as given: "int16", "fp16", "w8a16", ...
  Precision param, activation;
};

// "int16" (= w16a16), "fp16"/"float16", or a pair "w8a16", "w16a16", "w8fp16", "w16fp16".
// The activation side must be int16 or float16.
Result<FlipTarget> ParseFlipTarget(const std::string& name);

// How many of the layers (sorted by ascending PSNR) to flip. Exactly one criterion applies:
// a count, a PSNR threshold (every layer below it), or a percent: ceil(N * percent / 100).
struct FlipSelection {
  double percent = 10;
  std::optional<double> psnr_below;
  std::optional<int> count;
};
Status ValidateSelection(const FlipSelection& s);
size_t CountToFlip(const std::vector<double>& ascending_psnr, const FlipSelection& s);

// Flips `layers` (node indices) of `sim` to `target`.
void FlipLayers(QuantSim& sim, const std::vector<int>& layers, const FlipTarget& target);

// AIMET's flip_layers_to_higher_precision(sim, sensitivity, percent, precision): flips the
// CountToFlip(selection) most sensitive layers of `sensitivity` (AnalyzePerLayerSensitivity's
// result: ascending PSNR) to `target` and returns their node indices, most sensitive first.
// InvalidArgument when the selection is invalid or `sensitivity` is not in ascending order.
// Recalibrate (QuantSim::ComputeEncodings) afterwards.
Result<std::vector<int>> FlipLayersToHigherPrecision(QuantSim& sim, const std::vector<LayerSensitivity>& sensitivity,
                                                     const FlipSelection& selection, const FlipTarget& target);

// The precision a layer's quantizers have now, e.g. "w8a8", "w16a16", "fp16", "w8a16", or
// "fp32" when none is enabled.
std::string LayerPrecision(const QuantSim& sim, int layer);

}  // namespace litemp

#endif  // LITEMP_MIXED_PRECISION_H_
