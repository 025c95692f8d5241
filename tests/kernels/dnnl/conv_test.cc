// Conv: ONNX spec examples (pads, strides, auto_pad), hand-computed group/bias/1-D cases,
// and randomized oneDNN-vs-reference comparisons over many configurations.
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
using test::Iota;
using test::NodeSpec;

NodeSpec ConvSpec(std::vector<std::pair<std::string, Attribute>> attrs, std::vector<bool> constant = {}) {
  NodeSpec s;
  s.op_type = "Conv";
  s.attrs = std::move(attrs);
  s.opset = 11;
  s.constant_inputs = std::move(constant);
  return s;
}

// Runs Conv with X plain and with X NHWC (rank 4), with W as initializer and as runtime
// input, and as float64 (reference path); expects `want` every time.
void ExpectConv(const NodeSpec& spec0, const std::vector<Tensor>& ins, const Tensor& want) {
  for (int variant = 0; variant < 5; ++variant) {
    SCOPED_TRACE("variant " + std::to_string(variant));
    NodeSpec spec = spec0;
    std::vector<Tensor> in = ins;
    if (variant == 1 && in[0].rank() == 4) in[0] = ToNhwc(in[0]);
    if (variant == 2) spec.constant_inputs = {false, true, true};
    if (variant == 3 && in[0].rank() == 4) {
      in[0] = ToNhwc(in[0]);
      spec.constant_inputs = {false, true, true};
    }
    if (variant == 4)
      for (auto& t : in)
        if (t.defined()) t = test::ToF64(t);
    Harness<ConvKernel> h(spec, in);
    ASSERT_TRUE(h.init_status().ok()) << h.init_status().ToString();
    auto y = h.Run(in);
    ASSERT_TRUE(y.ok()) << y.status().ToString();
    Tensor expect = variant == 4 ? test::ToF64(want) : want;
    EXPECT_TRUE(test::TensorsNear(*y, expect, 1e-4, 1e-5));
    if (variant < 4 && in[0].rank() == 4) {
      EXPECT_NE(y->layout(), Layout::kPlain) << "rank-4 fast path should produce NHWC or blocked";
    }
    if (variant < 4) {
      EXPECT_NE(h.kernel().last_impl(), "ref") << "oneDNN should run this configuration";
    }
  }
}

// ONNX spec: test_basic_conv_with_padding / without_padding.
TEST(Conv, SpecBasicWithAndWithoutPadding) {
  Tensor x = Iota({1, 1, 5, 5}), w = test::Filled({1, 1, 3, 3}, 1.f);
  ExpectConv(ConvSpec({{"kernel_shape", AInts({3, 3})}, {"pads", AInts({1, 1, 1, 1})}}), {x, w},
             F32({12, 21, 27, 33, 24, 33, 54, 63, 72, 51, 63, 99, 108, 117, 81, 93, 144, 153, 162, 111, 72, 111, 117,
                  123, 84},
                 {1, 1, 5, 5}));
  ExpectConv(ConvSpec({{"kernel_shape", AInts({3, 3})}, {"pads", AInts({0, 0, 0, 0})}}), {x, w},
             F32({54, 63, 72, 99, 108, 117, 144, 153, 162}, {1, 1, 3, 3}));
}

// ONNX spec: test_conv_with_strides_padding / _no_padding / _and_asymmetric_padding.
TEST(Conv, SpecStridesAndPads) {
  Tensor x = Iota({1, 1, 7, 5}), w = test::Filled({1, 1, 3, 3}, 1.f);
  ExpectConv(ConvSpec({{"strides", AInts({2, 2})}, {"pads", AInts({1, 1, 1, 1})}}), {x, w},
             F32({12, 27, 24, 63, 108, 81, 123, 198, 141, 112, 177, 124}, {1, 1, 4, 3}));
  ExpectConv(ConvSpec({{"strides", AInts({2, 2})}, {"pads", AInts({0, 0, 0, 0})}}), {x, w},
             F32({54, 72, 144, 162, 234, 252}, {1, 1, 3, 2}));
  ExpectConv(ConvSpec({{"strides", AInts({2, 2})}, {"pads", AInts({1, 0, 1, 0})}}), {x, w},
             F32({21, 33, 99, 117, 189, 207, 171, 183}, {1, 1, 4, 2}));
}

