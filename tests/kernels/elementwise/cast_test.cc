// Cast and CastLike: float16 rounding (checked against a brute-force nearest-value oracle),
// truncating float -> int, wrapping integer casts, bool, and unsupported targets.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "kernels/elementwise/cast.h"
#include "kernels/elementwise/ew_test_util.h"

namespace litemp {
namespace {

using namespace ewtest;  // NOLINT

NodeSpec CastTo(DType to, int opset = 13) { return Spec("Cast", opset, {{"to", AInt(static_cast<int64_t>(to))}}); }

// Value of a half code, decoded from its fields.
double NaiveHalfValue(uint16_t h) {
  int sign = h >> 15, exp = (h >> 10) & 31, man = h & 1023;
  double v = exp == 0 ? std::ldexp(man, -24) : exp == 31 ? (man ? NAN : INFINITY) : std::ldexp(1024 + man, exp - 25);
  return sign ? -v : v;
}

// Nearest half by search over every finite non-negative half; ties go to the even code.
uint16_t NaiveToHalf(double d) {
  static const std::vector<double> kValues = [] {
    std::vector<double> v;
    for (uint16_t h = 0; h < 0x7C00; ++h) v.push_back(NaiveHalfValue(h));
    return v;
  }();
  if (std::isnan(d)) return 0x7E00;
  uint16_t sign = std::signbit(d) ? 0x8000 : 0;
  double a = std::fabs(d);
  if (a >= 65520.0) return sign | 0x7C00;  // 65520 is halfway to 2^16: rounds to even = overflow
  auto it = std::lower_bound(kValues.begin(), kValues.end(), a);
  uint16_t hi = static_cast<uint16_t>(it - kValues.begin());
  if (hi == 0 || kValues[hi] == a) return sign | hi;
  uint16_t lo = hi - 1;
  double dl = a - kValues[lo], dh = kValues[hi] - a;
  uint16_t pick = dl < dh ? lo : dh < dl ? hi : ((lo & 1) ? hi : lo);
  return sign | pick;
}

TEST(Cast, FloatToFloat16RoundsToNearestEven) {
  const float vals[] = {1.f,     1.f + 0x1p-11f, 1.f + 3 * 0x1p-11f, 65504.f, 65519.f,
                        65520.f, 1e-8f,          0x1p-24f,           -0.f,    -2.5f};
  const uint16_t want[] = {0x3C00, 0x3C00, 0x3C02, 0x7BFF, 0x7BFF, 0x7C00, 0x0000, 0x0001, 0x8000, 0xC100};
  Tensor x = T_<float>({10}, std::vector<float>(std::begin(vals), std::end(vals)));
  Tensor r = Run1(CastTo(DType::kFloat16), {x});
  ASSERT_EQ(r.dtype(), DType::kFloat16);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(r.data<uint16_t>()[i], want[i]) << "value " << vals[i];
  Tensor n = Run1(CastTo(DType::kFloat16), {T_<float>({1}, {NAN})});
  EXPECT_TRUE(std::isnan(HalfToFloat(n.data<uint16_t>()[0])));
}

TEST(Cast, RandomFloatAndDoubleToFloat16MatchBruteForce) {
  std::mt19937 rng(7);
  const int n = 20000;
  Tensor f(DType::kFloat32, {n}), d(DType::kFloat64, {n});
  for (int i = 0; i < n; ++i) {
    // Exponents spanning subnormal halves to overflow; random mantissa bits.
    double m = std::uniform_real_distribution<double>(1, 2)(rng);
    int e = std::uniform_int_distribution<int>(-28, 17)(rng);
    double v = std::ldexp(m, e) * ((rng() & 1) ? 1 : -1);
    f.data<float>()[i] = static_cast<float>(v);
    d.data<double>()[i] = v;
  }
  Tensor rf = Run1(CastTo(DType::kFloat16), {f});
  Tensor rd = Run1(CastTo(DType::kFloat16), {d});
  int bad_f = 0, bad_d = 0;
  for (int i = 0; i < n; ++i) {
    bad_f += rf.data<uint16_t>()[i] != NaiveToHalf(f.data<float>()[i]);
    bad_d += rd.data<uint16_t>()[i] != NaiveToHalf(d.data<double>()[i]);
  }
  EXPECT_EQ(bad_f, 0);
  EXPECT_EQ(bad_d, 0);
}

TEST(Cast, DoubleToFloat16RoundsOnce) {
  // Just above the midpoint of 1 and 1 + 2^-10: double -> float -> half would land exactly
  // on the midpoint and round down to 1.
  Tensor x = T_<double>({2}, {1 + 0x1p-11 + 0x1p-40, 1e6});
  Tensor r = Run1(CastTo(DType::kFloat16), {x});
  EXPECT_EQ(r.data<uint16_t>()[0], 0x3C01);
  EXPECT_EQ(r.data<uint16_t>()[1], 0x7C00);
}

TEST(Cast, Float16ToEveryCodeIsExact) {
  Tensor h(DType::kFloat16, {65536});
  for (int i = 0; i < 65536; ++i) h.data<uint16_t>()[i] = static_cast<uint16_t>(i);
  Tensor f = Run1(CastTo(DType::kFloat32), {h});
  Tensor d = Run1(CastTo(DType::kFloat64), {h});
  int bad = 0;
  for (int i = 0; i < 65536; ++i) {
    double want = NaiveHalfValue(static_cast<uint16_t>(i));
    double gf = f.data<float>()[i], gd = d.data<double>()[i];
    if (std::isnan(want)) {
      bad += !std::isnan(gf) || !std::isnan(gd);
    } else {
      bad += gf != want || gd != want || std::signbit(gf) != std::signbit(want);
    }
  }
  EXPECT_EQ(bad, 0);
  Tensor i32 = Run1(CastTo(DType::kInt32), {h.Reshaped({65536})});
  EXPECT_EQ(i32.data<int32_t>()[0x4100], 2);    // 2.5 truncates
  EXPECT_EQ(i32.data<int32_t>()[0xC100], -2);   // -2.5
}

TEST(Cast, FloatToIntTruncatesTowardZero) {
  Tensor x = T_<float>({6}, {1.9f, -1.9f, 2.5f, -2.5f, 0.f, -0.99f});
  EXPECT_TRUE(TensorsNear(Run1(CastTo(DType::kInt32), {x}), T_<int32_t>({6}, {1, -1, 2, -2, 0, 0})));
  EXPECT_TRUE(TensorsNear(Run1(CastTo(DType::kInt64), {x}), T_<int64_t>({6}, {1, -1, 2, -2, 0, 0})));
  Tensor d = T_<double>({3}, {1e10, -7.99, 123456789.7});
  EXPECT_TRUE(TensorsNear(Run1(CastTo(DType::kInt64), {d}), T_<int64_t>({3}, {10000000000, -7, 123456789})));
}

TEST(Cast, FloatToIntOutOfRangeIsDefined) {
  constexpr int32_t kMin32 = std::numeric_limits<int32_t>::min();
  Tensor x = T_<float>({4}, {3e9f, -3e9f, NAN, INFINITY});
  EXPECT_TRUE(TensorsNear(Run1(CastTo(DType::kInt32), {x}), T_<int32_t>({4}, {kMin32, kMin32, kMin32, kMin32})));
  // Narrow unsigned targets wrap, as C on x86 (and numpy) do.
  Tensor y = T_<float>({4}, {-1.f, 300.f, 255.9f, -0.5f});
  EXPECT_TRUE(TensorsNear(Run1(CastTo(DType::kUInt8), {y}), T_<uint8_t>({4}, {255, 44, 255, 0})));
  Tensor z = T_<double>({2}, {1.8446744073709552e19 / 2 * 1.5, -1.0});
  Tensor u64 = Run1(CastTo(DType::kUInt64), {z});
  EXPECT_EQ(u64.data<uint64_t>()[0], 13835058055282163712ull);
  EXPECT_EQ(u64.data<uint64_t>()[1], std::numeric_limits<uint64_t>::max());
}

TEST(Cast, IntegerAndBoolConversions) {
  Tensor big = T_<int64_t>({3}, {(int64_t{1} << 32) + 5, -1, 16777217});
  EXPECT_TRUE(TensorsNear(Run1(CastTo(DType::kInt32), {big}), T_<int32_t>({3}, {5, -1, 16777217})));
  EXPECT_TRUE(TensorsNear(Run1(CastTo(DType::kUInt16), {big}), T_<uint16_t>({3}, {5, 65535, 1})));
  Tensor f = Run1(CastTo(DType::kFloat32), {big});
  EXPECT_EQ(f.data<float>()[2], 16777216.f);  // nearest float
  Tensor x = T_<float>({5}, {0.f, -0.f, 0.1f, NAN, -3.f});
  EXPECT_TRUE(TensorsNear(Run1(CastTo(DType::kBool), {x}), Bools({5}, {0, 0, 1, 1, 1})));
  Tensor b = Bools({2}, {0, 1});
  EXPECT_TRUE(TensorsNear(Run1(CastTo(DType::kFloat32), {b}), T_<float>({2}, {0, 1})));
  EXPECT_TRUE(TensorsNear(Run1(CastTo(DType::kInt64), {b}), T_<int64_t>({2}, {0, 1})));
  Tensor h = Run1(CastTo(DType::kFloat16), {b});
  EXPECT_EQ(h.data<uint16_t>()[1], 0x3C00);
  Tensor i = T_<int32_t>({3}, {0, 7, -2});
  EXPECT_TRUE(TensorsNear(Run1(CastTo(DType::kBool), {i}), Bools({3}, {0, 1, 1})));
}

TEST(Cast, SameTypeCopies) {
  Tensor x = T_<float>({2}, {1, 2});
  Tensor r = Run1(CastTo(DType::kFloat32, 6), {x});
  EXPECT_TRUE(TensorsNear(r, x, 0, 0));
  EXPECT_NE(r.raw_data(), x.raw_data());
}

TEST(Cast, RandomIntegerRoundTrip) {
  Tensor x = Random<int32_t>({50000}, 3, -100000, 100000);
  Tensor d = Run1(CastTo(DType::kFloat64), {x});
  EXPECT_TRUE(TensorsNear(Run1(CastTo(DType::kInt32), {d}), x));
  Tensor f = Random<float>({50000}, 4, -1000, 1000);
  Tensor t = Run1(CastTo(DType::kInt16), {f});
  int bad = 0;
  for (int64_t k = 0; k < f.numel(); ++k)
    bad += t.data<int16_t>()[k] != static_cast<int16_t>(std::trunc(f.data<float>()[k]));
  EXPECT_EQ(bad, 0);
}

TEST(CastLike, TakesTargetTypeFromSecondInput) {
  Tensor x = T_<float>({3}, {1.7f, -1.7f, 0.f});
  Tensor like = T_<int64_t>({1}, {0});
  EXPECT_TRUE(TensorsNear(Run1(Spec("CastLike", 15), {x, like}), T_<int64_t>({3}, {1, -1, 0})));
  Tensor h = Run1(Spec("CastLike", 19), {x, Tensor(DType::kFloat16, {0})});
  EXPECT_EQ(h.dtype(), DType::kFloat16);
}

TEST(Cast, UnsupportedAndInvalidTargets) {
  Tensor x = T_<float>({1}, {1});
  for (int64_t to : {8, 16, 17, 19, 21}) {
    auto r = test::RunKernel(RegisterElementwiseKernels, Spec("Cast", 19, {{"to", AInt(to)}}), {x});
    ASSERT_FALSE(r.ok()) << to;
    EXPECT_TRUE(r.status().IsNotSupported()) << to << ": " << r.status().ToString();
  }
  auto r = test::RunKernel(RegisterElementwiseKernels, Spec("Cast", 13, {{"to", AInt(99)}}), {x});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  r = test::RunKernel(RegisterElementwiseKernels, Spec("Cast", 13), {x});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("'to'"), std::string::npos);
}

}  // namespace
}  // namespace litemp
