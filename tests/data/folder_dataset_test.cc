// Folder datasets without a labels file, .npz samples, and --grayscale / --layout through
// Dataset::Open (the labelled folder and idx cases are in dataset_test.cc).
#include <gtest/gtest.h>

#include <filesystem>

#include "fixtures.h"
#include "litemp/data.h"
#include "zip_fixture.h"

namespace litemp {
namespace {

using test::NpyBytes;
using test::RandomImage;
using test::RawBytes;
using test::TempDir;
using test::WriteBytes;
using test::ZipBytes;

bool Contains(const Status& s, const std::string& what) { return s.message().find(what) != std::string::npos; }

std::string FloatNpy(const std::string& shape, const std::vector<float>& v) {
  return NpyBytes("<f4", shape, RawBytes<float>(v));
}

class UnlabeledFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string png = test::EncodePng8(RandomImage(4, 5, 3, 1));
    // Upper case sorts first in byte order; "\xc3\xa9" (é) after every ASCII name.
    for (const char* name : {"b.png", "a.PNG", "A.jpeg", "\xc3\xa9.png", "c.Jpg"}) WriteBytes(dir_.File(name), png);
    WriteBytes(dir_.File("d.npy"), FloatNpy("(2,)", {1, 2}));
    WriteBytes(dir_.File("e.npz"), ZipBytes({{"x.npy", FloatNpy("(3,)", {4, 5, 6})}}));
    // Skipped: hidden files, other extensions, folders, names without an extension.
    for (const char* name : {".hidden.png", "notes.txt", "labels.csv", "png", "x.npy.bak"}) {
      WriteBytes(dir_.File(name), png);
    }
    std::filesystem::create_directories(dir_.File("sub.png"));
    opt_.images_dir = dir_.path();
  }

  TempDir dir_;
  DataOptions opt_;
};

TEST_F(UnlabeledFolder, ListsSupportedFilesSortedByName) {
  opt_.label_offset = 5;  // no labels to offset
  auto ds = Dataset::Open(opt_);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  const Dataset& d = *ds.value();
  EXPECT_FALSE(d.has_labels());
  std::vector<std::string> names;
  for (size_t i = 0; i < d.size(); ++i) {
    names.push_back(d.name(i));
    EXPECT_EQ(d.label(i), -1);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"A.jpeg", "a.PNG", "b.png", "c.Jpg", "d.npy", "e.npz", "\xc3\xa9.png"}));
  auto t = d.Load(0);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->shape(), (Shape{3, 4, 5}));
}

TEST_F(UnlabeledFolder, LimitAppliesAfterSorting) {
  opt_.limit = 3;
  auto ds = Dataset::Open(opt_);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  ASSERT_EQ(ds.value()->size(), 3u);
  EXPECT_EQ(ds.value()->name(0), "A.jpeg");
  EXPECT_EQ(ds.value()->name(2), "b.png");
}

TEST_F(UnlabeledFolder, RawBinNeedsRawShape) {
  WriteBytes(dir_.File("f.bin"), std::string(12, '\x01'));
  auto ds = Dataset::Open(opt_);
  ASSERT_FALSE(ds.ok());
  EXPECT_TRUE(Contains(ds.status(), "f.bin")) << ds.status().ToString();
  EXPECT_TRUE(Contains(ds.status(), "--raw-shape")) << ds.status().ToString();
  opt_.raw_shape = {2, 2, 3};
  ds = Dataset::Open(opt_);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  EXPECT_EQ(ds.value()->size(), 8u);
}

TEST(UnlabeledFolderErrors, EmptyOrOnlyUnsupported) {
  TempDir dir;
  DataOptions o;
  o.images_dir = dir.path();
  auto ds = Dataset::Open(o);
  ASSERT_FALSE(ds.ok());
  EXPECT_TRUE(Contains(ds.status(), dir.path())) << ds.status().ToString();
  EXPECT_TRUE(Contains(ds.status(), "holds no")) << ds.status().ToString();
  WriteBytes(dir.File("a.gif"), "GIF89a");
  WriteBytes(dir.File("b.txt"), "text");
  WriteBytes(dir.File(".c.png"), "hidden");
  ds = Dataset::Open(o);
  ASSERT_FALSE(ds.ok());
  EXPECT_TRUE(Contains(ds.status(), "2 other entries skipped")) << ds.status().ToString();
}

