#include "litemp/evaluate.h"

#include <algorithm>
#include <cmath>

#include "core/bytes.h"
#include "core/progress.h"
#include "core/stopwatch.h"
#include "litemp/sample_parallel.h"

namespace litemp {

namespace {
// Rank of the label's score among the classes: how many classes beat it (ties go to the
// lower index, as argmax does). NaN ranks last.
int64_t LabelRank(const float* s, int64_t classes, int64_t label) {
  float v = s[label];
  if (std::isnan(v)) return classes;
  int64_t rank = 0;
  for (int64_t c = 0; c < classes; ++c)
    if (s[c] > v || (s[c] == v && c < label)) ++rank;
  return rank;
}

int64_t ArgMax(const float* s, int64_t classes) {
  int64_t best = 0;
  for (int64_t c = 1; c < classes; ++c)
    if (s[c] > s[best] || (std::isnan(s[best]) && !std::isnan(s[c]))) best = c;
  return best;
}
// OK when sample i's label is a class index of a model with `classes` outputs.
Status CheckLabel(const Dataset& data, size_t i, int64_t classes) {
  const int64_t label = data.label(i);
  if (label >= 0 && label < classes) return Status::OK();
  return Status::InvalidArgument("label " + std::to_string(label) + " of '" + data.name(i) + "' is outside the model's " +
                                 std::to_string(classes) + " classes (check --label-offset)");
}

// True when `y` reads as scores of `n` samples: [N, classes >= 2] or [N, classes, 1, 1] (a
// convolutional head); a spatial map is not scores.
bool IsScores(const Tensor& y, int64_t n) {
  // At least two classes: argmax of a single score (e.g. a binary logit) says nothing.
  bool scores = y.dtype() == DType::kFloat32 && y.rank() >= 2 && y.dim(0) == n && y.dim(1) >= 2;
  for (int d = 2; scores && d < y.rank(); ++d) scores = y.dim(d) == 1;
  return scores;
}

// Scores one batch's output `y` for samples `idx`: the predicted classes always (when `y` is
// scores), the hit counts when the data has labels (then `y` must be scores).
Status ScoreBatch(const Graph& g, int out_id, const Tensor& y, const Dataset& data, const std::vector<size_t>& idx,
                  int64_t* top1, int64_t* top5, Accuracy* result) {
  if (!IsScores(y, static_cast<int64_t>(idx.size()))) {
    if (!data.has_labels()) return Status::OK();
    return Status::InvalidArgument("output '" + g.values[out_id].name + "' has shape " + ShapeToString(y.shape()) +
                                   "; classification needs float [N, classes] (leave out --labels to compare with "
                                   "FP32 only, or pick another output with --output)");
  }
  const int64_t classes = y.numel() / y.dim(0);
  for (size_t i = 0; i < idx.size(); ++i) {
    const float* s = y.data<float>() + i * classes;
    if (data.has_labels()) {
      const int64_t label = data.label(idx[i]);
      LITEMP_RETURN_IF_ERROR(CheckLabel(data, idx[i], classes));
      int64_t rank = LabelRank(s, classes, label);
      *top1 += rank < 1;
      *top5 += rank < 5;
    }
    result->predicted.push_back(ArgMax(s, classes));
  }
  return Status::OK();
}

// The outputs a fidelity meter compares: every graph output, or the chosen one.
std::vector<int> ComparedOutputs(const Graph& g, const std::string& output, int scored) {
  if (!output.empty()) return {scored};
  std::vector<int> all(g.outputs.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
  return all;
}
}  // namespace

namespace {

// One target's results on one batch, computed where the batch ran (maybe another rank) and
// added to the totals in batch order by Tally.
struct TargetBatch {
  int64_t top1 = 0, top5 = 0;
  std::vector<int64_t> predicted;
  std::string fidelity;         // FidelityMeter::Measure against the reference target
  bool compare_failed = false;  // labelled data: the outputs could not be compared
};
using BatchRecord = std::vector<TargetBatch>;  // by target

void Pack(const BatchRecord& rec, ByteWriter* w) {
  for (const TargetBatch& tb : rec) {
    w->Put(tb.top1);
    w->Put(tb.top5);
    w->PutVector(tb.predicted);
    w->PutString(tb.fidelity);
    w->Put<uint8_t>(tb.compare_failed);
  }
}

Status Unpack(ByteReader* in, size_t targets, BatchRecord* rec) {
  rec->assign(targets, TargetBatch{});
  for (TargetBatch& tb : *rec) {
    uint8_t failed = 0;
    LITEMP_RETURN_IF_ERROR(in->Get(&tb.top1));
    LITEMP_RETURN_IF_ERROR(in->Get(&tb.top5));
    LITEMP_RETURN_IF_ERROR(in->GetVector(&tb.predicted));
    LITEMP_RETURN_IF_ERROR(in->GetString(&tb.fidelity));
    LITEMP_RETURN_IF_ERROR(in->Get(&failed));
    tb.compare_failed = failed != 0;
  }
  return Status::OK();
}

// What every batch shares: the targets, their scored outputs and fidelity meters.
struct EvalState {
  std::vector<EvalTarget>* targets = nullptr;
  std::vector<int> scored;
  std::vector<FidelityMeter> meters;  // for targets 1.. against target 0
  std::vector<int64_t> top1, top5;
  std::vector<char> compare;          // target still compared (labelled data: best effort)
  std::vector<std::unique_ptr<SampleParallelRunner>> runners;  // by target
  std::vector<std::vector<int>> keep;  // by target: values later targets start from
  std::vector<int> last_reader;        // by target: the last target starting from its values
  bool labelled = false;
  std::string output;
};

// The values each target keeps for the targets that share with it (EvalTarget::share). A
// target that itself starts part-way reads from its own source the values it does not
// compute, so that source keeps them too, up the chain.
Status PlanKeptValues(const std::vector<EvalTarget>& targets, std::vector<std::vector<int>>* keep) {
  keep->assign(targets.size(), {});
  for (size_t t = 0; t < targets.size(); ++t) {
    const int from = targets[t].shares_with;
    if (from >= static_cast<int>(t) ||
        (from >= 0 && targets[from].exec->graph().values.size() != targets[t].exec->graph().values.size()))
      return Status::InvalidArgument("evaluation target '" + targets[t].name +
                                     "' shares values with a later or different target");
  }
  for (size_t t = 0; t < targets.size(); ++t) {
    std::vector<int> values = targets[t].share.frontier;
    for (int from = targets[t].shares_with; from >= 0 && !values.empty();) {
      std::vector<int>& k = (*keep)[from];
      k.insert(k.end(), values.begin(), values.end());
      std::sort(k.begin(), k.end());
      k.erase(std::unique(k.begin(), k.end()), k.end());
      // A target with nothing to run (the same simulation) that keeps values runs whole.
      const EvalTarget& f = targets[from];
      if (f.shares_with < 0 || f.share.start_nodes.empty()) break;
      const Graph& g = f.exec->graph();
      std::vector<char> runs(g.nodes.size(), 0);
      for (int n : g.Downstream(f.share.start_nodes)) runs[n] = 1;
      std::vector<int> missing;
      for (int v : values)
        if (g.values[v].producer >= 0 && !runs[g.values[v].producer]) missing.push_back(v);
      values = std::move(missing);
      from = f.shares_with;
    }
  }
  return Status::OK();
}

// Runs every target on batch `x` (samples `idx`) and measures it.
Status RunEvalBatch(EvalState& st, const Dataset& data, const std::vector<size_t>& idx, const Batch& x,
                    BatchRecord* rec) {
  std::vector<EvalTarget>& targets = *st.targets;
  rec->assign(targets.size(), TargetBatch{});
  std::vector<Tensor> reference;  // the first target's compared outputs
  for (size_t t = 0; t < targets.size(); ++t) {
    EvalTarget& target = targets[t];
    TargetBatch& tb = (*rec)[t];
    Stopwatch tr;
    const Graph& g = target.exec->graph();
    const int out_id = g.outputs[st.scored[t]];
    std::unordered_map<int, Tensor> res;
    Accuracy scratch;
    Status s = target.shares_with >= 0
                   ? st.runners[t]->RunFrom(*st.runners[target.shares_with], target.share, x, target.run, &res,
                                            st.keep[t])
                   : st.runners[t]->Run(x, target.run, &res, st.keep[t]);
    if (s.ok()) s = ScoreBatch(g, out_id, res[out_id], data, idx, &tb.top1, &tb.top5, &scratch);
    tb.predicted = std::move(scratch.predicted);
    std::vector<Tensor> outs;
    for (int j : ComparedOutputs(g, st.output, st.scored[t])) outs.push_back(res[g.outputs[j]]);
    if (s.ok() && t == 0) reference = std::move(outs);
    if (s.ok() && t > 0) {
      Result<std::string> m = st.meters[t - 1].Measure(reference, outs);
      if (m.ok()) {
        tb.fidelity = std::move(m).value();
      } else if (st.labelled) {
        tb.compare_failed = true;
      } else {
        s = m.status();
      }
    }
    if (!s.ok()) return target.name.empty() ? s : s.WithContext("evaluating " + target.name);
    target.seconds += tr.Seconds();
    if (target.shares_with >= 0 && st.last_reader[target.shares_with] == static_cast<int>(t))
      st.runners[target.shares_with]->DropKept();  // freed before the later targets run
  }
  return Status::OK();
}

// Adds one batch's record to the totals, exactly as if it had been scored here and now.
Status Tally(EvalState& st, const BatchRecord& rec, int64_t n) {
  std::vector<EvalTarget>& targets = *st.targets;
  const size_t done = targets[0].result->predicted.size();  // samples before this batch
  for (size_t t = 0; t < targets.size(); ++t) {
    const TargetBatch& tb = rec[t];
    Accuracy* r = targets[t].result;
    st.top1[t] += tb.top1;
    st.top5[t] += tb.top5;
    r->predicted.insert(r->predicted.end(), tb.predicted.begin(), tb.predicted.end());
    if (t == 0 || !st.compare[t]) continue;
    FidelityMeter& m = st.meters[t - 1];
    if (tb.compare_failed) {
      st.compare[t] = 0;
    } else {
      LITEMP_RETURN_IF_ERROR(m.AddMeasured(tb.fidelity, n));
    }
    const auto& ref_pred = targets[0].result->predicted;
    if (ref_pred.size() == done + static_cast<size_t>(n) && r->predicted.size() == ref_pred.size()) {
      int64_t same = 0;
      for (size_t i = done; i < r->predicted.size(); ++i) same += r->predicted[i] == ref_pred[i];
      m.AddAgreement(same, n);
    }
  }
  return Status::OK();
}

}  // namespace

Status EvaluateClassificationMany(std::vector<EvalTarget>& targets, const Dataset& data,
                                  const std::vector<size_t>& indices, const EvalOptions& options,
                                  double* load_seconds) {
  if (targets.empty()) return Status::InvalidArgument("no evaluation targets");
  EvalState st;
  st.targets = &targets;
  st.scored.resize(targets.size());
  st.top1.assign(targets.size(), 0);
  st.top5.assign(targets.size(), 0);
  // With labels fidelity is a bonus: a target whose outputs cannot be compared with the
  // reference (NaN/Inf in FP32, data-dependent shapes) keeps its accuracy and has none.
  st.labelled = data.has_labels();
  st.compare.assign(targets.size(), 1);
  st.output = options.output;
  for (size_t t = 0; t < targets.size(); ++t) {
    EvalTarget& target = targets[t];
    if (!target.exec || !target.inputs || !target.result) return Status::InvalidArgument("an evaluation target is incomplete");
    const Graph& g = target.exec->graph();
    LITEMP_ASSIGN_OR_RETURN(st.scored[t], FindOutput(g, options.output));
    if (t > 0 && g.outputs.size() != targets[0].exec->graph().outputs.size())
      return Status::InvalidArgument("evaluation targets '" + targets[0].name + "' and '" + target.name +
                                     "' have different outputs");
    *target.result = Accuracy{};
    target.result->labelled = st.labelled;
    target.seconds = 0;
    std::vector<std::string> names;
    for (int j : ComparedOutputs(g, options.output, st.scored[t])) names.push_back(g.values[g.outputs[j]].name);
    if (t > 0) st.meters.emplace_back(std::move(names));
    // The targets' hooks fake-quantize (thread-safe, per element): samples may run apart.
    st.runners.push_back(std::make_unique<SampleParallelRunner>(*target.exec, *target.inputs));
  }
  LITEMP_RETURN_IF_ERROR(PlanKeptValues(targets, &st.keep));
  st.last_reader.assign(targets.size(), -1);
  for (size_t t = 0; t < targets.size(); ++t)
    if (targets[t].shares_with >= 0) st.last_reader[targets[t].shares_with] = static_cast<int>(t);
  // Batches in order; with several ranks each runs a contiguous block of them and every
  // rank then tallies all records in batch order (the same sums as one process).
  const size_t batch = static_cast<size_t>(std::max(1, options.batch));
  const size_t num_batches = (indices.size() + batch - 1) / batch;
  const int ranks = SizeOf(options.comm), me = RankOf(options.comm);
  const size_t first = BlockBegin(num_batches, ranks, me), last = BlockBegin(num_batches, ranks, me + 1);
  auto batch_idx = [&](size_t b) {
    return std::vector<size_t>(indices.begin() + b * batch, indices.begin() + std::min(indices.size(), (b + 1) * batch));
  };
  double loading = 0;
  int64_t mine = 0;
  for (size_t b = first; b < last; ++b) mine += static_cast<int64_t>(batch_idx(b).size());
  Progress progress(options.label, mine, options.quiet);
  ByteWriter shipped;
  Status local;
  for (size_t b = first; b < last && local.ok(); ++b) {
    const std::vector<size_t> idx = batch_idx(b);
    Stopwatch tl;
    Result<Batch> x = LoadModelBatch(data, *targets[0].inputs, idx);
    loading += tl.Seconds();
    BatchRecord rec;
    local = x.ok() ? RunEvalBatch(st, data, idx, x.value(), &rec) : x.status();
    if (local.ok() && ranks == 1) local = Tally(st, rec, static_cast<int64_t>(idx.size()));
    if (local.ok() && ranks > 1) Pack(rec, &shipped);
    if (local.ok()) progress.Advance(static_cast<int64_t>(idx.size()));
  }
  if (ranks == 1) LITEMP_RETURN_IF_ERROR(local);
  if (local.ok()) progress.Finish();
  if (ranks > 1) {
    LITEMP_ASSIGN_OR_RETURN(std::vector<std::string> all, options.comm->Exchange("evaluation", local, shipped.Take()));
    for (int r = 0; r < ranks; ++r) {
      ByteReader in(all[r]);
      for (size_t b = BlockBegin(num_batches, ranks, r); b < BlockBegin(num_batches, ranks, r + 1); ++b) {
        BatchRecord rec;
        LITEMP_RETURN_IF_ERROR(Unpack(&in, targets.size(), &rec));
        LITEMP_RETURN_IF_ERROR(Tally(st, rec, static_cast<int64_t>(batch_idx(b).size())));
      }
    }
  }
  for (size_t t = 0; t < targets.size(); ++t) {
    Accuracy* r = targets[t].result;
    r->samples = static_cast<int64_t>(indices.size());
    if (r->samples && r->labelled) {
      r->top1 = static_cast<double>(st.top1[t]) / r->samples;
      r->top5 = static_cast<double>(st.top5[t]) / r->samples;
    }
    if (t > 0 && r->samples && st.compare[t]) {
      auto f = st.meters[t - 1].Finish();
      if (f.ok()) {
        r->fidelity = std::move(f).value();
      } else if (!st.labelled) {
        return f.status().WithContext("evaluating " + targets[t].name);
      }
    }
  }
  if (load_seconds) *load_seconds = loading;
  return Status::OK();
}

Result<Batch> LoadModelBatch(const Dataset& data, const ModelInputs& in, const std::vector<size_t>& indices) {
  return data.LoadBatchInputs(InputNames(in), indices);
}

Status CheckClassificationSetup(Executor& exec, const ModelInputs& in, const Dataset& data,
                                const std::vector<size_t>& indices, const std::string& output) {
  LITEMP_ASSIGN_OR_RETURN(int scored, FindOutput(exec.graph(), output));
  if (indices.empty()) return Status::OK();
  const int out_id = exec.graph().outputs[scored];
  LITEMP_ASSIGN_OR_RETURN(Batch x, LoadModelBatch(data, in, {indices[0]}));
  std::unordered_map<int, Tensor> res;
  LITEMP_RETURN_IF_ERROR(RunBatch(exec, in, x, RunOptions{}, &res));
  if (!data.has_labels()) {
    // Fidelity is then all there is: some compared output must be float.
    const Graph& g = exec.graph();
    for (int j : ComparedOutputs(g, output, scored))
      if (res[g.outputs[j]].dtype() == DType::kFloat32 || res[g.outputs[j]].dtype() == DType::kFloat64)
        return Status::OK();
    return Status::InvalidArgument("without labels litemp compares float outputs with FP32, and " +
                                   (output.empty() ? std::string("the model has none") : "output '" + output + "' is not float"));
  }
  int64_t top1 = 0, top5 = 0;
  Accuracy scratch;
  LITEMP_RETURN_IF_ERROR(ScoreBatch(exec.graph(), out_id, res[out_id], data, {indices[0]}, &top1, &top5, &scratch));
  const int64_t classes = res[out_id].numel() / res[out_id].dim(0);
  for (size_t i : indices) {
    LITEMP_RETURN_IF_ERROR(CheckLabel(data, i, classes));
  }
  return Status::OK();
}

Status EvaluateClassification(Executor& exec, const ModelInputs& in, const Dataset& data,
                              const std::vector<size_t>& indices, const EvalOptions& options, Accuracy* result) {
  std::vector<EvalTarget> targets(1);
  targets[0].exec = &exec;
  targets[0].inputs = &in;
  targets[0].run = options.run;
  targets[0].result = result;
  return EvaluateClassificationMany(targets, data, indices, options);
}

}  // namespace litemp
