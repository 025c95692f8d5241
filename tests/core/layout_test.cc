// Tensor layouts: where ToNchw8c and ToNhwc put each element, and lossless round trips.
#include <gtest/gtest.h>

#include <cstring>

#include "litemp/tensor.h"
#include "testutil/kernel_runner.h"

namespace litemp {
namespace {

TEST(Layout, BlockedStoresEightChannelLanes) {
  const int64_t n = 2, c = 16, h = 3, w = 5;
  Tensor x = test::RandomTensor({n, c, h, w}, 1);
  Tensor b = ToNchw8c(x);
  ASSERT_EQ(b.layout(), Layout::kNchw8c);
  ASSERT_EQ(b.shape(), x.shape());
  for (int64_t in = 0; in < n; ++in)
    for (int64_t ic = 0; ic < c; ++ic)
      for (int64_t ih = 0; ih < h; ++ih)
        for (int64_t iw = 0; iw < w; ++iw) {
          float want = x.data<float>()[((in * c + ic) * h + ih) * w + iw];
          int64_t at = (((in * (c / 8) + ic / 8) * h + ih) * w + iw) * 8 + ic % 8;
          ASSERT_EQ(b.data<float>()[at], want) << in << "," << ic << "," << ih << "," << iw;
        }
}

TEST(Layout, RoundTripsBetweenAllLayouts) {
  Tensor x = test::RandomTensor({3, 24, 17, 33}, 2);  // not multiples of the copy tiles
  Tensor b = ToNchw8c(x), nhwc = ToNhwc(x);
  EXPECT_TRUE(test::TensorsNear(ToPlain(b), x, 0, 0));
  EXPECT_TRUE(test::TensorsNear(ToPlain(nhwc), x, 0, 0));
  Tensor b2 = ToNchw8c(nhwc), nhwc2 = ToNhwc(b);
  EXPECT_EQ(b2.layout(), Layout::kNchw8c);
  EXPECT_EQ(nhwc2.layout(), Layout::kNhwc);
  EXPECT_EQ(0, std::memcmp(b2.raw_data(), b.raw_data(), b.nbytes()));
  EXPECT_EQ(0, std::memcmp(nhwc2.raw_data(), nhwc.raw_data(), nhwc.nbytes()));
  // Already in the layout: the same buffer comes back.
  EXPECT_EQ(ToNchw8c(b).raw_data(), b.raw_data());
  EXPECT_EQ(ToPlain(x).raw_data(), x.raw_data());
}

}  // namespace
}  // namespace litemp
