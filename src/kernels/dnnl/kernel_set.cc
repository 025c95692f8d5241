// The process's kernel set: applied to oneDNN (set_max_cpu_isa) before its first kernel.
#include "litemp/kernel_set.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <optional>

namespace litemp {

namespace {

std::mutex g_mu;
std::optional<KernelSet> g_chosen;  // by SetKernelSet, before the set was fixed
std::atomic<bool> g_fixed{false};   // UseKernelSet succeeded: oneDNN's instruction set is fixed
KernelSet g_used = KernelSet::kPortable;
bool g_avx512 = false;  // oneDNN runs AVX-512 kernels (read once fixed)

bool IsAvx512(dnnl::cpu_isa isa) {
  return isa == dnnl::cpu_isa::avx512_core || isa == dnnl::cpu_isa::avx512_core_vnni ||
         isa == dnnl::cpu_isa::avx512_core_bf16 || isa == dnnl::cpu_isa::avx512_core_amx;
}

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
  if (g_fixed.load(std::memory_order_acquire)) return g_used;  // every kernel run asks
  std::lock_guard<std::mutex> lock(g_mu);
  if (g_fixed) return g_used;
  KernelSet k = KernelSet::kPortable;
  if (g_chosen) {
    k = *g_chosen;
  } else if (const char* env = std::getenv("LITEMP_KERNELS"); env && *env) {
    LITEMP_RETURN_IF_ERROR(ParseKernelSet(env, "LITEMP_KERNELS", &k));  // not fixed: a later choice may fix it
  }
  // The cap fails once oneDNN has fixed its instruction set (something ran oneDNN before
  // litemp's first kernel): then portable holds only if oneDNN runs AVX2 or less anyway.
  if (k == KernelSet::kPortable && dnnl::set_max_cpu_isa(dnnl::cpu_isa::avx2) != dnnl::status::success) {
    const dnnl::cpu_isa isa = dnnl::get_effective_cpu_isa();
    if (IsAvx512(isa) || isa == dnnl::cpu_isa::avx2_vnni)
      return Status::Internal(std::string("portable kernels need oneDNN capped at AVX2, but it already runs ") +
                              IsaName(isa) + " (something ran oneDNN before litemp's first kernel)");
  }
  g_used = k;
  g_avx512 = IsAvx512(dnnl::get_effective_cpu_isa());
  g_fixed.store(true, std::memory_order_release);
  return k;
}

std::string KernelIsa() {
  if (!UseKernelSet().ok()) return "unknown";
  return IsaName(dnnl::get_effective_cpu_isa());
}

bool KernelsUseAvx512() { return UseKernelSet().ok() && g_avx512; }

}  // namespace litemp
