// PerLayerMse: FP32 layer outputs of a group of samples are kept (shared buffers, no
// copies), then the simulation runs the same group and each layer output is compared as it
// is produced, its FP32 twin released right after. Where the model keeps samples apart,
// groups run side by side on the threads, each a sample at a time: the running sums (a
// serial chain per layer, ~half the phase's time on MobileNetV2) then run in parallel too.
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <new>
#include <map>

#include "analysis/flag_guard.h"
#include "analysis/sweep.h"
#include "core/bytes.h"
#include "core/parallel.h"
#include "litemp/sample_parallel.h"
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
  // One running sum, continued from call to call (a group run a sample at a time adds what
  // one call over the whole group adds, in the same order).
  double sum = acc->sum;
  for (int64_t i = 0; i < n; ++i) {
    double d = static_cast<double>(y[i]) - x[i];
    sum += d * d;
  }
  acc->sum = sum;
  acc->count += n;
}

}  // namespace

Result<std::vector<LayerMse>> PerLayerMse(QuantSim& sim, const Tensor& samples, size_t run_bytes, Comm* comm,
                                          bool by_sample, int* threads_used) {
  return PerLayerMse(sim, Batch{samples}, run_bytes, comm, by_sample, threads_used);
}

namespace {

// The FP32 pass: keeps every layer output (fp32, by layer; shared buffers) and adds their
// bytes to *bytes.
Status KeepFp32(Executor& exec, const std::unordered_map<int, Tensor>& feeds, const std::vector<int>& slot,
                std::vector<Tensor>* fp32, size_t* bytes) {
  RunOptions fo;
  fo.observes = [&](int id) { return slot[id] >= 0; };
  fo.on_value = [&](int id, Tensor* t) {
    if (slot[id] >= 0 && t->dtype() == DType::kFloat32) {
      (*fp32)[slot[id]] = *t;
      *bytes += t->nbytes();
    }
    return Status::OK();
  };
  std::unordered_map<int, Tensor> res;
  return exec.Run(feeds, fo, &res).WithContext("per-layer MSE (FP32 run)");
}

// The simulated pass: compares each layer output with its FP32 twin as it is produced (adding
// to *acc, by layer) and releases the twin. `rows`/`batch`: as ScoredElements.
Status CompareSim(Executor& exec, RunOptions so, const std::unordered_map<int, Tensor>& feeds,
                  const std::vector<int>& slot, std::vector<Tensor>* fp32, int64_t rows, int64_t batch,
                  std::vector<Accum>* acc) {
  const std::function<bool(int)> sim_observes = so.observes;
  // Layer outputs must exist and reach the hook below to be compared: keep them from being
  // fused away, and their quantizers out of the kernels (which would skip the hook).
  so.observes = [&](int id) { return slot[id] >= 0 || !sim_observes || sim_observes(id); };
  so.quantize_step = nullptr;
  ValueHook quantize = so.on_value;
  so.on_value = [&](int id, Tensor* t) -> Status {
    LITEMP_RETURN_IF_ERROR(quantize(id, t));
    const int i = slot[id];
    if (i >= 0 && (*fp32)[i].defined() && t->dtype() == DType::kFloat32 && t->shape() == (*fp32)[i].shape()) {
      AddSquaredError((*fp32)[i], *t, rows, batch, &(*acc)[i]);
      (*fp32)[i] = Tensor();
    }
    return Status::OK();
  };
  std::unordered_map<int, Tensor> res;
  return exec.Run(feeds, so, &res).WithContext("per-layer MSE (simulated run)");
}

// One group of samples through the FP32 model and the simulation, whole, on the
// simulation's executor: each layer's summed squared error and element count (*acc, by
// layer) and the bytes of the FP32 layer outputs (*bytes, which size the groups).
Status RunGroup(QuantSim& sim, QuantizerFlagGuard& guard, const Batch& samples, size_t layers,
                const std::vector<int>& slot, int64_t begin, int64_t rows, std::vector<Accum>* acc, size_t* bytes) {
  const int64_t fb = FixedBatch(sim.inputs());
  const int64_t batch = fb > 0 ? fb : rows;
  const std::unordered_map<int, Tensor> feeds = InputFeeds(sim.inputs(), SampleRows(samples, begin, rows, batch));
  acc->assign(layers, Accum{});
  *bytes = 0;
  std::vector<Tensor> fp32(layers);
  guard.DisableAll();
  LITEMP_RETURN_IF_ERROR(sim.SyncConstants());
  LITEMP_RETURN_IF_ERROR(KeepFp32(sim.executor(), feeds, slot, &fp32, bytes));
  LITEMP_RETURN_IF_ERROR(guard.Restore());
  return CompareSim(sim.executor(), sim.SimOptions(), feeds, slot, &fp32, fb > 0 ? rows : -1, batch, acc);
}

// The same group a sample at a time, in order, on a pair of executors (FP32 constants, the
// simulation's): each layer's sum goes on from sample to sample, so it adds the same numbers
// in the same order as RunGroup (a sample's outputs are the same bits at any batch size,
// litemp/sample_parallel.h, and every layout keeps a sample's elements together, in sample
// order). Only one sample's FP32 outputs are held.
Status RunGroupBySample(Executor& fp, Executor& sm, const RunOptions& so, const ModelInputs& in, const Batch& samples,
                        size_t layers, const std::vector<int>& slot, int64_t begin, int64_t rows,
                        std::vector<Accum>* acc, size_t* bytes) {
  acc->assign(layers, Accum{});
  *bytes = 0;
  for (int64_t r = begin; r < begin + rows; ++r) {
    const std::unordered_map<int, Tensor> feeds = InputFeeds(in, SampleRows(samples, r, 1, 1));
    std::vector<Tensor> fp32(layers);
    LITEMP_RETURN_IF_ERROR(KeepFp32(fp, feeds, slot, &fp32, bytes));
    LITEMP_RETURN_IF_ERROR(CompareSim(sm, so, feeds, slot, &fp32, -1, 1, acc));
  }
  return Status::OK();
}

// Whether every layer's output (its output 0) is computed from a graph input: only such
// outputs follow the samples.
bool FollowInputs(const Graph& g, const std::vector<int>& layers) {
  std::vector<char> from(g.values.size(), 0);
  for (int id : g.inputs) from[id] = 1;
  for (const Node& n : g.nodes) {  // topological order
    bool any = false;
    for (int in : n.inputs) any = any || (in >= 0 && from[in]);
    if (any)
      for (int out : n.outputs)
        if (out >= 0) from[out] = 1;
  }
  for (int l : layers)
    if (!from[g.nodes[l].outputs[0]]) return false;
  return true;
}

// For RunGroupBySample on `threads` threads: FP32 executors (*fp, the simulation's graph
// with every quantizer off) and the simulation's (*sims). On return the flags are as before.
Status MakePairs(QuantSim& sim, QuantizerFlagGuard& guard, int threads, std::vector<std::unique_ptr<Executor>>* fp,
                 ExecutorCopies* sims) {
  guard.DisableAll();
  LITEMP_RETURN_IF_ERROR(sim.SyncConstants());
  for (int t = 0; t < threads; ++t) {
    LITEMP_ASSIGN_OR_RETURN(std::unique_ptr<Executor> e, Executor::Create(sim.executor().graph()));
    fp->push_back(std::move(e));
  }
  LITEMP_RETURN_IF_ERROR(guard.Restore());
  return sims->Sync(threads);
}

// Collective: every rank's groups' accumulators (`mine`, by group index) to every rank, as
// `all` (by group index, every group).
Status GatherGroups(Comm* comm, size_t groups, size_t layers, const Status& local,
                    const std::map<size_t, std::vector<Accum>>& mine, std::vector<std::vector<Accum>>* all) {
  all->assign(groups, {});
  if (SizeOf(comm) <= 1) {
    for (const auto& [gi, acc] : mine) (*all)[gi] = acc;
    return local;
  }
  ByteWriter w;
  for (const auto& [gi, acc] : mine) {
    w.Put<uint64_t>(gi);
    for (const Accum& a : acc) {
      w.Put(a.sum);
      w.Put(a.count);
    }
  }
  LITEMP_ASSIGN_OR_RETURN(std::vector<std::string> parts, comm->Exchange("layer_mse", local, w.Take()));
  for (const std::string& part : parts) {
    ByteReader in(part);
    while (!in.done()) {
      uint64_t gi = 0;
      LITEMP_RETURN_IF_ERROR(in.Get(&gi));
      if (gi >= groups) return Status::Internal("per-layer MSE: a rank sent an unknown group");
      std::vector<Accum>& acc = (*all)[gi];
      acc.assign(layers, Accum{});
      for (Accum& a : acc) {
        LITEMP_RETURN_IF_ERROR(in.Get(&a.sum));
        LITEMP_RETURN_IF_ERROR(in.Get(&a.count));
      }
    }
  }
  return Status::OK();
}

}  // namespace

