#include "litemp/quantsim.h"

#include <cmath>
#include <cstdio>
#include <regex>

#include "quant/placement.h"

namespace litemp {

namespace {
bool AllFinite(const Tensor& t) {
  if (t.dtype() != DType::kFloat32) return true;
  const Tensor plain = ToPlain(t);
  const float* p = plain.data<float>();
  for (int64_t i = 0; i < plain.numel(); ++i)
    if (!std::isfinite(p[i])) return false;
  return true;
}
}  // namespace

Status ParsePrecisionPair(const std::string& name, Precision* param, Precision* act) {
  if (name == "fp16") {
    *param = *act = Precision{QuantDType::kFloat16, 16};
    return Status::OK();
  }
  std::smatch m;
  static const std::regex re("w(4|8|16)a(8|16)");
  if (!std::regex_match(name, m, re))
    return Status::InvalidArgument("unknown precision '" + name + "' (expected w8a8, w8a16, w16a16, w4a8 or fp16)");
  *param = Precision{QuantDType::kInt, std::stoi(m[1])};
  *act = Precision{QuantDType::kInt, std::stoi(m[2])};
  return Status::OK();
}

QuantSim::QuantSim(const Model& model, const QuantSimOptions& options) : options_(options), model_(model) {}
QuantSim::~QuantSim() = default;

const Graph& QuantSim::graph() const { return model_.graph(); }

Result<std::unique_ptr<QuantSim>> QuantSim::Create(const Model& model, const QuantSimOptions& options) {
  LITEMP_ASSIGN_OR_RETURN(QuantsimConfig cfg, LoadQuantsimConfig(options.config));
  std::unique_ptr<QuantSim> sim(new QuantSim(model, options));
  const Graph& g = model.graph();
  LITEMP_ASSIGN_OR_RETURN(sim->inputs_, DescribeInputs(g));
  LITEMP_ASSIGN_OR_RETURN(sim->exec_, Executor::Create(g));
  sim->quantizers_ = PlaceQuantizers(g, cfg);
  sim->by_layer_.assign(g.nodes.size(), {});
  sim->act_by_value_.assign(g.values.size(), -1);
  for (size_t i = 0; i < sim->quantizers_.size(); ++i) {
    Quantizer& q = sim->quantizers_[i];
    const Precision& p = q.role == QuantizerRole::kParam ? options.param : options.activation;
    q.dtype = p.dtype;
    q.spec.bitwidth = p.bitwidth;
    sim->by_layer_[q.layer].push_back(static_cast<int>(i));
    if (!g.values[q.value_id].is_initializer) {
      sim->act_by_value_[q.value_id] = static_cast<int>(i);
    } else if (q.role == QuantizerRole::kParam && !AllFinite(*g.Constant(q.value_id))) {
      // Encodings would silently skip the bad values; FP32 results would be NaN anyway.
      // (Other constants, e.g. -inf attention masks, are legitimate.)
      return Status::InvalidArgument("initializer '" + g.values[q.value_id].name + "' of node '" +
                                     g.nodes[q.layer].name + "' holds NaN or Inf; it cannot be quantized");
    }
  }
  sim->applied_.assign(sim->quantizers_.size(), "");
  return sim;
}

std::vector<int> QuantSim::QuantizedLayers() const {
  std::vector<int> layers;
  for (size_t l = 0; l < by_layer_.size(); ++l)
    for (int qi : by_layer_[l])
      if (quantizers_[qi].enabled) {
        layers.push_back(static_cast<int>(l));
        break;
      }
  return layers;
}

std::string QuantSim::Signature(const Quantizer& q) const {
  if (!q.enabled || !q.has_encoding()) return "off";
  if (q.dtype == QuantDType::kFloat16) return "fp16";
  std::string s = std::to_string(q.spec.bitwidth) + ":";
  for (const auto& e : q.encodings) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%a/%lld;", e.scale, static_cast<long long>(e.offset));
    s += buf;
  }
  return s;
}

