#include "data/npy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "fixtures.h"

namespace litemp::data {
namespace {

using test::NpyBytes;
using test::RawBytes;

std::vector<float> Values(const Tensor& t) { return std::vector<float>(t.data<float>(), t.data<float>() + t.numel()); }

TEST(ParseNpy, Float32KeepsShapeAndValues) {
  auto t = ParseNpy(NpyBytes("<f4", "(2, 3)", RawBytes<float>({1.5f, -2.f, 0.f, 3.25f, 1e-3f, 7.f})));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->dtype(), DType::kFloat32);
  EXPECT_EQ(t->shape(), (Shape{2, 3}));
  EXPECT_EQ(Values(t.value()), (std::vector<float>{1.5f, -2.f, 0.f, 3.25f, 1e-3f, 7.f}));
}

TEST(ParseNpy, ConvertsOtherTypes) {
  auto check = [](const std::string& descr, const std::string& payload, std::vector<float> want) {
    auto t = ParseNpy(NpyBytes(descr, "(3,)", payload));
    ASSERT_TRUE(t.ok()) << descr << ": " << t.status().ToString();
    EXPECT_EQ(t->shape(), (Shape{3}));
    EXPECT_EQ(Values(t.value()), want) << descr;
  };
  check("<f8", RawBytes<double>({0.5, -1.25, 1e6}), {0.5f, -1.25f, 1e6f});
  check("|u1", RawBytes<uint8_t>({0, 128, 255}), {0.f, 128.f, 255.f});
  check("|i1", RawBytes<int8_t>({-128, 0, 127}), {-128.f, 0.f, 127.f});
  check("<i2", RawBytes<int16_t>({-300, 5, 32767}), {-300.f, 5.f, 32767.f});
  check("<u2", RawBytes<uint16_t>({0, 1, 65535}), {0.f, 1.f, 65535.f});
  check("<i4", RawBytes<int32_t>({-7, 0, 100000}), {-7.f, 0.f, 100000.f});
  check("<u4", RawBytes<uint32_t>({1, 2, 3}), {1.f, 2.f, 3.f});
  check("<i8", RawBytes<int64_t>({-1, 0, 1}), {-1.f, 0.f, 1.f});
  check("<u8", RawBytes<uint64_t>({9, 8, 7}), {9.f, 8.f, 7.f});
  check("|b1", RawBytes<uint8_t>({1, 0, 1}), {1.f, 0.f, 1.f});
  // float16: 1.0, -2.0, 2^-24 (smallest subnormal)
  check("<f2", RawBytes<uint16_t>({0x3C00, 0xC000, 0x0001}), {1.f, -2.f, std::ldexp(1.f, -24)});
}

TEST(ParseNpy, VersionTwoHeaderAndScalar) {
  auto t = ParseNpy(NpyBytes("<f4", "(1, 2)", RawBytes<float>({4.f, 5.f}), false, 2));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->shape(), (Shape{1, 2}));
  t = ParseNpy(NpyBytes("<f4", "()", RawBytes<float>({9.f})));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->rank(), 0);
  EXPECT_EQ(t->data<float>()[0], 9.f);
}

TEST(ParseNpy, FortranOrderAndBigEndianAreNotSupported) {
  auto t = ParseNpy(NpyBytes("<f4", "(2, 2)", RawBytes<float>({1, 2, 3, 4}), /*fortran=*/true));
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(t.status().IsNotSupported());
  EXPECT_NE(t.status().message().find("Fortran order"), std::string::npos) << t.status().ToString();
  t = ParseNpy(NpyBytes(">f4", "(1,)", RawBytes<float>({1})));
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(t.status().IsNotSupported());
  EXPECT_NE(t.status().message().find("big-endian"), std::string::npos) << t.status().ToString();
  t = ParseNpy(NpyBytes("<c8", "(1,)", RawBytes<float>({1, 2})));
  EXPECT_TRUE(t.status().IsNotSupported()) << t.status().ToString();
}

TEST(ParseNpy, NanAndInfAreBadInput) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  auto t = ParseNpy(NpyBytes("<f4", "(3,)", RawBytes<float>({0.f, nan, 1.f})));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(t.status().message().find("NaN at flat index 1"), std::string::npos) << t.status().ToString();
  t = ParseNpy(NpyBytes("<f8", "(2,)", RawBytes<double>({-double(inf), 0})));
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("Inf"), std::string::npos) << t.status().ToString();
}

TEST(ParseNpy, MalformedInput) {
  EXPECT_FALSE(ParseNpy("").ok());
  EXPECT_FALSE(ParseNpy("not numpy at all").ok());
  // Short payload.
  auto t = ParseNpy(NpyBytes("<f4", "(2, 3)", RawBytes<float>({1, 2, 3})));
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("truncated"), std::string::npos) << t.status().ToString();
  // Header cut short.
  std::string b = NpyBytes("<f4", "(1,)", RawBytes<float>({1}));
  EXPECT_FALSE(ParseNpy(b.substr(0, 30)).ok());
  // Missing keys.
  EXPECT_FALSE(ParseNpy(NpyBytes("<f4", "[1]", RawBytes<float>({1}))).ok());
}

// fuzz_npy: '|f0' has itemsize 0, so no data was "needed" and a large shape alone sized an
// 8 GB output. The dtype is now rejected before the shape is read or anything allocated.
TEST(ParseNpy, ZeroItemsizeIsRejectedBeforeSizing) {
  for (const char* shape : {"(2147483647,)", "(73 14, 4,214,3 14)", "(x)"}) {
    auto t = ParseNpy(NpyBytes("|f0", shape, ""));
    ASSERT_FALSE(t.ok()) << shape;
    EXPECT_EQ(t.status().code(), Status::Code::kNotSupported) << shape << ": " << t.status().ToString();
    EXPECT_NE(t.status().message().find("dtype '|f0' is not supported"), std::string::npos) << t.status().ToString();
  }
  EXPECT_EQ(ParseNpy(NpyBytes("<f-4", "(3,)", "")).status().code(), Status::Code::kNotSupported);
}

}  // namespace
}  // namespace litemp::data
