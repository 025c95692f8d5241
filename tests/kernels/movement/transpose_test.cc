// Transpose, DepthToSpace and SpaceToDepth: ONNX examples, randomized comparisons of
// Transpose against the naive reference (every dtype size, blocked and row paths), and
// the NHWC view shortcut.
#include <algorithm>

#include "kernels/movement/movement_testing.h"
#include "kernels/movement/reference.h"

namespace litemp::mtest {
namespace {

TEST(Transpose, DefaultReversesDims) {
  Tensor x = Iota({2, 3});
  Tensor y = Run1(Op("Transpose", 13), {x});
  EXPECT_EQ(y.shape(), (Shape{3, 2}));
  EXPECT_EQ(Values<float>(y), (std::vector<float>{0, 3, 1, 4, 2, 5}));
}

TEST(Transpose, AllPermutationsOfRank3) {
  Tensor x = test::RandomTensor({2, 3, 4}, 1);
  std::vector<int64_t> perm = {0, 1, 2};
  do {
    Tensor y = Run1(Op("Transpose", 13, {{"perm", AInts(perm)}}), {x});
    EXPECT_TRUE(SameTensor(y, movement::reference::Transpose(x, perm))) << ShapeToString(perm);
  } while (std::next_permutation(perm.begin(), perm.end()));
}

TEST(Transpose, RandomizedAgainstReference) {
  std::mt19937 rng(11);
  const DType types[] = {DType::kFloat32, DType::kUInt8, DType::kFloat16, DType::kInt64, DType::kBool};
  for (int iter = 0; iter < 200; ++iter) {
    const int r = 1 + rng() % 6;
    Shape s(r);
    for (int64_t& d : s) d = 1 + rng() % (r > 4 ? 4 : 9);
    std::vector<int64_t> perm(r);
    for (int i = 0; i < r; ++i) perm[i] = i;
    std::shuffle(perm.begin(), perm.end(), rng);
    Tensor x = RandomBytes(types[iter % 5], s, rng());
    Tensor y = Run1(Op("Transpose", 13, {{"perm", AInts(perm)}}), {x});
    EXPECT_TRUE(SameTensor(y, movement::reference::Transpose(x, perm)))
        << "shape " << ShapeToString(s) << " perm " << ShapeToString(perm);
  }
}

TEST(Transpose, LargeTensorsAgainstReference) {
  // Big enough for the parallel and cache-blocked paths, with odd sizes.
  struct Case {
    Shape shape;
    std::vector<int64_t> perm;
  };
  const Case cases[] = {{{2, 67, 33, 35}, {0, 2, 3, 1}},
                        {{2, 33, 35, 67}, {0, 3, 1, 2}},
                        {{513, 257}, {1, 0}},
                        {{3, 40, 50, 7}, {2, 0, 3, 1}},
                        {{1, 12, 197, 64}, {0, 2, 1, 3}}};
  for (const Case& c : cases) {
    for (DType dt : {DType::kFloat32, DType::kUInt8, DType::kInt64}) {
      Tensor x = RandomBytes(dt, c.shape, 5);
      Tensor y = Run1(Op("Transpose", 13, {{"perm", AInts(c.perm)}}), {x});
      EXPECT_TRUE(SameTensor(y, movement::reference::Transpose(x, c.perm)))
          << ShapeToString(c.shape) << " perm " << ShapeToString(c.perm) << " " << DTypeName(dt);
    }
  }
}

TEST(Transpose, IdentityAndNhwcViews) {
  Tensor x = test::RandomTensor({2, 3, 4, 5}, 3);
  Tensor same = Run1(Op("Transpose", 13, {{"perm", AInts({0, 1, 2, 3})}}), {x});
  EXPECT_EQ(same.raw_data(), x.raw_data());
  // NCHW -> NHWC of an NHWC tensor is its storage, returned without copying.
  Tensor xn = ToNhwc(x);
  auto r = test::RunKernel(RegisterMovementKernels, Op("Transpose", 13, {{"perm", AInts({0, 2, 3, 1})}}), {xn});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value()[0].raw_data(), xn.raw_data());
  EXPECT_TRUE(SameTensor(r.value()[0], movement::reference::Transpose(x, {0, 2, 3, 1})));
  for (std::vector<int64_t> perm : {std::vector<int64_t>{0, 3, 1, 2}, {3, 2, 1, 0}, {0, 1, 2, 3}}) {
    auto n = test::RunKernel(RegisterMovementKernels, Op("Transpose", 13, {{"perm", AInts(perm)}}), {xn});
    ASSERT_TRUE(n.ok());
    EXPECT_TRUE(SameTensor(n.value()[0], movement::reference::Transpose(x, perm))) << ShapeToString(perm);
  }
}

TEST(Transpose, BadPermIsRejected) {
  EXPECT_FALSE(RunOp(Op("Transpose", 13, {{"perm", AInts({0, 0})}}), {Iota({2, 2})}).ok());
  EXPECT_FALSE(RunOp(Op("Transpose", 13, {{"perm", AInts({1, 0})}}), {Iota({2, 2, 2})}).ok());
}

TEST(DepthToSpace, DcrAndCrdLiterals) {
  Tensor x = Iota({1, 8, 1, 1});
  Tensor dcr = Run1(Op("DepthToSpace", 13, {{"blocksize", AInt(2)}}), {x});
  EXPECT_EQ(dcr.shape(), (Shape{1, 2, 2, 2}));
  EXPECT_EQ(Values<float>(dcr), (std::vector<float>{0, 2, 4, 6, 1, 3, 5, 7}));
  Tensor crd = Run1(Op("DepthToSpace", 13, {{"blocksize", AInt(2)}, {"mode", AString("CRD")}}), {x});
  EXPECT_EQ(Values<float>(crd), (std::vector<float>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_FALSE(RunOp(Op("DepthToSpace", 13, {{"blocksize", AInt(3)}}), {x}).ok());
  EXPECT_FALSE(RunOp(Op("DepthToSpace", 13, {{"blocksize", AInt(2)}, {"mode", AString("XYZ")}}), {x}).ok());
}

TEST(DepthToSpace, MatchesSpecFormula) {
  // DCR: y[n, c, h*b+i, w*b+j] = x[n, (i*b+j)*C' + c, h, w]; CRD: x[n, c*b*b + i*b + j, h, w].
  const int64_t N = 2, C = 18, H = 3, W = 5, b = 3, Co = C / (b * b);
  Tensor x = test::RandomTensor({N, C, H, W}, 6);
  for (bool crd : {false, true}) {
    Attrs attrs = {{"blocksize", AInt(b)}};
    if (crd) attrs.push_back({"mode", AString("CRD")});
    Tensor y = Run1(Op("DepthToSpace", 13, attrs), {x});
    ASSERT_EQ(y.shape(), (Shape{N, Co, H * b, W * b}));
    const float* xp = x.data<float>();
    const float* yp = y.data<float>();
    int bad = 0;
    for (int64_t n = 0; n < N; ++n)
      for (int64_t c = 0; c < Co; ++c)
        for (int64_t h = 0; h < H; ++h)
          for (int64_t i = 0; i < b; ++i)
            for (int64_t w = 0; w < W; ++w)
              for (int64_t j = 0; j < b; ++j) {
                const int64_t xc = crd ? c * b * b + i * b + j : (i * b + j) * Co + c;
                const float want = xp[((n * C + xc) * H + h) * W + w];
                const float got = yp[((n * Co + c) * H * b + h * b + i) * W * b + w * b + j];
                bad += want != got;
              }
    EXPECT_EQ(bad, 0) << (crd ? "CRD" : "DCR");
  }
}

TEST(SpaceToDepth, ExampleAndRoundTrip) {
  Tensor x = Iota({1, 2, 2, 2});
  Tensor y = Run1(Op("SpaceToDepth", 13, {{"blocksize", AInt(2)}}), {x});
  EXPECT_EQ(y.shape(), (Shape{1, 8, 1, 1}));
  EXPECT_EQ(Values<float>(y), (std::vector<float>{0, 4, 1, 5, 2, 6, 3, 7}));
  // SpaceToDepth is the inverse of DCR DepthToSpace.
  Tensor big = test::RandomTensor({2, 3, 6, 9}, 4);
  Tensor s2d = Run1(Op("SpaceToDepth", 13, {{"blocksize", AInt(3)}}), {big});
  EXPECT_EQ(s2d.shape(), (Shape{2, 27, 2, 3}));
  EXPECT_TRUE(SameTensor(Run1(Op("DepthToSpace", 11, {{"blocksize", AInt(3)}}), {s2d}), big));
  EXPECT_FALSE(RunOp(Op("SpaceToDepth", 13, {{"blocksize", AInt(4)}}), {big}).ok());
}

}  // namespace
}  // namespace litemp::mtest