Status QuantSim::SyncConstants() {
  const Graph& g = model_.graph();
  for (size_t i = 0; i < quantizers_.size(); ++i) {
    const Quantizer& q = quantizers_[i];
    if (!g.values[q.value_id].is_initializer) continue;
    std::string sig = Signature(q);
    if (sig == applied_[i]) continue;
    const Tensor& original = *g.Constant(q.value_id);
    Tensor t = sig == "off" ? original : q.Apply(original.Clone());
    LITEMP_RETURN_IF_ERROR(exec_->SetConstant(q.value_id, t));
    applied_[i] = sig;
  }
  return Status::OK();
}

Status QuantSim::ComputeEncodings(const std::function<Status(const RunOptions&)>& run_batches) {
  RunOptions observe;
  LITEMP_RETURN_IF_ERROR(BeginComputeEncodings(&observe));
  LITEMP_RETURN_IF_ERROR(run_batches(observe));
  return EndComputeEncodings();
}

Status QuantSim::BeginComputeEncodings(RunOptions* observe) {
  const Graph& g = model_.graph();
  // Constants first: their encodings come from their own values.
  for (auto& q : quantizers_) {
    if (q.frozen) continue;
    q.Invalidate();
    if (!q.enabled) continue;
    q.ResetStats(options_.scheme, options_.percentile);
    if (g.values[q.value_id].is_initializer) {
      q.Observe(*g.Constant(q.value_id));
      q.FinishStats();
    }
  }
  LITEMP_RETURN_IF_ERROR(SyncConstants());
  *observe = RunOptions{};
  observe->observes = [this](int id) { return Observes(id); };
  observe_mu_ = std::make_unique<std::mutex[]>(quantizers_.size());
  observe->on_value = [this](int id, Tensor* t) {
    int qi = act_by_value_[id];
    if (qi >= 0 && quantizers_[qi].enabled && !quantizers_[qi].frozen) {
      std::lock_guard<std::mutex> lock(observe_mu_[qi]);
      quantizers_[qi].Observe(*t);
    }
    return Status::OK();
  };
  return Status::OK();
}

Status QuantSim::EndComputeEncodings() {
  const Graph& g = model_.graph();
  for (auto& q : quantizers_) {
    if (!q.enabled || q.frozen || g.values[q.value_id].is_initializer) continue;
    q.FinishStats();
  }
  return SyncConstants();
}

bool QuantSim::Observes(int value_id) const {
  int qi = act_by_value_[value_id];
  return qi >= 0 && quantizers_[qi].enabled;
}

RunOptions QuantSim::SimOptions() {
  RunOptions o;
  o.observes = [this](int id) { return Observes(id); };
  o.on_value = [this](int id, Tensor* t) {
    int qi = act_by_value_[id];
    if (qi < 0) return Status::OK();
    const Quantizer& q = quantizers_[qi];
    if (q.enabled && q.has_encoding() && t->dtype() == DType::kFloat32) *t = q.Apply(*t);
    return Status::OK();
  };
  // Per-tensor integer activation quantizers run inside the producing kernel where it can.
  o.quantize_step = [this](int id, float* scale, float* lo, float* hi) {
    int qi = act_by_value_[id];
    if (qi < 0) return false;
    const Quantizer& q = quantizers_[qi];
    if (!q.enabled || q.dtype != QuantDType::kInt || q.encodings.size() != 1) return false;
    const Encoding& e = q.encodings[0];
    *scale = e.scale;
    *lo = static_cast<float>(e.offset);
    *hi = static_cast<float>(e.offset + e.steps);
    return true;
  };
  return o;
}

Status QuantSim::Run(const Batch& batch, std::unordered_map<int, Tensor>* results, const std::vector<int>& fetch) {
  LITEMP_RETURN_IF_ERROR(SyncConstants());
  RunOptions o = SimOptions();
  o.fetch = fetch;
  return RunBatch(*exec_, inputs_, batch, o, results);
}

}  // namespace litemp
