// The AVX-512 stand-ins for oneDNN's AVX2 convolutions (conv_avx512_as_avx2.h) give the
// same bits as the oneDNN kernels they replace: each case runs ConvKernel with them and
// without them in one process and compares every output float, with and without post-ops.
// Where NaNs meet, only NaN-ness is compared (which NaN survives is the one documented
// exception).
#include <cmath>
#include <cstring>
#include <limits>

#include "core/parallel.h"
#include "kernels/dnnl/conv.h"
#include "kernels/dnnl/conv_avx512_as_avx2.h"
#include "kernels/dnnl/dnnl_test_util.h"
#include "litemp/kernel_set.h"

namespace litemp {
namespace {

using test::AInt;
using test::AInts;
using test::Harness;
using test::NodeSpec;

struct Case {
  int64_t n, c, m, h, w, s = 1, pad = 0, k = 1;
  // Non-square: kernel width, stride along the width, and pads {top, left, bottom, right}
  // when set (else k, s and pad everywhere).
  int64_t kw = 0, sw = 0;
  std::vector<int64_t> pads;
  bool bias = true, const_w = true, const_b = true;
  Layout layout = Layout::kNchw8c;  // of the input
  int64_t group = 1;                // c for a depthwise convolution
};

int64_t KernelW(const Case& c) { return c.kw ? c.kw : c.k; }
int64_t StrideW(const Case& c) { return c.sw ? c.sw : c.s; }
std::vector<int64_t> Pads(const Case& c) { return c.pads.empty() ? std::vector<int64_t>(4, c.pad) : c.pads; }

std::string Describe(const Case& c) {
  auto n = [](int64_t v) { return std::to_string(v); };
  const std::vector<int64_t> p = Pads(c);
  return "n" + n(c.n) + " c" + n(c.c) + " m" + n(c.m) + " " + n(c.h) + "x" + n(c.w) + " k" + n(c.k) + "x" +
         n(KernelW(c)) + " s" + n(c.s) + "x" + n(StrideW(c)) + " pads " + n(p[0]) + "," + n(p[1]) + "," + n(p[2]) +
         "," + n(p[3]) + (c.bias ? " bias" : "") + (c.const_w ? " const-w" : " runtime-w") +
         (c.const_b ? " const-b" : " runtime-b") + " layout" + n(static_cast<int>(c.layout)) + " group" + n(c.group);
}

bool SameBits(const Tensor& a0, const Tensor& b0, std::string* why) {
  Tensor a = ToPlain(a0), b = ToPlain(b0);
  if (a.shape() != b.shape()) {
    *why = "shapes differ";
    return false;
  }
  for (int64_t i = 0; i < a.numel(); ++i) {
    const float x = a.data<float>()[i], y = b.data<float>()[i];
    if (std::isnan(x) && std::isnan(y)) continue;
    if (std::memcmp(&x, &y, 4) != 0) {
      *why = "element " + std::to_string(i) + ": " + std::to_string(x) + " vs " + std::to_string(y);
      return false;
    }
  }
  return true;
}

using PostOpsFn = std::function<std::vector<PostOp>(const Shape& out, std::vector<Tensor>* keep)>;

// What one configuration does: the expected post-op count (-1: not checked) and whether
// the stand-in must run.
struct Expect {
  int applied = -1;
  bool wide = true;
};

// Runs the case with the stand-in on and off, twice each (new weights and bias on the
// second run when they are run-time inputs); `post` builds the post-ops offered (it may
// keep tensors alive in *keep). Expects the same bits and post-op count every run.
void ExpectSameBits(const Case& c, uint32_t seed, bool special_values, const PostOpsFn& post, Expect expect) {
  SCOPED_TRACE(Describe(c));
  Tensor x = test::RandomTensor({c.n, c.c, c.h, c.w}, seed, -2.f, 2.f);
  if (special_values) {
    const int64_t hw = c.h * c.w;
    float* v = x.data<float>();
    v[0] = std::numeric_limits<float>::quiet_NaN();  // sample 0, pixel 0
    v[1] = std::numeric_limits<float>::infinity();   // sample 0, pixel 1
    v[hw + 1] = -std::numeric_limits<float>::infinity();  // sample 0, pixel 1 again: inf - inf
    v[2] = -0.0f;
  }
  const Tensor xin = c.layout == Layout::kNchw8c ? ToNchw8c(x) : c.layout == Layout::kNhwc ? ToNhwc(x) : x;
  Tensor w[2], b[2];
  for (int run = 0; run < 2; ++run) {
    const bool fresh = run == 1;
    const Shape ws = {c.m, c.c / c.group, c.k, KernelW(c)};
    w[run] = test::RandomTensor(ws, fresh && !c.const_w ? seed + 11 : seed + 1);
    if (c.bias) b[run] = test::RandomTensor({c.m}, fresh && !c.const_b ? seed + 12 : seed + 2);
  }
  NodeSpec spec;
  spec.op_type = "Conv";
  spec.opset = 11;
  const std::vector<int64_t> pads = Pads(c);
  spec.attrs = {{"strides", AInts({c.s, StrideW(c)})}, {"pads", AInts(pads)}, {"group", AInt(c.group)}};
  spec.constant_inputs = {false, c.const_w, c.const_b};
  Tensor got[2][2];
  int applied[2][2] = {{0, 0}, {0, 0}};
  std::string impl[2];
  for (int on = 0; on < 2; ++on) {
    test::Avx512AsAvx2Scope scope(on == 1);
    Harness<ConvKernel> h(spec, {xin, w[0], b[0]});
    ASSERT_TRUE(h.init_status().ok());
    for (int run = 0; run < 2; ++run) {
      std::vector<Tensor> keep;
      Shape out = {c.n, c.m, (c.h + pads[0] + pads[2] - c.k) / c.s + 1,
                   (c.w + pads[1] + pads[3] - KernelW(c)) / StrideW(c) + 1};
      std::vector<PostOp> ops = post ? post(out, &keep) : std::vector<PostOp>{};
      auto y = h.Run({xin, w[run], b[run]}, &ops, &applied[on][run]);
      ASSERT_TRUE(y.ok()) << y.status().ToString();
      got[on][run] = ToPlain(*y);
    }
    impl[on] = h.kernel().last_impl();
  }
  SCOPED_TRACE("oneDNN " + impl[0] + ", with the stand-in " + impl[1]);
  for (int run = 0; run < 2; ++run) {
    std::string why;
    EXPECT_TRUE(SameBits(got[1][run], got[0][run], &why)) << "run " << run << ": " << why;
    EXPECT_EQ(applied[1][run], applied[0][run]);
    if (expect.applied >= 0) EXPECT_EQ(applied[1][run], expect.applied);
  }
  if (expect.wide) {
    const std::string want = c.group > 1 ? "jit_dw:avx2" : c.k == 1 && KernelW(c) == 1 ? "jit_1x1:avx2" : "jit:avx2";
    EXPECT_EQ(impl[0], want);
    EXPECT_EQ(impl[1], want + " on avx512");
  }
  EXPECT_EQ(impl[0].find("on avx512"), std::string::npos);
}

// `k` with or without bias, constant or run-time weights and bias, by seed.
Case Varied(Case k, uint32_t seed) {
  k.bias = seed % 3 != 0;
  k.const_w = seed % 4 != 1;
  k.const_b = seed % 5 != 2;
  return k;
}

class ConvAvx512AsAvx2 : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!Avx512AsAvx2Available()) GTEST_SKIP() << "no AVX-512 on this CPU (or LITEMP_AVX512_AS_AVX2=0)";
    if (KernelsUseAvx512()) GTEST_SKIP() << "native kernels: oneDNN runs its own AVX-512 kernels";
  }
};

