// summary.json and sensitivity.json. nlohmann::ordered_json keeps keys in insertion order,
// so the text only changes when the data does; PSNRs and timings are rounded first so that
// reruns diff cleanly (timings aside). Format: docs/formats/reports.md.
#include <cmath>

#include <nlohmann/json.hpp>

#include "litemp/report.h"
#include "report/report_util.h"

namespace litemp {
namespace {

using Json = nlohmann::ordered_json;

// JSON has no inf/NaN; they become null (a PSNR of +inf means the layer's quantizers
// changed nothing, NaN that it was not measured).
Json Num(double v, int digits = -1) {
  if (!std::isfinite(v)) return nullptr;
  return digits < 0 ? v : report::RoundTo(v, digits);
}

Json Str(const std::string& s) { return report::ValidUtf8(s); }

Json Accuracy(const AccuracyResult& a) {
  Json j;
  j["top1"] = Num(a.top1);
  j["top5"] = Num(a.top5);
  j["samples"] = a.samples;
  return j;
}

Json FidelityJson(const Fidelity& f) {
  Json j;
  j["psnr"] = Num(f.psnr, 4);
  j["sqnr"] = Num(f.sqnr, 4);
  if (f.top1_agreement) j["top1_agreement"] = Num(*f.top1_agreement);
  j["samples"] = f.samples;
  Json outs = Json::array();
  for (const OutputFidelity& o : f.outputs) {
    Json e;
    e["output"] = Str(o.name);
    e["psnr"] = Num(o.psnr, 4);
    e["sqnr"] = Num(o.sqnr, 4);
    outs.push_back(std::move(e));
  }
  j["outputs"] = std::move(outs);
  return j;
}

std::string Dump(const Json& j) {
  // ValidUtf8 already cleaned every string; `replace` is belt and braces so dump() can
  // never throw across the module boundary.
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string SummaryJson(const RunReport& r) {
  Json j = Json::object();
  if (!r.command.empty()) j["command"] = Str(r.command);
  if (!r.model.empty()) j["model"] = Str(r.model);
  if (!r.precision.empty()) j["precision"] = Str(r.precision);
  if (!r.scheme.empty()) j["scheme"] = Str(r.scheme);
  if (!r.config.empty()) j["config"] = Str(r.config);
  if (r.command != "analyze") j["percent"] = Num(r.percent);
  if (r.fp32) j["fp32"] = Accuracy(*r.fp32);
  if (r.w8a8) j["w8a8"] = Accuracy(*r.w8a8);
  if (r.mixed) j["mixed"] = Accuracy(*r.mixed);
  if (r.w8a8_fidelity || r.mixed_fidelity) {
    Json f = Json::object();
    if (r.w8a8_fidelity) f["w8a8"] = FidelityJson(*r.w8a8_fidelity);
    if (r.mixed_fidelity) f["mixed"] = FidelityJson(*r.mixed_fidelity);
    j["fidelity"] = std::move(f);
  }
  if (!r.output.empty()) j["output"] = Str(r.output);
  if (!r.prepared.empty()) {
    Json p = Json::array();
    for (const auto& line : r.prepared) p.push_back(Str(line));
    j["prepared"] = std::move(p);
  }
  j["layers"] = r.layers;
  Json flipped = Json::array();
  for (const auto& n : r.flipped) flipped.push_back(Str(n));
  j["flipped"] = std::move(flipped);
  Json sens = Json::array();
  for (int i : report::RankedOrder(r)) {
    const LayerReport& l = r.sensitivity[i];
    Json e;
    e["layer"] = Str(l.name);
    e["op_type"] = Str(l.op_type);
    e["psnr"] = Num(l.psnr, 4);
    sens.push_back(std::move(e));
  }
  j["sensitivity"] = std::move(sens);
  if (!r.percent_curve.empty()) {
    Json curve = Json::array();
    for (const auto& p : r.percent_curve) {
      Json e;
      e["percent"] = Num(p.percent);
      e["flipped"] = p.flipped;
      e["top1"] = Num(p.top1);
      if (p.fidelity) {
        e["psnr"] = Num(p.fidelity->psnr, 4);
        e["sqnr"] = Num(p.fidelity->sqnr, 4);
        if (p.fidelity->top1_agreement) e["top1_agreement"] = Num(*p.fidelity->top1_agreement);
      }
      curve.push_back(std::move(e));
    }
    j["percent_curve"] = std::move(curve);
  }
  Json timings = Json::object();
  for (const auto& [k, v] : report::OrderedTimings(r)) timings[report::ValidUtf8(k)] = Num(v, 3);
  j["timings_s"] = std::move(timings);
  Json samples = Json::object();
  for (const auto& [k, v] : report::OrderedSamples(r)) samples[report::ValidUtf8(k)] = v;
  j["samples"] = std::move(samples);
  if (!r.resources.empty()) {
    Json res = Json::object();
    for (const auto& [k, v] : r.resources) res[report::ValidUtf8(k)] = Num(v, 1);
    j["resources"] = std::move(res);
  }
  if (!r.kernels.empty()) j["kernels"] = {{"set", report::ValidUtf8(r.kernels)}, {"isa", report::ValidUtf8(r.kernel_isa)}};
  return Dump(j);
}

namespace report {

std::string SensitivityJson(const RunReport& r) {
  Json list = Json::array();
  int rank = 0;
  for (int i : RankedOrder(r)) {
    const LayerReport& l = r.sensitivity[i];
    Json e;
    e["rank"] = ++rank;
    e["layer"] = Str(l.name);
    e["op_type"] = Str(l.op_type);
    e["psnr"] = Num(l.psnr, 4);
    e["flipped"] = l.flipped;
    e["precision"] = Str(l.precision);
    if (l.output_range) e["output_range"] = Json::array({Num(l.output_range->first), Num(l.output_range->second)});
    if (l.w8a8_mse) e["w8a8_mse"] = Num(*l.w8a8_mse);
    list.push_back(std::move(e));
  }
  return Dump(list);
}

}  // namespace report
}  // namespace litemp
