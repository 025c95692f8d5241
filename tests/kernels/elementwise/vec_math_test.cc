// ExpFloats against the C library's expf bit for bit, ErfFloats against long double erfl
// rounded once, over sampled sweeps of every float bit pattern (all 2^32 of them with
// LITEMP_EXHAUSTIVE=1: about two minutes for the first two tests; they passed so on
// Debian 12's glibc 2.36, AVX-512 build), plus the edges and unaligned block tails.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <vector>

#include "kernels/vec_math.h"

namespace litemp {
namespace {

using Fn = void (*)(const float*, float*, int64_t);

bool Exhaustive() {
  const char* e = std::getenv("LITEMP_EXHAUSTIVE");
  return e && *e == '1';
}

float RefExp(float x) { return std::exp(x); }
float RefErf(float x) { return static_cast<float>(std::erf(static_cast<long double>(x))); }

// NaN payloads included.
bool SameBits(float a, float b) { return std::bit_cast<uint32_t>(a) == std::bit_cast<uint32_t>(b); }

// Runs `fn` over bit patterns 0, step, 2 step, ... in chunks (not a multiple of the
// kernels' block: tails are covered) and calls check(x, y) on each element.
template <class Check>
void ForEachSample(Fn fn, uint64_t step, Check check) {
  constexpr int kChunk = 4099;
  std::vector<float> x(kChunk), y(kChunk);
  uint64_t u = 0;
  while (u < (uint64_t{1} << 32)) {
    int n = 0;
    for (; n < kChunk && u < (uint64_t{1} << 32); ++n, u += step) x[n] = std::bit_cast<float>(static_cast<uint32_t>(u));
    fn(x.data(), y.data(), n);
    for (int i = 0; i < n; ++i) check(x[i], y[i]);
  }
}

// Counts the elements whose bits differ from ref's; reports the first few.
int64_t Sweep(Fn fn, float (*ref)(float), uint64_t step) {
  int64_t bad = 0;
  ForEachSample(fn, step, [&](float x, float y) {
    if (SameBits(y, ref(x))) return;
    if (++bad <= 5) ADD_FAILURE() << "x = " << x << " (0x" << std::hex << std::bit_cast<uint32_t>(x) << std::dec
                                  << "): got " << y << ", want " << ref(x);
  });
  return bad;
}

TEST(VecMath, ExpMatchesTheCLibraryBitForBit) {
  EXPECT_EQ(Sweep(ExpFloats, RefExp, Exhaustive() ? 1 : 61), 0);
}

TEST(VecMath, ErfIsCorrectlyRounded) {
  EXPECT_EQ(Sweep(ErfFloats, RefErf, Exhaustive() ? 1 : 409), 0);
}

// Gelu keeps its formula's float arithmetic with the erf above.
float RefGelu(float x) { return 0.5f * x * (1.0f + RefErf(x * 0.7071067811865476f)); }

TEST(VecMath, GeluKeepsItsFormula) { EXPECT_EQ(Sweep(GeluErfFloats, RefGelu, Exhaustive() ? 1 : 8191), 0); }

// Sigmoid, computed in float: within 2.5 ulp of 1 / (1 + e^-x) in double wherever the result
// is a normal float (2.48 at worst over all of them, near x = -16.6, where 1 + e^-x is large),
// the scalar formula's bits below x = -88 and for NaN, exactly 1 from 17 up, and subnormal
// results (x in [-88, -87.34]) stay subnormal.
TEST(VecMath, SigmoidIsWithinTwoAndAHalfUlp) {
  double worst = 0;
  float worst_x = 0;
  int64_t scalar_bad = 0;
  ForEachSample(SigmoidFloats, Exhaustive() ? 1 : 331, [&](float x, float y) {
    if (!(x >= -88.f)) {  // NaN, -inf and below -88: the scalar formula
      scalar_bad += !SameBits(y, 1.0f / (1.0f + std::exp(-x)));
      return;
    }
    const double ref = 1.0 / (1.0 + std::exp(-static_cast<double>(x)));
    if (x >= 17.f) scalar_bad += y != 1.0f;  // 1 - ref < 2^-25 there: exactly 1
    if (ref < std::numeric_limits<float>::min()) {  // subnormal: relative error is meaningless
      scalar_bad += !(y >= 0.f && y < std::numeric_limits<float>::min());
      return;
    }
    const double ulp = std::ldexp(1.0, std::ilogb(ref) - 23);  // of ref's binade
    const double err = std::fabs(static_cast<double>(y) - ref) / ulp;
    if (!(err <= worst)) worst = err, worst_x = x;  // a NaN sticks
  });
  EXPECT_EQ(scalar_bad, 0);
  EXPECT_LE(worst, 2.5) << "at x = " << worst_x;  // false for NaN too
  EXPECT_GT(worst, 0.5);  // not the correctly rounded value everywhere: a real bound is tested
  const float big[] = {17.f, 88.f, 1e30f, std::numeric_limits<float>::infinity()};
  float out[4];
  SigmoidFloats(big, out, 4);
  for (float v : out) EXPECT_EQ(v, 1.0f);
}

// SiLU in one pass: SigmoidFloats's value times x, bit for bit (for NaN, the Sigmoid's NaN,
// payload and sign), in place as well, over sampled bit patterns.
TEST(VecMath, SiLUIsSigmoidTimesX) {
  int64_t bad = 0;
  std::vector<float> s, y;
  ForEachSample(SiLUFloats, Exhaustive() ? 1 : 331, [&](float x, float got) {
    float sig;
    SigmoidFloats(&x, &sig, 1);
    const float want = x == x ? sig * x : sig;  // NaN: the Sigmoid's NaN
    if (!SameBits(got, want) && ++bad <= 5) ADD_FAILURE() << "x = " << x << ": got " << got << ", want " << want;
  });
  EXPECT_EQ(bad, 0);
  std::vector<float> x;
  for (float v : {-100.f, -88.f, -87.9f, -3.f, -0.f, 0.f, 0.5f, 17.f, 1e30f,
                  std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                  std::numeric_limits<float>::quiet_NaN()})
    for (int i = 0; i < 23; ++i) x.push_back(v * (1.f + 0.01f * i));
  s.resize(x.size());
  y = x;
  SigmoidFloats(x.data(), s.data(), static_cast<int64_t>(x.size()));
  SiLUFloats(y.data(), y.data(), static_cast<int64_t>(y.size()));
  for (size_t i = 0; i < x.size(); ++i)
    EXPECT_TRUE(SameBits(y[i], x[i] == x[i] ? s[i] * x[i] : s[i])) << "x = " << x[i];
}

// Dense around where each function changes path, with the signs of zero, infinities, NaN.
TEST(VecMath, EdgesAndRanges) {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> x = {0.f, -0.f, inf, -inf, nan, -nan, std::numeric_limits<float>::denorm_min(),
                          std::numeric_limits<float>::min(), std::numeric_limits<float>::max(),
                          -std::numeric_limits<float>::max()};
  for (float c : {-104.f, -103.97f, -87.f, 88.5f, 88.72f, 0x1p-100f, 0.75f, 2.f, 4.f, 3.92f}) {
    float v = c;
    for (int i = 0; i < 300; ++i) v = std::nextafter(v, inf);
    for (int i = 0; i < 600; ++i) {
      x.push_back(v);
      x.push_back(-v);
      v = std::nextafter(v, -inf);
    }
  }
  std::vector<float> e(x.size()), r(x.size());
  ExpFloats(x.data(), e.data(), static_cast<int64_t>(x.size()));
  ErfFloats(x.data(), r.data(), static_cast<int64_t>(x.size()));
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_TRUE(SameBits(e[i], RefExp(x[i]))) << "exp(" << x[i] << ") = " << e[i];
    EXPECT_TRUE(SameBits(r[i], RefErf(x[i]))) << "erf(" << x[i] << ") = " << r[i];
  }
  EXPECT_EQ(std::bit_cast<uint32_t>(r[1]), std::bit_cast<uint32_t>(-0.f));  // erf(-0) = -0
  // In place, every function.
  for (Fn fn : {ExpFloats, ErfFloats, SigmoidFloats, SiLUFloats, GeluErfFloats}) {
    std::vector<float> want(x.size()), y = x;
    fn(x.data(), want.data(), static_cast<int64_t>(x.size()));
    fn(y.data(), y.data(), static_cast<int64_t>(y.size()));
    for (size_t i = 0; i < x.size(); ++i) EXPECT_TRUE(SameBits(y[i], want[i])) << i;
  }
}

}  // namespace
}  // namespace litemp
