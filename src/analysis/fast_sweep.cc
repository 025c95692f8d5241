// The fast PSNR sweep. Enabling one layer's quantizers changes nothing upstream of that
// layer, so the FP32 model runs once with its intermediate values kept, and each layer then
// re-runs only its downstream nodes, reading everything else from that cache (but some
// Clip and Relu outputs, which it computes again from their inputs: LayerRuns). PSNR is
// accumulated per output from decomposable statistics (analysis/psnr_stats.h), so the
// samples can be split: into chunks whose cache fits the memory budget, and within a chunk
// into small executor runs (faster: small intermediates). Splitting into runs changes only
// the float summation order, and the last bits of kernels whose rounding depends on the
// batch size; chunks are made of whole runs, so the memory budget changes nothing. Where it
// pays (ThreadPerRunPays, SplitThreads) the runs go side by side on the threads, a sample at
// a time, and are joined back into the same runs before scoring: the same sums.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <exception>
#include <unordered_set>

#include "analysis/psnr_stats.h"
#include "analysis/sweep.h"
#include "core/progress.h"
#include "core/parallel.h"
#include "litemp/sample_parallel.h"
#include "litemp/stats.h"

namespace litemp {

namespace {

// One executor run's worth of samples and the FP32 values it produced.
struct Unit {
  int64_t begin = 0;  // first sample
  int64_t rows = 0;   // samples scored
  int64_t batch = 0;  // rows the executor sees (> rows when padded up to a fixed batch)
  std::vector<Tensor> cache;  // FP32 values by id (only those partial runs read)
  std::vector<Tensor> ref;    // FP32 graph outputs, plain, in model order

