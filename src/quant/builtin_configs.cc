// The built-in quantsim configs, in AIMET's JSON format.
#include <string>

#include "quant/config.h"

namespace litemp {

namespace {
// AIMET's default per-channel config.
constexpr const char* kDefault = R"json({
  "defaults": {
    "ops": {"is_output_quantized": "True"},
    "params": {"is_quantized": "True", "is_symmetric": "True"},
    "strict_symmetric": "False",
    "unsigned_symmetric": "False",
    "per_channel_quantization": "True"
  },
  "params": {"bias": {"is_quantized": "False"}},
  "op_type": {
    "Cast": {"is_output_quantized": "False"},
    "Mean": {"is_output_quantized": "False"},
    "Shape": {"is_output_quantized": "False"},
    "If": {"is_output_quantized": "False"},
    "Gemm": {"per_channel_quantization": "False"},
    "MatMul": {"per_channel_quantization": "False"},
    "LayerNormalization": {"per_channel_quantization": "False"},
    "BatchNormalization": {"params": {"running_mean": {"is_quantized": "False"},
                                      "running_var": {"is_quantized": "False"}}}
  },
  "supergroups": [
    {"op_list": ["Conv", "Relu"]},
    {"op_list": ["Conv", "Clip"]},
    {"op_list": ["ConvTranspose", "Relu"]},
    {"op_list": ["Add", "Relu"]},
    {"op_list": ["Gemm", "Relu"]}
  ],
  "model_input": {"is_input_quantized": "True"},
  "model_output": {}
})json";

// HTP (v75) style: fixed ranges for bounded activations, more supergroups.
constexpr const char* kHtpV75 = R"json({
  "defaults": {
    "hw_version": "V75",
    "ops": {"is_output_quantized": "True"},
    "params": {"is_quantized": "True", "is_symmetric": "True"},
    "strict_symmetric": "False",
    "unsigned_symmetric": "False",
    "per_channel_quantization": "True"
  },
  "params": {"bias": {"is_quantized": "False"}},
  "op_type": {
    "Cast": {"is_output_quantized": "False"},
    "Mean": {"is_output_quantized": "False"},
    "Shape": {"is_output_quantized": "False"},
    "If": {"is_output_quantized": "False"},
    "Gather": {"is_output_quantized": "False"},
    "Resize": {"is_output_quantized": "False"},
    "Upsample": {"is_output_quantized": "False"},
    "CropAndResize": {"is_output_quantized": "False"},
    "RoiAlign": {"is_output_quantized": "False"},
    "Gemm": {"per_channel_quantization": "False"},
    "MatMul": {"per_channel_quantization": "False"},
    "LayerNormalization": {"per_channel_quantization": "False",
                           "params": {"weight": {"is_symmetric": "False"}}},
    "BatchNormalization": {"params": {"running_mean": {"is_quantized": "False"},
                                      "running_var": {"is_quantized": "False"}}},
    "Sigmoid": {"encoding_constraints": {"min": 0.0, "max": 1.0}},
    "Softmax": {"encoding_constraints": {"min": 0.0, "max": 1.0}},
    "Tanh": {"encoding_constraints": {"min": -1.0, "max": 1.0}}
  },
  "supergroups": [
    {"op_list": ["Conv", "Relu"]},
    {"op_list": ["Conv", "Clip"]},
    {"op_list": ["Conv", "HardSwish"]},
    {"op_list": ["Conv", "PRelu"]},
    {"op_list": ["Conv", "LeakyRelu"]},
    {"op_list": ["Conv", "BatchNormalization", "Relu"]},
    {"op_list": ["Conv", "BatchNormalization"]},
    {"op_list": ["ConvTranspose", "Relu"]},
    {"op_list": ["Add", "Relu"]},
    {"op_list": ["Gemm", "Relu"]},
    {"op_list": ["MatMul", "Add"]}
  ],
  "model_input": {"is_input_quantized": "True"},
  "model_output": {}
})json";
}  // namespace

std::string BuiltinConfigJson(const std::string& name) {
  if (name == "default") return kDefault;
  if (name == "htp_v75" || name == "htp") return kHtpV75;
  if (name == "default_per_tensor") {
    std::string s = kDefault;
    const std::string key = "\"per_channel_quantization\": \"True\"";
    s.replace(s.find(key), key.size(), "\"per_channel_quantization\": \"False\"");
    return s;
  }
  return "";
}

}  // namespace litemp