TEST_F(ConvAvx512AsAvx2, PointwiseSameBitsAsOneDnn) {
  uint32_t seed = 1;
  // Channel counts around the 16-wide groups and oneDNN's 128-channel chunks; pixel counts
  // around the 6-pixel tiles and 48-pixel blocks.
  for (int64_t c : {8, 16, 24, 120, 128, 136, 264, 960})
    for (int64_t m : {8, 24, 40, 64, 72, 160})
      for (auto [h, w] : {std::pair<int64_t, int64_t>{7, 7}, {1, 5}, {9, 11}}) {
        ExpectSameBits(Varied({2, c, m, h, w}, seed), seed, seed % 5 == 0, nullptr, {});
        ++seed;
      }
}

// MobileNetV2's own 1x1 shapes (batch 2) take the stand-in; strided, padded or not
// channel-blocked ones stay with oneDNN, with the same bits.
TEST_F(ConvAvx512AsAvx2, ShapesAndLayouts) {
  ExpectSameBits({2, 32, 16, 112, 112}, 10, false, nullptr, {});
  ExpectSameBits({2, 24, 144, 56, 56}, 11, false, nullptr, {});
  ExpectSameBits({2, 960, 320, 7, 7}, 12, false, nullptr, {});
  ExpectSameBits({2, 320, 1280, 7, 7}, 13, false, nullptr, {});
  ExpectSameBits({2, 16, 24, 9, 9, 2}, 14, false, nullptr, {-1, false});
  ExpectSameBits({2, 16, 24, 9, 9, 1, 1}, 15, false, nullptr, {-1, false});
  for (Layout l : {Layout::kPlain, Layout::kNhwc}) {  // a reordered input, whatever oneDNN picks
    Case k{2, 136, 24, 9, 11};
    k.layout = l;
    ExpectSameBits(k, 16, true, nullptr, {-1, false});
  }
}

