// The inline SVG charts of report.html. Geometry is in CSS pixels; names are drawn in a
// monospace face, so cutting them to a number of characters keeps columns aligned.
// Styling lives in the page's CSS (classes used here: see html.cc).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "report/html_parts.h"
#include "report/report_util.h"

namespace litemp::report {
namespace {

constexpr char kEllipsis[] = "\xE2\x80\xA6";  // …

// Byte offsets of each code point start in valid UTF-8 text.
std::vector<size_t> CodePoints(std::string_view s) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  return starts;
}

std::string Px(double v) { return Fixed(v, 1); }

struct Axis {
  double lo, hi, step;
};

// Round-number axis covering [lo, hi] with about `ticks` intervals.
Axis NiceAxis(double lo, double hi, int ticks) {
  if (!(hi > lo)) hi = lo + 1;
  double raw = (hi - lo) / ticks;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double norm = raw / mag;
  double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  return {std::floor(lo / step + 1e-9) * step, std::ceil(hi / step - 1e-9) * step, step};
}

// Tick label with just enough decimals for the step.
std::string TickLabel(double v, double step) {
  int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  return Fixed(v, decimals);
}

std::string Text(double x, double y, const std::string& cls, const std::string& body,
                 const char* anchor = nullptr) {
  std::string s = "<text x=\"" + Px(x) + "\" y=\"" + Px(y) + "\"";
  if (!cls.empty()) s += " class=\"" + cls + "\"";
  if (anchor) s += std::string(" text-anchor=\"") + anchor + "\"";
  return s + ">" + body + "</text>";
}

std::string Line(double x1, double y1, double x2, double y2, const std::string& cls) {
  return "<line x1=\"" + Px(x1) + "\" y1=\"" + Px(y1) + "\" x2=\"" + Px(x2) + "\" y2=\"" + Px(y2) +
         "\" class=\"" + cls + "\"/>";
}

std::string Rect(double x, double y, double w, double h, const std::string& extra) {
  return "<rect x=\"" + Px(x) + "\" y=\"" + Px(y) + "\" width=\"" + Px(std::max(0.0, w)) +
         "\" height=\"" + Px(h) + "\" " + extra + "/>";
}

std::string SvgOpen(double w, double h, const std::string& cls, const std::string& label) {
  return "<svg class=\"" + cls + "\" width=\"" + Px(w) + "\" height=\"" + Px(h) + "\" viewBox=\"0 0 " +
         Px(w) + " " + Px(h) + "\" role=\"img\" aria-label=\"" + Esc(label) + "\">";
}

std::string PsnrText(double p) {
  if (std::isnan(p)) return "n/a";
  if (std::isinf(p)) return p > 0 ? "\xE2\x88\x9E" : "-\xE2\x88\x9E";  // ∞
  return Fixed(p, 2);
}

}  // namespace

std::string Esc(std::string_view s) { return HtmlEscape(ValidUtf8(s)); }

std::string ShortName(std::string_view name, size_t max_chars) {
  std::string valid = ValidUtf8(name);
  std::string_view s = valid;
  bool cut = false;
  size_t semi = s.find(';');
  if (semi != std::string_view::npos && semi > 0) {
    s = s.substr(0, semi);
    cut = true;
  }
  std::vector<size_t> cps = CodePoints(s);
  size_t budget = max_chars < 2 ? 1 : max_chars - (cut ? 1 : 0);
  if (cps.size() <= budget) return std::string(s) + (cut ? kEllipsis : "");
  // Keep the head (scope) and the tail (op kind), drop the middle.
  budget = max_chars < 2 ? 1 : max_chars - 1;
  size_t tail = budget / 3, head = budget - tail;
  std::string out(s.substr(0, cps[head]));
  out += kEllipsis;
  out += s.substr(cps[cps.size() - tail]);
  return out;
}

std::string PrecisionColor(std::string_view p) {
  if (p == "w8a8" || p == "int8") return "#4c78a8";
  if (p == "w16a16" || p == "int16") return "#f58518";
  if (p == "fp16" || p == "float16") return "#b279a2";
  if (p == "w8a16") return "#54a24b";
  if (p == "w16a8") return "#e0b000";
  if (p == "w8fp16" || p == "w16fp16") return "#e45756";
  if (p == "fp32" || p.empty()) return "#b4b9bf";
  // Anything else (w4a8, ...): a stable pick from the remaining palette.
  static const char* kOthers[] = {"#72b7b2", "#9d755d", "#ff9da6", "#6f4e7c"};
  size_t h = 0;
  for (char c : p) h = h * 31 + static_cast<unsigned char>(c);
  return kOthers[h % 4];
}

