// Unary math and activation kernels: literal cases, integer and float16 handling, NHWC, and a
// randomized comparison with double-precision formulas written out independently.
#include <bit>
#include <cmath>
#include <functional>
#include <limits>

#include "kernels/elementwise/ew_test_util.h"
#include "kernels/elementwise/reference.h"
#include "kernels/vec_math.h"

namespace litemp {
namespace {

using namespace ewtest;  // NOLINT

const float kNan = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

TEST(UnaryMath, Literals) {
  auto check = [](const char* op, std::vector<float> x, std::vector<float> want) {
    Shape s = {static_cast<int64_t>(x.size())};
    EXPECT_TRUE(TensorsNear(Run1(Spec(op, 13), {T_<float>(s, x)}), T_<float>(s, want), 1e-6, 1e-6)) << op;
  };
  check("Abs", {-1.5f, 0, 2}, {1.5f, 0, 2});
  check("Neg", {-1.5f, 0, 2}, {1.5f, 0, -2});
  check("Sign", {-2, 0, 3, kNan}, {-1, 0, 1, kNan});
  check("Floor", {-1.5f, 1.5f, 2}, {-2, 1, 2});
  check("Ceil", {-1.5f, 1.5f, 2}, {-1, 2, 2});
  check("Round", {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 2.3f, -2.7f}, {0, 2, 2, -0.f, -2, 2, -3});
  check("Exp", {0, 1}, {1, 2.7182817f});
  check("Log", {1, 2.7182817f, 0}, {0, 1, -kInf});
  check("Sqrt", {4, 9, -1}, {2, 3, kNan});
  check("Reciprocal", {2, -4}, {0.5f, -0.25f});
  check("Sin", {0, 1.5707964f}, {0, 1});
  check("Cos", {0, 3.1415927f}, {1, -1});
  check("Tanh", {0, 50, -50}, {0, 1, -1});
  check("Erf", {0, 1, -1}, {0, 0.84270079f, -0.84270079f});
  check("Sigmoid", {0, -100, 100}, {0.5f, 0, 1});
  check("Softplus", {0, 100, -100}, {0.69314718f, 100, 0});
  check("Softsign", {1, -3}, {0.5f, -0.75f});
  check("HardSwish", {-4, 0, 1, 4}, {0, 0, 2.f / 3, 4});
}

TEST(UnaryMath, IntegerOps) {
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  Tensor x = T_<int32_t>({4}, {-3, 0, 7, kMin});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Abs", 13), {x}), T_<int32_t>({4}, {3, 0, 7, kMin})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Neg", 13), {x}), T_<int32_t>({4}, {3, 0, -7, kMin})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Sign", 13), {x}), T_<int32_t>({4}, {-1, 0, 1, -1})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Relu", 14), {x}), T_<int32_t>({4}, {0, 0, 7, 0})));
  Tensor u = T_<uint8_t>({3}, {0, 1, 200});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Sign", 13), {u}), T_<uint8_t>({3}, {0, 1, 1})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Abs", 13), {u}), u));
  Tensor i8 = T_<int8_t>({2}, {-128, -5});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Abs", 13), {i8}), T_<int8_t>({2}, {-128, 5})));
}

TEST(UnaryMath, FloatOnlyOpsRejectIntegers) {
  for (const char* op : {"Exp", "Sigmoid", "Floor", "LeakyRelu", "Gelu"}) {
    auto r = test::RunKernel(RegisterElementwiseKernels, Spec(op, 20), {T_<int32_t>({1}, {1})});
    ASSERT_FALSE(r.ok()) << op;
    EXPECT_TRUE(r.status().IsNotSupported()) << op << ": " << r.status().ToString();
  }
}

TEST(UnaryMath, Float16RoundTrips) {
  Tensor x(DType::kFloat16, {3});
  const float v[] = {-2.f, 0.f, 4.f};
  for (int i = 0; i < 3; ++i) x.data<uint16_t>()[i] = FloatToHalf(v[i]);
  Tensor r = Run1(Spec("Sqrt", 13), {x});
  ASSERT_EQ(r.dtype(), DType::kFloat16);
  EXPECT_TRUE(std::isnan(HalfToFloat(r.data<uint16_t>()[0])));
  EXPECT_EQ(HalfToFloat(r.data<uint16_t>()[1]), 0.f);
  EXPECT_EQ(HalfToFloat(r.data<uint16_t>()[2]), 2.f);
  Tensor n = Run1(Spec("Relu", 14), {x});
  EXPECT_EQ(HalfToFloat(n.data<uint16_t>()[0]), 0.f);
  EXPECT_EQ(HalfToFloat(n.data<uint16_t>()[2]), 4.f);
}

