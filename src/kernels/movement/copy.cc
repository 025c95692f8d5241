#include "kernels/movement/copy.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "core/parallel.h"
#include "kernels/util.h"

namespace litemp::movement {
namespace {

// A copy problem with unit dims dropped and dims merged where both views are contiguous.
struct View {
  Shape n;
  std::vector<int64_t> ss, ds;  // source / destination strides
  int rank() const { return static_cast<int>(n.size()); }
};

View Simplify(const Shape& shape, const std::vector<int64_t>& ss, const std::vector<int64_t>& ds) {
  View v;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 1) continue;
    if (!v.n.empty() && v.ss.back() == ss[d] * shape[d] && v.ds.back() == ds[d] * shape[d]) {
      v.n.back() *= shape[d];
      v.ss.back() = ss[d];
      v.ds.back() = ds[d];
    } else {
      v.n.push_back(shape[d]);
      v.ss.push_back(ss[d]);
      v.ds.push_back(ds[d]);
    }
  }
  return v;
}

// Walks the first `rank` dims of a View in row-major order, tracking both offsets.
struct Odometer {
  Odometer(const View& v, int rank, int64_t start) : v(v), idx(rank, 0) {
    for (int d = rank - 1; d >= 0; --d) {
      idx[d] = start % v.n[d];
      start /= v.n[d];
      so += idx[d] * v.ss[d];
      dof += idx[d] * v.ds[d];
    }
  }
  void Next() {
    for (int d = static_cast<int>(idx.size()) - 1; d >= 0; --d) {
      so += v.ss[d];
      dof += v.ds[d];
      if (++idx[d] < v.n[d]) return;
      so -= v.ss[d] * v.n[d];
      dof -= v.ds[d] * v.n[d];
      idx[d] = 0;
    }
  }
  const View& v;
  std::vector<int64_t> idx;
  int64_t so = 0, dof = 0;
};

template <class E>
void CopyRun(const E* s, int64_t ss, E* d, int64_t ds, int64_t n) {
  if (ss == 1 && ds == 1) {
    if (n * static_cast<int64_t>(sizeof(E)) >= 128) {
      std::memcpy(d, s, n * sizeof(E));
    } else {
      for (int64_t j = 0; j < n; ++j) d[j] = s[j];
    }
  } else if (ds == 1) {
    if (ss == 0) {
      std::fill(d, d + n, *s);
    } else {
      for (int64_t j = 0; j < n; ++j) d[j] = s[j * ss];
    }
  } else {
    for (int64_t j = 0; j < n; ++j) d[j * ds] = s[j * ss];
  }
}

// One run per row of the innermost dim; long rows are split so a few big rows still
// spread over all threads.
template <class E>
void CopyRows(const E* src, E* dst, const View& v) {
  const int r = v.rank();
  const int64_t len = v.n[r - 1], s = v.ss[r - 1], d = v.ds[r - 1];
  int64_t rows = 1;
  for (int i = 0; i < r - 1; ++i) rows *= v.n[i];
  constexpr int64_t kChunk = 16384;
  const int64_t chunks = (rows < 64 && len > kChunk) ? (len + kChunk - 1) / kChunk : 1;
  const int64_t clen = (len + chunks - 1) / chunks;
  ParallelFor(
      rows * chunks,
      [&](int64_t b, int64_t e) {
        int64_t row = b / chunks;
        Odometer od(v, r - 1, row);
        for (int64_t it = b; it < e; ++it) {
          if (it / chunks != row) {
            od.Next();
            row = it / chunks;
          }
          int64_t c0 = (it % chunks) * clen, c1 = std::min(len, c0 + clen);
          CopyRun(src + od.so + c0 * s, s, dst + od.dof + c0 * d, d, c1 - c0);
        }
      },
      clen);
}

