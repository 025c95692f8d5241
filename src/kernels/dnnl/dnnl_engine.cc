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
  // One stream per thread (streams are not meant to be shared by concurrent callers).
  thread_local std::unique_ptr<DnnlEnv> mine;
  if (!mine) {
    try {
      mine.reset(new DnnlEnv{holder->first->engine, dnnl::stream(holder->first->engine)});
    } catch (const dnnl::error& e) {
      return DnnlError(e, "stream creation");
    }
  }
  return mine.get();
}

void UseCallerScratchpad(dnnl::primitive_attr* attr) { attr->set_scratchpad_mode(dnnl::scratchpad_mode::user); }

void BindScratchpad(DnnlEnv* env, const dnnl::primitive_desc_base& pd, dnnl::memory* keep,
                    std::unordered_map<int, dnnl::memory>* args) {
  const dnnl::memory::desc md = pd.scratchpad_desc();
  if (md.get_size() == 0) return;
  *keep = dnnl::memory(md, env->engine);
  (*args)[DNNL_ARG_SCRATCHPAD] = *keep;
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
