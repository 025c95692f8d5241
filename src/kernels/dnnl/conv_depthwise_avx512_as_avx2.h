// A convolution and the depthwise convolution that reads it, in one pass, on AVX-512, with
// the rounding of oneDNN 2.6's AVX2 kernels: an inverted residual block's expand (1x1,
// jit_1x1:avx2) and depthwise (jit_dw:avx2) layers, as in MobileNetV2, or a first layer
// (jit:avx2) and the depthwise layer after it.
//
// Run one after the other, the first layer writes its whole output (MobileNetV2's first
// expand layer: 4.8 MB a sample) and the depthwise layer reads it back, from L3 or memory.
// Here a thread computes a band of the first layer's rows into a small buffer of its own
// (it stays in L2), with that layer's post-ops, and runs the depthwise rows that read them;
// the rows the next band's kernel rows share are kept, not computed again. Each value is
// computed by the same functions in the same order as unfused (Conv1x1GroupsAsAvx2 or
// ConvRowAsAvx2, DepthwiseRowAsAvx2), so every output is the same bits. The 1x1 layer that
// reads the depthwise layer's output may join the pass too (DepthwiseThen): the block's
// wide tensors then never leave L2.
#ifndef LITEMP_KERNELS_DNNL_CONV_DEPTHWISE_AVX512_AS_AVX2_H_
#define LITEMP_KERNELS_DNNL_CONV_DEPTHWISE_AVX512_AS_AVX2_H_
#include <cstdint>
#include <functional>

#include "kernels/dnnl/conv_avx512_as_avx2.h"

namespace litemp {

// Computes rows [r0, r1) of output channels [16 g, 16 (g + q)) (q <= 2) of sample n of the
// first layer, with its post-ops, into y (group g's first block at row r0; rows IW * 8
// floats apart, y_cb floats between blocks). Called from several threads at once.
using FirstLayerRows = std::function<void(int64_t n, int64_t g, int q, int64_t r0, int64_t r1, float* y, int64_t y_cb)>;

// The layer after the depthwise one, in the same pass (an inverted residual block's 1x1
// project layer): the depthwise layer's rows then go to a second buffer of the thread's,
// not to memory, and this layer reads them there.
struct DepthwiseThen {
  // Computes output rows [r0, r1) of sample n of the next layer, with its post-ops, into
  // its output, from the depthwise layer's rows there: x at block 0 of row r0 (rows
  // OW * 8 floats apart), x_cb floats between blocks. Called from several threads at once.
  std::function<void(int64_t n, int64_t r0, int64_t r1, const float* x, int64_t x_cb)> rows;
  int64_t row_cost = 0;  // FMAs of 16 lanes one depthwise output row costs this layer
  // The depthwise layer's post-ops after `dw_clip` on a run of n of its outputs; may be empty.
  std::function<void(float* y, int64_t n)> dw_post;
};

// True when the threads of a pass over n samples share each sample (by its rows or
// groups), false when each takes whole samples.
bool ConvDepthwiseSharesSamples(int64_t n);

// y[N][C/8][OH][OW][8] = depthwise(first layer): `dw` and `s` the depthwise layer's as for
// DepthwiseAsAvx2 (s.ih, s.iw: the first layer's output rows and columns); `first` makes
// its input rows; `row_cost`: FMAs of 16 lanes one of them costs for all C channels.
// `dw_clip` and `finished` as for DepthwiseAsAvx2. With `then`, the depthwise layer's rows
// go to it instead (y and `finished` unused).
// REQUIRES: Avx512AsAvx2Available(); DepthwiseAsAvx2Supports(s).
void ConvDepthwiseAsAvx2(const FirstLayerRows& first, int64_t row_cost, const PackedConv& dw, const ConvShape& s,
                         float* y, const float* dw_clip, const FinishedRange& finished,
                         const DepthwiseThen* then = nullptr);

}  // namespace litemp

#endif  // LITEMP_KERNELS_DNNL_CONV_DEPTHWISE_AVX512_AS_AVX2_H_
