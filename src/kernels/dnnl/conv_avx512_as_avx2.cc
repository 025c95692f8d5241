// AVX-512 convolutions with oneDNN AVX2's rounding. See conv_avx512_as_avx2.h for the
// orders. The functions that use AVX-512 carry its target attribute, so a build for a
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
// Tiles of at most two groups take more pixels (24 accumulators either way).
constexpr int kPWide = 12;
// Pixels a thread takes at a time (a multiple of kP): its input rows stay in L2 while
// the groups of output channels pass over them.
constexpr int64_t kPixelBlock = 48;

struct Tile1x1Args {
  const float* x;      // input at (sample, chunk's first channel block, first pixel)
  int64_t x_cb, x_px;  // floats between channel blocks, pixels of x
  const float* w;      // packed weights at (first group of 16, chunk's first channel)
  int64_t w_group;     // floats between groups of 16 (C * 16)
  const float* bias;   // at the first group's first channel; nullptr: from 0
  int64_t blocks;      // channel blocks (of 8) in the chunk
  bool first;          // the first chunk: start from the bias, store; else add to y
  const float* clip;   // {lo, hi} applied to the last chunk's sums as oneDNN does, or nullptr
  float* y;            // output at (sample, first group's first block, first pixel)
  int64_t y_cb, y_px;  // floats between channel blocks, pixels of y
  int64_t m_left;      // output channels from the first group's first channel on
  bool nhwc;           // channels-last x and y (else nChw8c)
};

// Starts a register tile of P pixels x Q groups of 16 channels from the bias (or 0).
template <int P, int Q>
LITEMP_AVX512 inline void InitTile(__m512 (&acc)[P][Q], const float* bias) {
  for (int q = 0; q < Q; ++q) {
    const __m512 init = bias ? _mm512_loadu_ps(bias + 16 * q) : _mm512_setzero_ps();
    for (int p = 0; p < P; ++p) acc[p][q] = init;
  }
}

// Stores a register tile of P pixels x Q groups of 16 channels: each group's two halves go
// to their channel blocks (nChw8c). `add`: added to the sums there first (a later chunk);
// `clip`: {lo, hi} applied last as oneDNN does, or nullptr. Lane by lane, so on whole
// vectors: the same bits as on each half. Unrolled, so the tile stays in registers.
template <int P, int Q>
LITEMP_AVX512 inline void StoreTile(const __m512 (&acc)[P][Q], float* y, int64_t y_cb, int64_t m_left, bool add,
                                    const float* clip) {
  const __m512 lo = _mm512_set1_ps(clip ? clip[0] : 0.f), hi = _mm512_set1_ps(clip ? clip[1] : 0.f);
#pragma GCC unroll 4
  for (int q = 0; q < Q; ++q) {
    float* y0 = y + 2 * q * y_cb;
    float* y1 = y0 + y_cb;
    const bool upper = (2 * q + 1) * 8 < m_left;  // not so where M % 16 == 8, in the last group
#pragma GCC unroll 12
    for (int p = 0; p < P; ++p) {
      __m512 v = acc[p][q];
      if (add) {
        const __m256 a1 = upper ? _mm256_loadu_ps(y1 + p * 8) : _mm256_setzero_ps();
        v = _mm512_add_ps(v, _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(y0 + p * 8)), a1, 1));
      }
      if (clip) v = _mm512_min_ps(_mm512_max_ps(v, lo), hi);
      _mm256_storeu_ps(y0 + p * 8, _mm512_castps512_ps256(v));
      if (upper) _mm256_storeu_ps(y1 + p * 8, _mm512_extractf32x8_ps(v, 1));
    }
  }
}

