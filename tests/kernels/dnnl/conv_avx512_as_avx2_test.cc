// The AVX-512 stand-in for oneDNN's AVX2 1x1 convolution (conv_avx512_as_avx2.h) gives the
// same bits as the oneDNN kernel it replaces: each case runs ConvKernel with it and without
// it in one process and compares every output float, with and without post-ops.
#include <cmath>
#include <cstring>
#include <limits>

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
  int64_t n, c, m, h, w, k, s, pad_lo, pad_hi;
  bool depthwise, bias, const_w;
};

std::string Describe(const Case& c) {
  return "n" + std::to_string(c.n) + " c" + std::to_string(c.c) + " m" + std::to_string(c.m) + " " +
         std::to_string(c.h) + "x" + std::to_string(c.w) + " k" + std::to_string(c.k) + " s" + std::to_string(c.s) +
         " pads " + std::to_string(c.pad_lo) + "," + std::to_string(c.pad_hi) + (c.depthwise ? " dw" : "") +
         (c.bias ? " bias" : "") + (c.const_w ? " const" : " runtime-w");
}

// The kernels are on unless a test switches them off; this restores them.
struct EnabledScope {
  explicit EnabledScope(bool on) { SetAvx512AsAvx2Enabled(on); }
  ~EnabledScope() { SetAvx512AsAvx2Enabled(true); }
};

bool SameBits(const Tensor& a0, const Tensor& b0, std::string* why) {
  Tensor a = ToPlain(a0), b = ToPlain(b0);
  if (a.shape() != b.shape()) {
    *why = "shapes differ";
    return false;
  }
  for (int64_t i = 0; i < a.numel(); ++i) {
    const float x = a.data<float>()[i], y = b.data<float>()[i];
    if (std::memcmp(&x, &y, 4) != 0) {
      *why = "element " + std::to_string(i) + ": " + std::to_string(x) + " vs " + std::to_string(y);
      return false;
    }
  }
  return true;
}

// Runs the case with the stand-ins on and off; `post` builds the post-ops offered (it may
// refer to tensors it keeps alive in *keep). Expects the same bits, the same post-op
// count, and that the stand-in ran when `expect_wide`.
void ExpectSameBits(const Case& c, uint32_t seed, bool poison,
                    const std::function<std::vector<PostOp>(const Shape& out, std::vector<Tensor>* keep)>& post,
                    bool expect_wide) {
  SCOPED_TRACE(Describe(c));
  const int64_t group = c.depthwise ? c.c : 1;
  Tensor x = test::RandomTensor({c.n, c.c, c.h, c.w}, seed, -2.f, 2.f);
  if (poison) {  // special values take the same path through both
    x.data<float>()[0] = std::numeric_limits<float>::quiet_NaN();
    x.data<float>()[x.numel() / 2] = std::numeric_limits<float>::infinity();
    x.data<float>()[x.numel() - 1] = -0.0f;
  }
  Tensor w = test::RandomTensor({c.m, c.c / group, c.k, c.k}, seed + 1);
  Tensor b = c.bias ? test::RandomTensor({c.m}, seed + 2) : Tensor();
  NodeSpec spec;
  spec.op_type = "Conv";
  spec.opset = 11;
  spec.attrs = {{"group", AInt(group)},
                {"strides", AInts({c.s, c.s})},
                {"pads", AInts({c.pad_lo, c.pad_lo, c.pad_hi, c.pad_hi})}};
  spec.constant_inputs = {false, c.const_w, c.const_w};
  const Tensor xin = ToNchw8c(x);
  Tensor got[2];
  int applied[2] = {0, 0};
  std::string impl[2];
  for (int on = 0; on < 2; ++on) {
    EnabledScope scope(on == 1);
    Harness<ConvKernel> h(spec, {xin, w, b});
    ASSERT_TRUE(h.init_status().ok());
    for (int run = 0; run < 2; ++run) {  // the second run reuses the packed weights
      std::vector<Tensor> keep;
      Shape out = {c.n, c.m, (c.h + c.pad_lo + c.pad_hi - c.k) / c.s + 1, (c.w + c.pad_lo + c.pad_hi - c.k) / c.s + 1};
      std::vector<PostOp> ops = post ? post(out, &keep) : std::vector<PostOp>{};
      auto y = h.Run({xin, w, b}, &ops, &applied[on]);
      ASSERT_TRUE(y.ok()) << y.status().ToString();
      got[on] = ToPlain(*y);
    }
    impl[on] = h.kernel().last_impl();
  }
  SCOPED_TRACE("oneDNN " + impl[0] + ", with the stand-ins " + impl[1]);
  std::string why;
  EXPECT_TRUE(SameBits(got[1], got[0], &why)) << why;
  EXPECT_EQ(applied[1], applied[0]);
  if (expect_wide) EXPECT_NE(impl[1].find("on avx512"), std::string::npos);
  EXPECT_EQ(impl[0].find("on avx512"), std::string::npos);
}

