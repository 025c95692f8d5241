// Convolutions on AVX-512 that round exactly as oneDNN 2.6's AVX2 kernels do.
//
// The portable kernel set (litemp/kernel_set.h) caps oneDNN at AVX2 so that results do not
// depend on the CPU; on an AVX-512 CPU that leaves half of each vector unit idle. These
// kernels compute every output with the same operations in the same order as the oneDNN
// AVX2 kernel they stand in for, sixteen outputs to an instruction instead of eight: the
// results are the same bits, sooner. ConvKernel runs one only where oneDNN picked the AVX2
// kernel it reproduces, on the same layouts (conv.cc). One exception: where two different
// NaNs meet in one sum, which of them (payload, sign) comes out may differ, as the compiler
// orders the operands of an FMA or an addition; every other value, NaN or not, is oneDNN's.
//
// The orders, measured against oneDNN 2.6.3 and read in its sources (all from the bias,
// or 0 without one; post-ops then run on the finished sums, as oneDNN's do):
//   jit_1x1:avx2 (1x1, stride 1, no pads, nChw8c in and out): input channels in chunks of
//     128 (its reduce blocking); the first chunk starts from the bias, each later one from
//     0, its FMAs in channel order, then is added to the sum so far. NHWC in and out (as
//     for an output channel count that is not a multiple of 8, e.g. a classifier after
//     global pooling): all channels in one chunk.
//   jit:avx2 (any other 2-D convolution with one group, nChw8c out; nChw8c in, or plain
//     with fewer than 8 channels as in a first layer): channel blocks of 8, then kernel
//     rows, kernel columns and the block's channels, skipping taps outside the input.
//
// Depthwise convolutions (jit_dw:avx2) have their own stand-in: depthwise_avx512_as_avx2.h.
#ifndef LITEMP_KERNELS_DNNL_CONV_AVX512_AS_AVX2_H_
#define LITEMP_KERNELS_DNNL_CONV_AVX512_AS_AVX2_H_

#include <cstdint>
#include <functional>
#include <vector>

namespace litemp {

// True when this CPU has AVX-512 (F, VL, DQ) and the kernels are not switched off (by
// LITEMP_AVX512_AS_AVX2=0, or SetAvx512AsAvx2Enabled).
bool Avx512AsAvx2Available();
// Switches the kernels off or back on for convolutions whose primitive is built afterwards
// (ConvKernel decides once per cached primitive); tests compare it with oneDNN this way.
void SetAvx512AsAvx2Enabled(bool on);

// Called with [begin, end) ranges of the output's floats as each is finished (the caller
// applies post-ops there while the range is in cache); may be empty.
using FinishedRange = std::function<void(int64_t begin, int64_t end)>;
// The kernels below take `clip`: {lo, hi} applied to the finished sums in registers as
// oneDNN's clip and ReLU post-ops do (vmaxps with lo, then vminps with hi: NaN becomes lo,
// -0 a zero bound), before `finished`; nullptr for none.

// A 1x1 convolution's weights and bias, packed: [ceil(M/16)][C][16], zero beyond M.
struct Packed1x1 {
  int64_t c = 0, m = 0;
  std::vector<float> w, bias;  // bias empty when the conv has none
};
// w: ONNX weights [M][C] (the 1x1 kernel dims dropped); bias: [M] or nullptr.
void Pack1x1(const float* w, const float* bias, int64_t m, int64_t c, Packed1x1* out);

// y[N][M/8][HW][8] = 1x1 conv of x[N][C/8][HW][8] as jit_1x1:avx2 (M % 8 == 0); or,
// `nhwc`, y[N][HW][M] of x[N][HW][C] (any M).
// REQUIRES: Avx512AsAvx2Available(); C % 8 == 0.
void Conv1x1AsAvx2(const Packed1x1& w, int64_t n, int64_t hw, bool nhwc, const float* x, float* y,
                   const float* clip, const FinishedRange& finished);

// One sample's output channels [16 g, 16 (g + q)) (q <= 4) of pixels [p0, p1) of the 1x1
// convolution above (nChw8c), serially, into any channel-blocked buffer: x at the sample's
// first channel block, x_cb floats between its blocks; y at group g's first block and pixel
// p0, y_cb floats between its blocks. The same bits as Conv1x1AsAvx2's outputs there
// (conv_depthwise_avx512_as_avx2.h computes rows of them this way).
void Conv1x1GroupsAsAvx2(const Packed1x1& w, const float* x, int64_t x_cb, int64_t g, int q, int64_t p0,
                         int64_t p1, float* y, int64_t y_cb, const float* clip);
// A 2-D convolution (group 1, dilation 1) for ConvAsAvx2. Input nChw8c, or plain NCHW
// with C < 8 (a first layer); output nChw8c.
struct ConvShape {
  int64_t n = 0, c = 0, m = 0, ih = 0, iw = 0, oh = 0, ow = 0;
  int64_t kh = 0, kw = 0, sh = 1, sw = 1, ph = 0, pw = 0;  // pads at the top and left
  bool plain = false;  // the input is plain NCHW
};
// Weights [M][C][kh][kw] as [ceil(M/16)][ceil(C/8)][kh][kw][8][16] (zero beyond M and C).
struct PackedConv {
  std::vector<float> w, bias;
};
void PackConv(const float* w, const float* bias, const ConvShape& s, PackedConv* out);

// y = conv(x) as oneDNN's jit:avx2 computes it: from the bias, channel blocks of 8, then
// kernel rows, kernel columns and the block's channels, skipping taps outside the input.
// REQUIRES: Avx512AsAvx2Available(); M % 8 == 0; C % 8 == 0, or C < 8 with a plain input.
void ConvAsAvx2(const PackedConv& w, const ConvShape& s, const float* x, float* y, const float* clip,
                const FinishedRange& finished);
// One output row `oh` of output channels [16 g, 16 (g + q)) (q <= 4) of one sample of
// ConvAsAvx2, serially: x the sample's input; y the row of group g's first block, y_cb
// floats between blocks. The same bits as ConvAsAvx2's outputs there.
void ConvRowAsAvx2(const PackedConv& w, const ConvShape& s, const float* x, int64_t g, int q, int64_t oh, float* y,
                   int64_t y_cb, const float* clip);

}  // namespace litemp

#endif  // LITEMP_KERNELS_DNNL_CONV_AVX512_AS_AVX2_H_