// StoreTile for channels-last output: pixels y_px floats apart, each pixel's channels in
// order, the last block of 8 only up to m_left channels (any M).
template <int P, int Q>
LITEMP_AVX512 inline void StoreTileNhwc(const __m512 (&acc)[P][Q], float* y, int64_t y_px, int64_t m_left, bool add,
                                        const float* clip) {
  for (int q = 0; q < Q; ++q) {
    for (int h = 0; h < 2; ++h) {
      const int64_t left = m_left - (2 * q + h) * 8;
      if (left <= 0) break;
      const __mmask8 mask = left >= 8 ? 0xff : static_cast<__mmask8>((1u << left) - 1);
      float* yq = y + (2 * q + h) * 8;
      for (int p = 0; p < P; ++p) {
        __m256 v = h ? _mm512_extractf32x8_ps(acc[p][q], 1) : _mm512_castps512_ps256(acc[p][q]);
        if (add) v = _mm256_add_ps(v, _mm256_maskz_loadu_ps(mask, yq + p * y_px));
        if (clip) v = _mm256_min_ps(_mm256_max_ps(v, _mm256_set1_ps(clip[0])), _mm256_set1_ps(clip[1]));
        _mm256_mask_storeu_ps(yq + p * y_px, mask, v);
      }
    }
  }
}

// One chunk of one register tile: P pixels x Q groups of 16 output channels.
template <int P, int Q>
struct Tile1x1 {
  LITEMP_AVX512 static void Run(const Tile1x1Args& a);
  // Blocked x and y take constant offsets (a separate instance keeps them).
  template <bool kNhwc>
  LITEMP_AVX512 static void Chunk(const Tile1x1Args& a);
};

template <int P, int Q>
LITEMP_AVX512 void Tile1x1<P, Q>::Run(const Tile1x1Args& a) {
  if (a.nhwc) Chunk<true>(a);
  else Chunk<false>(a);
}

template <int P, int Q>
template <bool kNhwc>
LITEMP_AVX512 void Tile1x1<P, Q>::Chunk(const Tile1x1Args& a) {
  const int64_t x_px = kNhwc ? a.x_px : 8;
  __m512 acc[P][Q];
  InitTile<P, Q>(acc, a.first ? a.bias : nullptr);
  for (int64_t b = 0; b < a.blocks; ++b) {
    const float* xs = a.x + b * a.x_cb;
    const float* ws = a.w + b * 8 * 16;
    for (int i = 0; i < 8; ++i) {
      __m512 wv[Q];
      for (int q = 0; q < Q; ++q) wv[q] = _mm512_loadu_ps(ws + q * a.w_group + i * 16);
      for (int p = 0; p < P; ++p) {
        const __m512 s = _mm512_set1_ps(xs[p * x_px + i]);
        for (int q = 0; q < Q; ++q) acc[p][q] = _mm512_fmadd_ps(s, wv[q], acc[p][q]);
      }
    }
  }
  if (kNhwc) StoreTileNhwc<P, Q>(acc, a.y, a.y_px, a.m_left, !a.first, a.clip);
  else StoreTile<P, Q>(acc, a.y, a.y_cb, a.m_left, !a.first, a.clip);
}

// The general convolution (jit:avx2): one output row's pixels, along the row.
struct TileKxKArgs {
  const float* x;             // the sample's input
  int64_t x_off;              // from x to (channel 0, the row of kernel row 0, the column
                              // of the first pixel's kernel column 0); may be negative
  int64_t x_cb, x_row, x_px;  // floats between channel blocks, rows, pixels of x
  int64_t x_ch;               // floats between channels of a block (1 blocked, IH * IW plain)
  int64_t stride;             // input columns between output pixels
  int64_t blocks, last_ch;    // channel blocks; channels in the last (8 but for plain input)
  int64_t kh0, kh1, kw0, kw1;  // kernel rows and columns inside the input for every pixel
  int64_t kh, kw;             // kernel size
  const float* w;             // packed weights at the first group: [block][kh][kw][8][16]
  int64_t w_group;            // floats between groups of 16
  const float* bias;          // at the first group's first channel; nullptr: from 0
  const float* clip;          // {lo, hi}, or nullptr
  float* y;                   // output at (sample, first group's first block, row, pixel)
  int64_t y_cb;               // floats between channel blocks of y
  int64_t m_left;             // output channels from the first group's first channel on
};

// P pixels x Q groups of 16 output channels, in jit:avx2's order: channel blocks of 8,
// then kernel rows, columns, and the block's channels, from the bias.
template <int P, int Q>
struct TileKxK {
  LITEMP_AVX512 static void Run(const TileKxKArgs& a);
};

