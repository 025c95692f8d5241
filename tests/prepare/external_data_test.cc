// Preparation of a model whose weights are external data: passes read them (BatchNorm folding
// through FloatInitializer), weights no pass rewrites stay memory-mapped in the prepared
// model (no copy), rewritten ones become inline data, and the result computes the same.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "litemp/executor.h"
#include "litemp/fileio.h"
#include "litemp/prepare.h"
#include "prepare_helpers.h"
#include "testutil/proc_maps.h"

namespace litemp {
namespace {

namespace fs = std::filesystem;
using test::ModelBuilder;
using test::RandomTensor;

// Whether `p` lies in a mapping of the file `path`.
bool InMappingOf(const void* p, const std::string& path) { return test::MappingOf(p).path == path; }

TEST(PrepareExternalData, FoldsExternalWeightsAndKeepsTheOthersMapped) {
  const fs::path dir = fs::temp_directory_path() / ("litemp_prep_ext_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  // x [N,64,6,6] -> Conv (w: 144 KiB, external) -> BatchNormalization -> GlobalAveragePool
  // -> Flatten -> MatMul (w2: 128 KiB, external) -> y [N,512].
  ModelBuilder b;
  b.Input("x", {-1, 64, 6, 6}).Output("y", {-1, 512});
  b.ExternalInitializer("w", RandomTensor({64, 64, 3, 3}, 1, -0.1f, 0.1f), dir.string(), "weights.bin", 0);
  b.ExternalInitializer("w2", RandomTensor({64, 512}, 2), dir.string(), "weights.bin", 64 * 64 * 9 * 4);
  b.Node("Conv", "conv", {"x", "w"}, {"c"}, {test::IntsAttr("pads", {1, 1, 1, 1})});
  test::AddBatchNorm(b, "bn", "c", "n", 64, 3);
  b.Node("GlobalAveragePool", "gap", {"n"}, {"p"}).Node("Flatten", "flat", {"p"}, {"f"});
  b.Node("MatMul", "mm", {"f", "w2"}, {"y"});
  const std::string path = (dir / "model.onnx").string();
  ASSERT_TRUE(WriteFileAtomic(path, b.Bytes()).ok());

  PrepareReport report;
  auto prepared = LoadPreparedModel(path, PrepareOptions{}, &report);
  ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
  EXPECT_EQ(report.folded_bn, 1);
  const Model& m = *prepared.value();
  const Graph& g = m.graph();
  const std::string data = fs::canonical(dir / "weights.bin").string();
  // w2 is untouched: still a view of the file, still a reference in the proto.
  EXPECT_TRUE(InMappingOf(g.Constant(g.FindValue("w2"))->raw_data(), data));
  for (const auto& t : m.proto().graph().initializer()) {
    if (t.name() == "w2") EXPECT_EQ(t.data_location(), onnx::TensorProto::EXTERNAL);
    if (t.name() == "w") EXPECT_EQ(t.data_location(), onnx::TensorProto::DEFAULT);  // folded: new data
  }
  EXPECT_FALSE(InMappingOf(g.Constant(g.FindValue("w"))->raw_data(), data));

  auto original = Model::Load(path);
  ASSERT_TRUE(original.ok()) << original.status().ToString();
  const std::map<std::string, Tensor> feeds{{"x", RandomTensor({2, 64, 6, 6}, 4)}};
  std::vector<Tensor> want, got;
  auto e1 = Executor::Create(original.value()->graph());
  auto e2 = Executor::Create(g);
  ASSERT_TRUE(e1.ok() && e2.ok());
  ASSERT_TRUE(e1.value()->Run(feeds, &want).ok());
  ASSERT_TRUE(e2.value()->Run(feeds, &got).ok());
  EXPECT_TRUE(test::TensorsNear(got[0], want[0], 1e-4, 1e-4));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace litemp
