// Runs models through ONNX Runtime via tools/ort/run.js (onnxruntime-node), many models per
// node process, exchanging tensors as manifest.json + raw .bin folders.
#ifndef LITEMP_TESTS_ORACLE_ORT_RUNNER_H_
#define LITEMP_TESTS_ORACLE_ORT_RUNNER_H_

#include <string>
#include <utility>
#include <vector>

#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp::test {

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

// Empty when node and onnxruntime-node work; otherwise why not (checked once, cached).
// The node binary is $LITEMP_NODE or `node`; the script is $LITEMP_ORT_RUNNER or the
// repository's tools/ort/run.js.
const std::string& OrtUnavailableReason();

// Writes/reads the run.js tensor folder format.
Status WriteTensorDir(const std::string& dir, const NamedTensors& tensors);
Result<NamedTensors> ReadTensorDir(const std::string& dir);

// A batch of models run by one node process. Files live under a fresh temporary folder,
// removed on destruction unless $LITEMP_ORACLE_KEEP is set.
class OrtBatch {
 public:
  // `opt` is ORT's graph optimization level for this batch (disabled, basic, extended,
  // all); empty means $LITEMP_ORT_OPT, else run.js's default (all).
  explicit OrtBatch(std::string opt = "");
  ~OrtBatch();
  OrtBatch(const OrtBatch&) = delete;
  OrtBatch& operator=(const OrtBatch&) = delete;

  // Queues a model; returns its index. The model is written to disk right away.
  Result<int> Add(const std::string& model_bytes, const NamedTensors& inputs);
  // Queues a model already on disk.
  Result<int> AddFile(const std::string& model_path, const NamedTensors& inputs);
  // Runs every queued model. Fails only when node itself fails; per-model errors are
  // reported by Outputs().
  Status Run();
  // ORT's outputs of model `i` in the model's output order, or ORT's error message.
  Result<NamedTensors> Outputs(int i) const;
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::string opt_;
  std::vector<std::string> lines_;
};

}  // namespace litemp::test

#endif  // LITEMP_TESTS_ORACLE_ORT_RUNNER_H_
