#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "fixtures.h"
#include "litemp/data.h"

namespace litemp {
namespace {

using test::EncodeJpeg;
using test::EncodePng8;
using test::NpyBytes;
using test::RandomImage;
using test::RawBytes;
using test::TempDir;
using test::WriteBytes;

bool Contains(const Status& s, const std::string& what) { return s.message().find(what) != std::string::npos; }

// A folder with one file of each kind, listed with a header line.
class FolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rgb_ = RandomImage(6, 8, 3, 1);
    WriteBytes(dir_.File("a.png"), EncodePng8(rgb_));
    data::U8Image gray(6, 8, 1);
    std::fill(gray.pixels.begin(), gray.pixels.end(), 128);
    WriteBytes(dir_.File("b.JPEG"), EncodeJpeg(gray));
    raw_ = RandomImage(6, 8, 3, 2);
    WriteBytes(dir_.File("c.bin"), test::AsString(raw_.pixels));
    WriteBytes(dir_.File("d.npy"), NpyBytes("<f4", "(3, 6, 8)", RawBytes(std::vector<float>(144, 0.25f))));
    WriteBytes(dir_.File("labels.csv"), "file,class\na.png,3\n\nb.JPEG,0\nc.bin,9\nd.npy,2\n");
    opt_.images_dir = dir_.path();
    opt_.labels_file = dir_.File("labels.csv");
    opt_.raw_shape = {6, 8, 3};
  }

  TempDir dir_;
  data::U8Image rgb_, raw_;
  DataOptions opt_;
};

TEST_F(FolderTest, ListsAndDecodesEveryKind) {
  opt_.label_offset = 1;
  auto ds = Dataset::Open(opt_);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  const Dataset& d = *ds.value();
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d.name(0), "a.png");
  EXPECT_EQ(d.name(1), "b.JPEG");
  EXPECT_EQ(d.label(0), 4);
  EXPECT_EQ(d.label(1), 1);
  EXPECT_EQ(d.label(2), 10);
  EXPECT_EQ(d.label(3), 3);

  auto png = d.Load(0);
  ASSERT_TRUE(png.ok()) << png.status().ToString();
  ASSERT_EQ(png->shape(), (Shape{3, 6, 8}));
  EXPECT_EQ(png->data<float>()[0], rgb_.pixels[0] / 255.f);
  EXPECT_EQ(png->data<float>()[48 + 9], rgb_.pixels[9 * 3 + 1] / 255.f);  // channel 1, y 1, x 1

  auto jpg = d.Load(1);  // grayscale JPEG -> 3 equal channels
  ASSERT_TRUE(jpg.ok()) << jpg.status().ToString();
  ASSERT_EQ(jpg->shape(), (Shape{3, 6, 8}));
  for (int i : {0, 47, 48 + 20, 96 + 47}) EXPECT_NEAR(jpg->data<float>()[i], 128 / 255.f, 1.5f / 255.f);

  auto bin = d.Load(2);
  ASSERT_TRUE(bin.ok()) << bin.status().ToString();
  ASSERT_EQ(bin->shape(), (Shape{3, 6, 8}));
  EXPECT_EQ(bin->data<float>()[2 * 48 + 5 * 8 + 7], raw_.pixels[(5 * 8 + 7) * 3 + 2] / 255.f);

  auto npy = d.Load(3);  // fed as stored: no /255
  ASSERT_TRUE(npy.ok()) << npy.status().ToString();
  EXPECT_EQ(npy->shape(), (Shape{3, 6, 8}));
  EXPECT_EQ(npy->data<float>()[100], 0.25f);

  EXPECT_FALSE(d.Load(4).ok());
}

TEST_F(FolderTest, LoadBatchStacksInOrder) {
  auto ds = Dataset::Open(opt_);
  ASSERT_TRUE(ds.ok());
  auto batch = ds.value()->LoadBatch({2, 0, 3, 2});
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  ASSERT_EQ(batch->shape(), (Shape{4, 3, 6, 8}));
  int k = 0;
  for (size_t i : {2, 0, 3, 2}) {
    auto one = ds.value()->Load(i);
    ASSERT_TRUE(one.ok());
    for (int j = 0; j < 144; ++j) ASSERT_EQ(batch->data<float>()[k * 144 + j], one->data<float>()[j]);
    ++k;
  }
}

TEST_F(FolderTest, LoadBatchRejectsDifferentShapes) {
  WriteBytes(dir_.File("d.npy"), NpyBytes("<f4", "(2, 2)", RawBytes<float>({1, 2, 3, 4})));
  auto ds = Dataset::Open(opt_);
  ASSERT_TRUE(ds.ok());
  auto batch = ds.value()->LoadBatch({0, 3});
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(Contains(batch.status(), "'a.png' is [3,6,8]")) << batch.status().ToString();
  EXPECT_TRUE(Contains(batch.status(), "'d.npy' is [2,2]")) << batch.status().ToString();
}

