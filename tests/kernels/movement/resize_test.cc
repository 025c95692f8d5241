// Resize and Upsample: the ONNX examples (expected values from ONNX's backend test data),
// hand-worked cases for each coordinate mode, opset variants, NHWC, and randomized
// comparisons against a port of the ONNX reference implementation.
#include "kernels/movement/movement_testing.h"
#include "kernels/movement/resize_reference.h"
#include "kernels/util.h"

namespace litemp::mtest {
namespace {

const std::vector<float> k4x4 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

// Resize-13+ with scales (sizes empty) or sizes (scales empty).
Tensor Resize(const Tensor& x, const std::vector<float>& scales, const std::vector<int64_t>& sizes, Attrs attrs,
              int opset = 19, Tensor roi = Tensor()) {
  std::vector<Tensor> in = {x, roi, scales.empty() ? Tensor() : F32(scales)};
  if (!sizes.empty()) in.push_back(I64(sizes));
  return Run1(Op("Resize", opset, std::move(attrs)), in);
}

// The first n values of a float tensor.
std::vector<float> First(const Tensor& t, size_t n) {
  std::vector<float> v = Values<float>(t);
  v.resize(std::min(n, v.size()));
  return v;
}

void ExpectNear(const Tensor& y, const Shape& shape, const std::vector<float>& want, float tol = 1e-5f) {
  ASSERT_EQ(y.shape(), shape);
  const std::vector<float> got = Values<float>(y);
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "element " << i;
}

TEST(ResizeNearest, SpecExamples) {
  Tensor x = F32({1, 2, 3, 4}, {1, 1, 2, 2});
  ExpectNear(Resize(x, {1, 1, 2, 3}, {}, {}), {1, 1, 4, 6},
             {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4});
  Tensor x24 = F32({1, 2, 3, 4, 5, 6, 7, 8}, {1, 1, 2, 4});
  ExpectNear(Resize(x24, {1, 1, 0.6f, 0.6f}, {}, {}), {1, 1, 1, 2}, {1, 3});
  ExpectNear(Resize(x24, {}, {1, 1, 1, 3}, {}), {1, 1, 1, 3}, {1, 2, 4});
  Tensor up = Resize(x, {}, {1, 1, 7, 8}, {});
  ASSERT_EQ(up.shape(), (Shape{1, 1, 7, 8}));
  EXPECT_EQ(Values<float>(up)[3 * 8 + 4], 2);  // row 3 is still input row 0
  EXPECT_EQ(Values<float>(up)[4 * 8], 3);
}

TEST(ResizeNearest, NearestModesAndCoordinateModes) {
  Tensor x = F32(k4x4, {1, 1, 4, 4});
  const Attrs ceil_hp = {{"nearest_mode", AString("ceil")}};
  EXPECT_EQ(First(Resize(x, {}, {1, 1, 8, 8}, ceil_hp), 8), (std::vector<float>{1, 2, 2, 3, 3, 4, 4, 4}));
  const Attrs floor_ac = {{"nearest_mode", AString("floor")},
                          {"coordinate_transformation_mode", AString("align_corners")}};
  Tensor f = Resize(x, {}, {1, 1, 8, 8}, floor_ac);
  EXPECT_EQ(First(f, 8), (std::vector<float>{1, 1, 1, 2, 2, 3, 3, 4}));
  EXPECT_EQ(Values<float>(f)[3 * 8], 5);
  const Attrs rpc_asym = {{"nearest_mode", AString("round_prefer_ceil")},
                          {"coordinate_transformation_mode", AString("asymmetric")}};
  Tensor c = Resize(x, {}, {1, 1, 8, 8}, rpc_asym);
  EXPECT_EQ(First(c, 8), (std::vector<float>{1, 2, 2, 3, 3, 4, 4, 4}));
  // tf_half_pixel_for_nn (opset 11-12): sizes [1,1,3,2] -> [[6,8],[10,12],[14,16]]
  std::vector<Tensor> in = {x, F32({}), F32({}), I64({1, 1, 3, 2})};
  Tensor t = Run1(Op("Resize", 11, {{"coordinate_transformation_mode", AString("tf_half_pixel_for_nn")}}), in);
  ExpectNear(t, {1, 1, 3, 2}, {6, 8, 10, 12, 14, 16});
}

TEST(ResizeNearest, AnyDtypeAndOpset10) {
  Tensor x = I64({1, 2, 3, 4}, {1, 1, 2, 2});
  std::vector<Tensor> in = {x, Tensor(), F32({1, 1, 2, 2})};
  Tensor y = Run1(Op("Resize", 13), in);
  EXPECT_EQ(Values<int64_t>(y), (std::vector<int64_t>{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}));
  // Opset 10: inputs (X, scales), asymmetric; downsampling rounds up (onnxruntime's rule).
  Tensor x24 = F32({1, 2, 3, 4, 5, 6, 7, 8}, {1, 1, 2, 4});
  ExpectNear(Run1(Op("Resize", 10), {x24, F32({1, 1, 0.6f, 0.6f})}), {1, 1, 1, 2}, {1, 3});
  ExpectNear(Run1(Op("Resize", 10), {F32({1, 2}, {1, 2}), F32({1, 2})}), {1, 4}, {1, 1, 2, 2});
}

TEST(ResizeLinear, SpecExamples) {
  Tensor x = F32({1, 2, 3, 4}, {1, 1, 2, 2});
  const Attrs lin = {{"mode", AString("linear")}};
  ExpectNear(Resize(x, {1, 1, 2, 2}, {}, lin), {1, 1, 4, 4},
             {1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4});
  Attrs ac = lin;
  ac.push_back({"coordinate_transformation_mode", AString("align_corners")});
  ExpectNear(
      Resize(x, {1, 1, 2, 2}, {}, ac), {1, 1, 4, 4},
      {1, 4 / 3.f, 5 / 3.f, 2, 5 / 3.f, 2, 7 / 3.f, 8 / 3.f, 7 / 3.f, 8 / 3.f, 3, 10 / 3.f, 3, 10 / 3.f, 11 / 3.f, 4});
  Tensor x24 = F32({1, 2, 3, 4, 5, 6, 7, 8}, {1, 1, 2, 4});
  ExpectNear(Resize(x24, {1, 1, 0.6f, 0.6f}, {}, lin), {1, 1, 1, 2}, {2.6666665f, 4.3333331f});
  // align_corners uses the fractional output width 0.6 * 4 = 2.4, as the reference does.
  ExpectNear(Resize(x24, {1, 1, 0.6f, 0.6f}, {}, ac), {1, 1, 1, 2}, {1, 3.142857f});
  Attrs pt = lin;
  pt.push_back({"coordinate_transformation_mode", AString("pytorch_half_pixel")});
  ExpectNear(Resize(F32(k4x4, {1, 1, 4, 4}), {}, {1, 1, 3, 1}, pt), {1, 1, 3, 1}, {1.6666666f, 7, 12.333333f});
}

TEST(ResizeLinear, HandWorked1dCoordinateModes) {
  Tensor x = F32({0, 10});
  auto run = [&](const std::string& coord) {
    return Resize(x, {2}, {}, {{"mode", AString("linear")}, {"coordinate_transformation_mode", AString(coord)}});
  };
  // half_pixel: x_orig = (i + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 (edges clamp).
  ExpectNear(run("half_pixel"), {4}, {0, 2.5f, 7.5f, 10});
  // asymmetric: i / 2 = 0, 0.5, 1, 1.5.
  ExpectNear(run("asymmetric"), {4}, {0, 5, 10, 10});
  // align_corners: i * 1 / 3.
  ExpectNear(run("align_corners"), {4}, {0, 10 / 3.f, 20 / 3.f, 10});
  // half_pixel_symmetric equals half_pixel when scale * in is an integer.
  ExpectNear(run("half_pixel_symmetric"), {4}, {0, 2.5f, 7.5f, 10});
  // half_pixel_symmetric with a fractional output width: in 4, scale 0.6 -> width 2.4, 2 outputs;
  // offset = 2 * (1 - 2/2.4) = 1/3; x_orig = 1/3 + (i + 0.5)/0.6 - 0.5 = 0.6667, 2.3333.
  Tensor x4 = F32({0, 1, 2, 3});
  ExpectNear(Resize(x4, {0.6f}, {},
                    {{"mode", AString("linear")}, {"coordinate_transformation_mode", AString("half_pixel_symmetric")}}),
             {2}, {2 / 3.f, 7 / 3.f}, 1e-4f);
}

TEST(ResizeLinear, TfCropAndResizeWithExtrapolation) {
  // test_resize_tf_crop_and_resize (extrapolation 10): roi pushes most samples outside.
  Tensor x = F32(k4x4, {1, 1, 4, 4});
  Tensor roi = F32({0, 0, 0.4f, 0.6f, 1, 1, 1.2f, 1.7f});
  Tensor y = Resize(x, {}, {1, 1, 3, 3},
                    {{"mode", AString("linear")},
                     {"coordinate_transformation_mode", AString("tf_crop_and_resize")},
                     {"extrapolation_value", AFloat(10)}},
                    19, roi);
  ExpectNear(y, {1, 1, 3, 3}, {7.6f, 10, 10, 12.4f, 10, 10, 10, 10, 10});
  // roi inside: [0.4, 0.6] .. [0.6, 0.8] -> 7.6 7.9 8.2 / 8.8 9.1 9.4 / 10 10.3 10.6
  Tensor roi2 = F32({0, 0, 0.4f, 0.6f, 1, 1, 0.6f, 0.8f});
  ExpectNear(Resize(x, {}, {1, 1, 3, 3},
                    {{"mode", AString("linear")}, {"coordinate_transformation_mode", AString("tf_crop_and_resize")}},
                    13, roi2),
             {1, 1, 3, 3}, {7.6f, 7.9f, 8.2f, 8.8f, 9.1f, 9.4f, 10, 10.3f, 10.6f}, 1e-4f);
  // Nearest mode extrapolates too.
  Tensor n =
      Resize(x, {}, {1, 1, 3, 3},
             {{"coordinate_transformation_mode", AString("tf_crop_and_resize")}, {"extrapolation_value", AFloat(-1)}},
             19, roi);
  EXPECT_EQ(Values<float>(n)[1], -1);
}

TEST(ResizeCubic, SpecExamples) {
  Tensor x = F32(k4x4, {1, 1, 4, 4});
  ExpectNear(Resize(x, {1, 1, 0.8f, 0.8f}, {}, {{"mode", AString("cubic")}}), {1, 1, 3, 3},
             {1.47119141f, 2.78125f, 4.08251953f, 6.71142578f, 8.02148438f, 9.32275391f, 11.9165039f, 13.2265625f,
              14.5278320f});
  ExpectNear(
      Resize(x, {1, 1, 0.8f, 0.8f}, {},
             {{"mode", AString("cubic")}, {"cubic_coeff_a", AFloat(-0.5f)}, {"exclude_outside", AInt(1)}}),
      {1, 1, 3, 3},
      {1.36812675f, 2.66950130f, 4.01333666f, 6.57362509f, 7.875f, 9.21883488f, 11.9489660f, 13.2503414f, 14.5941763f});
  ExpectNear(
      Resize(x, {1, 1, 0.8f, 0.8f}, {},
             {{"mode", AString("cubic")}, {"coordinate_transformation_mode", AString("align_corners")}}),
      {1, 1, 3, 3},
      {1, 2.39519167f, 3.79038310f, 6.58076620f, 7.97595787f, 9.37114906f, 12.1615324f, 13.5567236f, 14.9519157f});
  ExpectNear(
      Resize(x, {}, {1, 1, 3, 3}, {{"mode", AString("cubic")}}), {1, 1, 3, 3},
      {1.63078701f, 3.00462961f, 4.37847233f, 7.12615728f, 8.5f, 9.87384224f, 12.6215277f, 13.9953699f, 15.3692131f});
  Tensor asym = Resize(x, {1, 1, 2, 2}, {},
                       {{"mode", AString("cubic")}, {"coordinate_transformation_mode", AString("asymmetric")}});
  ASSERT_EQ(asym.shape(), (Shape{1, 1, 8, 8}));
  const std::vector<float> row0 = First(asym, 8);
  const std::vector<float> want0 = {1, 1.40625f, 2, 2.5f, 3, 3.59375f, 4, 4.09375f};
  for (int i = 0; i < 8; ++i) EXPECT_NEAR(row0[i], want0[i], 1e-5f);
  Tensor up = Resize(x, {1, 1, 2, 2}, {}, {{"mode", AString("cubic")}});
  const std::vector<float> want_up = {0.47265625f, 0.76953125f, 1.24609375f, 1.875f,
                                      2.28125f,    2.91015625f, 3.38671875f, 3.68359375f};
  for (int i = 0; i < 8; ++i) EXPECT_NEAR(Values<float>(up)[i], want_up[i], 1e-5f);
}

TEST(ResizeLinear, TrilinearAndRank5AreExactOnLinearData) {
  // Linear interpolation reproduces a linear function exactly; with align_corners on a
  // 2-point axis resized to 4, x_orig = i / 3.
  Tensor x(DType::kFloat32, {2, 2, 2});
  for (int i = 0; i < 8; ++i) x.data<float>()[i] = static_cast<float>(4 * (i / 4) + 2 * ((i / 2) % 2) + i % 2);
  Tensor y = Resize(x, {}, {4, 4, 4},
                    {{"mode", AString("linear")}, {"coordinate_transformation_mode", AString("align_corners")}});
  ASSERT_EQ(y.shape(), (Shape{4, 4, 4}));
  for (int a = 0; a < 4; ++a)
    for (int b = 0; b < 4; ++b)
      for (int c = 0; c < 4; ++c) EXPECT_NEAR(y.data<float>()[(a * 4 + b) * 4 + c], (4 * a + 2 * b + c) / 3.f, 1e-5f);
  Tensor x5 = Iota({1, 2, 2, 2, 2});
  Tensor y5 = Resize(x5, {1, 1, 2, 2, 2}, {},
                     {{"mode", AString("linear")}, {"coordinate_transformation_mode", AString("align_corners")}});
  ASSERT_EQ(y5.shape(), (Shape{1, 2, 4, 4, 4}));
  // Iota value = 8c + 4d + 2h + w; the last element maps to the last corner.
  EXPECT_NEAR(Values<float>(y5).back(), 15, 1e-5f);
  EXPECT_NEAR(Values<float>(y5)[64 + 1], 8 + 1 / 3.f, 1e-5f);
}

TEST(ResizeAxes, AxesAndKeepAspectRatioOpset18) {
  Tensor x = test::RandomTensor({1, 2, 4, 8}, 3);
  const Attrs lin = {{"mode", AString("linear")}};
  Attrs lin_axes = lin;
  lin_axes.push_back({"axes", AInts({2, -1})});
  EXPECT_TRUE(test::TensorsNear(Resize(x, {0.5f, 2}, {}, lin_axes, 18), Resize(x, {1, 1, 0.5f, 2}, {}, lin, 18)));
  Attrs nl = lin_axes;
  nl.push_back({"keep_aspect_ratio_policy", AString("not_larger")});
  // scale = min(3/4, 3/8) = 0.375 -> out = round(4 * 0.375) = 2 (half up), round(3) = 3
  EXPECT_EQ(Resize(x, {}, {3, 3}, nl, 18).shape(), (Shape{1, 2, 2, 3}));
  Attrs ns = lin_axes;
  ns.push_back({"keep_aspect_ratio_policy", AString("not_smaller")});
  EXPECT_EQ(Resize(x, {}, {3, 3}, ns, 18).shape(), (Shape{1, 2, 3, 6}));
  // Before opset 18 'axes' is not an attribute; scales must cover every axis.
  EXPECT_FALSE(RunOp(Op("Resize", 13, lin_axes), {x, Tensor(), F32({0.5f, 2})}).ok());
}

TEST(ResizeAntialias, HandWorkedLinearDownsample) {
  // 1-D, scale 0.5, half_pixel: x_orig = 2i + 0.5 and the stretched triangle filter
  // gives weights (1, 3, 3, 1) / 8 on inputs 2i-1 .. 2i+2 (edges clamped).
  Tensor x = Iota({8});
  Tensor y = Resize(x, {0.5f}, {}, {{"mode", AString("linear")}, {"antialias", AInt(1)}}, 18);
  ExpectNear(y, {4}, {0.625f, 2.5f, 4.5f, 6.375f});
  // Upsampling is unaffected by antialias.
  Tensor u = Resize(F32({0, 10}), {2}, {}, {{"mode", AString("linear")}, {"antialias", AInt(1)}}, 18);
  ExpectNear(u, {4}, {0, 2.5f, 7.5f, 10});
}

TEST(Resize, NhwcMatchesPlain) {
  Tensor x = test::RandomTensor({2, 3, 5, 7}, 4);
  const std::vector<Attrs> attrs = {
      {},
      {{"mode", AString("linear")}},
      {{"mode", AString("cubic")}, {"coordinate_transformation_mode", AString("asymmetric")}}};
  for (const Attrs& a : attrs) {
    Tensor plain = Resize(x, {1, 1, 2, 1.5f}, {}, a);
    auto r = test::RunKernel(RegisterMovementKernels, Op("Resize", 19, a), {ToNhwc(x), Tensor(), F32({1, 1, 2, 1.5f})});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(test::TensorsNear(r.value()[0], plain, 1e-6, 1e-6));
  }
}

TEST(Resize, DtypesAndErrors) {
  Tensor x = F32({0, 10}, {1, 2});
  Tensor d(DType::kFloat64, {1, 2});
  d.data<double>()[0] = 0;
  d.data<double>()[1] = 10;
  Tensor yd = Run1(Op("Resize", 13, {{"mode", AString("linear")}}), {d, Tensor(), F32({1, 2})});
  EXPECT_EQ(Values<double>(yd), (std::vector<double>{0, 2.5, 7.5, 10}));
  Tensor u8(DType::kUInt8, {1, 2});
  u8.data<uint8_t>()[0] = 0;
  u8.data<uint8_t>()[1] = 10;
  Tensor yu = Run1(Op("Resize", 13, {{"mode", AString("linear")}}), {u8, Tensor(), F32({1, 2})});
  EXPECT_EQ(Values<uint8_t>(yu), (std::vector<uint8_t>{0, 2, 8, 10}));  // 2.5 and 7.5 round to even
  Tensor h(DType::kFloat16, {1, 2});
  h.data<uint16_t>()[0] = FloatToHalf(0.f);
  h.data<uint16_t>()[1] = FloatToHalf(10.f);
  Tensor yh = Run1(Op("Resize", 13, {{"mode", AString("linear")}}), {h, Tensor(), F32({1, 2})});
  EXPECT_EQ(HalfToFloat(Values<uint16_t>(yh)[1]), 2.5f);
  EXPECT_FALSE(RunOp(Op("Resize", 13), {x, Tensor(), F32({1, 2}), I64({1, 4})}).ok());  // both given
  EXPECT_FALSE(RunOp(Op("Resize", 13), {x, Tensor(), Tensor(), Tensor()}).ok());        // neither
  EXPECT_FALSE(RunOp(Op("Resize", 13), {x, Tensor(), F32({2})}).ok());                  // wrong length
  EXPECT_FALSE(RunOp(Op("Resize", 13), {x, Tensor(), F32({1, -2})}).ok());
  EXPECT_FALSE(RunOp(Op("Resize", 13, {{"mode", AString("area")}}), {x, Tensor(), F32({1, 2})}).ok());
  EXPECT_FALSE(RunOp(Op("Resize", 13, {{"coordinate_transformation_mode", AString("nope")}}), {x}).ok());
}

TEST(Upsample, Opset7AttributeAndOpset9Input) {
  Tensor x = F32({1, 2, 3, 4}, {1, 1, 2, 2});
  const std::vector<float> want = {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4};
  ExpectNear(Run1(Op("Upsample", 7, {{"scales", AFloats({1, 1, 2, 3})}}), {x}), {1, 1, 4, 6}, want);
  ExpectNear(Run1(Op("Upsample", 9), {x, F32({1, 1, 2, 3})}), {1, 1, 4, 6}, want);
  // linear uses asymmetric coordinates: i / 2 = 0, 0.5, 1, 1.5 (clamped).
  ExpectNear(Run1(Op("Upsample", 9, {{"mode", AString("linear")}}), {F32({0, 10}), F32({2})}), {4}, {0, 5, 10, 10});
  EXPECT_FALSE(RunOp(Op("Upsample", 7), {x}).ok());  // scales attribute required
  EXPECT_FALSE(RunOp(Op("Upsample", 9, {{"mode", AString("cubic")}}), {x, F32({1, 1, 2, 2})}).ok());
}

// Randomized: kernel vs the reference port over modes, coordinate modes and sizes.
TEST(Resize, RandomizedAgainstReferencePort) {
  std::mt19937 rng(5);
  const char* coords[] = {"half_pixel", "pytorch_half_pixel",   "align_corners",
                          "asymmetric", "half_pixel_symmetric", "tf_crop_and_resize"};
  const char* modes[] = {"nearest", "linear", "cubic"};
  const char* nearest_modes[] = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};
  int compared = 0;
  for (int iter = 0; iter < 400; ++iter) {
    resize_ref::Options o;
    o.mode = modes[iter % 3];
    o.coord = coords[rng() % 6];
    o.nearest_mode = nearest_modes[rng() % 4];
    o.cubic_a = rng() % 2 ? -0.75 : -0.5;
    o.exclude_outside = o.mode != "nearest" && rng() % 2;
    o.antialias = o.mode != "nearest" && rng() % 3 == 0;
    o.extrapolation = 7;
    const int r = 1 + rng() % 3;
    std::vector<int> shape(r), out(r);
    std::vector<double> scales(r);
    const bool use_sizes = rng() % 2;
    std::vector<float> fscales(r);
    std::vector<int64_t> sizes(r);
    for (int d = 0; d < r; ++d) {
      shape[d] = 1 + rng() % 5;
      if (use_sizes) {
        out[d] = 1 + rng() % 8;
        sizes[d] = out[d];
        scales[d] = static_cast<double>(out[d]) / shape[d];
      } else {
        const float choices[] = {0.5f, 0.6f, 0.8f, 1.0f, 1.5f, 2.0f, 2.5f, 3.0f};
        fscales[d] = choices[rng() % 8];
        scales[d] = fscales[d];
        out[d] = static_cast<int>(std::floor(scales[d] * shape[d]));
      }
    }
    std::vector<double> roi;
    std::vector<float> froi;
    if (o.coord == "tf_crop_and_resize") {
      for (int i = 0; i < 2 * r; ++i) froi.push_back(static_cast<float>(rng() % 13) / 10.f - 0.1f);
      roi.assign(froi.begin(), froi.end());
    }
    Tensor x(DType::kFloat32, Shape(shape.begin(), shape.end()));
    std::vector<double> data(x.numel());
    for (int64_t i = 0; i < x.numel(); ++i) data[i] = x.data<float>()[i] = static_cast<float>(rng() % 100) / 10.f;
    Attrs attrs = {{"mode", AString(o.mode)},
                   {"coordinate_transformation_mode", AString(o.coord)},
                   {"nearest_mode", AString(o.nearest_mode)},
                   {"cubic_coeff_a", AFloat(static_cast<float>(o.cubic_a))},
                   {"exclude_outside", AInt(o.exclude_outside)},
                   {"antialias", AInt(o.antialias)},
                   {"extrapolation_value", AFloat(7)}};
    std::vector<Tensor> in = {x, froi.empty() ? Tensor() : F32(froi), use_sizes ? Tensor() : F32(fscales)};
    if (use_sizes) in.push_back(I64(sizes));
    auto res = RunOp(Op("Resize", 19, attrs), in);
    ASSERT_TRUE(res.ok()) << res.status().ToString();
    const Tensor& y = res.value()[0];
    ASSERT_EQ(y.shape(), Shape(out.begin(), out.end()));
    bool degenerate = false;
    for (int d = 0; d < r; ++d) degenerate = degenerate || out[d] == 0;
    if (degenerate) continue;
    const std::vector<double> want = resize_ref::Resize(data, shape, scales, out, roi, o);
    std::string cfg = o.mode + " " + o.coord + " " + o.nearest_mode + " a=" + std::to_string(o.cubic_a) +
                      " excl=" + std::to_string(o.exclude_outside) + " aa=" + std::to_string(o.antialias);
    for (int64_t i = 0; i < y.numel(); ++i) {
      if (std::isnan(want[i])) continue;  // exclude_outside with no sample inside
      ASSERT_NEAR(y.data<float>()[i], want[i], 1e-4 * (1 + std::fabs(want[i])))
          << cfg << " element " << i << " shape " << ShapeToString(x.shape()) << " -> " << ShapeToString(y.shape());
    }
    ++compared;
  }
  EXPECT_GT(compared, 300);
}

}  // namespace
}  // namespace litemp::mtest
