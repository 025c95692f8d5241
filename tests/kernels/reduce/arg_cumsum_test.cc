#include "reduce_test_util.h"

namespace litemp {
namespace {

using test::AInt;
using test::NodeSpec;
using test::RunKernel;

Tensor F(std::vector<float> v, Shape s) { return Tensor::FromVector<float>(v, s); }
Tensor I64(std::vector<int64_t> v, Shape s = {}) { return Tensor::FromVector<int64_t>(v, s); }

Tensor Run1(const char* op, std::vector<std::pair<std::string, Attribute>> attrs,
            std::vector<Tensor> in) {
  NodeSpec spec = test::Spec(op, std::move(attrs));
  spec.opset = 13;
  auto r = RunKernel(RegisterReduceKernels, spec, in);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value()[0] : Tensor();
}

TEST(ArgMax, SpecExamples) {
  Tensor x = F({2, 1, 3, 10}, {2, 2});
  EXPECT_TRUE(test::TensorsNear(Run1("ArgMax", {}, {x}), I64({1, 1}, {1, 2})));
  EXPECT_TRUE(test::TensorsNear(Run1("ArgMax", {{"axis", AInt(1)}}, {x}), I64({0, 1}, {2, 1})));
  EXPECT_TRUE(test::TensorsNear(Run1("ArgMax", {{"axis", AInt(-1)}, {"keepdims", AInt(0)}}, {x}),
                                I64({0, 1}, {2})));
  EXPECT_TRUE(test::TensorsNear(Run1("ArgMin", {{"axis", AInt(1)}}, {x}), I64({1, 0}, {2, 1})));
}

TEST(ArgMax, SelectLastIndex) {
  Tensor x = F({2, 2, 3, 10, 1, 1}, {3, 2});
  EXPECT_TRUE(test::TensorsNear(Run1("ArgMax", {{"axis", AInt(1)}, {"keepdims", AInt(0)}}, {x}),
                                I64({0, 1, 0}, {3})));
  EXPECT_TRUE(test::TensorsNear(
      Run1("ArgMax", {{"axis", AInt(1)}, {"keepdims", AInt(0)}, {"select_last_index", AInt(1)}},
           {x}),
      I64({1, 1, 1}, {3})));
  EXPECT_TRUE(test::TensorsNear(
      Run1("ArgMin", {{"axis", AInt(1)}, {"keepdims", AInt(0)}, {"select_last_index", AInt(1)}},
           {x}),
      I64({1, 0, 1}, {3})));
}

TEST(ArgMax, RandomMatchesNaiveOnMiddleAxis) {
  Tensor x = test::RandomTensor({3, 5, 4}, 5);
  Tensor y = Run1("ArgMax", {{"axis", AInt(1)}, {"keepdims", AInt(0)}}, {x});
  ASSERT_EQ(y.shape(), (Shape{3, 4}));
  for (int a = 0; a < 3; ++a)
    for (int c = 0; c < 4; ++c) {
      int best = 0;
      for (int b = 1; b < 5; ++b)
        if (x.data<float>()[(a * 5 + b) * 4 + c] > x.data<float>()[(a * 5 + best) * 4 + c])
          best = b;
      EXPECT_EQ(y.data<int64_t>()[a * 4 + c], best);
    }
}

TEST(CumSum, SpecExamples) {
  Tensor x = Tensor::FromVector<double>({1, 2, 3, 4, 5});
  Tensor ax = Tensor::Scalar<int32_t>(0);
  EXPECT_TRUE(test::TensorsNear(Run1("CumSum", {}, {x, ax}),
                                Tensor::FromVector<double>({1, 3, 6, 10, 15})));
  EXPECT_TRUE(test::TensorsNear(Run1("CumSum", {{"exclusive", AInt(1)}}, {x, ax}),
                                Tensor::FromVector<double>({0, 1, 3, 6, 10})));
  EXPECT_TRUE(test::TensorsNear(Run1("CumSum", {{"reverse", AInt(1)}}, {x, ax}),
                                Tensor::FromVector<double>({15, 14, 12, 9, 5})));
  EXPECT_TRUE(
      test::TensorsNear(Run1("CumSum", {{"reverse", AInt(1)}, {"exclusive", AInt(1)}}, {x, ax}),
                        Tensor::FromVector<double>({14, 12, 9, 5, 0})));
  Tensor m = F({1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_TRUE(
      test::TensorsNear(Run1("CumSum", {}, {m, I64({0}, {1})}), F({1, 2, 3, 5, 7, 9}, {2, 3})));
  EXPECT_TRUE(test::TensorsNear(Run1("CumSum", {}, {m, Tensor::Scalar<int64_t>(-1)}),
                                F({1, 3, 6, 4, 9, 15}, {2, 3})));
  Tensor mi = Tensor::FromVector<int32_t>({1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_TRUE(test::TensorsNear(Run1("CumSum", {}, {mi, Tensor::Scalar<int64_t>(1)}),
                                Tensor::FromVector<int32_t>({1, 3, 6, 4, 9, 15}, {2, 3})));
}

TEST(CumSum, BadAxisIsAnError) {
  NodeSpec spec = test::Spec("CumSum");
  EXPECT_FALSE(
      RunKernel(RegisterReduceKernels, spec, {F({1, 2}, {2}), Tensor::Scalar<int64_t>(1)}).ok());
  EXPECT_FALSE(RunKernel(RegisterReduceKernels, spec, {F({1, 2}, {2}), I64({0, 0})}).ok());
}

}  // namespace
}  // namespace litemp