TEST_F(FolderTest, LoadBatchReportsFirstFailingSample) {
  std::string jpeg = EncodeJpeg(RandomImage(16, 16, 3, 4));
  WriteBytes(dir_.File("b.JPEG"), jpeg.substr(0, jpeg.size() / 2));
  WriteBytes(dir_.File("c.bin"), "short");
  auto ds = Dataset::Open(opt_);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();  // files exist; decoding is lazy
  auto batch = ds.value()->LoadBatch({0, 2, 1, 3});
  ASSERT_FALSE(batch.ok());
  EXPECT_TRUE(Contains(batch.status(), "c.bin")) << batch.status().ToString();
  EXPECT_TRUE(Contains(batch.status(), "needs 144")) << batch.status().ToString();
  auto one = ds.value()->Load(1);
  ASSERT_FALSE(one.ok());
  EXPECT_TRUE(Contains(one.status(), "b.JPEG")) << one.status().ToString();
  EXPECT_TRUE(Contains(one.status(), "corrupt JPEG")) << one.status().ToString();
}

TEST_F(FolderTest, ResizeCropAndNormalise) {
  opt_.resize = 3;  // 8x6 -> 4x3
  opt_.crop = 2;
  opt_.mean = {0.5f};
  opt_.std = {0.5f};
  auto ds = Dataset::Open(opt_);
  ASSERT_TRUE(ds.ok());
  auto t = ds.value()->Load(0);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->shape(), (Shape{3, 2, 2}));
  for (int64_t i = 0; i < t->numel(); ++i) {
    EXPECT_GE(t->data<float>()[i], -1.f);
    EXPECT_LE(t->data<float>()[i], 1.f);
  }
  auto npy = ds.value()->Load(3);  // .npy ignores preprocessing
  ASSERT_TRUE(npy.ok());
  EXPECT_EQ(npy->shape(), (Shape{3, 6, 8}));
  EXPECT_EQ(npy->data<float>()[0], 0.25f);
}

TEST_F(FolderTest, LimitKeepsFirstInListingOrder) {
  opt_.limit = 2;
  auto ds = Dataset::Open(opt_);
  ASSERT_TRUE(ds.ok());
  ASSERT_EQ(ds.value()->size(), 2u);
  EXPECT_EQ(ds.value()->name(1), "b.JPEG");
}

TEST_F(FolderTest, MissingFileFailsAtOpen) {
  WriteBytes(dir_.File("labels.csv"), "a.png,1\nnope.jpg,2\n");
  auto ds = Dataset::Open(opt_);
  ASSERT_FALSE(ds.ok());
  EXPECT_EQ(ds.status().code(), Status::Code::kIOError);
  EXPECT_TRUE(Contains(ds.status(), "nope.jpg")) << ds.status().ToString();
  EXPECT_TRUE(Contains(ds.status(), "labels.csv:2:")) << ds.status().ToString();
}

TEST_F(FolderTest, BadInputsFailAtOpen) {
  WriteBytes(dir_.File("x.gif"), "GIF89a");
  WriteBytes(dir_.File("labels.csv"), "x.gif,1\n");
  auto ds = Dataset::Open(opt_);
  ASSERT_FALSE(ds.ok());
  EXPECT_TRUE(ds.status().IsNotSupported()) << ds.status().ToString();

  WriteBytes(dir_.File("labels.csv"), "c.bin,1\n");
  opt_.raw_shape.clear();
  ds = Dataset::Open(opt_);
  ASSERT_FALSE(ds.ok());
  EXPECT_TRUE(Contains(ds.status(), "--raw-shape")) << ds.status().ToString();

  WriteBytes(dir_.File("labels.csv"), "a.png,x\n,\n");
  ds = Dataset::Open(opt_);
  ASSERT_FALSE(ds.ok());
  EXPECT_TRUE(Contains(ds.status(), "labels.csv:2:")) << ds.status().ToString();

  opt_.labels_file = dir_.File("missing.csv");
  ds = Dataset::Open(opt_);
  ASSERT_FALSE(ds.ok());
  EXPECT_EQ(ds.status().code(), Status::Code::kIOError);
  EXPECT_TRUE(Contains(ds.status(), "missing.csv"));
}

TEST_F(FolderTest, NanInNpyIsInvalidArgumentNamingFile) {
  WriteBytes(dir_.File("d.npy"), NpyBytes("<f4", "(2,)", RawBytes<float>({1.f, std::nanf("")})));
  auto ds = Dataset::Open(opt_);
  ASSERT_TRUE(ds.ok());
  auto t = ds.value()->Load(3);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(Contains(t.status(), "d.npy")) << t.status().ToString();
  EXPECT_TRUE(Contains(t.status(), "NaN")) << t.status().ToString();
}

