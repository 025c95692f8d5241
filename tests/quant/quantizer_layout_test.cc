// Quantizers on runtime layouts: per-tensor and per-channel statistics and fake-quantized
// values do not depend on whether an activation arrives plain, NHWC or blocked.
#include <gtest/gtest.h>

#include "quant/quantizer.h"
#include "testutil/kernel_runner.h"

namespace litemp {
namespace {

Quantizer Make(bool per_channel) {
  Quantizer q;
  q.enabled = true;
  q.per_channel = per_channel;
  q.axis = 1;
  q.channels = per_channel ? 16 : 1;
  return q;
}

TEST(QuantizerLayout, SameEncodingsAndValuesInEveryLayout) {
  Tensor x = test::RandomTensor({2, 16, 5, 3}, 3);
  // Give each channel its own range so per-channel encodings differ.
  for (int64_t i = 0; i < x.numel(); ++i) x.data<float>()[i] *= 1 + (i / 15) % 16;
  for (bool per_channel : {false, true}) {
    SCOPED_TRACE(per_channel ? "per-channel" : "per-tensor");
    Quantizer ref = Make(per_channel);
    ref.ResetStats(Scheme::kMinMax, 100.f);
    ref.Observe(x);
    ASSERT_TRUE(ref.FinishStats());
    Tensor want = ref.Apply(x.Clone());
    for (Tensor in : {ToNhwc(x), ToNchw8c(x)}) {
      Quantizer q = Make(per_channel);
      q.ResetStats(Scheme::kMinMax, 100.f);
      q.Observe(in);
      ASSERT_TRUE(q.FinishStats());
      ASSERT_EQ(q.encodings.size(), ref.encodings.size());
      for (size_t c = 0; c < q.encodings.size(); ++c) {
        EXPECT_EQ(q.encodings[c].scale, ref.encodings[c].scale);
        EXPECT_EQ(q.encodings[c].offset, ref.encodings[c].offset);
      }
      EXPECT_TRUE(test::TensorsNear(q.Apply(in), want, 0, 0));
    }
    if (per_channel) EXPECT_NE(ref.encodings[0].scale, ref.encodings[15].scale);
  }
}

}  // namespace
}  // namespace litemp
