#include "data/npz.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <tuple>

#include "fixtures.h"
#include "zip_fixture.h"

namespace litemp::data {
namespace {

using test::NpyBytes;
using test::RawBytes;
using test::ZipBytes;
using test::ZipEntry;
using test::ZipStyle;

bool Contains(const Status& s, const std::string& what) { return s.message().find(what) != std::string::npos; }

std::vector<float> Values(const Tensor& t) { return std::vector<float>(t.data<float>(), t.data<float>() + t.numel()); }

// What np.savez(f, x=<float32 2x3>, ids=<int64 [4]>) stores.
std::vector<ZipEntry> TwoArrays() {
  return {{"x.npy", NpyBytes("<f4", "(2, 3)", RawBytes<float>({1.5f, -2.f, 0.f, 3.25f, 1e-3f, 7.f}))},
          {"ids.npy", NpyBytes("<i8", "(4,)", RawBytes<int64_t>({1, -2, 3, 40}))}};
}

// Overwrites `n` little-endian bytes at `pos`.
void Patch(std::string* b, size_t pos, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) (*b)[pos + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

size_t CentralEntry(const std::string& b) { return b.find(std::string("PK\x01\x02", 4)); }

class NpzStyles : public ::testing::TestWithParam<std::tuple<bool, bool>> {
 protected:
  ZipStyle Style() const {
    ZipStyle s;
    s.deflate = std::get<0>(GetParam());
    s.zip64 = std::get<1>(GetParam());
    return s;
  }
};

TEST_P(NpzStyles, RoundTripKeepsNamesOrderShapesAndValues) {
  for (const std::string comment : {"", "an archive comment"}) {
    ZipStyle style = Style();
    style.comment = comment;
    auto arrays = ParseNpz(ZipBytes(TwoArrays(), style));
    ASSERT_TRUE(arrays.ok()) << arrays.status().ToString();
    ASSERT_EQ(arrays->size(), 2u);
    EXPECT_EQ((*arrays)[0].first, "x");
    EXPECT_EQ((*arrays)[0].second.shape(), (Shape{2, 3}));
    EXPECT_EQ(Values((*arrays)[0].second), (std::vector<float>{1.5f, -2.f, 0.f, 3.25f, 1e-3f, 7.f}));
    EXPECT_EQ((*arrays)[1].first, "ids");
    EXPECT_EQ((*arrays)[1].second.shape(), (Shape{4}));
    EXPECT_EQ(Values((*arrays)[1].second), (std::vector<float>{1.f, -2.f, 3.f, 40.f}));
  }
}

TEST_P(NpzStyles, ReadZipGivesExactBytesIncludingEmptyAndLargeMembers) {
  std::mt19937 rng(3);
  std::string noise(5000, '\0');
  for (char& c : noise) c = static_cast<char>(rng() & 0xFF);
  const std::vector<ZipEntry> entries = {{"empty", ""}, {"zeros", std::string(200000, '\0')}, {"dir/noise", noise}};
  auto members = ReadZip(ZipBytes(entries, Style()));
  ASSERT_TRUE(members.ok()) << members.status().ToString();
  ASSERT_EQ(members->size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*members)[i].name, entries[i].name);
    EXPECT_EQ((*members)[i].data, entries[i].data) << entries[i].name;
  }
}

TEST_P(NpzStyles, EveryTruncationIsAnError) {
  const std::string full = ZipBytes(TwoArrays(), Style());
  for (size_t n = 0; n < full.size(); ++n) {
    auto r = ParseNpz(full.substr(0, n));
    ASSERT_FALSE(r.ok()) << "prefix of " << n << " bytes parsed";
  }
}

// Fuzz-ish: random byte changes anywhere must give a result or an error, never a crash
// (run under ASan in the sanitizer build).
TEST_P(NpzStyles, CorruptBytesNeverCrash) {
  const std::string full = ZipBytes(TwoArrays(), Style());
  std::mt19937 rng(11);
  int errors = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    std::string b = full;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < flips; ++k) b[rng() % b.size()] = static_cast<char>(rng() & 0xFF);
    if (rng() % 4 == 0) b.resize(rng() % b.size());
    errors += !ParseNpz(b).ok();
  }
  EXPECT_GT(errors, 1000);
}