TEST(DatasetOpen, OptionErrors) {
  DataOptions o;
  EXPECT_FALSE(Dataset::Open(o).ok());
  o.labels_file = "labels.csv";  // labels are optional, a folder is not
  EXPECT_TRUE(Contains(Dataset::Open(o).status(), "--labels needs --images"));
  o.labels_file.clear();
  o.idx_labels = "y";
  EXPECT_TRUE(Contains(Dataset::Open(o).status(), "--idx-labels needs --idx-images"));
  o.idx_labels.clear();
  o.images_dir = "/tmp";
  o.resize = 4;
  o.resize_h = 3;
  o.resize_w = 2;
  EXPECT_TRUE(Contains(Dataset::Open(o).status(), "not both"));
  o.resize = 0;
  o.resize_w = 0;
  EXPECT_TRUE(Contains(Dataset::Open(o).status(), "--resize H,W needs both"));
  o.resize_h = 0;
  o.crop_w = -2;
  EXPECT_TRUE(Contains(Dataset::Open(o).status(), "--crop"));
  o.crop_w = 0;
  o.grayscale = true;
  o.std = {1.f, 2.f, 3.f};
  EXPECT_TRUE(Contains(Dataset::Open(o).status(), "--grayscale"));
  o.grayscale = false;
  o.std = {1.f};
  o.idx_images = "x";
  o.idx_labels = "y";
  EXPECT_TRUE(Contains(Dataset::Open(o).status(), "not both"));
  o.images_dir.clear();
  o.std = {0.f};
  EXPECT_TRUE(Contains(Dataset::Open(o).status(), "--std"));
  o.std = {1.f};
  o.crop = -1;
  EXPECT_TRUE(Contains(Dataset::Open(o).status(), "--crop"));
}

class IdxTest : public ::testing::TestWithParam<bool> {};

TEST_P(IdxTest, ImagesAndLabels) {
  const bool gz = GetParam();
  TempDir dir;
  std::string pixels;
  for (int i = 0; i < 5 * 3 * 4; ++i) pixels += static_cast<char>(i * 4);
  auto maybe = [&](const std::string& s) { return gz ? test::Gzip(s) : s; };
  WriteBytes(dir.File("img"), maybe(test::IdxBytes({5, 3, 4}, pixels)));
  WriteBytes(dir.File("lab"), maybe(test::IdxBytes({5}, std::string{7, 2, 1, 0, 4})));
  DataOptions o;
  o.idx_images = dir.File("img");
  o.idx_labels = dir.File("lab");
  o.label_offset = 10;
  auto ds = Dataset::Open(o);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  const Dataset& d = *ds.value();
  ASSERT_EQ(d.size(), 5u);
  EXPECT_EQ(d.name(3), "idx:3");
  EXPECT_EQ(d.label(0), 17);
  EXPECT_EQ(d.label(4), 14);
  auto t = d.Load(2);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->shape(), (Shape{1, 3, 4}));
  for (int j = 0; j < 12; ++j) EXPECT_EQ(t->data<float>()[j], static_cast<float>((24 + j) * 4) / 255.f);
  auto b = d.LoadBatch({0, 1, 2, 3, 4});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->shape(), (Shape{5, 1, 3, 4}));

  o.limit = 2;
  ds = Dataset::Open(o);
  ASSERT_TRUE(ds.ok());
  EXPECT_EQ(ds.value()->size(), 2u);
  EXPECT_FALSE(ds.value()->Load(2).ok());

  WriteBytes(dir.File("lab"), maybe(test::IdxBytes({4}, std::string{7, 2, 1, 0})));
  ds = Dataset::Open(o);
  ASSERT_FALSE(ds.ok());
  EXPECT_TRUE(Contains(ds.status(), "5 images")) << ds.status().ToString();
  EXPECT_TRUE(Contains(ds.status(), "4 labels")) << ds.status().ToString();
}

INSTANTIATE_TEST_SUITE_P(PlainAndGzipped, IdxTest, ::testing::Bool());

TEST(IdxUnlabeled, ImagesAloneHaveNoLabels) {
  TempDir dir;
  std::string pixels;
  for (int i = 0; i < 3 * 2 * 2; ++i) pixels += static_cast<char>(i * 20);
  WriteBytes(dir.File("img"), test::IdxBytes({3, 2, 2}, pixels));
  DataOptions o;
  o.idx_images = dir.File("img");
  o.label_offset = 1;
  o.layout = ImageLayout::kNhwc;
  auto ds = Dataset::Open(o);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  const Dataset& d = *ds.value();
  ASSERT_EQ(d.size(), 3u);
  EXPECT_FALSE(d.has_labels());
  EXPECT_EQ(d.label(2), -1);
  auto t = d.Load(1);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->shape(), (Shape{2, 2, 1}));
  EXPECT_EQ(t->data<float>()[3], static_cast<float>(7 * 20) / 255.f);
}

}  // namespace
}  // namespace litemp
