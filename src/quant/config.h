// AIMET-format quantsim configuration (docs/aimet-facts.md): which tensors get quantizers,
// enabled or not, symmetric or not, per-channel or not, fixed ranges and supergroups.
// Booleans are AIMET's strings "True"/"False" (JSON true/false are accepted too).
// Parsing validates every key and names the first bad one with its JSON path.
#ifndef LITEMP_QUANT_CONFIG_H_
#define LITEMP_QUANT_CONFIG_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "litemp/status.h"

namespace litemp {

struct ParamConfig {
  std::optional<bool> is_quantized, is_symmetric;
};

struct OpTypeConfig {
  std::optional<bool> is_input_quantized, is_output_quantized, is_symmetric, per_channel;
  std::map<std::string, ParamConfig> params;
  std::optional<std::pair<float, float>> encoding_constraints;  // fixed {min, max}
};

struct QuantsimConfig {
  // defaults.ops
  bool ops_output_quantized = false, ops_input_quantized = false, ops_symmetric = false;
  // defaults.params
  bool params_quantized = false, params_symmetric = false;
  bool strict_symmetric = false, unsigned_symmetric = false, per_channel = false;
  std::string hw_version;
  std::map<std::string, ParamConfig> params;        // by role: weight, bias, ...
  std::map<std::string, OpTypeConfig> op_type;      // by ONNX op type
  std::vector<std::vector<std::string>> supergroups;
  std::optional<bool> model_input_quantized, model_output_quantized;
};

// Parses config JSON text; `source` names it in errors.
Result<QuantsimConfig> ParseQuantsimConfig(const std::string& json_text, const std::string& source);
// A built-in config by name ("default", "default_per_tensor", "htp_v75") or a JSON file path.
Result<QuantsimConfig> LoadQuantsimConfig(const std::string& name_or_path);
// JSON text of a built-in config, or empty.
std::string BuiltinConfigJson(const std::string& name);

}  // namespace litemp

#endif  // LITEMP_QUANT_CONFIG_H_
