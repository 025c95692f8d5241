// PrepareModelProto and LoadPreparedModel (src/prepare/prepare.cc): all passes together,
// node names, loading from a file, errors, and the shared ResNet-8 (unfolded BN).
#include "litemp/prepare.h"

#include <onnx/onnx_pb.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "prepare/prepare_helpers.h"

namespace litemp::test {
namespace {

namespace fs = std::filesystem;

TEST(Prepare, MixedModel) {
  ModelBuilder b = MixedModel();
  auto p = Prepare(b);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(OpTypes(p->proto), (std::vector<std::string>{"Conv", "Relu", "Reshape", "Gemm", "Gemm"}));
  const PrepareReport& r = p->report;
  EXPECT_EQ(r.folded_bn, 3);
  EXPECT_EQ(r.folded_constants, 3);
  EXPECT_EQ(r.dropped, 3);
  EXPECT_EQ(r.nodes_before, 14);
  EXPECT_EQ(r.nodes_after, 5);
  EXPECT_EQ(r.actions, (std::vector<std::string>{
                           "folded 3 constant nodes into initializers (Concat 1, Gather 1, Shape 1)",
                           "dropped Identity 'id1'",
                           "dropped Dropout 'drop'",
                           "dropped Identity 'id_out'",
                           "folded BatchNormalization 'bn1' into Conv 'conv1'",
                           "folded BatchNormalization 'bn2' into MatMul 'mm' (now a Gemm)",
                           "folded BatchNormalization 'bn3' into Gemm 'fc'",
                           "removed 14 unused initializers",
                       }));
  EXPECT_TRUE(r.notes.empty());
  EXPECT_EQ(p->proto.graph().node(4).output(0), "y");
  // No value_info is left for names that are gone (the folded nodes write b1 and b2 now).
  for (const auto& vi : p->proto.graph().value_info())
    for (const char* gone : {"c1", "i1", "m", "d", "g", "b3", "s", "n"}) EXPECT_NE(vi.name(), gone);
  EXPECT_TRUE(SameOutputs(b.proto(), p->proto, {{"x", RandomTensor({2, 3, 8, 8}, 40)}}));
}

TEST(Prepare, NamelessNodesGetTheLoadersNames) {
  auto p = Prepare(MatMulBn("", "", 4, 3));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->proto.graph().node_size(), 1);
  EXPECT_EQ(p->proto.graph().node(0).name(), "/MatMul");
  EXPECT_EQ(p->report.actions[0], "folded BatchNormalization '/BatchNormalization' into MatMul '/MatMul' (now a Gemm)");
}

TEST(Prepare, AllOptionsOffChangesNothingButUnusedInitializers) {
  ModelBuilder b = MixedModel();
  b.Initializer("orphan", RandomTensor({3}, 1));
  PrepareOptions o;
  o.fold_bn = o.fold_constants = o.drop_identity = false;
  auto p = Prepare(b, o);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(OpTypes(p->proto), OpTypes(b.proto()));
  EXPECT_EQ(p->report.actions, std::vector<std::string>{"removed 1 unused initializer"});
}

class PrepareFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("litemp_prepare_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& bytes) {
    std::ofstream((dir_ / name).string(), std::ios::binary) << bytes;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

// The weight lives in an external-data file beside the model; the prepared model holds it.
TEST_F(PrepareFile, LoadsExternalDataAndPrepares) {
  ModelBuilder b = MixedModel();
  auto* g = b.proto().mutable_graph();
  for (auto& init : *g->mutable_initializer()) {
    if (init.name() != "conv1.w") continue;
    Write("conv1.w.bin", init.raw_data());
    init.clear_raw_data();
    init.set_data_location(onnx::TensorProto::EXTERNAL);
    auto* kv = init.add_external_data();
    kv->set_key("location");
    kv->set_value("conv1.w.bin");
  }
  PrepareReport r;
  auto m = LoadPreparedModel(Write("m.onnx", b.Bytes()), {}, &r);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(r.folded_bn, 3);
  EXPECT_EQ(m.value()->graph().nodes.size(), 5u);
  auto want = RunLitemp(MixedModel().proto(), {{"x", RandomTensor({2, 3, 8, 8}, 41)}});
  auto got = RunLitemp(m.value()->proto(), {{"x", RandomTensor({2, 3, 8, 8}, 41)}});
  ASSERT_TRUE(want.ok() && got.ok());
  EXPECT_TRUE(TensorsNear(got.value()[0], want.value()[0], 1e-4, 1e-4));
}

TEST_F(PrepareFile, ErrorsNameTheFile) {
  const std::string missing = (dir_ / "missing.onnx").string();
  auto m = LoadPreparedModel(missing, {}, nullptr);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find(missing), std::string::npos) << m.status().message();
  const std::string junk = Write("junk.onnx", "this is not a protobuf");
  m = LoadPreparedModel(junk, {}, nullptr);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find(junk), std::string::npos) << m.status().message();
  EXPECT_NE(m.status().message().find("not an ONNX model"), std::string::npos) << m.status().message();
  PrepareOptions o;
  o.shapes.push_back({"nope", {1}});
  m = LoadPreparedModel(Write("m.onnx", MixedModel().Bytes()), o, nullptr);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("m.onnx"), std::string::npos) << m.status().message();
  EXPECT_NE(m.status().message().find("no input 'nope'"), std::string::npos) << m.status().message();
}

// The shared ResNet-8 keeps its BatchNormalization layers unfolded: all 7 fold into Convs.
TEST(PrepareShared, ResNet8FoldsEveryBatchNorm) {
  LITEMP_REQUIRE_SHARED();
  const std::string path = SharedDir() + "/models/resnet8_cifar10.onnx";
  PrepareReport r;
  auto prepared = LoadPreparedModel(path, {}, &r);
  ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
  auto original = Model::Load(path);
  ASSERT_TRUE(original.ok()) << original.status().ToString();
  EXPECT_EQ(r.folded_bn, 7);
  EXPECT_EQ(CountOp(prepared.value()->proto(), "BatchNormalization"), 0);
  EXPECT_EQ(r.nodes_after, r.nodes_before - 7);
  EXPECT_TRUE(SameOutputs(original.value()->proto(), prepared.value()->proto(),
                          {{"input_1", RandomTensor({2, 3, 32, 32}, 42, 0.f, 255.f)}}));
}

}  // namespace
}  // namespace litemp::test
