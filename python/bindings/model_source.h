// Loading a model handed over from Python: a path, serialized bytes, or any object with
// SerializeToString() (an onnx.ModelProto), prepared as `litemp run` prepares it.
#ifndef LITEMP_PYTHON_MODEL_SOURCE_H_
#define LITEMP_PYTHON_MODEL_SOURCE_H_

#include <memory>

#include "convert.h"
#include "litemp/model.h"
#include "litemp/prepare.h"

namespace litemp::python {

// `shapes`: {input name: [d0, d1, ...]} with None (or -1) keeping a dim, as --shape does.
// `prepare` false loads the model exactly as given. Fills *report when not null.
std::unique_ptr<Model> LoadModel(py::handle model, bool prepare, py::handle shapes, PrepareReport* report);

// Applies the thread count set by litemp.set_num_threads to the calling thread (OpenMP keeps
// it per thread, and Python code may call from any thread).
void UseThreads();
// litemp.set_num_threads: n >= 1 threads for every later call; 0 restores the default.
void SetThreads(int n);
int Threads();

}  // namespace litemp::python

#endif  // LITEMP_PYTHON_MODEL_SOURCE_H_