// ONNX spec: test_conv_with_autopad_same (SAME_LOWER, even total padding).
TEST(Conv, SpecAutoPadSameLower) {
  Tensor x = Iota({1, 1, 5, 5}), w = test::Filled({1, 1, 3, 3}, 1.f);
  ExpectConv(ConvSpec({{"auto_pad", AString("SAME_LOWER")}, {"strides", AInts({2, 2})}}), {x, w},
             F32({12, 27, 24, 63, 108, 81, 72, 117, 84}, {1, 1, 3, 3}));
}

// Odd total padding: the extra row/column goes to the end (UPPER) or the start (LOWER).
TEST(Conv, AutoPadOddTotal) {
  Tensor x = Iota({1, 1, 4, 4}), w = test::Filled({1, 1, 3, 3}, 1.f);
  ExpectConv(ConvSpec({{"auto_pad", AString("SAME_UPPER")}, {"strides", AInts({2, 2})}}), {x, w},
             F32({45, 39, 66, 50}, {1, 1, 2, 2}));
  ExpectConv(ConvSpec({{"auto_pad", AString("SAME_LOWER")}, {"strides", AInts({2, 2})}}), {x, w},
             F32({10, 24, 51, 90}, {1, 1, 2, 2}));
  ExpectConv(ConvSpec({{"auto_pad", AString("VALID")}, {"strides", AInts({2, 2})}, {"pads", AInts({1, 1, 1, 1})}}),
             {x, w}, F32({45}, {1, 1, 1, 1}));
  ExpectConv(ConvSpec({{"auto_pad", AString("NOTSET")}, {"pads", AInts({0, 0, 1, 1})}, {"strides", AInts({2, 2})}}),
             {x, w}, F32({45, 39, 66, 50}, {1, 1, 2, 2}));
}

TEST(Conv, DepthwiseWithBias) {
  Tensor x = F32({1, 2, 3, 4, 5, 6, 7, 8}, {1, 2, 2, 2});
  Tensor w = F32({2, 3}, {2, 1, 1, 1});
  Tensor b = F32({1, -1}, {2});
  ExpectConv(ConvSpec({{"group", AInt(2)}}), {x, w, b}, F32({3, 5, 7, 9, 14, 17, 20, 23}, {1, 2, 2, 2}));
}

TEST(Conv, GroupsOfTwoChannels) {
  // 4 input channels, 2 groups, 1x1 kernel: out0 = c0 + c1, out1 = c2 - c3.
  Tensor x = F32({1, 2, 10, 20, 100, 200, 1000, 2000}, {1, 4, 1, 2});
  Tensor w = F32({1, 1, 1, -1}, {2, 2, 1, 1});
  ExpectConv(ConvSpec({{"group", AInt(2)}}), {x, w}, F32({11, 22, -900, -1800}, {1, 2, 1, 2}));
}

TEST(Conv, OneDimensionalDilatedAndPadded) {
  Tensor x = F32({1, 2, 3, 4, 5}, {1, 1, 5});
  Tensor w = F32({1, -1}, {1, 1, 2});
  ExpectConv(ConvSpec({{"dilations", AInts({2})}}), {x, w}, F32({-2, -2, -2}, {1, 1, 3}));
  ExpectConv(ConvSpec({{"dilations", AInts({2})}, {"pads", AInts({1, 1})}}), {x, w},
             F32({-2, -2, -2, -2, 4}, {1, 1, 5}));
}

TEST(Conv, RejectsBadShapes) {
  Tensor x = Iota({1, 3, 5, 5}), w = test::Filled({4, 2, 3, 3}, 1.f);
  auto y = test::RunKernel(RegisterDnnlKernels, ConvSpec({}), {x, w});
  EXPECT_FALSE(y.ok());
  y = test::RunKernel(RegisterDnnlKernels, ConvSpec({{"kernel_shape", AInts({2, 2})}}), {x, test::Filled({4, 3, 3, 3}, 1.f)});
  EXPECT_FALSE(y.ok());
  y = test::RunKernel(RegisterDnnlKernels, ConvSpec({{"auto_pad", AString("SAME")}}), {x, test::Filled({4, 3, 3, 3}, 1.f)});
  EXPECT_FALSE(y.ok());
  y = test::RunKernel(RegisterDnnlKernels, ConvSpec({}), {x, test::Filled({4, 3, 3, 3}, 1.f), test::Filled({3}, 1.f)});
  EXPECT_FALSE(y.ok());
}

TEST(Conv, UnsupportedDtypeIsNotSupported) {
  Tensor x(DType::kInt32, {1, 1, 2, 2}), w(DType::kInt32, {1, 1, 1, 1});
  auto y = test::RunKernel(RegisterDnnlKernels, ConvSpec({}), {x, w});
  ASSERT_FALSE(y.ok());
  EXPECT_TRUE(y.status().IsNotSupported()) << y.status().ToString();
}

