#include <algorithm>
#include <cmath>
#include <random>

#include "reduce_test_util.h"

namespace litemp {
namespace {

using test::AInt;
using test::AInts;
using test::NodeSpec;
using test::RunKernel;

Tensor F(std::vector<float> v, Shape s) { return Tensor::FromVector<float>(v, s); }
Tensor I64(std::vector<int64_t> v) { return Tensor::FromVector<int64_t>(v); }

// The spec examples' data: shape [3, 2, 2], values 1..12.
Tensor Data() { return F({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {3, 2, 2}); }

// Naive reduction: gathers the values of each output, then applies the op in double.
Tensor NaiveReduce(const std::string& op, const Tensor& x, std::vector<int64_t> axes,
                   bool keepdims) {
  const int rank = x.rank();
  std::vector<char> red(rank, axes.empty());
  for (int64_t a : axes) red[a < 0 ? a + rank : a] = 1;
  Shape out, full;
  for (int i = 0; i < rank; ++i) {
    if (!red[i])
      out.push_back(x.dim(i));
    else if (keepdims)
      out.push_back(1);
    full.push_back(red[i] ? 1 : x.dim(i));
  }
  std::vector<std::vector<double>> groups(NumElements(full));
  for (int64_t i = 0; i < x.numel(); ++i) {
    int64_t rem = i, o = 0, mul = 1;
    for (int d = rank - 1; d >= 0; --d) {
      const int64_t c = rem % x.dim(d);
      rem /= x.dim(d);
      if (!red[d]) o += c * mul;
      mul *= full[d];
    }
    groups[o].push_back(x.data<float>()[i]);
  }
  Tensor y(DType::kFloat32, out);
  for (size_t g = 0; g < groups.size(); ++g) {
    const auto& v = groups[g];
    double r = 0;
    if (op == "ReduceSum")
      for (double e : v) r += e;
    if (op == "ReduceMean") {
      for (double e : v) r += e;
      r /= v.size();
    }
    if (op == "ReduceMax") r = *std::max_element(v.begin(), v.end());
    if (op == "ReduceMin") r = *std::min_element(v.begin(), v.end());
    if (op == "ReduceProd") {
      r = 1;
      for (double e : v) r *= e;
    }
    if (op == "ReduceL1")
      for (double e : v) r += std::fabs(e);
    if (op == "ReduceL2") {
      for (double e : v) r += e * e;
      r = std::sqrt(r);
    }
    if (op == "ReduceSumSquare")
      for (double e : v) r += e * e;
    if (op == "ReduceLogSum") {
      for (double e : v) r += e;
      r = std::log(r);
    }
    if (op == "ReduceLogSumExp") {
      for (double e : v) r += std::exp(e);
      r = std::log(r);
    }
    y.data<float>()[g] = static_cast<float>(r);
  }
  return y;
}

TEST(Reduce, SpecExamplesKeepdims) {
  NodeSpec sum = test::Spec("ReduceSum", {{"keepdims", AInt(1)}});
  sum.opset = 13;
  auto r = RunKernel(RegisterReduceKernels, sum, {Data(), I64({1})});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(test::TensorsNear(r.value()[0], F({4, 6, 12, 14, 20, 22}, {3, 1, 2})));
  NodeSpec mean = test::Spec("ReduceMean", {{"axes", AInts({1})}, {"keepdims", AInt(0)}});
  mean.opset = 13;
  r = RunKernel(RegisterReduceKernels, mean, {Data()});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(test::TensorsNear(r.value()[0], F({2, 3, 6, 7, 10, 11}, {3, 2})));
  // Negative axis, opset 18 input form.
  NodeSpec mx = test::Spec("ReduceMax", {{"keepdims", AInt(1)}});
  mx.opset = 18;
  r = RunKernel(RegisterReduceKernels, mx, {Data(), I64({-2})});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(test::TensorsNear(r.value()[0], F({3, 4, 7, 8, 11, 12}, {3, 1, 2})));
  // Default axes: everything, keepdims 1 -> [1,1,1]; keepdims 0 -> scalar.
  NodeSpec prod = test::Spec("ReduceProd");
  prod.opset = 13;
  r = RunKernel(RegisterReduceKernels, prod, {F({1, 2, 3, 4}, {2, 2})});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(test::TensorsNear(r.value()[0], F({24}, {1, 1})));
  NodeSpec l2 = test::Spec("ReduceL2", {{"keepdims", AInt(0)}});
  l2.opset = 18;
  r = RunKernel(RegisterReduceKernels, l2, {F({3, 4}, {2})});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(test::TensorsNear(r.value()[0], Tensor::Scalar<float>(5)));
}

TEST(Reduce, AxesAttributeVersusInputByOpset) {
  // ReduceSum takes axes as input from 13; the others from 18.
  NodeSpec sum11 = test::Spec("ReduceSum", {{"axes", AInts({0})}});
  sum11.opset = 11;
  auto r = RunKernel(RegisterReduceKernels, sum11, {Data()});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value()[0].shape(), (Shape{1, 2, 2}));
  NodeSpec sum13 = test::Spec("ReduceSum", {{"axes", AInts({0})}});
  sum13.opset = 13;
  EXPECT_FALSE(RunKernel(RegisterReduceKernels, sum13, {Data()}).ok());
  NodeSpec min17 = test::Spec("ReduceMin", {{"axes", AInts({2})}, {"keepdims", AInt(0)}});
  min17.opset = 17;
  r = RunKernel(RegisterReduceKernels, min17, {Data()});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(test::TensorsNear(r.value()[0], F({1, 3, 5, 7, 9, 11}, {3, 2})));
  NodeSpec min18 = test::Spec("ReduceMin", {{"keepdims", AInt(0)}});
  min18.opset = 18;
  r = RunKernel(RegisterReduceKernels, min18, {Data(), I64({2})});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(test::TensorsNear(r.value()[0], F({1, 3, 5, 7, 9, 11}, {3, 2})));
}

TEST(Reduce, EmptyAxesNoopAndAll) {
  NodeSpec noop = test::Spec("ReduceSumSquare", {{"noop_with_empty_axes", AInt(1)}});
  noop.opset = 18;
  auto r = RunKernel(RegisterReduceKernels, noop, {F({1, -2, 3}, {3}), I64({})});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // No reduction, but the op still squares each element.
  EXPECT_TRUE(test::TensorsNear(r.value()[0], F({1, 4, 9}, {3})));
  NodeSpec sum = test::Spec("ReduceSum", {{"noop_with_empty_axes", AInt(1)}});
  r = RunKernel(RegisterReduceKernels, sum, {Data(), Tensor()});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(test::TensorsNear(r.value()[0], Data()));
  NodeSpec all = test::Spec("ReduceSum");
  r = RunKernel(RegisterReduceKernels, all, {Data(), I64({})});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(test::TensorsNear(r.value()[0], F({78}, {1, 1, 1})));
}

TEST(Reduce, EmptySetResults) {
  Tensor x(DType::kFloat32, {2, 0, 4});
  const std::pair<const char*, float> cases[] = {
      {"ReduceSum", 0.f},      {"ReduceProd", 1.f},         {"ReduceMax", -INFINITY},
      {"ReduceMin", INFINITY}, {"ReduceLogSum", -INFINITY}, {"ReduceLogSumExp", -INFINITY},
      {"ReduceL2", 0.f}};
  for (auto [op, want] : cases) {
    NodeSpec spec = test::Spec(op);
    spec.opset = 18;
    auto r = RunKernel(RegisterReduceKernels, spec, {x, I64({1})});
    ASSERT_TRUE(r.ok()) << op << r.status().ToString();
    ASSERT_EQ(r.value()[0].shape(), (Shape{2, 1, 4})) << op;
    for (int i = 0; i < 8; ++i) EXPECT_EQ(r.value()[0].data<float>()[i], want) << op;
  }
}

TEST(Reduce, RandomAxesMatchNaiveReference) {
  const char* ops[] = {"ReduceSum",    "ReduceMean",     "ReduceMax", "ReduceMin",
                       "ReduceProd",   "ReduceL1",       "ReduceL2",  "ReduceSumSquare",
                       "ReduceLogSum", "ReduceLogSumExp"};
  std::mt19937 rng(7);
  for (int iter = 0; iter < 200; ++iter) {
    const std::string op = ops[iter % 10];
    const int rank = 1 + rng() % 5;
    Shape s;
    for (int i = 0; i < rank; ++i) s.push_back(1 + rng() % 5);
    std::vector<int64_t> axes;
    for (int i = 0; i < rank; ++i)
      if (rng() % 2) axes.push_back(rng() % 2 ? i : i - rank);  // mix of negative axes
    const bool keep = rng() % 2;
    // Positive inputs keep ReduceLogSum defined and ReduceProd well-conditioned.
    Tensor x = test::RandomTensor(s, 1000 + iter,
                                  op == "ReduceLogSum" || op == "ReduceProd" ? 0.5f : -2.f, 2.f);
    NodeSpec spec = test::Spec(op, {{"keepdims", AInt(keep)}});
    spec.opset = 18;
    auto r = RunKernel(RegisterReduceKernels, spec, {x, I64(axes)});
    ASSERT_TRUE(r.ok()) << op << " " << r.status().ToString();
    Tensor want = NaiveReduce(op, x, axes, keep);
    ASSERT_TRUE(test::TensorsNear(r.value()[0], want, 1e-5, 1e-5))
        << op << " shape " << ShapeToString(s) << " axes " << axes.size() << " keepdims " << keep;
  }
}

TEST(Reduce, LargeFloatSumsStayAccurate) {
  // 2^22 values around 0.1: a float accumulator drifts far beyond 1e-5 relative error.
  const int64_t n = int64_t{1} << 22;
  Tensor x = test::RandomTensor({4, n / 4}, 3, 0.05f, 0.15f);
  double want_all = 0;
  std::vector<double> want_rows(4, 0), want_cols(n / 4, 0);
  for (int64_t i = 0; i < n; ++i) {
    want_all += x.data<float>()[i];
    want_rows[i / (n / 4)] += x.data<float>()[i];
  }
  NodeSpec all = test::Spec("ReduceSum", {{"keepdims", AInt(0)}});
  auto r = RunKernel(RegisterReduceKernels, all, {x, Tensor()});
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r.value()[0].data<float>()[0], want_all, 1e-6 * want_all);
  NodeSpec mean = test::Spec("ReduceMean", {{"keepdims", AInt(0)}});
  mean.opset = 18;
  r = RunKernel(RegisterReduceKernels, mean, {x, I64({1})});
  ASSERT_TRUE(r.ok());
  for (int i = 0; i < 4; ++i)
    EXPECT_NEAR(r.value()[0].data<float>()[i], want_rows[i] / (n / 4), 1e-6 * 0.1);
  // Reduction over the outer axis (accumulated column-wise).
  Tensor t = test::RandomTensor({n / 8, 8}, 4, 0.05f, 0.15f);
  std::vector<double> cols(8, 0);
  for (int64_t i = 0; i < n; ++i) cols[i % 8] += t.data<float>()[i];
  r = RunKernel(RegisterReduceKernels, all, {t, I64({0})});
  ASSERT_TRUE(r.ok());
  for (int c = 0; c < 8; ++c) EXPECT_NEAR(r.value()[0].data<float>()[c], cols[c], 1e-6 * cols[c]);
}

TEST(Reduce, IntegerAndBoolTypes) {
  Tensor xi = Tensor::FromVector<int32_t>({5, -3, 7, 2}, {2, 2});
  NodeSpec mx = test::Spec("ReduceMax", {{"keepdims", AInt(0)}});
  mx.opset = 18;
  auto r = RunKernel(RegisterReduceKernels, mx, {xi, I64({1})});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(test::TensorsNear(r.value()[0], Tensor::FromVector<int32_t>({5, 7})));
  NodeSpec sum = test::Spec("ReduceSum", {{"keepdims", AInt(0)}});
  Tensor xl = Tensor::FromVector<int64_t>({int64_t{1} << 40, 3, -1, 2}, {2, 2});
  r = RunKernel(RegisterReduceKernels, sum, {xl, I64({0})});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(
      test::TensorsNear(r.value()[0], Tensor::FromVector<int64_t>({(int64_t{1} << 40) - 1, 5})));
  Tensor b(DType::kBool, {2, 2});
  const bool bv[] = {true, false, false, false};
  for (int i = 0; i < 4; ++i) b.data<bool>()[i] = bv[i];
  r = RunKernel(RegisterReduceKernels, mx, {b, I64({1})});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r.value()[0].dtype(), DType::kBool);
  EXPECT_TRUE(r.value()[0].data<bool>()[0]);
  EXPECT_FALSE(r.value()[0].data<bool>()[1]);
  r = RunKernel(RegisterReduceKernels, sum, {b, I64({1})});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotSupported());
}

TEST(Reduce, BadAxesAreErrors) {
  NodeSpec sum = test::Spec("ReduceSum");
  EXPECT_FALSE(RunKernel(RegisterReduceKernels, sum, {Data(), I64({3})}).ok());
  EXPECT_FALSE(RunKernel(RegisterReduceKernels, sum, {Data(), I64({1, -2})}).ok());
}

}  // namespace
}  // namespace litemp
