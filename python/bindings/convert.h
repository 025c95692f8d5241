// What every binding file shares: litemp Status -> Python exceptions, numpy arrays <->
// Tensors (without copies where the layout allows), and progress callbacks.
#ifndef LITEMP_PYTHON_CONVERT_H_
#define LITEMP_PYTHON_CONVERT_H_

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/progress.h"
#include "litemp/runner.h"
#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp::python {

namespace py = pybind11;

// Thrown by the bindings for a failed Status; translated into litemp.Error (or the subclass
// for the code) carrying the message the CLI prints after "error: ".
struct StatusError : std::exception {
  explicit StatusError(Status s) : status(std::move(s)) {}
  const char* what() const noexcept override { return status.message().c_str(); }
  Status status;
};

inline void Check(const Status& s) {
  if (!s.ok()) throw StatusError(s);
}
template <class T> T Take(Result<T> r) {
  if (!r.ok()) throw StatusError(r.status());
  return std::move(r).value();
}

// Creates litemp.Error and its subclasses on `m` and the translator that raises them.
void RegisterErrors(py::module_& m);

// A float array (float16/32/64, any strides) as a float32 Tensor: the array's own memory
// when it is float32 and C-contiguous, else a converted copy. `what` names it in errors
// ("input 'x'"). Other dtypes are an InvalidArgument naming `what` and the dtype.
Tensor ArrayToTensor(py::handle obj, const std::string& what);
// A Tensor as a numpy array sharing its buffer (plain layout; copied only when the tensor
// is stored channels-last or blocked).
py::array TensorToArray(const Tensor& t);

// One [N, ...] array per model input, from a dict {input name: array} (every input, no
// other name) or, for convenience, a single array for a one-input model or a list/tuple in
// input order.
Batch BatchFromPython(py::handle feeds, const ModelInputs& inputs);

// InvalidArgument naming the input and flat index of the first NaN/Inf: calibration and
// sensitivity data must be finite, as the CLI's loaders require (plain inference passes
// NaN through, as onnxruntime does).
void CheckFinite(const Batch& batch, const ModelInputs& inputs);

// While alive, routes the progress of C++ calls made on this thread to a Python callback
// (label, done, total), taking the GIL for each call; None silences it instead. An
// exception the callback raises is kept, later calls of it skipped, and RethrowIfFailed
// raises it once the C++ call has returned. Construct with the GIL held.
class ProgressCallback {
 public:
  explicit ProgressCallback(py::object callback);
  ~ProgressCallback();
  // Re-raises the callback's exception, if any. Call with the GIL held.
  void RethrowIfFailed();

 private:
  py::object callback_;
  std::optional<py::error_already_set> error_;
  std::unique_ptr<ScopedProgressSink> scope_;
};

}  // namespace litemp::python

#endif  // LITEMP_PYTHON_CONVERT_H_
