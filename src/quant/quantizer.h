// Quantizer: one fake-quantization point on one tensor (an activation or a parameter).
//
// Integer quantizers hold one encoding per channel (per-channel) or one in all; their
// statistics come from an Analyzer during calibration. fp16 quantizers need no encoding:
// they round to binary16 and back. Enabling, disabling or changing the bitwidth never
// rebuilds anything; a changed integer setting only invalidates the encoding until the
// next calibration.
#ifndef LITEMP_QUANT_QUANTIZER_H_
#define LITEMP_QUANT_QUANTIZER_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "litemp/tensor.h"
#include "quant/analyzer.h"
#include "quant/encoding.h"

namespace litemp {

enum class QuantizerRole { kInput, kOutput, kParam };
enum class QuantDType { kInt, kFloat16 };

struct Quantizer {
  // Placement (fixed).
  QuantizerRole role = QuantizerRole::kOutput;
  int value_id = -1;       // the tensor it quantizes
  int layer = -1;          // owning node index
  std::string param_role;  // "weight", "bias", ... for parameters

  // Settings (changeable at any time).
  bool enabled = false;
  QuantDType dtype = QuantDType::kInt;
  QuantSpec spec;
  bool per_channel = false;
  int axis = 0;          // channel axis for per-channel (logical, of the plain tensor)
  int channels = 1;
  std::optional<std::pair<float, float>> fixed_range;  // encoding_constraints

  // State.
  std::vector<Encoding> encodings;  // valid when !encodings.empty()
  bool frozen = false;              // loaded from a file: calibration keeps the encodings
  std::unique_ptr<Analyzer> analyzer;

  bool has_encoding() const { return dtype == QuantDType::kFloat16 || !encodings.empty(); }
  // Forgets the encoding (e.g. after a bitwidth change); calibration must run again.
  void Invalidate() {
    encodings.clear();
    frozen = false;
  }
  // Starts a fresh statistics pass with `scheme`.
  void ResetStats(Scheme scheme, float percentile);
  // Adds a tensor's values to the statistics (any layout).
  void Observe(const Tensor& t);
  // Derives encodings from the statistics (or the fixed range). False if nothing was seen.
  bool FinishStats();
  // Returns the fake-quantized tensor (writes in place when `t` is unique).
  // REQUIRES: has_encoding(); t is float32.
  Tensor Apply(const Tensor& t) const;
};

}  // namespace litemp

#endif  // LITEMP_QUANT_QUANTIZER_H_
