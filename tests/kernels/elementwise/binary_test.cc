// Add, Sub, Mul, Div, Pow, Mod: literal cases, NHWC handling and randomized comparison with
// the naive broadcasting reference.
#include <limits>

#include "core/parallel.h"
#include "kernels/elementwise/binary_ops.h"
#include "kernels/elementwise/reference.h"
#include "kernels/elementwise/ew_test_util.h"

namespace litemp {
namespace {

using namespace ewtest;  // NOLINT

TEST(Add, BroadcastsTrailingDims) {
  Tensor a = T_<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor b = T_<float>({3}, {10, 20, 30});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Add"), {a, b}), T_<float>({2, 3}, {11, 22, 33, 14, 25, 36})));
}

TEST(Add, Broadcasts234With31) {
  Tensor a = Random<float>({2, 3, 4}, 1);
  Tensor b = T_<float>({3, 1}, {100, 200, 300});
  Tensor want(DType::kFloat32, {2, 3, 4});
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k)
        want.data<float>()[(i * 3 + j) * 4 + k] = a.data<float>()[(i * 3 + j) * 4 + k] + b.data<float>()[j];
  EXPECT_TRUE(TensorsNear(Run1(Spec("Add"), {a, b}), want, 0, 0));
  // Operands swapped give the same result.
  EXPECT_TRUE(TensorsNear(Run1(Spec("Add"), {b, a}), want, 0, 0));
}

TEST(Add, OuterProductShape) {
  Tensor a = T_<int64_t>({3, 1}, {1, 2, 3});
  Tensor b = T_<int64_t>({1, 2}, {10, 20});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Add"), {a, b}), T_<int64_t>({3, 2}, {11, 21, 12, 22, 13, 23})));
}

TEST(Mul, ScalarOperand) {
  Tensor a = T_<float>({2, 2}, {1, -2, 3, -4});
  Tensor s = Tensor::Scalar<float>(3.f);
  EXPECT_TRUE(TensorsNear(Run1(Spec("Mul"), {a, s}), T_<float>({2, 2}, {3, -6, 9, -12})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Mul"), {s, a}), T_<float>({2, 2}, {3, -6, 9, -12})));
  // Two scalars give a scalar.
  Tensor r = Run1(Spec("Mul"), {s, Tensor::Scalar<float>(2.f)});
  EXPECT_EQ(r.rank(), 0);
  EXPECT_EQ(r.data<float>()[0], 6.f);
}

TEST(Sub, IntegerOverflowWraps) {
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  Tensor a = T_<int32_t>({2}, {kMin, 5});
  Tensor b = T_<int32_t>({2}, {1, 7});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Sub"), {a, b}), T_<int32_t>({2}, {std::numeric_limits<int32_t>::max(), -2})));
}

TEST(Div, IntegerTruncatesTowardZero) {
  Tensor a = T_<int32_t>({4}, {7, -7, 7, -7});
  Tensor b = T_<int32_t>({4}, {2, 2, -2, -2});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Div"), {a, b}), T_<int32_t>({4}, {3, -3, -3, 3})));
  Tensor c = T_<int64_t>({3}, {9, -9, 1});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Div"), {c, Tensor::Scalar<int64_t>(4)}), T_<int64_t>({3}, {2, -2, 0})));
  Tensor u = T_<uint8_t>({2}, {250, 7});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Div"), {u, T_<uint8_t>({2}, {7, 2})}), T_<uint8_t>({2}, {35, 3})));
}

TEST(Div, IntegerEdgeCasesDoNotTrap) {
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  Tensor a = T_<int32_t>({2}, {kMin, 5});
  Tensor b = T_<int32_t>({2}, {-1, 0});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Div"), {a, b}), T_<int32_t>({2}, {kMin, 0})));
}

TEST(Div, Float) {
  Tensor a = T_<double>({3}, {1, -3, 1});
  Tensor b = T_<double>({3}, {4, 2, 0});
  Tensor r = Run1(Spec("Div"), {a, b});
  EXPECT_EQ(r.data<double>()[0], 0.25);
  EXPECT_EQ(r.data<double>()[1], -1.5);
  EXPECT_EQ(r.data<double>()[2], std::numeric_limits<double>::infinity());
}

TEST(Mod, IntegerTakesDivisorSign) {
  Tensor a = T_<int64_t>({6}, {-4, 7, 5, 4, -7, 8});
  Tensor b = T_<int64_t>({6}, {2, -3, 8, -2, 3, 5});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Mod"), {a, b}), T_<int64_t>({6}, {0, -2, 5, 0, 2, 3})));
  Tensor a8 = T_<int8_t>({4}, {-4, 7, -7, 8});
  Tensor b8 = T_<int8_t>({4}, {3, -3, -3, -5});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Mod"), {a8, b8}), T_<int8_t>({4}, {2, -2, -1, -2})));
}

TEST(Mod, FmodTakesDividendSign) {
  auto spec = Spec("Mod", 13, {{"fmod", AInt(1)}});
  Tensor a = T_<int32_t>({6}, {-4, 7, 5, 4, -7, 8});
  Tensor b = T_<int32_t>({6}, {2, -3, 8, -2, 3, 5});
  EXPECT_TRUE(TensorsNear(Run1(spec, {a, b}), T_<int32_t>({6}, {0, 1, 5, 0, -1, 3})));
  Tensor fa = T_<float>({3}, {-4.5f, 7.5f, 5.f});
  Tensor fb = T_<float>({3}, {2.f, -2.f, 8.f});
  EXPECT_TRUE(TensorsNear(Run1(spec, {fa, fb}), T_<float>({3}, {-0.5f, 1.5f, 5.f}), 0, 0));
}

TEST(Mod, FloatWithoutFmodIsAnError) {
  auto r = test::RunKernel(RegisterElementwiseKernels, Spec("Mod"), {T_<float>({1}, {1}), T_<float>({1}, {2})});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("fmod"), std::string::npos) << r.status().message();
}

TEST(Pow, FloatBaseFloatAndIntExponents) {
  Tensor x = T_<float>({3}, {1, 2, 3});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Pow"), {x, T_<float>({3}, {4, 5, 6})}), T_<float>({3}, {1, 32, 729})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Pow"), {x, T_<int64_t>({3}, {4, 5, 6})}), T_<float>({3}, {1, 32, 729})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Pow"), {x, T_<int32_t>({1}, {-1})}), T_<float>({3}, {1, 0.5f, 1 / 3.f})));
  // Square fast path (scalar exponent 2), including a negative base.
  Tensor y = T_<float>({3}, {-1.5f, 0.f, 3.f});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Pow"), {y, Tensor::Scalar<float>(2.f)}), T_<float>({3}, {2.25f, 0, 9}), 0, 0));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Pow"), {y, Tensor::Scalar<double>(0.5)}),
                          T_<float>({3}, {std::numeric_limits<float>::quiet_NaN(), 0.f, std::sqrt(3.f)})));
}

