// The copy engines behind the movement kernels, against per-element loops: arbitrary
// (zero, negative, permuted) strides for CopyStrided, index tables with fills for
// GatherAxes.
#include "kernels/movement/copy.h"

#include <algorithm>
#include <cstring>

#include "kernels/movement/movement_testing.h"
#include "kernels/util.h"

namespace litemp::mtest {
namespace {

// Per-element oracle for CopyStrided on 4-byte elements.
void NaiveCopy(const uint32_t* src, const std::vector<int64_t>& ss, uint32_t* dst, const std::vector<int64_t>& ds,
               const Shape& shape) {
  const int64_t n = NumElements(shape);
  for (int64_t i = 0; i < n; ++i) {
    int64_t t = i, so = 0, d = 0;
    for (int k = static_cast<int>(shape.size()) - 1; k >= 0; --k) {
      const int64_t c = t % shape[k];
      t /= shape[k];
      so += c * ss[k];
      d += c * ds[k];
    }
    dst[d] = src[so];
  }
}

TEST(CopyStrided, RandomStridesMatchPerElementCopy) {
  std::mt19937 rng(17);
  for (int iter = 0; iter < 300; ++iter) {
    const bool big = iter >= 280;  // a few larger cases for the parallel paths
    const int r = 1 + rng() % (big ? 3 : 5);
    Shape shape(r);
    for (int64_t& d : shape) d = 1 + rng() % (big ? 70 : 6);
    // Destination: a permutation of a contiguous layout (so writes never collide).
    std::vector<int64_t> order(r);
    for (int i = 0; i < r; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<int64_t> ds(r);
    int64_t acc = 1;
    for (int i = r - 1; i >= 0; --i) {
      ds[order[i]] = acc;
      acc *= shape[order[i]];
    }
    // Source: any strides (zero and negative included) into a buffer big enough.
    std::vector<int64_t> ss(r);
    int64_t lo = 0, hi = 0;
    for (int i = 0; i < r; ++i) {
      ss[i] = static_cast<int64_t>(rng() % 41) - 20;
      if (rng() % 4 == 0) ss[i] = 0;
      (ss[i] < 0 ? lo : hi) += ss[i] * (shape[i] - 1);
    }
    std::vector<uint32_t> src(hi - lo + 1);
    for (uint32_t& v : src) v = rng();
    const int64_t n = NumElements(shape);
    std::vector<uint32_t> got(n, 0), want(n, 1);
    movement::CopyStrided(src.data() - lo, ss, got.data(), ds, shape, 4);
    NaiveCopy(src.data() - lo, ss, want.data(), ds, shape);
    ASSERT_EQ(got, want) << "shape " << ShapeToString(shape) << " src strides " << ShapeToString(ss) << " dst strides "
                         << ShapeToString(ds);
  }
}

TEST(CopyStrided, AllElementSizes) {
  Tensor x = RandomBytes(DType::kUInt8, {5, 7, 9}, 2);
  const std::vector<int64_t> perm = {2, 0, 1};
  for (DType dt : {DType::kUInt8, DType::kInt16, DType::kFloat32, DType::kInt64}) {
    Tensor t = RandomBytes(dt, {5, 7, 9}, 3);
    Tensor y(dt, {9, 5, 7});
    movement::TransposeRaw(t.raw_data(), y.raw_data(), t.shape(), perm, DTypeSize(dt));
    const size_t es = DTypeSize(dt);
    int bad = 0;
    for (int a = 0; a < 5; ++a)
      for (int b = 0; b < 7; ++b)
        for (int c = 0; c < 9; ++c)
          bad += std::memcmp(static_cast<const char*>(t.raw_data()) + ((a * 7 + b) * 9 + c) * es,
                             static_cast<const char*>(y.raw_data()) + ((c * 5 + a) * 7 + b) * es, es) != 0;
    EXPECT_EQ(bad, 0) << DTypeName(dt);
  }
}

TEST(GatherAxes, IndexTablesAndFill) {
  Tensor x = Iota({3, 4});
  const float fill = -1;
  const std::vector<std::vector<int64_t>> maps = {{2, -1, 0, 0}, {3, 3, -1, 1, 0}};
  Tensor y(DType::kFloat32, {4, 5});
  movement::GatherAxes(x.raw_data(), x.shape(), y.raw_data(), maps, 4, &fill);
  EXPECT_EQ(Values<float>(y),
            (std::vector<float>{11, 11, -1, 9, 8, -1, -1, -1, -1, -1, 3, 3, -1, 1, 0, 3, 3, -1, 1, 0}));
  // Contiguous inner table and repeated rows take the memcpy paths.
  const std::vector<std::vector<int64_t>> up = {{0, 0, 1, 1, 2, 2}, {0, 1, 2, 3}};
  Tensor z(DType::kFloat32, {6, 4});
  movement::GatherAxes(x.raw_data(), x.shape(), z.raw_data(), up, 4, nullptr);
  EXPECT_EQ(Values<float>(z),
            (std::vector<float>{0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7, 8, 9, 10, 11, 8, 9, 10, 11}));
}

}  // namespace
}  // namespace litemp::mtest
