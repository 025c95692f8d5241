// Oracle cases for pooling, Resize and Upsample.
#include "oracle/op_case.h"

namespace litemp::test {

namespace {

using Attrs = std::vector<onnx::AttributeProto>;

onnx::AttributeProto K(std::vector<int64_t> k) { return AttrInts("kernel_shape", std::move(k)); }
onnx::AttributeProto S(std::vector<int64_t> s) { return AttrInts("strides", std::move(s)); }
onnx::AttributeProto P(std::vector<int64_t> p) { return AttrInts("pads", std::move(p)); }

OpCase Pool(const std::string& op, const char* name, Shape x, Attrs attrs, int opset = 17, int outputs = 1) {
  CaseBuilder b(op, name, opset);
  b.In(Rand(x, -3, 3));
  for (auto& a : attrs) b.Attr(a);
  b.Outputs(outputs);
  return b;
}

std::vector<OpCase> MaxPoolCases() {
  const std::string op = "MaxPool";
  std::vector<OpCase> c = {
      Pool(op, "2x2_s2", {1, 3, 8, 8}, {K({2, 2}), S({2, 2})}),
      Pool(op, "3x3_s2_p1", {2, 8, 13, 13}, {K({3, 3}), S({2, 2}), P({1, 1, 1, 1})}),
      Pool(op, "ceil_mode", {1, 2, 7, 7}, {K({2, 2}), S({2, 2}), AttrI("ceil_mode", 1)}),
      Pool(op, "ceil_mode_pads", {1, 2, 8, 8}, {K({3, 3}), S({2, 2}), P({1, 1, 1, 1}), AttrI("ceil_mode", 1)}),
      Pool(op, "dilation2", {1, 2, 9, 9}, {K({2, 2}), AttrInts("dilations", {2, 2})}),
      Pool(op, "same_upper", {1, 2, 9, 9}, {K({3, 3}), S({2, 2}), AttrS("auto_pad", "SAME_UPPER")}),
      Pool(op, "same_lower", {1, 2, 8, 8}, {K({2, 2}), AttrS("auto_pad", "SAME_LOWER")}),
      Pool(op, "asym_pads", {1, 2, 6, 6}, {K({3, 3}), P({0, 1, 1, 0})}),
      Pool(op, "stride1_default", {2, 3, 5, 6}, {K({2, 3})}),
      Pool(op, "large_nhwc", {2, 32, 28, 28}, {K({2, 2}), S({2, 2})}),
      Pool(op, "1d", {2, 3, 11}, {K({3}), S({2})}),
      Pool(op, "3d", {1, 2, 6, 6, 6}, {K({2, 2, 2}), S({2, 2, 2})}),
      Pool(op, "with_indices", {2, 3, 6, 6}, {K({2, 2}), S({2, 2})}, 12, 2),
      Pool(op, "opset8", {1, 3, 8, 8}, {K({2, 2}), S({2, 2})}, 8),
  };
  CaseBuilder u8(op, "uint8", 12);
  u8.In(RandInt({1, 2, 6, 6}, 0, 255, DType::kUInt8)).Attr(K({2, 2})).Attr(S({2, 2}));
  c.push_back(u8);
  return c;
}

std::vector<OpCase> AveragePoolCases() {
  const std::string op = "AveragePool";
  return {
      Pool(op, "2x2_s2", {1, 3, 8, 8}, {K({2, 2}), S({2, 2})}),
      Pool(op, "3x3_p1_exclude_pad", {2, 4, 7, 7}, {K({3, 3}), P({1, 1, 1, 1})}),
      Pool(op, "3x3_p1_include_pad", {2, 4, 7, 7}, {K({3, 3}), P({1, 1, 1, 1}), AttrI("count_include_pad", 1)}),
      Pool(op, "ceil_mode", {1, 2, 7, 7}, {K({3, 3}), S({2, 2}), AttrI("ceil_mode", 1)}),
      Pool(op, "ceil_mode_pads_include", {1, 2, 8, 8}, {K({3, 3}), S({2, 2}), P({1, 1, 1, 1}), AttrI("ceil_mode", 1), AttrI("count_include_pad", 1)}),
      Pool(op, "same_upper", {1, 2, 9, 9}, {K({3, 3}), S({2, 2}), AttrS("auto_pad", "SAME_UPPER")}),
      Pool(op, "asym_pads", {1, 2, 6, 6}, {K({2, 2}), P({0, 1, 1, 0})}),
      Pool(op, "resnet8_global", {2, 16, 8, 8}, {K({8, 8})}),
      Pool(op, "large_nhwc", {2, 32, 28, 28}, {K({2, 2}), S({2, 2})}),
      Pool(op, "1d", {2, 3, 11}, {K({3}), S({2})}),
      Pool(op, "3d", {1, 2, 6, 6, 6}, {K({2, 2, 2}), S({2, 2, 2})}),
      Pool(op, "dilation_opset19", {1, 2, 9, 9}, {K({2, 2}), AttrInts("dilations", {2, 2})}, 19),
      Pool(op, "opset7", {1, 3, 8, 8}, {K({2, 2}), S({2, 2})}, 7),
  };
}

std::vector<OpCase> GlobalCases(const std::string& op) {
  return {Pool(op, "4d", {2, 3, 4, 5}, {}), Pool(op, "mobilenet_head", {1, 1280, 7, 7}, {}),
          Pool(op, "3d_input", {2, 3, 7}, {}), Pool(op, "5d_input", {1, 2, 3, 4, 5}, {})};
}

// Resize inputs: X, roi, scales, sizes. `scales` or `sizes` empty means omitted.
OpCase Resize(const char* name, Shape x, std::vector<float> scales, std::vector<int64_t> sizes, Attrs attrs, int opset = 13,
              std::vector<float> roi = {}) {
  CaseBuilder b("Resize", name, opset);
  b.In(Rand(x, -3, 3));
  // Opset 11 requires roi and scales inputs (empty tensors when unused).
  if (!roi.empty()) b.Const(F32(roi));
  else if (opset < 13) b.Const(Tensor(DType::kFloat32, {0}));
  else b.Omit();
  if (!scales.empty()) b.Const(F32(scales));
  else if (opset < 13) b.Const(Tensor(DType::kFloat32, {0}));
  else b.Omit();
  if (!sizes.empty()) b.Const(I64(sizes));
  for (auto& a : attrs) b.Attr(a);
  return b;
}

std::vector<OpCase> ResizeCases() {
  auto mode = [](const char* m) { return AttrS("mode", m); };
  auto ctm = [](const char* m) { return AttrS("coordinate_transformation_mode", m); };
  auto nm = [](const char* m) { return AttrS("nearest_mode", m); };
  std::vector<OpCase> c = {
      Resize("nearest_up2", {1, 3, 4, 5}, {1, 1, 2, 2}, {}, {}),
      Resize("nearest_asymmetric_floor", {2, 3, 4, 5}, {1, 1, 2, 3}, {}, {mode("nearest"), ctm("asymmetric"), nm("floor")}),
      Resize("nearest_sizes", {1, 3, 4, 5}, {}, {1, 3, 7, 9}, {}),
      Resize("nearest_down", {1, 3, 8, 10}, {1, 1, 0.5f, 0.5f}, {}, {}),
      Resize("nearest_prefer_ceil", {1, 2, 5, 5}, {}, {1, 2, 8, 7}, {nm("round_prefer_ceil")}),
      Resize("nearest_ceil_align", {1, 2, 5, 5}, {}, {1, 2, 8, 7}, {nm("ceil"), ctm("align_corners")}),
      Resize("linear_half_pixel_up2", {1, 3, 4, 5}, {1, 1, 2, 2}, {}, {mode("linear")}),
      Resize("linear_align_corners", {2, 3, 4, 5}, {}, {2, 3, 7, 8}, {mode("linear"), ctm("align_corners")}),
      Resize("linear_asymmetric", {1, 3, 4, 5}, {1, 1, 1.5f, 2.5f}, {}, {mode("linear"), ctm("asymmetric")}),
      Resize("linear_pytorch_half_pixel", {1, 3, 4, 5}, {}, {1, 3, 1, 9}, {mode("linear"), ctm("pytorch_half_pixel")}),
      Resize("linear_down", {1, 3, 10, 10}, {1, 1, 0.6f, 0.6f}, {}, {mode("linear")}),
      Resize("linear_large_nhwc", {2, 16, 14, 14}, {1, 1, 2, 2}, {}, {mode("linear")}),
      Resize("cubic", {1, 2, 6, 6}, {1, 1, 2, 2}, {}, {mode("cubic")}),
      Resize("cubic_a05_align", {1, 2, 6, 6}, {}, {1, 2, 9, 11}, {mode("cubic"), AttrF("cubic_coeff_a", -0.5f), ctm("align_corners")}),
      Resize("cubic_exclude_outside", {1, 2, 6, 6}, {1, 1, 0.7f, 1.6f}, {}, {mode("cubic"), AttrI("exclude_outside", 1)}),
      Resize("tf_crop_and_resize", {1, 2, 8, 8}, {}, {1, 2, 5, 5}, {mode("linear"), ctm("tf_crop_and_resize"), AttrF("extrapolation_value", 7.f)}, 13,
             {0, 0, 0.1f, 0.2f, 1, 1, 0.9f, 1.2f}),
      Resize("opset11_scales", {1, 3, 4, 5}, {1, 1, 2, 2}, {}, {mode("nearest")}, 11),
      Resize("opset11_sizes_linear", {1, 3, 4, 5}, {}, {1, 3, 6, 6}, {mode("linear")}, 11),
      Resize("opset18_axes", {1, 3, 4, 5}, {2, 2}, {}, {mode("linear"), AttrInts("axes", {2, 3})}, 18),
      Resize("opset18_not_larger", {1, 3, 4, 6}, {}, {9, 9}, {AttrInts("axes", {2, 3}), AttrS("keep_aspect_ratio_policy", "not_larger")}, 18),
      Resize("opset18_antialias_down", {1, 2, 12, 12}, {1, 1, 0.5f, 0.5f}, {}, {mode("linear"), AttrI("antialias", 1)}, 18),
      Resize("opset19_half_pixel_symmetric", {1, 2, 5, 5}, {1, 1, 1.6f, 1.6f}, {}, {mode("linear"), ctm("half_pixel_symmetric")}, 19),
  };
  // Resize-10: X and scales only, nearest uses asymmetric coordinates.
  c.push_back(CaseBuilder("Resize", "opset10", 10).In(Rand({1, 3, 4, 5})).Const(F32({1, 1, 2, 2})));
  for (auto& x : c)
    if (x.opset >= 18) x.output_dtypes = {DType::kFloat32};
  return c;
}

std::vector<OpCase> UpsampleCases() {
  return {CaseBuilder("Upsample", "opset9_nearest", 9).In(Rand({1, 3, 4, 5})).Const(F32({1, 1, 2, 2})),
          CaseBuilder("Upsample", "opset9_linear", 9).In(Rand({1, 3, 4, 5})).Const(F32({1, 1, 2, 3})).Attr(AttrS("mode", "linear")),
          CaseBuilder("Upsample", "opset7_attr", 7).In(Rand({1, 3, 4, 5})).Attr(AttrFloats("scales", {1, 1, 2, 2}))};
}

}  // namespace

void AddPoolCases(CaseTable* t) {
  auto& T = *t;
  T["MaxPool"] = MaxPoolCases;
  T["AveragePool"] = AveragePoolCases;
  T["GlobalAveragePool"] = [] { return GlobalCases("GlobalAveragePool"); };
  T["GlobalMaxPool"] = [] { return GlobalCases("GlobalMaxPool"); };
  T["LpPool"] = [] {
    return std::vector<OpCase>{Pool("LpPool", "p2", {1, 3, 6, 6}, {K({2, 2}), S({2, 2})}, 11),
                               Pool("LpPool", "p1_pads", {1, 3, 6, 6}, {K({3, 3}), P({1, 1, 1, 1}), AttrI("p", 1)}, 11)};
  };
  T["GlobalLpPool"] = [] { return std::vector<OpCase>{Pool("GlobalLpPool", "p2", {2, 3, 4, 5}, {})}; };
  T["Resize"] = ResizeCases;
  T["Upsample"] = UpsampleCases;
}

}  // namespace litemp::test
