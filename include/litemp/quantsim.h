// QuantSim: AIMET's QuantizationSimModel, natively. Fake-quantizes the weights and
// activations of a model where a quantsim config says, calibrates encodings on sample
// data, and runs the simulation through the FP32 executor's value hook.
//
//   auto sim = QuantSim::Create(model, QuantSimOptions{});   // W8A8, "default" config
//   sim->ComputeEncodings(calib_batches);
//   sim->Run(batch, &outputs);
//
// Weights (and other constant tensors with quantizers) are quantized once per encoding
// change and swapped into the executor; activations are quantized as they are produced.
// Thread-compatible.
#ifndef LITEMP_QUANTSIM_H_
#define LITEMP_QUANTSIM_H_

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "litemp/executor.h"
#include "litemp/model.h"
#include "litemp/runner.h"
#include "quant/analyzer.h"
#include "quant/config.h"
#include "quant/quantizer.h"

namespace litemp {

// One side (parameters or activations) of a precision: int with a bitwidth, or fp16.
struct Precision {
  QuantDType dtype = QuantDType::kInt;
  int bitwidth = 8;
};

struct QuantSimOptions {
  std::string config = "default";  // built-in name or JSON file
  Scheme scheme = Scheme::kMinMax;
  float percentile = 100.f;
  Precision param{QuantDType::kInt, 8};
  Precision activation{QuantDType::kInt, 8};
};

// "w8a8", "w8a16", "w16a16", "w4a8", "fp16", ... -> (param, activation) precisions.
Status ParsePrecisionPair(const std::string& name, Precision* param, Precision* activation);

class QuantSim {
 public:
  ~QuantSim();
  QuantSim(const QuantSim&) = delete;
  QuantSim& operator=(const QuantSim&) = delete;

  // Places quantizers on `model` per options.config. Fails on bad configs (naming the key)
  // and unsupported models (listing the ops), and on a parameter (weight, bias) that holds
  // NaN/Inf (naming it). REQUIRES: `model` outlives the QuantSim.
  static Result<std::unique_ptr<QuantSim>> Create(const Model& model, const QuantSimOptions& options);

  const Graph& graph() const;
  const ModelInputs& inputs() const { return inputs_; }
  // The first input (the only one of a single-input model).
  const ModelInput& input() const { return inputs_[0]; }
  Executor& executor() { return *exec_; }
  const QuantSimOptions& options() const { return options_; }

  std::vector<Quantizer>& quantizers() { return quantizers_; }
  const std::vector<Quantizer>& quantizers() const { return quantizers_; }
  // The quantizer the hook applies to value `value_id` (an activation or graph input), or null.
  const Quantizer* ActivationQuantizer(int value_id) const {
    const int qi = act_by_value_[value_id];
    return qi < 0 ? nullptr : &quantizers_[qi];
  }
  const Model& model() const { return model_; }
  // Indices into quantizers() owned by node `layer`.
  const std::vector<int>& layer_quantizers(int layer) const { return by_layer_[layer]; }
  // Nodes that own at least one enabled quantizer, in topological order.
  std::vector<int> QuantizedLayers() const;

  // Calibration. `run_batches` must run every calibration batch through RunBatch with the
  // RunOptions it is given. Parameters are quantized first (from their own values), then
  // activation statistics are gathered on FP values (passed through unchanged) and every
  // enabled quantizer gets a fresh encoding, except frozen ones (LoadEncodingsToSim).
  Status ComputeEncodings(const std::function<Status(const RunOptions&)>& run_batches);
  // The same in two halves, for callers that run the batches themselves between them (the
  // Python module's `with compute_encodings(sim):`): Begin resets the statistics, quantizes
  // the parameters and gives the RunOptions to run every calibration batch with; End turns
  // the statistics into encodings. Between them the simulation has no activation encodings.
  Status BeginComputeEncodings(RunOptions* observe);
  Status EndComputeEncodings();
  // True when the statistics do not depend on how a batch is cut (min_max: exact minima and
  // maxima), so the calibration batches may run sample-parallel (litemp/sample_parallel.h);
  // the observing hook is thread-safe. Histograms (tf_enhanced, percentile) are built per
  // batch and need whole batches.
  bool ObservationSplits() const { return options_.scheme == Scheme::kMinMax; }

  // RunOptions whose hook fake-quantizes activations; add fetches as needed.
  // REQUIRES: SyncConstants() was called after the last change of quantizer settings, so
  // the executor holds the matching quantized weights (Run does both).
  // The options set `observes` to Observes, so unquantized values between a Conv and its
  // Relu/Clip (AIMET supergroups) may be fused away by the executor.
  RunOptions SimOptions();
  // True when value `value_id` has an enabled activation quantizer (read at run time).
  bool Observes(int value_id) const;
  // Runs one batch of the simulation; results as RunBatch gives them.
  Status Run(const Batch& batch, std::unordered_map<int, Tensor>* results, const std::vector<int>& fetch = {});
  Status Run(const Tensor& batch, std::unordered_map<int, Tensor>* results, const std::vector<int>& fetch = {}) {
    return Run(Batch{batch}, results, fetch);
  }

  // Brings constant tensors in the executor in line with their quantizers' current
  // settings (called by SimOptions/Run; cheap when nothing changed).
  Status SyncConstants();

 private:
  QuantSim(const Model& model, const QuantSimOptions& options);
  std::string Signature(const Quantizer& q) const;

  QuantSimOptions options_;
  const Model& model_;
  std::unique_ptr<Executor> exec_;
  ModelInputs inputs_;
  std::vector<Quantizer> quantizers_;
  std::vector<std::vector<int>> by_layer_;
  std::vector<int> act_by_value_;            // value id -> activation quantizer index or -1
  std::vector<std::string> applied_;         // per quantizer: settings last swapped in
  std::unique_ptr<std::mutex[]> observe_mu_;  // per quantizer: calibration may observe from several threads
};

}  // namespace litemp

#endif  // LITEMP_QUANTSIM_H_
