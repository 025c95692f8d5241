// Oracle cases for broadcasting binary and variadic ops, comparisons, logic and Where.
#include "oracle/op_case.h"

namespace litemp::test {

namespace {

using Gen = Tensor (*)(const Shape&);

Tensor Uniform(const Shape& s) { return Rand(s, -2, 2); }
Tensor Positive(const Shape& s) { return Rand(s, 0.1f, 3); }
Tensor Divisor(const Shape& s) { return RandNonZero(s, 0.5f, 2); }
Tensor Exponent(const Shape& s) { return Rand(s, -2, 2); }
Tensor SmallInts(const Shape& s) { return RandIntegral(s, -2, 2); }

// Broadcast patterns: equal shapes, trailing vector, per-channel, two-sided, scalar, a
// constant per-channel operand on a large NCHW tensor, and the scalar on the left.
std::vector<OpCase> Binary(const std::string& op, Gen ga, Gen gb, int opset = 17) {
  struct P { const char* name; Shape a, b; bool b_const; };
  const P pats[] = {
      {"same", {2, 3, 4, 5}, {2, 3, 4, 5}, false},
      {"trailing", {2, 3, 4, 5}, {5}, false},
      {"channel", {2, 3, 4, 5}, {3, 1, 1}, false},
      {"two_sided", {1, 3, 1, 5}, {2, 1, 4, 1}, false},
      {"scalar", {2, 3, 4, 5}, {}, false},
      {"scalar_left", {}, {3, 4}, false},
      {"const_channel_large", {2, 16, 14, 14}, {1, 16, 1, 1}, true},
      {"const_same_large", {2, 16, 14, 14}, {2, 16, 14, 14}, true},
      {"rank_mismatch", {4, 1, 6}, {2, 1, 5, 1}, false},
  };
  std::vector<OpCase> c;
  for (const P& p : pats) {
    CaseBuilder b(op, p.name, opset);
    b.In(ga(p.a));
    if (p.b_const) b.Const(gb(p.b));
    else b.In(gb(p.b));
    c.push_back(b);
  }
  return c;
}

std::vector<OpCase> Arith(const std::string& op) {
  Gen gb = op == "Div" ? Divisor : Uniform;
  auto c = Binary(op, Uniform, gb);
  c.push_back(CaseBuilder(op, "opset7", 7).In(Uniform({2, 3, 4, 5})).In(gb({4, 5})));
  c.push_back(CaseBuilder(op, "float64").In(CastTo(Uniform({3, 4}), DType::kFloat64)).In(CastTo(gb({4}), DType::kFloat64)));
  Tensor ib = op == "Div" ? RandInt({4}, 1, 9) : RandInt({4}, -9, 9);
  c.push_back(CaseBuilder(op, "int64").In(RandInt({3, 4}, -50, 50)).In(ib));
  c.push_back(CaseBuilder(op, "int32").In(RandInt({3, 4}, -50, 50, DType::kInt32)).In(CastTo(ib, DType::kInt32)));
  return c;
}

std::vector<OpCase> Variadic(const std::string& op) {
  std::vector<OpCase> c;
  c.push_back(CaseBuilder(op, "one").In(Uniform({2, 3, 4})));
  c.push_back(CaseBuilder(op, "two_same").In(Uniform({2, 3, 4})).In(Uniform({2, 3, 4})));
  c.push_back(CaseBuilder(op, "three_broadcast").In(Uniform({2, 3, 4})).In(Uniform({3, 1})).In(Uniform({4})));
  c.push_back(CaseBuilder(op, "four_const").In(Uniform({2, 8, 5, 5})).Const(Uniform({8, 1, 1})).In(Uniform({2, 8, 5, 5})).In(Uniform({})));
  if (op == "Max" || op == "Min")
    c.push_back(CaseBuilder(op, "int64").In(RandInt({3, 4}, -9, 9)).In(RandInt({4}, -9, 9)));
  return c;
}

std::vector<OpCase> Compare(const std::string& op) {
  auto c = Binary(op, SmallInts, SmallInts);
  c.push_back(CaseBuilder(op, "int64").In(RandInt({3, 4}, -2, 2)).In(RandInt({4}, -2, 2)));
  return c;
}

std::vector<OpCase> Logic(const std::string& op) {
  return {CaseBuilder(op, "same").In(RandBool({2, 3, 4})).In(RandBool({2, 3, 4})),
          CaseBuilder(op, "broadcast").In(RandBool({2, 3, 4})).In(RandBool({3, 1})),
          CaseBuilder(op, "scalar").In(RandBool({2, 3, 4})).In(RandBool({}))};
}

}  // namespace

void AddBinaryCases(CaseTable* t) {
  auto& T = *t;
  for (const char* op : {"Add", "Sub", "Mul", "Div"}) T[op] = [op] { return Arith(op); };
  T["Pow"] = [] {
    auto c = Binary("Pow", Positive, Exponent);
    c.push_back(CaseBuilder("Pow", "square").In(Uniform({2, 3, 4, 5})).Const(Tensor::Scalar(2.f)));
    c.push_back(CaseBuilder("Pow", "sqrt").In(Positive({2, 3, 4, 5})).Const(Tensor::Scalar(0.5f)));
    c.push_back(CaseBuilder("Pow", "int64_exponent").In(Uniform({3, 4})).In(RandInt({4}, 0, 3)));
    return c;
  };
  for (const char* op : {"Max", "Min", "Sum", "Mean"}) T[op] = [op] { return Variadic(op); };
  for (const char* op : {"Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual"})
    T[op] = [op] { return Compare(op); };
  for (const char* op : {"And", "Or", "Xor"}) T[op] = [op] { return Logic(op); };
  T["Mod"] = [] {
    return std::vector<OpCase>{
        CaseBuilder("Mod", "int64_python_sign", 13).In(RandInt({4, 5}, -20, 20)).In(RandInt({5}, 1, 7)),
        CaseBuilder("Mod", "int64_negative_divisor", 13).In(RandInt({4, 5}, -20, 20)).In(RandInt({5}, -7, -1)),
        CaseBuilder("Mod", "int32_fmod", 13).In(RandInt({4, 5}, -20, 20, DType::kInt32)).In(RandInt({5}, 1, 7, DType::kInt32)).Attr(AttrI("fmod", 1)),
        CaseBuilder("Mod", "float_fmod", 13).In(Rand({4, 5}, -10, 10)).In(RandNonZero({5}, 1, 3)).Attr(AttrI("fmod", 1))};
  };
  T["PRelu"] = [] {
    return std::vector<OpCase>{
        CaseBuilder("PRelu", "channel_const", 16).In(Uniform({2, 3, 4, 5})).Const(Rand({3, 1, 1}, 0, 0.5f)),
        CaseBuilder("PRelu", "channel_large", 16).In(Uniform({2, 16, 9, 9})).Const(Rand({16, 1, 1}, 0, 0.5f)),
        CaseBuilder("PRelu", "single_slope", 16).In(Uniform({2, 3, 4, 5})).Const(Rand({1}, 0, 0.5f)),
        CaseBuilder("PRelu", "same_shape_runtime", 16).In(Uniform({2, 3, 4, 5})).In(Rand({2, 3, 4, 5}, 0, 0.5f)),
        CaseBuilder("PRelu", "trailing", 9).In(Uniform({2, 3, 4, 5})).Const(Rand({5}, 0, 0.5f))};
  };
  T["Where"] = [] {
    return std::vector<OpCase>{
        CaseBuilder("Where", "same").In(RandBool({2, 3, 4})).In(Uniform({2, 3, 4})).In(Uniform({2, 3, 4})),
        CaseBuilder("Where", "broadcast").In(RandBool({3, 1})).In(Uniform({2, 3, 4})).In(Uniform({4})),
        CaseBuilder("Where", "scalar_branches").In(RandBool({2, 3, 4})).In(Uniform({})).Const(Tensor::Scalar(-1e9f)),
        CaseBuilder("Where", "int64").In(RandBool({5})).In(RandInt({5}, -9, 9)).In(RandInt({1}, -9, 9))};
  };
  T["BitShift"] = [] {
    return std::vector<OpCase>{
        CaseBuilder("BitShift", "left_u8", 11).In(RandInt({3, 4}, 0, 15, DType::kUInt8)).In(RandInt({4}, 0, 4, DType::kUInt8)).Attr(AttrS("direction", "LEFT")),
        CaseBuilder("BitShift", "right_u32", 11).In(RandInt({3, 4}, 0, 1000, DType::kUInt32)).In(RandInt({4}, 0, 5, DType::kUInt32)).Attr(AttrS("direction", "RIGHT"))};
  };
}

}  // namespace litemp::test