// Output channels that are not a multiple of 8 (a classifier after global pooling, a
// detection head) leave oneDNN channels-last, where it reduces over all input channels in
// one pass: the stand-in there too, its last channel block stored in part. Pixel counts
// span samples (channels-last, the pixels of all samples follow one another).
TEST_F(ConvAvx512AsAvx2, PointwiseChannelsLastSameBitsAsOneDnn) {
  uint32_t seed = 600;
  for (int64_t c : {8, 136, 264, 1280})
    for (int64_t m : {1, 5, 17, 24, 33, 77})
      for (auto [n, h, w] : {std::tuple<int64_t, int64_t, int64_t>{1, 1, 1}, {3, 1, 1}, {2, 7, 7}, {1, 1, 5}}) {
        Case k = Varied({n, c, m, h, w}, seed);
        k.layout = Layout::kNhwc;
        ExpectSameBits(k, seed, seed % 5 == 0, nullptr, {});
        ++seed;
      }
  Case classifier{1, 1280, 1001, 1, 1};  // MobileNetV2's, at batch 1 and 2
  classifier.layout = Layout::kNhwc;
  ExpectSameBits(classifier, seed++, false, nullptr, {});
  classifier.n = 2;
  ExpectSameBits(classifier, seed++, true, nullptr, {});
  Case yolo{1, 256, 255, 13, 13};  // a YOLO head, from a plain input (reordered)
  yolo.layout = Layout::kPlain;
  ExpectSameBits(yolo, seed++, false, nullptr, {});
}

// The general kernel (jit:avx2): kernel sizes, strides and pads around its borders (taps
// outside the input are skipped), channel counts across blocks of 8 and groups of 16.
TEST_F(ConvAvx512AsAvx2, GeneralSameBitsAsOneDnn) {
  uint32_t seed = 300;
  for (int64_t c : {8, 16, 72})
    for (int64_t m : {8, 24, 72})
      for (auto [k, st, pad] :
           {std::tuple<int64_t, int64_t, int64_t>{3, 1, 1}, {3, 2, 1}, {3, 2, 0}, {5, 1, 2}, {5, 2, 1}})
        for (auto [h, w] : {std::pair<int64_t, int64_t>{9, 11}, {5, 5}, {3, 2}}) {
          if (h + 2 * pad < k || w + 2 * pad < k) continue;
          ExpectSameBits(Varied({2, c, m, h, w, st, pad, k}, seed), seed, seed % 5 == 0, nullptr, {});
          ++seed;
        }
}

