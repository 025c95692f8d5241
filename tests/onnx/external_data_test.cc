// External data (src/onnx/external_data.h): large initializers view a private mapping of
// their file instead of a copy, with the values a copied load gives; misaligned data is
// copied; bad locations and ranges fail as they always did; writes never reach the file;
// SaveModel writes the data inline.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "litemp/executor.h"
#include "litemp/fileio.h"
#include "litemp/model.h"
#include "testutil/kernel_runner.h"
#include "testutil/model_builder.h"
#include "testutil/proc_maps.h"

namespace litemp {
namespace {

namespace fs = std::filesystem;
using test::ModelBuilder;
using test::RandomTensor;

constexpr int64_t kN = 256;  // w is [kN, kN] float: 256 KiB, mapped; b is [kN]: 1 KiB, inline

using test::MappingOf;
using test::MapsEntry;

class ExternalDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("litemp_extdata_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string dir() const { return dir_.string(); }
  std::string data_path() const { return fs::canonical(dir_ / "weights.bin").string(); }

  // x [1,kN] -> MatMul(w) -> Add(b) -> y. With `external`, w is at `w_offset` of
  // weights.bin and b right after it; otherwise both are inline.
  ModelBuilder MatMulModel(bool external, int64_t w_offset = 0) const {
    ModelBuilder b;
    b.Input("x", {1, kN}).Output("y", {1, kN});
    const Tensor w = RandomTensor({kN, kN}, 7), bias = RandomTensor({kN}, 8);
    if (external) {
      b.ExternalInitializer("w", w, dir(), "weights.bin", w_offset);
      b.ExternalInitializer("b", bias, dir(), "weights.bin", w_offset + static_cast<int64_t>(w.nbytes()));
    } else {
      b.Initializer("w", w).Initializer("b", bias);
    }
    b.Node("MatMul", "mm", {"x", "w"}, {"h"}).Node("Add", "add", {"h", "b"}, {"y"});
    return b;
  }

  // Writes `b` as model.onnx in the folder and loads it from there.
  Result<std::unique_ptr<Model>> WriteAndLoad(const ModelBuilder& b) const {
    Status s = WriteFileAtomic(dir() + "/model.onnx", b.Bytes());
    if (!s.ok()) return s;
    return Model::Load(dir() + "/model.onnx");
  }

  static const Tensor& Init(const Model& m, const std::string& name) {
    return *m.graph().Constant(m.graph().FindValue(name));
  }

  static Tensor Run(const Model& m) {
    auto exec = Executor::Create(m.graph());
    EXPECT_TRUE(exec.ok()) << exec.status().ToString();
    std::vector<Tensor> out;
    Status s = exec.value()->Run({{"x", RandomTensor({1, kN}, 9)}}, &out);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out.empty() ? Tensor() : out[0];
  }

  static bool SameBytes(const Tensor& a, const Tensor& b) {
    return a.dtype() == b.dtype() && a.shape() == b.shape() && std::memcmp(a.raw_data(), b.raw_data(), a.nbytes()) == 0;
  }

  fs::path dir_;
};

TEST_F(ExternalDataTest, LargeDataIsMappedAndMatchesACopiedLoad) {
  // An offset that is not page-aligned: the view starts inside the mapped page.
  auto mapped = WriteAndLoad(MatMulModel(true, 3 * 4096 + 64));
  ASSERT_TRUE(mapped.ok()) << mapped.status().ToString();
  auto copied = MatMulModel(false).Build();
  ASSERT_TRUE(copied.ok()) << copied.status().ToString();
  const Model& m = *mapped.value();
  EXPECT_EQ(m.external_data_dir(), dir());

  const Tensor& w = Init(m, "w");
  EXPECT_TRUE(SameBytes(w, Init(*copied.value(), "w")));
  EXPECT_TRUE(SameBytes(Init(m, "b"), Init(*copied.value(), "b")));
  // w lives in a private, copy-on-write mapping of the data file, at its offset.
  const MapsEntry e = MappingOf(w.raw_data());
  EXPECT_EQ(e.path, data_path());
  EXPECT_EQ(e.perms, "rw-p");
  EXPECT_FALSE(w.unique());  // shared: litemp never writes to it in place
  // b (under kMapExternalDataBytes) was read into the proto, as shape inference needs.
  EXPECT_NE(MappingOf(Init(m, "b").raw_data()).path, data_path());
  const auto& inits = m.proto().graph().initializer();
  ASSERT_EQ(inits.size(), 2);
  EXPECT_EQ(inits[0].data_location(), onnx::TensorProto::EXTERNAL);  // w: still refers to the file
  EXPECT_FALSE(inits[0].has_raw_data());
  EXPECT_EQ(inits[1].data_location(), onnx::TensorProto::DEFAULT);
  EXPECT_EQ(inits[1].raw_data().size(), kN * sizeof(float));
  // Kernels read the mapped weight as they read a copy.
  EXPECT_TRUE(SameBytes(Run(m), Run(*copied.value())));
}

TEST_F(ExternalDataTest, OneMappingPerFileSharedAcrossModels) {
  ModelBuilder b;
  const Tensor w1 = RandomTensor({kN, kN}, 1), w2 = RandomTensor({kN, kN}, 2);
  b.Input("x", {1, kN}).Output("y", {1, kN});
  b.ExternalInitializer("w1", w1, dir(), "weights.bin", 0);
  b.ExternalInitializer("w2", w2, dir(), "weights.bin", static_cast<int64_t>(w1.nbytes()) + 128);
  b.Node("MatMul", "mm1", {"x", "w1"}, {"h"}).Node("MatMul", "mm2", {"h", "w2"}, {"y"});
  auto first = WriteAndLoad(b);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = Model::Load(dir() + "/model.onnx");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  const Tensor& a1 = Init(*first.value(), "w1");
  const Tensor& a2 = Init(*first.value(), "w2");
  EXPECT_TRUE(SameBytes(a1, w1));
  EXPECT_TRUE(SameBytes(a2, w2));
  EXPECT_EQ(MappingOf(a1.raw_data()).start, MappingOf(a2.raw_data()).start);
  EXPECT_EQ(static_cast<const char*>(a2.raw_data()) - static_cast<const char*>(a1.raw_data()),
            static_cast<std::ptrdiff_t>(w1.nbytes()) + 128);
  EXPECT_EQ(Init(*second.value(), "w1").raw_data(), a1.raw_data());  // the same mapping
}

TEST_F(ExternalDataTest, MisalignedDataIsCopied) {
  // Floats at an offset that is not a multiple of 4 cannot be read in place.
  auto loaded = WriteAndLoad(MatMulModel(true, 4096 + 2));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  auto copied = MatMulModel(false).Build();
  ASSERT_TRUE(copied.ok()) << copied.status().ToString();
  const Tensor& w = Init(*loaded.value(), "w");
  EXPECT_TRUE(SameBytes(w, Init(*copied.value(), "w")));
  EXPECT_NE(MappingOf(w.raw_data()).path, data_path());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(w.raw_data()) % 64, 0u);  // litemp's own buffer
  EXPECT_TRUE(SameBytes(Run(*loaded.value()), Run(*copied.value())));
}

TEST_F(ExternalDataTest, BadLocationsAndRangesFailNamingTheInitializer) {
  auto expect_error = [&](const ModelBuilder& b, const std::string& want) {
    auto r = WriteAndLoad(b);
    ASSERT_FALSE(r.ok()) << "expected an error containing '" << want << "'";
    EXPECT_NE(r.status().ToString().find(want), std::string::npos) << r.status().ToString();
    EXPECT_NE(r.status().ToString().find("'w'"), std::string::npos) << r.status().ToString();
  };
  ModelBuilder b = MatMulModel(true, 4096);
  // A truncated data file: w's range runs past its end.
  fs::resize_file(dir() + "/weights.bin", 4096 + kN * kN * 2);
  expect_error(b, "external data range exceeds");
  // A length that is not the tensor's size.
  b = MatMulModel(true, 4096);
  auto* w = b.proto().mutable_graph()->mutable_initializer(0);
  w->mutable_external_data(2)->set_value(std::to_string(kN * kN * 4 - 4));
  expect_error(b, "holds 262140 bytes, expected 262144 for shape [256,256]");
  // A missing file, a location escaping the folder.
  w->mutable_external_data(2)->set_value(std::to_string(kN * kN * 4));
  w->mutable_external_data(0)->set_value("missing.bin");
  expect_error(b, "cannot open external data");
  w->mutable_external_data(0)->set_value("../weights.bin");
  expect_error(b, "invalid external data location");
}

TEST_F(ExternalDataTest, WritesToAMappedTensorNeverReachTheFile) {
  auto before = ReadFile(dir() + "/weights.bin");
  {
    auto loaded = WriteAndLoad(MatMulModel(true, 0));
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    before = ReadFile(dir() + "/weights.bin");
    ASSERT_TRUE(before.ok());
    Tensor w = Init(*loaded.value(), "w");
    ASSERT_EQ(MappingOf(w.raw_data()).path, data_path());
    w.data<float>()[0] = 12345.f;  // what a careless in-place pass would do
    EXPECT_EQ(Init(*loaded.value(), "w").data<float>()[0], 12345.f);
    auto after = ReadFile(dir() + "/weights.bin");
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after.value(), before.value());
  }
  // With the last tensor gone the mapping is too: a new load sees the file's values.
  auto reloaded = Model::Load(dir() + "/model.onnx");
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  float first;
  std::memcpy(&first, before.value().data(), sizeof(first));
  EXPECT_EQ(Init(*reloaded.value(), "w").data<float>()[0], first);
}

