#include "litemp/mixed_precision.h"

#include <cmath>
#include <regex>

namespace litemp {

Result<FlipTarget> ParseFlipTarget(const std::string& name) {
  FlipTarget t;
  t.name = name;
  const Precision i16{QuantDType::kInt, 16}, f16{QuantDType::kFloat16, 16};
  if (name == "int16") {
    t.param = t.activation = i16;
    return t;
  }
  if (name == "fp16" || name == "float16") {
    t.param = t.activation = f16;
    return t;
  }
  std::smatch m;
  static const std::regex re("w(4|8|16|fp16)a(16|fp16)");
  if (!std::regex_match(name, m, re))
    return Status::InvalidArgument("unknown precision '" + name +
                                   "' (expected int16, fp16, or a pair like w8a16, w16a16, w8afp16)");
  t.param = m[1] == "fp16" ? f16 : Precision{QuantDType::kInt, std::stoi(m[1])};
  t.activation = m[2] == "fp16" ? f16 : i16;
  return t;
}

Status ValidateSelection(const FlipSelection& s) {
  int n = (s.count ? 1 : 0) + (s.psnr_below ? 1 : 0);
  if (n > 1) return Status::InvalidArgument("give at most one of --count and --psnr-below");
  if (!(s.percent >= 0 && s.percent <= 100)) return Status::InvalidArgument("--percent must be in [0, 100]");
  if (s.count && *s.count < 0) return Status::InvalidArgument("--count must be >= 0");
  if (s.psnr_below && !std::isfinite(*s.psnr_below)) return Status::InvalidArgument("--psnr-below must be a number");
  return Status::OK();
}

size_t CountToFlip(const std::vector<double>& psnr, const FlipSelection& s) {
  const size_t n = psnr.size();
  if (s.count) return std::min(n, static_cast<size_t>(*s.count));
  if (s.psnr_below) {
    size_t k = 0;
    while (k < n && psnr[k] < *s.psnr_below) ++k;
    return k;
  }
  // ceil(N * percent / 100), computed so that e.g. 60 layers at 10% give exactly 6.
  double x = static_cast<double>(n) * s.percent / 100.0;
  size_t k = static_cast<size_t>(std::ceil(x - 1e-9));
  return std::min(n, k);
}

void FlipLayers(QuantSim& sim, const std::vector<int>& layers, const FlipTarget& target) {
  for (int layer : layers) {
    for (int qi : sim.layer_quantizers(layer)) {
      Quantizer& q = sim.quantizers()[qi];
      const Precision& p = q.role == QuantizerRole::kParam ? target.param : target.activation;
      q.dtype = p.dtype;
      q.spec.bitwidth = p.bitwidth;
      q.Invalidate();
    }
  }
}

Result<std::vector<int>> FlipLayersToHigherPrecision(QuantSim& sim, const std::vector<LayerSensitivity>& sensitivity,
                                                     const FlipSelection& selection, const FlipTarget& target) {
  LITEMP_RETURN_IF_ERROR(ValidateSelection(selection));
  std::vector<double> psnr;
  const int nodes = static_cast<int>(sim.graph().nodes.size());
  for (const auto& l : sensitivity) {
    if (l.layer < 0 || l.layer >= nodes)
      return Status::InvalidArgument("layer '" + l.name + "' (index " + std::to_string(l.layer) +
                                     ") is not a node of this simulation's model");
    // Ascending with NaN last, as AnalyzePerLayerSensitivity orders them.
    const bool out_of_order = !psnr.empty() && (std::isnan(psnr.back()) ? !std::isnan(l.psnr) : l.psnr < psnr.back());
    if (out_of_order)
      return Status::InvalidArgument("the sensitivity list is not in ascending PSNR order (at layer '" + l.name + "')");
    psnr.push_back(l.psnr);
  }
  std::vector<int> layers;
  const size_t k = CountToFlip(psnr, selection);
  for (size_t i = 0; i < k; ++i) layers.push_back(sensitivity[i].layer);
  FlipLayers(sim, layers, target);
  return layers;
}

std::string LayerPrecision(const QuantSim& sim, int layer) {
  auto side = [](const Quantizer& q) {
    return q.dtype == QuantDType::kFloat16 ? std::string("fp16") : std::to_string(q.spec.bitwidth);
  };
  std::string w, a;
  for (int qi : sim.layer_quantizers(layer)) {
    const Quantizer& q = sim.quantizers()[qi];
    if (!q.enabled) continue;
    (q.role == QuantizerRole::kParam ? w : a) = side(q);
  }
  if (w.empty() && a.empty()) return "fp32";
  if (w == "fp16" && (a == "fp16" || a.empty())) return "fp16";
  if (a == "fp16" && w.empty()) return "fp16";
  return (w.empty() ? "" : "w" + w) + (a.empty() ? "" : "a" + a);
}

}  // namespace litemp
