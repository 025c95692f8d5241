// Oracle cases for reductions, ArgMax/ArgMin, TopK and CumSum.
#include "oracle/op_case.h"

namespace litemp::test {

namespace {

// Reduce ops took `axes` as an attribute until opset 18 (ReduceSum: 13), then as an input.
std::vector<OpCase> ReduceCases(const std::string& op) {
  float lo = -2, hi = 2;
  if (op == "ReduceProd") lo = 0.7f, hi = 1.3f;
  if (op == "ReduceLogSum") lo = 0.1f, hi = 2;
  const int input_opset = op == "ReduceSum" ? 13 : 18;
  const int attr_opset = op == "ReduceSum" ? 11 : 13;
  struct P { const char* name; Shape x; std::vector<int64_t> axes; int keepdims; bool has_axes; };
  const P pats[] = {
      {"axis1_keep", {2, 3, 4, 5}, {1}, 1, true},
      {"axes02_drop", {2, 3, 4, 5}, {0, 2}, 0, true},
      {"spatial_keep", {2, 8, 6, 6}, {2, 3}, 1, true},
      {"negative_axis", {2, 3, 4}, {-1}, 0, true},
      {"all_axes_default", {2, 3, 4}, {}, 1, false},
      {"all_axes_drop", {2, 3, 4}, {}, 0, false},
      {"large_inner", {4, 1000}, {1}, 1, true},
  };
  std::vector<OpCase> c;
  for (const P& p : pats) {
    for (int opset : {attr_opset, input_opset}) {
      CaseBuilder b(op, std::string(p.name) + "_opset" + std::to_string(opset), opset);
      b.In(Rand(p.x, lo, hi));
      if (p.has_axes) {
        if (opset == input_opset) b.Const(I64(p.axes));
        else b.Attr(AttrInts("axes", p.axes));
      }
      if (p.keepdims != 1) b.Attr(AttrI("keepdims", p.keepdims));
      if (opset >= 18) b.OutTypes({DType::kFloat32});
      c.push_back(b);
    }
  }
  c.push_back(CaseBuilder(op, "runtime_axes", input_opset).In(Rand({2, 3, 4}, lo, hi)).In(I64({0, 2})).OutTypes({DType::kFloat32}));
  c.push_back(CaseBuilder(op, "noop_with_empty_axes", input_opset).In(Rand({2, 3}, lo, hi)).Const(Tensor(DType::kInt64, {0}))
                  .Attr(AttrI("noop_with_empty_axes", 1)).OutTypes({DType::kFloat32}));
  if (op == "ReduceSum" || op == "ReduceMax" || op == "ReduceMin")
    c.push_back(CaseBuilder(op, "int64", attr_opset).In(RandInt({3, 4}, -9, 9)).Attr(AttrInts("axes", {1})));
  return c;
}

std::vector<OpCase> ArgCases(const std::string& op) {
  return {CaseBuilder(op, "axis0_default").In(Rand({3, 4})),
          CaseBuilder(op, "axis1_drop").In(Rand({2, 5, 3})).Attr(AttrI("axis", 1)).Attr(AttrI("keepdims", 0)),
          CaseBuilder(op, "negative_axis").In(Rand({2, 3, 7})).Attr(AttrI("axis", -1)),
          CaseBuilder(op, "ties_first").In(RandIntegral({4, 6}, 0, 2)).Attr(AttrI("axis", 1)),
          CaseBuilder(op, "ties_last", 12).In(RandIntegral({4, 6}, 0, 2)).Attr(AttrI("axis", 1)).Attr(AttrI("select_last_index", 1)),
          CaseBuilder(op, "classifier").In(Rand({4, 1001})).Attr(AttrI("axis", 1)).Attr(AttrI("keepdims", 0)),
          CaseBuilder(op, "int64").In(RandInt({3, 5}, -100, 100)).Attr(AttrI("axis", 1))};
}

}  // namespace

void AddReduceCases(CaseTable* t) {
  auto& T = *t;
  for (const char* op : {"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
                         "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"})
    T[op] = [op] { return ReduceCases(op); };
  T["ArgMax"] = [] { return ArgCases("ArgMax"); };
  T["ArgMin"] = [] { return ArgCases("ArgMin"); };
  T["TopK"] = [] {
    return std::vector<OpCase>{
        CaseBuilder("TopK", "last_axis").In(Rand({3, 10})).Const(I64({4})).Outputs(2),
        CaseBuilder("TopK", "axis0_smallest").In(Rand({6, 3})).Const(I64({2})).Attr(AttrI("axis", 0)).Attr(AttrI("largest", 0)).Outputs(2),
        CaseBuilder("TopK", "k_equals_dim").In(Rand({2, 5})).Const(I64({5})).Outputs(2),
        CaseBuilder("TopK", "top5_classifier").In(Rand({2, 1001})).Const(I64({5})).Outputs(2),
        CaseBuilder("TopK", "opset1_attr", 1).In(Rand({3, 10})).Attr(AttrI("k", 3)).Outputs(2)};
  };
  T["CumSum"] = [] {
    return std::vector<OpCase>{
        CaseBuilder("CumSum", "axis0", 14).In(Rand({4, 5})).Const(I64Scalar(0)),
        CaseBuilder("CumSum", "axis_neg1_exclusive", 14).In(Rand({3, 4, 5})).Const(I64Scalar(-1)).Attr(AttrI("exclusive", 1)),
        CaseBuilder("CumSum", "reverse_int32_axis", 14).In(Rand({3, 6})).Const(Tensor::Scalar<int32_t>(1)).Attr(AttrI("reverse", 1)),
        CaseBuilder("CumSum", "int64_data", 14).In(RandInt({7}, -9, 9)).Const(I64Scalar(0))};
  };
}

}  // namespace litemp::test
