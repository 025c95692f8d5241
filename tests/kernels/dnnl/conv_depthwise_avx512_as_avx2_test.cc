// A 1x1 or general convolution and the depthwise convolution after it, run in one pass
// (conv_depthwise_avx512_as_avx2.h, offered as a PostOp::kDepthwiseConv), give the same
// bits as oneDNN running the two layers one after the other, with each layer's post-ops:
// across the bands of rows a thread keeps (large images), the parts threads take (by
// groups, by rows, by samples), lone channel blocks, input channels past oneDNN's chunk of
// 128, a model's first layer on plain input, kernels and strides the depthwise stand-in
// takes, and pads at one side or none.
#include <cmath>
#include <cstring>
#include <limits>

#include "core/parallel.h"
#include "kernels/dnnl/conv.h"
#include "kernels/dnnl/conv_avx512_as_avx2.h"
#include "kernels/dnnl/conv_depthwise_avx512_as_avx2.h"
#include "kernels/dnnl/dnnl_test_util.h"
#include "kernels/post_ops.h"
#include "litemp/kernel_set.h"

namespace litemp {
namespace {

using test::AInt;
using test::AInts;
using test::Harness;
using test::NodeSpec;

struct Block {
  int64_t n, cx, c, h, w;  // the first layer: cx -> c channels on an h x w image
  int64_t kh = 3, kw = 3, sh = 1, sw = 1;
  std::vector<int64_t> pads = {1, 1, 1, 1};  // the depthwise layer's: top, left, bottom, right
  bool bias = true;
  // The first layer's square kernel, stride and pads (1x1 by default: an expand layer), and
  // a plain input (a model's first layer; else nChw8c).
  int64_t fk = 1, fs = 1, fpad = 0;
  bool plain = false;
  int64_t project = 0;  // a 1x1 layer after the depthwise one (PostOp::kPointwiseConv): its
                        // output channels; 0 for none
};

// A model's first layer (3x3, stride 2, plain input of 3 channels) then a depthwise layer.
Block Stem(int64_t n, int64_t c, int64_t h, int64_t w) {
  Block b{n, 3, c, h, w};
  b.fk = 3;
  b.fs = 2;
  b.fpad = 1;
  b.plain = true;
  return b;
}

std::string Describe(const Block& b) {
  auto n = [](int64_t v) { return std::to_string(v); };
  return "n" + n(b.n) + " " + n(b.cx) + "->" + n(b.c) + " k" + n(b.fk) + " s" + n(b.fs) + (b.plain ? " plain " : " ") +
         n(b.h) + "x" + n(b.w) + " k" + n(b.kh) + "x" + n(b.kw) +
         " s" + n(b.sh) + "x" + n(b.sw) + " pads " + n(b.pads[0]) + "," + n(b.pads[1]) + "," + n(b.pads[2]) + "," +
         n(b.pads[3]) + (b.bias ? " bias" : "") + (b.project ? " project " + n(b.project) : "") + " threads " +
         std::to_string(NumThreads());
}

// Post-ops of the expand layer (clips and fake-quantizations only), of the depthwise layer
// (`add`: a residual Add of a random nChw8c addend in the middle), and of the 1x1 layer
// after it (`project_add`: a residual Add first, as an inverted residual block's).
struct PostOps {
  std::vector<PostOp> expand, dw;
  bool add = false;
  std::vector<PostOp> project;
  bool project_add = false;
};

// Whether the pass takes the 1x1 layer too: not after a depthwise Add (its post-ops then
// run in the pass's buffer), nor where the threads share a sample and the two 1x1 layers'
// weights outweigh the depthwise output (ConvKernel::RunWithPointwise).
bool TakesProject(const Block& b, const PostOps& post, int64_t oh, int64_t ow) {
  return b.project > 0 && !post.add &&
         (!ConvDepthwiseSharesSamples(b.n) || b.c * oh * ow >= b.c * b.cx * b.fk * b.fk + b.project * b.c);
}

void ExpectSameBits(const Block& b, uint32_t seed, bool special_values, const PostOps& post) {
  SCOPED_TRACE(Describe(b));
  Tensor x = test::RandomTensor({b.n, b.cx, b.h, b.w}, seed, -2.f, 2.f);
  if (special_values) {
    float* v = x.data<float>();
    v[0] = std::numeric_limits<float>::quiet_NaN();
    v[1] = std::numeric_limits<float>::infinity();
    v[b.h * b.w + 1] = -std::numeric_limits<float>::infinity();
    v[x.numel() - 1] = -0.0f;
  }
  const Tensor xin = b.plain ? x : ToNchw8c(x);
  const Tensor we = test::RandomTensor({b.c, b.cx, b.fk, b.fk}, seed + 1, -0.5f, 0.5f);
  const int64_t fh = (b.h + 2 * b.fpad - b.fk) / b.fs + 1, fw = (b.w + 2 * b.fpad - b.fk) / b.fs + 1;
  const Tensor be = test::RandomTensor({b.c}, seed + 2);
  const Tensor wd = test::RandomTensor({b.c, 1, b.kh, b.kw}, seed + 3);
  const Tensor bd = b.bias ? test::RandomTensor({b.c}, seed + 4) : Tensor();
  const int64_t oh = (fh + b.pads[0] + b.pads[2] - b.kh) / b.sh + 1;
  const int64_t ow = (fw + b.pads[1] + b.pads[3] - b.kw) / b.sw + 1;
  const Tensor addend = ToNchw8c(test::RandomTensor({b.n, b.c, oh, ow}, seed + 5, -3.f, 3.f));
  std::vector<PostOp> dw_post = post.dw;
  if (post.add) {
    PostOp add;
    add.kind = PostOp::Kind::kAdd;
    add.operand = &addend;
    dw_post.insert(dw_post.begin() + static_cast<std::ptrdiff_t>(std::min<size_t>(1, dw_post.size())), add);
  }
  const int64_t pm = b.project > 0 ? b.project : 8;  // (unused without a 1x1 layer)
  const Tensor wp = test::RandomTensor({pm, b.c, 1, 1}, seed + 6, -0.3f, 0.3f);
  const Tensor bp = test::RandomTensor({pm}, seed + 7);
  const Tensor p_addend = ToNchw8c(test::RandomTensor({b.n, pm, oh, ow}, seed + 8));
  std::vector<PostOp> p_post = post.project;
  if (post.project_add) {
    PostOp add;
    add.kind = PostOp::Kind::kAdd;
    add.operand = &p_addend;
    p_post.insert(p_post.begin(), add);
  }
  NodeSpec pw;
  pw.op_type = "Conv";
  pw.opset = 11;
  pw.constant_inputs = {false, true, true};
  // The 1x1 layer on its own, on the depthwise layer's output.
  auto project = [&](const Tensor& in, Tensor* out) {
    Harness<ConvKernel> k(pw, {in, wp, bp});
    ASSERT_TRUE(k.init_status().ok());
    int applied = 0;
    auto y = k.Run({in, wp, bp}, &p_post, &applied);
    ASSERT_TRUE(y.ok()) << y.status().ToString();
    ASSERT_EQ(applied, static_cast<int>(p_post.size()));
    ASSERT_EQ(y->layout(), Layout::kNchw8c);
    *out = *y;
  };

  NodeSpec expand;
  expand.op_type = "Conv";
  expand.opset = 11;
  expand.constant_inputs = {false, true, true};
  expand.attrs = {{"strides", AInts({b.fs, b.fs})}, {"pads", AInts({b.fpad, b.fpad, b.fpad, b.fpad})}};
  NodeSpec dw = expand;
  dw.attrs.clear();
  dw.attrs = {{"strides", AInts({b.sh, b.sw})}, {"pads", AInts(b.pads)}, {"group", AInt(b.c)}};
  dw.constant_inputs = {false, true, b.bias};

  // oneDNN, layer by layer.
  Tensor want;
  {
    test::Avx512AsAvx2Scope off(false);
    Harness<ConvKernel> e(expand, {xin, we, be});
    Harness<ConvKernel> d(dw, {xin, wd, bd});
    ASSERT_TRUE(e.init_status().ok() && d.init_status().ok());
    int applied = 0;
    auto mid = e.Run({xin, we, be}, &post.expand, &applied);
    ASSERT_TRUE(mid.ok()) << mid.status().ToString();
    ASSERT_EQ(applied, static_cast<int>(post.expand.size()));
    ASSERT_EQ(mid->layout(), Layout::kNchw8c);
    auto y = d.Run({*mid, wd, bd}, &dw_post, &applied);
    ASSERT_TRUE(y.ok()) << y.status().ToString();
    // oneDNN takes no SiLU: the rest run as their nodes compute them.
    for (size_t i = static_cast<size_t>(applied); i < dw_post.size(); ++i) ApplyPostOp(dw_post[i], &*y, 0, y->numel());
    ASSERT_EQ(d.kernel().last_impl(), "jit_dw:avx2");
    want = *y;
    if (b.project) {
      project(*y, &want);
      ASSERT_FALSE(::testing::Test::HasFailure());
    }
    want = ToPlain(want);
  }
  // Both in one pass, twice (the second from the kernel's cache).
  Node dw_node;
  dw_node.op_type = "Conv";
  dw_node.opset = 11;
  for (auto& [k, v] : dw.attrs) dw_node.attrs.Set(k, v);
  PostOp fused;
  fused.kind = PostOp::Kind::kDepthwiseConv;
  fused.conv = &dw_node;
  fused.operand = &wd;
  fused.bias = b.bias ? &bd : nullptr;
  std::vector<PostOp> ops = post.expand;
  ops.push_back(fused);
  ops.insert(ops.end(), dw_post.begin(), dw_post.end());
  const int two_layers = static_cast<int>(ops.size());
  Node pw_node;
  pw_node.op_type = "Conv";
  pw_node.opset = 11;
  if (b.project) {
    PostOp then = fused;
    then.kind = PostOp::Kind::kPointwiseConv;
    then.conv = &pw_node;
    then.operand = &wp;
    then.bias = &bp;
    ops.push_back(then);
    ops.insert(ops.end(), p_post.begin(), p_post.end());
  }
  const bool three = TakesProject(b, post, oh, ow);
  Harness<ConvKernel> e(expand, {xin, we, be});
  ASSERT_TRUE(e.init_status().ok());
  for (int run = 0; run < 2; ++run) {
    int applied = 0;
    auto y = e.Run({xin, we, be}, &ops, &applied);
    ASSERT_TRUE(y.ok()) << y.status().ToString();
    const std::string first = b.fk == 1 ? "jit_1x1:avx2" : "jit:avx2";
    Tensor out = *y;
    if (three) {
      EXPECT_EQ(applied, static_cast<int>(ops.size())) << "run " << run;
      EXPECT_EQ(e.kernel().last_impl(), first + " + jit_dw:avx2 + jit_1x1:avx2 on avx512");
    } else {
      EXPECT_EQ(applied, two_layers) << "run " << run;
      EXPECT_EQ(e.kernel().last_impl(), first + " + jit_dw:avx2 on avx512");
      if (b.project) project(*y, &out);
    }
    const Tensor got = ToPlain(out);
    ASSERT_EQ(got.shape(), want.shape());
    for (int64_t i = 0; i < want.numel(); ++i) {
      const float g = got.data<float>()[i], r = want.data<float>()[i];
      if (std::isnan(g) && std::isnan(r)) continue;
      if (std::memcmp(&g, &r, 4) != 0) {
        ADD_FAILURE() << "run " << run << ", element " << i << ": " << g << " vs " << r;
        break;
      }
    }
  }
}

class ConvDepthwiseAvx512AsAvx2 : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!Avx512AsAvx2Available()) GTEST_SKIP() << "no AVX-512 on this CPU (or LITEMP_AVX512_AS_AVX2=0)";
    if (KernelsUseAvx512()) GTEST_SKIP() << "native kernels: oneDNN runs its own AVX-512 kernels";
    threads_ = NumThreads();
  }
  void TearDown() override { SetNumThreads(threads_); }
  int threads_ = 1;
};

