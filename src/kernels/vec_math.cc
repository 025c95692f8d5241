#include "kernels/vec_math.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace litemp {

namespace {

// Elements per pass: the first loop vectorises over a block, the second patches the few
// elements it flagged.
constexpr int kBlock = 64;

// The double's float rounding is trusted unless the bits it drops (29 below a float's 23)
// lie within 2^21 of the halfway pattern: 2^-8 ulp, far above the few 1e-6 ulp the double
// computations below can be off by, and far below a float ulp. Valid for normal floats.
inline bool NearMidpoint(double w) {
  const uint64_t low = std::bit_cast<uint64_t>(w) & ((uint64_t{1} << 29) - 1);
  const int64_t d = static_cast<int64_t>(low) - (int64_t{1} << 28);
  return (d > -(int64_t{1} << 21)) & (d < (int64_t{1} << 21));
}

// Calls fn(i) for each i < m with flag[i] != 0, reading the flags 8 at a time (byte j of
// the word is flag j: x86 is little-endian): a block rarely has more than one, and a
// branch per element cost as much as the vector loop.
// REQUIRES: flag has room for m rounded up to 8 (the bytes past m are zeroed here).
template <class Fn>
inline void ForEachFlagged(unsigned char* flag, int m, Fn fn) {
  for (int i = m; i % 8; ++i) flag[i] = 0;
  for (int w = 0; w < m; w += 8) {
    uint64_t bits;
    std::memcpy(&bits, flag + w, 8);
    while (bits) {
      fn(w + std::countr_zero(bits) / 8);
      bits &= bits - 1;  // clears the lowest set bit: each flag is 0 or 1
    }
  }
}

// Maps x to y a block at a time: fast(in, out, slow, m) computes a block and flags the
// elements it cannot vouch for, which exact(v) then gives. It computes whole blocks into an
// aligned buffer of its own (x and y may alias; a short last block is copied and padded
// with zeros first): on y itself, and with a run-time count, the compiler ran short blocks
// and the elements it peeled off to align the stores one at a time (SiLU's Sigmoid runs on
// rows of 56 or 112 floats in EfficientNet-like models). Whole blocks are read from x and
// written back with a fixed count (vector moves, no memcpy call), and the flags are tested
// with one vector OR before any are read 8 at a time: a narrow load of a wide store that
// was just made stalls (store forwarding), and most whole blocks have none.
template <class Fast, class Exact>
void MapBlocks(const float* x, float* y, int64_t n, Fast fast, Exact exact) {
  for (int64_t b = 0; b < n; b += kBlock) {
    const int m = static_cast<int>(std::min<int64_t>(kBlock, n - b));
    alignas(64) float in[kBlock];
    alignas(64) float out[kBlock];
    alignas(64) unsigned char slow[kBlock];
    const float* src = x + b;
    if (m < kBlock) {
      std::copy(src, src + m, in);
      std::fill(in + m, in + kBlock, 0.0f);
      src = in;
    }
    fast(src, out, slow, kBlock);
    unsigned char any = 0;
    for (int i = 0; i < kBlock; ++i) any |= slow[i];
    if (any) ForEachFlagged(slow, m, [&](int i) { out[i] = exact(src[i]); });
    if (m == kBlock)
      for (int i = 0; i < kBlock; ++i) y[b + i] = out[i];
    else
      std::copy(out, out + m, y + b);
  }
}

// exp(r) for |r| <= ln2 / 2: Taylor to r^10 (error < 2e-13 relative).
inline double ExpTaylor(double r) {
  constexpr double c[] = {1.0,       1.0,        1.0 / 2,      1.0 / 6,       1.0 / 24,       1.0 / 120,
                          1.0 / 720, 1.0 / 5040, 1.0 / 40320, 1.0 / 362880, 1.0 / 3628800};
  double p = c[10];
#pragma GCC unroll 16
  for (int i = 9; i >= 0; --i) p = std::fma(p, r, c[i]);
  return p;
}

// Where the fast path for exp holds: results are normal floats, far from overflow.
constexpr float kExpLo = -87.0f, kExpHi = 88.5f;
// Below this expf is +0 (e^x < 2^-150, half the smallest subnormal); -inf included.
constexpr float kExpZeroBelow = -104.0f;

}  // namespace