TEST(Pow, IntegerBase) {
  Tensor x = T_<int32_t>({4}, {2, 3, -2, 2});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Pow"), {x, T_<int32_t>({4}, {3, 2, 3, -1})}), T_<int32_t>({4}, {8, 9, -8, 0})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Pow"), {x, T_<float>({4}, {3, 2, 3, 0.5f})}), T_<int32_t>({4}, {8, 9, -8, 1})));
  Tensor big = T_<int64_t>({1}, {3});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Pow"), {big, T_<int64_t>({1}, {39})}), T_<int64_t>({1}, {4052555153018976267})));
}

TEST(Add, Float16ComputesInFloat) {
  Tensor a(DType::kFloat16, {3}), b(DType::kFloat16, {3});
  const float av[] = {1.f, 0.5f, 2048.f}, bv[] = {2.f, 0.25f, 1.f};
  for (int i = 0; i < 3; ++i) {
    a.data<uint16_t>()[i] = FloatToHalf(av[i]);
    b.data<uint16_t>()[i] = FloatToHalf(bv[i]);
  }
  Tensor r = Run1(Spec("Add"), {a, b});
  ASSERT_EQ(r.dtype(), DType::kFloat16);
  EXPECT_EQ(HalfToFloat(r.data<uint16_t>()[0]), 3.f);
  EXPECT_EQ(HalfToFloat(r.data<uint16_t>()[1]), 0.75f);
  EXPECT_EQ(HalfToFloat(r.data<uint16_t>()[2]), 2048.f);  // 2049 rounds to even
}