// The ops with an array form for float32 (kernels/vec_math.h) give, on float32, exactly the
// array functions' bits and, on float16, those of float32 rounded back; Gelu's tanh form
// keeps its scalar formula.
TEST(UnaryMath, ArrayFormsOnFloat32AndFloat16) {
  Tensor x = Random<float>({3, 257}, 9, -12, 12);
  const int64_t n = x.numel();
  struct Case {
    NodeSpec spec;
    void (*floats)(const float*, float*, int64_t);
  };
  const Case cases[] = {{Spec("Exp", 13), ExpFloats},
                        {Spec("Erf", 13), ErfFloats},
                        {Spec("Sigmoid", 13), SigmoidFloats},
                        {Spec("Gelu", 20), GeluErfFloats}};
  for (const Case& c : cases) {
    std::vector<float> want(n);
    c.floats(x.data<float>(), want.data(), n);
    Tensor y = Run1(c.spec, {x});
    ASSERT_EQ(y.dtype(), DType::kFloat32);
    for (int64_t i = 0; i < n; ++i)
      ASSERT_EQ(std::bit_cast<uint32_t>(y.data<float>()[i]), std::bit_cast<uint32_t>(want[i])) << c.spec.op_type << " " << i;
    Tensor h(DType::kFloat16, x.shape());
    for (int64_t i = 0; i < n; ++i) h.data<uint16_t>()[i] = FloatToHalf(x.data<float>()[i]);
    std::vector<float> hf(n), hwant(n);
    for (int64_t i = 0; i < n; ++i) hf[i] = HalfToFloat(h.data<uint16_t>()[i]);
    c.floats(hf.data(), hwant.data(), n);
    Tensor yh = Run1(c.spec, {h});
    ASSERT_EQ(yh.dtype(), DType::kFloat16);
    for (int64_t i = 0; i < n; ++i) ASSERT_EQ(yh.data<uint16_t>()[i], FloatToHalf(hwant[i])) << c.spec.op_type << " " << i;
  }
  Tensor t = Run1(Spec("Gelu", 20, {{"approximate", AString("tanh")}}), {x});
  for (int64_t i = 0; i < n; ++i) {
    const float v = x.data<float>()[i];
    const float k = 0.7978845608028654f;
    ASSERT_EQ(t.data<float>()[i], 0.5f * v * (1.f + std::tanh(k * (v + 0.044715f * v * v * v)))) << i;
  }
}

TEST(Activation, LiteralsWithDefaultsAndAttributes) {
  auto check = [](NodeSpec spec, std::vector<float> x, std::vector<float> want) {
    Shape s = {static_cast<int64_t>(x.size())};
    EXPECT_TRUE(TensorsNear(Run1(spec, {T_<float>(s, x)}), T_<float>(s, want), 1e-6, 1e-5)) << spec.op_type;
  };
  check(Spec("LeakyRelu", 16), {-1, 2}, {-0.01f, 2});
  check(Spec("LeakyRelu", 16, {{"alpha", AFloat(0.1f)}}), {-1, 2}, {-0.1f, 2});
  check(Spec("HardSigmoid", 6), {-3, 0, 1, 3}, {0, 0.5f, 0.7f, 1});
  check(Spec("HardSigmoid", 6, {{"alpha", AFloat(0.5f)}, {"beta", AFloat(0.f)}}), {-1, 1, 3}, {0, 0.5f, 1});
  check(Spec("Elu", 6), {-1, 1}, {-0.63212056f, 1});
  check(Spec("Elu", 6, {{"alpha", AFloat(2.f)}}), {-1, 1}, {-1.26424112f, 1});
  check(Spec("Selu", 6), {-1, 0, 1}, {-1.11133074f, 0, 1.05070099f});
  check(Spec("Selu", 6, {{"alpha", AFloat(2.f)}, {"gamma", AFloat(3.f)}}), {-1, 1}, {-3.79272342f, 3});
  check(Spec("Celu", 12), {-1, 1}, {-0.63212056f, 1});
  check(Spec("Celu", 12, {{"alpha", AFloat(2.f)}}), {-1, 1}, {-0.78693868f, 1});
  check(Spec("ThresholdedRelu", 10), {0.5f, 1, 2}, {0, 0, 2});
  check(Spec("ThresholdedRelu", 10, {{"alpha", AFloat(0.2f)}}), {0.1f, 0.5f}, {0, 0.5f});
  check(Spec("Gelu", 20), {-1, 0, 1, 3}, {-0.15865525f, 0, 0.84134475f, 2.99595031f});
  check(Spec("Gelu", 20, {{"approximate", AString("tanh")}}), {-1, 0, 1}, {-0.15880801f, 0, 0.84119199f});
}

