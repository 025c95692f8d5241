// A convolution and the depthwise layer after it in one pass; see the header.
#include "kernels/dnnl/conv_depthwise_avx512_as_avx2.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/parallel.h"
#include "kernels/dnnl/depthwise_avx512_as_avx2.h"

namespace litemp {

namespace {

// A thread's rows of the first layer, all its groups (L2 is 1-2 MB on the CPUs measured).
constexpr int64_t kScratchBytes = int64_t{384} << 10;
// With a layer after the depthwise one, the two buffers together (the bands shrink until
// both fit): the larger the bands, the less often that layer's weights are read again
// (MobileNetV2's 7x7 blocks take a sample in one band within it).
constexpr int64_t kThenBytes = int64_t{768} << 10;

int PassThreads() { return omp_in_parallel() ? 1 : NumThreads(); }

// A share of the work: sample n's groups of 16 channels [g0, g1), output rows [r0, r1).
struct Part {
  int64_t n, g0, g1, r0, r1;
};

// The parts, one per thread where there are few samples: an even share of the groups, or of
// the rows (each cut computes the rows both sides' kernels read twice), whichever leaves
// the largest share smaller; else whole samples, which balance the threads. `whole_rows`: a
// part takes all groups (a layer after the depthwise one reads all of its channels).
std::vector<Part> Split(const ConvShape& s, int64_t groups, int threads, bool whole_rows) {
  std::vector<Part> parts;
  if (threads <= 1 || s.n >= 2 * threads) {
    for (int64_t n = 0; n < s.n; ++n) parts.push_back({n, 0, groups, 0, s.oh});
    return parts;
  }
  const int64_t t = threads;
  // Largest share in first-layer rows of one group. A thread's groups run in register
  // tiles of two; a lone group's tile costs about what a pair's does (its broadcasts of
  // the input bound it, not its FMAs), so a share counts as its tiles times two.
  const int64_t share = (groups + t - 1) / t;
  const int64_t by_groups = (share + 1) / 2 * 2 * s.ih;
  const int64_t by_rows = groups * (std::min(s.ih, (s.oh + t - 1) / t * s.sh + std::max<int64_t>(0, s.kh - s.sh)));
  for (int64_t n = 0; n < s.n; ++n)
    for (int64_t i = 0; i < t; ++i) {
      if (by_groups <= by_rows && !whole_rows)
        parts.push_back({n, EvenStart(groups, t, i), EvenStart(groups, t, i + 1), 0, s.oh});
      else
        parts.push_back({n, 0, groups, EvenStart(s.oh, t, i), EvenStart(s.oh, t, i + 1)});
    }
  return parts;
}

}  // namespace

bool ConvDepthwiseSharesSamples(int64_t n) {
  const int threads = PassThreads();
  return threads > 1 && n < 2 * threads;  // as Split
}

void ConvDepthwiseAsAvx2(const FirstLayerRows& first, int64_t row_cost, const PackedConv& dw, const ConvShape& s,
                         float* y, const float* dw_clip, const FinishedRange& finished, const DepthwiseThen* then) {
  const int64_t groups = (s.c + 15) / 16, blocks = s.c / 8, y_cb = s.oh * s.ow * 8;
  const std::vector<Part> parts = Split(s, groups, PassThreads(), then != nullptr);
  // Input rows output row r reads: [Lo(r), Hi(r)), within the input.
  auto lo = [&](int64_t r) { return std::clamp<int64_t>(r * s.sh - s.ph, 0, s.ih); };
  auto hi = [&](int64_t r) { return std::clamp<int64_t>(r * s.sh - s.ph + s.kh, 0, s.ih); };

  auto run = [&](const Part& part) {
    const int64_t ng = part.g1 - part.g0;
    if (ng <= 0 || part.r1 <= part.r0) return;
    // Bands of output rows whose input rows of every group fit the buffer (at least one).
    const int64_t row_floats = ng * 16 * s.iw;  // one input row of the part's groups
    const int64_t fit = std::max<int64_t>(s.kh, kScratchBytes / 4 / row_floats);
    int64_t band = std::clamp<int64_t>((fit - s.kh) / s.sh + 1, 1, part.r1 - part.r0);
    // With a next layer, the band's depthwise rows share the space.
    while (then && band > 1 && ((band - 1) * s.sh + s.kh) * row_floats + band * ng * 16 * s.ow > kThenBytes / 4)
      --band;
    const int64_t rows = (band - 1) * s.sh + s.kh;  // buffer rows a group's block holds
    const int64_t b_cb = rows * s.iw * 8;           // floats between the buffer's blocks
    const int64_t d_cb = then ? band * s.ow * 8 : 0;  // the same for the depthwise rows
    thread_local std::vector<float> buf;
    const size_t floats = static_cast<size_t>(ng * 2 * (b_cb + d_cb));
    if (buf.size() < floats) buf.resize(floats);
    float* dbuf = buf.data() + ng * 2 * b_cb;  // the depthwise rows of a band, all its blocks
    // Register tiles of at most two groups, even.
    const int64_t tiles = (ng + 1) / 2;
    // The input rows the buffer holds, [have0, have1), from its row 0.
    int64_t have0 = lo(part.r0), have1 = have0;
    for (int64_t b0 = part.r0; b0 < part.r1; b0 += band) {
      const int64_t b1 = std::min(part.r1, b0 + band);
      const int64_t need0 = lo(b0), need1 = std::max(need0, hi(b1 - 1));
      const int64_t kept = std::max<int64_t>(0, have1 - std::max(need0, have0));
      const int64_t from = std::max(need0, have1);  // first row to compute
      for (int64_t i = 0; i < tiles; ++i) {
        const int64_t g = part.g0 + EvenStart(ng, tiles, i), q = part.g0 + EvenStart(ng, tiles, i + 1) - g;
        float* tile = buf.data() + (g - part.g0) * 2 * b_cb;
        const int64_t tile_blocks = std::min(2 * q, blocks - 2 * g);
        if (kept > 0 && need0 > have0)
          for (int64_t b = 0; b < tile_blocks; ++b)
            std::memmove(tile + b * b_cb, tile + b * b_cb + (need0 - have0) * s.iw * 8,
                         static_cast<size_t>(kept * s.iw * 8) * sizeof(float));
        if (need1 > from) first(part.n, g, static_cast<int>(q), from, need1, tile + (from - need0) * s.iw * 8, b_cb);
        for (int64_t p = g; p < g + q; ++p) {
          const int64_t blk = 2 * p, lone = blk + 1 >= blocks;
          const float* x0 = tile + (p - g) * 2 * b_cb;
          if (then) {
            float* d0 = dbuf + (blk - 2 * part.g0) * d_cb;
            for (int64_t oh = b0; oh < b1; ++oh) {
              float* dr = d0 + (oh - b0) * s.ow * 8;
              DepthwiseRowAsAvx2(dw, s, p, x0, lone ? x0 : x0 + b_cb, need0, oh, dr, lone ? nullptr : dr + d_cb,
                                 dw_clip);
              if (!then->dw_post) continue;
              then->dw_post(dr, s.ow * 8);
              if (!lone) then->dw_post(dr + d_cb, s.ow * 8);
            }
            continue;
          }
          float* y0 = y + (part.n * blocks + blk) * y_cb;
          for (int64_t oh = b0; oh < b1; ++oh) {
            float* yr = y0 + oh * s.ow * 8;
            DepthwiseRowAsAvx2(dw, s, p, x0, lone ? x0 : x0 + b_cb, need0, oh, yr, lone ? nullptr : yr + y_cb, dw_clip);
            if (!finished) continue;
            const int64_t base = yr - y;
            finished(base, base + s.ow * 8);
            if (!lone) finished(base + y_cb, base + y_cb + s.ow * 8);
          }
        }
      }
      if (then) then->rows(part.n, b0, b1, dbuf, d_cb);
      have0 = need0;
      have1 = need1;
    }
  };
  ParallelFor(
      static_cast<int64_t>(parts.size()),
      [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) run(parts[static_cast<size_t>(i)]);
      },
      row_cost * s.ih + (then ? then->row_cost * s.oh : 0));  // a sample's: parts are at most that
}

}  // namespace litemp
