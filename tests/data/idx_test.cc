#include "data/idx.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace litemp::data