std::string SensitivityChartSvg(const RunReport& r, const std::vector<int>& ranked) {
  const int n = static_cast<int>(ranked.size());
  constexpr double kW = 1100, kRow = 17, kBar = 11, kTop = 34, kGap = 26, kBottom = 46;
  constexpr double kRankX = 30, kNameX = 40, kOpX = 398, kX0 = 520, kX1 = 1012;
  constexpr size_t kNameChars = 52, kOpChars = 17;

  double lo = 0, hi = 0;
  bool any = false;
  for (int i : ranked) {
    double p = r.sensitivity[i].psnr;
    if (!std::isfinite(p)) continue;
    lo = std::min(lo, p);
    hi = any ? std::max(hi, p) : std::max(0.0, p);
    any = true;
  }
  const Axis ax = NiceAxis(lo, any && hi > lo ? hi : lo + 1, 8);
  auto x_of = [&](double v) { return kX0 + (v - ax.lo) / (ax.hi - ax.lo) * (kX1 - kX0); };

  // The cut-off follows the last flipped row; with a percent/threshold/budget flip the
  // flipped layers are exactly the leading rows.
  int cut = 0, flipped = 0;
  for (int k = 0; k < n; ++k) {
    if (r.sensitivity[ranked[k]].flipped) {
      cut = k + 1;
      ++flipped;
    }
  }
  auto row_y = [&](int k) { return kTop + k * kRow + (cut > 0 && k >= cut ? kGap : 0); };
  const double rows_end = row_y(n);
  const double h = rows_end + kBottom;

  std::string s = SvgOpen(kW, h, "chart bars", "Per-layer PSNR, most sensitive first");
  // Column heads and the axis, top and bottom.
  s += Text(kRankX, kTop - 12, "hd", "rank", "end");
  s += Text(kNameX, kTop - 12, "hd", "layer");
  s += Text(kOpX, kTop - 12, "hd", "op");
  for (double v = ax.lo; v <= ax.hi + ax.step * 1e-6; v += ax.step) {
    double x = x_of(v);
    s += Line(x, kTop - 4, x, rows_end + 2, std::abs(v) < ax.step * 1e-6 ? "grid zero" : "grid");
    std::string label = TickLabel(v, ax.step);
    s += Text(x, kTop - 12, "tick", label, "middle");
    s += Text(x, rows_end + 15, "tick", label, "middle");
  }
  s += Text((kX0 + kX1) / 2, rows_end + 36, "axis",
            "PSNR (dB) of the FP32 output with only this layer quantized \xC2\xB7 shorter bar = more sensitive",
            "middle");

  for (int k = 0; k < n; ++k) {
    const LayerReport& l = r.sensitivity[ranked[k]];
    const double y = row_y(k);
    const double ty = y + kRow / 2 + 3.8;
    std::string title = std::string("#") + std::to_string(k + 1) + "  " + Esc(l.name) + "\n" + Esc(l.op_type) +
                        " \xC2\xB7 PSNR " + Esc(PsnrText(l.psnr)) + " dB \xC2\xB7 " +
                        Esc(l.precision.empty() ? "-" : l.precision) + (l.flipped ? " (flipped)" : "");
    s += std::string("<g class=\"row") + (l.flipped ? " flip" : "") + "\"><title>" + title + "</title>";
    s += Rect(0, y, kW, kRow, std::string("class=\"bg") + (k % 2 ? " odd" : "") + "\"");
    s += Text(kRankX, ty, "rk", std::to_string(k + 1), "end");
    s += Text(kNameX, ty, "nm", Esc(ShortName(l.name, kNameChars)));
    s += Text(kOpX, ty, "op", Esc(ShortName(l.op_type, kOpChars)));
    const std::string fill = l.flipped ? PrecisionColor(l.precision) : PrecisionColor("w8a8");
    double p = l.psnr, label_x;
    if (std::isnan(p)) {
      label_x = x_of(0) + 4;
    } else {
      double v = std::isinf(p) ? (p > 0 ? ax.hi : ax.lo) : p;
      double xa = x_of(std::min(0.0, v)), xb = x_of(std::max(0.0, v));
      // An infinite PSNR (quantizing the layer changed nothing) has no true length: draw it faded.
      s += Rect(xa, y + (kRow - kBar) / 2, std::max(xb - xa, 1.0), kBar,
                "rx=\"2\" fill=\"" + fill + "\"" + (std::isinf(p) ? " fill-opacity=\"0.35\"" : ""));
      label_x = std::max(xb, x_of(0)) + 4;
    }
    s += Text(label_x, ty, "val", Esc(PsnrText(p)));
    s += "</g>";
  }

  if (cut > 0) {
    const double y = row_y(cut) - kGap / 2;
    s += Line(4, y, kW - 4, y, "cut");
    const LayerReport& last = r.sensitivity[ranked[cut - 1]];
    std::string above = "\xE2\x96\xB2 " + std::to_string(flipped) + " of " + std::to_string(n) +
                        " layers flipped to " + Esc(r.precision.empty() ? last.precision : r.precision);
    if (r.command != "analyze" && r.percent > 0) above += " (" + Esc(Short(r.percent, 6)) + "%)";
    s += Text(kNameX, y + 4, "cutlbl", above);
    if (cut < n) {
      std::string below = "\xE2\x96\xBC " + std::to_string(n - cut) + " kept at base precision \xC2\xB7 cut-off between " +
                          Esc(PsnrText(last.psnr)) + " and " +
                          Esc(PsnrText(r.sensitivity[ranked[cut]].psnr)) + " dB";
      s += Text(kW - 8, y + 4, "cutlbl2", below, "end");
    }
  }
  s += "</svg>";
  return s;
}

