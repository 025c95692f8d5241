// The AVX-512 1x1 convolution with oneDNN AVX2's rounding. See conv_avx512_as_avx2.h for
// the order. The functions that use AVX-512 carry its target attribute, so a build for a
// -march without AVX-512 (LITEMP_ARCH) still has them, run only when
// Avx512AsAvx2Available() says the CPU has it.
#include "kernels/dnnl/conv_avx512_as_avx2.h"

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <string>

#include "core/parallel.h"

// GCC 12 warns about the deliberately undefined upper lanes in its own extract intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#define LITEMP_AVX512 __attribute__((target("avx512f,avx512vl,avx512dq,fma")))

namespace litemp {

namespace {

std::atomic<bool> g_enabled{true};

// oneDNN's reduce_blocking for forward 1x1 convolutions on nChw8c data.
constexpr int64_t kChunk = 128;
// Register tile: kP pixels x kQ vectors of 16 output channels (24 accumulators).
constexpr int kP = 6, kQ = 4;
// Pixels a thread takes at a time (a multiple of kP): its input rows stay in L2 while
// every group of output channels passes over them.
constexpr int64_t kPixelBlock = 48;

struct Tile1x1Args {
  const float* x;      // input at (sample, chunk's first channel block, first pixel)
  int64_t x_cb;        // floats between channel blocks of x (HW * 8)
  const float* w;      // packed weights at (first group of 16, chunk's first channel)
  int64_t w_group;     // floats between groups of 16 (C * 16)
  const float* bias;   // at the first group's first channel; nullptr: from 0
  int64_t blocks;      // channel blocks (of 8) in the chunk
  bool first;          // the first chunk: start from the bias, store; else add to y
  const float* clip;   // {lo, hi} applied to the last chunk's sums as oneDNN does, or nullptr
  float* y;            // output at (sample, first group's first block, first pixel)
  int64_t y_cb;        // floats between channel blocks of y
  int64_t m_left;      // output channels from the first group's first channel on
};

// One chunk of one register tile: P pixels x Q groups of 16 output channels.
template <int P, int Q>
LITEMP_AVX512 void Tile1x1(const Tile1x1Args& a) {
  __m512 acc[P][Q];
  for (int q = 0; q < Q; ++q) {
    const __m512 init = a.first && a.bias ? _mm512_loadu_ps(a.bias + 16 * q) : _mm512_setzero_ps();
    for (int p = 0; p < P; ++p) acc[p][q] = init;
  }
  for (int64_t b = 0; b < a.blocks; ++b) {
    const float* xs = a.x + b * a.x_cb;
    const float* ws = a.w + b * 8 * 16;
    for (int i = 0; i < 8; ++i) {
      __m512 wv[Q];
      for (int q = 0; q < Q; ++q) wv[q] = _mm512_loadu_ps(ws + q * a.w_group + i * 16);
      for (int p = 0; p < P; ++p) {
        const __m512 s = _mm512_set1_ps(xs[p * 8 + i]);
        for (int q = 0; q < Q; ++q) acc[p][q] = _mm512_fmadd_ps(s, wv[q], acc[p][q]);
      }
    }
  }
  for (int q = 0; q < Q; ++q) {
    for (int h = 0; h < 2; ++h) {
      if ((2 * q + h) * 8 >= a.m_left) break;  // M % 16 == 8: the last group's upper half
      float* yq = a.y + (2 * q + h) * a.y_cb;
      for (int p = 0; p < P; ++p) {
        __m256 v = h ? _mm512_extractf32x8_ps(acc[p][q], 1) : _mm512_castps512_ps256(acc[p][q]);
        if (!a.first) v = _mm256_add_ps(v, _mm256_loadu_ps(yq + p * 8));
        if (a.clip) v = _mm256_min_ps(_mm256_max_ps(v, _mm256_set1_ps(a.clip[0])), _mm256_set1_ps(a.clip[1]));
        _mm256_storeu_ps(yq + p * 8, v);
      }
    }
  }
}

using TileFn = void (*)(const Tile1x1Args&);

template <int P>
constexpr TileFn TileFor(int q) {
  return q == 1 ? Tile1x1<P, 1> : q == 2 ? Tile1x1<P, 2> : q == 3 ? Tile1x1<P, 3> : Tile1x1<P, 4>;
}

TileFn PickTile(int p, int q) {
  switch (p) {
    case 1: return TileFor<1>(q);
    case 2: return TileFor<2>(q);
    case 3: return TileFor<3>(q);
    case 4: return TileFor<4>(q);
    case 5: return TileFor<5>(q);
    default: return TileFor<6>(q);
  }
}

}  // namespace

bool Avx512AsAvx2Available() {
  // LITEMP_AVX512_AS_AVX2=0 leaves every convolution to oneDNN (for comparisons).
  static const bool usable = [] {
    const char* env = std::getenv("LITEMP_AVX512_AS_AVX2");
    if (env && std::string(env) == "0") return false;
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("fma");
  }();
  return usable && g_enabled.load(std::memory_order_relaxed);
}

void SetAvx512AsAvx2Enabled(bool on) { g_enabled.store(on, std::memory_order_relaxed); }

void Pack1x1(const float* w, const float* bias, int64_t m, int64_t c, Packed1x1* out) {
  const int64_t groups = (m + 15) / 16;
  out->c = c;
  out->m = m;
  out->w.assign(static_cast<size_t>(groups * c * 16), 0.f);
  for (int64_t o = 0; o < m; ++o)
    for (int64_t i = 0; i < c; ++i) out->w[static_cast<size_t>(((o / 16) * c + i) * 16 + o % 16)] = w[o * c + i];
  out->bias.clear();
  if (bias) {
    out->bias.assign(static_cast<size_t>(groups * 16), 0.f);
    std::copy(bias, bias + m, out->bias.begin());
  }
}

void Conv1x1AsAvx2(const Packed1x1& w, int64_t n, int64_t hw, const float* x, float* y, const float* clip,
                   const FinishedRange& finished) {
  const int64_t c = w.c, m = w.m, groups = (m + 15) / 16;
  // Pixel blocks of equal size (a multiple of kP, at most kPixelBlock): no block of a few
  // pixels that reads all the weights for little work (7x7 images: 30 + 19, not 48 + 1).
  const int64_t pblocks = (hw + kPixelBlock - 1) / kPixelBlock, gtiles = (groups + kQ - 1) / kQ;
  const int64_t pblock = ((hw + pblocks - 1) / pblocks + kP - 1) / kP * kP;
  // Work items: (sample, pixel block, tile of kQ groups), the tile fastest so one thread
  // passes every group over a pixel block while it is in cache; splitting over groups too
  // keeps both threads busy at batch 1 on small images.
  ParallelFor(
      n * pblocks * gtiles,
      [&](int64_t begin, int64_t end) {
        for (int64_t item = begin; item < end; ++item) {
          const int64_t g = item % gtiles * kQ, s = item / gtiles / pblocks;
          const int64_t p0 = item / gtiles % pblocks * pblock, p1 = std::min(hw, p0 + pblock);
          const int q = static_cast<int>(std::min<int64_t>(kQ, groups - g));
          const float* xs = x + s * c * hw;
          float* ys = y + s * m * hw;
          for (int64_t c0 = 0; c0 < c; c0 += kChunk) {
            Tile1x1Args a;
            a.x_cb = hw * 8;
            a.w = w.w.data() + (g * c + c0) * 16;
            a.w_group = c * 16;
            a.bias = w.bias.empty() ? nullptr : w.bias.data() + g * 16;
            a.blocks = std::min(kChunk, c - c0) / 8;
            a.first = c0 == 0;
            a.clip = c0 + kChunk >= c ? clip : nullptr;
            a.y_cb = hw * 8;
            a.m_left = m - g * 16;
            for (int64_t p = p0; p < p1; p += kP) {
              const int np = static_cast<int>(std::min<int64_t>(kP, p1 - p));
              a.x = xs + (c0 / 8) * hw * 8 + p * 8;
              a.y = ys + (g * 2) * hw * 8 + p * 8;
              PickTile(np, q)(a);
            }
          }
          const int64_t cb_end = std::min(m / 8, (g + q) * 2);
          for (int64_t cb = g * 2; finished && cb < cb_end; ++cb) {
            const int64_t base = (s * (m / 8) + cb) * hw * 8;
            finished(base + p0 * 8, base + p1 * 8);
          }
        }
      },
      c * 16 * kQ * kPixelBlock / 8);
}

}  // namespace litemp
