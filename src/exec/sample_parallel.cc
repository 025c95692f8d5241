#include "litemp/sample_parallel.h"

#include <algorithm>
#include <exception>

#include "core/parallel.h"
#include "litemp/kernel_set.h"

namespace litemp {

namespace {

bool SplitPays(RunKind kind) { return kind == RunKind::kObserving || KernelsUseAvx512(); }

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
}

SampleParallelRunner::~SampleParallelRunner() = default;

bool SampleParallelRunner::splits(int64_t batch) const {
  return split_ && SplitThreads(batch, weight_bytes_) > 1;
}

Status SampleParallelRunner::Run(const Batch& batch, const RunOptions& options,
                                 std::unordered_map<int, Tensor>* results) {
  const bool whole = batch.empty() || !batch[0].defined() || batch[0].rank() == 0 || !splits(batch[0].dim(0)) ||
                     !options.fetch.empty() || !options.start_nodes.empty() || options.cache;
  if (whole) return RunBatch(exec_, in_, batch, options, results);
  LITEMP_RETURN_IF_ERROR(CheckInputShapes(in_, batch));
  return RunSplit(batch, options, results);
}

Status SampleParallelRunner::RunSplit(const Batch& batch, const RunOptions& options,
                                      std::unordered_map<int, Tensor>* results) {
  const int64_t n = batch[0].dim(0);
  const int threads = NumThreads();  // n >= 2 * threads (splits)
  LITEMP_RETURN_IF_ERROR(copies_.Sync(threads));
  std::vector<std::unordered_map<int, Tensor>> parts(n);
  std::vector<Status> status(n);
  // Dynamic: on a shared VM one thread may be slowed; a sample's result does not depend
  // on which thread ran it.
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (int64_t i = 0; i < n; ++i) {
    Executor& e = copies_.Get(omp_get_thread_num());
    try {
      status[i] = RunBatch(e, in_, SampleRows(batch, i, 1, 1), options, &parts[i]);
    } catch (const std::exception& ex) {  // nothing may leave an OpenMP region
      status[i] = Status::Internal(std::string("sample-parallel run: ") + ex.what());
    } catch (...) {
      status[i] = Status::Internal("sample-parallel run: unknown exception");
    }
  }
  for (const Status& s : status) LITEMP_RETURN_IF_ERROR(s);
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