const PostOps kRelu6{{test::ClipOp(0, 6)}, {test::ClipOp(0, 6)}, false, {}, false};

// MobileNetV2's blocks: bands of rows kept between passes (112x112 and 56x56
// take several), input channels in oneDNN's chunks of 128 (160 -> 960), split
// by groups or by rows at batch 1 and by samples at batch 5.
TEST_F(ConvDepthwiseAvx512AsAvx2, InvertedResidualBlocks) {
  uint32_t seed = 1;
  for (int t : {1, 2, 3}) {
    SetNumThreads(t);
    for (Block b :
         {Block{1, 16, 96, 112, 112, 3, 3, 2, 2}, Block{1, 24, 144, 56, 56}, Block{1, 24, 144, 56, 56, 3, 3, 2, 2},
          Block{1, 32, 192, 28, 28}, Block{1, 160, 960, 7, 7}, Block{5, 24, 48, 13, 10}}) {
      const uint32_t s = seed++;
      ExpectSameBits(b, s, (s + t) % 2 == 0, kRelu6);  // each block with special values at some t
    }
  }
}

// A model's first layer (plain input; MobileNetV2's stem, then 32 channels at 112x112 with
// bands of rows), and a 3x3 layer on channel-blocked input, then the depthwise layer.
TEST_F(ConvDepthwiseAvx512AsAvx2, GeneralFirstLayer) {
  uint32_t seed = 300;
  Block blocked{1, 16, 24, 15, 13};
  blocked.fk = 3;
  blocked.fpad = 1;
  const PostOps quant{{test::ClipOp(0, 6), test::QuantizeOp(6.f / 255, 0, 255)},
                      {test::ClipOp(0, 6), test::QuantizeOp(0.0371f, -128, 127)},
                      true,
                      {},
                      false};
  for (int t : {1, 2}) {
    SetNumThreads(t);
    ExpectSameBits(Stem(1, 32, 224, 224), seed++, true, kRelu6);
    Block s2 = Stem(2, 16, 17, 19);
    s2.sh = s2.sw = 2;
    ExpectSameBits(s2, seed++, true, quant);
    ExpectSameBits(blocked, seed++, true, kRelu6);
  }
}

