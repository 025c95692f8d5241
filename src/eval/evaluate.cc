#include "litemp/evaluate.h"

#include <algorithm>
#include <cmath>

#include "core/progress.h"
#include "core/stopwatch.h"

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

Status EvaluateClassificationMany(std::vector<EvalTarget>& targets, const Dataset& data,
                                  const std::vector<size_t>& indices, const EvalOptions& options,
                                  double* load_seconds) {
  if (targets.empty()) return Status::InvalidArgument("no evaluation targets");
  std::vector<int64_t> top1(targets.size()), top5(targets.size());
  std::vector<int> scored(targets.size());
  // With labels fidelity is a bonus: a target whose outputs cannot be compared with the
  // reference (NaN/Inf in FP32, data-dependent shapes) keeps its accuracy and has none.
  const bool labelled = data.has_labels();
  std::vector<char> compare(targets.size(), 1);
  std::vector<FidelityMeter> meters;
  for (size_t t = 0; t < targets.size(); ++t) {
    EvalTarget& target = targets[t];
    if (!target.exec || !target.inputs || !target.result) return Status::InvalidArgument("an evaluation target is incomplete");
    const Graph& g = target.exec->graph();
    LITEMP_ASSIGN_OR_RETURN(scored[t], FindOutput(g, options.output));
    if (t > 0 && g.outputs.size() != targets[0].exec->graph().outputs.size())
      return Status::InvalidArgument("evaluation targets '" + targets[0].name + "' and '" + target.name +
                                     "' have different outputs");
    *target.result = Accuracy{};
    target.result->labelled = labelled;
    target.seconds = 0;
    std::vector<std::string> names;
    for (int j : ComparedOutputs(g, options.output, scored[t])) names.push_back(g.values[g.outputs[j]].name);
    if (t > 0) meters.emplace_back(std::move(names));
  }
  double loading = 0;
  const int batch = std::max(1, options.batch);
  Progress progress(options.label, static_cast<int64_t>(indices.size()), options.quiet);
  std::vector<Tensor> reference;  // the first target's compared outputs of this batch
  for (size_t b = 0; b < indices.size(); b += batch) {
    std::vector<size_t> idx(indices.begin() + b, indices.begin() + std::min(indices.size(), b + batch));
    Stopwatch tl;
    LITEMP_ASSIGN_OR_RETURN(Batch x, LoadModelBatch(data, *targets[0].inputs, idx));
    loading += tl.Seconds();
    const size_t done = targets[0].result->predicted.size();  // samples scored before this batch
    for (size_t t = 0; t < targets.size(); ++t) {
      EvalTarget& target = targets[t];
      Stopwatch tr;
      const Graph& g = target.exec->graph();
      const int out_id = g.outputs[scored[t]];
      std::unordered_map<int, Tensor> res;
      Status st = RunBatch(*target.exec, *target.inputs, x, target.run, &res);
      if (st.ok()) st = ScoreBatch(g, out_id, res[out_id], data, idx, &top1[t], &top5[t], target.result);
      std::vector<Tensor> outs;
      for (int j : ComparedOutputs(g, options.output, scored[t])) outs.push_back(res[g.outputs[j]]);
      if (st.ok() && t == 0) reference = std::move(outs);
      if (st.ok() && t > 0 && compare[t]) {
        FidelityMeter& m = meters[t - 1];
        st = m.Add(reference, outs, static_cast<int64_t>(idx.size()));
        if (!st.ok() && labelled) {
          compare[t] = 0;
          st = Status::OK();
        }
        const auto& ref_pred = targets[0].result->predicted;
        const auto& pred = target.result->predicted;
        if (ref_pred.size() == done + idx.size() && pred.size() == ref_pred.size()) {
          int64_t same = 0;
          for (size_t i = done; i < pred.size(); ++i) same += pred[i] == ref_pred[i];
          m.AddAgreement(same, static_cast<int64_t>(idx.size()));
        }
      }
      if (!st.ok()) return target.name.empty() ? st : st.WithContext("evaluating " + target.name);
      target.seconds += tr.Seconds();
    }
    progress.Advance(static_cast<int64_t>(idx.size()));
  }
  progress.Finish();
  for (size_t t = 0; t < targets.size(); ++t) {
    Accuracy* r = targets[t].result;
    r->samples = static_cast<int64_t>(indices.size());
    if (r->samples && r->labelled) {
      r->top1 = static_cast<double>(top1[t]) / r->samples;
      r->top5 = static_cast<double>(top5[t]) / r->samples;
    }
    if (t > 0 && r->samples && compare[t]) {
      auto f = meters[t - 1].Finish();
      if (f.ok()) {
        r->fidelity = std::move(f).value();
      } else if (!labelled) {
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
