#include "convert.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <sstream>

namespace litemp::python {

namespace {

PyObject* error_base = nullptr;
PyObject* invalid_argument = nullptr;
PyObject* not_supported = nullptr;
PyObject* corruption = nullptr;
PyObject* file_error = nullptr;

PyObject* NewError(py::module_& m, const char* name, PyObject* extra_base, const char* doc) {
  std::string full = std::string("litemp.") + name;
  PyObject* bases = extra_base ? PyTuple_Pack(2, error_base, extra_base) : PyTuple_Pack(1, error_base);
  PyObject* cls = PyErr_NewExceptionWithDoc(full.c_str(), doc, bases, nullptr);
  Py_DECREF(bases);
  if (!cls) throw py::error_already_set();
  m.add_object(name, py::handle(cls));  // the module keeps one reference for good
  return cls;
}

PyObject* ClassFor(Status::Code code) {
  switch (code) {
    case Status::Code::kInvalidArgument: return invalid_argument;
    case Status::Code::kNotSupported: return not_supported;
    case Status::Code::kCorruption: return corruption;
    case Status::Code::kIOError: return file_error;
    default: return error_base;
  }
}

std::string DTypeText(const py::array& a) { return py::str(a.dtype()).cast<std::string>(); }

}  // namespace

void RegisterErrors(py::module_& m) {
  error_base = PyErr_NewExceptionWithDoc("litemp.Error", "A litemp call failed; str() is the CLI's error message.",
                                         PyExc_RuntimeError, nullptr);
  if (!error_base) throw py::error_already_set();
  m.add_object("Error", py::handle(error_base));
  invalid_argument = NewError(m, "InvalidArgumentError", PyExc_ValueError, "Bad arguments, data or model contents.");
  not_supported = NewError(m, "NotSupportedError", nullptr, "Something litemp does not implement (an op, a dtype).");
  corruption = NewError(m, "CorruptionError", PyExc_ValueError, "A file that is not what it claims to be.");
  file_error = NewError(m, "FileError", PyExc_OSError, "A file that cannot be read or written.");
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const StatusError& e) {
      PyErr_SetString(ClassFor(e.status.code()), e.status.message().c_str());
    }
  });
}

Tensor ArrayToTensor(py::handle obj, const std::string& what) {
  if (!py::isinstance<py::array>(obj))
    throw StatusError(Status::InvalidArgument(what + ": expected a numpy array, got " +
                                              py::str(py::type::of(obj).attr("__name__")).cast<std::string>()));
  py::array a = py::reinterpret_borrow<py::array>(obj);
  if (a.dtype().kind() != 'f')
    throw StatusError(Status::InvalidArgument(what + ": dtype " + DTypeText(a) + ", expected float32"));
  // No copy when it already is float32 and C-contiguous.
  auto f = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(a);
  if (!f) throw py::error_already_set();
  Shape shape(f.shape(), f.shape() + f.ndim());
  if (reinterpret_cast<uintptr_t>(f.data()) % alignof(float) != 0) {  // e.g. np.frombuffer at an odd offset
    Tensor t(DType::kFloat32, std::move(shape));
    std::memcpy(t.raw_data(), f.data(), t.nbytes());
    return t;
  }
  auto* keep = new py::object(f);
  std::shared_ptr<void> owner(keep, [](void* p) {
    py::gil_scoped_acquire gil;  // the last reference may go on a thread without the GIL
    delete static_cast<py::object*>(p);
  });
  return Tensor::Wrap(DType::kFloat32, std::move(shape), const_cast<float*>(f.data()), std::move(owner));
}