class ConvAvx512AsAvx2 : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!Avx512AsAvx2Available()) GTEST_SKIP() << "no AVX-512 on this CPU";
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
        const bool bias = seed % 3 != 0, const_w = seed % 4 != 1;
        ExpectSameBits({2, c, m, h, w, 1, 1, 0, 0, false, bias, const_w}, seed++, seed % 5 == 0, nullptr, true);
      }
}

// MobileNetV2's own 1x1 shapes (batch 2) take the stand-in; not strided or padded ones.
TEST_F(ConvAvx512AsAvx2, MobileNetShapesTakeTheStandIn) {
  ExpectSameBits({2, 32, 16, 112, 112, 1, 1, 0, 0, false, true, true}, 10, false, nullptr, true);
  ExpectSameBits({2, 24, 144, 56, 56, 1, 1, 0, 0, false, true, true}, 11, false, nullptr, true);
  ExpectSameBits({2, 960, 320, 7, 7, 1, 1, 0, 0, false, true, true}, 12, false, nullptr, true);
  ExpectSameBits({2, 320, 1280, 7, 7, 1, 1, 0, 0, false, true, true}, 13, false, nullptr, true);
  ExpectSameBits({2, 16, 24, 9, 9, 1, 2, 0, 0, false, true, true}, 14, false, nullptr, false);
  ExpectSameBits({2, 16, 24, 9, 9, 1, 1, 1, 1, false, true, true}, 15, false, nullptr, false);
}

// Clip, residual Add and fake-quantization post-ops: the same steps on the same sums, with
// NaN, infinity and -0 in the input. A leading clip runs in registers, a later one after.
TEST_F(ConvAvx512AsAvx2, PostOpsSameBitsAsOneDnn) {
  auto clip_quant = [](const Shape&, std::vector<Tensor>*) {
    std::vector<PostOp> ops(2);
    ops[0].kind = PostOp::Kind::kClip;
    ops[0].lo = 0;
    ops[0].hi = 6;
    ops[1].kind = PostOp::Kind::kQuantize;
    ops[1].scale = 6.0f / 255;
    ops[1].lo = 0;
    ops[1].hi = 255;
    return ops;
  };
  auto relu = [](const Shape&, std::vector<Tensor>*) {
    std::vector<PostOp> ops(1);
    ops[0].kind = PostOp::Kind::kClip;
    ops[0].lo = 0;
    ops[0].hi = std::numeric_limits<float>::infinity();
    return ops;
  };
  auto post = [](const Shape& out, std::vector<Tensor>* keep) {
    keep->push_back(ToNchw8c(test::RandomTensor(out, 77, -3.f, 3.f)));
    std::vector<PostOp> ops(4);
    ops[0].kind = PostOp::Kind::kAdd;
    ops[0].operand = &keep->back();
    ops[1].kind = PostOp::Kind::kClip;
    ops[1].lo = 0;
    ops[1].hi = 6;
    ops[2].kind = PostOp::Kind::kQuantize;
    ops[2].scale = 0.0371f;
    ops[2].lo = -128;
    ops[2].hi = 127;
    ops[3].kind = PostOp::Kind::kMul;  // a conv stops at a Mul
    ops[3].operand = &keep->back();
    return ops;
  };
  ExpectSameBits({2, 136, 24, 9, 11, 1, 1, 0, 0, false, true, true}, 200, true, post, true);
  ExpectSameBits({2, 136, 40, 9, 11, 1, 1, 0, 0, false, false, false}, 201, true, clip_quant, true);
  ExpectSameBits({2, 264, 16, 5, 7, 1, 1, 0, 0, false, true, true}, 202, true, relu, true);
}

}  // namespace
}  // namespace litemp
