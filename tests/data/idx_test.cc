#include "data/idx.h"

#include <gtest/gtest.h>

#include <limits>

#include "fixtures.h"

namespace litemp::data {
namespace {

using test::Gzip;
using test::IdxBytes;

TEST(ParseIdx, ReadsDimsAndPayload) {
  auto a = ParseIdx(IdxBytes({2, 2, 3}, "abcdefghijkl"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->dims, (std::vector<int64_t>{2, 2, 3}));
  EXPECT_EQ(a->data, "abcdefghijkl");
}

TEST(ParseIdx, Errors) {
  EXPECT_FALSE(ParseIdx("").ok());
  EXPECT_FALSE(ParseIdx("\x01\x02\x08\x01").ok());
  auto a = ParseIdx(IdxBytes({2, 2, 3}, "short"));
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("truncated"), std::string::npos);
  std::string floats = IdxBytes({1}, "abcd");
  floats[2] = 0x0D;
  a = ParseIdx(floats);
  ASSERT_FALSE(a.ok());
  EXPECT_TRUE(a.status().IsNotSupported());
  EXPECT_NE(a.status().message().find("0x0d"), std::string::npos) << a.status().ToString();
}

TEST(MaybeGunzip, InflatesGzipAndPassesPlainThrough) {
  std::string plain = IdxBytes({3}, "xyz");
  auto same = MaybeGunzip(plain);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same.value(), plain);
  std::string big(200000, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 7919) % 251);
  auto out = MaybeGunzip(Gzip(big));  // larger than the first output guess
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out.value(), big);
}

TEST(MaybeGunzip, TruncatedOrCorruptIsAnError) {
  std::string gz = Gzip(std::string(5000, 'q') + "tail");
  for (size_t n : {size_t{2}, size_t{10}, gz.size() / 2, gz.size() - 9}) {
    EXPECT_FALSE(MaybeGunzip(gz.substr(0, n)).ok()) << n;
  }
  std::string bad = gz;
  bad[bad.size() - 5] ^= 0x55;  // CRC/length trailer
  EXPECT_FALSE(MaybeGunzip(bad).ok());
}

// A small gzip file that inflates far beyond what its idx header promises (a gzip bomb) is
// read only as far as the header's payload: the rest is never inflated, so even a stream
// cut off after that point reads fine.
TEST(MaybeGunzip, IdxStopsAtThePayloadTheHeaderPromises) {
  const std::string idx = IdxBytes({2, 3}, "abcdef");
  const std::string gz = Gzip(idx + std::string(size_t{20} << 20, '\0'));
  ASSERT_LT(gz.size(), size_t{1} << 20);
  const std::string cut = gz.substr(0, gz.size() / 2);
  EXPECT_FALSE(MaybeGunzip(cut).ok()) << "the cut stream is truncated";
  auto out = MaybeGunzip(cut, IdxBytesWanted);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out.value(), idx);
  auto a = ParseIdx(out.value());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->data, "abcdef");
}

// The needed bytes may arrive in the same inflate call that runs out of input.
TEST(MaybeGunzip, IdxCutJustAfterThePayloadReads) {
  const std::string idx = IdxBytes({2, 3}, "abcdef");
  const std::string gz = Gzip(idx + std::string(4096, 'z'));
  for (size_t n = 12; n < gz.size(); ++n) {  // every cut; some hold the whole payload
    auto out = MaybeGunzip(gz.substr(0, n), IdxBytesWanted);
    if (out.ok()) EXPECT_EQ(out.value(), idx) << n;
  }
  const std::string bare = Gzip(idx);
  auto whole = MaybeGunzip(bare.substr(0, bare.size() - 8), IdxBytesWanted);  // no CRC/length trailer
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_EQ(whole.value(), idx);
}

TEST(ParseIdx, HugeDimensionsAreRejectedBeforeReading) {
  const std::string head = IdxBytes({1 << 16, 1 << 16}, "");  // 4 GiB promised
  EXPECT_EQ(IdxBytesWanted(head), head.size());                // no payload is inflated
  EXPECT_EQ(IdxBytesWanted(head.substr(0, 6)), std::numeric_limits<size_t>::max());
  auto a = ParseIdx(head);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("too large"), std::string::npos) << a.status().ToString();
}

}  // namespace
}  // namespace litemp::data