// A lone last channel block (8 and 24 channels), kernels of 5x5, 3x5, 5x3 and
// 1x3, stride 2 across only, TensorFlow's SAME pads (at the end only), no pads,
// images narrower than a tile and as small as one row, with and without a bias.
TEST_F(ConvDepthwiseAvx512AsAvx2, Shapes) {
  uint32_t seed = 100;
  std::vector<Block> blocks = {
      Block{1, 8, 8, 9, 9},
      Block{3, 16, 24, 11, 7, 5, 5, 2, 2, {2, 2, 2, 2}},
      Block{2, 24, 40, 17, 6, 3, 5, 1, 2, {1, 2, 1, 2}},
      Block{1, 136, 24, 6, 31, 5, 3, 2, 1, {2, 1, 2, 1}},
      Block{1, 8, 16, 1, 5, 1, 3, 1, 1, {0, 1, 0, 1}},
      Block{1, 16, 32, 10, 13, 3, 3, 2, 2, {0, 0, 1, 1}},
      Block{2, 16, 24, 9, 9, 3, 3, 1, 1, {0, 0, 0, 0}},
  };
  blocks[5].bias = false;
  for (int t : {1, 2}) {
    SetNumThreads(t);
    for (const Block& b : blocks) ExpectSameBits(b, seed++, true, kRelu6);
  }
}