TEST(Activation, ShrinkFloatAndInteger) {
  auto spec = Spec("Shrink", 9, {{"lambd", AFloat(1.5f)}, {"bias", AFloat(1.5f)}});
  EXPECT_TRUE(TensorsNear(Run1(spec, {T_<float>({5}, {-2, -1.5f, 0, 1.5f, 2})}),
                          T_<float>({5}, {-0.5f, 0, 0, 0, 0.5f})));
  EXPECT_TRUE(TensorsNear(Run1(spec, {T_<int32_t>({5}, {-3, -1, 0, 1, 3})}), T_<int32_t>({5}, {-1, 0, 0, 0, 1})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Shrink", 9), {T_<int8_t>({3}, {-1, 0, 1})}), T_<int8_t>({3}, {-1, 0, 1})));
}

TEST(Activation, RejectsBadAttributes) {
  auto r = test::RunKernel(RegisterElementwiseKernels, Spec("Gelu", 20, {{"approximate", AString("fast")}}),
                           {T_<float>({1}, {1})});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("fast"), std::string::npos);
}

TEST(Classify, IsNanAndIsInf) {
  Tensor x = T_<float>({5}, {kNan, kInf, -kInf, 0, 1});
  EXPECT_TRUE(TensorsNear(Run1(Spec("IsNaN", 13), {x}), Bools({5}, {1, 0, 0, 0, 0})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("IsInf", 10), {x}), Bools({5}, {0, 1, 1, 0, 0})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("IsInf", 10, {{"detect_negative", AInt(0)}}), {x}), Bools({5}, {0, 1, 0, 0, 0})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("IsInf", 10, {{"detect_positive", AInt(0)}}), {x}), Bools({5}, {0, 0, 1, 0, 0})));
  Tensor d = T_<double>({2}, {std::nan(""), 2});
  EXPECT_TRUE(TensorsNear(Run1(Spec("IsNaN", 13), {d}), Bools({2}, {1, 0})));
}

struct UnaryCase {
  NodeSpec spec;
  std::function<double(double)> ref;
  double lo, hi;
};