struct Cfg {
  int nsp;
  int64_t n, c, m, group, size, k, s, d, pad;
  std::string auto_pad;
  bool bias, nhwc, const_w;
};

std::string Describe(const Cfg& c) {
  return "nsp=" + std::to_string(c.nsp) + " n=" + std::to_string(c.n) + " c=" + std::to_string(c.c) +
         " m=" + std::to_string(c.m) + " group=" + std::to_string(c.group) + " size=" + std::to_string(c.size) +
         " k=" + std::to_string(c.k) + " s=" + std::to_string(c.s) + " d=" + std::to_string(c.d) +
         " pad=" + std::to_string(c.pad) + " auto_pad=" + c.auto_pad + " bias=" + std::to_string(c.bias) +
         " nhwc=" + std::to_string(c.nhwc) + " const_w=" + std::to_string(c.const_w);
}

// ConvRef's float32 output for Conv attributes `attrs` (b may be undefined).
Tensor ReferenceConv(const std::vector<std::pair<std::string, Attribute>>& attrs, const Tensor& x, const Tensor& w,
                     const Tensor& b) {
  ConvAttrs a;
  Node n;
  for (auto& [k, v] : attrs) n.attrs.Set(k, v);
  ConvGeometry g;
  if (!a.Parse(n.attrs, false).ok() || !ResolveConv(a, x.shape(), w.shape(), &g).ok()) {
    ADD_FAILURE() << "bad Conv attributes or shapes";
    return Tensor();
  }
  Tensor want(DType::kFloat32, g.OutputShape());
  ConvRef<float>(g, x.data<float>(), w.data<float>(), b.defined() ? b.data<float>() : nullptr, want.data<float>());
  return want;
}

// Runs the kernel (oneDNN for float32) and ConvRef on the same data.
void CompareWithReference(const Cfg& c, uint32_t seed) {
  SCOPED_TRACE(Describe(c));
  Shape xs = {c.n, c.c}, ws = {c.m, c.c / c.group};
  for (int i = 0; i < c.nsp; ++i) {
    xs.push_back(c.size + i);  // unequal spatial dims catch axis mix-ups
    ws.push_back(c.k);
  }
  Tensor x = test::RandomTensor(xs, seed), w = test::RandomTensor(ws, seed + 1);
  Tensor b = c.bias ? test::RandomTensor({c.m}, seed + 2) : Tensor();
  std::vector<std::pair<std::string, Attribute>> attrs = {{"group", AInt(c.group)},
                                                          {"strides", AInts(std::vector<int64_t>(c.nsp, c.s))},
                                                          {"dilations", AInts(std::vector<int64_t>(c.nsp, c.d))}};
  if (!c.auto_pad.empty()) attrs.push_back({"auto_pad", AString(c.auto_pad)});
  else attrs.push_back({"pads", AInts(std::vector<int64_t>(2 * c.nsp, c.pad))});
  NodeSpec spec = ConvSpec(attrs, {false, c.const_w, c.const_w});
  Tensor want = ReferenceConv(attrs, x, w, b);
  ASSERT_TRUE(want.defined());

  Tensor xin = c.nhwc && c.nsp == 2 ? ToNhwc(x) : x;
  Harness<ConvKernel> h(spec, {xin, w, b});
  ASSERT_TRUE(h.init_status().ok());
  for (int run = 0; run < 2; ++run) {  // the second run uses the cached primitive/weights
    auto y = h.Run({xin, w, b});
    ASSERT_TRUE(y.ok()) << y.status().ToString();
    EXPECT_TRUE(test::MaxRelErrBelow(*y, want, 1e-4)) << "impl " << h.kernel().last_impl() << ", run " << run;
  }
  if (c.nsp == 2) {
    EXPECT_NE(h.kernel().last_impl(), "ref");
  }
}