#ifdef __AVX2__
// d[i * ds + j] = s[j * ss + i] for an 8x8 block of 4-byte elements, in registers.
inline void Transpose8x8(const uint32_t* s, int64_t ss, uint32_t* d, int64_t ds) {
  __m256 r[8], t[8];
  for (int k = 0; k < 8; ++k) r[k] = _mm256_loadu_ps(reinterpret_cast<const float*>(s + k * ss));
  for (int k = 0; k < 8; k += 2) {
    t[k] = _mm256_unpacklo_ps(r[k], r[k + 1]);
    t[k + 1] = _mm256_unpackhi_ps(r[k], r[k + 1]);
  }
  for (int k = 0; k < 8; k += 4) {
    r[k] = _mm256_shuffle_ps(t[k], t[k + 2], _MM_SHUFFLE(1, 0, 1, 0));
    r[k + 1] = _mm256_shuffle_ps(t[k], t[k + 2], _MM_SHUFFLE(3, 2, 3, 2));
    r[k + 2] = _mm256_shuffle_ps(t[k + 1], t[k + 3], _MM_SHUFFLE(1, 0, 1, 0));
    r[k + 3] = _mm256_shuffle_ps(t[k + 1], t[k + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int k = 0; k < 4; ++k) {
    _mm256_storeu_ps(reinterpret_cast<float*>(d + k * ds), _mm256_permute2f128_ps(r[k], r[k + 4], 0x20));
    _mm256_storeu_ps(reinterpret_cast<float*>(d + (k + 4) * ds), _mm256_permute2f128_ps(r[k], r[k + 4], 0x31));
  }
}
#endif

// Transposes one tile: d[i * a + j] = s[i + j * b] for i < ni, j < nj.
template <class E>
void TransposeTile(const E* s, int64_t b, E* d, int64_t a, int64_t ni, int64_t nj) {
  int64_t j0 = 0;
#ifdef __AVX2__
  if constexpr (sizeof(E) == 4) {
    for (; j0 + 8 <= nj; j0 += 8) {
      int64_t i = 0;
      for (; i + 8 <= ni; i += 8) Transpose8x8(s + i + j0 * b, b, d + i * a + j0, a);
      for (; i < ni; ++i)
        for (int64_t j = j0; j < j0 + 8; ++j) d[i * a + j] = s[i + j * b];
    }
  }
#endif
  if (nj - j0 < 8) {
    // Few columns (e.g. DepthToSpace's block): read each source row contiguously.
    for (int64_t j = j0; j < nj; ++j)
      for (int64_t i = 0; i < ni; ++i) d[i * a + j] = s[i + j * b];
    return;
  }
  // Scalar: at most 8 source lines live at a time, so power-of-two strides do not thrash.
  for (; j0 < nj; j0 += 8) {
    const int64_t j1 = std::min(nj, j0 + 8);
    for (int64_t i = 0; i < ni; ++i)
      for (int64_t j = j0; j < j1; ++j) d[i * a + j] = s[i + j * b];
  }
}

// Transpose-like copies: dim p is unit-stride in the source, the last dim is unit-stride
// in the destination. Copies tiles so both sides stay in cache; when the last dim is
// short (e.g. DepthToSpace's block) the tile grows along p instead.
template <class E>
void CopyTiled(const E* src, E* dst, const View& v, int p) {
  const int last = v.rank() - 1;
  const int64_t m = v.n[p], len = v.n[last];
  const int64_t a = v.ds[p], bs = v.ss[last];
  constexpr int64_t kTileElems = 4096;  // 16 KB of floats per tile
  const int64_t tj = std::min<int64_t>(len, 64);
  const int64_t ti = std::max<int64_t>(8, kTileElems / tj) / 8 * 8;
  View outer;
  for (int d = 0; d < last; ++d) {
    if (d == p) continue;
    outer.n.push_back(v.n[d]);
    outer.ss.push_back(v.ss[d]);
    outer.ds.push_back(v.ds[d]);
  }
  const int64_t outer_count = NumElements(outer.n);
  const int64_t tiles = (m + ti - 1) / ti;
  ParallelFor(
      outer_count * tiles,
      [&](int64_t b, int64_t e) {
        int64_t o = b / tiles;
        Odometer od(outer, outer.rank(), o);
        for (int64_t it = b; it < e; ++it) {
          if (it / tiles != o) {
            od.Next();
            o = it / tiles;
          }
          const int64_t i0 = (it % tiles) * ti, ni = std::min(m, i0 + ti) - i0;
          for (int64_t j0 = 0; j0 < len; j0 += tj) {
            TransposeTile(src + od.so + i0 + j0 * bs, bs, dst + od.dof + i0 * a + j0, a, ni,
                          std::min(len, j0 + tj) - j0);
          }
        }
      },
      ti * len);
}

template <class E>
void CopyStridedT(const E* src, const std::vector<int64_t>& ss, E* dst, const std::vector<int64_t>& ds,
                  const Shape& shape) {
  for (int64_t d : shape)
    if (d == 0) return;
  View v = Simplify(shape, ss, ds);
  if (v.rank() == 0) {
    *dst = *src;
    return;
  }
  const int last = v.rank() - 1;
  if (last > 0 && v.ds[last] == 1 && v.ss[last] != 1 && v.ss[last] != 0) {
    for (int p = last - 1; p >= 0; --p) {
      if (v.ss[p] == 1) {
        CopyTiled(src, dst, v, p);
        return;
      }
    }
  }
  CopyRows(src, dst, v);
}

template <class E>
void GatherAxesT(const E* src, const Shape& in_shape, E* dst, const std::vector<std::vector<int64_t>>& maps,
                 const E* fill) {
  const int r = static_cast<int>(maps.size());
  if (r == 0) {
    *dst = *src;
    return;
  }
  Shape out(r);
  for (int d = 0; d < r; ++d) {
    out[d] = static_cast<int64_t>(maps[d].size());
    if (out[d] == 0) return;
  }
  // Per-axis source offsets; -1 marks a fill position.
  const std::vector<int64_t> st = Strides(in_shape);
  std::vector<std::vector<int64_t>> offs(r);
  for (int d = 0; d < r; ++d) {
    offs[d].resize(out[d]);
    for (int64_t o = 0; o < out[d]; ++o) offs[d][o] = maps[d][o] < 0 ? -1 : maps[d][o] * st[d];
  }
  const std::vector<int64_t>& inner = offs[r - 1];
  const int64_t len = out[r - 1];
  bool contiguous = st[r - 1] == 1 && maps[r - 1][0] >= 0, inner_fill = false;
  for (int64_t j = 0; j < len; ++j) {
    if (maps[r - 1][j] != maps[r - 1][0] + j) contiguous = false;
    if (inner[j] < 0) inner_fill = true;
  }
  const int64_t rows = NumElements(out) / len;
  ParallelFor(
      rows,
      [&](int64_t b, int64_t e) {
        std::vector<int64_t> idx(r - 1);
        int64_t t = b;
        for (int d = r - 2; d >= 0; --d) {
          idx[d] = t % out[d];
          t /= out[d];
        }
        int64_t prev = -2;
        for (int64_t row = b; row < e; ++row) {
          int64_t off = 0;
          for (int d = 0; d < r - 1 && off >= 0; ++d) off = offs[d][idx[d]] < 0 ? -1 : off + offs[d][idx[d]];
          E* d = dst + row * len;
          if (off < 0) {
            std::fill(d, d + len, *fill);
          } else if (off == prev) {
            std::memcpy(d, d - len, len * sizeof(E));  // same source row as the previous one
          } else if (contiguous) {
            std::memcpy(d, src + off + inner[0], len * sizeof(E));
          } else if (!inner_fill) {
            const E* s = src + off;
            for (int64_t j = 0; j < len; ++j) d[j] = s[inner[j]];
          } else {
            const E* s = src + off;
            for (int64_t j = 0; j < len; ++j) d[j] = inner[j] < 0 ? *fill : s[inner[j]];
          }
          prev = off;
          for (int dd = r - 2; dd >= 0; --dd) {
            if (++idx[dd] < out[dd]) break;
            idx[dd] = 0;
          }
        }
      },
      len);
}

template <class F>
void BySize(size_t elem_size, F&& fn) {
  switch (elem_size) {
    case 1:
      fn.template operator()<uint8_t>();
      break;
    case 2:
      fn.template operator()<uint16_t>();
      break;
    case 4:
      fn.template operator()<uint32_t>();
      break;
    default:
      fn.template operator()<uint64_t>();
      break;
  }
}

}  // namespace

void CopyStrided(const void* src, const std::vector<int64_t>& src_strides, void* dst,
                 const std::vector<int64_t>& dst_strides, const Shape& shape, size_t elem_size) {
  BySize(elem_size, [&]<class E>() {
    CopyStridedT(static_cast<const E*>(src), src_strides, static_cast<E*>(dst), dst_strides, shape);
  });
}

void TransposeRaw(const void* src, void* dst, const Shape& shape, const std::vector<int64_t>& perm, size_t elem_size) {
  const std::vector<int64_t> in_st = Strides(shape);
  Shape out(perm.size());
  std::vector<int64_t> ss(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) {
    out[i] = shape[perm[i]];
    ss[i] = in_st[perm[i]];
  }
  CopyStrided(src, ss, dst, Strides(out), out, elem_size);
}

void GatherAxes(const void* src, const Shape& in_shape, void* dst, const std::vector<std::vector<int64_t>>& maps,
                size_t elem_size, const void* fill) {
  BySize(elem_size, [&]<class E>() {
    GatherAxesT(static_cast<const E*>(src), in_shape, static_cast<E*>(dst), maps, static_cast<const E*>(fill));
  });
}

void FillRaw(void* dst, int64_t n, const void* value, size_t elem_size) {
  BySize(elem_size, [&]<class E>() {
    E v;
    std::memcpy(&v, value, sizeof(E));
    E* d = static_cast<E*>(dst);
    ParallelFor(n, [&](int64_t b, int64_t e) { std::fill(d + b, d + e, v); });
  });
}

}  // namespace litemp::movement