std::string PrecisionMapSvg(const RunReport& r, const std::vector<int>& rank) {
  const int n = static_cast<int>(r.sensitivity.size());
  constexpr double kPitch = 22, kCell = 19, kGutter = 46;
  constexpr int kCols = 48;
  const int cols = std::min(n, kCols), rows = (n + kCols - 1) / kCols;
  const double w = kGutter + cols * kPitch + 2, h = rows * kPitch + 4;
  std::string s = SvgOpen(w, h, "chart pmap", "Precision of each layer in graph order");
  for (int row = 0; row < rows; ++row) {
    s += Text(kGutter - 8, 2 + row * kPitch + kCell / 2 + 4, "tick", std::string("#") + std::to_string(row * kCols + 1), "end");
  }
  for (int i = 0; i < n; ++i) {
    const LayerReport& l = r.sensitivity[i];
    const double x = kGutter + (i % kCols) * kPitch, y = 2 + (i / kCols) * kPitch;
    std::string title = std::string("#") + std::to_string(i + 1) + "  " + Esc(l.name) + "\n" + Esc(l.op_type) + " \xC2\xB7 " +
                        Esc(l.precision.empty() ? "-" : l.precision) + (l.flipped ? " (flipped)" : "") +
                        " \xC2\xB7 PSNR " + Esc(PsnrText(l.psnr)) + " dB \xC2\xB7 rank " +
                        std::to_string(rank[i]) + " of " + std::to_string(n);
    s += "<g><title>" + title + "</title>";
    s += Rect(x, y, kCell, kCell,
              std::string("rx=\"3\" fill=\"") + PrecisionColor(l.precision) + "\"" +
                  (l.flipped ? " class=\"cell flip\"" : " class=\"cell\""));
    if (l.flipped) s += Text(x + kCell / 2, y + kCell / 2 + 3.5, "cellrk", std::to_string(rank[i]), "middle");
    s += "</g>";
  }
  s += "</svg>";
  return s;
}

