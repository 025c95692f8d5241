// Oracle cases for convolutions, GEMMs, normalizations and softmax.
#include "oracle/op_case.h"

namespace litemp::test {

namespace {

Tensor W(const Shape& s) { return Rand(s, -0.5f, 0.5f); }

struct ConvSpec {
  const char* name;
  Shape x, w;
  bool bias;
  std::vector<onnx::AttributeProto> attrs;
  bool runtime_weights = false;
  int opset = 17;
};

std::vector<OpCase> ConvLike(const std::string& op, const std::vector<ConvSpec>& specs) {
  std::vector<OpCase> c;
  for (const ConvSpec& s : specs) {
    CaseBuilder b(op, s.name, s.opset);
    b.In(Rand(s.x));
    int64_t out_c = op == "Conv" ? s.w[0] : s.w[1] * [&] {
      for (const auto& a : s.attrs)
        if (a.name() == "group") return a.i();
      return int64_t{1};
    }();
    if (s.runtime_weights) {
      b.In(W(s.w));
      if (s.bias) b.In(W({out_c}));
    } else {
      b.Const(W(s.w));
      if (s.bias) b.Const(W({out_c}));
    }
    for (const auto& a : s.attrs) b.Attr(a);
    c.push_back(b);
  }
  return c;
}

std::vector<OpCase> ConvCases() {
  auto pads = [](std::vector<int64_t> p) { return AttrInts("pads", p); };
  auto strides = [](std::vector<int64_t> s) { return AttrInts("strides", s); };
  auto group = [](int64_t g) { return AttrI("group", g); };
  return ConvLike("Conv", {
      {"3x3_pad1_bias", {1, 8, 10, 10}, {16, 8, 3, 3}, true, {pads({1, 1, 1, 1})}},
      {"stride2_nobias", {2, 4, 11, 11}, {8, 4, 3, 3}, false, {strides({2, 2})}},
      {"group2", {2, 8, 9, 9}, {8, 4, 3, 3}, true, {group(2), pads({1, 1, 1, 1})}},
      {"depthwise", {1, 16, 12, 12}, {16, 1, 3, 3}, true, {group(16), pads({1, 1, 1, 1})}},
      {"depthwise_mult2_stride2", {2, 8, 13, 13}, {16, 1, 3, 3}, true, {group(8), strides({2, 2}), pads({1, 1, 1, 1})}},
      {"depthwise_mobilenet", {1, 32, 28, 28}, {32, 1, 3, 3}, true, {group(32), strides({2, 2}), pads({0, 0, 1, 1})}},
      {"dilation2_asym_pads", {1, 3, 12, 12}, {5, 3, 3, 3}, true, {AttrInts("dilations", {2, 2}), pads({0, 1, 2, 1})}},
      {"pointwise", {4, 32, 7, 7}, {64, 32, 1, 1}, true, {}},
      {"resnet_block", {2, 16, 32, 32}, {16, 16, 3, 3}, true, {pads({1, 1, 1, 1})}},
      {"same_upper_stride2", {1, 3, 10, 10}, {4, 3, 3, 3}, true, {AttrS("auto_pad", "SAME_UPPER"), strides({2, 2})}},
      {"same_lower_even_kernel", {1, 3, 9, 9}, {4, 3, 4, 4}, false, {AttrS("auto_pad", "SAME_LOWER")}},
      {"valid", {1, 3, 9, 9}, {4, 3, 3, 3}, false, {AttrS("auto_pad", "VALID")}},
      {"kernel_shape_attr", {1, 3, 9, 9}, {4, 3, 3, 3}, true, {AttrInts("kernel_shape", {3, 3}), pads({1, 1, 1, 1})}},
      {"rect_kernel", {1, 3, 10, 12}, {4, 3, 1, 5}, true, {strides({1, 2}), pads({0, 2, 0, 2})}},
      {"5x5_stride2_batch3", {3, 6, 15, 15}, {10, 6, 5, 5}, true, {strides({2, 2}), pads({2, 2, 2, 2})}},
      {"first_layer_rgb", {2, 3, 32, 32}, {16, 3, 3, 3}, true, {pads({1, 1, 1, 1})}},
      {"conv1d", {2, 4, 20}, {6, 4, 5}, true, {pads({2, 2}), strides({2})}},
      {"conv3d", {1, 2, 5, 6, 7}, {3, 2, 3, 3, 3}, true, {pads({1, 1, 1, 1, 1, 1})}},
      {"runtime_weights", {1, 4, 8, 8}, {6, 4, 3, 3}, true, {pads({1, 1, 1, 1})}, true},
      {"opset11", {1, 4, 8, 8}, {6, 4, 3, 3}, true, {pads({1, 1, 1, 1})}, false, 11},
  });
}

std::vector<OpCase> ConvTransposeCases() {
  auto pads = [](std::vector<int64_t> p) { return AttrInts("pads", p); };
  auto strides = [](std::vector<int64_t> s) { return AttrInts("strides", s); };
  return ConvLike("ConvTranspose", {
      {"stride2", {1, 4, 5, 5}, {4, 6, 3, 3}, false, {strides({2, 2})}},
      {"stride2_pads_outpad_bias", {2, 4, 5, 5}, {4, 6, 3, 3}, true, {strides({2, 2}), pads({1, 1, 1, 1}), AttrInts("output_padding", {1, 1})}},
      {"group2", {2, 8, 5, 5}, {8, 3, 3, 3}, true, {AttrI("group", 2), pads({1, 1, 1, 1})}},
      {"depthwise", {1, 4, 5, 5}, {4, 1, 3, 3}, true, {AttrI("group", 4), strides({2, 2})}},
      {"dilation2", {1, 3, 5, 5}, {3, 2, 3, 3}, false, {AttrInts("dilations", {2, 2})}},
      {"output_shape", {1, 3, 5, 5}, {3, 2, 3, 3}, true, {strides({2, 2}), AttrInts("output_shape", {10, 10})}},
      {"same_upper", {1, 3, 5, 5}, {3, 2, 3, 3}, false, {strides({2, 2}), AttrS("auto_pad", "SAME_UPPER")}},
      {"kernel4_stride2_pad1", {1, 8, 6, 6}, {8, 4, 4, 4}, true, {strides({2, 2}), pads({1, 1, 1, 1})}},
      {"asym_pads", {1, 3, 6, 6}, {3, 2, 3, 3}, true, {strides({2, 2}), pads({0, 1, 1, 0})}},
      {"conv1d", {1, 3, 7}, {3, 2, 4}, true, {strides({2})}},
      {"runtime_weights", {1, 4, 5, 5}, {4, 6, 3, 3}, true, {strides({2, 2})}, true},
  });
}

std::vector<OpCase> GemmCases() {
  std::vector<OpCase> c;
  c.push_back(CaseBuilder("Gemm", "basic_no_c").In(Rand({5, 7})).In(W({7, 9})));
  c.push_back(CaseBuilder("Gemm", "transA").In(Rand({7, 5})).Const(W({7, 9})).Const(W({9})).Attr(AttrI("transA", 1)));
  c.push_back(CaseBuilder("Gemm", "fc_transB").In(Rand({5, 7})).Const(W({9, 7})).Const(W({9})).Attr(AttrI("transB", 1)));
  c.push_back(CaseBuilder("Gemm", "transAB_alpha_beta").In(Rand({7, 5})).In(W({9, 7})).In(W({5, 9}))
                  .Attr(AttrI("transA", 1)).Attr(AttrI("transB", 1)).Attr(AttrF("alpha", 0.5f)).Attr(AttrF("beta", 2.f)));
  c.push_back(CaseBuilder("Gemm", "c_row").In(Rand({5, 7})).Const(W({7, 9})).Const(W({1, 9})));
  c.push_back(CaseBuilder("Gemm", "c_col").In(Rand({5, 7})).Const(W({7, 9})).Const(W({5, 1})));
  c.push_back(CaseBuilder("Gemm", "c_scalar").In(Rand({5, 7})).Const(W({7, 9})).Const(W({})));
  c.push_back(CaseBuilder("Gemm", "c_full_runtime").In(Rand({5, 7})).In(W({7, 9})).In(W({5, 9})));
  c.push_back(CaseBuilder("Gemm", "large_fc").In(Rand({4, 256})).Const(W({10, 256})).Const(W({10})).Attr(AttrI("transB", 1)));
  c.push_back(CaseBuilder("Gemm", "opset9_c_required", 9).In(Rand({3, 6})).Const(W({6, 4})).Const(W({4})));
  c.push_back(CaseBuilder("Gemm", "opset11_beta0", 11).In(Rand({3, 6})).Const(W({6, 4})).Const(W({4})).Attr(AttrF("beta", 0.f)));
  return c;
}

std::vector<OpCase> MatMulCases() {
  std::vector<OpCase> c;
  struct P { const char* name; Shape a, b; bool b_const; };
  const P pats[] = {
      {"2d", {5, 7}, {7, 9}, false},
      {"const_weights", {4, 64}, {64, 10}, true},
      {"batched", {2, 5, 7}, {2, 7, 9}, false},
      {"broadcast_b2d_const", {2, 3, 5, 7}, {7, 9}, true},
      {"broadcast_a2d", {5, 7}, {3, 7, 9}, false},
      {"broadcast_both", {2, 1, 5, 7}, {1, 3, 7, 9}, false},
      {"vec_left", {7}, {7, 9}, false},
      {"vec_right", {2, 5, 7}, {7}, false},
      {"vec_vec", {7}, {7}, false},
      {"large", {64, 128}, {128, 96}, true},
      {"tall_skinny", {300, 3}, {3, 2}, false},
  };
  for (const P& p : pats) {
    CaseBuilder b("MatMul", p.name);
    b.In(Rand(p.a));
    if (p.b_const) b.Const(W(p.b));
    else b.In(W(p.b));
    c.push_back(b);
  }
  c.push_back(CaseBuilder("MatMul", "opset9", 9).In(Rand({3, 4})).In(W({4, 5})));
  return c;
}

std::vector<OpCase> BatchNormCases() {
  auto bn = [](const char* name, Shape x, int opset, bool runtime, float eps) {
    int64_t ch = x[1];
    CaseBuilder b("BatchNormalization", name, opset);
    b.In(Rand(x, -2, 2));
    Tensor p[4] = {Rand({ch}, 0.5f, 1.5f), Rand({ch}, -0.5f, 0.5f), Rand({ch}, -0.5f, 0.5f), Rand({ch}, 0.1f, 2.f)};
    for (auto& t : p) runtime ? b.In(t) : b.Const(t);
    if (eps > 0) b.Attr(AttrF("epsilon", eps));
    return OpCase(b);
  };
  return {bn("4d_opset15", {2, 3, 4, 5}, 15, false, 0), bn("4d_opset14", {2, 3, 4, 5}, 14, false, 1e-3f),
          bn("opset9", {2, 3, 4, 5}, 9, false, 0), bn("large", {2, 16, 14, 14}, 15, false, 0),
          bn("2d", {6, 5}, 15, false, 0), bn("3d", {2, 3, 7}, 15, false, 0),
          bn("runtime_params", {2, 3, 4, 5}, 15, true, 1e-2f), bn("5d", {1, 2, 3, 4, 5}, 15, false, 0)};
}

std::vector<OpCase> SoftmaxCases(const std::string& op) {
  std::vector<OpCase> c;
  c.push_back(CaseBuilder(op, "axis_last", 13).In(Rand({2, 3, 4, 5}, -4, 4)).Attr(AttrI("axis", -1)));
  c.push_back(CaseBuilder(op, "axis1", 13).In(Rand({2, 3, 4, 5}, -4, 4)).Attr(AttrI("axis", 1)));
  c.push_back(CaseBuilder(op, "axis0", 13).In(Rand({3, 4}, -4, 4)).Attr(AttrI("axis", 0)));
  c.push_back(CaseBuilder(op, "default_axis", 13).In(Rand({2, 3, 4}, -4, 4)));
  c.push_back(CaseBuilder(op, "classifier", 13).In(Rand({4, 1001}, -10, 10)));
  c.push_back(CaseBuilder(op, "large_logits", 13).In(Rand({3, 10}, 50, 90)));
  // Before opset 13 the input is coerced to 2-D at `axis` (default 1).
  c.push_back(CaseBuilder(op, "opset11_default_coerced", 11).In(Rand({2, 3, 4}, -4, 4)));
  c.push_back(CaseBuilder(op, "opset11_axis2", 11).In(Rand({2, 3, 4, 5}, -4, 4)).Attr(AttrI("axis", 2)));
  c.push_back(CaseBuilder(op, "opset9_2d", 9).In(Rand({4, 7}, -4, 4)));
  if (op == "Hardmax") c.push_back(CaseBuilder(op, "ties", 13).In(RandIntegral({3, 6}, 0, 2)));
  return c;
}

std::vector<OpCase> QuantizeCases() {
  // Power-of-two scales keep x / scale exact, so ORT and litemp round the same values.
  std::vector<OpCase> c;
  c.push_back(CaseBuilder("QuantizeLinear", "u8_zp128", 13).In(Rand({2, 3, 4, 5}, -10, 10)).Const(Tensor::Scalar(0.0625f)).Const(Tensor::Scalar<uint8_t>(128)));
  c.push_back(CaseBuilder("QuantizeLinear", "i8_zp0", 13).In(Rand({2, 3, 4, 5}, -10, 10)).Const(Tensor::Scalar(0.0625f)).Const(Tensor::Scalar<int8_t>(0)));
  c.push_back(CaseBuilder("QuantizeLinear", "i8_zp_neg", 13).In(Rand({4, 9}, -3, 3)).Const(Tensor::Scalar(0.03125f)).Const(Tensor::Scalar<int8_t>(-5)));
  c.push_back(CaseBuilder("QuantizeLinear", "no_zp_u8", 13).In(Rand({4, 9}, -3, 20)).Const(Tensor::Scalar(0.125f)));
  c.push_back(CaseBuilder("QuantizeLinear", "per_axis_i8", 13).In(Rand({2, 3, 4, 5}, -4, 4))
                  .Const(F32({0.03125f, 0.0625f, 0.125f})).Const(Tensor::FromVector<int8_t>({0, 3, -2})).Attr(AttrI("axis", 1)));
  c.push_back(CaseBuilder("QuantizeLinear", "per_axis_u8_axis0", 13).In(Rand({3, 8}, -4, 4))
                  .Const(F32({0.03125f, 0.0625f, 0.125f})).Const(Tensor::FromVector<uint8_t>({128, 100, 0})).Attr(AttrI("axis", 0)));
  c.push_back(CaseBuilder("QuantizeLinear", "opset10", 10).In(Rand({3, 8}, -4, 4)).Const(Tensor::Scalar(0.0625f)).Const(Tensor::Scalar<uint8_t>(10)));
  c.push_back(CaseBuilder("QuantizeLinear", "runtime_scale", 13).In(Rand({3, 8}, -4, 4)).In(Tensor::Scalar(0.0625f)).In(Tensor::Scalar<uint8_t>(7)));
  c.push_back(CaseBuilder("QuantizeLinear", "opset19", 19).In(Rand({3, 8}, -4, 4)).Const(Tensor::Scalar(0.0625f)).Const(Tensor::Scalar<int8_t>(1))
                  .OutTypes({DType::kInt8}));
  c.push_back(CaseBuilder("QuantizeLinear", "i16_opset21", 21).In(Rand({3, 8}, -4, 4)).Const(Tensor::Scalar(0.0009765625f)).Const(Tensor::Scalar<int16_t>(3))
                  .OutTypes({DType::kInt16}));
  return c;
}

std::vector<OpCase> DequantizeCases() {
  std::vector<OpCase> c;
  c.push_back(CaseBuilder("DequantizeLinear", "u8", 13).In(RandInt({2, 3, 4, 5}, 0, 255, DType::kUInt8)).Const(Tensor::Scalar(0.05f)).Const(Tensor::Scalar<uint8_t>(128)));
  c.push_back(CaseBuilder("DequantizeLinear", "i8", 13).In(RandInt({2, 3, 4, 5}, -128, 127, DType::kInt8)).Const(Tensor::Scalar(0.02f)).Const(Tensor::Scalar<int8_t>(-3)));
  c.push_back(CaseBuilder("DequantizeLinear", "no_zp", 13).In(RandInt({4, 9}, 0, 255, DType::kUInt8)).Const(Tensor::Scalar(0.1f)));
  c.push_back(CaseBuilder("DequantizeLinear", "i32_bias", 13).In(RandInt({16}, -100000, 100000, DType::kInt32)).Const(Tensor::Scalar(0.0001f)));
  c.push_back(CaseBuilder("DequantizeLinear", "per_axis_weights", 13).Const(RandInt({4, 3, 3, 3}, -127, 127, DType::kInt8))
                  .Const(F32({0.01f, 0.02f, 0.005f, 0.03f})).Const(Tensor::FromVector<int8_t>({0, 0, 0, 0})).Attr(AttrI("axis", 0)));
  c.push_back(CaseBuilder("DequantizeLinear", "per_axis_runtime", 13).In(RandInt({2, 3, 4}, 0, 255, DType::kUInt8))
                  .Const(F32({0.01f, 0.02f, 0.005f})).Const(Tensor::FromVector<uint8_t>({128, 120, 3})).Attr(AttrI("axis", 1)));
  c.push_back(CaseBuilder("DequantizeLinear", "opset10", 10).In(RandInt({3, 8}, 0, 255, DType::kUInt8)).Const(Tensor::Scalar(0.05f)).Const(Tensor::Scalar<uint8_t>(10)));
  c.push_back(CaseBuilder("DequantizeLinear", "i16_opset21", 21).In(RandInt({3, 8}, -30000, 30000, DType::kInt16)).Const(Tensor::Scalar(0.001f)).Const(Tensor::Scalar<int16_t>(5))
                  .OutTypes({DType::kFloat32}));
  return c;
}

// ONNX Runtime's com.microsoft Q/DQ (version 1): the 16-bit form litemp's QDQ export writes.
std::vector<OpCase> MsQuantizeCases() {
  std::vector<OpCase> c;
  c.push_back(CaseBuilder("QuantizeLinear", "i16", 1).Domain("com.microsoft").In(Rand({3, 8}, -4, 4))
                  .Const(Tensor::Scalar(0.0009765625f)).Const(Tensor::Scalar<int16_t>(3)).OutTypes({DType::kInt16}));
  c.push_back(CaseBuilder("QuantizeLinear", "u16", 1).Domain("com.microsoft").In(Rand({3, 8}, -4, 4))
                  .Const(Tensor::Scalar(0.0009765625f)).Const(Tensor::Scalar<uint16_t>(32768)).OutTypes({DType::kUInt16}));
  c.push_back(CaseBuilder("QuantizeLinear", "per_axis_i16", 1).Domain("com.microsoft").In(Rand({2, 3, 4, 5}, -4, 4))
                  .Const(F32({0.00048828125f, 0.0009765625f, 0.001953125f})).Const(Tensor::FromVector<int16_t>({0, 7, -9}))
                  .Attr(AttrI("axis", 1)).OutTypes({DType::kInt16}));
  c.push_back(CaseBuilder("QuantizeLinear", "i8", 1).Domain("com.microsoft").In(Rand({4, 9}, -3, 3))
                  .Const(Tensor::Scalar(0.03125f)).Const(Tensor::Scalar<int8_t>(-5)).OutTypes({DType::kInt8}));
  return c;
}

std::vector<OpCase> MsDequantizeCases() {
  std::vector<OpCase> c;
  c.push_back(CaseBuilder("DequantizeLinear", "i16", 1).Domain("com.microsoft").In(RandInt({3, 8}, -30000, 30000, DType::kInt16))
                  .Const(Tensor::Scalar(0.001f)).Const(Tensor::Scalar<int16_t>(5)).OutTypes({DType::kFloat32}));
  c.push_back(CaseBuilder("DequantizeLinear", "u16", 1).Domain("com.microsoft").In(RandInt({3, 8}, 0, 65535, DType::kUInt16))
                  .Const(Tensor::Scalar(0.001f)).Const(Tensor::Scalar<uint16_t>(32768)).OutTypes({DType::kFloat32}));
  c.push_back(CaseBuilder("DequantizeLinear", "per_axis_weights_i16", 1).Domain("com.microsoft")
                  .Const(RandInt({4, 1, 3, 3}, -32767, 32767, DType::kInt16)).Const(F32({1e-5f, 2e-5f, 5e-6f, 3e-5f}))
                  .Const(Tensor::FromVector<int16_t>({0, 0, 0, 0})).Attr(AttrI("axis", 0)).OutTypes({DType::kFloat32}));
  return c;
}

}  // namespace

void AddNnCases(CaseTable* t) {
  auto& T = *t;
  T["Conv"] = ConvCases;
  T["ConvTranspose"] = ConvTransposeCases;
  T["Gemm"] = GemmCases;
  T["MatMul"] = MatMulCases;
  T["BatchNormalization"] = BatchNormCases;
  for (const char* op : {"Softmax", "LogSoftmax", "Hardmax"}) T[op] = [op] { return SoftmaxCases(op); };
  T["InstanceNormalization"] = [] {
    return std::vector<OpCase>{
        CaseBuilder("InstanceNormalization", "4d").In(Rand({2, 3, 4, 5}, -2, 3)).Const(Rand({3}, 0.5f, 1.5f)).Const(Rand({3})),
        CaseBuilder("InstanceNormalization", "3d_eps").In(Rand({2, 4, 9}, -2, 3)).Const(Rand({4}, 0.5f, 1.5f)).Const(Rand({4})).Attr(AttrF("epsilon", 1e-2f))};
  };
  T["LayerNormalization"] = [] {
    return std::vector<OpCase>{
        CaseBuilder("LayerNormalization", "last_axis").In(Rand({2, 3, 8}, -2, 3)).Const(Rand({8}, 0.5f, 1.5f)).Const(Rand({8})),
        CaseBuilder("LayerNormalization", "axis1_no_bias").In(Rand({2, 3, 4, 5}, -2, 3)).Const(Rand({3, 4, 5}, 0.5f, 1.5f)).Attr(AttrI("axis", 1)),
        CaseBuilder("LayerNormalization", "axis_neg2_eps").In(Rand({2, 3, 4, 5}, -2, 3)).Const(Rand({4, 5}, 0.5f, 1.5f)).Const(Rand({4, 5}))
            .Attr(AttrI("axis", -2)).Attr(AttrF("epsilon", 1e-3f)),
        CaseBuilder("LayerNormalization", "transformer").In(Rand({4, 16, 96}, -2, 3)).Const(Rand({96}, 0.5f, 1.5f)).Const(Rand({96}))};
  };
  T["GroupNormalization"] = [] {
    return std::vector<OpCase>{
        CaseBuilder("GroupNormalization", "opset18_per_group", 18).In(Rand({2, 6, 4, 4}, -2, 3)).Const(Rand({3}, 0.5f, 1.5f)).Const(Rand({3}))
            .Attr(AttrI("num_groups", 3)).OutTypes({DType::kFloat32}),
        CaseBuilder("GroupNormalization", "opset21_per_channel", 21).In(Rand({2, 6, 4, 4}, -2, 3)).Const(Rand({6}, 0.5f, 1.5f)).Const(Rand({6}))
            .Attr(AttrI("num_groups", 2)).OutTypes({DType::kFloat32})};
  };
  T["LRN"] = [] {
    return std::vector<OpCase>{
        CaseBuilder("LRN", "size3").In(Rand({2, 8, 5, 5}, -2, 2)).Attr(AttrI("size", 3)),
        CaseBuilder("LRN", "size5_custom").In(Rand({1, 10, 4, 4}, -2, 2)).Attr(AttrI("size", 5)).Attr(AttrF("alpha", 1e-2f))
            .Attr(AttrF("beta", 0.5f)).Attr(AttrF("bias", 2.f))};
  };
  T["LpNormalization"] = [] {
    return std::vector<OpCase>{CaseBuilder("LpNormalization", "l2_last_axis").In(Rand({3, 4, 5})),
                               CaseBuilder("LpNormalization", "l1_axis1").In(Rand({2, 3, 4})).Attr(AttrI("axis", 1)).Attr(AttrI("p", 1)),
                               CaseBuilder("LpNormalization", "l2_axis0").In(Rand({4, 6})).Attr(AttrI("axis", 0))};
  };
  T["MeanVarianceNormalization"] = [] {
    return std::vector<OpCase>{
        CaseBuilder("MeanVarianceNormalization", "default_axes", 13).In(Rand({2, 3, 4, 5}, -2, 3)),
        CaseBuilder("MeanVarianceNormalization", "axes_23", 13).In(Rand({2, 3, 4, 5}, -2, 3)).Attr(AttrInts("axes", {2, 3}))};
  };
  T["QuantizeLinear"] = QuantizeCases;
  T["DequantizeLinear"] = DequantizeCases;
  T["com.microsoft::QuantizeLinear"] = MsQuantizeCases;
  T["com.microsoft::DequantizeLinear"] = MsDequantizeCases;
  T["Einsum"] = [] {
    return std::vector<OpCase>{
        CaseBuilder("Einsum", "matmul", 12).In(Rand({3, 4})).In(Rand({4, 5})).Attr(AttrS("equation", "ij,jk->ik")),
        CaseBuilder("Einsum", "batched_transpose", 12).In(Rand({2, 3, 4})).In(Rand({2, 5, 4})).Attr(AttrS("equation", "bij,bkj->bik")),
        CaseBuilder("Einsum", "sum", 12).In(Rand({3, 4})).Attr(AttrS("equation", "ij->i"))};
  };
}

}  // namespace litemp::test
