#include "oracle/oracle_harness.h"

#include <map>

#include "backend/tensor_compare.h"
#include "litemp/executor.h"
#include "litemp/model.h"

namespace litemp::test {

namespace {

struct LitempRun {
  Status status;
  NamedTensors outputs;
};

LitempRun RunLitemp(Result<std::unique_ptr<Model>> model, const NamedTensors& inputs) {
  LitempRun r;
  if (!model.ok()) {
    r.status = model.status();
    return r;
  }
  const Graph& g = model.value()->graph();
  auto exec = Executor::Create(g);
  if (!exec.ok()) {
    r.status = exec.status();
    return r;
  }
  std::map<std::string, Tensor> feeds(inputs.begin(), inputs.end());
  std::vector<Tensor> outs;
  r.status = exec.value()->Run(feeds, &outs);
  if (!r.status.ok()) return r;
  for (size_t i = 0; i < outs.size(); ++i) r.outputs.emplace_back(g.values[g.outputs[i]].name, outs[i]);
  return r;
}

// One message per output that differs; ORT's output order is the model's.
std::vector<std::string> Compare(const NamedTensors& got, const NamedTensors& want, double rtol) {
  std::vector<std::string> diffs;
  if (got.size() != want.size()) {
    diffs.push_back("litemp produced " + std::to_string(got.size()) + " outputs, ORT " + std::to_string(want.size()));
    return diffs;
  }
  const Tolerance tol{0, rtol, 1};
  for (size_t i = 0; i < want.size(); ++i) {
    std::string d = CompareTensors(got[i].second, want[i].second, tol);
    if (!d.empty()) diffs.push_back("output '" + want[i].first + "': " + d);
  }
  return diffs;
}


}  // namespace

std::vector<CaseReport> RunOracleCases(const std::vector<OpCase>& cases) {
  std::vector<CaseReport> reports(cases.size());
  std::vector<LitempRun> mine(cases.size());
  std::vector<int> ort_index(cases.size(), -1);
  OrtBatch batch;
  for (size_t i = 0; i < cases.size(); ++i) {
    reports[i].name = cases[i].name;
    auto bytes = BuildModel(cases[i]);
    if (!bytes.ok()) {
      reports[i].kind = CaseReport::Kind::kMismatch;
      reports[i].message = "cannot build the model: " + bytes.status().ToString();
      continue;
    }
    mine[i] = RunLitemp(Model::FromBytes(bytes.value(), batch.dir()), CaseFeeds(cases[i]));
    if (mine[i].status.IsNotSupported()) {
      reports[i].kind = CaseReport::Kind::kUnsupported;
      reports[i].message = mine[i].status.ToString();
      continue;
    }
    auto idx = batch.Add(bytes.value(), CaseFeeds(cases[i]));
    if (!idx.ok()) {
      reports[i].kind = CaseReport::Kind::kMismatch;
      reports[i].message = idx.status().ToString();
      continue;
    }
    ort_index[i] = idx.value();
  }
  Status ran = batch.Run();
  for (size_t i = 0; i < cases.size(); ++i) {
    if (ort_index[i] < 0) continue;
    CaseReport& r = reports[i];
    auto want = ran.ok() ? batch.Outputs(ort_index[i]) : Result<NamedTensors>(ran);
    if (!want.ok()) {
      r.kind = CaseReport::Kind::kMismatch;
      r.message = want.status().ToString() + (mine[i].status.ok() ? "" : "; litemp: " + mine[i].status.ToString());
      continue;
    }
    if (!mine[i].status.ok()) {
      r.kind = CaseReport::Kind::kMismatch;
      r.message = "litemp failed where ORT ran: " + mine[i].status.ToString();
      continue;
    }
    auto diffs = Compare(mine[i].outputs, want.value(), cases[i].rtol);
    if (!diffs.empty()) {
      r.kind = CaseReport::Kind::kMismatch;
      for (const auto& d : diffs) r.message += (r.message.empty() ? "" : "; ") + d;
    }
  }
  return reports;
}

Result<std::vector<std::string>> CompareModelWithOrt(const std::string& model_path, const NamedTensors& inputs,
                                                     double rtol) {
  LitempRun mine = RunLitemp(Model::Load(model_path), inputs);
  LITEMP_RETURN_IF_ERROR(mine.status.WithContext("litemp"));
  OrtBatch batch;
  LITEMP_ASSIGN_OR_RETURN(int idx, batch.AddFile(model_path, inputs));
  LITEMP_RETURN_IF_ERROR(batch.Run());
  LITEMP_ASSIGN_OR_RETURN(NamedTensors want, batch.Outputs(idx));
  return Compare(mine.outputs, want, rtol);
}

}  // namespace litemp::test
