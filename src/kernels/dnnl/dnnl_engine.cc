#include "kernels/dnnl/dnnl_engine.h"

#include <memory>

#include "litemp/kernel_set.h"

namespace litemp {

Result<DnnlEnv*> GetDnnlEnv() {
  // The kernel set caps oneDNN's instruction set, which its first primitive fixes. Asked on
  // every call: a bad LITEMP_KERNELS fails until a valid set is chosen.
  LITEMP_RETURN_IF_ERROR(UseKernelSet().status());
  // Built once; a failure is remembered so every kernel reports the same error.
  static const auto* holder = [] {
    auto* h = new std::pair<std::unique_ptr<DnnlEnv>, Status>();
    try {
      dnnl::engine eng(dnnl::engine::kind::cpu, 0);
      dnnl::stream st(eng);
      h->first.reset(new DnnlEnv{eng, st});
    } catch (const dnnl::error& e) {
      h->second = DnnlError(e, "engine creation");
    }
    return h;
  }();
  if (!holder->first) return holder->second;
  return holder->first.get();
}

Status DnnlError(const dnnl::error& e, const std::string& what) {
  return Status::Internal("oneDNN " + what + ": " + e.what() + " (status " + std::to_string(e.status) + ")");
}

dnnl::memory::desc PlainDesc(const dnnl::memory::dims& dims) {
  dnnl::memory::dims strides(dims.size());
  dnnl::memory::dim acc = 1;
  for (int i = static_cast<int>(dims.size()) - 1; i >= 0; --i) {
    strides[i] = acc;
    acc *= dims[i];
  }
  return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, strides);
}

void ReorderInto(DnnlEnv* env, const dnnl::memory::desc& src_md, const void* src, dnnl::memory& dst) {
  dnnl::memory user(src_md, env->engine, const_cast<void*>(src));
  dnnl::reorder(user, dst).execute(env->stream, user, dst);
  env->stream.wait();
}

dnnl::memory UnboundMemory(DnnlEnv* env, const dnnl::memory::desc& md) {
  return dnnl::memory(md, env->engine, DNNL_MEMORY_NONE);
}

}  // namespace litemp
