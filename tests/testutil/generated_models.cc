#include "testutil/generated_models.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "testutil/kernel_runner.h"

namespace litemp::test {

namespace {

// He-style scale so activations stay O(1) through the layers.
Tensor Weight(const Shape& shape, uint32_t seed, int64_t fan_in) {
  const float s = std::sqrt(3.f / static_cast<float>(fan_in));
  return RandomTensor(shape, seed, -s, s);
}

// A BatchNormalization's four parameters with seeded, non-trivial values.
void BnParams(ModelBuilder& b, const std::string& p, int64_t c, uint32_t seed) {
  b.Initializer(p + "_scale", RandomTensor({c}, seed, 0.5f, 1.5f));
  b.Initializer(p + "_bias", RandomTensor({c}, seed + 1, -0.2f, 0.2f));
  b.Initializer(p + "_mean", RandomTensor({c}, seed + 2, -0.3f, 0.3f));
  b.Initializer(p + "_var", RandomTensor({c}, seed + 3, 0.5f, 2.0f));
}

std::vector<onnx::AttributeProto> ConvAttrs(int64_t k, int64_t stride, int64_t pad) {
  return {IntsAttr("kernel_shape", {k, k}), IntsAttr("strides", {stride, stride}),
          IntsAttr("pads", {pad, pad, pad, pad})};
}

}  // namespace

ModelBuilder EncoderDecoder() {
  ModelBuilder b(13);
  b.Input("x", {-1, 3, 16, 16}).Output("y", {-1, 3, 16, 16});
  b.Initializer("w1", Weight({8, 3, 3, 3}, 11, 27)).Initializer("b1", RandomTensor({8}, 12, -0.1f, 0.1f));
  b.Initializer("w2", Weight({16, 8, 3, 3}, 13, 72)).Initializer("b2", RandomTensor({16}, 14, -0.1f, 0.1f));
  b.Initializer("w3", Weight({16, 8, 2, 2}, 15, 64)).Initializer("b3", RandomTensor({8}, 16, -0.1f, 0.1f));
  b.Initializer("w4", Weight({8, 3, 2, 2}, 17, 32)).Initializer("b4", RandomTensor({3}, 18, -0.1f, 0.1f));
  BnParams(b, "bn1", 8, 20);
  b.Node("Conv", "enc1", {"x", "w1", "b1"}, {"c1"}, ConvAttrs(3, 2, 1));
  b.Node("BatchNormalization", "enc1_bn", {"c1", "bn1_scale", "bn1_bias", "bn1_mean", "bn1_var"}, {"n1"});
  b.Node("Relu", "enc1_relu", {"n1"}, {"r1"});
  b.Node("Conv", "enc2", {"r1", "w2", "b2"}, {"c2"}, ConvAttrs(3, 2, 1));
  b.Node("Relu", "enc2_relu", {"c2"}, {"r2"});
  b.Node("ConvTranspose", "dec1", {"r2", "w3", "b3"}, {"d1"}, {IntsAttr("kernel_shape", {2, 2}), IntsAttr("strides", {2, 2})});
  b.Node("Relu", "dec1_relu", {"d1"}, {"r3"});
  b.Node("ConvTranspose", "dec2", {"r3", "w4", "b4"}, {"d2"}, {IntsAttr("kernel_shape", {2, 2}), IntsAttr("strides", {2, 2})});
  b.Node("Sigmoid", "out", {"d2"}, {"y"});
  return b;
}

ModelBuilder TransformerBlock() {
  constexpr int64_t kT = 8, kD = 16, kH = 32;
  ModelBuilder b(17);
  b.Input("tokens", {-1, kT, kD}).Input("pos", {-1, kT, kD}).Output("out", {-1, kT, kD});
  for (const char* w : {"wq", "wk", "wv", "wo"}) b.Initializer(w, Weight({kD, kD}, 30 + w[1], kD));
  b.Initializer("w1", Weight({kD, kH}, 40, kD)).Initializer("bb1", RandomTensor({kH}, 41, -0.1f, 0.1f));
  b.Initializer("w2", Weight({kH, kD}, 42, kH)).Initializer("bb2", RandomTensor({kD}, 43, -0.1f, 0.1f));
  b.Initializer("ln1_g", RandomTensor({kD}, 44, 0.8f, 1.2f)).Initializer("ln1_b", RandomTensor({kD}, 45, -0.1f, 0.1f));
  b.Initializer("ln2_g", RandomTensor({kD}, 46, 0.8f, 1.2f)).Initializer("ln2_b", RandomTensor({kD}, 47, -0.1f, 0.1f));
  b.Initializer("scale", Tensor::FromVector<float>({0.25f}));
  b.Initializer("pos_scale", RandomTensor({kD}, 48, 0.2f, 0.6f));
  b.Initializer("half", Tensor::FromVector<float>({0.5f}));
  b.Initializer("one", Tensor::FromVector<float>({1.f}));
  b.Initializer("sqrt2", Tensor::FromVector<float>({1.41421356f}));
  // The inputs play different parts (pos is scaled per feature), so a swapped feed shows.
  b.Node("Mul", "pos_embed", {"pos", "pos_scale"}, {"ps"});
  b.Node("Add", "embed", {"tokens", "ps"}, {"h"});
  b.Node("LayerNormalization", "ln1", {"h", "ln1_g", "ln1_b"}, {"a"}, {IntAttr("axis", -1), FloatAttr("epsilon", 1e-5f)});
  b.Node("MatMul", "q", {"a", "wq"}, {"q"});
  b.Node("MatMul", "k", {"a", "wk"}, {"k"});
  b.Node("MatMul", "v", {"a", "wv"}, {"v"});
  b.Node("Transpose", "kt", {"k"}, {"kt"}, {IntsAttr("perm", {0, 2, 1})});
  b.Node("MatMul", "qk", {"q", "kt"}, {"qk"});
  b.Node("Mul", "qk_scale", {"qk", "scale"}, {"qks"});
  b.Node("Softmax", "attn", {"qks"}, {"p"}, {IntAttr("axis", -1)});
  b.Node("MatMul", "pv", {"p", "v"}, {"pv"});
  b.Node("MatMul", "o", {"pv", "wo"}, {"o"});
  b.Node("Add", "res1", {"h", "o"}, {"h1"});
  b.Node("LayerNormalization", "ln2", {"h1", "ln2_g", "ln2_b"}, {"m"}, {IntAttr("axis", -1), FloatAttr("epsilon", 1e-5f)});
  b.Node("MatMul", "fc1", {"m", "w1"}, {"f1"});
  b.Node("Add", "fc1_bias", {"f1", "bb1"}, {"f1b"});
  // GELU, the Erf form opset 17 models export: 0.5 x (1 + erf(x / sqrt 2)).
  b.Node("Div", "gelu_div", {"f1b", "sqrt2"}, {"g1"});
  b.Node("Erf", "gelu_erf", {"g1"}, {"g2"});
  b.Node("Add", "gelu_add", {"g2", "one"}, {"g3"});
  b.Node("Mul", "gelu_mul", {"f1b", "g3"}, {"g4"});
  b.Node("Mul", "gelu_half", {"g4", "half"}, {"g5"});
  b.Node("MatMul", "fc2", {"g5", "w2"}, {"f2"});
  b.Node("Add", "fc2_bias", {"f2", "bb2"}, {"f2b"});
  b.Node("Add", "res2", {"h1", "f2b"}, {"out"});
  return b;
}

ModelBuilder BertEncoder(int layers, int tokens, int hidden, int heads) {
  const int64_t T = tokens, D = hidden, H = heads, F = 4 * hidden;
  ModelBuilder b(17);
  b.Input("x", {-1, T, D}).Output("y", {-1, T, D});
  b.Initializer("heads", Tensor::FromVector<int64_t>({0, 0, H, D / H}, {4}));
  b.Initializer("flat", Tensor::FromVector<int64_t>({0, 0, D}, {3}));
  b.Initializer("scale", Tensor::FromVector<float>({1.f / std::sqrt(static_cast<float>(D / H))}));
  b.Initializer("half", Tensor::FromVector<float>({0.5f}));
  b.Initializer("one", Tensor::FromVector<float>({1.f}));
  b.Initializer("sqrt2", Tensor::FromVector<float>({1.41421356f}));
  std::string h = "x";
  uint32_t seed = 100;
  for (int l = 0; l < layers; ++l) {
    auto p = [&](const std::string& n) { return "l" + std::to_string(l) + "_" + n; };
    auto linear = [&](const std::string& name, const std::string& in, int64_t k, int64_t n) {
      b.Initializer(p(name + "_w"), Weight({k, n}, seed++, k));
      b.Initializer(p(name + "_b"), RandomTensor({n}, seed++, -0.1f, 0.1f));
      b.Node("MatMul", p(name), {in, p(name + "_w")}, {p(name + "_mm")});
      b.Node("Add", p(name + "_bias"), {p(name + "_mm"), p(name + "_b")}, {p(name)});
      return p(name);
    };
    auto layer_norm = [&](const std::string& name, const std::string& in, const std::string& out) {
      b.Initializer(p(name + "_g"), RandomTensor({D}, seed++, 0.8f, 1.2f));
      b.Initializer(p(name + "_b"), RandomTensor({D}, seed++, -0.1f, 0.1f));
      b.Node("LayerNormalization", p(name), {in, p(name + "_g"), p(name + "_b")}, {out},
             {IntAttr("axis", -1), FloatAttr("epsilon", 1e-12f)});
    };
    for (const char* w : {"q", "k", "v"}) b.Node("Reshape", p(w) + "_heads", {linear(w, h, D, D), "heads"}, {p(w) + "_r"});
    b.Node("Transpose", p("qt"), {p("q_r")}, {p("qt")}, {IntsAttr("perm", {0, 2, 1, 3})});
    b.Node("Transpose", p("kt"), {p("k_r")}, {p("kt")}, {IntsAttr("perm", {0, 2, 3, 1})});
    b.Node("Transpose", p("vt"), {p("v_r")}, {p("vt")}, {IntsAttr("perm", {0, 2, 1, 3})});
    b.Node("MatMul", p("scores"), {p("qt"), p("kt")}, {p("scores")});
    b.Node("Mul", p("scaled"), {p("scores"), "scale"}, {p("scaled")});
    b.Node("Softmax", p("attn"), {p("scaled")}, {p("attn")}, {IntAttr("axis", -1)});
    b.Node("MatMul", p("ctx"), {p("attn"), p("vt")}, {p("ctx")});
    b.Node("Transpose", p("ctx_t"), {p("ctx")}, {p("ctx_t")}, {IntsAttr("perm", {0, 2, 1, 3})});
    b.Node("Reshape", p("ctx_flat"), {p("ctx_t"), "flat"}, {p("ctx_flat")});
    b.Node("Add", p("res1"), {h, linear("o", p("ctx_flat"), D, D)}, {p("h1")});
    layer_norm("ln1", p("h1"), p("a1"));
    const std::string f1 = linear("fc1", p("a1"), D, F);
    // GELU, the Erf form: 0.5 x (1 + erf(x / sqrt 2)).
    b.Node("Div", p("gelu_div"), {f1, "sqrt2"}, {p("g1")});
    b.Node("Erf", p("gelu_erf"), {p("g1")}, {p("g2")});
    b.Node("Add", p("gelu_add"), {p("g2"), "one"}, {p("g3")});
    b.Node("Mul", p("gelu_mul"), {f1, p("g3")}, {p("g4")});
    b.Node("Mul", p("gelu_half"), {p("g4"), "half"}, {p("g5")});
    b.Node("Add", p("res2"), {p("a1"), linear("fc2", p("g5"), F, D)}, {p("h2")});
    const std::string out = l + 1 == layers ? "y" : p("out");
    layer_norm("ln2", p("h2"), out);
    h = out;
  }
  return b;
}

ModelBuilder EfficientNetLike(int image, int stages) {
  ModelBuilder b(13);
  b.Input("x", {-1, 3, image, image}).Output("y", {-1, 1000});
  int uid = 0;
  uint32_t seed = 200;
  auto name = [&](const char* p) { return std::string(p) + std::to_string(uid++); };
  auto conv = [&](const std::string& x, int64_t cin, int64_t cout, int64_t k, int64_t stride, int64_t group) {
    const std::string w = name("w"), bias = name("b"), y = name("conv");
    b.Initializer(w, Weight({cout, cin / group, k, k}, seed++, cin / group * k * k));
    b.Initializer(bias, RandomTensor({cout}, seed++, -0.1f, 0.1f));
    b.Node("Conv", y, {x, w, bias}, {y},
           {IntsAttr("kernel_shape", {k, k}), IntsAttr("strides", {stride, stride}),
            IntsAttr("pads", {k / 2, k / 2, k / 2, k / 2}), IntAttr("group", group)});
    return y;
  };
  auto silu = [&](const std::string& x) {
    const std::string s = name("sigmoid"), y = name("silu");
    b.Node("Sigmoid", s, {x}, {s});
    b.Node("Mul", y, {x, s}, {y});
    return y;
  };
  // B0's stages: output channels, repeats, first stride, expansion.
  const struct { int64_t out; int repeats, stride, expand; } kStages[] = {
      {16, 1, 1, 1}, {24, 2, 2, 6}, {40, 2, 2, 6}, {80, 3, 2, 6}, {112, 3, 1, 6}, {192, 4, 2, 6}, {320, 1, 1, 6}};
  std::string h = silu(conv("x", 3, 32, 3, 2, 1));
  int64_t c = 32;
  for (int st = 0; st < stages; ++st) {
    for (int r = 0; r < kStages[st].repeats; ++r) {
      const int stride = r == 0 ? kStages[st].stride : 1;
      const int64_t mid = c * kStages[st].expand;
      std::string t = kStages[st].expand == 1 ? h : silu(conv(h, c, mid, 1, 1, 1));
      t = silu(conv(t, mid, mid, 3, stride, mid));
      const std::string pooled = name("se_pool"), gate = name("se_gate"), scaled = name("se_scale");
      b.Node("GlobalAveragePool", pooled, {t}, {pooled});
      const int64_t squeezed = std::max<int64_t>(1, c / 4);
      const std::string excite = conv(silu(conv(pooled, mid, squeezed, 1, 1, 1)), squeezed, mid, 1, 1, 1);
      b.Node("Sigmoid", gate, {excite}, {gate});
      b.Node("Mul", scaled, {t, gate}, {scaled});
      t = conv(scaled, mid, kStages[st].out, 1, 1, 1);
      if (stride == 1 && c == kStages[st].out) {
        const std::string sum = name("residual");
        b.Node("Add", sum, {t, h}, {sum});
        t = sum;
      }
      h = t;
      c = kStages[st].out;
    }
  }
  h = silu(conv(h, c, 1280, 1, 1, 1));
  b.Node("GlobalAveragePool", "head_pool", {h}, {"pooled"});
  b.Node("Flatten", "flatten", {"pooled"}, {"features"});
  b.Initializer("fc_w", Weight({1000, 1280}, seed++, 1280));
  b.Initializer("fc_b", RandomTensor({1000}, seed++, -0.1f, 0.1f));
  b.Node("Gemm", "classifier", {"features", "fc_w", "fc_b"}, {"y"}, {IntAttr("transB", 1)});
  return b;
}

ModelBuilder DetectorHead() {
  ModelBuilder b(13);
  b.Input("x", {-1, 3, 32, 32}).Output("boxes", {-1, 4, 8, 8}).Output("scores", {-1, 5});
  b.Initializer("w1", Weight({8, 3, 3, 3}, 51, 27)).Initializer("b1", RandomTensor({8}, 52, -0.1f, 0.1f));
  b.Initializer("w2", Weight({16, 8, 3, 3}, 53, 72));
  b.Initializer("wb", Weight({4, 16, 1, 1}, 54, 16)).Initializer("bb", RandomTensor({4}, 55, -0.1f, 0.1f));
  b.Initializer("wc", Weight({5, 16}, 56, 16)).Initializer("bc", RandomTensor({5}, 57, -0.1f, 0.1f));
  BnParams(b, "bn2", 16, 60);
  b.Node("Conv", "stem", {"x", "w1", "b1"}, {"c1"}, ConvAttrs(3, 2, 1));
  b.Node("Relu", "stem_relu", {"c1"}, {"r1"});
  b.Node("Conv", "body", {"r1", "w2"}, {"c2"}, ConvAttrs(3, 2, 1));
  b.Node("BatchNormalization", "body_bn", {"c2", "bn2_scale", "bn2_bias", "bn2_mean", "bn2_var"}, {"n2"});
  b.Node("Relu", "body_relu", {"n2"}, {"f"});
  b.Node("Conv", "box_head", {"f", "wb", "bb"}, {"boxes"}, ConvAttrs(1, 1, 0));
  b.Node("GlobalAveragePool", "gap", {"f"}, {"g"});
  b.Node("Flatten", "flat", {"g"}, {"gf"});
  b.Node("Gemm", "cls_head", {"gf", "wc", "bc"}, {"scores"}, {IntAttr("transB", 1)});
  return b;
}

}  // namespace litemp::test