TEST(NpzSamples, LoadGivesTheOnlyArrayLoadInputsGivesAll) {
  TempDir dir;
  WriteBytes(dir.File("one.npz"), ZipBytes({{"x.npy", FloatNpy("(2, 2)", {1, 2, 3, 4})}}));
  WriteBytes(dir.File("two.npz"), ZipBytes({{"ids.npy", NpyBytes("<i8", "(3,)", RawBytes<int64_t>({7, 8, 9}))},
                                            {"mask.npy", NpyBytes("|b1", "(3,)", std::string("\1\0\1", 3))}}));
  WriteBytes(dir.File("labels.csv"), "one.npz,1\ntwo.npz,2\n");
  DataOptions o;
  o.images_dir = dir.path();
  o.labels_file = dir.File("labels.csv");
  auto ds = Dataset::Open(o);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  const Dataset& d = *ds.value();
  EXPECT_TRUE(d.has_labels());
  auto one = d.Load(0);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one->shape(), (Shape{2, 2}));
  EXPECT_EQ(one->data<float>()[3], 4.f);

  auto two = d.Load(1);
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(Contains(two.status(), "two.npz")) << two.status().ToString();
  EXPECT_TRUE(Contains(two.status(), "2 arrays (ids, mask)")) << two.status().ToString();
  EXPECT_TRUE(Contains(two.status(), "multi-input model")) << two.status().ToString();

  auto inputs = d.LoadInputs(1);
  ASSERT_TRUE(inputs.ok()) << inputs.status().ToString();
  ASSERT_EQ(inputs->size(), 2u);
  EXPECT_EQ((*inputs)[0].first, "ids");
  EXPECT_EQ((*inputs)[0].second.data<float>()[2], 9.f);
  EXPECT_EQ((*inputs)[1].first, "mask");
  EXPECT_EQ((*inputs)[1].second.data<float>()[1], 0.f);

  WriteBytes(dir.File("one.npz"), "PK junk");
  auto bad = d.LoadInputs(0);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(Contains(bad.status(), "one.npz")) << bad.status().ToString();
}

// --layout nhwc and --grayscale reach every u8 source; tensors stay as stored.
TEST(FolderPreprocess, NhwcAndGrayscale) {
  TempDir dir;
  const data::U8Image rgb = RandomImage(4, 5, 3, 2);
  WriteBytes(dir.File("a.png"), test::EncodePng8(rgb));
  WriteBytes(dir.File("b.bin"), test::AsString(rgb.pixels));
  WriteBytes(dir.File("c.npy"), FloatNpy("(3, 4, 5)", std::vector<float>(60, 0.5f)));
  DataOptions o;
  o.images_dir = dir.path();
  o.raw_shape = {4, 5, 3};
  o.layout = ImageLayout::kNhwc;
  auto ds = Dataset::Open(o);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  for (size_t i : {0, 1}) {
    auto t = ds.value()->Load(i);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    ASSERT_EQ(t->shape(), (Shape{4, 5, 3}));
    for (int k = 0; k < 60; ++k) ASSERT_EQ(t->data<float>()[k], rgb.pixels[k] / 255.f);  // HWC as decoded
  }
  auto npy = ds.value()->Load(2);
  ASSERT_TRUE(npy.ok());
  EXPECT_EQ(npy->shape(), (Shape{3, 4, 5}));

  o.grayscale = true;
  ds = Dataset::Open(o);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  const data::U8Image gray = data::RgbToGray(rgb);
  for (size_t i : {0, 1}) {
    auto t = ds.value()->Load(i);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    ASSERT_EQ(t->shape(), (Shape{4, 5, 1}));
    for (int k = 0; k < 20; ++k) ASSERT_EQ(t->data<float>()[k], gray.pixels[k] / 255.f);
  }
  o.mean = {0.1f, 0.2f, 0.3f};
  ds = Dataset::Open(o);
  ASSERT_FALSE(ds.ok());
  EXPECT_TRUE(Contains(ds.status(), "--grayscale")) << ds.status().ToString();
}

}  // namespace
}  // namespace litemp