// Non-square kernels, strides and pads (rows and columns must not be swapped anywhere),
// more than 128 channels, batch 1, and a reordered input.
TEST_F(ConvAvx512AsAvx2, GeneralUnevenShapes) {
  Case a{2, 16, 24, 9, 13, 1, 0, 3};
  a.kw = 5;
  a.sw = 2;
  a.pads = {0, 1, 2, 1};
  ExpectSameBits(a, 500, true, nullptr, {});
  Case b{2, 8, 16, 12, 7, 2, 0, 5};
  b.kw = 3;
  b.sw = 1;
  b.pads = {2, 0, 1, 1};
  ExpectSameBits(b, 501, false, nullptr, {});
  ExpectSameBits(Varied({2, 136, 24, 7, 9, 1, 1, 3}, 502), 502, true, nullptr, {});
  ExpectSameBits({2, 256, 40, 6, 5, 1, 1, 3}, 503, false, nullptr, {});
  ExpectSameBits({1, 32, 64, 17, 15, 2, 1, 3}, 504, false, nullptr, {});
  Case nhwc{2, 16, 24, 9, 11, 1, 1, 3};
  nhwc.layout = Layout::kNhwc;
  ExpectSameBits(nhwc, 505, true, nullptr, {-1, false});
}

// A first layer: a plain image input with fewer than 8 channels (MobileNetV2's own shape
// among them, and a ResNet-style 7x7 stride 2).
TEST_F(ConvAvx512AsAvx2, FirstLayerPlainInput) {
  uint32_t seed = 400;
  for (int64_t c : {1, 3, 4, 7}) {
    Case x{2, c, 32, 33, 35, 2, 1, 3};
    x.layout = Layout::kPlain;
    ExpectSameBits(x, seed++, c == 3, nullptr, {});
  }
  Case mnv2{2, 3, 32, 224, 224, 2, 1, 3};
  mnv2.layout = Layout::kPlain;
  ExpectSameBits(mnv2, seed++, false, nullptr, {});
  Case resnet{1, 3, 64, 64, 61, 2, 3, 7};
  resnet.layout = Layout::kPlain;
  ExpectSameBits(resnet, seed++, true, nullptr, {});
}

// An Add of a random addend shaped `out`, in `layout`, kept alive in *keep.
PostOp AddOf(const Shape& out, Layout layout, uint32_t seed, std::vector<Tensor>* keep) {
  Tensor a = test::RandomTensor(out, seed, -3.f, 3.f);
  keep->push_back(layout == Layout::kNhwc ? ToNhwc(a) : ToNchw8c(a));
  PostOp add;
  add.kind = PostOp::Kind::kAdd;
  add.operand = &keep->back();
  return add;
}

// Clip, residual Add and fake-quantization post-ops: the same steps on the same sums. A
// leading clip runs in registers, a later one on each finished range.
TEST_F(ConvAvx512AsAvx2, PostOpsSameBitsAsOneDnn) {
  auto add_first = [](const Shape& out, std::vector<Tensor>* keep) {
    keep->push_back(ToNchw8c(test::RandomTensor(out, 77, -3.f, 3.f)));
    PostOp add, mul;
    add.kind = PostOp::Kind::kAdd;
    add.operand = &keep->back();
    mul.kind = PostOp::Kind::kMul;  // a conv stops at a Mul
    mul.operand = &keep->back();
    return std::vector<PostOp>{add, test::ClipOp(0, 6), test::QuantizeOp(0.0371f, -128, 127), mul};
  };
  auto clip_quant = [](const Shape&, std::vector<Tensor>*) {
    return std::vector<PostOp>{test::ClipOp(0, 6), test::QuantizeOp(6.0f / 255, 0, 255)};
  };
  auto relu = [](const Shape&, std::vector<Tensor>*) {
    return std::vector<PostOp>{test::ClipOp(0, std::numeric_limits<float>::infinity())};
  };
  ExpectSameBits({2, 136, 24, 9, 11}, 200, true, add_first, {3, true});
  Case runtime{2, 136, 40, 9, 11};
  runtime.const_w = runtime.const_b = false;
  ExpectSameBits(runtime, 201, true, clip_quant, {2, true});
  ExpectSameBits({2, 264, 16, 5, 7}, 202, true, relu, {1, true});
  ExpectSameBits({2, 16, 24, 9, 11, 1, 1, 3}, 203, true, add_first, {3, true});
  Case first{2, 3, 16, 17, 19, 2, 1, 3};
  first.layout = Layout::kPlain;
  ExpectSameBits(first, 204, true, clip_quant, {2, true});
  // Channels-last, 1x1: clips and fake-quantization on each pixel's finished channels, and
  // an Add whose addend is channels-last too.
  auto add_nhwc = [](const Shape& out, std::vector<Tensor>* keep) {
    return std::vector<PostOp>{test::ClipOp(-1, 1), AddOf(out, Layout::kNhwc, 78, keep), test::QuantizeOp(0.0371f, -128, 127),
                               test::ClipOp(-2, 2)};
  };
  Case nhwc{3, 264, 37, 5, 3};
  nhwc.layout = Layout::kNhwc;
  ExpectSameBits(nhwc, 205, true, clip_quant, {2, true});
  ExpectSameBits(nhwc, 206, true, add_nhwc, {-1, true});
}

