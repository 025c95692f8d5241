// PerLayerMse: FP32 layer outputs of a group of samples are kept (shared buffers, no
// copies), then the simulation runs the same group and each layer output is compared as it
// is produced, its FP32 twin released right after.
#include <algorithm>

#include "analysis/flag_guard.h"
#include "analysis/sweep.h"
#include "litemp/sensitivity.h"

namespace litemp {

namespace {

struct Accum {
  double sum = 0;
  int64_t count = 0;
};

// Elements of the first `rows` samples of `t`: all of it when every row is real (rows < 0),
// -1 when padding rows are present but `t` does not follow the batch (not scorable).
int64_t ScoredElements(const Tensor& t, int64_t rows, int64_t batch) {
  if (rows < 0 || rows == batch) return t.numel();
  if (t.rank() == 0 || t.dim(0) != batch) return -1;
  return t.numel() / batch * rows;
}

void AddSquaredError(const Tensor& fp32, const Tensor& sim, int64_t rows, int64_t batch, Accum* acc) {
  const Tensor a = fp32.layout() == sim.layout() ? fp32 : ToPlain(fp32);
  const Tensor b = fp32.layout() == sim.layout() ? sim : ToPlain(sim);
  const int64_t n = ScoredElements(a, rows, batch);
  if (n < 0) return;  // the layer is scored on the unpadded groups only
  const float* x = a.data<float>();
  const float* y = b.data<float>();
  double sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    double d = static_cast<double>(y[i]) - x[i];
    sum += d * d;
  }
  acc->sum += sum;
  acc->count += n;
}

}  // namespace

Result<std::vector<LayerMse>> PerLayerMse(QuantSim& sim, const Tensor& samples, size_t run_bytes) {
  return PerLayerMse(sim, Batch{samples}, run_bytes);
}

Result<std::vector<LayerMse>> PerLayerMse(QuantSim& sim, const Batch& samples, size_t run_bytes) {
  LITEMP_RETURN_IF_ERROR(CheckInputShapes(sim.inputs(), samples).WithContext("per-layer MSE"));
  LITEMP_RETURN_IF_ERROR(PlanSweep(sim).status());  // every enabled quantizer has an encoding
  const Graph& g = sim.graph();
  std::vector<int> layers;
  std::vector<int> slot(g.values.size(), -1);  // value id -> index into layers
  for (int l : sim.QuantizedLayers()) {
    const Node& n = g.nodes[l];
    if (n.outputs.empty() || n.outputs[0] < 0 || slot[n.outputs[0]] >= 0) continue;
    slot[n.outputs[0]] = static_cast<int>(layers.size());
    layers.push_back(l);
  }
  std::vector<Accum> acc(layers.size());
  const int64_t k = samples[0].dim(0);
  const int64_t fb = FixedBatch(sim.inputs());
  QuantizerFlagGuard guard(sim);
  const std::function<bool(int)> sim_observes = sim.SimOptions().observes;
  int64_t group = fb > 0 ? fb : 1;  // the first group sizes the rest
  for (int64_t begin = 0; begin < k;) {
    const int64_t rows = std::min(group, k - begin);
    const int64_t batch = fb > 0 ? fb : rows;
    const Batch x = SampleRows(samples, begin, rows, batch);
    std::unordered_map<int, Tensor> feeds = InputFeeds(sim.inputs(), x), res;
    // FP32 pass: keep every layer output.
    std::vector<Tensor> fp32(layers.size());
    size_t bytes = 0;
    guard.DisableAll();
    LITEMP_RETURN_IF_ERROR(sim.SyncConstants());
    RunOptions fo;
    fo.observes = [&](int id) { return slot[id] >= 0; };
    fo.on_value = [&](int id, Tensor* t) {
      if (slot[id] >= 0 && t->dtype() == DType::kFloat32) {
        fp32[slot[id]] = *t;
        bytes += t->nbytes();
      }
      return Status::OK();
    };
    LITEMP_RETURN_IF_ERROR(sim.executor().Run(feeds, fo, &res).WithContext("per-layer MSE (FP32 run)"));
    // Simulated pass: compare each layer output as the simulation produces it.
    LITEMP_RETURN_IF_ERROR(guard.Restore());
    RunOptions so = sim.SimOptions();
    // Layer outputs must exist and reach the hook below to be compared: keep them from being
    // fused away, and their quantizers out of the kernels (which would skip the hook).
    so.observes = [&](int id) { return slot[id] >= 0 || !sim_observes || sim_observes(id); };
    so.quantize_step = nullptr;
    ValueHook quantize = so.on_value;
    so.on_value = [&](int id, Tensor* t) -> Status {
      LITEMP_RETURN_IF_ERROR(quantize(id, t));
      const int i = slot[id];
      if (i >= 0 && fp32[i].defined() && t->dtype() == DType::kFloat32 && t->shape() == fp32[i].shape()) {
        AddSquaredError(fp32[i], *t, fb > 0 ? rows : -1, batch, &acc[i]);
        fp32[i] = Tensor();
      }
      return Status::OK();
    };
    res.clear();
    LITEMP_RETURN_IF_ERROR(sim.executor().Run(feeds, so, &res).WithContext("per-layer MSE (simulated run)"));
    begin += rows;
    if (fb <= 0 && bytes > 0) group = std::clamp<int64_t>(static_cast<int64_t>(run_bytes / (bytes / rows)), 1, k);
  }
  std::vector<LayerMse> out;
  for (size_t i = 0; i < layers.size(); ++i) {
    if (acc[i].count == 0) continue;
    out.push_back({layers[i], g.nodes[layers[i]].name, acc[i].sum / acc[i].count});
  }
  return out;
}

}  // namespace litemp