template <int P, int Q>
LITEMP_AVX512 void TileKxK<P, Q>::Run(const TileKxKArgs& a) {
  __m512 acc[P][Q];
  InitTile<P, Q>(acc, a.bias);
  for (int64_t b = 0; b < a.blocks; ++b) {
    const int64_t nch = b + 1 == a.blocks ? a.last_ch : 8;
    for (int64_t kh = a.kh0; kh < a.kh1; ++kh)
      for (int64_t kw = a.kw0; kw < a.kw1; ++kw) {
        const float* xs = a.x + (a.x_off + b * a.x_cb + kh * a.x_row + kw * a.x_px);
        const float* ws = a.w + ((b * a.kh + kh) * a.kw + kw) * 8 * 16;
        for (int64_t i = 0; i < nch; ++i) {
          __m512 wv[Q];
          for (int q = 0; q < Q; ++q) wv[q] = _mm512_loadu_ps(ws + q * a.w_group + i * 16);
          for (int p = 0; p < P; ++p) {
            const __m512 s = _mm512_set1_ps(xs[p * a.stride * a.x_px + i * a.x_ch]);
            for (int q = 0; q < Q; ++q) acc[p][q] = _mm512_fmadd_ps(s, wv[q], acc[p][q]);
          }
        }
      }
  }
  StoreTile<P, Q>(acc, a.y, a.y_cb, a.m_left, false, a.clip);
}

// T<p, q>::Run for 1 <= p <= kP, 1 <= q <= kQ; and for p up to kPWide when q <= 2.
template <template <int, int> class T, int P>
constexpr auto TileFor(int q) {
  return q == 1 ? &T<P, 1>::Run : q == 2 ? &T<P, 2>::Run : q == 3 ? &T<P, 3>::Run : &T<P, 4>::Run;
}

template <template <int, int> class T, int P>
constexpr auto NarrowTileFor(int q) {
  return q == 1 ? &T<P, 1>::Run : &T<P, 2>::Run;
}

template <template <int, int> class T>
auto PickTile(int p, int q) {
  switch (p) {
    case 1: return TileFor<T, 1>(q);
    case 2: return TileFor<T, 2>(q);
    case 3: return TileFor<T, 3>(q);
    case 4: return TileFor<T, 4>(q);
    case 5: return TileFor<T, 5>(q);
    case 6: return TileFor<T, 6>(q);
    case 7: return NarrowTileFor<T, 7>(q);
    case 8: return NarrowTileFor<T, 8>(q);
    case 9: return NarrowTileFor<T, 9>(q);
    case 10: return NarrowTileFor<T, 10>(q);
    case 11: return NarrowTileFor<T, 11>(q);
    default: return NarrowTileFor<T, 12>(q);
  }
}

// Most pixels in a general convolution's register tile of q groups. (The 1x1 kernel keeps
// kP: twelve-pixel tiles of two groups ran 3% slower on MobileNetV2's 144->24 at 56x56.)
int TilePixels(int q) { return q <= 2 ? kPWide : kP; }

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

namespace {

// Output channels [16 g, 16 (g + q)) of pixels [p0, p1) of one sample `xs`, every chunk
// of input channels, into y (at the first group's first block and pixel p0), in register
// tiles of at most `max_tile` pixels that split the pixels evenly (a block of 19 with 6:
// 5, 5, 5, 4 rather than 6, 6, 6, 1, whose one-pixel tile runs at half of the FMA rate).
// How the outputs are tiled does not change any sum's order.
void Groups1x1(const Packed1x1& w, const float* xs, int64_t x_cb, int64_t x_px, int64_t g, int q, int64_t p0,
               int64_t p1, float* y, int64_t y_cb, int64_t y_px, bool nhwc, const float* clip, int max_tile) {
  const int64_t c = w.c, chunk = nhwc ? c : kChunk;
  const int64_t tiles = (p1 - p0 + max_tile - 1) / max_tile;
  for (int64_t c0 = 0; c0 < c; c0 += chunk) {
    Tile1x1Args a;
    a.x_cb = x_cb;
    a.x_px = x_px;
    a.w = w.w.data() + (g * c + c0) * 16;
    a.w_group = c * 16;
    a.bias = w.bias.empty() ? nullptr : w.bias.data() + g * 16;
    a.blocks = std::min(chunk, c - c0) / 8;
    a.first = c0 == 0;
    a.clip = c0 + chunk >= c ? clip : nullptr;
    a.y_cb = y_cb;
    a.y_px = y_px;
    a.nhwc = nhwc;
    a.m_left = w.m - g * 16;
    for (int64_t t = 0, p = p0; t < tiles; ++t) {
      const int np = static_cast<int>(EvenPart(p1 - p0, tiles, t));
      a.x = xs + (c0 / 8) * x_cb + p * x_px;
      a.y = y + (p - p0) * y_px;
      PickTile<Tile1x1>(np, q)(a);
      p += np;
    }
  }
}

}  // namespace