// Few samples (batch 1) split evenly between the threads, by output channels where the
// weights are the larger operand and by pixels otherwise, with uneven tiles inside: at 2
// and 3 threads, blocked (1 and 3 samples) and channels-last, with post-ops on every
// finished range (an Add applied twice or missed shows).
TEST_F(ConvAvx512AsAvx2, PointwiseFewSamplesSplitEvenly) {
  const int threads = NumThreads();
  auto add_first = [](const Shape& out, std::vector<Tensor>* keep) {
    return std::vector<PostOp>{test::ClipOp(0, 6), AddOf(out, Layout::kNchw8c, 79, keep), test::QuantizeOp(0.0371f, -128, 127)};
  };
  auto add_nhwc = [](const Shape& out, std::vector<Tensor>* keep) {
    return std::vector<PostOp>{AddOf(out, Layout::kNhwc, 80, keep), test::ClipOp(-2, 2)};
  };
  uint32_t seed = 700;
  for (int t : {2, 3}) {
    SetNumThreads(t);
    SCOPED_TRACE(std::to_string(t) + " threads");
    // 10 groups over 49 pixels (by groups); 6 over 196 and 3 over 99 (by pixels); 9 over
    // 81 (by groups, 9 not a multiple of 2 or 3); 3 samples of 2 groups over 35 pixels.
    for (Case k : {Case{1, 960, 160, 7, 7}, Case{1, 576, 96, 14, 14}, Case{1, 136, 40, 9, 11},
                   Case{1, 64, 144, 9, 9}, Case{3, 264, 24, 5, 7}}) {
      ExpectSameBits(Varied(k, seed), seed, seed % 2 == 0, nullptr, {});
      ++seed;
      ExpectSameBits(k, seed++, false, add_first, {3, true});
    }
    Case nhwc{1, 264, 77, 7, 7};  // 5 groups over 49 pixels
    nhwc.layout = Layout::kNhwc;
    ExpectSameBits(nhwc, seed++, true, add_nhwc, {2, true});
    Case classifier{1, 1280, 1001, 1, 1};
    classifier.layout = Layout::kNhwc;
    ExpectSameBits(classifier, seed++, false, add_nhwc, {2, true});
  }
  SetNumThreads(threads);
}

