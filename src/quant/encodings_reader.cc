// AIMET encodings JSON reader (formats in docs/formats/encodings.md): parsing and validation.
#include "litemp/load_encodings.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace litemp {

namespace {
using json = nlohmann::json;

constexpr int kMinBits = 4, kMaxBits = 16;

class Reader {
 public:
  explicit Reader(const std::string& source) : source_(source) {}

  Status Bad(const std::string& key, const std::string& what) const {
    return Status::InvalidArgument(source_ + ": " + key + ": " + what);
  }
  Status Unsupported(const std::string& key, const std::string& what) const {
    return Status::NotSupported(source_ + ": " + key + ": " + what);
  }

  // An integer in [lo, hi]; integral floats (1.0) count, as Python writers may emit them.
  Status Int(const json& j, const std::string& key, int64_t lo, int64_t hi, int64_t* out) const {
    bool ok = false;
    if (j.is_number_unsigned()) {
      uint64_t u = j.get<uint64_t>();
      ok = u <= static_cast<uint64_t>(INT64_MAX);
      *out = static_cast<int64_t>(u);
    } else if (j.is_number_integer()) {
      ok = true;
      *out = j.get<int64_t>();
    } else if (j.is_number_float()) {
      double d = j.get<double>();
      ok = d >= -9.0e18 && d <= 9.0e18 && d == std::floor(d);
      if (ok) *out = static_cast<int64_t>(d);
    }
    if (!ok || *out < lo || *out > hi)
      return Bad(key, "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return Status::OK();
  }

  // A positive finite float32 (a scale).
  Status Scale(const json& j, const std::string& key, float* out) const {
    if (j.is_number()) {
      *out = static_cast<float>(j.get<double>());
      if (std::isfinite(*out) && *out > 0) return Status::OK();
    }
    return Bad(key, "must be a positive finite number");
  }

  Status Bool(const json& j, const std::string& key, bool* out) const {
    if (j.is_boolean()) {
      *out = j.get<bool>();
    } else if (j.is_string() && (j == "True" || j == "False")) {
      *out = j == "True";
    } else {
      return Bad(key, "must be true/false or \"True\"/\"False\"");
    }
    return Status::OK();
  }

  Status String(const json& j, const std::string& key, std::string* out) const {
    if (!j.is_string()) return Bad(key, "must be a string");
    *out = j.get<std::string>();
    return Status::OK();
  }

  // j[name], or an error naming the missing key.
  Result<const json*> Field(const json& j, const std::string& key, const char* name) const {
    auto it = j.find(name);
    if (it == j.end()) return Bad(key + "." + name, "is missing");
    return &*it;
  }

  // A number or a non-empty list of numbers, as floats (scales) or integers (offsets).
  template <typename T, typename Fn>
  Status List(const json& j, const std::string& key, std::vector<T>* out, Fn one) const {
    if (!j.is_array()) {
      out->resize(1);
      return one(j, key, &(*out)[0]);
    }
    if (j.empty()) return Bad(key, "must not be empty");
    out->resize(j.size());
    for (size_t i = 0; i < j.size(); ++i)
      LITEMP_RETURN_IF_ERROR(one(j[i], key + "[" + std::to_string(i) + "]", &(*out)[i]));
    return Status::OK();
  }

  Status Scales(const json& j, const std::string& key, std::vector<float>* out) const {
    return List(j, key, out, [this](const json& v, const std::string& k, float* f) { return Scale(v, k, f); });
  }
  Status Ints(const json& j, const std::string& key, int64_t lo, int64_t hi, std::vector<int64_t>* out) const {
    return List(j, key, out,
                [this, lo, hi](const json& v, const std::string& k, int64_t* i) { return Int(v, k, lo, hi, i); });
  }

  // Final checks of an integer entry: bitwidth, matching scale/offset counts, offsets on the grid.
  Status CheckInt(const FileEncoding& e) const {
    if (e.scale.size() != e.offset.size())
      return Bad(e.key, std::to_string(e.scale.size()) + " scales but " + std::to_string(e.offset.size()) + " offsets");
    const int64_t steps = (int64_t{1} << e.bitwidth) - 1;
    for (size_t i = 0; i < e.offset.size(); ++i)
      if (e.offset[i] > 0 || e.offset[i] < -steps)
        return Bad(e.key + ".offset[" + std::to_string(i) + "]",
                   "offset " + std::to_string(e.offset[i]) + " is outside [" + std::to_string(-steps) + ", 0]");
    return Status::OK();
  }

  // 1.0.0 entry: {"name", "enc_type", "dtype": "INT"|"FLOAT", "bw", "is_sym", "scale", "offset"}.
  Status Entry100(const json& j, const std::string& key, FileEncoding* e) const {
    if (!j.is_object()) return Bad(key, "must be an object");
    e->key = key;
    LITEMP_ASSIGN_OR_RETURN(const json* name, Field(j, key, "name"));
    LITEMP_RETURN_IF_ERROR(String(*name, key + ".name", &e->name));
    LITEMP_ASSIGN_OR_RETURN(const json* dtype, Field(j, key, "dtype"));
    std::string dt;
    LITEMP_RETURN_IF_ERROR(String(*dtype, key + ".dtype", &dt));
    std::string enc_type = "PER_TENSOR";
    if (j.contains("enc_type")) LITEMP_RETURN_IF_ERROR(String(j["enc_type"], key + ".enc_type", &enc_type));
    if (enc_type != "PER_TENSOR" && enc_type != "PER_CHANNEL")
      return Unsupported(key + ".enc_type", "'" + enc_type + "' is not supported (PER_TENSOR or PER_CHANNEL)");
    LITEMP_ASSIGN_OR_RETURN(const json* bw, Field(j, key, "bw"));
    int64_t bits = 0;
    if (dt == "FLOAT") {
      LITEMP_RETURN_IF_ERROR(Int(*bw, key + ".bw", 16, 16, &bits));
      e->fp16 = true;
      return Status::OK();
    }
    if (dt != "INT") return Unsupported(key + ".dtype", "must be \"INT\" or \"FLOAT\"");
    LITEMP_RETURN_IF_ERROR(Int(*bw, key + ".bw", kMinBits, kMaxBits, &bits));
    e->bitwidth = static_cast<int>(bits);
    LITEMP_ASSIGN_OR_RETURN(const json* sym, Field(j, key, "is_sym"));
    LITEMP_RETURN_IF_ERROR(Bool(*sym, key + ".is_sym", &e->symmetric));
    LITEMP_ASSIGN_OR_RETURN(const json* scale, Field(j, key, "scale"));
    LITEMP_RETURN_IF_ERROR(Scales(*scale, key + ".scale", &e->scale));
    LITEMP_ASSIGN_OR_RETURN(const json* offset, Field(j, key, "offset"));
    LITEMP_RETURN_IF_ERROR(Ints(*offset, key + ".offset", INT64_MIN, INT64_MAX, &e->offset));
    if (enc_type == "PER_TENSOR" && e->scale.size() != 1) return Bad(key + ".scale", "PER_TENSOR needs exactly one scale");
    return CheckInt(*e);
  }

  // 0.6.1 entry: NAME: [{"min", "max", "scale", "offset", "bitwidth", "is_symmetric", "dtype"}...].
  Status Entry061(const std::string& name, const json& j, const std::string& key, FileEncoding* e) const {
    e->name = name;
    e->key = key;
    if (!j.is_array() || j.empty()) return Bad(key, "must be a non-empty list");
    for (size_t i = 0; i < j.size(); ++i) {
      const json& c = j[i];
      std::string k = key + "[" + std::to_string(i) + "]";
      if (!c.is_object()) return Bad(k, "must be an object");
      std::string dt = "int";
      if (c.contains("dtype")) LITEMP_RETURN_IF_ERROR(String(c["dtype"], k + ".dtype", &dt));
      LITEMP_ASSIGN_OR_RETURN(const json* bw, Field(c, k, "bitwidth"));
      int64_t bits = 0;
      if (dt == "float") {
        if (j.size() != 1) return Bad(key, "a float encoding must be the only one");
        LITEMP_RETURN_IF_ERROR(Int(*bw, k + ".bitwidth", 16, 16, &bits));
        e->fp16 = true;
        return Status::OK();
      }
      if (dt != "int") return Unsupported(k + ".dtype", "must be \"int\" or \"float\"");
      LITEMP_RETURN_IF_ERROR(Int(*bw, k + ".bitwidth", kMinBits, kMaxBits, &bits));
      bool sym = false;
      LITEMP_ASSIGN_OR_RETURN(const json* is_sym, Field(c, k, "is_symmetric"));
      LITEMP_RETURN_IF_ERROR(Bool(*is_sym, k + ".is_symmetric", &sym));
      if (i > 0 && (bits != e->bitwidth || sym != e->symmetric))
        return Bad(k, "bitwidth and is_symmetric must match the first channel's");
      e->bitwidth = static_cast<int>(bits);
      e->symmetric = sym;
      LITEMP_ASSIGN_OR_RETURN(const json* scale, Field(c, k, "scale"));
      e->scale.emplace_back();
      LITEMP_RETURN_IF_ERROR(Scale(*scale, k + ".scale", &e->scale.back()));
      LITEMP_ASSIGN_OR_RETURN(const json* offset, Field(c, k, "offset"));
      e->offset.emplace_back();
      LITEMP_RETURN_IF_ERROR(Int(*offset, k + ".offset", INT64_MIN, INT64_MAX, &e->offset.back()));
    }
    return CheckInt(*e);
  }

  // 2.0.0 entry: {"name", "output_dtype": "int8"|"uint8"|...|"float16", "y_scale",
  // "y_zero_point"?, "axis"?}.
  Status Entry200(const json& j, const std::string& key, FileEncoding* e) const {
    if (!j.is_object()) return Bad(key, "must be an object");
    e->key = key;
    LITEMP_ASSIGN_OR_RETURN(const json* name, Field(j, key, "name"));
    LITEMP_RETURN_IF_ERROR(String(*name, key + ".name", &e->name));
    if (j.contains("block_size")) return Unsupported(key + ".block_size", "block-wise encodings are not supported");
    LITEMP_ASSIGN_OR_RETURN(const json* dtype, Field(j, key, "output_dtype"));
    std::string dt;
    LITEMP_RETURN_IF_ERROR(String(*dtype, key + ".output_dtype", &dt));
    if (dt == "float16") {
      e->fp16 = true;
      return Status::OK();
    }
    const bool is_signed = dt.rfind("int", 0) == 0, is_unsigned = dt.rfind("uint", 0) == 0;
    const std::string digits = is_signed ? dt.substr(3) : is_unsigned ? dt.substr(4) : "";
    if (digits.empty() || digits.size() > 2 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
      return Unsupported(key + ".output_dtype", "'" + dt + "' is not float16, intN or uintN");
    int bits = std::stoi(digits);
    if (bits < kMinBits || bits > kMaxBits)
      return Unsupported(key + ".output_dtype", "bitwidth " + digits + " is outside [4, 16]");
    e->bitwidth = bits;
    e->symmetric = is_signed;
    LITEMP_ASSIGN_OR_RETURN(const json* scale, Field(j, key, "y_scale"));
    LITEMP_RETURN_IF_ERROR(Scales(*scale, key + ".y_scale", &e->scale));
    // Zero point range of the stored integer type; AIMET offset = -zp (- 2^(bw-1) when signed).
    const int64_t half = int64_t{1} << (bits - 1);
    const int64_t lo = is_signed ? -half : 0, hi = is_signed ? half - 1 : 2 * half - 1;
    std::vector<int64_t> zp(e->scale.size(), 0);
    if (j.contains("y_zero_point")) LITEMP_RETURN_IF_ERROR(Ints(j["y_zero_point"], key + ".y_zero_point", lo, hi, &zp));
    e->offset.resize(zp.size());
    for (size_t i = 0; i < zp.size(); ++i) e->offset[i] = -zp[i] - (is_signed ? half : 0);
    if (j.contains("axis")) {
      int64_t axis = 0;
      LITEMP_RETURN_IF_ERROR(Int(j["axis"], key + ".axis", -8, 7, &axis));
      e->axis = static_cast<int>(axis);  // checked against the quantizer when loading
    }
    return CheckInt(*e);
  }

 private:
  std::string source_;
};

}  // namespace


Result<EncodingsFile> ParseEncodings(const std::string& text, const std::string& source) {
  Reader r(source);
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument(source + ": not valid JSON");
  if (!j.is_object()) return r.Bad("(top level)", "must be an object");
  EncodingsFile f;
  LITEMP_ASSIGN_OR_RETURN(const json* version, r.Field(j, "", "version"));
  LITEMP_RETURN_IF_ERROR(r.String(*version, "version", &f.version));
  if (f.version == "2.0.0") {
    LITEMP_ASSIGN_OR_RETURN(const json* encs, r.Field(j, "", "encodings"));
    if (!encs->is_array()) return r.Bad("encodings", "must be a list");
    f.entries.resize(encs->size());
    for (size_t i = 0; i < encs->size(); ++i)
      LITEMP_RETURN_IF_ERROR(r.Entry200((*encs)[i], "encodings[" + std::to_string(i) + "]", &f.entries[i]));
    return f;
  }
  if (f.version != "1.0.0" && f.version != "0.6.1")
    return r.Unsupported("version", "'" + f.version + "' is not supported (1.0.0, 0.6.1 or 2.0.0)");
  if (j.contains("quantizer_args")) {
    const json& qa = j["quantizer_args"];
    if (!qa.is_object()) return r.Bad("quantizer_args", "must be an object");
    if (qa.contains("strict_symmetric")) {
      bool strict = false;
      LITEMP_RETURN_IF_ERROR(r.Bool(qa["strict_symmetric"], "quantizer_args.strict_symmetric", &strict));
      f.strict_symmetric = strict;
    }
  }
  for (const char* section : {"activation_encodings", "param_encodings"}) {
    const auto kind = std::string(section) == "param_encodings" ? FileEncoding::kParam : FileEncoding::kActivation;
    if (!j.contains(section)) continue;  // AIMET omits empty sections
    const json& s = j[section];
    if (f.version == "1.0.0") {
      if (!s.is_array()) return r.Bad(section, "must be a list");
      for (size_t i = 0; i < s.size(); ++i) {
        FileEncoding e;
        e.section = kind;
        LITEMP_RETURN_IF_ERROR(r.Entry100(s[i], std::string(section) + "[" + std::to_string(i) + "]", &e));
        f.entries.push_back(std::move(e));
      }
    } else {
      if (!s.is_object()) return r.Bad(section, "must be an object keyed by tensor name");
      for (auto it = s.begin(); it != s.end(); ++it) {
        FileEncoding e;
        e.section = kind;
        LITEMP_RETURN_IF_ERROR(r.Entry061(it.key(), it.value(), std::string(section) + "." + it.key(), &e));
        f.entries.push_back(std::move(e));
      }
    }
  }
  return f;
}

}  // namespace litemp