py::array TensorToArray(const Tensor& t0) {
  Tensor t = ToPlain(t0);
  py::dtype dt;
  switch (t.dtype()) {
    case DType::kFloat32: dt = py::dtype::of<float>(); break;
    case DType::kFloat64: dt = py::dtype::of<double>(); break;
    case DType::kFloat16: dt = py::dtype("float16"); break;
    case DType::kInt64: dt = py::dtype::of<int64_t>(); break;
    case DType::kInt32: dt = py::dtype::of<int32_t>(); break;
    case DType::kInt16: dt = py::dtype::of<int16_t>(); break;
    case DType::kInt8: dt = py::dtype::of<int8_t>(); break;
    case DType::kUInt8: dt = py::dtype::of<uint8_t>(); break;
    case DType::kUInt16: dt = py::dtype::of<uint16_t>(); break;
    case DType::kUInt32: dt = py::dtype::of<uint32_t>(); break;
    case DType::kUInt64: dt = py::dtype::of<uint64_t>(); break;
    case DType::kBool: dt = py::dtype("bool"); break;
    default: throw StatusError(Status::NotSupported(std::string("cannot return a ") + DTypeName(t.dtype()) + " tensor"));
  }
  std::vector<py::ssize_t> shape(t.shape().begin(), t.shape().end());
  std::vector<py::ssize_t> strides(shape.size());
  py::ssize_t step = static_cast<py::ssize_t>(DTypeSize(t.dtype()));
  for (size_t i = shape.size(); i-- > 0;) {
    strides[i] = step;
    step *= shape[i];
  }
  auto* keep = new Tensor(t);
  py::capsule owner(keep, [](void* p) { delete static_cast<Tensor*>(p); });
  return py::array(dt, shape, strides, t.raw_data(), owner);
}

Batch BatchFromPython(py::handle feeds, const ModelInputs& inputs) {
  const std::string names = [&] {
    std::string s;
    for (const auto& in : inputs) s += (s.empty() ? "'" : ", '") + in.name + "'";
    return s;
  }();
  Batch batch;
  if (py::isinstance<py::dict>(feeds)) {
    py::dict d = py::reinterpret_borrow<py::dict>(feeds);
    for (auto item : d) {
      std::string key = py::str(item.first).cast<std::string>();
      bool known = false;
      for (const auto& in : inputs) known = known || in.name == key;
      if (!known) throw StatusError(Status::InvalidArgument("unknown input '" + key + "' (the model's inputs: " + names + ")"));
    }
    for (const auto& in : inputs) {
      if (!d.contains(in.name))
        throw StatusError(Status::InvalidArgument("missing input '" + in.name + "' (the model's inputs: " + names + ")"));
      batch.push_back(ArrayToTensor(d[py::str(in.name)], "input '" + in.name + "'"));
    }
  } else if (py::isinstance<py::list>(feeds) || py::isinstance<py::tuple>(feeds)) {
    py::sequence seq = py::reinterpret_borrow<py::sequence>(feeds);
    if (seq.size() != inputs.size())
      throw StatusError(Status::InvalidArgument("got " + std::to_string(seq.size()) + " arrays for " +
                                                std::to_string(inputs.size()) + " inputs (" + names + ")"));
    for (size_t i = 0; i < inputs.size(); ++i) batch.push_back(ArrayToTensor(seq[i], "input '" + inputs[i].name + "'"));
  } else {
    if (inputs.size() != 1)
      throw StatusError(Status::InvalidArgument("the model has " + std::to_string(inputs.size()) +
                                                " inputs (" + names + "): give a dict {name: array}"));
    batch.push_back(ArrayToTensor(feeds, "input '" + inputs[0].name + "'"));
  }
  Check(CheckInputShapes(inputs, batch));
  return batch;
}

void CheckFinite(const Batch& batch, const ModelInputs& inputs) {
  for (size_t k = 0; k < batch.size(); ++k) {
    const float* p = batch[k].data<float>();
    for (int64_t i = 0; i < batch[k].numel(); ++i) {
      if (!std::isfinite(p[i]))
        throw StatusError(Status::InvalidArgument("input '" + inputs[k].name + "' holds " +
                                                  (std::isnan(p[i]) ? "NaN" : "Inf") + " at flat index " +
                                                  std::to_string(i)));
    }
  }
}

ProgressCallback::ProgressCallback(py::object callback) : callback_(std::move(callback)) {
  if (callback_.is_none()) {  // silence, also towards an outer call's callback on this thread
    scope_ = std::make_unique<ScopedProgressSink>([](const std::string&, int64_t, int64_t) {});
    return;
  }
  scope_ = std::make_unique<ScopedProgressSink>([this](const std::string& label, int64_t done, int64_t total) {
    py::gil_scoped_acquire gil;
    if (error_) return;
    try {
      callback_(label, done, total);
    } catch (py::error_already_set& e) {
      error_.emplace(std::move(e));
    }
  });
}

ProgressCallback::~ProgressCallback() = default;

void ProgressCallback::RethrowIfFailed() {
  if (error_) {
    py::error_already_set e = std::move(*error_);
    error_.reset();
    throw e;
  }
}

}  // namespace litemp::python
