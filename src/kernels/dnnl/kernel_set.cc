// The process's kernel set: applied to oneDNN (set_max_cpu_isa) before its first kernel.
#include "litemp/kernel_set.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <cstdlib>
#include <mutex>
#include <optional>

namespace litemp {

namespace {

std::mutex g_mu;
std::optional<KernelSet> g_chosen;  // by SetKernelSet, before the set was fixed
bool g_fixed = false;               // UseKernelSet ran: oneDNN's instruction set is fixed
KernelSet g_used = KernelSet::kPortable;

const char* IsaName(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx2_vnni: return "avx2_vnni";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    default: return "other";
  }
}

}  // namespace

const char* KernelSetName(KernelSet k) { return k == KernelSet::kNative ? "native" : "portable"; }

Status ParseKernelSet(const std::string& name, const std::string& what, KernelSet* out) {
  if (name == "portable") *out = KernelSet::kPortable;
  else if (name == "native") *out = KernelSet::kNative;
  else return Status::InvalidArgument(what + " must be portable or native, got '" + name + "'");
  return Status::OK();
}

Status SetKernelSet(KernelSet k) {
  std::lock_guard<std::mutex> lock(g_mu);
  if (g_fixed && g_used != k)
    return Status::InvalidArgument(std::string("this process already runs the ") + KernelSetName(g_used) +
                                   " kernels; choose the kernels before the first model runs");
  g_chosen = k;
  return Status::OK();
}

Result<KernelSet> UseKernelSet() {
  std::lock_guard<std::mutex> lock(g_mu);
  if (g_fixed) return g_used;
  KernelSet k = KernelSet::kPortable;
  if (g_chosen) {
    k = *g_chosen;
  } else if (const char* env = std::getenv("LITEMP_KERNELS"); env && *env) {
    LITEMP_RETURN_IF_ERROR(ParseKernelSet(env, "LITEMP_KERNELS", &k));
  }
  // Capping fails only once oneDNN has fixed its instruction set, which litemp's first
  // kernel does after this; a caller that ran oneDNN itself first keeps oneDNN's choice.
  if (k == KernelSet::kPortable) dnnl::set_max_cpu_isa(dnnl::cpu_isa::avx2);
  g_used = k;
  g_fixed = true;
  return k;
}

std::string KernelIsa() {
  if (!UseKernelSet().ok()) return "unknown";
  return IsaName(dnnl::get_effective_cpu_isa());
}

bool KernelsUseAvx512() {
  if (!UseKernelSet().ok()) return false;
  const dnnl::cpu_isa isa = dnnl::get_effective_cpu_isa();
  return isa == dnnl::cpu_isa::avx512_core || isa == dnnl::cpu_isa::avx512_core_vnni ||
         isa == dnnl::cpu_isa::avx512_core_bf16 || isa == dnnl::cpu_isa::avx512_core_amx;
}

}  // namespace litemp