Result<std::vector<LayerMse>> PerLayerMse(QuantSim& sim, const Batch& samples, size_t run_bytes, Comm* comm,
                                          bool by_sample, int* threads_used) {
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
  const int64_t k = samples[0].dim(0);
  if (k == 0) return std::vector<LayerMse>{};  // the same on every rank: nothing to exchange
  const int64_t fb = FixedBatch(sim.inputs());
  QuantizerFlagGuard guard(sim);
  // The first group (one sample, or one fixed batch) sizes the rest: every rank runs it to
  // learn the size, and the groups are then split in contiguous blocks over the ranks.
  std::vector<Accum> first;
  size_t bytes = 0;
  const int64_t first_rows = std::min(fb > 0 ? fb : 1, k);
  Status local = RunGroup(sim, guard, samples, layers.size(), slot, 0, first_rows, &first, &bytes);
  int64_t group = fb > 0 ? fb : 1;
  if (fb <= 0 && bytes > 0)
    group = std::clamp<int64_t>(static_cast<int64_t>(run_bytes / (bytes / first_rows)), 1, k);
  std::vector<std::pair<int64_t, int64_t>> groups{{0, first_rows}};  // (begin, rows)
  for (int64_t b = first_rows; b < k; b += group) groups.emplace_back(b, std::min(group, k - b));
  const int ranks = SizeOf(comm), me = RankOf(comm);
  const size_t lo = BlockBegin(groups.size(), ranks, me), hi = BlockBegin(groups.size(), ranks, me + 1);
  std::map<size_t, std::vector<Accum>> mine;
  if (local.ok() && lo == 0 && hi > 0) mine[0] = std::move(first);
  // The rest of this rank's groups: in turn, whole; or side by side, one per thread at a
  // time, each a sample at a time on the thread's pair of executors (FP32 constants, the
  // simulation's) where the model keeps samples apart, every compared output follows the
  // samples (one computed from constants alone would be added once per sample instead of
  // once per group), and that pays (SplitThreads).
  const int64_t begin = static_cast<int64_t>(std::max<size_t>(lo, 1)), end = static_cast<int64_t>(hi);
  const int threads = by_sample && fb <= 0 && CheckSamplesIndependent(g).ok() && FollowInputs(g, layers)
                          ? SplitThreads(end - begin, LayerWeightBytes(g), /*executors=*/2)
                          : 1;
  if (threads_used) *threads_used = threads;
  for (int64_t gi = begin; gi < end; ++gi) mine[gi];  // made here, filled below
  if (threads == 1) {
    for (int64_t gi = begin; local.ok() && gi < end; ++gi)
      local = RunGroup(sim, guard, samples, layers.size(), slot, groups[gi].first, groups[gi].second, &mine.at(gi),
                       &bytes);
  } else {
    std::vector<std::unique_ptr<Executor>> fp;
    ExecutorCopies sims(sim.executor());
    if (local.ok()) local = MakePairs(sim, guard, threads, &fp, &sims);
    std::vector<Status> st(static_cast<size_t>(end - begin));
    std::atomic<bool> failed{!local.ok()};
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (int64_t gi = begin; gi < end; ++gi) {
      if (failed.load()) continue;  // an earlier group failed: its status is returned
      const int t = omp_get_thread_num();
      size_t group_bytes = 0;
      Status& s = st[gi - begin];
      try {
        s = RunGroupBySample(*fp[t], sims.Get(t), sim.SimOptions(), sim.inputs(), samples, layers.size(), slot,
                             groups[gi].first, groups[gi].second, &mine.at(gi), &group_bytes);
      } catch (const std::bad_alloc&) {  // nothing may leave an OpenMP region
        s = Status::Internal("out of memory in the per-layer MSE (try a smaller --sens)");
      } catch (const std::exception& ex) {
        s = Status::Internal(ex.what());
      } catch (...) {
        s = Status::Internal("unknown exception");
      }
      if (!s.ok()) failed = true;
    }
    for (const Status& s : st)
      if (local.ok()) local = s;
  }
  if (local.ok()) local = guard.Restore();
  std::vector<std::vector<Accum>> all;
  LITEMP_RETURN_IF_ERROR(GatherGroups(comm, groups.size(), layers.size(), local, mine, &all));
  // Added in group order: the same sums as one process running the groups in turn.
  std::vector<Accum> acc(layers.size());
  for (const std::vector<Accum>& part : all)
    for (size_t i = 0; i < part.size(); ++i) {
      acc[i].sum += part[i].sum;
      acc[i].count += part[i].count;
    }
  std::vector<LayerMse> out;
  for (size_t i = 0; i < layers.size(); ++i) {
    if (acc[i].count == 0) continue;
    out.push_back({layers[i], g.nodes[layers[i]].name, acc[i].sum / acc[i].count});
  }
  return out;
}

}  // namespace litemp
