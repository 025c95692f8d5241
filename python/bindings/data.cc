// litemp._Dataset and make_split: litemp's own decoders and split, so Python code feeds the
// simulation exactly the tensors `litemp run` feeds it.
#include "cli/commands.h"
#include "convert.h"
#include "litemp/data.h"
#include "litemp/evaluate.h"
#include "model_source.h"

namespace litemp::python {

namespace {

class PyDataset {
 public:
  // `argv`: the CLI's data flags (--images DIR --resize 256 ...).
  explicit PyDataset(const std::vector<std::string>& argv) {
    DataOptions o;
    Check(cli::ParseDataArgs(argv, &o));
    py::gil_scoped_release nogil;
    data_ = Take(Dataset::Open(o));
  }
  size_t size() const { return data_->size(); }
  bool has_labels() const { return data_->has_labels(); }
  std::string name(size_t i) const { return data_->name(Index(i)); }
  int64_t label(size_t i) const { return data_->label(Index(i)); }
  py::array Labels() const {
    py::array_t<int64_t> out(static_cast<py::ssize_t>(data_->size()));
    for (size_t i = 0; i < data_->size(); ++i) out.mutable_at(i) = data_->label(i);
    return out;
  }
  py::array Load(size_t i) const {
    Tensor t = Released([&] { return Take(data_->Load(Index(i))); });
    return TensorToArray(t);
  }
  py::array LoadBatch(const std::vector<size_t>& indices) const {
    for (size_t i : indices) Index(i);
    Tensor t = Released([&] { return Take(data_->LoadBatch(indices)); });
    return TensorToArray(t);
  }
  py::dict LoadInputs(size_t i) const {
    SampleInputs s = Released([&] { return Take(data_->LoadInputs(Index(i))); });
    py::dict out;
    for (const auto& [name, t] : s) out[py::str(name)] = TensorToArray(t);
    return out;
  }
  py::list LoadBatchInputs(const std::vector<std::string>& names, const std::vector<size_t>& indices) const {
    for (size_t i : indices) Index(i);
    std::vector<Tensor> ts = Released([&] { return Take(data_->LoadBatchInputs(names, indices)); });
    py::list out;
    for (const auto& t : ts) out.append(TensorToArray(t));
    return out;
  }

 private:
  size_t Index(size_t i) const {
    if (i >= data_->size())
      throw py::index_error("sample " + std::to_string(i) + " out of range (" + std::to_string(data_->size()) + " samples)");
    return i;
  }
  template <class F> static auto Released(F&& f) -> decltype(f()) {
    py::gil_scoped_release nogil;
    UseThreads();
    return f();
  }
  std::unique_ptr<Dataset> data_;
};

}  // namespace

void RegisterData(py::module_& m) {
  py::class_<PyDataset>(m, "_Dataset")
      .def(py::init<const std::vector<std::string>&>(), py::arg("argv"))
      .def("__len__", &PyDataset::size)
      .def_property_readonly("has_labels", &PyDataset::has_labels)
      .def("name", &PyDataset::name, py::arg("i"))
      .def("label", &PyDataset::label, py::arg("i"))
      .def("labels", &PyDataset::Labels)
      .def("load", &PyDataset::Load, py::arg("i"))
      .def("load_batch", &PyDataset::LoadBatch, py::arg("indices"))
      .def("load_inputs", &PyDataset::LoadInputs, py::arg("i"))
      .def("load_batch_inputs", &PyDataset::LoadBatchInputs, py::arg("input_names"), py::arg("indices"));
  m.def(
      "make_split",
      [](size_t n, size_t calib, size_t sens, size_t eval_max, uint64_t seed) {
        Split s = MakeSplit(n, calib, sens, eval_max, seed);
        py::dict d;
        d["order"] = s.order;
        d["calib"] = s.calib;
        d["sens"] = s.sens;
        d["eval"] = s.eval;
        return d;
      },
      py::arg("n"), py::arg("calib") = 100, py::arg("sens") = 32, py::arg("eval_max") = 0, py::arg("seed") = 0,
      "The split `litemp run` uses: indices shuffled with `seed`; the first `calib` calibrate, the first `sens` of "
      "those score the sensitivity sweep, the rest (at most `eval_max`, 0 = all) evaluate.");
}

}  // namespace litemp::python
