#include "litemp/sample_parallel.h"

#include <algorithm>
#include <exception>

#include "core/parallel.h"
#include "kernels/dnnl/conv_avx512_as_avx2.h"
#include "litemp/kernel_set.h"

namespace litemp {

namespace {

// The portable set's AVX-512 convolutions (conv_avx512_as_avx2.h) gain like the native ones.
bool SplitPays(RunKind kind) {
  return kind == RunKind::kObserving || KernelsUseAvx512() || Avx512AsAvx2Available();
}

}  // namespace

bool ThreadPerRunPays(RunKind kind) { return NumThreads() > 1 && SplitPays(kind); }

int SplitThreads(int64_t items, size_t weight_bytes, int executors) {
  return SplitThreadsFor(NumThreads(), items, weight_bytes, executors);
}

ExecutorCopies::~ExecutorCopies() = default;

// Copies share main's constants (the same buffers); one it replaced since is handed on.
Status ExecutorCopies::Sync(int threads) {
  while (static_cast<int>(copies_.size()) < threads - 1) {
    LITEMP_ASSIGN_OR_RETURN(std::unique_ptr<Executor> e, Executor::Create(main_.graph()));
    copies_.push_back(std::move(e));
  }
  for (auto& c : copies_)
    for (const auto& [id, t] : main_.graph().initializers) {
      const Tensor* mine = c->graph().Constant(id);
      if (mine && mine->raw_data() != t.raw_data()) LITEMP_RETURN_IF_ERROR(c->SetConstant(id, t));
    }
  return Status::OK();
}

SampleParallelRunner::SampleParallelRunner(Executor& exec, const ModelInputs& in, Policy policy)
    : exec_(exec), in_(in), copies_(exec) {
  // The thread count is asked at each run (Python may change it); the rest is fixed.
  if (policy == Policy::kNever || FixedBatch(in) > 0) return;
  if (policy == Policy::kAuto && !SplitPays(RunKind::kPlain)) return;
  if (policy == Policy::kAutoObserving && !SplitPays(RunKind::kObserving)) return;
  split_ = CheckSamplesIndependent(exec.graph()).ok();
  if (split_) weight_bytes_ = LayerWeightBytes(exec.graph());
  // kAutoObserving runs' hooks may keep per-sample state: they take no tail.
  if (split_ && policy != Policy::kAutoObserving) tail_ = PlanBatchedTail(exec.graph());
}

SampleParallelRunner::~SampleParallelRunner() = default;

bool SampleParallelRunner::splits(int64_t batch) const {
  return split_ && SplitThreads(batch, weight_bytes_) > 1;
}

bool SampleParallelRunner::Whole(const Batch& batch) const {
  return batch.empty() || !batch[0].defined() || batch[0].rank() == 0 || !splits(batch[0].dim(0));
}

namespace {

// Moves the values `keep` of a run that fetched them in the executor's layout out of *res
// into a cache by value id; what the caller asked for stays in *res, plain.
std::vector<Tensor> TakeKept(const Graph& g, const std::vector<int>& keep, const RunOptions& asked,
                             std::unordered_map<int, Tensor>* res) {
  std::vector<Tensor> cache(g.values.size());
  for (int id : keep) {
    auto it = res->find(id);
    if (it != res->end()) cache[id] = it->second;
  }
  std::vector<char> wanted(g.values.size(), 0);
  if (asked.fetch_graph_outputs)
    for (int o : g.outputs) wanted[o] = 1;
  for (int f : asked.fetch) wanted[f] = 1;
  for (auto it = res->begin(); it != res->end();) {
    if (!wanted[it->first]) {
      it = res->erase(it);
    } else {
      it->second = ToPlain(it->second);
      ++it;
    }
  }
  return cache;
}

// `options` fetching `keep` too, in the executor's layout.
RunOptions KeepingOptions(const RunOptions& options, const std::vector<int>& keep) {
  RunOptions o = options;
  o.fetch.insert(o.fetch.end(), keep.begin(), keep.end());
  o.plain_results = false;
  return o;
}

}  // namespace

Status SampleParallelRunner::Run(const Batch& batch, const RunOptions& options,
                                 std::unordered_map<int, Tensor>* results) {
  return Run(batch, options, results, {});
}

Status SampleParallelRunner::Run(const Batch& batch, const RunOptions& options, std::unordered_map<int, Tensor>* results,
                                 const std::vector<int>& keep) {
  const bool whole =
      Whole(batch) || !options.fetch.empty() || !options.start_nodes.empty() || options.cache || options.profile;
  return RunParts(batch, whole, [&](int64_t) { return options; }, keep, options, results);
}

Status SampleParallelRunner::RunFrom(const SampleParallelRunner& from, const SharedPrefix& share, const Batch& batch,
                                     const RunOptions& options, std::unordered_map<int, Tensor>* results,
                                     const std::vector<int>& keep) {
  const bool whole = Whole(batch);
  const size_t parts = whole ? 1 : static_cast<size_t>(batch[0].dim(0));
  // The same simulation (no start nodes) takes the outputs as they are; it keeps nothing.
  const bool same = share.start_nodes.empty();
  bool usable = !share.empty() && options.fetch.empty() && options.start_nodes.empty() && !options.cache && !options.profile &&
                from.kept_.size() == parts && !(same && (!keep.empty() || !options.fetch_graph_outputs));
  for (size_t i = 0; usable && i < parts; ++i)
    for (int v : share.frontier) usable = usable && v < static_cast<int>(from.kept_[i].size()) && from.kept_[i][v].defined();
  if (!usable) return Run(batch, options, results, keep);
  if (same) {
    kept_.clear();
    LITEMP_RETURN_IF_ERROR(CheckInputShapes(in_, batch));
    results->clear();
    for (int o : share.frontier) {
      std::vector<Tensor> rows;
      for (const std::vector<Tensor>& k : from.kept_) rows.push_back(k[o]);
      LITEMP_ASSIGN_OR_RETURN((*results)[o], ConcatBatch(rows));
    }
    return Status::OK();
  }
  auto options_for = [&](int64_t i) {
    RunOptions o = options;
    o.start_nodes = share.start_nodes;
    o.cache = &from.kept_[static_cast<size_t>(i)];
    return o;
  };
  return RunParts(batch, whole, options_for, keep, options, results);
}

Status SampleParallelRunner::RunParts(const Batch& batch, bool whole, const std::function<RunOptions(int64_t)>& options_for,
                                      const std::vector<int>& keep_asked, const RunOptions& asked,
                                      std::unordered_map<int, Tensor>* results) {
  kept_.clear();
  // A fixed batch runs in padded chunks whose values are not the batch's.
  const std::vector<int> keep = FixedBatch(in_) > 0 ? std::vector<int>{} : keep_asked;
  auto keeping = [&](int64_t i) { return keep.empty() ? options_for(i) : KeepingOptions(options_for(i), keep); };
  if (whole) {
    LITEMP_RETURN_IF_ERROR(RunBatch(exec_, in_, batch, keeping(0), results));
    if (!keep.empty()) kept_.push_back(TakeKept(exec_.graph(), keep, asked, results));
    return Status::OK();
  }
  LITEMP_RETURN_IF_ERROR(CheckInputShapes(in_, batch));
  return RunSplit(batch, keeping, keep, asked, results);
}

Status SampleParallelRunner::RunSplit(const Batch& batch, const std::function<RunOptions(int64_t)>& options_for,
                                      const std::vector<int>& keep, const RunOptions& asked, std::unordered_map<int, Tensor>* results) {
  const int64_t n = batch[0].dim(0);
  const int threads = NumThreads();  // n >= 2 * threads (splits)
  LITEMP_RETURN_IF_ERROR(copies_.Sync(threads));
  std::vector<std::unordered_map<int, Tensor>> parts(n);
  std::vector<Status> status(n);
  if (!keep.empty()) kept_.assign(n, {});
  // A batched tail (PlanBatchedTail) for whole plain runs whose kept values come before it:
  // the samples' runs stop at its frontier.
  const RunOptions first = options_for(0);
  bool tail = tail_.start > 0 && first.start_nodes.empty() && !first.cache && asked.fetch.empty() &&
              asked.fetch_graph_outputs;
  const int values = static_cast<int>(exec_.graph().values.size());
  for (int v : keep) tail = tail && v >= 0 && v < values && exec_.graph().values[v].producer < tail_.start;
  std::vector<Tensor> frontier(tail ? n : 0);
  // Dynamic: on a shared VM one thread may be slowed; a sample's result does not depend
  // on which thread ran it.
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (int64_t i = 0; i < n; ++i) {
    Executor& e = copies_.Get(omp_get_thread_num());
    try {
      RunOptions o = options_for(i);
      if (tail) {
        o.fetch_graph_outputs = false;
        o.fetch.push_back(tail_.frontier);
        o.plain_results = false;  // as the tail's kernels read it
      }
      status[i] = RunBatch(e, in_, SampleRows(batch, i, 1, 1), o, &parts[i]);
      if (status[i].ok() && tail) frontier[i] = parts[i].at(tail_.frontier);
      if (status[i].ok() && !keep.empty()) kept_[i] = TakeKept(e.graph(), keep, asked, &parts[i]);
    } catch (const std::exception& ex) {  // nothing may leave an OpenMP region
      status[i] = Status::Internal(std::string("sample-parallel run: ") + ex.what());
    } catch (...) {
      status[i] = Status::Internal("sample-parallel run: unknown exception");
    }
  }
  for (const Status& s : status) {
    if (!s.ok()) kept_.clear();
    LITEMP_RETURN_IF_ERROR(s);
  }
  if (tail) {  // the tail on the whole batch, all threads, from the samples' frontier values
    std::vector<Tensor> cache(exec_.graph().values.size());
    LITEMP_ASSIGN_OR_RETURN(cache[tail_.frontier], ConcatBatchInLayout(frontier));
    RunOptions o = asked;
    for (int k = tail_.start; k < static_cast<int>(exec_.graph().nodes.size()); ++k) o.start_nodes.push_back(k);
    o.cache = &cache;
    Status s = RunBatch(exec_, in_, batch, o, results);
    if (!s.ok()) kept_.clear();  // as for a failed sample
    tail_runs_ += s.ok();
    return s;
  }
  results->clear();
  for (const auto& [id, first] : parts[0]) {
    std::vector<Tensor> rows(n);
    for (int64_t i = 0; i < n; ++i) {
      auto it = parts[i].find(id);
      // CheckSamplesIndependent promised one row per sample; anything else is a bug there.
      if (it == parts[i].end() || it->second.rank() == 0 || it->second.dim(0) != 1)
        return Status::Internal("sample-parallel run: value '" + exec_.graph().values[id].name +
                                "' does not have one row per sample");
      rows[i] = it->second;
    }
    LITEMP_ASSIGN_OR_RETURN((*results)[id], ConcatBatch(rows));
  }
  return Status::OK();
}

}  // namespace litemp
