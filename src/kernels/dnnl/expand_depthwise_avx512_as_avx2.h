// A 1x1 convolution and the depthwise convolution that reads it, in one pass, on AVX-512,
// with the rounding of oneDNN 2.6's jit_1x1:avx2 and jit_dw:avx2 (an inverted residual
// block's expand and depthwise layers, as in MobileNetV2).
//
// Run one after the other, the expand layer writes its whole output (MobileNetV2's first
// block: 4.8 MB a sample) and the depthwise layer reads it back, from L3 or memory. Here a
// thread computes a band of the expanded rows into a small buffer of its own (it stays in
// L2), applies the expand layer's post-ops there, and runs the depthwise rows that read
// them; the rows the next band's kernel rows share are kept, not computed again. Each value
// is computed by the same functions in the same order as unfused (Conv1x1GroupsAsAvx2,
// DepthwiseRowAsAvx2), so every output is the same bits.
#ifndef LITEMP_KERNELS_DNNL_EXPAND_DEPTHWISE_AVX512_AS_AVX2_H_
#define LITEMP_KERNELS_DNNL_EXPAND_DEPTHWISE_AVX512_AS_AVX2_H_
#include <cstdint>
#include <functional>

#include "kernels/dnnl/conv_avx512_as_avx2.h"

namespace litemp {

// The expand layer's post-ops after its leading clip, applied to `count` finished floats at
// `y` (one channel block's run of pixels) before the depthwise layer reads them.
using ScratchPostOps = std::function<void(float* y, int64_t count)>;

// y[N][C/8][OH][OW][8] = depthwise(post(expand(x))): x[N][Cx/8][IH*IW][8]; `expand` the 1x1
// layer's weights (expand.m == C); `dw` and `s` the depthwise layer's, as for
// DepthwiseAsAvx2 (s.ih, s.iw are x's). `expand_clip`, `dw_clip` and `finished` as for
// ConvAsAvx2 (finished: ranges of y); `expand_post` may be empty.
// REQUIRES: Avx512AsAvx2Available(); DepthwiseAsAvx2Supports(s); Cx % 8 == 0.
void ExpandDepthwiseAsAvx2(const Packed1x1& expand, const float* expand_clip, const ScratchPostOps& expand_post,
                           const PackedConv& dw, const ConvShape& s, const float* x, float* y, const float* dw_clip,
                           const FinishedRange& finished);

}  // namespace litemp

#endif  // LITEMP_KERNELS_DNNL_EXPAND_DEPTHWISE_AVX512_AS_AVX2_H_
