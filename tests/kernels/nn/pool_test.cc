#include <random>

#include "naive_pool.h"
#include "nn_test_util.h"

namespace litemp {
namespace {

using test::AInt;
using test::AInts;
using test::AString;
using test::NodeSpec;
using test::RunKernel;

Tensor F(std::vector<float> v, Shape s) { return Tensor::FromVector<float>(v, s); }

// 1..25 as [1,1,5,5] (and 1..16 as [1,1,4,4]): the inputs of the ONNX spec examples.
Tensor Iota(int64_t side) {
  std::vector<float> v(side * side);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i + 1);
  return F(v, {1, 1, side, side});
}

Tensor Pool1(const std::string& op, NodeSpec spec, const Tensor& x, int opset = 12) {
  spec.op_type = op;
  spec.opset = opset;
  auto y = RunKernel(RegisterNnKernels, spec, {x});
  EXPECT_TRUE(y.ok()) << y.status().ToString();
  return y.ok() ? y.value()[0] : Tensor();
}

TEST(MaxPool, SpecPrecomputedPads) {
  NodeSpec s = test::Spec("", {{"kernel_shape", AInts({5, 5})}, {"pads", AInts({2, 2, 2, 2})}});
  EXPECT_TRUE(test::TensorsNear(Pool1("MaxPool", s, Iota(5)),
                                F({13, 14, 15, 15, 15, 18, 19, 20, 20, 20, 23, 24, 25,
                                   25, 25, 23, 24, 25, 25, 25, 23, 24, 25, 25, 25},
                                  {1, 1, 5, 5})));
}

TEST(MaxPool, SpecStridesSameUpperCeilDilations) {
  NodeSpec strides = test::Spec("", {{"kernel_shape", AInts({2, 2})}, {"strides", AInts({2, 2})}});
  EXPECT_TRUE(
      test::TensorsNear(Pool1("MaxPool", strides, Iota(5)), F({7, 9, 17, 19}, {1, 1, 2, 2})));
  NodeSpec same = test::Spec("", {{"kernel_shape", AInts({3, 3})},
                                  {"strides", AInts({2, 2})},
                                  {"auto_pad", AString("SAME_UPPER")}});
  EXPECT_TRUE(test::TensorsNear(Pool1("MaxPool", same, Iota(5)),
                                F({7, 9, 10, 17, 19, 20, 22, 24, 25}, {1, 1, 3, 3})));
  NodeSpec ceil = test::Spec(
      "", {{"kernel_shape", AInts({3, 3})}, {"strides", AInts({2, 2})}, {"ceil_mode", AInt(1)}});
  EXPECT_TRUE(
      test::TensorsNear(Pool1("MaxPool", ceil, Iota(4)), F({11, 12, 15, 16}, {1, 1, 2, 2})));
  NodeSpec dil = test::Spec("", {{"kernel_shape", AInts({2, 2})}, {"dilations", AInts({2, 2})}});
  EXPECT_TRUE(test::TensorsNear(Pool1("MaxPool", dil, Iota(4)), F({11, 12, 15, 16}, {1, 1, 2, 2})));
  // A last window that would start inside the end padding is dropped: 2x2 -> 1x1.
  NodeSpec reduce = test::Spec(
      "", {{"kernel_shape", AInts({1, 1})}, {"strides", AInts({2, 2})}, {"ceil_mode", AInt(1)}});
  EXPECT_TRUE(test::TensorsNear(Pool1("MaxPool", reduce, F({1, 2, 3, 4}, {1, 1, 2, 2})),
                                F({1}, {1, 1, 1, 1})));
}

TEST(MaxPool, IndicesRowAndColumnMajor) {
  NodeSpec spec = test::Spec(
      "MaxPool",
      {{"kernel_shape", AInts({2, 2})}, {"strides", AInts({2, 2})}, {"storage_order", AInt(1)}});
  spec.opset = 8;
  spec.num_outputs = 2;
  auto r = RunKernel(RegisterNnKernels, spec, {Iota(5)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(test::TensorsNear(r.value()[0], F({7, 9, 17, 19}, {1, 1, 2, 2})));
  EXPECT_TRUE(
      test::TensorsNear(r.value()[1], Tensor::FromVector<int64_t>({6, 16, 8, 18}, {1, 1, 2, 2})));
  spec.attrs = {{"kernel_shape", AInts({5, 5})}, {"pads", AInts({2, 2, 2, 2})}};
  Tensor x2 = Tensor(DType::kFloat32, {2, 1, 5, 5});  // second plane offsets indices by 25
  for (int i = 0; i < 50; ++i) x2.data<float>()[i] = static_cast<float>(i % 25 + 1);
  r = RunKernel(RegisterNnKernels, spec, {x2});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value()[1].data<int64_t>()[0], 12);
  EXPECT_EQ(r.value()[1].data<int64_t>()[25], 37);
}

TEST(MaxPool, Uint8) {
  Tensor x = Tensor::FromVector<uint8_t>({1, 200, 3, 4, 5, 6, 7, 8, 255}, {1, 1, 3, 3});
  NodeSpec s = test::Spec("", {{"kernel_shape", AInts({2, 2})}});
  EXPECT_TRUE(test::TensorsNear(Pool1("MaxPool", s, x),
                                Tensor::FromVector<uint8_t>({200, 200, 8, 255}, {1, 1, 2, 2})));
}

TEST(AveragePool, SpecCases) {
  NodeSpec pads = test::Spec("", {{"kernel_shape", AInts({5, 5})}, {"pads", AInts({2, 2, 2, 2})}});
  EXPECT_TRUE(
      test::TensorsNear(Pool1("AveragePool", pads, Iota(5)),
                        F({7,    7.5, 8,    8.5, 9,    9.5, 10,   10.5, 11,   11.5, 12,   12.5, 13,
                           13.5, 14,  14.5, 15,  15.5, 16,  16.5, 17,   17.5, 18,   18.5, 19},
                          {1, 1, 5, 5})));
  pads.attrs.push_back({"count_include_pad", AInt(1)});
  EXPECT_TRUE(test::TensorsNear(
      Pool1("AveragePool", pads, Iota(5)),
      F({2.52, 3.6, 4.8,  4.08, 3.24, 4.56,  6.4,  8.4,  7.04, 5.52, 7.2,  10,  13,
         10.8, 8.4, 6.96, 9.6,  12.4, 10.24, 7.92, 6.12, 8.4,  10.8, 8.88, 6.84},
        {1, 1, 5, 5})));
  NodeSpec same = test::Spec("", {{"kernel_shape", AInts({3, 3})},
                                  {"strides", AInts({2, 2})},
                                  {"auto_pad", AString("SAME_UPPER")}});
  EXPECT_TRUE(test::TensorsNear(Pool1("AveragePool", same, Iota(5)),
                                F({4, 5.5, 7, 11.5, 13, 14.5, 19, 20.5, 22}, {1, 1, 3, 3})));
  NodeSpec ceil = test::Spec(
      "", {{"kernel_shape", AInts({3, 3})}, {"strides", AInts({2, 2})}, {"ceil_mode", AInt(1)}});
  EXPECT_TRUE(
      test::TensorsNear(Pool1("AveragePool", ceil, Iota(4)), F({6, 7.5, 12, 13.5}, {1, 1, 2, 2})));
  NodeSpec dil = test::Spec(
      "", {{"kernel_shape", AInts({2, 2})}, {"dilations", AInts({2, 2})}, {"ceil_mode", AInt(1)}});
  EXPECT_TRUE(
      test::TensorsNear(Pool1("AveragePool", dil, Iota(4), 19), F({6, 7, 10, 11}, {1, 1, 2, 2})));
}

TEST(AveragePool, DilationsRejectedBeforeOpset19) {
  NodeSpec dil =
      test::Spec("AveragePool", {{"kernel_shape", AInts({2, 2})}, {"dilations", AInts({2, 2})}});
  dil.opset = 11;
  EXPECT_FALSE(RunKernel(RegisterNnKernels, dil, {Iota(4)}).ok());
}

TEST(Pool, BadAttributesAreErrors) {
  NodeSpec no_kernel = test::Spec("MaxPool");
  EXPECT_FALSE(RunKernel(RegisterNnKernels, no_kernel, {Iota(4)}).ok());
  NodeSpec bad_pads =
      test::Spec("MaxPool", {{"kernel_shape", AInts({2, 2})}, {"pads", AInts({1, 1})}});
  EXPECT_FALSE(RunKernel(RegisterNnKernels, bad_pads, {Iota(4)}).ok());
  NodeSpec bad_rank = test::Spec("AveragePool", {{"kernel_shape", AInts({2})}});
  EXPECT_FALSE(RunKernel(RegisterNnKernels, bad_rank, {Iota(4)}).ok());
}

// Random 1-D/2-D/3-D configurations against the naive reference.
TEST(Pool, RandomConfigsMatchNaiveReference) {
  std::mt19937 rng(1234);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const char* autopads[] = {"NOTSET", "NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"};
  for (int iter = 0; iter < 300; ++iter) {
    const int n = pick(1, 3);
    test::NaivePoolConfig c;
    Shape xs = {pick(1, 2), pick(1, 3)};
    for (int i = 0; i < n; ++i) {
      c.k.push_back(pick(1, 3));
      c.s.push_back(pick(1, 3));
      c.d.push_back(pick(1, 2));
      xs.push_back(pick((c.k[i] - 1) * c.d[i] + 1, 8));
    }
    for (int i = 0; i < 2 * n; ++i) c.pads.push_back(pick(0, static_cast<int>(c.k[i % n]) - 1));
    c.auto_pad = autopads[pick(0, 4)];
    c.ceil_mode = c.auto_pad == "NOTSET" && pick(0, 1);
    c.count_include_pad = pick(0, 1);
    c.col_major = pick(0, 1);
    Tensor x = test::RandomTensor(xs, 100 + iter);
    std::vector<std::pair<std::string, Attribute>> attrs = {{"kernel_shape", AInts(c.k)},
                                                            {"strides", AInts(c.s)},
                                                            {"dilations", AInts(c.d)},
                                                            {"auto_pad", AString(c.auto_pad)},
                                                            {"ceil_mode", AInt(c.ceil_mode)}};
    if (c.auto_pad == "NOTSET") attrs.push_back({"pads", AInts(c.pads)});
    const std::string what =
        "iter " + std::to_string(iter) + " x " + ShapeToString(xs) + " auto_pad " + c.auto_pad;

    NodeSpec mp = test::Spec("MaxPool", attrs);
    mp.attrs.push_back({"storage_order", AInt(c.col_major)});
    mp.num_outputs = 2;
    auto got = RunKernel(RegisterNnKernels, mp, {x});
    ASSERT_TRUE(got.ok()) << what << ": " << got.status().ToString();
    test::NaivePoolResult want = test::NaivePool(x, c, 'M');
    ASSERT_TRUE(test::TensorsNear(got.value()[0], want.y, 0, 0)) << what;
    ASSERT_TRUE(test::TensorsNear(got.value()[1], want.idx_t, 0, 0)) << what;

    NodeSpec ap = test::Spec("AveragePool", attrs);
    ap.opset = 19;
    ap.attrs.push_back({"count_include_pad", AInt(c.count_include_pad)});
    got = RunKernel(RegisterNnKernels, ap, {x});
    ASSERT_TRUE(got.ok()) << what << ": " << got.status().ToString();
    ASSERT_TRUE(test::TensorsNear(got.value()[0], test::NaivePool(x, c, 'A').y, 1e-6, 1e-5))
        << what;
  }
}

TEST(Pool, NhwcAndBlockedInputMatchPlainAndKeepLayout) {
  std::mt19937 rng(99);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int iter = 0; iter < 60; ++iter) {
    const std::vector<int64_t> k = {pick(1, 3), pick(1, 3)}, s = {pick(1, 2), pick(1, 3)},
                               d = {pick(1, 2), 1};
    const std::vector<int64_t> pads = {pick(0, k[0] - 1), pick(0, k[1] - 1), pick(0, k[0] - 1),
                                       pick(0, k[1] - 1)};
    const int64_t c = iter % 2 ? 8 * pick(1, 2) : pick(1, 19);
    Tensor x = test::RandomTensor({pick(1, 2), c, pick(3, 9), pick(3, 9)}, 500 + iter);
    for (const char* op : {"MaxPool", "AveragePool"}) {
      NodeSpec spec = test::Spec(op, {{"kernel_shape", AInts(k)},
                                      {"strides", AInts(s)},
                                      {"dilations", AInts(d)},
                                      {"pads", AInts(pads)},
                                      {"ceil_mode", AInt(pick(0, 1))},
                                      {"count_include_pad", AInt(pick(0, 1))}});
      spec.opset = 19;
      if (std::string(op) == "MaxPool") spec.attrs.erase(spec.attrs.end() - 1);
      auto plain = test::RunKeepLayout(RegisterNnKernels, spec, {x});
      for (Tensor in : c % 8 ? std::vector<Tensor>{ToNhwc(x)} : std::vector<Tensor>{ToNhwc(x), ToNchw8c(x)}) {
        auto y = test::RunKeepLayout(RegisterNnKernels, spec, {in});
        ASSERT_TRUE(plain.ok() && y.ok()) << op << " iter " << iter;
        EXPECT_EQ(y.value()[0].layout(), in.layout());
        ASSERT_TRUE(test::TensorsNear(y.value()[0], plain.value()[0], 1e-6, 1e-5)) << op << " iter " << iter;
      }
    }
  }
  // With the Indices output the kernel falls back to the plain layout.
  NodeSpec spec = test::Spec("MaxPool", {{"kernel_shape", AInts({2, 2})}});
  spec.num_outputs = 2;
  Tensor x = test::RandomTensor({1, 8, 4, 4}, 3);
  auto plain = test::RunKeepLayout(RegisterNnKernels, spec, {x});
  ASSERT_TRUE(plain.ok());
  for (Tensor in : {ToNhwc(x), ToNchw8c(x)}) {
    auto y = test::RunKeepLayout(RegisterNnKernels, spec, {in});
    ASSERT_TRUE(y.ok());
    EXPECT_TRUE(test::TensorsNear(y.value()[1], plain.value()[1], 0, 0));
    EXPECT_TRUE(test::TensorsNear(y.value()[0], plain.value()[0], 0, 0));
  }
}

TEST(GlobalPool, LiteralAndNhwcMatchesPlain) {
  Tensor x = F({1, 2, 3, 4, -1, -2, -3, -8}, {1, 2, 2, 2});
  auto avg = RunKernel(RegisterNnKernels, test::Spec("GlobalAveragePool"), {x});
  auto mx = RunKernel(RegisterNnKernels, test::Spec("GlobalMaxPool"), {x});
  ASSERT_TRUE(avg.ok() && mx.ok());
  EXPECT_TRUE(test::TensorsNear(avg.value()[0], F({2.5f, -3.5f}, {1, 2, 1, 1})));
  EXPECT_TRUE(test::TensorsNear(mx.value()[0], F({4, -1}, {1, 2, 1, 1})));

  // 37 channels have no blocked form; 24 do.
  for (int64_t c : {37, 24})
    for (const char* op : {"GlobalAveragePool", "GlobalMaxPool"}) {
      Tensor r = test::RandomTensor({3, c, 7, 9}, 5);
      auto plain = test::RunKeepLayout(RegisterNnKernels, test::Spec(op), {r});
      ASSERT_TRUE(plain.ok()) << op;
      std::vector<Tensor> got;
      for (Tensor in : c % 8 ? std::vector<Tensor>{ToNhwc(r)} : std::vector<Tensor>{ToNhwc(r), ToNchw8c(r)}) {
        auto y = test::RunKeepLayout(RegisterNnKernels, test::Spec(op), {in});
        ASSERT_TRUE(y.ok()) << op;
        EXPECT_EQ(y.value()[0].layout(), Layout::kPlain) << op;
        EXPECT_EQ(y.value()[0].shape(), (Shape{3, c, 1, 1})) << op;
        EXPECT_TRUE(test::TensorsNear(y.value()[0], plain.value()[0], 1e-7, 1e-6)) << op;
        got.push_back(y.value()[0]);
      }
      // Channel-blocked, several images at a time (9 here: 8, 1; on AVX2 4, 4, 1), each
      // channel's sum in the same order as channels-last: the same bits.
      if (got.size() == 2) EXPECT_TRUE(test::TensorsNear(got[1], got[0], 0, 0)) << op;
      // Against a naive per-plane loop.
      for (int64_t p = 0; p < 3 * c; ++p) {
        double s = 0, m = -1e30;
        for (int i = 0; i < 63; ++i) {
          s += r.data<float>()[p * 63 + i];
          m = std::max<double>(m, r.data<float>()[p * 63 + i]);
        }
        const double want = std::string(op) == "GlobalMaxPool" ? m : s / 63;
        EXPECT_NEAR(plain.value()[0].data<float>()[p], want, 1e-6) << op << " plane " << p;
      }
    }
}

TEST(GlobalPool, Rank3And5) {
  Tensor x = F({1, 2, 3, 4, 5, 6}, {1, 2, 3});
  auto y = RunKernel(RegisterNnKernels, test::Spec("GlobalAveragePool"), {x});
  ASSERT_TRUE(y.ok());
  EXPECT_TRUE(test::TensorsNear(y.value()[0], F({2, 5}, {1, 2, 1})));
  Tensor x5 = test::RandomTensor({1, 2, 2, 2, 2}, 9);
  y = RunKernel(RegisterNnKernels, test::Spec("GlobalMaxPool"), {x5});
  ASSERT_TRUE(y.ok());
  EXPECT_EQ(y.value()[0].shape(), (Shape{1, 2, 1, 1, 1}));
}

}  // namespace
}  // namespace litemp
