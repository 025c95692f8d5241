// PsnrMetric: AIMET's make_psnr_eval_fn (FP32 outputs cached once, simulation scored).
#include "analysis/flag_guard.h"
#include "litemp/sensitivity.h"

namespace litemp {

namespace {

Result<std::vector<Tensor>> RunOutputs(QuantSim& sim, const Batch& samples) {
  std::unordered_map<int, Tensor> res;
  LITEMP_RETURN_IF_ERROR(sim.Run(samples, &res));
  std::vector<Tensor> outs;
  for (int o : sim.graph().outputs) outs.push_back(res[o]);
  return outs;
}

}  // namespace

Result<PsnrMetric> PsnrMetric::Create(QuantSim& sim, const Tensor& samples, const std::string& output) {
  if (!samples.defined() || samples.rank() == 0 || samples.dim(0) < 1)
    return Status::InvalidArgument("PSNR metric: samples must be [K, ...] with K >= 1, got " +
                                   ShapeToString(samples.shape()));
  return Create(sim, Batch{samples}, output);
}

Result<PsnrMetric> PsnrMetric::Create(QuantSim& sim, const Batch& samples, const std::string& output) {
  int index = -1;
  if (!output.empty()) {
    LITEMP_ASSIGN_OR_RETURN(index, FindOutput(sim.graph(), output));
  }
  LITEMP_RETURN_IF_ERROR(CheckInputShapes(sim.inputs(), samples).WithContext("PSNR metric"));
  QuantizerFlagGuard guard(sim);
  guard.DisableAll();
  LITEMP_ASSIGN_OR_RETURN(std::vector<Tensor> fp32, RunOutputs(sim, samples));
  LITEMP_RETURN_IF_ERROR(guard.Restore());
  PsnrMetric m(samples, std::move(fp32), index);
  // Fails now, not at the first layer, when the FP32 outputs cannot be scored.
  LITEMP_RETURN_IF_ERROR(m.Score(m.fp32_).status());
  return m;
}

Result<double> PsnrMetric::Score(QuantSim& sim) const {
  LITEMP_ASSIGN_OR_RETURN(std::vector<Tensor> outs, RunOutputs(sim, samples_));
  return Score(outs);
}

Result<double> PsnrMetric::Score(const std::vector<Tensor>& outputs) const {
  if (output_ < 0) return Psnr(fp32_, outputs);
  if (outputs.size() != fp32_.size())
    return Status::InvalidArgument("PSNR: " + std::to_string(fp32_.size()) + " expected outputs but " +
                                   std::to_string(outputs.size()) + " simulated ones");
  return Psnr(std::vector<Tensor>{fp32_[output_]}, std::vector<Tensor>{outputs[output_]});
}

SimMetric PsnrMetric::AsFunction() const {
  PsnrMetric copy = *this;
  return [copy](QuantSim& sim) { return copy.Score(sim); };
}

Result<SimMetric> MakePsnrEvalFn(QuantSim& sim, const Tensor& samples) {
  LITEMP_ASSIGN_OR_RETURN(PsnrMetric m, PsnrMetric::Create(sim, samples));
  return m.AsFunction();
}

}  // namespace litemp
