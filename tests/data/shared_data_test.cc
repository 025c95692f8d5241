// Tests on the real data in shared/data (skipped when the folder is absent).
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <numeric>
#include <set>

#include "litemp/data.h"
#include "testutil/kernel_runner.h"

namespace litemp {
namespace {

std::string DataDir(const std::string& name) { return test::SharedDir() + "/data/" + name; }

TEST(SharedData, ImagenetSample) {
  LITEMP_REQUIRE_SHARED();
  DataOptions o;
  o.images_dir = DataDir("imagenet_sample");
  o.labels_file = o.images_dir + "/labels.csv";
  o.resize = 256;
  o.crop = 224;
  o.mean = {0.5f};
  o.std = {0.5f};
  auto ds = Dataset::Open(o);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  const Dataset& d = *ds.value();
  ASSERT_EQ(d.size(), 1000u);
  std::set<int64_t> labels;
  for (size_t i = 0; i < d.size(); ++i) labels.insert(d.label(i));
  EXPECT_EQ(labels.size(), 1000u);
  EXPECT_EQ(*labels.begin(), 0);
  EXPECT_EQ(*labels.rbegin(), 999);

  auto first = d.Load(0);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->shape(), (Shape{3, 224, 224}));
  float lo = 1e9f, hi = -1e9f;
  for (int64_t i = 0; i < first->numel(); ++i) {
    lo = std::min(lo, first->data<float>()[i]);
    hi = std::max(hi, first->data<float>()[i]);
  }
  EXPECT_GE(lo, -1.f);
  EXPECT_LE(hi, 1.f);
  EXPECT_LT(lo, -0.5f);  // a real photo spans most of the range
  EXPECT_GT(hi, 0.5f);

  // Every image decodes (no false "corrupt data" errors); batches of 50 as a CLI would.
  const auto start = std::chrono::steady_clock::now();
  for (size_t b = 0; b < d.size(); b += 50) {
    std::vector<size_t> idx(50);
    std::iota(idx.begin(), idx.end(), b);
    auto batch = d.LoadBatch(idx);
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    ASSERT_EQ(batch->shape(), (Shape{50, 3, 224, 224}));
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ info ] decoded + preprocessed 1000 ImageNet JPEGs in " << s << " s\n";
}

TEST(SharedData, Cifar10Bin) {
  LITEMP_REQUIRE_SHARED();
  DataOptions o;
  o.images_dir = DataDir("cifar10_ic01");
  o.labels_file = o.images_dir + "/y_labels.csv";
  o.raw_shape = {32, 32, 3};
  auto ds = Dataset::Open(o);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  ASSERT_EQ(ds.value()->size(), 200u);
  EXPECT_EQ(ds.value()->name(0), "lippizaner_s_000613.bin");
  EXPECT_EQ(ds.value()->label(0), 7);
  auto t = ds.value()->Load(0);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->shape(), (Shape{3, 32, 32}));
  std::vector<size_t> all(200);
  std::iota(all.begin(), all.end(), size_t{0});
  auto b = ds.value()->LoadBatch(all);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->shape(), (Shape{200, 3, 32, 32}));
}

TEST(SharedData, MnistIdx) {
  LITEMP_REQUIRE_SHARED();
  DataOptions o;
  o.idx_images = DataDir("mnist") + "/t10k-images-idx3-ubyte.gz";
  o.idx_labels = DataDir("mnist") + "/t10k-labels-idx1-ubyte.gz";
  o.std = {1.f / 255.f};  // raw 0..255 as the MNIST model expects
  auto ds = Dataset::Open(o);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  ASSERT_EQ(ds.value()->size(), 10000u);
  EXPECT_EQ(ds.value()->label(0), 7);
  EXPECT_EQ(ds.value()->label(1), 2);
  auto t = ds.value()->Load(0);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->shape(), (Shape{1, 28, 28}));
  float hi = 0;
  for (int64_t i = 0; i < t->numel(); ++i) hi = std::max(hi, t->data<float>()[i]);
  EXPECT_NEAR(hi, 255.f, 1e-3f);
  EXPECT_EQ(t->data<float>()[0], 0.f);  // the border is black
}

}  // namespace
}  // namespace litemp
