// report.html: one self-contained page (inline CSS and SVG, no scripts, no network) for the
// engineer deciding whether the mixed-precision model is good enough, and why.
// Sections: header and key numbers, accuracy, timings, precision map, accuracy-vs-percent
// curve, per-layer PSNR bars, the full layer table. No timestamps, so reruns diff cleanly.
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "litemp/report.h"
#include "report/html_parts.h"
#include "report/report_util.h"

namespace litemp {
namespace {

using report::Esc;
using report::Fixed;

constexpr char kMinus[] = "\xE2\x88\x92";  // − (U+2212), reads better than '-' in tables
constexpr char kDot[] = " \xC2\xB7 ";      // " · "
constexpr char kArrow[] = " \xE2\x86\x92 ";

constexpr char kCss[] = R"css(
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--accent:#0969da;--bad:#cf222e;--good:#1a7f37}
*{box-sizing:border-box}
body{margin:0;background:#eef1f4;color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","Liberation Sans","DejaVu Sans",Arial,sans-serif}
.page{max-width:1200px;margin:0 auto;padding:0 20px 40px}
header.top{background:#1f2937;color:#f3f4f6;padding:22px 0 18px;margin-bottom:18px}
header.top .page{padding-bottom:0}
.kicker{font-size:12px;letter-spacing:.08em;text-transform:uppercase;color:#9ca3af;margin:0}
h1{font-size:26px;margin:2px 0 4px;font-weight:650;word-break:break-all}
.path{font:12px/1.4 ui-monospace,"DejaVu Sans Mono","Liberation Mono",Menlo,Consolas,monospace;color:#9ca3af;margin:0 0 12px;word-break:break-all}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin:0;padding:0;list-style:none}
.chips li{background:#374151;border-radius:12px;padding:2px 10px;font-size:12.5px}
.chips b{color:#fff;font-weight:600}
.chips span{color:#9ca3af}
nav{margin-top:14px;font-size:13px}
nav a{color:#93c5fd;text-decoration:none;margin-right:16px}
nav a:hover{text-decoration:underline}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin:0 0 16px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px}
.card .k{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
.card .v{font-size:26px;font-weight:650;font-variant-numeric:tabular-nums;line-height:1.25;margin-top:2px}
.card .s{font-size:12.5px;color:var(--muted);overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.card.hl{border-top:3px solid var(--accent)}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:18px 22px 20px;margin:0 0 16px}
.two{display:grid;grid-template-columns:3fr 2fr;gap:16px;align-items:start}
.two section{margin:0}
.two+section{margin-top:16px}
h2{font-size:17px;margin:0 0 2px;font-weight:650}
p.sub{color:var(--muted);font-size:13px;margin:0 0 14px}
table{border-collapse:collapse;width:100%;font-size:13.5px}
th,td{padding:6px 10px;text-align:left;border-bottom:1px solid #e8ecf0;vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600;background:var(--soft);white-space:nowrap}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.total td{font-weight:650;border-top:2px solid var(--line)}
.neg{color:var(--bad)}.pos{color:var(--good)}.zero{color:var(--muted)}
.recover{margin-top:14px;padding:10px 14px;background:var(--soft);border-radius:6px;font-size:13.5px}
.meter{height:8px;background:#dde3ea;border-radius:4px;margin-top:8px;overflow:hidden}
.meter i{display:block;height:100%;background:var(--good)}
.share{display:inline-block;height:8px;background:#8fb3e0;border-radius:2px;vertical-align:middle}
.legend{display:flex;flex-wrap:wrap;gap:16px;font-size:13px;margin:0 0 10px;padding:0;list-style:none}
.legend li{display:flex;align-items:center;gap:6px}
.sw{display:inline-block;width:13px;height:13px;border-radius:3px}
.sw.flip{outline:2px solid #1f2328;outline-offset:-2px}
.scroll{overflow-x:auto}
.mono{font-family:ui-monospace,"DejaVu Sans Mono","Liberation Mono",Menlo,Consolas,monospace;font-size:12.5px}
td.name{overflow-wrap:anywhere;min-width:280px}
td.name .alias{color:#8c959f;font-size:11.5px}
tr.mixed td{background:#f0f6ff}
.pill{display:inline-block;color:#fff;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;white-space:nowrap}
.layers tr.flip td{background:#fff8ee}
.layers tr.flip td:first-child{box-shadow:inset 4px 0 0 var(--c)}
.layers thead th{position:sticky;top:0}
th .sort{color:var(--accent)}
.note{color:var(--muted);font-size:13px}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:24px}
svg.chart{display:block;font:11px system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans","DejaVu Sans",Arial,sans-serif}
svg.chart .nm,svg.chart .op{font-family:ui-monospace,"DejaVu Sans Mono","Liberation Mono",Menlo,Consolas,monospace;font-size:11px}
svg.chart .op{fill:var(--muted)}
svg.chart .rk,svg.chart .tick{fill:var(--muted);font-variant-numeric:tabular-nums}
svg.chart .tick{font-size:10.5px}
svg.chart .hd{fill:var(--muted);font-weight:600;font-size:11px}
svg.chart .axis{fill:var(--muted);font-size:12px}
svg.chart .grid{stroke:#e6eaee;stroke-width:1}
svg.chart .grid.zero,svg.chart .axisline{stroke:#8c959f}
svg.chart .bg{fill:transparent}
svg.chart .bg.odd{fill:#f6f8fa}
svg.chart .row:hover .bg{fill:#fff1c7}
svg.chart .val{fill:#3d444d;font-variant-numeric:tabular-nums;font-size:10.5px}
svg.chart .row.flip .nm,svg.chart .row.flip .val,svg.chart .row.flip .rk{font-weight:700;fill:var(--fg)}
svg.chart .cut{stroke:var(--bad);stroke-width:1.5;stroke-dasharray:6 4}
svg.chart .cutlbl,svg.chart .cutlbl2{font-size:12px;font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:6px;stroke-linejoin:round}
svg.chart .cutlbl{fill:var(--bad)}
svg.chart .cutlbl2{fill:var(--muted)}
svg.chart .cell.flip{stroke:#1f2328;stroke-width:2}
svg.chart g:hover>.cell{opacity:.75}
svg.chart .cellrk{fill:#fff;font-size:9.5px;font-weight:700;pointer-events:none}
svg.chart .curveline{fill:none;stroke:var(--accent);stroke-width:2.5;stroke-linejoin:round}
svg.chart .pt{fill:#fff;stroke:var(--accent);stroke-width:2}
svg.chart .ptlbl{fill:var(--accent);font-size:10.5px;font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:4px}
svg.chart .ref{stroke-width:1.5;stroke-dasharray:6 4}
svg.chart .ref.fp32{stroke:var(--good)}
svg.chart .ref.w8a8{stroke:#8c959f}
svg.chart .reflbl{font-size:12px;font-weight:600}
svg.chart .reflbl.fp32{fill:var(--good)}
svg.chart .reflbl.w8a8{fill:#6e7781}
svg.chart .chosen{stroke:#f58518;stroke-width:1.5;stroke-dasharray:2 3}
svg.chart .chosenlbl{fill:#c2410c;font-size:11.5px;font-weight:600}
@media print{body{background:#fff}header.top{background:#fff;color:var(--fg)}section,.card{break-inside:avoid}}
)css";

std::string Pct(double frac) {
  if (!std::isfinite(frac)) return "n/a";
  return Fixed(frac * 100, 2) + "%";
}

// A difference of two fractions in percentage points, signed and coloured.
std::string DeltaPp(double delta_frac) {
  if (!std::isfinite(delta_frac)) return "<span class=\"zero\">n/a</span>";
  double pp = report::RoundTo(delta_frac * 100, 2);
  if (pp == 0) return "<span class=\"zero\">0.00 pp</span>";
  std::string body = (pp < 0 ? kMinus : "+") + Fixed(std::abs(pp), 2) + " pp";
  return std::string("<span class=\"") + (pp < 0 ? "neg" : "pos") + "\">" + body + "</span>";
}

std::string Psnr(double p, int digits) {
  if (std::isnan(p)) return "n/a";
  if (std::isinf(p)) return p > 0 ? "\xE2\x88\x9E" : "-\xE2\x88\x9E";
  return (p < 0 ? kMinus : "") + Fixed(std::abs(p), digits);
}

std::string Basename(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Share of the FP32 -> W8A8 drop the mixed model wins back; nullopt when W8A8 lost nothing.
std::optional<double> Recovered(double fp32, double w8a8, double mixed) {
  double drop = fp32 - w8a8;
  if (!std::isfinite(drop) || !std::isfinite(mixed) || drop <= 1e-12) return std::nullopt;
  return (mixed - w8a8) / drop;
}

// A layer name for a table cell: line breaks allowed after '/' and ';', and for TF-style
// names ("scope/op;alias;alias") the aliases after the first ';' are muted.
std::string NameHtml(const std::string& name) {
  std::string valid = report::ValidUtf8(name);
  size_t semi = valid.find(';');
  auto part = [](std::string_view text) {
    std::string out;
    size_t start = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '/' || text[i] == ';') {
        out += report::HtmlEscape(text.substr(start, i + 1 - start)) + "<wbr>";
        start = i + 1;
      }
    }
    return out + report::HtmlEscape(text.substr(start));
  };
  if (semi == std::string::npos || semi == 0) return part(valid);
  return part(std::string_view(valid).substr(0, semi)) + "<span class=\"alias\">" +
         part(std::string_view(valid).substr(semi)) + "</span>";
}

std::string Card(const std::string& key, const std::string& value, const std::string& sub, bool hl = false) {
  return std::string("<div class=\"card") + (hl ? " hl" : "") + "\"><div class=\"k\">" + key +
         "</div><div class=\"v\">" + value + "</div><div class=\"s\">" + sub + "</div></div>";
}

int FlippedCount(const RunReport& r) {
  int n = 0;
  for (const auto& l : r.sensitivity) n += l.flipped ? 1 : 0;
  return std::max(n, static_cast<int>(r.flipped.size()));
}

std::string FlipPrecision(const RunReport& r) {
  if (!r.precision.empty()) return r.precision;
  for (const auto& l : r.sensitivity) {
    if (l.flipped) return l.precision;
  }
  return "higher precision";
}

std::string Header(const RunReport& r) {
  std::string s = "<header class=\"top\"><div class=\"page\">";
  s += "<p class=\"kicker\">litemp" + std::string(kDot) +
       (r.command == "analyze" ? "per-layer sensitivity analysis" : "lite mixed-precision report") + "</p>";
  s += "<h1>" + Esc(r.model.empty() ? std::string("model") : Basename(r.model)) + "</h1>";
  if (!r.model.empty()) s += "<p class=\"path\">" + Esc(r.model) + "</p>";
  s += "<ul class=\"chips\">";
  auto chip = [&](const std::string& k, const std::string& v) {
    if (!v.empty()) s += "<li><span>" + k + "</span> <b>" + Esc(v) + "</b></li>";
  };
  chip("command", r.command);
  if (r.command != "analyze") {
    chip("flip", report::Short(r.percent, 6) + "%");
    chip("to", r.precision);
  }
  chip("scheme", r.scheme);
  chip("config", r.config);
  chip("layers", std::to_string(r.layers));
  for (const auto& [k, v] : report::OrderedSamples(r)) chip(k + " samples", std::to_string(v));
  s += "</ul><nav>";
  if (r.fp32 || r.w8a8 || r.mixed) s += "<a href=\"#accuracy\">Accuracy</a>";
  if (r.w8a8_fidelity || r.mixed_fidelity) s += "<a href=\"#fidelity\">Fidelity</a>";
  s += "<a href=\"#map\">Precision map</a>";
  if (!r.percent_curve.empty())
    s += std::string("<a href=\"#curve\">") + (r.fp32 ? "Accuracy" : "Fidelity") + " vs. percent</a>";
  s += "<a href=\"#sensitivity\">Sensitivity</a><a href=\"#timings\">Timings</a><a href=\"#layers\">All layers</a>";
  s += "</nav></div></header>";
  return s;
}

std::string Cards(const RunReport& r, const std::vector<int>& ranked) {
  std::string s = "<div class=\"cards\">";
  if (r.fp32) s += Card("FP32 top-1", Pct(r.fp32->top1), "top-5 " + Pct(r.fp32->top5));
  if (r.w8a8) {
    s += Card("W8A8 top-1", Pct(r.w8a8->top1), r.fp32 ? DeltaPp(r.w8a8->top1 - r.fp32->top1) + " vs FP32" : "");
  }
  if (r.mixed) {
    s += Card("Mixed top-1", Pct(r.mixed->top1),
              r.fp32 ? DeltaPp(r.mixed->top1 - r.fp32->top1) + " vs FP32" : "", true);
  }
  if (r.fp32 && r.w8a8 && r.mixed) {
    auto rec = Recovered(r.fp32->top1, r.w8a8->top1, r.mixed->top1);
    s += rec ? Card("Drop recovered", Fixed(*rec * 100, 0) + "%", "of the W8A8 top-1 loss")
             : Card("Drop recovered", "&ndash;", "W8A8 lost no top-1");
  }
  if (!r.fp32) {  // no labels: fidelity to FP32 is the headline
    auto fid = [&](const char* key, const std::optional<Fidelity>& f, bool hl) {
      if (!f) return;
      s += Card(key, Psnr(f->psnr, 2) + " <small>dB</small>",
                f->top1_agreement ? "top-1 agrees with FP32 on " + Pct(*f->top1_agreement) : "SQNR " + Psnr(f->sqnr, 2) + " dB",
                hl);
    };
    fid("W8A8 PSNR vs FP32", r.w8a8_fidelity, false);
    fid("Mixed PSNR vs FP32", r.mixed_fidelity, true);
  }
  if (r.command != "analyze") {
    s += Card("Layers flipped", std::to_string(FlippedCount(r)) + " <small>/ " + std::to_string(r.layers) + "</small>",
              "to " + Esc(FlipPrecision(r)));
  } else {
    s += Card("Layers analysed", std::to_string(r.layers), "one quantized at a time");
  }
  if (!ranked.empty()) {
    const LayerReport& top = r.sensitivity[ranked.front()];
    s += Card("Lowest PSNR", Psnr(top.psnr, 2) + " <small>dB</small>",
              "<span title=\"" + Esc(top.name) + "\">" + Esc(report::ShortName(top.name, 40)) + "</span>");
  }
  // A run already fills a row; analyze has room for the spread and the cost of the sweep.
  if (r.command == "analyze" || !r.mixed) {
    if (!ranked.empty()) {
      const LayerReport& mid = r.sensitivity[ranked[ranked.size() / 2]];
      s += Card("Median PSNR", Psnr(mid.psnr, 2) + " <small>dB</small>",
                "over " + std::to_string(ranked.size()) + " layers");
    }
    auto total = r.timings_s.find("total");
    if (total != r.timings_s.end()) s += Card("Total time", Fixed(total->second, 1) + " <small>s</small>", "");
  }
  s += "</div>";
  return s;
}

std::string AccuracySection(const RunReport& r) {
  if (!r.fp32 && !r.w8a8 && !r.mixed) return "";
  std::string s = "<section id=\"accuracy\"><h2>Accuracy</h2><p class=\"sub\">Top-1 / top-5 on the evaluation set; "
                  "deltas in percentage points against FP32.</p>";
  s += "<table><thead><tr><th>Model</th><th class=\"n\">Top-1</th><th class=\"n\">&Delta; top-1</th>"
       "<th class=\"n\">Top-5</th><th class=\"n\">&Delta; top-5</th><th class=\"n\">Samples</th></tr></thead><tbody>";
  auto row = [&](const std::string& name, const std::optional<AccuracyResult>& a) {
    if (!a) return;
    s += std::string(&a == &r.mixed ? "<tr class=\"mixed\">" : "<tr>") + "<td>" + name + "</td><td class=\"n\"><b>" + Pct(a->top1) + "</b></td><td class=\"n\">" +
         (r.fp32 && &a != &r.fp32 ? DeltaPp(a->top1 - r.fp32->top1) : std::string("&ndash;")) +
         "</td><td class=\"n\">" + Pct(a->top5) + "</td><td class=\"n\">" +
         (r.fp32 && &a != &r.fp32 ? DeltaPp(a->top5 - r.fp32->top5) : std::string("&ndash;")) +
         "</td><td class=\"n\">" + std::to_string(a->samples) + "</td></tr>";
  };
  row("FP32", r.fp32);
  row("W8A8", r.w8a8);
  const int nflip = FlippedCount(r);
  row("Mixed (" + std::to_string(nflip) + (nflip == 1 ? " layer" : " layers") + kArrow + Esc(FlipPrecision(r)) + ")", r.mixed);
  s += "</tbody></table>";
  if (r.fp32 && r.w8a8 && r.mixed) {
    auto top1 = Recovered(r.fp32->top1, r.w8a8->top1, r.mixed->top1);
    auto top5 = Recovered(r.fp32->top5, r.w8a8->top5, r.mixed->top5);
    s += "<div class=\"recover\">";
    if (top1) {
      s += "Mixed precision recovers <b>" + Fixed(*top1 * 100, 1) + "%</b> of the top-1 accuracy W8A8 loses (" +
           DeltaPp(r.mixed->top1 - r.w8a8->top1) + " of " + Fixed((r.fp32->top1 - r.w8a8->top1) * 100, 2) + " pp)";
      s += top5 ? "; top-5: " + Fixed(*top5 * 100, 1) + "%." : std::string(".");
      double fill = std::clamp(*top1, 0.0, 1.0) * 100;
      s += "<div class=\"meter\"><i style=\"width:" + Fixed(fill, 1) + "%\"></i></div>";
    } else {
      s += "W8A8 loses no top-1 accuracy against FP32 on this evaluation set; there is nothing to recover.";
    }
    s += "</div>";
  }
  s += "</section>";
  return s;
}

// PSNR / SQNR / top-1 agreement of each variant against FP32 (fidelity.h).
std::string FidelitySection(const RunReport& r) {
  if (!r.w8a8_fidelity && !r.mixed_fidelity) return "";
  const Fidelity& any = r.w8a8_fidelity ? *r.w8a8_fidelity : *r.mixed_fidelity;
  const bool agreement = any.top1_agreement.has_value();
  const bool per_output = any.outputs.size() > 1;
  std::string s = "<section id=\"fidelity\"><h2>Fidelity to FP32</h2><p class=\"sub\">Over the " +
                  std::to_string(any.samples) + " evaluation samples: PSNR (AIMET's definition, samples stacked) and "
                  "SQNR of each output against FP32, averaged over " +
                  (r.output.empty() ? std::to_string(any.outputs.size()) + (any.outputs.size() == 1 ? " output" : " outputs")
                                    : "output <span class=\"mono\">" + Esc(r.output) + "</span>") +
                  (agreement ? "; top-1 agreement: samples whose top-1 class equals FP32's" : "") +
                  ". Less noisy than accuracy on a small set.</p>";
  s += "<table><thead><tr><th>Model</th><th class=\"n\">PSNR (dB)</th><th class=\"n\">SQNR (dB)</th>";
  if (agreement) s += "<th class=\"n\">Top-1 agreement</th>";
  if (per_output)
    for (const auto& o : any.outputs) s += "<th class=\"n mono\">" + Esc(report::ShortName(o.name, 16)) + "</th>";
  s += "</tr></thead><tbody>";
  auto row = [&](const std::string& name, const std::optional<Fidelity>& f, bool mixed) {
    if (!f) return;
    s += std::string(mixed ? "<tr class=\"mixed\">" : "<tr>") + "<td>" + name + "</td><td class=\"n\"><b>" +
         Psnr(f->psnr, 2) + "</b></td><td class=\"n\">" + Psnr(f->sqnr, 2) + "</td>";
    if (agreement) s += "<td class=\"n\">" + (f->top1_agreement ? Pct(*f->top1_agreement) : std::string("&ndash;")) + "</td>";
    if (per_output)
      for (size_t j = 0; j < any.outputs.size(); ++j)
        s += "<td class=\"n\">" + (j < f->outputs.size() ? Psnr(f->outputs[j].psnr, 2) : std::string("&ndash;")) + "</td>";
    s += "</tr>";
  };
  row("W8A8", r.w8a8_fidelity, false);
  const int nflip = FlippedCount(r);
  row("Mixed (" + std::to_string(nflip) + (nflip == 1 ? " layer" : " layers") + kArrow + Esc(FlipPrecision(r)) + ")",
      r.mixed_fidelity, true);
  for (const auto& p : r.percent_curve)
    row("Sweep " + Esc(report::Short(p.percent, 6)) + "% (" + std::to_string(p.flipped) + ")", p.fidelity, false);
  s += "</tbody></table></section>";
  return s;
}

// What `litemp prepare` changed before quantizing (BN folds, constants, dropped nodes).
std::string PrepareSection(const RunReport& r) {
  if (r.prepared.empty()) return "";
  std::string s = "<section id=\"prepare\"><h2>Model preparation</h2><p class=\"sub\">Exact FP32 rewrites done before "
                  "quantizing; the sensitivity, encodings and QDQ export describe the prepared graph.</p><ul>";
  for (const auto& line : r.prepared) s += "<li>" + Esc(line) + "</li>";
  return s + "</ul></section>";
}

std::string StepName(const std::string& key) {
  static const std::map<std::string, std::string> kNames = {
      {"load", "Load model"},          {"fp32_eval", "FP32 evaluation"},   {"calibrate", "Calibration"},
      {"w8a8_eval", "W8A8 evaluation"}, {"sensitivity", "Sensitivity sweep"}, {"flip", "Flip"},
      {"recalibrate", "Recalibration"}, {"mixed_eval", "Mixed evaluation"},  {"export", "Export"},
      {"percent_sweep_calibrate", "Percent sweep: calibration"}, {"percent_sweep_eval", "Percent sweep: evaluation"},
      {"load_eval_data", "Evaluation data (decoding)"}, {"layer_mse", "Per-layer MSE"},
      {"total", "Total"}};
  auto it = kNames.find(key);
  return it != kNames.end() ? it->second : Esc(key);
}

std::string TimingsSection(const RunReport& r) {
  std::string s = "<section id=\"timings\"><h2>Timings</h2><p class=\"sub\">Wall-clock seconds per step.</p>";
  auto rows = report::OrderedTimings(r);
  if (rows.empty()) return s + "<p class=\"note\">No timings recorded.</p></section>";
  double denom = 0;
  for (const auto& [k, v] : rows) {
    if (k == "total") denom = v;
  }
  if (denom <= 0) {
    for (const auto& [k, v] : rows) denom += std::isfinite(v) && v > 0 ? v : 0;
  }
  s += "<table><thead><tr><th>Step</th><th class=\"n\">Seconds</th><th class=\"n\">Share</th><th></th></tr></thead><tbody>";
  for (const auto& [k, v] : rows) {
    bool total = k == "total";
    double share = denom > 0 && std::isfinite(v) ? std::clamp(v / denom, 0.0, 1.0) : 0;
    s += std::string("<tr") + (total ? " class=\"total\"" : "") + "><td>" + StepName(k) + "</td><td class=\"n\">" +
         Fixed(v, 3) + "</td><td class=\"n\">" + (total ? "" : Fixed(share * 100, 1) + "%") + "</td><td>" +
         (total ? "" : "<span class=\"share\" style=\"width:" + Fixed(share * 120, 1) + "px\"></span>") + "</td></tr>";
  }
  s += "</tbody></table>";
  auto rss = r.resources.find("peak_rss_mb");
  auto faults = r.resources.find("minor_page_faults");
  if (rss != r.resources.end() && faults != r.resources.end())
    s += "<p class=\"note\">Peak memory " + Fixed(rss->second, 0) + " MiB; " + Fixed(faults->second, 0) +
         " page faults.</p>";
  if (!r.kernels.empty())
    s += "<p class=\"note\">Kernels: " + Esc(r.kernels) + " (oneDNN " + Esc(r.kernel_isa) + ").</p>";
  return s + "</section>";
}

std::string PrecisionPill(const std::string& p) {
  return "<span class=\"pill\" style=\"background:" + report::PrecisionColor(p) + "\">" +
         Esc(p.empty() ? std::string("-") : p) + "</span>";
}

std::string MapSection(const RunReport& r, const std::vector<int>& ranked, const std::vector<int>& rank) {
  const bool any_flipped = FlippedCount(r) > 0;
  std::string s = "<section id=\"map\"><h2>Precision map</h2><p class=\"sub\">Every analysed layer in graph order, "
                  "coloured by its precision";
  s += any_flipped ? " after the flip. Outlined cells were flipped; the number is the layer's sensitivity rank."
                   : ".";
  s += " Hover a cell for its name.</p>";
  if (r.sensitivity.empty()) return s + "<p class=\"note\">No layers were analysed.</p></section>";
  // Legend: each precision in order of first appearance, with its count.
  std::vector<std::pair<std::string, int>> seen;
  for (const auto& l : r.sensitivity) {
    auto it = std::find_if(seen.begin(), seen.end(), [&](const auto& e) { return e.first == l.precision; });
    if (it == seen.end()) {
      seen.emplace_back(l.precision, 1);
    } else {
      ++it->second;
    }
  }
  s += "<ul class=\"legend\">";
  for (const auto& [p, count] : seen) {
    s += "<li><span class=\"sw\" style=\"background:" + report::PrecisionColor(p) + "\"></span>" +
         Esc(p.empty() ? std::string("unknown") : p) + " <span class=\"note\">(" + std::to_string(count) + ")</span></li>";
  }
  if (any_flipped) s += "<li><span class=\"sw flip\" style=\"background:#fff\"></span>flipped</li>";
  s += "</ul>";
  s += "<div class=\"scroll\">" + report::PrecisionMapSvg(r, rank) + "</div>";

  std::vector<int> flipped;
  for (size_t i = 0; i < r.sensitivity.size(); ++i) {
    if (r.sensitivity[i].flipped) flipped.push_back(static_cast<int>(i));
  }
  if (!flipped.empty()) {
    s += "<h3 style=\"font-size:14px;margin:18px 0 8px\">Flipped layers, in graph order</h3>";
    s += "<table><thead><tr><th class=\"n\">#</th><th class=\"n\">Rank</th><th>Layer</th><th>Op</th>"
         "<th class=\"n\">PSNR (dB)</th><th>Precision</th></tr></thead><tbody>";
    for (int i : flipped) {
      const LayerReport& l = r.sensitivity[i];
      s += "<tr><td class=\"n\">" + std::to_string(i + 1) + "</td><td class=\"n\">" + std::to_string(rank[i]) +
           "</td><td class=\"name mono\">" + NameHtml(l.name) + "</td><td>" + Esc(l.op_type) + "</td><td class=\"n\">" +
           Psnr(l.psnr, 2) + "</td><td>" + PrecisionPill(l.precision) + "</td></tr>";
    }
    s += "</tbody></table>";
  }
  (void)ranked;
  s += "</section>";
  return s;
}

std::string CurveSection(const RunReport& r) {
  if (r.percent_curve.empty()) return "";
  if (!r.fp32)
    return "<section id=\"curve\"><h2>Fidelity vs. percent flipped</h2><p class=\"sub\">PSNR against FP32 of the mixed "
           "model when the most sensitive <i>p</i>% of layers are flipped to " +
           Esc(FlipPrecision(r)) + ", with the W8A8 level for reference (no labels: no accuracy).</p><div class=\"scroll\">" +
           report::PercentCurveSvg(r) + "</div></section>";
  return "<section id=\"curve\"><h2>Accuracy vs. percent flipped</h2><p class=\"sub\">Top-1 of the mixed model when "
         "the most sensitive <i>p</i>% of layers are flipped to " +
         Esc(FlipPrecision(r)) + ", with the FP32 and W8A8 levels for reference.</p><div class=\"scroll\">" +
         report::PercentCurveSvg(r) + "</div></section>";
}

std::string SensitivitySection(const RunReport& r, const std::vector<int>& ranked) {
  std::string s = "<section id=\"sensitivity\"><h2>Per-layer sensitivity</h2><p class=\"sub\">PSNR between the FP32 "
                  "output and the output with only that layer's quantizers enabled; lowest (most sensitive) first. "
                  "Hover a row for the full layer name.</p>";
  if (ranked.empty()) return s + "<p class=\"note\">No layers were analysed.</p></section>";
  s += "<ul class=\"legend\"><li><span class=\"sw\" style=\"background:" + report::PrecisionColor("w8a8") +
       "\"></span>not flipped</li>";
  std::vector<std::string> flip_precisions;
  for (const auto& l : r.sensitivity) {
    if (l.flipped && std::find(flip_precisions.begin(), flip_precisions.end(), l.precision) == flip_precisions.end()) {
      flip_precisions.push_back(l.precision);
    }
  }
  for (const auto& p : flip_precisions) {
    s += "<li><span class=\"sw\" style=\"background:" + report::PrecisionColor(p) + "\"></span>flipped" + kArrow +
         Esc(p.empty() ? std::string("unknown") : p) + "</li>";
  }
  if (!flip_precisions.empty()) {
    s += "<li><svg width=\"26\" height=\"6\"><line x1=\"0\" y1=\"3\" x2=\"26\" y2=\"3\" stroke=\"#cf222e\" "
         "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/></svg>flip cut-off</li>";
  }
  s += "</ul><div class=\"scroll\">" + report::SensitivityChartSvg(r, ranked) + "</div></section>";
  return s;
}

std::string LayerTable(const RunReport& r, const std::vector<int>& ranked) {
  std::string s = "<section id=\"layers\"><h2>All layers</h2><p class=\"sub\">Sorted by sensitivity rank "
                  "(ascending PSNR). # is the position in graph order. Output range is the encoding range of "
                  "the layer's output quantizer. W8A8 MSE compares the layer's output in the all-W8A8 "
                  "simulation with FP32 (errors of upstream layers included): where the model drifts.</p>";
  if (ranked.empty()) return s + "<p class=\"note\">No layers were analysed.</p></section>";
  s += "<table class=\"layers\"><thead><tr><th class=\"n\">Rank <span class=\"sort\">&#9650;</span></th>"
       "<th class=\"n\">#</th><th>Layer</th><th>Op</th><th class=\"n\">PSNR (dB)</th><th>Precision</th>"
       "<th class=\"n\">Output range</th><th class=\"n\">W8A8 MSE</th></tr></thead><tbody>";
  int rank = 0;
  for (int i : ranked) {
    const LayerReport& l = r.sensitivity[i];
    std::string range = "&ndash;";
    if (l.output_range) {
      range = std::string("[") + Esc(report::Short(l.output_range->first, 5)) + ", " + Esc(report::Short(l.output_range->second, 5)) + "]";
    }
    s += std::string("<tr") +
         (l.flipped ? " class=\"flip\" style=\"--c:" + report::PrecisionColor(l.precision) + "\"" : std::string()) +
         "><td class=\"n\">" + std::to_string(++rank) + "</td><td class=\"n\">" + std::to_string(i + 1) +
         "</td><td class=\"name mono\">" + NameHtml(l.name) + "</td><td>" + Esc(l.op_type) + "</td><td class=\"n\">" +
         Psnr(l.psnr, 4) + "</td><td>" + PrecisionPill(l.precision) + "</td><td class=\"n mono\">" + range + "</td><td class=\"n mono\">" +
         (l.w8a8_mse ? Esc(report::Short(*l.w8a8_mse, 4)) : std::string("&ndash;")) + "</td></tr>";
  }
  s += "</tbody></table></section>";
  return s;
}

}  // namespace

std::string ReportHtml(const RunReport& r) {
  const std::vector<int> ranked = report::RankedOrder(r);
  std::vector<int> rank(r.sensitivity.size());
  for (size_t k = 0; k < ranked.size(); ++k) rank[ranked[k]] = static_cast<int>(k + 1);

  std::string s = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  s += "<title>litemp " + Esc(r.command.empty() ? std::string("report") : r.command) + kDot +
       Esc(r.model.empty() ? std::string("model") : Basename(r.model)) + "</title>\n";
  s += std::string("<style>") + kCss + "</style>\n</head>\n<body>\n";
  s += Header(r);
  s += "<main class=\"page\">\n";
  s += Cards(r, ranked);
  std::string acc = AccuracySection(r) + FidelitySection(r);
  std::string timings = TimingsSection(r);
  if (!acc.empty()) {
    s += "<div class=\"two\">" + acc + timings + "</div>\n";
  } else {
    s += timings;
  }
  s += PrepareSection(r);
  s += MapSection(r, ranked, rank) + "\n";
  s += CurveSection(r) + "\n";
  s += SensitivitySection(r, ranked) + "\n";
  s += LayerTable(r, ranked) + "\n";
  s += "<footer>Generated by litemp. Self-contained: no scripts, no network.</footer>\n</main>\n</body>\n</html>\n";
  return s;
}

}  // namespace litemp
