// Dataset::LoadBatchInputs: named .npz arrays matched to model inputs, and equality with
// LoadBatch for single-tensor samples.
#include <gtest/gtest.h>

#include <cstring>
#include <numeric>

#include "fixtures.h"
#include "litemp/data.h"
#include "zip_fixture.h"

namespace litemp {
namespace {

using test::NpyBytes;
using test::RawBytes;
using test::TempDir;
using test::WriteBytes;
using test::ZipBytes;

bool Contains(const Status& s, const std::string& what) { return s.message().find(what) != std::string::npos; }

// Sample k: ids = [k, k+1, k+2] (int64), mask = [[k]] (float32); k = 0..n-1.
std::string Sample(int k, bool with_mask = true, const std::string& ids_shape = "(3,)") {
  std::vector<test::ZipEntry> e = {{"ids.npy", NpyBytes("<i8", ids_shape, RawBytes<int64_t>({k, k + 1, k + 2}))}};
  if (with_mask) e.push_back({"mask.npy", NpyBytes("<f4", "(1, 1)", RawBytes<float>({float(k)}))});
  return ZipBytes(e);
}

class MultiInput : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int k = 0; k < 12; ++k) {
      WriteBytes(dir_.File(std::string("s").append(std::to_string(10 + k)) + ".npz"), Sample(k));
    }
    opt_.images_dir = dir_.path();
  }
  std::unique_ptr<Dataset> Open() {
    auto ds = Dataset::Open(opt_);
    EXPECT_TRUE(ds.ok()) << ds.status().ToString();
    return ds.ok() ? std::move(ds).value() : nullptr;
  }
  std::vector<size_t> All(const Dataset& d) {
    std::vector<size_t> idx(d.size());
    std::iota(idx.begin(), idx.end(), size_t{0});
    return idx;
  }

  TempDir dir_;
  DataOptions opt_;
};

TEST_F(MultiInput, StacksOneTensorPerInputInModelOrder) {
  auto d = Open();
  ASSERT_TRUE(d);
  const std::vector<size_t> idx = {3, 0, 11, 5};
  auto b = d->LoadBatchInputs({"mask", "ids"}, idx);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_EQ(b->size(), 2u);
  EXPECT_EQ((*b)[0].shape(), (Shape{4, 1, 1}));
  EXPECT_EQ((*b)[1].shape(), (Shape{4, 3}));
  for (size_t n = 0; n < idx.size(); ++n) {
    EXPECT_EQ((*b)[0].data<float>()[n], float(idx[n]));
    for (int j = 0; j < 3; ++j) EXPECT_EQ((*b)[1].data<float>()[n * 3 + j], float(idx[n] + j));
  }
  auto all = d->LoadBatchInputs({"ids", "mask"}, All(*d));  // parallel decode of 12
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ((*all)[0].shape(), (Shape{12, 3}));
}

TEST_F(MultiInput, MissingArrayNamesFileAndInputs) {
  WriteBytes(dir_.File("s13.npz"), Sample(3, /*with_mask=*/false));
  auto d = Open();
  ASSERT_TRUE(d);
  auto b = d->LoadBatchInputs({"ids", "mask"}, All(*d));
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(b.status().message(), "'s13.npz' has no array 'mask'; the model's inputs are ids, mask");
}

TEST_F(MultiInput, ArrayThatIsNotAnInput) {
  auto d = Open();
  ASSERT_TRUE(d);
  auto b = d->LoadBatchInputs({"ids"}, {0, 1});
  ASSERT_FALSE(b.ok());
  EXPECT_TRUE(Contains(b.status(), "'s10.npz' has an array 'mask' that is not a model input")) << b.status().ToString();
  EXPECT_TRUE(Contains(b.status(), "the model's inputs are ids")) << b.status().ToString();
}

TEST_F(MultiInput, DifferentShapesForOneInput) {
  WriteBytes(dir_.File("s12.npz"), Sample(2, true, "(1, 3)"));
  auto d = Open();
  ASSERT_TRUE(d);
  auto b = d->LoadBatchInputs({"ids", "mask"}, {0, 2});
  ASSERT_FALSE(b.ok());
  EXPECT_TRUE(Contains(b.status(), "for input 'ids'")) << b.status().ToString();
  EXPECT_TRUE(Contains(b.status(), "'s12.npz' is [1,3]")) << b.status().ToString();
}

