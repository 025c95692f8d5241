// Oracle cases for shape and data-movement ops.
#include "oracle/op_case.h"

namespace litemp::test {

namespace {

Tensor X(const Shape& s) { return Rand(s, -3, 3); }

std::vector<OpCase> ReshapeCases() {
  return {CaseBuilder("Reshape", "flatten_tail").In(X({2, 3, 4, 5})).Const(I64({2, -1})),
          CaseBuilder("Reshape", "copy_dim0").In(X({2, 3, 4, 5})).Const(I64({0, 12, 5})),
          CaseBuilder("Reshape", "to_scalar").In(X({1, 1})).Const(Tensor(DType::kInt64, {0})),
          CaseBuilder("Reshape", "runtime_shape").In(X({2, 3, 4})).In(I64({4, 6})),
          CaseBuilder("Reshape", "allowzero", 14).In(X({0, 3})).Const(I64({3, 0})).Attr(AttrI("allowzero", 1)),
          CaseBuilder("Reshape", "int64_data").In(RandInt({6, 2}, -9, 9)).Const(I64({3, -1})),
          CaseBuilder("Reshape", "opset5", 5).In(X({2, 6})).Const(I64({3, 4}))};
}

std::vector<OpCase> TransposeCases() {
  return {CaseBuilder("Transpose", "default_reverse").In(X({2, 3, 4})),
          CaseBuilder("Transpose", "nchw_to_nhwc").In(X({2, 3, 4, 5})).Attr(AttrInts("perm", {0, 2, 3, 1})),
          CaseBuilder("Transpose", "nhwc_to_nchw").In(X({2, 4, 5, 3})).Attr(AttrInts("perm", {0, 3, 1, 2})),
          CaseBuilder("Transpose", "swap_last2").In(X({3, 7, 9})).Attr(AttrInts("perm", {0, 2, 1})),
          CaseBuilder("Transpose", "5d").In(X({2, 3, 2, 4, 2})).Attr(AttrInts("perm", {4, 0, 3, 1, 2})),
          CaseBuilder("Transpose", "large_2d").In(X({129, 67})).Attr(AttrInts("perm", {1, 0})),
          CaseBuilder("Transpose", "int64").In(RandInt({2, 3, 4}, -9, 9)).Attr(AttrInts("perm", {1, 0, 2}))};
}

std::vector<OpCase> ConcatCases() {
  return {CaseBuilder("Concat", "axis1_nchw").In(X({2, 3, 4, 5})).In(X({2, 5, 4, 5})).Attr(AttrI("axis", 1)),
          CaseBuilder("Concat", "axis_neg1_three").In(X({2, 3})).In(X({2, 1})).In(X({2, 4})).Attr(AttrI("axis", -1)),
          CaseBuilder("Concat", "axis0_const").In(X({2, 3})).Const(X({1, 3})).Attr(AttrI("axis", 0)),
          CaseBuilder("Concat", "single").In(X({2, 3})).Attr(AttrI("axis", 0)),
          CaseBuilder("Concat", "with_empty").In(X({2, 3})).In(X({0, 3})).Attr(AttrI("axis", 0)),
          CaseBuilder("Concat", "int64_shapes").In(RandInt({2}, 1, 9)).Const(I64({-1})).Attr(AttrI("axis", 0)),
          CaseBuilder("Concat", "large_channels").In(X({2, 16, 14, 14})).In(X({2, 24, 14, 14})).Attr(AttrI("axis", 1))};
}

std::vector<OpCase> SplitCases() {
  return {CaseBuilder("Split", "equal_opset13", 13).In(X({2, 6, 4})).Attr(AttrI("axis", 1)).Outputs(3),
          CaseBuilder("Split", "sizes_input_opset13", 13).In(X({2, 7, 4})).Const(I64({2, 5})).Attr(AttrI("axis", 1)).Outputs(2),
          CaseBuilder("Split", "sizes_attr_opset11", 11).In(X({7, 4})).Attr(AttrInts("split", {3, 1, 3})).Outputs(3),
          CaseBuilder("Split", "last_axis", 13).In(X({2, 3, 8})).Attr(AttrI("axis", -1)).Outputs(2),
          CaseBuilder("Split", "num_outputs_uneven_opset18", 18).In(X({2, 7})).Attr(AttrI("axis", 1)).Attr(AttrI("num_outputs", 3)).Outputs(3)
              .OutTypes({DType::kFloat32, DType::kFloat32, DType::kFloat32})};
}

std::vector<OpCase> SliceCases() {
  auto s = [](const char* name, Shape x, std::vector<int64_t> st, std::vector<int64_t> en, std::vector<int64_t> ax,
              std::vector<int64_t> steps) {
    CaseBuilder b("Slice", name, 13);
    b.In(X(x)).Const(I64(st)).Const(I64(en));
    if (!ax.empty() || !steps.empty()) b.Const(I64(ax));
    if (!steps.empty()) b.Const(I64(steps));
    return OpCase(b);
  };
  std::vector<OpCase> c = {
      s("basic", {4, 5, 6}, {1, 0, 2}, {3, 5, 5}, {}, {}),
      s("axes_subset", {4, 5, 6}, {1}, {4}, {2}, {}),
      s("negative_indices", {4, 5, 6}, {-3}, {-1}, {1}, {}),
      s("out_of_range_clamped", {4, 5, 6}, {-100, 2}, {100, 1000}, {0, 2}, {}),
      s("step2", {10, 6}, {1}, {10}, {0}, {2}),
      s("negative_step", {10, 6}, {-1, 5}, {-100, 0}, {0, 1}, {-1, -2}),
      s("empty_result", {4, 5}, {3}, {1}, {0}, {}),
      s("int_max_end", {4, 5}, {1}, {INT64_MAX}, {1}, {}),
  };
  c.push_back(CaseBuilder("Slice", "runtime_starts", 13).In(X({4, 5})).In(I64({1, 1})).In(I64({3, 4})));
  c.push_back(CaseBuilder("Slice", "opset1_attrs", 1).In(X({4, 5, 6})).Attr(AttrInts("starts", {1, 2})).Attr(AttrInts("ends", {3, 6}))
                  .Attr(AttrInts("axes", {0, 2})));
  return c;
}

std::vector<OpCase> SqueezeLike(const std::string& op) {
  bool sq = op == "Squeeze";
  Shape x = sq ? Shape{2, 1, 3, 1} : Shape{2, 3};
  std::vector<int64_t> axes = sq ? std::vector<int64_t>{1, -1} : std::vector<int64_t>{0, 3};
  std::vector<OpCase> c = {CaseBuilder(op, "opset13_input", 13).In(X(x)).Const(I64(axes)),
                           CaseBuilder(op, "opset11_attr", 11).In(X(x)).Attr(AttrInts("axes", axes)),
                           CaseBuilder(op, "int64", 13).In(RandInt(x, -9, 9)).Const(I64(axes))};
  if (sq) c.push_back(CaseBuilder(op, "all_ones", 13).In(X({1, 3, 1, 1})));
  else c.push_back(CaseBuilder(op, "scalar_to_1d", 13).In(X({})).Const(I64({0})));
  return c;
}

std::vector<OpCase> GatherCases() {
  return {CaseBuilder("Gather", "axis0").In(X({5, 4})).In(RandInt({3}, 0, 4)),
          CaseBuilder("Gather", "axis1_2d_indices").In(X({3, 6, 2})).In(RandInt({2, 2}, 0, 5)).Attr(AttrI("axis", 1)),
          CaseBuilder("Gather", "negative_indices").In(X({5, 4})).In(RandInt({4}, -5, 4)),
          CaseBuilder("Gather", "scalar_index").In(X({5, 4})).Const(I64Scalar(2)).Attr(AttrI("axis", 1)),
          CaseBuilder("Gather", "int32_indices").In(X({5, 4})).In(RandInt({3}, 0, 4, DType::kInt32)),
          CaseBuilder("Gather", "shape_element").In(RandInt({4}, 1, 9)).Const(I64Scalar(0)),
          CaseBuilder("Gather", "embedding_const").Const(X({50, 8})).In(RandInt({2, 5}, 0, 49))};
}

std::vector<OpCase> PadCases() {
  auto pad = [](const char* name, const char* mode, Shape x, std::vector<int64_t> pads, float value) {
    CaseBuilder b("Pad", name, 13);
    b.In(X(x)).Const(I64(pads));
    if (value != 0) b.Const(Tensor::Scalar(value));
    if (mode) b.Attr(AttrS("mode", mode));
    return OpCase(b);
  };
  std::vector<OpCase> c = {
      pad("constant_zero", nullptr, {1, 2, 4, 5}, {0, 0, 1, 2, 0, 0, 2, 1}, 0),
      pad("constant_value", "constant", {1, 2, 4, 5}, {0, 0, 1, 1, 0, 0, 1, 1}, 1.5f),
      pad("reflect", "reflect", {1, 2, 4, 5}, {0, 0, 2, 1, 0, 0, 1, 3}, 0),
      pad("edge", "edge", {1, 2, 4, 5}, {0, 0, 2, 1, 0, 0, 1, 3}, 0),
      pad("negative_crop", "constant", {1, 2, 6, 6}, {0, 0, -1, 1, 0, 0, 1, -2}, 0),
      pad("2d", "constant", {3, 4}, {1, 0, 2, 3}, 0),
  };
  c.push_back(CaseBuilder("Pad", "opset2_attr", 2).In(X({1, 2, 3, 3})).Attr(AttrInts("pads", {0, 0, 1, 1, 0, 0, 1, 1})).Attr(AttrF("value", -1.f)));
  c.push_back(CaseBuilder("Pad", "opset18_axes", 18).In(X({1, 2, 3, 3})).Const(I64({1, 2, 1, 0})).Omit().Const(I64({2, 3}))
                  .OutTypes({DType::kFloat32}));
  c.push_back(CaseBuilder("Pad", "opset19_wrap", 19).In(X({1, 2, 3, 4})).Const(I64({0, 0, 1, 2, 0, 0, 2, 1})).Attr(AttrS("mode", "wrap"))
                  .OutTypes({DType::kFloat32}));
  c.push_back(CaseBuilder("Pad", "int64", 13).In(RandInt({3, 4}, -9, 9)).Const(I64({1, 1, 1, 1})).Const(I64Scalar(5)));
  return c;
}

std::vector<OpCase> SpaceDepth(const std::string& op) {
  bool d2s = op == "DepthToSpace";
  Shape x = d2s ? Shape{2, 8, 3, 4} : Shape{2, 2, 6, 8};
  std::vector<OpCase> c = {CaseBuilder(op, "blocksize2").In(X(x)).Attr(AttrI("blocksize", 2))};
  if (d2s) {
    c.push_back(CaseBuilder(op, "crd").In(X(x)).Attr(AttrI("blocksize", 2)).Attr(AttrS("mode", "CRD")));
    c.push_back(CaseBuilder(op, "dcr_explicit").In(X({1, 18, 2, 2})).Attr(AttrI("blocksize", 3)).Attr(AttrS("mode", "DCR")));
  }
  return c;
}

}  // namespace

void AddMovementCases(CaseTable* t) {
  auto& T = *t;
  T["Reshape"] = ReshapeCases;
  T["Transpose"] = TransposeCases;
  T["Concat"] = ConcatCases;
  T["Split"] = SplitCases;
  T["Slice"] = SliceCases;
  T["Squeeze"] = [] { return SqueezeLike("Squeeze"); };
  T["Unsqueeze"] = [] { return SqueezeLike("Unsqueeze"); };
  T["Gather"] = GatherCases;
  T["Pad"] = PadCases;
  T["DepthToSpace"] = [] { return SpaceDepth("DepthToSpace"); };
  T["SpaceToDepth"] = [] { return SpaceDepth("SpaceToDepth"); };
  T["Flatten"] = [] {
    return std::vector<OpCase>{CaseBuilder("Flatten", "default_axis1").In(X({2, 3, 4, 5})),
                               CaseBuilder("Flatten", "axis0").In(X({2, 3, 4})).Attr(AttrI("axis", 0)),
                               CaseBuilder("Flatten", "axis3").In(X({2, 3, 4, 5})).Attr(AttrI("axis", 3)),
                               CaseBuilder("Flatten", "axis_neg1").In(X({2, 3, 4, 5})).Attr(AttrI("axis", -1)),
                               CaseBuilder("Flatten", "gap_output").In(X({4, 1280, 1, 1}))};
  };
  T["Expand"] = [] {
    return std::vector<OpCase>{CaseBuilder("Expand", "broadcast").In(X({3, 1})).Const(I64({2, 3, 4})),
                               CaseBuilder("Expand", "shape_smaller").In(X({2, 3, 4})).Const(I64({3, 1})),
                               CaseBuilder("Expand", "ones_in_shape").In(X({1, 4})).Const(I64({3, 1})),
                               CaseBuilder("Expand", "runtime_shape").In(X({1, 5})).In(I64({2, 1, 5})),
                               CaseBuilder("Expand", "int64").In(RandInt({2, 1}, -9, 9)).Const(I64({2, 3}))};
  };
  T["Tile"] = [] {
    return std::vector<OpCase>{CaseBuilder("Tile", "2d").In(X({2, 3})).Const(I64({2, 3})),
                               CaseBuilder("Tile", "4d_ones").In(X({1, 2, 3, 1})).Const(I64({1, 1, 2, 4})),
                               CaseBuilder("Tile", "runtime_repeats").In(X({3})).In(I64({4}))};
  };
  T["Shape"] = [] {
    return std::vector<OpCase>{CaseBuilder("Shape", "4d").In(X({2, 3, 4, 5})),
                               CaseBuilder("Shape", "scalar").In(X({})),
                               CaseBuilder("Shape", "start_end_opset15", 15).In(X({2, 3, 4, 5})).Attr(AttrI("start", 1)).Attr(AttrI("end", -1)),
                               CaseBuilder("Shape", "negative_start_opset15", 15).In(X({2, 3, 4, 5})).Attr(AttrI("start", -2))};
  };
  T["Size"] = [] {
    return std::vector<OpCase>{CaseBuilder("Size", "4d").In(X({2, 3, 4, 5})), CaseBuilder("Size", "empty").In(X({0, 3}))};
  };
  T["ConstantOfShape"] = [] {
    return std::vector<OpCase>{
        CaseBuilder("ConstantOfShape", "default_zero").In(I64({2, 3})),
        CaseBuilder("ConstantOfShape", "float_value").In(I64({4})).Attr(AttrT("value", F32({1.5f}))),
        CaseBuilder("ConstantOfShape", "int64_value").In(I64({2, 2, 2})).Attr(AttrT("value", I64({7}))),
        CaseBuilder("ConstantOfShape", "empty_shape_scalar").In(Tensor(DType::kInt64, {0})).Attr(AttrT("value", F32({3.f})))};
  };
  T["Range"] = [] {
    return std::vector<OpCase>{
        CaseBuilder("Range", "int64").In(I64Scalar(2)).In(I64Scalar(17)).In(I64Scalar(3)),
        CaseBuilder("Range", "negative_step").In(I64Scalar(10)).In(I64Scalar(-3)).In(I64Scalar(-2)),
        CaseBuilder("Range", "float").In(Tensor::Scalar(0.5f)).In(Tensor::Scalar(3.f)).In(Tensor::Scalar(0.25f)),
        CaseBuilder("Range", "empty").In(I64Scalar(5)).In(I64Scalar(1)).In(I64Scalar(1))};
  };
  T["GatherElements"] = [] {
    return std::vector<OpCase>{CaseBuilder("GatherElements", "axis0").In(X({3, 4})).In(RandInt({2, 4}, 0, 2)),
                               CaseBuilder("GatherElements", "axis_neg1").In(X({3, 4, 5})).In(RandInt({3, 4, 2}, -5, 4)).Attr(AttrI("axis", -1))};
  };
  T["GatherND"] = [] {
    return std::vector<OpCase>{CaseBuilder("GatherND", "full_index").In(X({3, 4})).In(RandInt({5, 2}, 0, 2)),
                               CaseBuilder("GatherND", "slices").In(X({3, 4, 5})).In(RandInt({2, 1}, 0, 2)),
                               CaseBuilder("GatherND", "batch_dims1").In(X({2, 3, 4})).In(RandInt({2, 2, 1}, 0, 2)).Attr(AttrI("batch_dims", 1))};
  };
  T["ScatterND"] = [] {
    return std::vector<OpCase>{
        CaseBuilder("ScatterND", "rows").In(X({4, 3})).Const(I64({2, 0}, {2, 1})).In(X({2, 3})),
        CaseBuilder("ScatterND", "elements").In(X({4, 3})).Const(I64({0, 1, 3, 2, 1, 0}, {3, 2})).In(X({3}))};
  };
  T["ScatterElements"] = [] {
    return std::vector<OpCase>{
        CaseBuilder("ScatterElements", "axis1").In(X({3, 4})).Const(I64({0, 3, 1, 2, 2, 0}, {3, 2})).In(X({3, 2})).Attr(AttrI("axis", 1)),
        CaseBuilder("ScatterElements", "add_reduction", 16).In(X({3, 4})).Const(I64({0, 0, 1, 1}, {2, 2})).In(X({2, 2}))
            .Attr(AttrI("axis", 1)).Attr(AttrS("reduction", "add"))};
  };
  T["Trilu"] = [] {
    return std::vector<OpCase>{CaseBuilder("Trilu", "upper", 14).In(X({2, 4, 5})),
                               CaseBuilder("Trilu", "lower_k1", 14).In(X({4, 5})).Const(I64Scalar(1)).Attr(AttrI("upper", 0))};
  };
  T["OneHot"] = [] {
    return std::vector<OpCase>{CaseBuilder("OneHot", "last_axis", 11).In(RandInt({2, 3}, -4, 4)).Const(I64Scalar(5)).Const(F32({0.f, 1.f}))};
  };
  T["NonZero"] = [] {
    return std::vector<OpCase>{CaseBuilder("NonZero", "float", 13).In(RandIntegral({3, 4}, -1, 1))};
  };
  T["Compress"] = [] {
    return std::vector<OpCase>{CaseBuilder("Compress", "axis0", 11).In(X({4, 3})).In(RandBool({4})).Attr(AttrI("axis", 0)),
                               CaseBuilder("Compress", "flattened", 11).In(X({3, 4})).In(RandBool({7}))};
  };
  T["EyeLike"] = [] {
    return std::vector<OpCase>{CaseBuilder("EyeLike", "k1", 9).In(X({3, 4})).Attr(AttrI("k", 1))};
  };
}

}  // namespace litemp::test