// Depthwise (jit_dw:avx2): 3x3 and 5x5 kernels (and kernels taller or wider than square),
// strides 1 and 2 (and rows of stride 3), pads around the borders (taps outside skipped),
// widths around the 14-output tiles, channel counts with a lone last block of 8, batch 1
// and 3.
TEST_F(ConvAvx512AsAvx2, DepthwiseSameBitsAsOneDnn) {
  uint32_t seed = 800;
  for (int64_t c : {8, 16, 24, 96})
    for (int64_t k : {3, 5})
      for (int64_t s : {1, 2})
        for (auto [h, w] : {std::pair<int64_t, int64_t>{7, 7}, {14, 15}, {5, 29}, {1, 1}}) {
          Case d = Varied({seed % 2 ? 1 : 3, c, c, h, w, s, k / 2, k}, seed);
          d.group = c;
          // A 1x1 image under a 5x5 kernel goes to oneDNN's gemm kernel, both times.
          ExpectSameBits(d, seed, seed % 3 == 0, nullptr, {-1, h > 1 || k == 3});
          ++seed;
        }
  // No pads, pads at one end only, stride 3 between rows, a wide row of MobileNetV2's.
  for (Case d : {Case{2, 32, 32, 9, 9, 1, 0, 3}, Case{1, 16, 16, 8, 11, 2, 0, 3}, Case{1, 144, 144, 56, 56, 1, 1, 3},
                 Case{1, 96, 96, 112, 112, 2, 1, 3}}) {
    d.group = d.c;
    ExpectSameBits(d, seed++, true, nullptr, {});
  }
  Case one_sided{1, 24, 24, 10, 13};
  one_sided.k = 3;
  one_sided.s = 2;
  one_sided.pads = {0, 0, 1, 1};  // TensorFlow's SAME at stride 2: pads at the end only
  one_sided.group = 24;
  ExpectSameBits(one_sided, seed++, true, nullptr, {});
  Case rows{1, 16, 16, 12, 12, 3, 1, 3};
  rows.sw = 1;  // stride 3 down, 1 across
  rows.group = 16;
  ExpectSameBits(rows, seed++, true, nullptr, {});
  // Kernels of 1x3, 5x3 and 3x5 (the stand-in's rows run at any height), with their pads.
  for (auto [kh, kw, s] : {std::tuple<int64_t, int64_t, int64_t>{1, 3, 1}, {5, 3, 1}, {3, 5, 2}, {5, 3, 2}}) {
    Case d{1, 40, 40, 11, 17, s};
    d.k = kh;
    d.kw = kw;
    d.pads = {kh / 2, kw / 2, kh / 2, kw / 2};
    d.group = 40;
    ExpectSameBits(d, seed++, true, nullptr, {});
  }
  // Post-ops on the finished rows (an Add applied twice or missed shows), ReLU6 in registers.
  auto add_quant = [](const Shape& out, std::vector<Tensor>* keep) {
    return std::vector<PostOp>{test::ClipOp(0, 6), AddOf(out, Layout::kNchw8c, 81, keep), test::QuantizeOp(0.0371f, -128, 127)};
  };
  Case post{3, 40, 40, 9, 17, 1, 1, 3};
  post.group = 40;
  ExpectSameBits(post, seed++, true, add_quant, {3, true});
}

// oneDNN's clip sends -0 to +0 (vmaxps with 0), std::max would keep it: sums of -0 (a -0
// bias plus products of +0 and negative weights) through ReLU come out +0.
TEST_F(ConvAvx512AsAvx2, ReluOfMinusZeroIsPlusZero) {
  NodeSpec spec;
  spec.op_type = "Conv";
  spec.opset = 11;
  spec.constant_inputs = {false, true, true};
  const int64_t c = 16, m = 16;
  Tensor x = ToNchw8c(test::Filled({1, c, 3, 3}, 0.f));
  Tensor w = test::Filled({m, c, 1, 1}, -0.5f), b = test::Filled({m}, -0.0f);
  std::vector<PostOp> relu(1);
  relu[0].kind = PostOp::Kind::kClip;
  relu[0].hi = std::numeric_limits<float>::infinity();
  for (int on = 0; on < 2; ++on) {
    test::Avx512AsAvx2Scope scope(on == 1);
    Harness<ConvKernel> h(spec, {x, w, b});
    int applied = 0;
    auto y = h.Run({x, w, b}, &relu, &applied);
    ASSERT_TRUE(y.ok()) << y.status().ToString();
    ASSERT_EQ(applied, 1) << h.kernel().last_impl();
    const Tensor p = ToPlain(*y);
    for (int64_t i = 0; i < p.numel(); ++i) ASSERT_FALSE(std::signbit(p.data<float>()[i])) << "element " << i;
    if (on == 1) EXPECT_EQ(h.kernel().last_impl(), "jit_1x1:avx2 on avx512");
    auto bare = h.Run({x, w, b});  // without the ReLU the sums are -0
    ASSERT_TRUE(bare.ok());
    EXPECT_TRUE(std::signbit(ToPlain(*bare).data<float>()[0]));
  }
}

}  // namespace
}  // namespace litemp