TEST(Add, RejectsBadInputs) {
  auto r = test::RunKernel(RegisterElementwiseKernels, Spec("Add"), {Random<float>({2, 3}, 1), Random<float>({4}, 2)});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("[2,3]"), std::string::npos) << r.status().message();
  r = test::RunKernel(RegisterElementwiseKernels, Spec("Add"), {Random<float>({2}, 1), Random<int32_t>({2}, 2)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  r = test::RunKernel(RegisterElementwiseKernels, Spec("Add"), {Random<bool>({2}, 1), Random<bool>({2}, 2)});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotSupported());
}

TEST(Add, NhwcSameShapeKeepsLayout) {
  Tensor a = Random<float>({2, 3, 4, 5}, 3), b = Random<float>({2, 3, 4, 5}, 4);
  auto r = RunRaw(Spec("Add"), {ToNhwc(a), ToNhwc(b)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r.value()[0].layout(), Layout::kNhwc);
  EXPECT_TRUE(TensorsNear(r.value()[0], ReferenceBinary<float, float, float>(a, b, AddOp{}), 0, 0));
}

TEST(Mul, NhwcWithScalarKeepsLayout) {
  Tensor a = Random<float>({1, 8, 3, 3}, 5);
  for (Tensor s : {Tensor::Scalar<float>(0.5f), T_<float>({1, 1, 1, 1}, {0.5f}), T_<float>({1}, {0.5f})}) {
    auto r = RunRaw(Spec("Mul"), {ToNhwc(a), s});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r.value()[0].layout(), Layout::kNhwc);
    EXPECT_TRUE(TensorsNear(r.value()[0], ReferenceBinary<float, float, float>(a, s, MulOp{}), 0, 0));
  }
}

TEST(Add, NhwcWithPerChannelBias) {
  Tensor a = Random<float>({2, 5, 3, 4}, 6);
  Tensor bias = Random<float>({5, 1, 1}, 7);
  auto r = RunRaw(Spec("Add"), {ToNhwc(a), bias});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r.value()[0].layout(), Layout::kNhwc);
  EXPECT_TRUE(TensorsNear(r.value()[0], ReferenceBinary<float, float, float>(a, bias, AddOp{}), 0, 0));
}

// Every mix of plain, NHWC and blocked operands, same shape or broadcast per channel: the
// output is blocked when an operand of the output's shape is, and the values are exact.
TEST(Add, BlockedOperandsInAnyMix) {
  Tensor a = Random<float>({2, 16, 3, 5}, 11), b = Random<float>({2, 16, 3, 5}, 12);
  Tensor bias = Random<float>({16, 1, 1}, 13), row = Random<float>({2, 16, 1, 5}, 14);
  auto as = [](const Tensor& t, int l) { return l == 0 ? t : l == 1 ? ToNhwc(t) : ToNchw8c(t); };
  for (int la = 0; la < 3; ++la)
    for (int lb = 0; lb < 3; ++lb) {
      SCOPED_TRACE(std::to_string(la) + "," + std::to_string(lb));
      auto r = RunRaw(Spec("Add"), {as(a, la), as(b, lb)});
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      Layout want = la == 2 || lb == 2 ? Layout::kNchw8c : la == 1 || lb == 1 ? Layout::kNhwc : Layout::kPlain;
      EXPECT_EQ(r.value()[0].layout(), want);
      EXPECT_TRUE(TensorsNear(r.value()[0], ReferenceBinary<float, float, float>(a, b, AddOp{}), 0, 0));
      // A broadcast operand (plain, or NHWC when rank 4) against a blocked one.
      Tensor small = lb == 0 ? bias : as(row, lb);
      Tensor small_plain = lb == 0 ? bias : row;
      r = RunRaw(Spec("Sub"), {small, ToNchw8c(a)});
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(r.value()[0].layout(), Layout::kNchw8c);
      EXPECT_TRUE(TensorsNear(r.value()[0], ReferenceBinary<float, float, float>(small_plain, a, SubOp{}), 0, 0));
    }
  // A blocked operand broadcast into a rank-5 output.
  Tensor five = Random<float>({3, 1, 1, 1, 1}, 15);
  auto r = RunRaw(Spec("Mul"), {ToNchw8c(a), five});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r.value()[0].layout(), Layout::kPlain);
  EXPECT_TRUE(TensorsNear(r.value()[0], ReferenceBinary<float, float, float>(a, five, MulOp{}), 0, 0));
}