  bool SameRange(const Unit& o) const { return begin == o.begin && rows == o.rows && batch == o.batch; }
};

struct Plan {
  std::vector<std::vector<int>> start;  // per layer: where its partial run starts (LayerRuns)
  std::vector<char> need;               // by value id: read from the cache by some partial run
};

// A layer's quantizers change its own node's inputs and those of every consumer of a
// quantized tensor: a partial run starts there.
std::vector<int> StartNodes(const Graph& g, const QuantSim& sim, const SweepLayer& l) {
  std::vector<int> start{l.layer};
  for (int qi : l.quantizers)
    for (int c : g.values[sim.quantizers()[qi].value_id].consumers) start.push_back(c);
  std::sort(start.begin(), start.end());
  start.erase(std::unique(start.begin(), start.end()), start.end());
  return start;
}

// A layer's partial run: the nodes it starts at and every node downstream of them.
struct LayerRun {
  std::vector<int> start, down;
};

// Marks in *need the values the nodes `down` (flagged in `in_down`) read from outside them.
void MarkReads(const Graph& g, const std::vector<int>& down, const std::vector<char>& in_down, std::vector<char>* need) {
  for (int n : down)
    for (int v : g.nodes[n].inputs)
      if (v >= 0 && !g.values[v].is_initializer && (g.values[v].producer < 0 || !in_down[g.values[v].producer]))
        (*need)[v] = 1;
}

// Every layer's partial run. A layer's quantizers affect its own node and every consumer of
// a quantized tensor: for output quantizers those are downstream anyway, but a graph input
// or a (possibly shared) constant can feed nodes that are not downstream of the layer.
// A run that would read a CheapToRecompute node's output from the cache starts at that node
// instead where the output is no graph output, nothing outside the run reads it, and some
// run reads the node's input anyway (the Clip's own layer): the cache keeps the input only,
// and the run computes the output again as the caching run did (the input being kept, the
// Clip ran as a node there too). MobileNetV2's Relu6 outputs are then not cached: 26.9
// instead of 50.2 MiB a sample, so twice the samples per chunk.
std::vector<LayerRun> LayerRuns(const Graph& g, const QuantSim& sim, const std::vector<SweepLayer>& layers) {
  std::vector<LayerRun> runs;
  std::vector<char> read(g.values.size(), 0), in_down(g.nodes.size());
  auto flag = [&](const std::vector<int>& down) {
    std::fill(in_down.begin(), in_down.end(), 0);
    for (int n : down) in_down[n] = 1;
  };
  for (const SweepLayer& l : layers) {
    LayerRun r{StartNodes(g, sim, l), {}};
    r.down = g.Downstream(r.start);
    flag(r.down);
    MarkReads(g, r.down, in_down, &read);
    runs.push_back(std::move(r));
  }
  for (LayerRun& r : runs) {
    flag(r.down);
    for (size_t i = 0; i < r.down.size(); ++i)  // grows: an added node's inputs are checked too
      for (int v : g.nodes[r.down[i]].inputs) {
        const int p = v >= 0 && !g.values[v].is_graph_output ? g.values[v].producer : -1;
        if (p < 0 || in_down[p] || !CheapToRecompute(g, p)) continue;
        bool inside = true;
        for (int c : g.values[v].consumers) inside = inside && in_down[c];
        int u = -1;
        for (int in : g.nodes[p].inputs)
          if (in >= 0 && !g.values[in].is_initializer) u = in;
        if (!inside || !read[u]) continue;
        in_down[p] = 1;
        r.down.push_back(p);
        r.start.push_back(p);
      }
    std::sort(r.start.begin(), r.start.end());
  }
  return runs;
}

// What rank `me` caches and where its layers' runs start (the other ranks' layers get no
// start nodes and need nothing cached).
Plan MakePlan(const Graph& g, const std::vector<LayerRun>& runs, const std::vector<int>& owner, int me) {
  Plan p;
  p.need.assign(g.values.size(), 0);
  std::vector<char> in_down(g.nodes.size());
  for (size_t i = 0; i < runs.size(); ++i) {
    if (owner[i] != me) {
      p.start.emplace_back();
      continue;
    }
    std::fill(in_down.begin(), in_down.end(), 0);
    for (int n : runs[i].down) in_down[n] = 1;
    MarkReads(g, runs[i].down, in_down, &p.need);
    p.start.push_back(runs[i].start);
  }
  for (int o : g.outputs)
    if (!g.values[o].is_initializer) p.need[o] = 1;
  return p;
}

Batch UnitBatch(const Batch& samples, const Unit& u) { return SampleRows(samples, u.begin, u.rows, u.batch); }

// Runs the FP32 model (all quantizers off, constants synced) on the unit's samples with
// `exec` (the simulation's executor or a copy), keeping the planned values as the executor
// produces them (same buffers, same layout, no copies).
Status RunFp32(QuantSim& sim, Executor& exec, const Batch& samples, const Plan& plan, Unit* u) {
  const Graph& g = sim.graph();
  Batch batch = UnitBatch(samples, *u);
  u->cache.assign(g.values.size(), Tensor());
  std::unordered_map<int, Tensor> feeds = InputFeeds(sim.inputs(), batch), res;
  for (const auto& [input, t] : feeds)
    if (plan.need[input]) u->cache[input] = t;
  RunOptions o;
  o.observes = [&](int id) { return plan.need[id] != 0; };
  o.on_value = [&](int id, Tensor* t) {
    if (plan.need[id]) u->cache[id] = *t;
    return Status::OK();
  };
  LITEMP_RETURN_IF_ERROR(exec.Run(feeds, o, &res));
  u->ref.clear();
  for (int out : g.outputs) u->ref.push_back(res[out]);
  return Status::OK();
}

// fn(unit index, executor) for every unit: in turn with all threads, or, where that pays
// (ThreadPerRunPays), one unit per thread at a time on the threads' own executors. A unit's
// results are the same bits either way; the first failure, in unit order, is returned.
template <class F>
Status ForEachUnit(size_t units, ExecutorCopies& copies, bool spread, F&& fn) {
  if (!spread || units < 2) {
    for (size_t u = 0; u < units; ++u) LITEMP_RETURN_IF_ERROR(fn(u, copies.Get(0)));
    return Status::OK();
  }
  const int threads = static_cast<int>(std::min<size_t>(NumThreads(), units));
  LITEMP_RETURN_IF_ERROR(copies.Sync(threads));
  std::vector<Status> st(units);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (int64_t u = 0; u < static_cast<int64_t>(units); ++u) {
    try {
      st[u] = fn(static_cast<size_t>(u), copies.Get(omp_get_thread_num()));
    } catch (const std::exception& ex) {  // nothing may leave an OpenMP region
      st[u] = Status::Internal(ex.what());
    } catch (...) {
      st[u] = Status::Internal("unknown exception");
    }
  }
  for (const Status& s : st) LITEMP_RETURN_IF_ERROR(s);
  return Status::OK();
}

// The batched tail of a layer's partial runs: the pieces' frontier values (taken out of
// *pieces) joined in order, then the tail's nodes on all threads with `o`'s hooks.
Status RunTail(Executor& exec, const RunOptions& o, const BatchedTail& tail, const std::vector<int>& tail_nodes,
               std::vector<std::unordered_map<int, Tensor>>* pieces, std::unordered_map<int, Tensor>* out) {
  std::vector<Tensor> rows;
  for (auto& r : *pieces) {
    auto it = r.find(tail.frontier);
    if (it == r.end()) return Status::Internal("sensitivity: a partial run did not reach the batched tail");
    rows.push_back(std::move(it->second));
    r.clear();
  }
  std::vector<Tensor> cache(exec.graph().values.size());
  LITEMP_ASSIGN_OR_RETURN(cache[tail.frontier], ConcatBatchInLayout(rows));
  RunOptions t = o;
  t.start_nodes = tail_nodes;
  t.cache = &cache;
  return exec.Run({}, t, out);
}

double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Bytes held by the units' caches, counting shared buffers (views) once; only values
// `need` marks, when given.
size_t CacheBytes(const std::vector<Unit>& units, const std::vector<char>* need = nullptr) {
  std::unordered_set<const void*> seen;
  size_t bytes = 0;
  for (const Unit& u : units)
    for (size_t id = 0; id < u.cache.size(); ++id) {
      const Tensor& t = u.cache[id];
      if (t.defined() && (!need || (*need)[id]) && seen.insert(t.raw_data()).second) bytes += t.nbytes();
    }
  return bytes;
}

// Samples per chunk whose cache of `per_sample` bytes each fits `budget` (whole fixed
// batches of `fb`, at least one sample or batch, at most k).
int64_t ChunkSamples(size_t per_sample, size_t budget, int64_t k, int64_t fb) {
  if (per_sample == 0 || per_sample * static_cast<size_t>(k) <= budget) return k;
  int64_t chunk = std::max<int64_t>(1, static_cast<int64_t>(budget / per_sample));
  if (fb > 0) chunk = std::max(fb, chunk / fb * fb);
  return std::min(chunk, k);
}

// Output rows to score: all elements when one unit covers every sample exactly; otherwise
// the unit's rows, which requires the output to follow the batch dimension.
Result<int64_t> ScoredRows(const Tensor& t, const Unit& u, bool whole, const std::string& name) {
  if (whole) return int64_t{-1};
  if (t.rank() == 0 || t.dim(0) != u.batch)
    return Status::InvalidArgument("output '" + name + "' has shape " + ShapeToString(t.shape()) +
                                   ", which does not follow the batch of " + std::to_string(u.batch) +
                                   "; the fast sweep cannot split the samples (fixed batch or memory budget)");
  return u.rows;
}

}  // namespace

std::vector<double> LayerCosts(const QuantSim& sim, const std::vector<SweepLayer>& layers) {
  const Graph& g = sim.graph();
  const ModelStats st = ComputeStats(g);
  std::vector<double> cost;
  for (const LayerRun& r : LayerRuns(g, sim, layers)) {
    // FLOPs of the partial run, plus a node's fixed overhead (kernel launch, copies), taken
    // as 1 MFLOP so that layers followed by few multiply-adds still count.
    double c = 0;
    for (int n : r.down) c += st.node_flops[n] + 1e6;
    cost.push_back(c);
  }
  return cost;
}

std::vector<int> AssignLayers(const QuantSim& sim, const std::vector<SweepLayer>& layers, const Comm* comm) {
  if (SizeOf(comm) <= 1) return std::vector<int>(layers.size(), 0);
  return AssignByCost(LayerCosts(sim, layers), comm->size());
}

Status FastPsnrSweep(QuantSim& sim, const Batch& samples, const std::vector<SweepLayer>& layers,
                     const std::vector<int>& owner, const SensitivityOptions& opts, SweepScores* scores,
                     SensitivityStats* stats) {
  const int me = RankOf(opts.comm);
  scores->psnr.assign(layers.size(), std::nan(""));
  scores->seconds.assign(layers.size(), 0.0);
  if (layers.empty()) return Status::OK();
  const int64_t mine = std::count(owner.begin(), owner.end(), me);
  const Graph& g = sim.graph();
  const int64_t k = samples[0].dim(0);
  const int64_t fb = FixedBatch(sim.inputs());
  // What this rank caches: the values its own layers' partial runs read. The runs are sized
  // from what one process would cache (the plan of every layer), so every rank scores the
  // same units as one process does and results stay bit-identical.
  const std::vector<LayerRun> runs = LayerRuns(g, sim, layers);
  const Plan plan = MakePlan(g, runs, owner, me);
  const Plan all = MakePlan(g, runs, std::vector<int>(layers.size(), me), me);
  const size_t num_out = g.outputs.size();
  LITEMP_ASSIGN_OR_RETURN(const int only, ScoredOutput(sim, opts));  // -1: every output
  auto out_name = [&](size_t j) { return g.values[g.outputs[j]].name; };
  std::vector<std::string> quoted;  // "'name'" per output, for messages
  for (int o : g.outputs) quoted.push_back(std::string(1, '\'') + g.values[o].name + '\'');

  // Units run side by side on the threads' own executors where that pays, and then one
  // sample at a time when the model keeps samples apart (smaller activations; the joined
  // outputs are the unit's bits, see litemp/sample_parallel.h).
  ExecutorCopies copies(sim.executor());
  bool spread = ThreadPerRunPays(RunKind::kObserving) && fb <= 0 && CheckSamplesIndependent(g).ok();
  // Probe one unit (one sample, or one fixed batch) to size the chunks.
  Unit probe{0, fb > 0 ? std::min(k, fb) : 1, fb > 0 ? fb : 1, {}, {}};
  auto t_probe = std::chrono::steady_clock::now();
  LITEMP_RETURN_IF_ERROR(RunFp32(sim, sim.executor(), samples, all, &probe).WithContext("sensitivity (FP32 run)"));
  stats->fp32_seconds += SecondsSince(t_probe);
  const size_t per_sample_all = (CacheBytes({probe}) + probe.batch - 1) / probe.batch;
  const size_t per_sample = (CacheBytes({probe}, &plan.need) + probe.batch - 1) / probe.batch;
  for (size_t id = 0; id < probe.cache.size(); ++id)
    if (!plan.need[id]) probe.cache[id] = Tensor();
  // Chunks bound the cache (memory budget); runs within a chunk feed `run` samples at a time
  // (a fixed batch, or enough samples for about opts.run_bytes of cached values).
  int64_t run = fb > 0 ? fb : ChunkSamples(per_sample_all, opts.memory_budget_bytes, k, fb);
  if (fb <= 0 && opts.run_bytes > 0 && per_sample_all > 0)
    run = std::clamp<int64_t>(static_cast<int64_t>(opts.run_bytes / per_sample_all), 1, run);
  // This rank's chunks, at least one run (a rank caching less than one process fits more).
  int64_t chunk = std::max(run, ChunkSamples(per_sample, opts.memory_budget_bytes, k, fb));
  // Chunks of whole runs: every unit then starts where it would without chunking, and each
  // layer's statistics add up the same units in the same order, so the budget changes
  // memory and time only, never a bit of the result.
  if (chunk < k) chunk = chunk / run * run;
  auto make_unit = [&](int64_t begin, int64_t end) {
    const int64_t rows = std::min(run, end - begin);
    return Unit{begin, rows, fb > 0 ? fb : rows, {}, {}};
  };
  const bool whole = run >= k && (fb <= 0 || fb == k);
  const int64_t num_chunks = (k + chunk - 1) / chunk;
  stats->chunks = static_cast<int>(num_chunks);
  stats->chunk_samples = chunk;
  stats->run_samples = run;
  stats->cache_bytes_per_sample = per_sample;
  // A chunk's samples are what goes side by side: enough of them for every thread, and
  // executor copies that fit (SplitThreads).
  spread = spread && SplitThreads(chunk, LayerWeightBytes(g)) > 1;
  const bool one_each = spread && run > 1;
  if (!(one_each ? Unit{0, 1, 1, {}, {}} : make_unit(0, std::min(k, chunk))).SameRange(probe)) probe = Unit{};

  // Layers upstream of a batched tail (litemp/sample_parallel.h): each sample's run stops at
  // the tail's frontier, and the tail runs once for the chunk's samples on all threads
  // (the same bits: the samples' frontier values joined, as a whole run makes them).
  BatchedTail tail = one_each && opts.batched_tail ? PlanBatchedTail(g) : BatchedTail{};
  // The tail's batch is the chunk: only where its values stay within a run's bytes.
  if (opts.run_bytes > 0 && static_cast<double>(tail.sample_bytes) * static_cast<double>(chunk) >
                                static_cast<double>(opts.run_bytes))
    tail = BatchedTail{};
  std::vector<int> tail_nodes;
  for (int n = std::max(tail.start, 0); tail.start > 0 && n < static_cast<int>(g.nodes.size()); ++n)
    tail_nodes.push_back(n);

  std::vector<char> scored(num_out, 0);
  std::vector<RangeStats> range(num_out);
  std::vector<std::vector<ErrorStats>> err(layers.size(), std::vector<ErrorStats>(num_out));
  Progress progress("sensitivity", mine * num_chunks, opts.quiet);
  for (int64_t s = 0; s < k; s += chunk) {
    const int64_t e = std::min(k, s + chunk);
    std::vector<Unit> units;
    for (int64_t b = s; b < e; b += run) units.push_back(make_unit(b, e));
    // What the executors run: the units, or one sample each (`one_each`), whose outputs
    // are joined per unit before scoring; span[u] is unit u's range of pieces.
    std::vector<Unit> samples_of_chunk;
    std::vector<std::pair<size_t, size_t>> span;
    for (const Unit& u : units) {
      const size_t first = one_each ? samples_of_chunk.size() : span.size();
      if (one_each)
        for (int64_t r = 0; r < u.rows; ++r) samples_of_chunk.push_back(Unit{u.begin + r, 1, 1, {}, {}});
      span.emplace_back(first, one_each ? samples_of_chunk.size() : first + 1);
    }
    std::vector<Unit>& pieces = one_each ? samples_of_chunk : units;
    // Joins the pieces' value `pick(piece)` of unit ui (the unit's own when not split).
    auto joined = [&](size_t ui, auto pick) -> Result<Tensor> {
      if (!one_each) return pick(ui);
      std::vector<Tensor> parts;
      for (size_t p = span[ui].first; p < span[ui].second; ++p) parts.push_back(pick(p));
      return ConcatBatch(parts);
    };
    LITEMP_RETURN_IF_ERROR(sim.SyncConstants());  // the previous chunk's last layer left quantized weights
    if (!probe.cache.empty() && pieces[0].SameRange(probe)) {
      pieces[0] = std::move(probe);
      probe = Unit{};
    }
    const auto t_fp32 = std::chrono::steady_clock::now();
    LITEMP_RETURN_IF_ERROR(ForEachUnit(pieces.size(), copies, spread, [&](size_t pi, Executor& e) {
                             return pieces[pi].ref.empty() ? RunFp32(sim, e, samples, plan, &pieces[pi]) : Status::OK();
                           }).WithContext("sensitivity (FP32 run)"));
    stats->fp32_seconds += SecondsSince(t_fp32);
    for (size_t ui = 0; one_each && ui < units.size(); ++ui) {
      for (size_t j = 0; j < num_out; ++j) {
        LITEMP_ASSIGN_OR_RETURN(Tensor r, joined(ui, [&](size_t p) { return pieces[p].ref[j]; }));
        units[ui].ref.push_back(std::move(r));
      }
      for (size_t p = span[ui].first; p < span[ui].second; ++p) pieces[p].ref.clear();  // joined: held once
    }
    for (Unit& u : units) {
      for (size_t j = 0; j < num_out; ++j) {
        if (!IsFloat(u.ref[j].dtype()) || (only >= 0 && static_cast<int>(j) != only)) continue;
        scored[j] = 1;
        LITEMP_ASSIGN_OR_RETURN(int64_t rows, ScoredRows(u.ref[j], u, whole, out_name(j)));
        AddRange(u.ref[j], rows, &range[j]);
        if (range[j].nonfinite)
          return Status::InvalidArgument("FP32 output '" + out_name(j) + "' holds NaN or Inf; PSNR is undefined");
      }
    }
    if (std::find(scored.begin(), scored.end(), 1) == scored.end())
      return Status::InvalidArgument("sensitivity: the model has no float outputs to score");
    stats->cache_bytes = std::max(stats->cache_bytes, CacheBytes(pieces));

    for (size_t i = 0; i < layers.size(); ++i) {
      if (owner[i] != me) continue;
      const auto t0 = std::chrono::steady_clock::now();
      const std::string where = "sensitivity of layer '" + g.nodes[layers[i].layer].name + "'";
      for (int qi : layers[i].quantizers) sim.quantizers()[qi].enabled = true;
      Status st = sim.SyncConstants();
      RunOptions o = sim.SimOptions();
      o.start_nodes = plan.start[i];
      const bool batch_tail = !tail_nodes.empty() && !plan.start[i].empty() &&
                              *std::max_element(plan.start[i].begin(), plan.start[i].end()) < tail.start;
      if (batch_tail && s == 0) ++stats->batched_tail_layers;
      std::vector<std::unordered_map<int, Tensor>> results(pieces.size());
      if (st.ok())
        st = ForEachUnit(pieces.size(), copies, spread, [&](size_t pi, Executor& e) {
          RunOptions op = o;
          op.cache = &pieces[pi].cache;
          if (batch_tail) {
            op.fetch_graph_outputs = false;
            op.fetch = {tail.frontier};
            op.plain_results = false;  // as the tail's kernels read it
          }
          return e.Run({}, op, &results[pi]);
        });
      std::unordered_map<int, Tensor> tail_out;  // the chunk's outputs, a row per piece
      if (st.ok() && batch_tail) st = RunTail(sim.executor(), o, tail, tail_nodes, &results, &tail_out);
      // Scored unit by unit, in order: the same sums whichever thread ran what.
      for (size_t ui = 0; st.ok() && ui < units.size(); ++ui) {
        Unit& u = units[ui];
        for (size_t j = 0; st.ok() && j < num_out; ++j) {
          if (!scored[j]) continue;
          Result<Tensor> a = batch_tail ? SliceBatch(tail_out[g.outputs[j]], span[ui].first, span[ui].second)
                                        : joined(ui, [&](size_t p) { return results[p][g.outputs[j]]; });
          st = a.ok() ? CheckScorable(u.ref[j], *a, quoted[j]) : a.status();
          if (st.ok()) AddError(u.ref[j], *a, whole ? -1 : u.rows, &err[i][j]);
        }
        for (size_t p = span[ui].first; p < span[ui].second; ++p) results[p].clear();  // scored
      }
      for (int qi : layers[i].quantizers) sim.quantizers()[qi].enabled = false;
      LITEMP_RETURN_IF_ERROR(st.WithContext(where));
      scores->seconds[i] += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      progress.Advance();
    }
  }
  progress.Finish();

  for (size_t i = 0; i < layers.size(); ++i) {
    if (owner[i] != me) continue;
    bool any = false;
    for (size_t j = 0; j < num_out; ++j) {
      if (!scored[j]) continue;
      LITEMP_ASSIGN_OR_RETURN(double p, PsnrFromStats(range[j], err[i][j], quoted[j]));
      scores->psnr[i] = any ? std::min(scores->psnr[i], p) : p;
      any = true;
    }
  }
  return Status::OK();
}

}  // namespace litemp
