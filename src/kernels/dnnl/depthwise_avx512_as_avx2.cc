// AVX-512 depthwise convolution with oneDNN jit_dw:avx2's rounding; see the header.
#include "kernels/dnnl/depthwise_avx512_as_avx2.h"

#include <immintrin.h>

#include <algorithm>
#include <utility>

#include "core/parallel.h"

// GCC 12 warns about the deliberately undefined upper lanes in its own extract intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

#define LITEMP_AVX512 __attribute__((target("avx512f,avx512vl,avx512dq,fma")))

namespace litemp {

namespace {

// Outputs along a row in one register tile (accumulators; with the kernel row's weights
// and the input vector at most 14 + 5 + 1 of the 32 registers).
constexpr int kMaxU = 14;
// The tile's input columns fit a 32-bit mask (stride 2, kernel width 5).
static_assert((kMaxU - 1) * 2 + 5 <= 31, "DwTile's column mask");

struct DwTileArgs {
  const float* x0;   // input of the first channel block at (first kernel row inside, column 0)
  const float* x1;   // the same in the second block (x0 again for a lone last block)
                     // (the input's start, not read, when no kernel row is inside)
  int64_t x_row;     // floats between input rows
  int64_t rows;      // kernel rows inside the input
  const float* w;    // packed weights at (block pair, first kernel row inside, column 0)
  const float* bias;  // the pair's 16 biases, or nullptr: from +0
  int64_t col0;      // input column of the first output's kernel column 0 (may be < 0)
  int64_t iw;        // input width
  const float* clip;  // {lo, hi} as oneDNN's clip, or nullptr
  float* y0;         // output of the first block at the first output pixel
  float* y1;         // the second block's, or nullptr for a lone last block
};

// U outputs of one row, kernel width KW, column stride S: per kernel row, the input
// columns left to right, each feeding the outputs whose kernel columns reach it, so each
// output's FMAs run in jit_dw's order (rows, then columns, taps outside skipped). kEdge:
// some of the tile's columns may lie outside the input (else none do; no checks).
template <int U, int KW, int S, bool kEdge>
LITEMP_AVX512 void DwTile(const DwTileArgs& a) {
  __m512 acc[U];
  const __m512 init = a.bias ? _mm512_loadu_ps(a.bias) : _mm512_setzero_ps();
#pragma GCC unroll 16
  for (int o = 0; o < U; ++o) acc[o] = init;
  constexpr int kCols = (U - 1) * S + KW;
  // Bit t: the tile's input column t lies inside the input.
  uint32_t inside = (1u << kCols) - 1;
  if (kEdge) {
    const int64_t t0 = std::max<int64_t>(0, -a.col0), t1 = std::min<int64_t>(kCols, a.iw - a.col0);
    inside = t1 > t0 ? ((1u << t1) - 1) & ~((1u << t0) - 1) : 0;
  }
  // Addresses are formed only for columns inside the input (col0 may be negative).
  const int64_t c0 = a.col0 * 8;
  const float* r0 = a.x0;
  const float* r1 = a.x1;
  for (int64_t r = 0; r < a.rows; ++r, r0 += a.x_row, r1 += a.x_row) {
    __m512 wk[KW];
#pragma GCC unroll 8
    for (int k = 0; k < KW; ++k) wk[k] = _mm512_loadu_ps(a.w + (r * KW + k) * 16);
#pragma GCC unroll 32
    for (int t = 0; t < kCols; ++t) {
      if (kEdge && !(inside >> t & 1)) continue;
      const int64_t at = c0 + t * 8;
      const __m512 v =
          _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(r0 + at)), _mm256_loadu_ps(r1 + at), 1);
#pragma GCC unroll 16
      for (int o = 0; o < U; ++o) {
        const int k = t - o * S;
        if (k >= 0 && k < KW) acc[o] = _mm512_fmadd_ps(v, wk[k], acc[o]);
      }
    }
  }
  const __m512 lo = a.clip ? _mm512_set1_ps(a.clip[0]) : _mm512_setzero_ps();
  const __m512 hi = a.clip ? _mm512_set1_ps(a.clip[1]) : _mm512_setzero_ps();
#pragma GCC unroll 16
  for (int o = 0; o < U; ++o) {
    __m512 v = acc[o];
    if (a.clip) v = _mm512_min_ps(_mm512_max_ps(v, lo), hi);  // vmaxps, vminps: oneDNN's clip
    _mm256_storeu_ps(a.y0 + o * 8, _mm512_castps512_ps256(v));
    if (a.y1) _mm256_storeu_ps(a.y1 + o * 8, _mm512_extractf32x8_ps(v, 1));
  }
}

using DwTileFn = void (*)(const DwTileArgs&);

template <int KW, int S, bool kEdge, int... Us>
DwTileFn PickDwTile(int u, std::integer_sequence<int, Us...>) {
  DwTileFn fn = nullptr;
  ((u == Us + 1 ? (fn = &DwTile<Us + 1, KW, S, kEdge>, 0) : 0), ...);
  return fn;
}

