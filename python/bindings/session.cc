#include "session.h"

#include "model_source.h"

namespace litemp::python {

namespace {

py::object ShapeToPython(const Shape& s, bool known) {
  if (!known) return py::none();
  py::list dims;
  for (int64_t d : s) dims.append(d < 0 ? py::object(py::none()) : py::object(py::int_(d)));
  return dims;
}

}  // namespace

py::list RunFeeds(Executor& exec, const ModelInputs& in, std::recursive_mutex& mu, py::handle output_names,
                  py::handle feeds, const std::function<RunOptions()>& options,
                  const std::function<void(const Batch&)>& check,
                  const std::function<SampleParallelRunner*()>& runner) {
  const Graph& g = exec.graph();
  std::vector<int> wanted;
  if (output_names.is_none()) {
    for (size_t i = 0; i < g.outputs.size(); ++i) wanted.push_back(static_cast<int>(i));
  } else {
    for (auto name : py::cast<py::sequence>(output_names))
      wanted.push_back(Take(FindOutput(g, py::str(name).cast<std::string>())));
  }
  Batch batch = BatchFromPython(feeds, in);
  if (check) check(batch);
  std::unordered_map<int, Tensor> results;
  {
    py::gil_scoped_release nogil;
    UseThreads();
    std::lock_guard<std::recursive_mutex> lock(mu);
    SampleParallelRunner* r = runner ? runner() : nullptr;
    Check(r ? r->Run(batch, options(), &results) : RunBatch(exec, in, batch, options(), &results));
  }
  py::list out;
  for (int i : wanted) out.append(TensorToArray(results.at(g.outputs[i])));
  return out;
}

py::list DescribeInputsPy(const ModelInputs& in) {
  py::list out;
  for (const auto& i : in) out.append(py::make_tuple(i.name, ShapeToPython(i.shape, !i.shape.empty()), DTypeName(i.dtype)));
  return out;
}

py::list DescribeOutputsPy(const Graph& g) {
  py::list out;
  for (int id : g.outputs) {
    const Value& v = g.values[id];
    out.append(py::make_tuple(v.name, ShapeToPython(v.shape, v.shape_known), DTypeName(v.dtype)));
  }
  return out;
}

Fp32Session::Fp32Session(py::handle model, bool prepare, py::handle shapes) {
  model_ = LoadModel(model, prepare, shapes, nullptr);
  py::gil_scoped_release nogil;
  exec_ = Take(Executor::Create(model_->graph()));
  inputs_ = Take(DescribeInputs(model_->graph()));
}

py::list Fp32Session::Run(py::handle output_names, py::handle feeds) {
  return RunFeeds(*exec_, inputs_, mu_, output_names, feeds, [] { return RunOptions{}; }, {}, [this] {
    if (!runner_) runner_ = std::make_unique<SampleParallelRunner>(*exec_, inputs_);
    return runner_.get();
  });
}

void RegisterSessions(py::module_& m) {
  py::class_<Fp32Session>(m, "_Fp32Session")
      .def(py::init<py::handle, bool, py::handle>(), py::arg("model"), py::arg("prepare"), py::arg("shapes"))
      .def("run", &Fp32Session::Run, py::arg("output_names"), py::arg("feeds"))
      .def("inputs", &Fp32Session::Inputs)
      .def("outputs", &Fp32Session::Outputs);
}

}  // namespace litemp::python