void Conv1x1GroupsAsAvx2(const Packed1x1& w, const float* x, int64_t x_cb, int64_t g, int q, int64_t p0,
                         int64_t p1, float* y, int64_t y_cb, const float* clip) {
  Groups1x1(w, x, x_cb, 8, g, q, p0, p1, y, y_cb, 8, false, clip, q <= 2 ? kPWide : kP);
}

void Conv1x1AsAvx2(const Packed1x1& w, int64_t n, int64_t hw, bool nhwc, const float* x, float* y,
                   const float* clip, const FinishedRange& finished) {
  const int64_t c = w.c, m = w.m, groups = (m + 15) / 16;
  // Channels-last, the pixels of all samples follow one another (one "sample" of N * HW
  // pixels), and oneDNN reduces over all C in one pass.
  const int64_t px = nhwc ? n * hw : hw, samples = nhwc ? 1 : n;
  // Floats between channel blocks and pixels: nChw8c or NHWC.
  const int64_t x_cb = nhwc ? 8 : hw * 8, x_px = nhwc ? c : 8, y_cb = nhwc ? 8 : hw * 8, y_px = nhwc ? m : 8;
  // Where the weights are the larger operand (more output channels than pixels, as in the
  // last layers), a thread passes its pixels under one tile of groups at a time and the
  // threads split the weights rather than each reading all of them; else it passes every
  // group over one block of pixels while they are in cache.
  const bool groups_outer = m > px;

  // Output channels [16 g, 16 (g + q)) of pixels [p0, p1) of sample s, every chunk, then
  // the post-ops of the finished range. The register tiles split the pixels evenly (a
  // block of 19: 5, 5, 5, 4 rather than 6, 6, 6, 1, whose one-pixel tile runs at half
  // of the FMA rate). How the outputs are tiled does not change any sum's order.
  auto block = [&](int64_t s, int64_t g, int q, int64_t p0, int64_t p1) {
    Groups1x1(w, x + s * c * hw, x_cb, x_px, g, q, p0, p1, y + s * m * hw + (g * 2) * y_cb + p0 * y_px, y_cb,
              y_px, nhwc, clip, kP);
    if (!finished) return;
    if (nhwc) {  // each pixel's channels of these groups; one range when all of them
      const int64_t c1 = std::min(m, (g + q) * 16);
      if (g == 0 && c1 == m) finished(p0 * m, p1 * m);
      else
        for (int64_t p = p0; p < p1; ++p) finished(p * m + g * 16, p * m + c1);
    } else {  // each channel block's pixels
      for (int64_t cb = g * 2; cb < std::min(m / 8, (g + q) * 2); ++cb) {
        const int64_t base = (s * (m / 8) + cb) * hw * 8;
        finished(base + p0 * 8, base + p1 * 8);
      }
    }
  };
  // Groups [g0, g1) of pixels [p0, p1) of every sample: tiles of at most kQ groups and
  // blocks of at most kPixelBlock pixels, both even (5 groups are 3 + 2, not 4 + 1).
  auto part = [&](int64_t g0, int64_t g1, int64_t p0, int64_t p1) {
    const int64_t gt = (g1 - g0 + kQ - 1) / kQ, pbs = (p1 - p0 + kPixelBlock - 1) / kPixelBlock;
    auto gs = [&](int64_t i) { return g0 + EvenStart(g1 - g0, gt, i); };
    auto ps = [&](int64_t j) { return p0 + EvenStart(p1 - p0, pbs, j); };
    for (int64_t s = 0; s < samples; ++s)
      for (int64_t i = 0; i < (groups_outer ? gt : pbs); ++i)
        for (int64_t j = 0; j < (groups_outer ? pbs : gt); ++j) {
          const int64_t gi = groups_outer ? i : j, pj = groups_outer ? j : i;
          block(s, gs(gi), static_cast<int>(gs(gi + 1) - gs(gi)), ps(pj), ps(pj + 1));
        }
  };
  const int threads = omp_in_parallel() ? 1 : NumThreads();
  if (threads > 1 && samples < 2 * threads) {
    // Few samples (batch 1; and channels-last, where all samples' pixels are one row, at any
    // batch): one even part for each thread, of the groups where the weights are the larger
    // operand, else of the pixels. Blocks of whole tiles as below would leave one thread up
    // to twice the other's work (7x7 images: 30 + 19 pixels; 6 groups as 4 + 2).
    const int64_t parts = std::min<int64_t>(threads, groups_outer ? groups : px);
    const int64_t cost = samples * px * groups * c;  // FMAs of 16 lanes; small runs serially
    ParallelFor(
        parts,
        [&](int64_t begin, int64_t end) {
          for (int64_t t = begin; t < end; ++t) {
            if (groups_outer) part(EvenStart(groups, parts, t), EvenStart(groups, parts, t + 1), 0, px);
            else part(0, groups, EvenStart(px, parts, t), EvenStart(px, parts, t + 1));
          }
        },
        cost / parts);
    return;
  }
  // Work items: (sample, pixel block, tile of kQ groups), in the order `groups_outer` says;
  // many samples keep both threads busy whatever the blocks.
  // Pixel blocks of equal size (a multiple of kP, at most kPixelBlock): no block of a few
  // pixels that reads all the weights for little work (7x7 images: 30 + 19, not 48 + 1).
  const int64_t pblocks = (px + kPixelBlock - 1) / kPixelBlock, gtiles = (groups + kQ - 1) / kQ;
  const int64_t pblock = ((px + pblocks - 1) / pblocks + kP - 1) / kP * kP;
  ParallelFor(
      samples * pblocks * gtiles,
      [&](int64_t begin, int64_t end) {
        for (int64_t item = begin; item < end; ++item) {
          const int64_t s = item / (pblocks * gtiles), in_sample = item % (pblocks * gtiles);
          const int64_t g = (groups_outer ? in_sample / pblocks : in_sample % gtiles) * kQ;
          const int64_t pb = groups_outer ? in_sample % pblocks : in_sample / gtiles;
          const int64_t p0 = pb * pblock, p1 = std::min(px, p0 + pblock);
          block(s, g, static_cast<int>(std::min<int64_t>(kQ, groups - g)), p0, p1);
        }
      },
      c * 16 * kQ * kPixelBlock / 8);
}

