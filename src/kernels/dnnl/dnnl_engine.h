// The process-wide oneDNN CPU engine and stream shared by every dnnl kernel, plus small
// helpers for turning oneDNN exceptions into Status and shapes into oneDNN dims.
//
// oneDNN's CPU stream (OpenMP runtime) executes synchronously; each thread gets its own
// (executors running side by side on several threads, see litemp/sample_parallel.h).
// oneDNN threads follow omp_set_num_threads and run serially inside a parallel region.
#ifndef LITEMP_KERNELS_DNNL_DNNL_ENGINE_H_
#define LITEMP_KERNELS_DNNL_DNNL_ENGINE_H_

#include <oneapi/dnnl/dnnl.hpp>

#include <string>
#include <unordered_map>

#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp {

struct DnnlEnv {
  dnnl::engine engine;
  dnnl::stream stream;
};

// The shared engine and this thread's stream, created on first use (thread-safe). Fails
// with Internal when oneDNN cannot create a CPU engine.
Result<DnnlEnv*> GetDnnlEnv();

// Primitives take their scratchpad from the caller (`attr` gets scratchpad_mode::user): a
// primitive oneDNN's cache shares between executors may then run on two threads at once.
void UseCallerScratchpad(dnnl::primitive_attr* attr);
// Allocates the scratchpad `pd` asks for into *keep and binds it in *args (none if empty).
void BindScratchpad(DnnlEnv* env, const dnnl::primitive_desc_base& pd, dnnl::memory* keep,
                    std::unordered_map<int, dnnl::memory>* args);

// Status::Internal("oneDNN <what>: <message> (status N)").
Status DnnlError(const dnnl::error& e, const std::string& what);

// `s` as oneDNN dims, each reduced by `minus` (1 turns ONNX dilations into oneDNN's).
inline dnnl::memory::dims ToDims(const std::vector<int64_t>& s, int64_t minus = 0) {
  dnnl::memory::dims r(s.begin(), s.end());
  for (auto& v : r) v -= minus;
  return r;
}

// Row-major (plain) float32 memory descriptor of `dims`.
dnnl::memory::desc PlainDesc(const dnnl::memory::dims& dims);

// Copies the plain data at `src` (described by `src_md`) into `dst`, converting to
// dst's layout. Throws dnnl::error.
void ReorderInto(DnnlEnv* env, const dnnl::memory::desc& src_md, const void* src, dnnl::memory& dst);

// A memory object for `md` with no buffer yet (set_data_handle before use).
dnnl::memory UnboundMemory(DnnlEnv* env, const dnnl::memory::desc& md);

// Runs `fn` (which returns Status) and converts a thrown dnnl::error into DnnlError(what).
template <class F>
Status DnnlTry(const std::string& what, F&& fn) {
  try {
    return fn();
  } catch (const dnnl::error& e) {
    return DnnlError(e, what);
  }
}

}  // namespace litemp

#endif  // LITEMP_KERNELS_DNNL_DNNL_ENGINE_H_