// A squeeze-and-excite scale: a channel-blocked tensor times one value per sample and
// channel (rows of 8 lanes, a block of rows at a time), large enough for the threads to
// split the rows mid-plane; either operand order, and one value per channel only.
TEST(Mul, BlockedTimesPerChannelScale) {
  const int threads = NumThreads();
  const Tensor x = Random<float>({5, 40, 29, 31}, 21);  // 25 planes of 899 rows
  const Tensor per_sample = Random<float>({5, 40, 1, 1}, 22), per_channel = Random<float>({40, 1, 1}, 23);
  for (int t : {1, 2, 3}) {
    SetNumThreads(t);
    for (const Tensor* s : {&per_sample, &per_channel}) {
      SCOPED_TRACE(std::to_string(t) + " threads, scale rank " + std::to_string(s->rank()));
      auto r = RunRaw(Spec("Mul"), {ToNchw8c(x), *s});
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(r.value()[0].layout(), Layout::kNchw8c);
      EXPECT_TRUE(TensorsNear(r.value()[0], ReferenceBinary<float, float, float>(x, *s, MulOp{}), 0, 0));
      r = RunRaw(Spec("Div"), {*s, ToNchw8c(x)});
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_TRUE(TensorsNear(r.value()[0], ReferenceBinary<float, float, float>(*s, x, DivOp{}), 0, 0));
    }
  }
  SetNumThreads(threads);
}

TEST(Sub, NhwcMixedShapesAndLayouts) {
  Tensor big = Random<float>({2, 5, 3, 4}, 8);
  Tensor small = Random<float>({2, 5, 1, 1}, 9);
  // NHWC operand broadcast into a plain output, and plain x NHWC of equal shape.
  for (bool big_nhwc : {false, true}) {
    Tensor x = big_nhwc ? ToNhwc(big) : big;
    auto r = RunRaw(Spec("Sub"), {ToNhwc(small), x});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r.value()[0].layout(), big_nhwc ? Layout::kNhwc : Layout::kPlain);
    EXPECT_TRUE(TensorsNear(r.value()[0], ReferenceBinary<float, float, float>(small, big, SubOp{}), 0, 0));
  }
  auto r = RunRaw(Spec("Sub"), {big, ToNhwc(big)});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(TensorsNear(r.value()[0], Tensor::Zeros(DType::kFloat32, big.shape()), 0, 0));
  // A rank-5 output cannot be NHWC.
  Tensor five = Random<float>({2, 1, 1, 1, 1}, 10);
  r = RunRaw(Spec("Sub"), {ToNhwc(small), five});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value()[0].layout(), Layout::kPlain);
  EXPECT_TRUE(TensorsNear(r.value()[0], ReferenceBinary<float, float, float>(small, five, SubOp{}), 0, 0));
}

TEST(Add, InputsAreNotModified) {
  Tensor a = Random<float>({64, 64}, 11), b = Random<float>({64, 64}, 12);
  Tensor a0 = a.Clone(), b0 = b.Clone();
  Run1(Spec("Add"), {a, b});
  EXPECT_TRUE(TensorsNear(a, a0, 0, 0));
  EXPECT_TRUE(TensorsNear(b, b0, 0, 0));
}

