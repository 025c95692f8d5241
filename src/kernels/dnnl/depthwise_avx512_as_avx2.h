// Depthwise convolution on AVX-512 that rounds exactly as oneDNN 2.6's jit_dw:avx2 does.
//
// A stand-in like those of conv_avx512_as_avx2.h (same rules: ConvKernel runs it only where
// oneDNN picked jit_dw:avx2, on the same nChw8c layouts; every output is the same bits).
// jit_dw's order for each output (jit_uni_dw_conv_kernel_f32.cpp, 2.6.3): from the bias (or
// +0 without one), the kernel rows inside the input from the top, and in each the kernel
// columns inside the input from the left, one FMA each; taps outside the input are skipped,
// not multiplied by zero. Post-ops then run on the finished sums.
//
// One vector holds one pixel of two channel blocks (16 channels); along an output row each
// input pixel is loaded once per kernel row and feeds every output whose taps reach it.
// oneDNN's kernel loads each tap's input again. On MobileNetV2 (one thread, batch 1) its
// 14x14 layers take 0.024 instead of 0.039 ms; the 112x112 and 56x56 ones, bound by memory,
// gain less (0.23 instead of 0.27-0.29 ms).
#ifndef LITEMP_KERNELS_DNNL_DEPTHWISE_AVX512_AS_AVX2_H_
#define LITEMP_KERNELS_DNNL_DEPTHWISE_AVX512_AS_AVX2_H_

#include <cstdint>

#include "kernels/dnnl/conv_avx512_as_avx2.h"

namespace litemp {

// Whether DepthwiseAsAvx2 takes this shape (its `c` and `m` are the channel count, one
// output per channel): kernel width 3 or 5, column stride 1 or 2, pads smaller than the
// kernel, C % 8 == 0.
bool DepthwiseAsAvx2Supports(const ConvShape& s);

// Weights [C][1][kh][kw] and bias [C] as [ceil(C/16)][kh][kw][16] and [ceil(C/16)][16]: the
// two channel blocks of a vector side by side (the last block twice when C % 16 == 8).
void PackDepthwise(const float* w, const float* bias, const ConvShape& s, PackedConv* out);

// y[N][C/8][OH][OW][8] = depthwise conv of x[N][C/8][IH][IW][8] as jit_dw:avx2 computes it;
// `clip` and `finished` as for ConvAsAvx2.
// REQUIRES: Avx512AsAvx2Available(); DepthwiseAsAvx2Supports(s).
void DepthwiseAsAvx2(const PackedConv& w, const ConvShape& s, const float* x, float* y, const float* clip,
                     const FinishedRange& finished);
// One output row `oh` of channel pair `pair` (blocks 2 pair and 2 pair + 1) of one sample,
// serially: x0 and x1 hold the two blocks' input rows from input row `row0` on (IW * 8
// floats a row; the rows the output row reads, those inside the input, must be there), y0
// and y1 the row's output (y1 nullptr for a lone last block). The same bits as
// DepthwiseAsAvx2's outputs there (conv_depthwise_avx512_as_avx2.h feeds it rows it has
// just computed).
void DepthwiseRowAsAvx2(const PackedConv& w, const ConvShape& s, int64_t pair, const float* x0, const float* x1,
                        int64_t row0, int64_t oh, float* y0, float* y1, const float* clip);

}  // namespace litemp

#endif  // LITEMP_KERNELS_DNNL_DEPTHWISE_AVX512_AS_AVX2_H_
