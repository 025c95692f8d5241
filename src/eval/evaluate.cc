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

// Scores one batch's output `y` for samples `idx`, adding to the hit counts.
Status ScoreBatch(const Executor& exec, int out_id, const Tensor& y, const Dataset& data,
                  const std::vector<size_t>& idx, int64_t* top1, int64_t* top5, Accuracy* result) {
  // [N, classes] or [N, classes, 1, 1] (a convolutional head); a spatial map is not scores.
  bool scores = y.dtype() == DType::kFloat32 && y.rank() >= 2 && y.dim(0) == static_cast<int64_t>(idx.size());
  for (int d = 2; scores && d < y.rank(); ++d) scores = y.dim(d) == 1;
  if (!scores)
    return Status::InvalidArgument("output '" + exec.graph().values[out_id].name + "' has shape " +
                                   ShapeToString(y.shape()) + "; classification needs float [N, classes]");
  const int64_t classes = y.numel() / y.dim(0);
  for (size_t i = 0; i < idx.size(); ++i) {
    const float* s = y.data<float>() + i * classes;
    const int64_t label = data.label(idx[i]);
    LITEMP_RETURN_IF_ERROR(CheckLabel(data, idx[i], classes));
    int64_t rank = LabelRank(s, classes, label);
    *top1 += rank < 1;
    *top5 += rank < 5;
    result->predicted.push_back(ArgMax(s, classes));
  }
  return Status::OK();
}
}  // namespace

Status EvaluateClassificationMany(std::vector<EvalTarget>& targets, const Dataset& data,
                                  const std::vector<size_t>& indices, const EvalOptions& options,
                                  double* load_seconds) {
  std::vector<int64_t> top1(targets.size()), top5(targets.size());
  for (EvalTarget& t : targets) {
    if (!t.exec || !t.input || !t.result) return Status::InvalidArgument("an evaluation target is incomplete");
    if (t.exec->graph().outputs.empty()) return Status::InvalidArgument("the model has no outputs");
    *t.result = Accuracy{};
    t.seconds = 0;
  }
  double loading = 0;
  const int batch = std::max(1, options.batch);
  Progress progress(options.label, static_cast<int64_t>(indices.size()), options.quiet);
  for (size_t b = 0; b < indices.size(); b += batch) {
    std::vector<size_t> idx(indices.begin() + b, indices.begin() + std::min(indices.size(), b + batch));
    Stopwatch tl;
    LITEMP_ASSIGN_OR_RETURN(Tensor x, data.LoadBatch(idx));
    loading += tl.Seconds();
    for (size_t t = 0; t < targets.size(); ++t) {
      EvalTarget& target = targets[t];
      Stopwatch tr;
      const int out_id = target.exec->graph().outputs[0];
      std::unordered_map<int, Tensor> res;
      Status st = RunBatch(*target.exec, *target.input, x, target.run, &res);
      if (st.ok()) st = ScoreBatch(*target.exec, out_id, res[out_id], data, idx, &top1[t], &top5[t], target.result);
      if (!st.ok()) return target.name.empty() ? st : st.WithContext("evaluating " + target.name);
      target.seconds += tr.Seconds();
    }
    progress.Advance(static_cast<int64_t>(idx.size()));
  }
  progress.Finish();
  for (size_t t = 0; t < targets.size(); ++t) {
    Accuracy* r = targets[t].result;
    r->samples = static_cast<int64_t>(indices.size());
    if (r->samples) {
      r->top1 = static_cast<double>(top1[t]) / r->samples;
      r->top5 = static_cast<double>(top5[t]) / r->samples;
    }
  }
  if (load_seconds) *load_seconds = loading;
  return Status::OK();
}

Status CheckClassificationSetup(Executor& exec, const ModelInput& in, const Dataset& data,
                                const std::vector<size_t>& indices) {
  if (indices.empty()) return Status::OK();
  if (exec.graph().outputs.empty()) return Status::InvalidArgument("the model has no outputs");
  const int out_id = exec.graph().outputs[0];
  LITEMP_ASSIGN_OR_RETURN(Tensor x, data.LoadBatch({indices[0]}));
  std::unordered_map<int, Tensor> res;
  LITEMP_RETURN_IF_ERROR(RunBatch(exec, in, x, RunOptions{}, &res));
  int64_t top1 = 0, top5 = 0;
  Accuracy scratch;
  LITEMP_RETURN_IF_ERROR(ScoreBatch(exec, out_id, res[out_id], data, {indices[0]}, &top1, &top5, &scratch));
  const int64_t classes = res[out_id].numel() / res[out_id].dim(0);
  for (size_t i : indices) {
    LITEMP_RETURN_IF_ERROR(CheckLabel(data, i, classes));
  }
  return Status::OK();
}

Status EvaluateClassification(Executor& exec, const ModelInput& in, const Dataset& data,
                              const std::vector<size_t>& indices, const EvalOptions& options, Accuracy* result) {
  std::vector<EvalTarget> targets(1);
  targets[0].exec = &exec;
  targets[0].input = &in;
  targets[0].run = options.run;
  targets[0].result = result;
  return EvaluateClassificationMany(targets, data, indices, options);
}

}  // namespace litemp
