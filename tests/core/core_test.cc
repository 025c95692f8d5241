// Core: tensors (layouts, views, copies), atomic file writes, Status context.
#include <gtest/gtest.h>
#include <malloc.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "litemp/fileio.h"
#include "litemp/runner.h"
#include "litemp/tensor.h"
#include "core/progress.h"
#include "testutil/kernel_runner.h"

namespace litemp {
namespace {

namespace fs = std::filesystem;

TEST(Tensor, NhwcRoundTripMovesChannelsLast) {
  const Tensor t = test::RandomTensor({2, 3, 4, 5}, 1);
  const Tensor n = ToNhwc(t);
  EXPECT_EQ(n.layout(), Layout::kNhwc);
  EXPECT_EQ(n.shape(), t.shape());  // the logical shape stays NCHW
  // Element (b, c, h, w) sits at ((b*H + h)*W + w)*C + c.
  const int64_t C = 3, H = 4, W = 5;
  for (int64_t b = 0; b < 2; ++b)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t w = 0; w < W; ++w)
          ASSERT_EQ(n.data<float>()[((b * H + h) * W + w) * C + c], t.data<float>()[((b * C + c) * H + h) * W + w]);
  const Tensor back = ToPlain(n);
  EXPECT_EQ(back.layout(), Layout::kPlain);
  EXPECT_TRUE(test::TensorsNear(back, t, 0, 0));
  EXPECT_EQ(ToPlain(t).raw_data(), t.raw_data());  // already plain: no copy
}

TEST(Tensor, CopiesShareViewsReshapeClonesDoNot) {
  Tensor t = Tensor::FromVector<float>({1, 2, 3, 4, 5, 6});
  EXPECT_TRUE(t.unique());
  Tensor shared = t;
  EXPECT_FALSE(t.unique());
  Tensor view = t.Reshaped({2, 3});
  EXPECT_EQ(view.raw_data(), t.raw_data());
  Tensor copy = t.Clone();
  copy.data<float>()[0] = 42;
  EXPECT_EQ(t.data<float>()[0], 1.f);
  view.data<float>()[5] = 7;
  EXPECT_EQ(t.data<float>()[5], 7.f);
  EXPECT_EQ(Tensor::Zeros(DType::kInt32, {3}).data<int32_t>()[2], 0);
}

// After RetainFreedMemory a large tensor comes from the heap (not a fresh mmap) and its
// memory stays there once freed, for the next run to reuse without page faults.
TEST(Tensor, RetainedMemoryStaysInTheHeap) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer's allocator replaces glibc's heap";
#endif
  RetainFreedMemory();
  constexpr size_t kBytes = size_t{64} << 20;  // over glibc's largest mmap threshold
  const size_t mapped = mallinfo2().hblkhd;
  {
    Tensor t(DType::kFloat32, {static_cast<int64_t>(kBytes / 4)});
    std::memset(t.raw_data(), 1, kBytes);
    EXPECT_EQ(mallinfo2().hblkhd, mapped);  // not mmap()ed
  }
  EXPECT_GE(mallinfo2().fordblks, kBytes);  // freed into the heap, not trimmed away
}

TEST(Batch, SliceAndConcatAreInverse) {
  const Tensor t = test::RandomTensor({5, 2, 3}, 2);
  const Tensor a = SliceBatch(t, 0, 2), b = SliceBatch(t, 2, 5);
  EXPECT_EQ(a.shape(), (Shape{2, 2, 3}));
  EXPECT_EQ(b.shape(), (Shape{3, 2, 3}));
  auto joined = ConcatBatch({a, b});
  ASSERT_TRUE(joined.ok());
  EXPECT_TRUE(test::TensorsNear(joined.value(), t, 0, 0));
  EXPECT_FALSE(ConcatBatch({a, test::RandomTensor({1, 3, 2}, 3)}).ok());  // trailing shapes differ
}

TEST(FileIo, AtomicWriteReplacesAndLeavesNoTemp) {
  const fs::path dir = fs::temp_directory_path() / ("litemp_io_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "out.txt").string();
  ASSERT_TRUE(WriteFileAtomic(path, "first").ok());
  ASSERT_TRUE(WriteFileAtomic(path, "second").ok());
  auto read = ReadFile(path);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.value(), "second");
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 1);  // no temp file left behind
  // Unwritable places fail with the path named and leave the old file.
  Status s = WriteFileAtomic((dir / "missing" / "x.txt").string(), "x");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("missing"), std::string::npos) << s.ToString();
  EXPECT_FALSE(ReadFile((dir / "absent.txt").string()).ok());
  fs::remove_all(dir);
}

TEST(Status, ContextIsPrepended) {
  Status s = Status::InvalidArgument("bad shape").WithContext("node 'conv1' (Conv)");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("node 'conv1' (Conv)"), std::string::npos);
  EXPECT_NE(s.ToString().find("bad shape"), std::string::npos);
  EXPECT_TRUE(Status::OK().WithContext("x").ok());
}


TEST(Tensor, WrappedBuffersAreNeverWrittenInPlace) {
  std::vector<float> bytes = {1, 2, 3, 4};
  auto owner = std::make_shared<int>(0);
  Tensor t = Tensor::Wrap(DType::kFloat32, {2, 2}, bytes.data(), owner);
  EXPECT_EQ(t.data<float>(), bytes.data());
  EXPECT_FALSE(t.unique());  // the bytes belong to the caller
  EXPECT_EQ(owner.use_count(), 2);
  Tensor c = t.Clone();
  EXPECT_TRUE(c.unique());
  EXPECT_EQ(c.data<float>()[3], 4.f);
  t = Tensor();
  EXPECT_EQ(owner.use_count(), 1);
}

TEST(Progress, ScopedSinkReceivesEveryUpdateOnItsThread) {
  std::vector<std::pair<int64_t, int64_t>> seen;
  {
    ScopedProgressSink sink([&](const std::string& label, int64_t done, int64_t total) {
      EXPECT_EQ(label, "step");
      seen.emplace_back(done, total);
    });
    Progress p("step", 3, /*quiet=*/true);
    p.Advance();
    p.Advance(2);
    p.Finish();  // already complete: not reported twice
  }
  EXPECT_EQ(seen, (std::vector<std::pair<int64_t, int64_t>>{{1, 3}, {3, 3}}));
  Progress after("other", 1, /*quiet=*/true);  // no sink once the scope ended
  after.Advance();
  EXPECT_EQ(seen.size(), 2u);
}

}  // namespace
}  // namespace litemp
