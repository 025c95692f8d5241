// 1x1 convolutions on AVX-512 that round exactly as oneDNN 2.6's AVX2 kernel does.
//
// The portable kernel set (litemp/kernel_set.h) caps oneDNN at AVX2 so that results do not
// depend on the CPU; on an AVX-512 CPU that leaves half of each vector unit idle. This
// kernel computes every output with the same operations in the same order as the oneDNN
// AVX2 kernel it stands in for, sixteen outputs to an instruction instead of eight: the
// results are the same bits, sooner. ConvKernel runs it only where oneDNN picked that AVX2
// kernel, on the same layouts (conv.cc). 1x1 convolutions are most of a MobileNet's time.
// One exception: where two different NaNs meet in one sum, which of them (payload, sign)
// comes out may differ, as the compiler orders the operands of an FMA or an addition;
// every other value, NaN or not, is oneDNN's.
//
// The order of jit_1x1:avx2 (1x1, stride 1, no pads, nChw8c in and out), measured against
// oneDNN 2.6.3 and read in its sources: input channels in chunks of 128 (its reduce
// blocking); the first chunk starts from the bias, each later one from 0, its FMAs in
// channel order, then is added to the sum so far. Post-ops run after the last chunk on the
// finished sums, as oneDNN's do.
//
// Depthwise convolutions stay on oneDNN: an AVX-512 version with jit_dw:avx2's order (two
// pixels' eight channels to a vector) was 1.3-2x slower than it at MobileNetV2's shapes,
// at batch 32 and batch 1: those layers move more bytes than they compute.
#ifndef LITEMP_KERNELS_DNNL_CONV_AVX512_AS_AVX2_H_
#define LITEMP_KERNELS_DNNL_CONV_AVX512_AS_AVX2_H_

#include <cstdint>
#include <functional>
#include <vector>

namespace litemp {

// True when this CPU has AVX-512 (F, VL, DQ) and the kernel is not switched off (by
// LITEMP_AVX512_AS_AVX2=0, or SetAvx512AsAvx2Enabled).
bool Avx512AsAvx2Available();
// Switches the kernel off or back on for convolutions whose primitive is built afterwards
// (ConvKernel decides once per cached primitive); tests compare it with oneDNN this way.
void SetAvx512AsAvx2Enabled(bool on);

// Called with [begin, end) ranges of the output's floats as each is finished (the caller
// applies post-ops there while the range is in cache); may be empty.
using FinishedRange = std::function<void(int64_t begin, int64_t end)>;
// The kernel below takes `clip`: {lo, hi} applied to the finished sums in registers as
// oneDNN's clip and ReLU post-ops do (vmaxps with lo, then vminps with hi: NaN becomes lo,
// -0 a zero bound), before `finished`; nullptr for none.

// A 1x1 convolution's weights and bias, packed: [ceil(M/16)][C][16], zero beyond M.
struct Packed1x1 {
  int64_t c = 0, m = 0;
  std::vector<float> w, bias;  // bias empty when the conv has none
};
// w: ONNX weights [M][C] (the 1x1 kernel dims dropped); bias: [M] or nullptr.
void Pack1x1(const float* w, const float* bias, int64_t m, int64_t c, Packed1x1* out);

// y[N][M/8][HW][8] = 1x1 conv of x[N][C/8][HW][8], as jit_1x1:avx2.
// REQUIRES: Avx512AsAvx2Available(); C % 8 == 0, M % 8 == 0.
void Conv1x1AsAvx2(const Packed1x1& w, int64_t n, int64_t hw, const float* x, float* y, const float* clip,
                   const FinishedRange& finished);

}  // namespace litemp

#endif  // LITEMP_KERNELS_DNNL_CONV_AVX512_AS_AVX2_H_
