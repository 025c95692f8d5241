// What an inference session does, for the FP32 model and for a simulation alike: run
// {input name: array} feeds and return the named outputs, and describe inputs and outputs
// as onnxruntime.InferenceSession's get_inputs()/get_outputs() do.
#ifndef LITEMP_PYTHON_SESSION_H_
#define LITEMP_PYTHON_SESSION_H_

#include <functional>
#include <mutex>

#include "convert.h"
#include "litemp/executor.h"
#include "litemp/model.h"
#include "litemp/runner.h"
#include "litemp/sample_parallel.h"

namespace litemp::python {

// `output_names`: None for every graph output, else a list of graph output names.
// The run holds `mu` (one run per executor at a time) with the GIL released; `options`
// is called under `mu`.
// `check`, when set, vets the batch before the run (e.g. CheckFinite while calibrating).
// `runner`, when set, is called under `mu` and gives the runner to run with (or null for
// RunBatch): the samples may then be spread over the threads (litemp/sample_parallel.h).
py::list RunFeeds(Executor& exec, const ModelInputs& in, std::recursive_mutex& mu, py::handle output_names,
                  py::handle feeds, const std::function<RunOptions()>& options,
                  const std::function<void(const Batch&)>& check = {},
                  const std::function<SampleParallelRunner*()>& runner = {});

// [(name, shape, dtype)]: shape dims None where symbolic; dtype "float32", ...
py::list DescribeInputsPy(const ModelInputs& in);
py::list DescribeOutputsPy(const Graph& g);

// The FP32 model: litemp's own runtime (the reference the simulation is scored against).
class Fp32Session {
 public:
  Fp32Session(py::handle model, bool prepare, py::handle shapes);
  py::list Run(py::handle output_names, py::handle feeds);
  py::list Inputs() const { return DescribeInputsPy(inputs_); }
  py::list Outputs() const { return DescribeOutputsPy(model_->graph()); }

 private:
  std::unique_ptr<Model> model_;
  std::unique_ptr<Executor> exec_;
  ModelInputs inputs_;
  std::unique_ptr<SampleParallelRunner> runner_;  // made at the first run (it fixes the kernel set)
  std::recursive_mutex mu_;
};

void RegisterSessions(py::module_& m);

}  // namespace litemp::python

#endif  // LITEMP_PYTHON_SESSION_H_
