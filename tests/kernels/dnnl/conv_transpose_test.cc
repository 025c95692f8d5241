// ConvTranspose: ONNX spec examples (basic, 1-D, pads, output_shape, output_padding,
// auto_pad, dilations) and randomized oneDNN-vs-reference comparisons.
#include <random>

#include "kernels/dnnl/conv.h"
#include "kernels/dnnl/conv_ref.h"
#include "kernels/dnnl/dnnl_test_util.h"

namespace litemp {
namespace {

using test::AInt;
using test::AInts;
using test::AString;
using test::F32;
using test::Harness;
using test::NodeSpec;

NodeSpec Spec(std::vector<std::pair<std::string, Attribute>> attrs) {
  NodeSpec s;
  s.op_type = "ConvTranspose";
  s.attrs = std::move(attrs);
  s.opset = 11;
  return s;
}

// Runs with runtime and constant weights and as float64; expects `want` each time and,
// that oneDNN (not the fallback) ran the float32 cases.
void Expect(const NodeSpec& spec0, const std::vector<Tensor>& ins, const Tensor& want) {
  for (int variant = 0; variant < 3; ++variant) {
    SCOPED_TRACE("variant " + std::to_string(variant));
    NodeSpec spec = spec0;
    std::vector<Tensor> in = ins;
    if (variant == 1) spec.constant_inputs = {false, true, true};
    if (variant == 2)
      for (auto& t : in) t = test::ToF64(t);
    Harness<ConvTransposeKernel> h(spec, in);
    ASSERT_TRUE(h.init_status().ok()) << h.init_status().ToString();
    auto y = h.Run(in);
    ASSERT_TRUE(y.ok()) << y.status().ToString();
    EXPECT_TRUE(test::TensorsNear(*y, variant == 2 ? test::ToF64(want) : want, 1e-4, 1e-5));
    if (variant < 2) {
      EXPECT_NE(h.kernel().last_impl(), "ref");
    }
  }
}

Tensor X3x3() { return F32({0, 1, 2, 3, 4, 5, 6, 7, 8}, {1, 1, 3, 3}); }

// Both output channels of the ONNX examples (W all ones, 2 output channels) are equal.
Tensor TwoChannels(std::vector<float> v, Shape s) {
  std::vector<float> both = v;
  both.insert(both.end(), v.begin(), v.end());
  return F32(both, s);
}

TEST(ConvTranspose, SpecBasic) {
  Expect(Spec({}), {X3x3(), test::Filled({1, 2, 3, 3}, 1.f)},
         TwoChannels({0, 1, 3, 3, 2, 3, 8, 15, 12, 7, 9, 21, 36, 27, 15, 9, 20, 33, 24, 13, 6, 13, 21, 15, 8},
                     {1, 2, 5, 5}));
}

TEST(ConvTranspose, Spec1D) {
  Expect(Spec({}), {F32({0, 1, 2}, {1, 1, 3}), test::Filled({1, 2, 3}, 1.f)},
         TwoChannels({0, 1, 3, 3, 2}, {1, 2, 5}));
}

TEST(ConvTranspose, SpecPads) {
  Expect(Spec({{"strides", AInts({3, 2})}, {"pads", AInts({1, 2, 1, 2})}}), {X3x3(), test::Filled({1, 2, 3, 3}, 1.f)},
         TwoChannels({1, 1, 3, 1, 1, 3, 7, 4, 9, 7, 4, 9, 7, 4, 9, 13, 7, 15, 13, 7, 15}, {1, 2, 7, 3}));
}

// output_shape larger than the natural size: negative end padding appends zero rows.
TEST(ConvTranspose, SpecOutputShapeAndOutputPadding) {
  std::vector<float> y = {0, 0, 1, 1, 3, 2, 2, 0, 0, 0, 1, 1, 3, 2, 2, 0, 0, 0, 1,  1,  3, 2, 2, 0, 3, 3, 7,
                          4, 9, 5, 5, 0, 3, 3, 7, 4, 9, 5, 5, 0, 3, 3, 7, 4, 9, 5,  5,  0, 6, 6, 13, 7, 15, 8,
                          8, 0, 6, 6, 13, 7, 15, 8, 8, 0, 6, 6, 13, 7, 15, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  Tensor w = test::Filled({1, 2, 3, 3}, 1.f);
  Expect(Spec({{"strides", AInts({3, 2})}, {"output_shape", AInts({10, 8})}}), {X3x3(), w},
         TwoChannels(y, {1, 2, 10, 8}));
  Expect(Spec({{"strides", AInts({3, 2})}, {"output_shape", AInts({10, 8})}, {"kernel_shape", AInts({3, 3})},
               {"output_padding", AInts({1, 1})}}),
         {X3x3(), w}, TwoChannels(y, {1, 2, 10, 8}));
  Expect(Spec({{"strides", AInts({3, 2})}, {"output_padding", AInts({1, 1})}}), {X3x3(), w},
         TwoChannels(y, {1, 2, 10, 8}));
}

TEST(ConvTranspose, SpecAutoPadSameUpper) {
  Expect(Spec({{"strides", AInts({2, 2})}, {"auto_pad", AString("SAME_UPPER")}}),
         {X3x3(), test::Filled({1, 2, 3, 3}, 1.f)},
         TwoChannels({0, 0, 1, 1, 3, 2, 0, 0, 1, 1, 3, 2, 3, 3, 8, 5, 12, 7,
                      3, 3, 7, 4, 9, 5, 9, 9, 20, 11, 24, 13, 6, 6, 13, 7, 15, 8},
                     {1, 2, 6, 6}));
}

TEST(ConvTranspose, SpecDilations) {
  Expect(Spec({{"dilations", AInts({2, 2})}}),
         {F32({3, 8, 1, 9, 5, 7, 3, 2, 6}, {1, 1, 3, 3}), F32({7, 2, 1, 9}, {1, 1, 2, 2})},
         F32({21, 56, 13, 16, 2, 63, 35, 67, 10, 14, 24, 22, 76, 76, 21, 9, 5, 88, 45, 63, 3, 2, 33, 18, 54},
             {1, 1, 5, 5}));
}

TEST(ConvTranspose, GroupsWithBias) {
  Expect(Spec({{"group", AInt(2)}}), {F32({1, 2}, {1, 2, 1, 1}), F32({3, 4}, {2, 1, 1, 1}), F32({1, 1}, {2})},
         F32({4, 9}, {1, 2, 1, 1}));
}

TEST(ConvTranspose, RandomizedMatchesReference) {
  std::mt19937 rng(77);
  auto pick = [&](std::vector<int64_t> v) { return v[rng() % v.size()]; };
  for (int i = 0; i < 40; ++i) {
    int nsp = i % 5 == 0 ? 1 : i % 5 == 1 ? 3 : 2;
    int64_t group = pick({1, 1, 2, 4}), c = group * pick({1, 2, 3}), m = group * pick({1, 2, 5});
    int64_t n = pick({1, 2}), k = pick({1, 2, 3}), s = pick({1, 2, 3}), d = pick({1, 1, 2});
    int64_t size = nsp == 3 ? pick({2, 3, 4}) : pick({3, 5, 8});
    Shape xs = {n, c}, ws = {c, m / group};
    for (int j = 0; j < nsp; ++j) {
      xs.push_back(size + j);
      ws.push_back(k);
    }
    std::vector<std::pair<std::string, Attribute>> attrs = {{"group", AInt(group)},
                                                            {"strides", AInts(std::vector<int64_t>(nsp, s))},
                                                            {"dilations", AInts(std::vector<int64_t>(nsp, d))}};
    int mode = i % 4;
    int64_t pad = std::min<int64_t>(pick({0, 1}), (k - 1) * d);
    if (mode == 0) attrs.push_back({"pads", AInts(std::vector<int64_t>(2 * nsp, pad))});
    if (mode == 1) attrs.push_back({"auto_pad", AString(rng() % 2 ? "SAME_UPPER" : "SAME_LOWER")});
    if (mode == 2 && s > 1) attrs.push_back({"output_padding", AInts(std::vector<int64_t>(nsp, s - 1))});
    if (mode == 3) {
      std::vector<int64_t> os;
      // Up to 2 rows more than the natural size (negative pads: rows only the bias reaches).
      for (int j = 0; j < nsp; ++j) os.push_back(s * (size + j - 1) + (k - 1) * d + 1 + pick({-1, 0, 1, 2}));
      attrs.push_back({"output_shape", AInts(os)});
      if (rng() % 2) attrs.push_back({"auto_pad", AString(rng() % 2 ? "SAME_UPPER" : "SAME_LOWER")});
    }
    bool bias = rng() % 2;
    std::string desc = "case " + std::to_string(i) + " x" + ShapeToString(xs) + " w" + ShapeToString(ws) +
                       " group=" + std::to_string(group) + " s=" + std::to_string(s) + " d=" + std::to_string(d) +
                       " mode=" + std::to_string(mode);
    SCOPED_TRACE(desc);
    Tensor x = test::RandomTensor(xs, 300 + i), w = test::RandomTensor(ws, 400 + i);
    Tensor b = bias ? test::RandomTensor({m}, 450 + i) : Tensor();
    ConvAttrs a;
    Node node;
    for (auto& [key, v] : attrs) node.attrs.Set(key, v);
    ASSERT_TRUE(a.Parse(node.attrs, true).ok());
    ConvGeometry g;
    ASSERT_TRUE(ResolveConvTranspose(a, xs, ws, &g).ok());
    Tensor want(DType::kFloat32, g.OutputShape());
    ConvTransposeRef<float>(g, x.data<float>(), w.data<float>(), bias ? b.data<float>() : nullptr,
                            want.data<float>());
    NodeSpec spec = Spec(attrs);
    spec.constant_inputs = {false, i % 2 == 0, i % 2 == 0};
    Harness<ConvTransposeKernel> h(spec, {x, w, b});
    auto y = h.Run({x, w, b});
    ASSERT_TRUE(y.ok()) << y.status().ToString();
    EXPECT_TRUE(test::MaxRelErrBelow(*y, want)) << "impl " << h.kernel().last_impl();
  }
}

}  // namespace
}  // namespace litemp