// Channel counts divisible by 8 run blocked (nChw8c) from any input layout, others NHWC;
// depthwise too.
// Channel-blocked when the channels allow it (NHWC first when oneDNN runs AVX-512: native kernels).
TEST(Conv, BlockedWhenChannelsAllow) {
  for (int64_t m : {16, 12, -16}) {  // -16: depthwise with 16 channels
    const bool dw = m < 0;
    const int64_t c = dw ? 16 : 8, mm = dw ? 16 : m;
    std::vector<std::pair<std::string, Attribute>> attrs = {{"pads", AInts({1, 1, 1, 1})}};
    if (dw) attrs.push_back({"group", AInt(16)});
    NodeSpec spec = ConvSpec(attrs, {false, true, true});
    Tensor x = test::RandomTensor({2, c, 6, 7}, 21), w = test::RandomTensor({mm, dw ? 1 : c, 3, 3}, 22);
    Tensor b = test::RandomTensor({mm}, 23);
    Tensor want = ReferenceConv(attrs, x, w, b);
    ASSERT_TRUE(want.defined());
    for (Tensor xin : {x, ToNhwc(x), ToNchw8c(x)}) {
      SCOPED_TRACE("m " + std::to_string(m) + ", input layout " + std::to_string(int(xin.layout())));
      Harness<ConvKernel> h(spec, {xin, w, b});
      auto y = h.Run({xin, w, b});
      ASSERT_TRUE(y.ok()) << y.status().ToString();
      EXPECT_EQ(y->layout(), mm % 8 == 0 && !ConvPrefersNhwc() ? Layout::kNchw8c : Layout::kNhwc);
      EXPECT_TRUE(test::MaxRelErrBelow(*y, want, 1e-4)) << h.kernel().last_impl();
      EXPECT_NE(h.kernel().last_impl(), "ref");
    }
  }
}

TEST(Conv, RandomizedMatchesReference2D) {
  std::mt19937 rng(1234);
  auto pick = [&](std::vector<int64_t> v) { return v[rng() % v.size()]; };
  const char* pads[] = {"", "", "SAME_UPPER", "SAME_LOWER", "VALID"};
  for (int i = 0; i < 60; ++i) {
    Cfg c;
    c.nsp = 2;
    int kind = i % 4;  // dense, depthwise, grouped, depthwise multiplier
    c.n = pick({1, 2, 3});
    c.c = kind == 0 ? pick({1, 3, 5, 8, 16, 19}) : pick({4, 8, 12, 16, 24, 32});
    c.group = kind == 0 ? 1 : kind == 2 ? 2 : c.c;
    c.m = kind == 1 ? c.c : kind == 3 ? 2 * c.c : pick({1, 2, 4, 8}) * 2;
    if (kind == 0) c.m = pick({1, 7, 8, 16, 33});
    c.size = pick({5, 7, 8, 11, 14});
    c.k = pick({1, 2, 3, 5});
    c.s = pick({1, 1, 2, 3});
    c.d = pick({1, 1, 2});
    c.pad = pick({0, 1, 2});
    c.auto_pad = pads[rng() % 5];
    c.bias = rng() % 2;
    c.nhwc = rng() % 2;
    c.const_w = rng() % 2;
    if ((c.k - 1) * c.d + 1 > c.size + 2 * c.pad && c.auto_pad != "SAME_UPPER" && c.auto_pad != "SAME_LOWER") c.k = 1;
    CompareWithReference(c, 100 + i);
  }
}

TEST(Conv, RandomizedMatchesReference1DAnd3D) {
  std::mt19937 rng(99);
  auto pick = [&](std::vector<int64_t> v) { return v[rng() % v.size()]; };
  for (int i = 0; i < 24; ++i) {
    Cfg c;
    c.nsp = i % 2 ? 3 : 1;
    c.n = pick({1, 2});
    c.c = pick({2, 4, 6});
    c.group = pick({1, 2});
    c.m = c.group * pick({1, 3, 4});
    c.size = c.nsp == 1 ? pick({9, 16, 31}) : pick({4, 5, 6});
    c.k = pick({1, 2, 3});
    c.s = pick({1, 2});
    c.d = pick({1, 2});
    c.pad = pick({0, 1});
    c.auto_pad = i % 5 == 0 ? "SAME_UPPER" : "";
    c.bias = rng() % 2;
    c.nhwc = false;
    c.const_w = rng() % 2;
    if ((c.k - 1) * c.d + 1 > c.size + 2 * c.pad) c.k = 1;
    CompareWithReference(c, 500 + i);
  }
}

// MobileNetV2-like layers at batch 2: 3-channel stem, depthwise s1/s2 with TF-style
// asymmetric pads, 1x1 expand/project.
TEST(Conv, MobileNetShapes) {
  std::vector<Cfg> cfgs = {
      {2, 2, 3, 32, 1, 32, 3, 2, 1, 0, "SAME_UPPER", true, false, true},
      {2, 2, 32, 32, 32, 16, 3, 1, 1, 1, "", true, true, true},
      {2, 2, 96, 96, 96, 16, 3, 2, 1, 0, "SAME_UPPER", true, true, true},
      {2, 2, 16, 96, 1, 16, 1, 1, 1, 0, "", true, true, true},
      {2, 2, 96, 24, 1, 8, 1, 1, 1, 0, "", true, true, false},
  };
  for (size_t i = 0; i < cfgs.size(); ++i) CompareWithReference(cfgs[i], 900 + static_cast<uint32_t>(i));
}

