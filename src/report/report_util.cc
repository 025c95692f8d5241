#include "report/report_util.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

namespace litemp::report {

double RoundTo(double v, int digits) {
  if (!std::isfinite(v)) return v;
  double scale = std::pow(10.0, digits);
  double r = std::round(v * scale) / scale;
  if (!std::isfinite(r)) return v;  // |v| so large that scaling overflowed: already "round"
  return r == 0 ? 0.0 : r;          // no "-0.0"
}

namespace {

std::string NonFinite(double v) {
  if (std::isnan(v)) return "nan";
  return v < 0 ? "-inf" : "inf";
}

}  // namespace

std::string Fixed(double v, int digits) {
  if (!std::isfinite(v)) return NonFinite(v);
  v = RoundTo(v, digits);
  char buf[512];
  auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed, digits);
  if (res.ec != std::errc()) return Short(v, 6);
  return std::string(buf, res.ptr);
}

std::string Short(double v, int sig) {
  if (!std::isfinite(v)) return NonFinite(v);
  if (v == 0) return "0";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::general, sig);
  return std::string(buf, res.ptr);
}

std::string CsvField(std::string_view s) {
  bool quote = !s.empty() && (s.front() == ' ' || s.back() == ' ');
  for (char c : s) {
    if (c == ',' || c == '"' || c == ';' || c == '\n' || c == '\r') quote = true;
  }
  if (!quote) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // Control characters other than tab/newline are invalid in HTML text; drop them.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') {
          out += "&#xFFFD;";
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string ValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= s.size();
    for (int k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) >> 6) == 0x2;
    if (ok && len > 1) {
      // Reject overlong forms, surrogates and code points past U+10FFFF.
      uint32_t cp = c & (0x7F >> len);
      for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
      static constexpr uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
      ok = cp >= kMin[len] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
    }
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

std::vector<int> RankedOrder(const RunReport& r) {
  std::vector<int> idx(r.sensitivity.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = static_cast<int>(i);
  // NaN would break strict weak ordering; it sorts after every number (even +inf).
  auto key = [&](int i) {
    double p = r.sensitivity[i].psnr;
    return std::make_pair(std::isnan(p) ? 1 : 0, std::isnan(p) ? 0.0 : p);
  };
  std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) { return key(a) < key(b); });
  return idx;
}

namespace {

template <class V>
std::vector<std::pair<std::string, V>> Ordered(const std::map<std::string, V>& m,
                                               std::initializer_list<const char*> first,
                                               std::initializer_list<const char*> last) {
  std::vector<std::pair<std::string, V>> out;
  std::set<std::string> used;
  auto take = [&](std::initializer_list<const char*> keys) {
    for (const char* k : keys) {
      auto it = m.find(k);
      if (it != m.end() && used.insert(k).second) out.emplace_back(*it);
    }
  };
  take(first);
  std::set<std::string> tail(last.begin(), last.end());
  for (const auto& kv : m) {  // std::map iterates alphabetically
    if (!used.count(kv.first) && !tail.count(kv.first)) out.emplace_back(kv);
  }
  take(last);
  return out;
}

}  // namespace

std::vector<std::pair<std::string, double>> OrderedTimings(const RunReport& r) {
  return Ordered(r.timings_s,
                 {"load", "calibrate", "sensitivity", "layer_mse", "flip", "recalibrate", "percent_sweep_calibrate",
                  "load_eval_data", "fp32_eval", "w8a8_eval", "mixed_eval", "percent_sweep_eval", "export"},
                 {"total"});
}

std::vector<std::pair<std::string, int64_t>> OrderedSamples(const RunReport& r) {
  return Ordered(r.samples, {"total", "calib", "sens", "eval"}, {});
}

}  // namespace litemp::report