template <int KW, int S>
DwTileFn DwTileFor(int u, bool edge) {
  constexpr auto us = std::make_integer_sequence<int, kMaxU>{};
  return edge ? PickDwTile<KW, S, true>(u, us) : PickDwTile<KW, S, false>(u, us);
}

// The tile for u outputs whose input columns start at col0, in an input iw wide.
DwTileFn DwTileFor(int u, const ConvShape& s, int64_t col0) {
  const bool edge = col0 < 0 || col0 + (u - 1) * s.sw + s.kw > s.iw;
  if (s.kw == 3) return s.sw == 1 ? DwTileFor<3, 1>(u, edge) : DwTileFor<3, 2>(u, edge);
  return s.sw == 1 ? DwTileFor<5, 1>(u, edge) : DwTileFor<5, 2>(u, edge);
}

}  // namespace

bool DepthwiseAsAvx2Supports(const ConvShape& s) {
  return s.c == s.m && s.c % 8 == 0 && !s.plain && (s.kw == 3 || s.kw == 5) && (s.sw == 1 || s.sw == 2) &&
         s.kh >= 1 && s.sh >= 1 && s.ph < s.kh && s.pw < s.kw && s.oh > 0 && s.ow > 0;
}

void PackDepthwise(const float* w, const float* bias, const ConvShape& s, PackedConv* out) {
  const int64_t blocks = s.c / 8, pairs = (blocks + 1) / 2, taps = s.kh * s.kw;
  out->w.assign(static_cast<size_t>(pairs * taps * 16), 0.f);
  if (bias) out->bias.assign(static_cast<size_t>(pairs * 16), 0.f);
  else out->bias.clear();
  for (int64_t p = 0; p < pairs; ++p)
    for (int64_t lane = 0; lane < 16; ++lane) {
      const int64_t b = std::min(2 * p + lane / 8, blocks - 1), ch = b * 8 + lane % 8;
      for (int64_t t = 0; t < taps; ++t) out->w[static_cast<size_t>((p * taps + t) * 16 + lane)] = w[ch * taps + t];
      if (bias) out->bias[static_cast<size_t>(p * 16 + lane)] = bias[ch];
    }
}

void DepthwiseRowAsAvx2(const PackedConv& w, const ConvShape& s, int64_t pair, const float* x0, const float* x1,
                        int64_t row0, int64_t oh, float* y0, float* y1, const float* clip) {
  const int64_t taps = s.kh * s.kw;
  const int64_t tiles = (s.ow + kMaxU - 1) / kMaxU;  // even tiles along a row
  const int64_t ih0 = oh * s.sh - s.ph;
  const int64_t kh0 = std::max<int64_t>(0, -ih0), kh1 = std::min(s.kh, s.ih - ih0);
  DwTileArgs a;
  // oneDNN gives jit_dw no output row without a kernel row inside; 0 would keep the bias.
  a.rows = std::max<int64_t>(0, kh1 - kh0);
  a.x_row = s.iw * 8;
  a.x0 = a.rows ? x0 + (ih0 + kh0 - row0) * a.x_row : x0;
  a.x1 = a.rows ? x1 + (ih0 + kh0 - row0) * a.x_row : x1;
  a.w = w.w.data() + (pair * taps + (a.rows ? kh0 : 0) * s.kw) * 16;
  a.bias = w.bias.empty() ? nullptr : w.bias.data() + pair * 16;
  a.iw = s.iw;
  a.clip = clip;
  for (int64_t t = 0, o = 0; t < tiles; ++t) {
    const int u = static_cast<int>(EvenPart(s.ow, tiles, t));
    a.col0 = o * s.sw - s.pw;
    a.y0 = y0 + o * 8;
    a.y1 = y1 ? y1 + o * 8 : nullptr;
    DwTileFor(u, s, a.col0)(a);
    o += u;
  }
}

void DepthwiseAsAvx2(const PackedConv& w, const ConvShape& s, const float* x, float* y, const float* clip,
                     const FinishedRange& finished) {
  const int64_t blocks = s.c / 8, pairs = (blocks + 1) / 2, taps = s.kh * s.kw;
  const int64_t x_cb = s.ih * s.iw * 8, y_cb = s.oh * s.ow * 8;
  // Work items: (sample, pair of channel blocks, output row).
  ParallelFor(
      s.n * pairs * s.oh,
      [&](int64_t begin, int64_t end) {
        for (int64_t item = begin; item < end; ++item) {
          const int64_t oh = item % s.oh, p = item / s.oh % pairs, n = item / s.oh / pairs;
          const int64_t b0 = 2 * p, b1 = std::min(b0 + 1, blocks - 1);
          float* y0 = y + ((n * blocks + b0) * s.oh + oh) * s.ow * 8;
          float* y1 = b1 != b0 ? y0 + y_cb : nullptr;
          DepthwiseRowAsAvx2(w, s, p, x + (n * blocks + b0) * x_cb, x + (n * blocks + b1) * x_cb, 0, oh, y0, y1,
                             clip);
          if (!finished) continue;
          const int64_t base = y0 - y;
          finished(base, base + s.ow * 8);
          if (y1) finished(base + y_cb, base + y_cb + s.ow * 8);
        }
      },
      s.ow * taps * 16);
}

}  // namespace litemp