INSTANTIATE_TEST_SUITE_P(StoredDeflatedZip64, NpzStyles, ::testing::Combine(::testing::Bool(), ::testing::Bool()));

TEST(ReadZip, NotAZip) {
  const std::string npy = NpyBytes("<f4", "(1,)", RawBytes<float>({1}));
  for (const std::string& bytes : {std::string(), std::string("hello"), npy}) {
    auto r = ReadZip(bytes);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(Contains(r.status(), "not a zip archive")) << r.status().ToString();
  }
}

TEST(ReadZip, CrcMismatchNamesTheMember) {
  std::string b = ZipBytes(TwoArrays());
  b[40] ^= 0x01;  // inside x.npy's header text
  auto r = ReadZip(b);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Contains(r.status(), "member 'x.npy': CRC-32 mismatch")) << r.status().ToString();
}

TEST(ReadZip, EncryptionAndOtherMethodsAreNotSupported) {
  std::string b = ZipBytes(TwoArrays());
  Patch(&b, CentralEntry(b) + 8, 1, 2);  // general purpose flag bit 0
  auto r = ReadZip(b);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotSupported()) << r.status().ToString();
  EXPECT_TRUE(Contains(r.status(), "encrypted"));

  b = ZipBytes(TwoArrays());
  Patch(&b, CentralEntry(b) + 10, 12, 2);  // bzip2
  r = ReadZip(b);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotSupported()) << r.status().ToString();
  EXPECT_TRUE(Contains(r.status(), "compression method 12"));
}

TEST(ReadZip, SizeLiesAreErrors) {
  ZipStyle deflated;
  deflated.deflate = true;
  const std::string good = ZipBytes(TwoArrays(), deflated);
  const size_t usize = TwoArrays()[0].data.size();
  auto with_usize = [&](uint64_t v) {
    std::string b = good;
    Patch(&b, CentralEntry(b) + 24, v, 4);
    return ReadZip(b);
  };
  auto r = with_usize(usize - 1);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Contains(r.status(), "more than its stated")) << r.status().ToString();
  r = with_usize(usize + 1);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Contains(r.status(), "fewer than its stated")) << r.status().ToString();
  r = with_usize(0x7FFFFFFF);  // a bomb's claim: refused before allocating
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Contains(r.status(), "cannot inflate to")) << r.status().ToString();

  std::string b = ZipBytes(TwoArrays());
  Patch(&b, CentralEntry(b) + 20, 1 << 20, 4);  // stored data past the end
  r = ReadZip(b);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Contains(r.status(), "truncated")) << r.status().ToString();
}

TEST(ParseNpz, BadMembersAreNamed) {
  const std::string npy = NpyBytes("<f4", "(1,)", RawBytes<float>({1}));
  struct Case {
    std::vector<ZipEntry> entries;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{{"x.txt", "hello"}}, "member 'x.txt' is not named <array>.npy"},
      {{{".npy", npy}}, "member '.npy' is not named"},
      {{{"x.npy", npy}, {"x.npy", npy}}, "member 'x.npy' appears twice"},
      {{{"x.npy", "not npy at all"}}, "member 'x.npy': not a .npy file"},
      {{{"x.npy", NpyBytes("<f4", "(2,)", RawBytes<float>({1, std::nanf("")}))}},
       "member 'x.npy': .npy data holds NaN"},
      {{}, "holds no arrays"},
  };
  for (const Case& c : cases) {
    auto r = ParseNpz(ZipBytes(c.entries));
    ASSERT_FALSE(r.ok()) << c.message;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    EXPECT_TRUE(Contains(r.status(), c.message)) << r.status().ToString();
  }
}

}  // namespace
}  // namespace litemp::data