// The expand layer's clip in registers and its fake-quantization on the kept
// rows; a quantization with no clip before it; no post-ops; the depthwise
// layer's clip, residual Add and quantization on its finished rows.
TEST_F(ConvDepthwiseAvx512AsAvx2, PostOps) {
  uint32_t seed = 200;
  const PostOps quant{{test::ClipOp(0, 6), test::QuantizeOp(6.f / 255, 0, 255)},
                      {test::ClipOp(0, 6), test::QuantizeOp(0.0371f, -128, 127)},
                      true,
                      {},
                      false};
  const PostOps quant_only{
      {test::QuantizeOp(0.05f, -128, 127)}, {test::QuantizeOp(0.05f, -128, 127)}, false, {}, false};
  const PostOps none{};
  for (int t : {1, 2}) {
    SetNumThreads(t);
    for (const PostOps* p : {&quant, &quant_only, &none}) {
      ExpectSameBits(Block{1, 24, 144, 56, 56}, seed++, true, *p);
      ExpectSameBits(Block{3, 16, 40, 9, 17, 3, 3, 2, 2}, seed++, true, *p);
    }
  }
}

Block WithProject(Block b, int64_t m) {
  b.project = m;
  return b;
}

// The 1x1 layer after the depthwise one in the same pass: MobileNetV2's blocks (16, 24 and
// 32 outputs: one group, a lone last block, two groups; 144 and 960 inputs past oneDNN's
// chunk of 128; 320 outputs in several tiles of four groups) at batch 1, where the threads
// split the rows, and at batch 5, whole samples; its stem with expanded_conv_1; 7x7 blocks,
// whose weights keep them out of the pass where threads share a sample; each layer's
// post-ops, with the block's residual Add on the 1x1 layer's output, and a SiLU between the
// depthwise and 1x1 layers (EfficientNet's); and a depthwise layer's Add, which keeps the
// 1x1 layer out (its post-ops run in the pass's buffer).
TEST_F(ConvDepthwiseAvx512AsAvx2, ProjectLayer) {
  uint32_t seed = 400;
  const PostOps relu6_add{{test::ClipOp(0, 6)}, {test::ClipOp(0, 6)}, false, {}, true};
  const PostOps quant{{test::ClipOp(0, 6), test::QuantizeOp(6.f / 255, 0, 255)},
                      {test::ClipOp(0, 6), test::QuantizeOp(0.0371f, -128, 127)},
                      false,
                      {test::QuantizeOp(0.043f, -128, 127)},
                      true};
  const PostOps clipped{{}, {test::QuantizeOp(0.05f, -128, 127)}, false, {test::ClipOp(-1, 1)}, false};
  const PostOps dw_add{{test::ClipOp(0, 6)}, {test::ClipOp(0, 6)}, true, {test::ClipOp(0, 6)}, true};
  PostOp silu;
  silu.kind = PostOp::Kind::kSiLU;
  const PostOps dw_silu{{}, {silu, test::QuantizeOp(0.05f, -128, 127)}, false, {}, true};
  for (int t : {1, 2, 3}) {
    SetNumThreads(t);
    ExpectSameBits(WithProject(Block{1, 16, 96, 112, 112, 3, 3, 2, 2}, 24), seed++, true, kRelu6);
    ExpectSameBits(WithProject(Block{1, 24, 144, 56, 56}, 24), seed++, true, relu6_add);
    ExpectSameBits(WithProject(Block{1, 32, 192, 28, 28}, 32), seed++, false, quant);
    ExpectSameBits(WithProject(Block{1, 160, 960, 7, 7}, 320), seed++, false, relu6_add);
    ExpectSameBits(WithProject(Block{5, 24, 48, 13, 10}, 8), seed++, true, quant);
    ExpectSameBits(WithProject(Stem(1, 32, 224, 224), 16), seed++, true, kRelu6);
    ExpectSameBits(WithProject(Block{2, 16, 40, 9, 17, 3, 3, 2, 2}, 40), seed++, true, clipped);
    ExpectSameBits(WithProject(Block{1, 24, 48, 20, 20}, 24), seed++, true, dw_add);
    ExpectSameBits(WithProject(Block{1, 16, 48, 23, 21, 5, 5, 2, 2, {1, 1, 2, 2}}, 24), seed++, true, dw_silu);
    // Depthwise outputs just above and below the weights (64 x 81 and 64 x 49 vs 4096).
    ExpectSameBits(WithProject(Block{1, 32, 64, 9, 9}, 32), seed++, false, relu6_add);
    ExpectSameBits(WithProject(Block{1, 32, 64, 7, 7}, 32), seed++, false, relu6_add);
  }
}

}  // namespace
}  // namespace litemp
