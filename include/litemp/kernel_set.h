// Which oneDNN kernels a process runs, and so which bits its results have.
//
// oneDNN has kernels per instruction set, and kernels for different instruction sets add up
// a convolution in different orders. Every figure litemp computes is deterministic for one
// kernel set on one instruction set, but its last bits (and, through 8-bit rounding, a few
// predictions and PSNRs) follow the kernels:
//   kPortable (the default): oneDNN capped at AVX2+FMA (over ONEDNN_MAX_CPU_ISA),
//     channel-blocked (nChw8c) convolutions. Results do not depend on whether the CPU has
//     AVX-512 (the same bytes on an AVX2-only AMD Zen 2 and an AVX-512 Intel Xeon), so
//     they can be compared across machines and the ranks of an MPI job on mixed nodes agree.
//     On AVX-512 CPUs oneDNN's AVX2 1x1 and general convolutions run as AVX-512 kernels with
//     their exact order of operations (src/kernels/dnnl/conv_avx512_as_avx2.h): faster,
//     same bits.
//   kNative: the widest instruction set the CPU has. On AVX-512 machines convolutions run
//     on oneDNN's channels-last AVX-512 (brgemm) kernels (MobileNetV2 1.1-1.4x faster);
//     results then depend on the instruction set. On AVX2-only machines it is kPortable.
// Within one kernel set every exactness property holds (fused = unfused, fast sweep =
// naive sweep, in-kernel fake-quantization = the quantizer), so the choice changes
// rounding, never the method.
#ifndef LITEMP_KERNEL_SET_H_
#define LITEMP_KERNEL_SET_H_

#include <string>

#include "litemp/status.h"

namespace litemp {

enum class KernelSet { kPortable, kNative };

// "portable" or "native".
const char* KernelSetName(KernelSet k);
// Parses a name as above; InvalidArgument naming `what` (a flag, a variable) otherwise.
Status ParseKernelSet(const std::string& name, const std::string& what, KernelSet* out);

// Chooses the kernels of this process. oneDNN fixes its instruction set when the first
// kernel runs, so after that only the set in use may be chosen again; another fails with
// InvalidArgument. Before any choice the set is LITEMP_KERNELS (portable or native)
// when that is set, else kPortable.
Status SetKernelSet(KernelSet k);

// The set this process runs, fixing it (and oneDNN's instruction set) on the first call.
// Fails with InvalidArgument when LITEMP_KERNELS names no set.
Result<KernelSet> UseKernelSet();

// The instruction set oneDNN dispatches to under the set in use ("avx2", "avx512_core",
// "avx512_core_bf16", ...); fixes the set as UseKernelSet does. "unknown" on failure.
std::string KernelIsa();

// True when oneDNN runs AVX-512 kernels in this process.
bool KernelsUseAvx512();

}  // namespace litemp

#endif  // LITEMP_KERNEL_SET_H_