TEST_F(MultiInput, SingleTensorSampleForSeveralInputs) {
  WriteBytes(dir_.File("s99.npy"), NpyBytes("<f4", "(3,)", RawBytes<float>({1, 2, 3})));
  auto d = Open();
  ASSERT_TRUE(d);
  auto b = d->LoadBatchInputs({"ids", "mask"}, {0, d->size() - 1});
  ASSERT_FALSE(b.ok());
  EXPECT_TRUE(Contains(b.status(), "'s99.npy' holds one tensor but the model has 2 inputs (ids, mask)"))
      << b.status().ToString();
}

TEST_F(MultiInput, DecodeErrorsNameTheFile) {
  WriteBytes(dir_.File("s15.npz"), Sample(5).substr(0, 50));
  auto d = Open();
  ASSERT_TRUE(d);
  auto b = d->LoadBatchInputs({"ids", "mask"}, All(*d));
  ASSERT_FALSE(b.ok());
  EXPECT_TRUE(Contains(b.status(), "s15.npz")) << b.status().ToString();
  EXPECT_FALSE(d->LoadBatchInputs({}, {0}).ok());
  EXPECT_FALSE(d->LoadBatchInputs({"ids"}, {}).ok());
}

// Single-tensor data through a one-input model: the same bytes as LoadBatch, whatever the
// input is called, and one-array .npz files whatever the array is called (np.savez(f, x)
// names it "arr_0").
TEST(LoadBatchInputs, EqualsLoadBatchForSingleTensorSamples) {
  TempDir dir;
  for (int k = 0; k < 9; ++k) {
    WriteBytes(dir.File(std::string("i").append(std::to_string(k)) + ".png"),
               test::EncodePng8(test::RandomImage(6, 7, 3, 40 + k)));
  }
  DataOptions o;
  o.images_dir = dir.path();
  o.resize_h = 5;
  o.resize_w = 4;
  o.mean = {0.4f, 0.5f, 0.6f};
  auto ds = Dataset::Open(o);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  const std::vector<size_t> idx = {8, 1, 4, 4, 0, 7, 2, 3, 6, 5};
  auto plain = ds.value()->LoadBatch(idx);
  auto named = ds.value()->LoadBatchInputs({"input.1"}, idx);
  ASSERT_TRUE(plain.ok() && named.ok());
  ASSERT_EQ(named->size(), 1u);
  ASSERT_EQ((*named)[0].shape(), plain->shape());
  EXPECT_EQ(std::memcmp((*named)[0].raw_data(), plain->raw_data(), plain->nbytes()), 0);

  TempDir npz;
  for (int k = 0; k < 3; ++k) {
    WriteBytes(npz.File(std::to_string(k) + ".npz"),
               ZipBytes({{"x.npy", NpyBytes("<f4", "(2,)", RawBytes<float>({float(k), 1}))}}));
  }
  o = DataOptions();
  o.images_dir = npz.path();
  ds = Dataset::Open(o);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  plain = ds.value()->LoadBatch({2, 0, 1});
  named = ds.value()->LoadBatchInputs({"x"}, {2, 0, 1});
  ASSERT_TRUE(plain.ok() && named.ok()) << named.status().ToString();
  ASSERT_EQ((*named)[0].shape(), (Shape{3, 2}));
  EXPECT_EQ(std::memcmp((*named)[0].raw_data(), plain->raw_data(), plain->nbytes()), 0);
  auto other = ds.value()->LoadBatchInputs({"y"}, {2, 0, 1});  // the only array feeds the only input
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_EQ(std::memcmp((*other)[0].raw_data(), plain->raw_data(), plain->nbytes()), 0);
  EXPECT_FALSE(ds.value()->LoadBatchInputs({"x", "y"}, {0}).ok());  // two inputs: names must match
}

}  // namespace
}  // namespace litemp