std::vector<UnaryCase> UnaryCases() {
  const double sa = 1.67326319217681884765625, sg = 1.05070102214813232421875;
  return {
      {Spec("Relu"), [](double x) { return x > 0 ? x : 0; }, -3, 3},
      {Spec("Abs"), [](double x) { return std::fabs(x); }, -3, 3},
      {Spec("Neg"), [](double x) { return -x; }, -3, 3},
      {Spec("Floor"), [](double x) { return std::floor(x); }, -3, 3},
      {Spec("Exp"), [](double x) { return std::exp(x); }, -5, 5},
      {Spec("Log"), [](double x) { return std::log(x); }, 0.01, 10},
      {Spec("Sqrt"), [](double x) { return std::sqrt(x); }, 0, 10},
      {Spec("Reciprocal"), [](double x) { return 1 / x; }, 0.5, 10},
      {Spec("Sin"), [](double x) { return std::sin(x); }, -6, 6},
      {Spec("Cos"), [](double x) { return std::cos(x); }, -6, 6},
      {Spec("Tanh"), [](double x) { return std::tanh(x); }, -5, 5},
      {Spec("Tan"), [](double x) { return std::tan(x); }, -1.4, 1.4},
      {Spec("Asin"), [](double x) { return std::asin(x); }, -1, 1},
      {Spec("Acos"), [](double x) { return std::acos(x); }, -1, 1},
      {Spec("Atan"), [](double x) { return std::atan(x); }, -10, 10},
      {Spec("Sinh"), [](double x) { return std::sinh(x); }, -5, 5},
      {Spec("Cosh"), [](double x) { return std::cosh(x); }, -5, 5},
      {Spec("Asinh"), [](double x) { return std::asinh(x); }, -10, 10},
      {Spec("Acosh"), [](double x) { return std::acosh(x); }, 1, 10},
      {Spec("Atanh"), [](double x) { return std::atanh(x); }, -0.99, 0.99},
      {Spec("Mish", 18), [](double x) { return x * std::tanh(std::log1p(std::exp(x))); }, -6, 6},
      {Spec("Shrink", 9), [](double x) { return x < -0.5 ? x : x > 0.5 ? x : 0; }, -2, 2},
      {Spec("Erf"), [](double x) { return std::erf(x); }, -3, 3},
      {Spec("Sigmoid"), [](double x) { return 1 / (1 + std::exp(-x)); }, -8, 8},
      {Spec("Softplus"), [](double x) { return std::log(std::exp(x) + 1); }, -8, 8},
      {Spec("Softsign"), [](double x) { return x / (1 + std::fabs(x)); }, -5, 5},
      {Spec("HardSwish", 14), [](double x) { return x * std::max(0.0, std::min(1.0, x / 6 + 0.5)); }, -5, 5},
      {Spec("LeakyRelu"), [](double x) { return x < 0 ? double(0.01f) * x : x; }, -3, 3},
      {Spec("HardSigmoid"), [](double x) { return std::max(0.0, std::min(1.0, double(0.2f) * x + 0.5)); }, -5, 5},
      {Spec("Elu"), [](double x) { return x < 0 ? std::exp(x) - 1 : x; }, -3, 3},
      {Spec("Selu"), [=](double x) { return x > 0 ? sg * x : sg * (sa * std::exp(x) - sa); }, -3, 3},
      {Spec("Celu"), [](double x) { return std::max(0.0, x) + std::min(0.0, std::exp(x) - 1); }, -3, 3},
      {Spec("ThresholdedRelu"), [](double x) { return x > 1 ? x : 0; }, -3, 3},
      {Spec("Gelu", 20), [](double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }, -4, 4},
      {Spec("Gelu", 20, {{"approximate", AString("tanh")}}),
       [](double x) { return 0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x))); }, -4, 4},
  };
}

TEST(Unary, RandomMatchesDoubleFormulasInBothLayouts) {
  uint32_t seed = 1;
  for (const UnaryCase& c : UnaryCases()) {
    for (const Shape& shape : {Shape{17}, Shape{2, 3, 5, 7}, Shape{4, 32, 24, 24}}) {
      Tensor x = Random<float>(shape, ++seed, c.lo, c.hi);
      Tensor want = ReferenceUnary<float, float>(x, [&](float v) { return static_cast<float>(c.ref(v)); });
      EXPECT_TRUE(TensorsNear(Run1(c.spec, {x}), want, 1e-6, 2e-5)) << c.spec.op_type << ShapeToString(shape);
      Tensor xd = Random<double>(shape, seed, c.lo, c.hi);
      Tensor wantd = ReferenceUnary<double, double>(xd, c.ref);
      EXPECT_TRUE(TensorsNear(Run1(c.spec, {xd}), wantd, 1e-12, 1e-10)) << c.spec.op_type << " double";
      if (shape.size() == 4) {
        auto r = RunRaw(c.spec, {ToNhwc(x)});
        ASSERT_TRUE(r.ok()) << c.spec.op_type << ": " << r.status().ToString();
        EXPECT_EQ(r.value()[0].layout(), Layout::kNhwc) << c.spec.op_type;
        EXPECT_TRUE(TensorsNear(r.value()[0], want, 1e-6, 2e-5)) << c.spec.op_type << " NHWC";
      }
    }
  }
}

}  // namespace
}  // namespace litemp