// Shape pairs covering same-shape, scalar, row/column, middle-axis and mixed broadcasts, empty
// tensors and sizes large enough to run on several threads.
const std::vector<std::pair<Shape, Shape>> kShapePairs = {
    {{7}, {7}},           {{2, 3, 4}, {3, 1}},       {{2, 3, 4}, {}},         {{}, {5, 1}},
    {{3, 1, 5}, {1, 4, 1}}, {{4, 6, 1, 3}, {6, 2, 1}}, {{1, 1, 9}, {9}},        {{2, 0, 3}, {3}},
    {{2, 1, 3, 1, 2}, {2, 2, 1, 3, 1}}, {{4, 64, 32, 32}, {64, 1, 1}},          {{300, 300}, {300, 300}},
    {{128, 1}, {1, 512}}, {{3, 5, 7, 2}, {3, 5, 7, 2}},
};

template <class T, class Op>
void CheckAgainstReference(const char* op_type, Op op, double lo, double hi) {
  uint32_t seed = 100;
  for (const auto& [sa, sb] : kShapePairs) {
    Tensor a = Random<T>(sa, ++seed, lo, hi), b = Random<T>(sb, ++seed, lo, hi);
    if constexpr (!std::is_floating_point_v<T>) {  // keep integer divisors non-zero
      if (std::string(op_type) == "Div" || std::string(op_type) == "Mod")
        for (int64_t i = 0; i < b.numel(); ++i)
          if (b.data<T>()[i] == 0) b.data<T>()[i] = 3;
    }
    Tensor want = ReferenceBinary<T, T, T>(a, b, op);
    Tensor got = Run1(Spec(op_type), {a, b});
    EXPECT_TRUE(TensorsNear(got, want, 0, 0)) << op_type << " " << DTypeName(DTypeOf<T>()) << " "
                                              << ShapeToString(sa) << " x " << ShapeToString(sb);
    // Rank-4 float operands also in NHWC, in every layout combination.
    if constexpr (std::is_same_v<T, float>) {
      for (int mask = 1; mask < 4; ++mask) {
        if (((mask & 1) && sa.size() != 4) || ((mask & 2) && sb.size() != 4)) continue;
        Tensor xa = (mask & 1) ? ToNhwc(a) : a, xb = (mask & 2) ? ToNhwc(b) : b;
        auto r = RunRaw(Spec(op_type), {xa, xb});
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        EXPECT_TRUE(TensorsNear(r.value()[0], want, 0, 0)) << op_type << " layouts mask " << mask << " "
                                                           << ShapeToString(sa) << " x " << ShapeToString(sb);
      }
    }
  }
}

TEST(Binary, RandomFloatMatchesReference) {
  CheckAgainstReference<float>("Add", AddOp{}, -4, 4);
  CheckAgainstReference<float>("Sub", SubOp{}, -4, 4);
  CheckAgainstReference<float>("Mul", MulOp{}, -4, 4);
  CheckAgainstReference<float>("Div", DivOp{}, 0.5, 4);
  CheckAgainstReference<float>("Pow", PowOp{}, 0.5, 2);
}

TEST(Binary, RandomDoubleMatchesReference) {
  CheckAgainstReference<double>("Add", AddOp{}, -4, 4);
  CheckAgainstReference<double>("Div", DivOp{}, -4, 4);
}

TEST(Binary, RandomIntegersMatchReference) {
  CheckAgainstReference<int32_t>("Add", AddOp{}, -1000, 1000);
  CheckAgainstReference<int32_t>("Mul", MulOp{}, -1000, 1000);
  CheckAgainstReference<int32_t>("Div", DivOp{}, -1000, 1000);
  CheckAgainstReference<int64_t>("Sub", SubOp{}, -1000, 1000);
  CheckAgainstReference<int64_t>("Div", DivOp{}, -1000, 1000);
  CheckAgainstReference<int64_t>("Mod", ModOp{}, -1000, 1000);
  CheckAgainstReference<uint8_t>("Add", AddOp{}, 0, 255);
}

}  // namespace
}  // namespace litemp