TEST_F(ExternalDataTest, SaveModelWritesTheDataInline) {
  auto loaded = WriteAndLoad(MatMulModel(true, 64));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const Model& m = *loaded.value();
  fs::create_directories(dir_ / "elsewhere");
  const std::string out = (dir_ / "elsewhere" / "saved.onnx").string();
  Status s = SaveModel(m.proto(), out, m.external_data_dir());
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(m.proto().graph().initializer(0).data_location(), onnx::TensorProto::EXTERNAL);  // unchanged
  onnx::ModelProto saved;
  auto bytes = ReadFile(out);
  ASSERT_TRUE(bytes.ok() && saved.ParseFromString(bytes.value()));
  for (const auto& t : saved.graph().initializer()) EXPECT_NE(t.data_location(), onnx::TensorProto::EXTERNAL);
  auto reloaded = Model::Load(out);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  EXPECT_TRUE(SameBytes(Init(*reloaded.value(), "w"), Init(m, "w")));
  // Without the data file the save fails naming the initializer, and writes nothing.
  fs::remove(dir() + "/weights.bin");
  s = SaveModel(m.proto(), out + ".2", m.external_data_dir());
  EXPECT_NE(s.ToString().find("'w'"), std::string::npos) << s.ToString();
  EXPECT_FALSE(fs::exists(out + ".2"));
}

}  // namespace
}  // namespace litemp