void PackConv(const float* w, const float* bias, const ConvShape& s, PackedConv* out) {
  const int64_t groups = (s.m + 15) / 16, blocks = (s.c + 7) / 8, taps = s.kh * s.kw;
  out->w.assign(static_cast<size_t>(groups * blocks * taps * 8 * 16), 0.f);
  for (int64_t o = 0; o < s.m; ++o)
    for (int64_t ch = 0; ch < s.c; ++ch)
      for (int64_t t = 0; t < taps; ++t)
        out->w[static_cast<size_t>((((o / 16) * blocks + ch / 8) * taps + t) * 8 * 16 + (ch % 8) * 16 + o % 16)] =
            w[(o * s.c + ch) * taps + t];
  out->bias.clear();
  if (bias) {
    out->bias.assign(static_cast<size_t>(groups * 16), 0.f);
    std::copy(bias, bias + s.m, out->bias.begin());
  }
}

void ConvRowAsAvx2(const PackedConv& w, const ConvShape& s, const float* x, int64_t g, int q, int64_t oh, float* y,
                   int64_t y_cb, const float* clip) {
  const int64_t blocks = (s.c + 7) / 8, taps = s.kh * s.kw;
  // Columns whose kernel columns all fall inside the input: [lo, hi).
  const int64_t lo = std::min(s.ow, (s.pw + s.sw - 1) / s.sw);
  const int64_t hi = std::max(lo, s.iw - s.kw + s.pw < 0 ? 0 : std::min(s.ow, (s.iw - s.kw + s.pw) / s.sw + 1));
  TileKxKArgs a;
  const int64_t ih0 = oh * s.sh - s.ph;
  a.x_cb = s.ih * s.iw * 8;  // a block of 8 channels, plain or blocked
  a.x_row = s.plain ? s.iw : s.iw * 8;
  a.x_px = s.plain ? 1 : 8;
  a.x_ch = s.plain ? s.ih * s.iw : 1;
  a.stride = s.sw;
  a.blocks = blocks;
  a.last_ch = s.c - (blocks - 1) * 8;
  a.kh0 = std::max<int64_t>(0, -ih0);
  a.kh1 = std::min(s.kh, s.ih - ih0);
  a.kh = s.kh;
  a.kw = s.kw;
  a.w = w.w.data() + g * blocks * taps * 8 * 16;
  a.w_group = blocks * taps * 8 * 16;
  a.bias = w.bias.empty() ? nullptr : w.bias.data() + g * 16;
  a.clip = clip;
  a.y_cb = y_cb;
  a.m_left = s.m - g * 16;
  a.x = x;
  auto run = [&](int64_t ow, int np) {
    const int64_t iw0 = ow * s.sw - s.pw;  // input column of kernel column 0
    a.kw0 = std::max<int64_t>(0, -iw0);
    a.kw1 = std::min(s.kw, s.iw - iw0);
    a.x_off = ih0 * a.x_row + iw0 * a.x_px;
    a.y = y + ow * 8;
    PickTile<TileKxK>(np, q)(a);
  };
  if (s.plain) {
    // The input rows the next output row reads that this one does not, into the cache now:
    // a plain image's rows lie one channel plane apart, too many short streams for the
    // hardware's prefetcher (MobileNetV2's first layer, one thread: 0.27-0.42 -> 0.22-0.25
    // ms with the depthwise layer after it).
    const int64_t r0 = std::max<int64_t>(0, ih0 + s.kh), r1 = std::min(s.ih, r0 + s.sh);
    for (int64_t ch = 0; ch < s.c; ++ch)
      for (int64_t r = r0; r < r1; ++r) {
        const char* row = reinterpret_cast<const char*>(x + (ch * s.ih + r) * s.iw);
        for (int64_t b = 0; b < s.iw * 4; b += 64) __builtin_prefetch(row + b, 0, 3);
      }
  }
  for (int64_t ow = 0; ow < lo; ++ow) run(ow, 1);  // border pixels one at a time
  const int tp = TilePixels(q);
  for (int64_t ow = lo; ow < hi; ow += tp) run(ow, static_cast<int>(std::min<int64_t>(tp, hi - ow)));
  for (int64_t ow = hi; ow < s.ow; ++ow) run(ow, 1);
}

