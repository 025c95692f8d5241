#include "model_source.h"

#include <atomic>

#include "core/parallel.h"
#include "litemp/workflow.h"

namespace litemp::python {

namespace {
std::atomic<int> threads{0};  // 0: OpenMP's default, read when the module loads
const int default_threads = NumThreads();  // all cores, or OMP_NUM_THREADS
}  // namespace

// Applied every time, also the default: OpenMP keeps a thread's last setting.
void UseThreads() { SetNumThreads(Threads()); }

void SetThreads(int n) { threads = n; }
int Threads() { return threads.load() ? threads.load() : default_threads; }

std::unique_ptr<Model> LoadModel(py::handle model, bool prepare, py::handle shapes, PrepareReport* report) {
  PrepareOptions p;
  p.fold_bn = p.fold_constants = p.drop_identity = prepare;
  if (!shapes.is_none()) {
    for (auto item : py::cast<py::dict>(shapes)) {
      InputShape s;
      s.name = py::str(item.first).cast<std::string>();
      for (auto d : py::cast<py::sequence>(item.second)) {
        int64_t v = d.is_none() ? InputShape::kKeep : d.cast<int64_t>();
        if (v != InputShape::kKeep && v < 1)
          throw StatusError(Status::InvalidArgument("shapes['" + s.name + "']: dims must be positive or None"));
        s.dims.push_back(v);
      }
      p.shapes.push_back(std::move(s));
    }
  }
  PrepareReport unused;
  if (py::isinstance<py::str>(model) || py::hasattr(model, "__fspath__")) {
    std::string path = py::str(py::module_::import("os").attr("fspath")(model)).cast<std::string>();
    py::gil_scoped_release nogil;
    return Take(LoadModelForQuantization(path, p, report ? report : &unused));
  }
  py::object bytes_obj = py::reinterpret_borrow<py::object>(model);
  if (!py::isinstance<py::bytes>(model)) {
    if (!py::hasattr(model, "SerializeToString"))
      throw StatusError(Status::InvalidArgument("model: expected a path, bytes or an onnx.ModelProto, got " +
                                                py::str(py::type::of(model).attr("__name__")).cast<std::string>()));
    bytes_obj = model.attr("SerializeToString")();
  }
  std::string bytes = bytes_obj.cast<std::string>();
  py::gil_scoped_release nogil;
  return Take(LoadModelBytesForQuantization(bytes, ".", p, report ? report : &unused));
}

}  // namespace litemp::python
