// The compiled half of the `litemp` Python package (python/litemp wraps it in the
// aimet_onnx-shaped API). Every call that runs a model releases the GIL.
#include <cstdlib>
#include <string>

#include "convert.h"
#include "litemp/kernel_set.h"
#include "litemp/tensor.h"
#include "model_source.h"
#include "session.h"

namespace litemp::python {
void RegisterSim(py::module_& m);
void RegisterData(py::module_& m);
void RegisterWorkflow(py::module_& m);
}  // namespace litemp::python

PYBIND11_MODULE(_litemp, m) {
  namespace lp = litemp::python;
  m.doc() = "litemp native module; use the `litemp` package";
  // As the CLI: freed activations stay in the heap for the next run (litemp/tensor.h).
  if (const char* keep = std::getenv("LITEMP_RETAIN_MEMORY"); !keep || std::string(keep) != "0")
    litemp::RetainFreedMemory();
  lp::RegisterErrors(m);
  lp::RegisterSessions(m);
  lp::RegisterSim(m);
  lp::RegisterData(m);
  lp::RegisterWorkflow(m);
  m.def(
      "set_num_threads",
      [](int n) {
        if (n < 0 || n > 1024) throw lp::StatusError(litemp::Status::InvalidArgument("threads must be 0..1024, got " + std::to_string(n)));
        lp::SetThreads(n);
      },
      pybind11::arg("n"),
        "Threads for every later litemp call (n >= 1); 0 restores the default (all cores or OMP_NUM_THREADS).");
  m.def("get_num_threads", &lp::Threads);
  m.def(
      "set_kernels",
      [](const std::string& name) {
        litemp::KernelSet k;
        lp::Check(litemp::ParseKernelSet(name, "kernels", &k));
        lp::Check(litemp::SetKernelSet(k));
      },
      pybind11::arg("name"),
      "'portable' (default: AVX2 kernels, the same results with or without AVX-512) or 'native' (the CPU's widest "
      "instructions: faster on AVX-512, results depend on the instruction set). Choose before the first model runs.");
  m.def("get_kernels", [] {
    litemp::Result<litemp::KernelSet> k = litemp::UseKernelSet();
    lp::Check(k.status());
    return std::string(litemp::KernelSetName(*k)) + " (" + litemp::KernelIsa() + ")";
  }, "The kernel set in use and oneDNN's instruction set, e.g. 'portable (avx2)'; fixes the choice.");
  m.attr("__version__") = "0.1.0";
}