void ConvAsAvx2(const PackedConv& w, const ConvShape& s, const float* x, float* y, const float* clip,
                const FinishedRange& finished) {
  const int64_t groups = (s.m + 15) / 16, gtiles = (groups + kQ - 1) / kQ, taps = s.kh * s.kw;
  // Work items: (sample, output row, tile of kQ groups).
  ParallelFor(
      s.n * s.oh * gtiles,
      [&](int64_t begin, int64_t end) {
        for (int64_t item = begin; item < end; ++item) {
          const int64_t g = item % gtiles * kQ, oh = item / gtiles % s.oh, n = item / gtiles / s.oh;
          const int q = static_cast<int>(std::min<int64_t>(kQ, groups - g));
          float* yr = y + ((n * (s.m / 8) + g * 2) * s.oh + oh) * s.ow * 8;
          ConvRowAsAvx2(w, s, x + n * s.c * s.ih * s.iw, g, q, oh, yr, s.oh * s.ow * 8, clip);
          const int64_t cb_end = std::min(s.m / 8, (g + q) * 2);
          for (int64_t cb = g * 2; finished && cb < cb_end; ++cb) {
            const int64_t base = ((n * (s.m / 8) + cb) * s.oh + oh) * s.ow * 8;
            finished(base, base + s.ow * 8);
          }
        }
      },
      s.ow * s.c * taps * 16 * kQ);
}

}  // namespace litemp
