// AIMET encodings JSON writers (formats in docs/formats/encodings.md).
#include <nlohmann/json.hpp>

#include "litemp/export.h"

namespace litemp {

namespace {
using ojson = nlohmann::ordered_json;

bool IsExported(const Quantizer& q) { return q.enabled && q.has_encoding(); }

const std::string& TensorName(const QuantSim& sim, const Quantizer& q) { return sim.graph().values[q.value_id].name; }

// Signed when symmetric with a negative offset (int8 grid), else unsigned with zp = -offset.
bool IsSigned(const Encoding& e) { return e.symmetric && e.offset < 0; }

ojson Entry100(const QuantSim& sim, const Quantizer& q) {
  ojson j;
  j["name"] = TensorName(sim, q);
  j["enc_type"] = q.encodings.size() > 1 ? "PER_CHANNEL" : "PER_TENSOR";
  if (q.dtype == QuantDType::kFloat16) {
    j["dtype"] = "FLOAT";
    j["bw"] = 16;
    return j;
  }
  j["dtype"] = "INT";
  j["bw"] = q.spec.bitwidth;
  j["is_sym"] = q.spec.symmetric;
  ojson scale = ojson::array(), offset = ojson::array();
  for (const auto& e : q.encodings) {
    scale.push_back(e.scale);
    offset.push_back(e.offset);
  }
  j["scale"] = scale;
  j["offset"] = offset;
  return j;
}

ojson Entry061(const Quantizer& q) {
  ojson list = ojson::array();
  if (q.dtype == QuantDType::kFloat16) {
    list.push_back({{"bitwidth", 16}, {"dtype", "float"}});
    return list;
  }
  for (const auto& e : q.encodings)
    list.push_back({{"min", e.min}, {"max", e.max}, {"scale", e.scale}, {"offset", e.offset},
                    {"bitwidth", q.spec.bitwidth}, {"is_symmetric", q.spec.symmetric ? "True" : "False"},
                    {"dtype", "int"}});
  return list;
}

ojson Entry200(const QuantSim& sim, const Quantizer& q) {
  ojson j;
  j["name"] = TensorName(sim, q);
  if (q.dtype == QuantDType::kFloat16) {
    j["output_dtype"] = "float16";
    return j;
  }
  const Encoding& e0 = q.encodings[0];
  bool sign = IsSigned(e0);
  j["output_dtype"] = std::string(sign ? "int" : "uint") + std::to_string(q.spec.bitwidth);
  ojson scale = ojson::array(), zp = ojson::array();
  bool any_zp = false;
  for (const auto& e : q.encodings) {
    scale.push_back(e.scale);
    int64_t z = sign ? -e.offset - (int64_t{1} << (q.spec.bitwidth - 1)) : -e.offset;
    any_zp = any_zp || z != 0;
    zp.push_back(z);
  }
  if (q.encodings.size() == 1) {
    j["y_scale"] = scale[0];
    if (any_zp) j["y_zero_point"] = zp[0];
  } else {
    j["y_scale"] = scale;
    if (any_zp) j["y_zero_point"] = zp;
    j["axis"] = q.axis;
  }
  return j;
}

ojson QuantizerArgs(const QuantSim& sim) {
  const QuantSimOptions& o = sim.options();
  ojson a;
  a["activation_bitwidth"] = o.activation.bitwidth;
  a["param_bitwidth"] = o.param.bitwidth;
  a["dtype"] = o.activation.dtype == QuantDType::kFloat16 ? "float" : "int";
  a["quant_scheme"] = SchemeName(o.scheme);
  bool pc = false, strict = false, uns = false, act_sym = false, param_sym = false;
  for (const auto& q : sim.quantizers()) {
    if (q.role == QuantizerRole::kParam) {
      pc = pc || q.per_channel;
      param_sym = param_sym || q.spec.symmetric;
    } else {
      act_sym = act_sym || q.spec.symmetric;
    }
    strict = q.spec.strict_symmetric;
    uns = q.spec.unsigned_symmetric;
  }
  a["per_channel_quantization"] = pc;
  a["is_symmetric"] = param_sym && act_sym;
  a["strict_symmetric"] = strict;
  a["unsigned_symmetric"] = uns;
  return a;
}
}  // namespace

Status CheckEncodingsVersion(const std::string& version) {
  if (version == "1.0.0" || version == "0.6.1" || version == "2.0.0") return Status::OK();
  return Status::InvalidArgument("unknown encodings version '" + version + "' (expected 1.0.0, 0.6.1 or 2.0.0)");
}

Result<std::string> EncodingsJson(const QuantSim& sim, const std::string& version) {
  LITEMP_RETURN_IF_ERROR(CheckEncodingsVersion(version));
  ojson root;
  if (version == "1.0.0") {
    root["version"] = "1.0.0";
    ojson acts = ojson::array(), params = ojson::array();
    for (const auto& q : sim.quantizers())
      if (IsExported(q)) (q.role == QuantizerRole::kParam ? params : acts).push_back(Entry100(sim, q));
    root["activation_encodings"] = acts;
    root["param_encodings"] = params;
    root["quantizer_args"] = QuantizerArgs(sim);
  } else if (version == "0.6.1") {
    root["version"] = "0.6.1";
    ojson acts = ojson::object(), params = ojson::object();
    for (const auto& q : sim.quantizers())
      if (IsExported(q)) (q.role == QuantizerRole::kParam ? params : acts)[TensorName(sim, q)] = Entry061(q);
    root["activation_encodings"] = acts;
    root["param_encodings"] = params;
    root["quantizer_args"] = QuantizerArgs(sim);
  } else {
    root["version"] = "2.0.0";
    ojson encs = ojson::array();
    for (const auto& q : sim.quantizers())
      if (IsExported(q)) encs.push_back(Entry200(sim, q));
    root["encodings"] = encs;
  }
  return root.dump(2) + "\n";
}

}  // namespace litemp