std::string PercentCurveSvg(const RunReport& r) {
  if (r.percent_curve.empty()) return "";
  std::vector<PercentPoint> pts = r.percent_curve;
  std::stable_sort(pts.begin(), pts.end(), [](const PercentPoint& a, const PercentPoint& b) {
    return a.percent < b.percent;
  });
  // With labels the curve is top-1 (%); without, the mixed model's PSNR against FP32 (dB).
  const bool acc = r.fp32.has_value();
  auto value = [acc](const PercentPoint& p) {
    if (acc) return p.top1 * 100;
    return p.fidelity ? p.fidelity->psnr : std::nan("");
  };
  const char* unit = acc ? "%" : " dB";
  constexpr double kW = 1100, kH = 360, kL = 62, kR = 130, kT = 22, kB = 50;
  double xmax = std::max(pts.back().percent, r.command == "analyze" ? 0.0 : r.percent);
  const Axis ax = NiceAxis(std::min(0.0, pts.front().percent), std::max(xmax, 1e-9), 10);
  double ylo = 1e300, yhi = -1e300;
  auto take = [&](double v) {
    if (!std::isfinite(v)) return;
    ylo = std::min(ylo, v);
    yhi = std::max(yhi, v);
  };
  for (const auto& p : pts) take(value(p));
  if (r.fp32) take(r.fp32->top1 * 100);
  if (r.w8a8) take(r.w8a8->top1 * 100);
  if (!acc && r.w8a8_fidelity) take(r.w8a8_fidelity->psnr);
  if (ylo > yhi) ylo = 0, yhi = 100;
  double pad = std::max((yhi - ylo) * 0.12, 0.05);
  const Axis ay = acc ? NiceAxis(std::max(0.0, ylo - pad), std::min(100.0, yhi + pad), 6)
                      : NiceAxis(ylo - pad, yhi + pad, 6);
  auto x_of = [&](double v) { return kL + (v - ax.lo) / (ax.hi - ax.lo) * (kW - kL - kR); };
  auto y_of = [&](double v) { return kH - kB - (v - ay.lo) / (ay.hi - ay.lo) * (kH - kT - kB); };

  std::string s = SvgOpen(kW, kH, "chart curve", acc ? "Top-1 accuracy against percent of layers flipped"
                                                       : "PSNR against FP32 by percent of layers flipped");
  for (double v = ay.lo; v <= ay.hi + ay.step * 1e-6; v += ay.step) {
    s += Line(kL, y_of(v), kW - kR, y_of(v), "grid");
    s += Text(kL - 8, y_of(v) + 4, "tick", TickLabel(v, ay.step), "end");
  }
  for (double v = ax.lo; v <= ax.hi + ax.step * 1e-6; v += ax.step) {
    s += Line(x_of(v), kT, x_of(v), kH - kB, "grid");
    s += Text(x_of(v), kH - kB + 16, "tick", TickLabel(v, ax.step), "middle");
  }
  s += Line(kL, kH - kB, kW - kR, kH - kB, "axisline");
  s += Line(kL, kT, kL, kH - kB, "axisline");
  s += Text((kL + kW - kR) / 2, kH - 10, "axis", "layers flipped (% of the sweep)", "middle");
  s += "<text class=\"axis\" text-anchor=\"middle\" transform=\"translate(16 " + Px((kT + kH - kB) / 2) +
       ") rotate(-90)\">" + std::string(acc ? "top-1 accuracy (%)" : "PSNR vs FP32 (dB)") + "</text>";

  // Reference levels; labels sit in the right margin, nudged apart when they would touch.
  struct Ref {
    const char* name;
    const char* cls;
    double v;
  };
  std::vector<Ref> refs;
  if (r.fp32 && std::isfinite(r.fp32->top1)) refs.push_back({"FP32", "ref fp32", r.fp32->top1 * 100});
  if (r.w8a8 && std::isfinite(r.w8a8->top1)) refs.push_back({"W8A8", "ref w8a8", r.w8a8->top1 * 100});
  if (!acc && r.w8a8_fidelity && std::isfinite(r.w8a8_fidelity->psnr))
    refs.push_back({"W8A8", "ref w8a8", r.w8a8_fidelity->psnr});
  double prev_label_y = -1e9;
  std::sort(refs.begin(), refs.end(), [](const Ref& a, const Ref& b) { return a.v > b.v; });
  for (const auto& ref : refs) {
    double y = y_of(ref.v);
    s += Line(kL, y, kW - kR, y, ref.cls);
    double ly = std::max(y + 4, prev_label_y + 14);
    prev_label_y = ly;
    s += Text(kW - kR + 6, ly, std::string("reflbl ") + (ref.name[0] == 'F' ? "fp32" : "w8a8"),
              std::string(ref.name) + " " + Fixed(ref.v, 2) + unit);
  }
  if (r.command != "analyze" && r.percent > 0) {
    double x = x_of(r.percent);
    s += Line(x, kT, x, kH - kB, "chosen");
    s += Text(x + 4, kT + 10, "chosenlbl", "chosen " + Esc(Short(r.percent, 6)) + "%");
  }
  std::string poly;
  for (const auto& p : pts) {
    if (!std::isfinite(value(p))) continue;
    poly += Px(x_of(p.percent)) + "," + Px(y_of(value(p))) + " ";
  }
  if (!poly.empty()) poly.pop_back();
  s += "<polyline class=\"curveline\" points=\"" + poly + "\"/>";
  // Value labels above the points, skipping any that would overprint the previous one.
  double last_x = -1e9, last_y = 0;
  for (const auto& p : pts) {
    if (!std::isfinite(value(p))) continue;
    double x = x_of(p.percent), y = y_of(value(p));
    s += "<g><title>" + Esc(Short(p.percent, 6)) + "% \xC2\xB7 " + std::to_string(p.flipped) +
         " layers flipped \xC2\xB7 " + (acc ? "top-1 " : "PSNR ") + Fixed(value(p), 2) + unit + "</title>";
    s += "<circle cx=\"" + Px(x) + "\" cy=\"" + Px(y) + "\" r=\"4\" class=\"pt\"/>";
    if (x - last_x >= 40 || std::abs(y - last_y) >= 14) {
      // Next to the y axis a centred label would run into the tick labels.
      bool edge = x - kL < 20;
      s += Text(edge ? x + 6 : x, y - 9, "ptlbl", Fixed(value(p), 2), edge ? "start" : "middle");
      last_x = x;
      last_y = y;
    }
    s += "</g>";
  }
  s += "</svg>";
  return s;
}

}  // namespace litemp::report
