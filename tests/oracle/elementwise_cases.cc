// Oracle cases for unary element-wise ops, activations, Clip, Cast and friends.
#include <cmath>
#include <limits>

#include "oracle/op_case.h"

namespace litemp::test {

namespace {

using Attrs = std::vector<onnx::AttributeProto>;

// The shapes every unary op runs on: 4-D, odd 1-D (vector tails), rank 0, and a large
// NCHW tensor (parallel paths; channels-last inside the runtime when a Conv precedes it).
std::vector<OpCase> Unary(const std::string& op, float lo, float hi, const Attrs& attrs = {}, int opset = 17,
                          const std::string& tag = "") {
  std::vector<Shape> shapes = {{2, 3, 4, 5}, {37}, {}, {2, 32, 17, 17}};
  std::vector<std::string> names = {"4d", "1d_odd", "scalar", "large"};
  std::vector<OpCase> cases;
  for (size_t i = 0; i < shapes.size(); ++i) {
    CaseBuilder b(op, (tag.empty() ? "" : tag + "_") + names[i], opset);
    b.In(Rand(shapes[i], lo, hi));
    for (const auto& a : attrs) b.Attr(a);
    cases.push_back(b);
  }
  return cases;
}

// Adds `more` to `cases`.
void Append(std::vector<OpCase>* cases, std::vector<OpCase> more) {
  for (auto& c : more) cases->push_back(std::move(c));
}

std::vector<OpCase> WithInts(const std::string& op, float lo, float hi) {
  auto c = Unary(op, lo, hi);
  c.push_back(CaseBuilder(op, "int64").In(RandInt({3, 7}, -50, 50)));
  c.push_back(CaseBuilder(op, "int32").In(RandInt({3, 7}, -50, 50, DType::kInt32)));
  return c;
}

Tensor WithSpecials(Tensor t) {
  float* d = t.data<float>();
  d[0] = std::numeric_limits<float>::quiet_NaN();
  d[1] = std::numeric_limits<float>::infinity();
  d[2] = -std::numeric_limits<float>::infinity();
  d[3] = 0.f;
  return t;
}

std::vector<OpCase> ClipCases() {
  std::vector<OpCase> c;
  c.push_back(CaseBuilder("Clip", "opset6_attrs", 6).In(Rand({2, 3, 4, 5}, -2, 2)).Attr(AttrF("min", -0.5f)).Attr(AttrF("max", 0.5f)));
  c.push_back(CaseBuilder("Clip", "opset6_default", 6).In(Rand({2, 3, 4, 5}, -2, 2)));
  c.push_back(CaseBuilder("Clip", "opset11_const", 11).In(Rand({2, 3, 4, 5}, -2, 2)).Const(Tensor::Scalar(-0.3f)).Const(Tensor::Scalar(0.7f)));
  c.push_back(CaseBuilder("Clip", "relu6", 13).In(Rand({2, 16, 9, 9}, -8, 8)).Const(Tensor::Scalar(0.f)).Const(Tensor::Scalar(6.f)));
  c.push_back(CaseBuilder("Clip", "max_only", 13).In(Rand({2, 3, 4, 5}, -2, 2)).Omit().Const(Tensor::Scalar(0.25f)));
  c.push_back(CaseBuilder("Clip", "min_only", 13).In(Rand({2, 3, 4, 5}, -2, 2)).Const(Tensor::Scalar(-0.25f)));
  c.push_back(CaseBuilder("Clip", "no_bounds", 13).In(Rand({2, 3, 4, 5}, -2, 2)));
  c.push_back(CaseBuilder("Clip", "runtime_bounds", 13).In(Rand({2, 3, 4, 5}, -2, 2)).In(Tensor::Scalar(-1.f)).In(Tensor::Scalar(0.5f)));
  c.push_back(CaseBuilder("Clip", "int64", 13).In(RandInt({4, 6}, -20, 20)).Const(I64Scalar(-5)).Const(I64Scalar(7)));
  return c;
}

std::vector<OpCase> CastCases(const std::string& op) {
  struct Conv { const char* name; Tensor in; DType to; };
  std::vector<Conv> convs = {
      {"f32_to_i32", Rand({3, 17}, -100, 100), DType::kInt32},
      {"f32_to_i64", Rand({3, 17}, -100, 100), DType::kInt64},
      {"f32_to_u8", Rand({3, 17}, 0, 255), DType::kUInt8},
      {"f32_to_i8", Rand({3, 17}, -127, 127), DType::kInt8},
      {"f32_to_bool", RandIntegral({3, 17}, -1, 1), DType::kBool},
      {"f32_to_f16", Rand({3, 17}, -100, 100), DType::kFloat16},
      {"f32_to_f64", Rand({3, 17}, -100, 100), DType::kFloat64},
      {"f16_to_f32", CastTo(Rand({3, 17}, -100, 100), DType::kFloat16), DType::kFloat32},
      {"f64_to_f32", CastTo(Rand({3, 17}, -100, 100), DType::kFloat64), DType::kFloat32},
      {"i64_to_f32", RandInt({3, 17}, -1000, 1000), DType::kFloat32},
      {"i32_to_i64", RandInt({3, 17}, -1000, 1000, DType::kInt32), DType::kInt64},
      {"i64_to_i32", RandInt({3, 17}, -1000, 1000), DType::kInt32},
      {"u8_to_f32", RandInt({3, 17}, 0, 255, DType::kUInt8), DType::kFloat32},
      {"bool_to_f32", RandBool({3, 17}), DType::kFloat32},
      {"bool_to_i64", RandBool({3, 17}), DType::kInt64},
      {"f32_to_f32", Rand({3, 17}), DType::kFloat32},
  };
  std::vector<OpCase> c;
  for (auto& cv : convs) {
    CaseBuilder b(op, cv.name, op == "Cast" ? 13 : 15);
    b.In(cv.in);
    if (op == "Cast") b.Attr(AttrI("to", static_cast<int64_t>(cv.to)));
    else b.Const(Tensor::Zeros(cv.to, {1}));
    c.push_back(b);
  }
  if (op == "Cast") c.push_back(CaseBuilder("Cast", "opset9_f32_to_i64", 9).In(Rand({5, 4}, -50, 50)).Attr(AttrI("to", 7)));
  return c;
}

}  // namespace

void AddElementwiseCases(CaseTable* t) {
  auto& T = *t;
  T["Abs"] = [] { return WithInts("Abs", -3, 3); };
  T["Neg"] = [] { return WithInts("Neg", -3, 3); };
  T["Exp"] = [] { return Unary("Exp", -5, 5); };
  T["Log"] = [] { return Unary("Log", 0.01f, 10); };
  T["Sqrt"] = [] { return Unary("Sqrt", 0, 10); };
  T["Reciprocal"] = [] {
    std::vector<OpCase> c;
    for (const char* n : {"4d", "1d"})
      c.push_back(CaseBuilder("Reciprocal", n).In(RandNonZero(n[0] == '4' ? Shape{2, 3, 4, 5} : Shape{33})));
    return c;
  };
  T["Floor"] = [] { return Unary("Floor", -5, 5); };
  T["Ceil"] = [] { return Unary("Ceil", -5, 5); };
  T["Round"] = [] {
    auto c = Unary("Round", -5, 5);
    c.push_back(CaseBuilder("Round", "halves").In(F32({-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 3.5f, -0.f})));
    return c;
  };
  T["Sign"] = [] {
    auto c = Unary("Sign", -2, 2);
    c.push_back(CaseBuilder("Sign", "zeros").In(F32({-1.f, 0.f, -0.f, 2.f})));
    c.push_back(CaseBuilder("Sign", "int64").In(RandInt({3, 5}, -3, 3)));
    return c;
  };
  T["Sigmoid"] = [] { return Unary("Sigmoid", -10, 10); };
  T["Tanh"] = [] { return Unary("Tanh", -5, 5); };
  T["Relu"] = [] {
    auto c = Unary("Relu", -2, 2);
    c.push_back(CaseBuilder("Relu", "opset6", 6).In(Rand({2, 3, 4, 5})));
    return c;
  };
  T["Erf"] = [] { return Unary("Erf", -3, 3, {}, 13); };
  T["Sin"] = [] { return Unary("Sin", -4, 4); };
  T["Cos"] = [] { return Unary("Cos", -4, 4); };
  T["Tan"] = [] { return Unary("Tan", -1.2f, 1.2f); };
  T["Asin"] = [] { return Unary("Asin", -0.99f, 0.99f); };
  T["Acos"] = [] { return Unary("Acos", -0.99f, 0.99f); };
  T["Atan"] = [] { return Unary("Atan", -5, 5); };
  T["Sinh"] = [] { return Unary("Sinh", -3, 3); };
  T["Cosh"] = [] { return Unary("Cosh", -3, 3); };
  T["Asinh"] = [] { return Unary("Asinh", -5, 5); };
  T["Acosh"] = [] { return Unary("Acosh", 1, 5); };
  T["Atanh"] = [] { return Unary("Atanh", -0.95f, 0.95f); };
  T["Softplus"] = [] { return Unary("Softplus", -10, 10); };
  T["Softsign"] = [] { return Unary("Softsign", -5, 5); };
  T["HardSwish"] = [] { return Unary("HardSwish", -5, 5, {}, 14); };
  T["Mish"] = [] { return Unary("Mish", -5, 5, {}, 18); };
  T["Gelu"] = [] {
    auto c = Unary("Gelu", -5, 5, {}, 20);
    Append(&c, Unary("Gelu", -5, 5, {AttrS("approximate", "tanh")}, 20, "tanh"));
    for (auto& x : c) x.output_dtypes = {DType::kFloat32};
    return c;
  };
  T["Identity"] = [] {
    auto c = Unary("Identity", -1, 1);
    c.push_back(CaseBuilder("Identity", "int64").In(RandInt({4, 3}, -9, 9)));
    return c;
  };
  T["LeakyRelu"] = [] {
    auto c = Unary("LeakyRelu", -2, 2);
    Append(&c, Unary("LeakyRelu", -2, 2, {AttrF("alpha", 0.2f)}, 16, "alpha"));
    return c;
  };
  T["Elu"] = [] {
    auto c = Unary("Elu", -3, 3);
    Append(&c, Unary("Elu", -3, 3, {AttrF("alpha", 0.5f)}, 6, "alpha"));
    return c;
  };
  T["Selu"] = [] {
    auto c = Unary("Selu", -3, 3);
    Append(&c, Unary("Selu", -3, 3, {AttrF("alpha", 1.5f), AttrF("gamma", 0.8f)}, 6, "custom"));
    return c;
  };
  T["HardSigmoid"] = [] {
    auto c = Unary("HardSigmoid", -5, 5);
    Append(&c, Unary("HardSigmoid", -5, 5, {AttrF("alpha", 1.f / 6), AttrF("beta", 0.5f)}, 6, "hswish_like"));
    return c;
  };
  T["ThresholdedRelu"] = [] {
    auto c = Unary("ThresholdedRelu", -2, 2);
    Append(&c, Unary("ThresholdedRelu", -2, 2, {AttrF("alpha", 0.3f)}, 10, "alpha"));
    return c;
  };
  T["Celu"] = [] { return Unary("Celu", -3, 3, {AttrF("alpha", 2.f)}, 12); };
  T["Shrink"] = [] {
    auto c = Unary("Shrink", -2, 2);
    Append(&c, Unary("Shrink", -2, 2, {AttrF("bias", 0.2f), AttrF("lambd", 0.6f)}, 9, "custom"));
    return c;
  };
  T["Clip"] = ClipCases;
  T["Cast"] = [] { return CastCases("Cast"); };
  T["CastLike"] = [] { return CastCases("CastLike"); };
  T["IsNaN"] = [] {
    return std::vector<OpCase>{CaseBuilder("IsNaN", "specials").In(WithSpecials(Rand({3, 5})))};
  };
  T["IsInf"] = [] {
    return std::vector<OpCase>{
        CaseBuilder("IsInf", "both", 10).In(WithSpecials(Rand({3, 5}))),
        CaseBuilder("IsInf", "positive_only", 10).In(WithSpecials(Rand({3, 5}))).Attr(AttrI("detect_negative", 0)),
        CaseBuilder("IsInf", "negative_only", 10).In(WithSpecials(Rand({3, 5}))).Attr(AttrI("detect_positive", 0))};
  };
  T["Not"] = [] { return std::vector<OpCase>{CaseBuilder("Not", "bool").In(RandBool({3, 4, 5}))}; };
  T["Dropout"] = [] {
    return std::vector<OpCase>{
        CaseBuilder("Dropout", "opset13", 13).In(Rand({2, 3, 4, 5})),
        CaseBuilder("Dropout", "opset13_ratio", 13).In(Rand({2, 3, 4, 5})).Const(Tensor::Scalar(0.3f)),
        CaseBuilder("Dropout", "opset10_attr", 10).In(Rand({2, 3, 4, 5})).Attr(AttrF("ratio", 0.2f)),
        CaseBuilder("Dropout", "opset7", 7).In(Rand({2, 3, 4, 5}))};
  };
}

}  // namespace litemp::test