void ExpFloats(const float* x, float* y, int64_t n) {
  constexpr double kLog2e = 0x1.71547652b82fep+0;
  constexpr double kLn2Hi = 0x1.62e42fefa39efp-1;  // ln 2 = kLn2Hi + kLn2Lo
  constexpr double kLn2Lo = 0x1.abc9e3b39803fp-56;
  constexpr double kShift = 0x1.8p52;  // adding it rounds to an integer held in the low bits
  auto fast = [](const float* in, float* out, unsigned char* slow, int m) {
    for (int i = 0; i < m; ++i) {
      const double xd = in[i];
      const double t = xd * kLog2e + kShift;
      const uint64_t kbits = std::bit_cast<uint64_t>(t);
      const double k = t - kShift;
      const double r = std::fma(-k, kLn2Lo, std::fma(-k, kLn2Hi, xd));
      // 2^k from k's low bits (k is within [-126, 128] on the fast path).
      const double s = std::bit_cast<double>((kbits << 52) + (uint64_t{1023} << 52));
      const double w = ExpTaylor(r) * s;
      const bool in_range = (in[i] >= kExpLo) & (in[i] <= kExpHi);  // false for NaN
      const bool zero = in[i] < kExpZeroBelow;
      slow[i] = (!in_range & !zero) | NearMidpoint(w);
      const float f = static_cast<float>(w);
      out[i] = zero ? 0.0f : f;
    }
  };
  MapBlocks(x, y, n, fast, [](float v) { return v < kExpZeroBelow ? 0.0f : std::exp(v); });
}

namespace {

// erf(x) = x * sum a_n x^2n below 0.75, a_n = 2/sqrt(pi) (-1)^n / (n! (2n + 1)); 15 terms
// leave < 5e-18 relative there (the next term's size).
constexpr double kTwoOverSqrtPi = 0x1.20dd750429b6dp+0;
constexpr double Factorial(int n) { return n <= 1 ? 1.0 : n * Factorial(n - 1); }
constexpr double TaylorTerm(int n) { return (n % 2 ? -1 : 1) * kTwoOverSqrtPi / (Factorial(n) * (2 * n + 1)); }
constexpr int kErfTaylorTerms = 15;
struct TaylorTable {
  double a[kErfTaylorTerms];
  constexpr TaylorTable() : a() {
    for (int k = 0; k < kErfTaylorTerms; ++k) a[k] = TaylorTerm(k);
  }
};
constexpr TaylorTable kErfTaylor;
constexpr double kErfTaylorEnd = 0.75;

// erf on [0.75, 2) and [2, 4) as polynomials in u = (x - center) / half width (Horner,
// lowest power first), fitted by tools/vecmath/fit_erf.py: max errors 2.9e-15 and 2.6e-13.
constexpr int kErfDegree = 16;
constexpr double kErfMid[2] = {1.375, 3.0}, kErfInvHalf[2] = {1 / 0.625, 1.0};
constexpr double kErfPoly[2][kErfDegree + 1] = {
    {0x1.e5768c3b4a3f0p-1, 0x1.b41efb356b0b8p-4, -0x1.76ca9fe1e712bp-4, 0x1.3be01b1cf667cp-5,
     -0x1.3101901e62ab3p-8, -0x1.7e931fc7a73cbp-9, 0x1.5a44f1261d7ffp-10, -0x1.bb74f47af3333p-15,
     -0x1.a01de9569999bp-14, 0x1.813b37559999ap-16, 0x1.8b0935bfffffdp-19, -0x1.02b31cc666662p-19,
     0x1.b433accccccbep-24, 0x1.8db7f99999990p-24, -0x1.17ff99999998dp-26, -0x1.5a66666666655p-29,
     0x1.d5cccccccccb1p-31},
    {0x1.fffd1ac4136f5p-1, 0x1.2408ea442cd44p-13, -0x1.b60d5eeb5ddbcp-12, 0x1.9db744a3dbd8ep-11,
     -0x1.11c858e93faa0p-10, 0x1.0a7b82a4d55b7p-10, -0x1.82f26387a3b9bp-11, 0x1.9986d17defb9ep-12,
     -0x1.1aa225a0bf09bp-13, 0x1.d480040f7898ap-17, 0x1.05a72794eb333p-16, -0x1.6db3ec252932dp-17,
     0x1.9b94acf933326p-19, 0x1.fcc1a83acccc8p-23, -0x1.06da80766665dp-21, 0x1.b10f37333331ep-24,
     0x1.a2b566666664ep-27},
};
// From 4 up, erf rounds to 1 (erfc(4) = 1.5e-8 < 2^-25, the gap to the midpoint below 1):
// larger inputs are evaluated at 4.
constexpr float kErfOne = 4.0f;
// Below this |x| the result may be subnormal or the Taylor sum's relative error may matter
// less than the subnormal rounding: the scalar path takes it.
constexpr float kErfTiny = 0x1p-100f;

float ErfScalar(float x) { return static_cast<float>(std::erf(static_cast<long double>(x))); }

}  // namespace