// Depthwise convs: channel counts that are not multiples of 8, tiny images, and every
// kernel size/stride/dilation/padding combination.
TEST(Conv, DepthwiseMatchesReference) {
  std::mt19937 rng(4321);
  auto pick = [&](std::vector<int64_t> v) { return v[rng() % v.size()]; };
  const char* pads[] = {"", "", "SAME_UPPER", "SAME_LOWER", "VALID"};
  for (int i = 0; i < 48; ++i) {
    Cfg c;
    c.nsp = 2;
    c.n = pick({1, 2});
    c.c = pick({2, 3, 8, 13, 16, 24, 35});
    c.group = c.m = c.c;
    c.size = pick({1, 2, 4, 7, 9, 16});
    c.k = pick({1, 2, 3, 3, 3, 5});
    c.s = pick({1, 1, 2, 3});
    c.d = pick({1, 1, 1, 2});
    c.pad = pick({0, 1, 2});
    c.auto_pad = pads[rng() % 5];
    c.bias = rng() % 2;
    c.nhwc = rng() % 4 != 0;
    c.const_w = rng() % 2;
    bool same = c.auto_pad == "SAME_UPPER" || c.auto_pad == "SAME_LOWER";
    int64_t pad = c.auto_pad == "VALID" ? 0 : c.pad;
    if (!same && (c.k - 1) * c.d + 1 > c.size + 2 * pad) c.k = 1;
    CompareWithReference(c, 700 + i);
  }
}

// One kernel serves several batch sizes and both layouts; each shape gets its own primitive.
TEST(Conv, CacheServesManyShapes) {
  Tensor w = test::RandomTensor({8, 4, 3, 3}, 5), b = test::RandomTensor({8}, 6);
  NodeSpec spec = ConvSpec({{"pads", AInts({1, 1, 1, 1})}}, {false, true, true});
  Harness<ConvKernel> h(spec, {Tensor(DType::kFloat32, {1, 4, 6, 6}), w, b});
  ASSERT_TRUE(h.init_status().ok());
  for (int64_t n : {1, 3, 1, 2, 3}) {
    for (bool nhwc : {false, true}) {
      Tensor x = test::RandomTensor({n, 4, 6, 7}, static_cast<uint32_t>(n * 10 + nhwc));
      ConvAttrs a;
      a.pads = {1, 1, 1, 1};
      ConvGeometry g;
      ASSERT_TRUE(ResolveConv(a, x.shape(), w.shape(), &g).ok());
      Tensor want(DType::kFloat32, g.OutputShape());
      ConvRef<float>(g, x.data<float>(), w.data<float>(), b.data<float>(), want.data<float>());
      auto y = h.Run({nhwc ? ToNhwc(x) : x, w, b});
      ASSERT_TRUE(y.ok()) << y.status().ToString();
      EXPECT_TRUE(test::MaxRelErrBelow(*y, want)) << "n=" << n << " nhwc=" << nhwc;
    }
  }
}

// Runtime (non-constant) weights that change between runs are re-read every run.
TEST(Conv, RuntimeWeightsChangeBetweenRuns) {
  Tensor x = test::RandomTensor({2, 8, 5, 5}, 1);
  Harness<ConvKernel> h(ConvSpec({{"group", AInt(8)}}), {x, Tensor(DType::kFloat32, {8, 1, 3, 3})});
  for (uint32_t seed : {7u, 8u, 9u}) {
    Tensor w = test::RandomTensor({8, 1, 3, 3}, seed);
    Tensor w_in = seed == 9u ? ToNhwc(w) : w;  // a runtime W may arrive channels-last
    ConvAttrs a;
    a.group = 8;
    ConvGeometry g;
    ASSERT_TRUE(ResolveConv(a, x.shape(), w.shape(), &g).ok());
    Tensor want(DType::kFloat32, g.OutputShape());
    ConvRef<float>(g, x.data<float>(), w.data<float>(), nullptr, want.data<float>());
    auto y = h.Run({x, w_in});
    ASSERT_TRUE(y.ok());
    EXPECT_TRUE(test::MaxRelErrBelow(*y, want)) << "seed " << seed;
  }
}

}  // namespace
}  // namespace litemp
