#include "quant/config.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "litemp/fileio.h"

namespace litemp {

namespace {
using json = nlohmann::json;

Status Bad(const std::string& source, const std::string& path, const std::string& what) {
  return Status::InvalidArgument("quantsim config " + source + ": " + (path.empty() ? "the top level" : "'" + path + "'") +
                                 " " + what);
}

Status CheckKeys(const json& j, const std::string& source, const std::string& path,
                 const std::set<std::string>& allowed) {
  if (!j.is_object()) return Bad(source, path, "must be an object");
  for (auto it = j.begin(); it != j.end(); ++it)
    if (!allowed.count(it.key())) return Bad(source, path.empty() ? it.key() : path + "." + it.key(), "is not a known key");
  return Status::OK();
}

Status ReadBool(const json& j, const std::string& source, const std::string& path, std::optional<bool>* out) {
  if (j.is_boolean()) {
    *out = j.get<bool>();
  } else if (j.is_string() && (j == "True" || j == "False")) {
    *out = j == "True";
  } else {
    return Bad(source, path, "must be \"True\" or \"False\"");
  }
  return Status::OK();
}

Status ReadBool(const json& j, const std::string& source, const std::string& path, bool* out) {
  std::optional<bool> v;
  LITEMP_RETURN_IF_ERROR(ReadBool(j, source, path, &v));
  *out = *v;
  return Status::OK();
}

Status ReadParams(const json& j, const std::string& source, const std::string& path,
                  std::map<std::string, ParamConfig>* out) {
  if (!j.is_object()) return Bad(source, path, "must be an object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::string p = path + "." + it.key();
    LITEMP_RETURN_IF_ERROR(CheckKeys(it.value(), source, p, {"is_quantized", "is_symmetric"}));
    ParamConfig& pc = (*out)[it.key()];
    if (it->contains("is_quantized")) LITEMP_RETURN_IF_ERROR(ReadBool((*it)["is_quantized"], source, p + ".is_quantized", &pc.is_quantized));
    if (it->contains("is_symmetric")) LITEMP_RETURN_IF_ERROR(ReadBool((*it)["is_symmetric"], source, p + ".is_symmetric", &pc.is_symmetric));
  }
  return Status::OK();
}

Status ReadOpType(const json& j, const std::string& source, const std::string& path, OpTypeConfig* o) {
  LITEMP_RETURN_IF_ERROR(CheckKeys(j, source, path,
                                   {"is_input_quantized", "is_output_quantized", "is_symmetric", "params",
                                    "per_channel_quantization", "encoding_constraints", "supported_kernels"}));
  if (j.contains("is_input_quantized")) LITEMP_RETURN_IF_ERROR(ReadBool(j["is_input_quantized"], source, path + ".is_input_quantized", &o->is_input_quantized));
  if (j.contains("is_output_quantized")) LITEMP_RETURN_IF_ERROR(ReadBool(j["is_output_quantized"], source, path + ".is_output_quantized", &o->is_output_quantized));
  if (j.contains("is_symmetric")) LITEMP_RETURN_IF_ERROR(ReadBool(j["is_symmetric"], source, path + ".is_symmetric", &o->is_symmetric));
  if (j.contains("per_channel_quantization")) LITEMP_RETURN_IF_ERROR(ReadBool(j["per_channel_quantization"], source, path + ".per_channel_quantization", &o->per_channel));
  if (j.contains("params")) LITEMP_RETURN_IF_ERROR(ReadParams(j["params"], source, path + ".params", &o->params));
  if (j.contains("encoding_constraints")) {
    const json& c = j["encoding_constraints"];
    std::string p = path + ".encoding_constraints";
    LITEMP_RETURN_IF_ERROR(CheckKeys(c, source, p, {"min", "max"}));
    if (!c.contains("min") || !c.contains("max") || !c["min"].is_number() || !c["max"].is_number())
      return Bad(source, p, "needs numeric \"min\" and \"max\"");
    float lo = c["min"].get<float>(), hi = c["max"].get<float>();
    if (!(lo < hi)) return Bad(source, p, "needs min < max");
    o->encoding_constraints = std::make_pair(lo, hi);
  }
  return Status::OK();
}
}  // namespace

Result<QuantsimConfig> ParseQuantsimConfig(const std::string& text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line L, column C: ...".
    std::string why = e.what();
    why.erase(0, why.find(']') + 1);
    return Status::InvalidArgument("quantsim config " + source + " is not valid JSON:" + why);
  }
  QuantsimConfig c;
  LITEMP_RETURN_IF_ERROR(CheckKeys(j, source, "", {"defaults", "params", "op_type", "supergroups", "model_input",
                                                   "model_output", "supergroup_pass_list"}));
  if (!j.contains("defaults")) return Bad(source, "defaults", "is missing");
  const json& d = j["defaults"];
  LITEMP_RETURN_IF_ERROR(CheckKeys(d, source, "defaults", {"ops", "params", "strict_symmetric", "unsigned_symmetric",
                                                           "per_channel_quantization", "hw_version", "supported_kernels"}));
  if (d.contains("ops")) {
    const json& ops = d["ops"];
    LITEMP_RETURN_IF_ERROR(CheckKeys(ops, source, "defaults.ops", {"is_output_quantized", "is_input_quantized", "is_symmetric"}));
    if (ops.contains("is_output_quantized")) LITEMP_RETURN_IF_ERROR(ReadBool(ops["is_output_quantized"], source, "defaults.ops.is_output_quantized", &c.ops_output_quantized));
    if (ops.contains("is_input_quantized")) LITEMP_RETURN_IF_ERROR(ReadBool(ops["is_input_quantized"], source, "defaults.ops.is_input_quantized", &c.ops_input_quantized));
    if (ops.contains("is_symmetric")) LITEMP_RETURN_IF_ERROR(ReadBool(ops["is_symmetric"], source, "defaults.ops.is_symmetric", &c.ops_symmetric));
  }
  if (d.contains("params")) {
    const json& p = d["params"];
    LITEMP_RETURN_IF_ERROR(CheckKeys(p, source, "defaults.params", {"is_quantized", "is_symmetric"}));
    if (p.contains("is_quantized")) LITEMP_RETURN_IF_ERROR(ReadBool(p["is_quantized"], source, "defaults.params.is_quantized", &c.params_quantized));
    if (p.contains("is_symmetric")) LITEMP_RETURN_IF_ERROR(ReadBool(p["is_symmetric"], source, "defaults.params.is_symmetric", &c.params_symmetric));
  }
  if (d.contains("strict_symmetric")) LITEMP_RETURN_IF_ERROR(ReadBool(d["strict_symmetric"], source, "defaults.strict_symmetric", &c.strict_symmetric));
  if (d.contains("unsigned_symmetric")) LITEMP_RETURN_IF_ERROR(ReadBool(d["unsigned_symmetric"], source, "defaults.unsigned_symmetric", &c.unsigned_symmetric));
  if (d.contains("per_channel_quantization")) LITEMP_RETURN_IF_ERROR(ReadBool(d["per_channel_quantization"], source, "defaults.per_channel_quantization", &c.per_channel));
  if (d.contains("hw_version")) {
    if (!d["hw_version"].is_string()) return Bad(source, "defaults.hw_version", "must be a string");
    c.hw_version = d["hw_version"].get<std::string>();
  }
  if (j.contains("params")) LITEMP_RETURN_IF_ERROR(ReadParams(j["params"], source, "params", &c.params));
  if (j.contains("op_type")) {
    if (!j["op_type"].is_object()) return Bad(source, "op_type", "must be an object");
    for (auto it = j["op_type"].begin(); it != j["op_type"].end(); ++it)
      LITEMP_RETURN_IF_ERROR(ReadOpType(it.value(), source, "op_type." + it.key(), &c.op_type[it.key()]));
  }
  if (j.contains("supergroups")) {
    if (!j["supergroups"].is_array()) return Bad(source, "supergroups", "must be a list");
    for (size_t i = 0; i < j["supergroups"].size(); ++i) {
      const json& g = j["supergroups"][i];
      std::string p = "supergroups[" + std::to_string(i) + "]";
      LITEMP_RETURN_IF_ERROR(CheckKeys(g, source, p, {"op_list"}));
      if (!g.contains("op_list") || !g["op_list"].is_array() || g["op_list"].size() < 2)
        return Bad(source, p + ".op_list", "must list two or more op types");
      std::vector<std::string> ops;
      for (const auto& op : g["op_list"]) {
        if (!op.is_string()) return Bad(source, p + ".op_list", "must hold op type strings");
        ops.push_back(op.get<std::string>());
      }
      c.supergroups.push_back(ops);
    }
  }
  if (j.contains("model_input")) {
    LITEMP_RETURN_IF_ERROR(CheckKeys(j["model_input"], source, "model_input", {"is_input_quantized"}));
    if (j["model_input"].contains("is_input_quantized"))
      LITEMP_RETURN_IF_ERROR(ReadBool(j["model_input"]["is_input_quantized"], source, "model_input.is_input_quantized", &c.model_input_quantized));
  }
  if (j.contains("model_output")) {
    LITEMP_RETURN_IF_ERROR(CheckKeys(j["model_output"], source, "model_output", {"is_output_quantized"}));
    if (j["model_output"].contains("is_output_quantized"))
      LITEMP_RETURN_IF_ERROR(ReadBool(j["model_output"]["is_output_quantized"], source, "model_output.is_output_quantized", &c.model_output_quantized));
  }
  return c;
}

Result<QuantsimConfig> LoadQuantsimConfig(const std::string& name_or_path) {
  std::string builtin = BuiltinConfigJson(name_or_path);
  if (!builtin.empty()) return ParseQuantsimConfig(builtin, "'" + name_or_path + "'");
  if (!std::filesystem::exists(name_or_path))
    return Status::InvalidArgument("--config '" + name_or_path +
                                   "' is neither a built-in config (default, default_per_tensor, htp_v75) nor a file");
  LITEMP_ASSIGN_OR_RETURN(std::string text, ReadFile(name_or_path));
  return ParseQuantsimConfig(text, "'" + name_or_path + "'");
}

}  // namespace litemp