void ErfFloats(const float* x, float* y, int64_t n) {
  auto fast = [](const float* in, float* out, unsigned char* slow, int m) {
    for (int i = 0; i < m; ++i) {
      const float ax = std::fabs(in[i]);
      const double a = std::min(ax, kErfOne);  // keeps the polynomials in range
      // Taylor part.
      const double a2 = a * a;
      double t = kErfTaylor.a[kErfTaylorTerms - 1];
#pragma GCC unroll 16
      for (int k = kErfTaylorTerms - 2; k >= 0; --k) t = std::fma(t, a2, kErfTaylor.a[k]);
      t *= a;
      // Fitted part: coefficients picked per element.
      const bool hi = a >= 2.0;  // a select per coefficient, not a gather
      const double u = (a - (hi ? kErfMid[1] : kErfMid[0])) * (hi ? kErfInvHalf[1] : kErfInvHalf[0]);
      double p = hi ? kErfPoly[1][kErfDegree] : kErfPoly[0][kErfDegree];
#pragma GCC unroll 16
      for (int k = kErfDegree - 1; k >= 0; --k) p = std::fma(p, u, hi ? kErfPoly[1][k] : kErfPoly[0][k]);
      const double w = a < kErfTaylorEnd ? t : p;  // at and above 4: erf(4), which rounds to 1
      slow[i] = !(ax >= kErfTiny) | NearMidpoint(w);  // NaN and tiny too
      out[i] = std::copysign(static_cast<float>(w), in[i]);
    }
  };
  MapBlocks(x, y, n, fast, ErfScalar);
}

namespace {

// Sigmoid, times x when kTimesX (SiLU: the product of the two floats, in one pass).
template <bool kTimesX>
void SigmoidMap(const float* x, float* y, int64_t n) {
  // In float lanes (16 per AVX-512 register, not 8 doubles): SiLU puts a Sigmoid after
  // most convolutions of detection networks, where the exact exp took longer than the
  // convolutions. e^t for t = -x in [-88, 88]: t = k ln2 + r, e^r by Taylor to r^7 (a
  // truncation of 0.09 ulp), scaled by 2^k with k <= 127 (k = -127 makes the scale 0,
  // which only happens where 1 + e^t rounds to 1 anyway); then 1 / (1 + e^t).
  constexpr float kLog2e = 0x1.715476p+0f;
  constexpr float kLn2Hi = 0x1.62e43p-1f, kLn2Lo = -0x1.05c610p-29f;  // ln 2 = hi + lo
  constexpr float kShift = 0x1.8p23f;  // adding it rounds to an integer held in the low bits
  auto fast = [](const float* in, float* out, unsigned char* slow, int m) {
    for (int i = 0; i < m; ++i) {
      // Above 88, 1 + e^-x rounds to 1; below -88 (and NaN) the scalar path takes it.
      const float t = std::min(88.0f, std::max(-88.0f, -in[i]));
      const float kf = std::fma(t, kLog2e, kShift);
      const int32_t kbits = std::bit_cast<int32_t>(kf);
      const float k = kf - kShift;
      const float r = std::fma(-k, kLn2Lo, std::fma(-k, kLn2Hi, t));
      float p = std::fma(1.0f / 5040, r, 1.0f / 720);
      p = std::fma(p, r, 1.0f / 120);
      p = std::fma(p, r, 1.0f / 24);
      p = std::fma(p, r, 1.0f / 6);
      p = std::fma(p, r, 0.5f);
      p = std::fma(p, r, 1.0f);
      p = std::fma(p, r, 1.0f);
      const float e = p * std::bit_cast<float>((kbits << 23) + (127 << 23));
      const float s = 1.0f / (1.0f + e);
      out[i] = kTimesX ? s * in[i] : s;
      slow[i] = !(in[i] >= -88.0f);
    }
  };
  MapBlocks(x, y, n, fast, [](float v) {
    const float s = 1.0f / (1.0f + std::exp(-v));
    // NaN x: the Sigmoid's NaN, whichever operand order the compiler gives the product.
    return kTimesX && v == v ? s * v : s;
  });
}

}  // namespace

void SigmoidFloats(const float* x, float* y, int64_t n) { SigmoidMap<false>(x, y, n); }

void SiLUFloats(const float* x, float* y, int64_t n) { SigmoidMap<true>(x, y, n); }

void GeluErfFloats(const float* x, float* y, int64_t n) {
  for (int64_t b = 0; b < n; b += kBlock) {
    const int m = static_cast<int>(std::min<int64_t>(kBlock, n - b));
    float e[kBlock];
    for (int i = 0; i < m; ++i) e[i] = x[b + i] * 0.7071067811865476f;
    ErfFloats(e, e, m);
    for (int i = 0; i < m; ++i) y[b + i] = 0.5f * x[b + i] * (1.0f + e[i]);
  }
}

float MaxOfFloats(const float* x, int64_t n) {
  // A GCC vector of 8 lanes (an AVX2 register): the compiler keeps its selects in vector
  // registers (a plain array of lanes became scalar maxima).
  typedef float Lanes __attribute__((vector_size(32)));
  constexpr int kLanes = 8;
  Lanes lane;
  for (int l = 0; l < kLanes; ++l) lane[l] = x[0];
  int64_t j = 0;
  for (; j + kLanes <= n; j += kLanes) {
    Lanes v;
    std::memcpy(&v, x + j, sizeof v);
    lane = lane < v ? v : lane;  // std::max per lane
  }
  float m = lane[0];
  for (int l = 1; l < kLanes; ++l) m = std::max(m, lane[l]);
  for (; j < n; ++j) m = std::max(m, x[j]);
  return m;
}

}  // namespace litemp
