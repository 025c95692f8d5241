// Tests of the conformance tooling itself: the tensor comparison, the backend case runner
// (on synthetic case folders) and the ORT bridge.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>

#include "backend/backend_case.h"
#include "backend/tensor_compare.h"
#include "kernels/util.h"
#include "litemp/fileio.h"
#include "litemp/model.h"
#include "oracle/op_case.h"
#include "oracle/ort_runner.h"

namespace litemp::test {
namespace {

namespace fs = std::filesystem;

const Tolerance kOnnx{1e-7, 1e-3, 0};
const Tolerance kOracle{0, 1e-4, 1};

TEST(CompareTensors, EqualAndWithinNumpyTolerance) {
  EXPECT_EQ(CompareTensors(F32({1, 2, 3}), F32({1, 2, 3}), kOnnx), "");
  // atol + rtol * |want| = 1e-7 + 1.0 for want = 1000.
  EXPECT_EQ(CompareTensors(F32({1000.9f}), F32({1000}), kOnnx), "");
  std::string d = CompareTensors(F32({0, 1001.2f}), F32({0, 1000}), kOnnx);
  EXPECT_NE(d.find("at [1]: got 1001.2"), std::string::npos) << d;
  EXPECT_NE(d.find("1 of 2 elements differ"), std::string::npos) << d;
}

TEST(CompareTensors, OracleRuleIsAbsoluteBelowOneRelativeAbove) {
  EXPECT_EQ(CompareTensors(F32({0.5f + 9e-5f}), F32({0.5f}), kOracle), "");
  EXPECT_NE(CompareTensors(F32({0.5f + 1.2e-4f}), F32({0.5f}), kOracle), "");
  EXPECT_EQ(CompareTensors(F32({100.009f}), F32({100}), kOracle), "");
  EXPECT_NE(CompareTensors(F32({100.012f}), F32({100}), kOracle), "");
}

TEST(CompareTensors, NanMatchesNanOnly) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(CompareTensors(F32({nan, inf, -inf}), F32({nan, inf, -inf}), kOnnx), "");
  EXPECT_NE(CompareTensors(F32({nan}), F32({1}), kOnnx), "");
  EXPECT_NE(CompareTensors(F32({1}), F32({nan}), kOnnx), "");
  EXPECT_NE(CompareTensors(F32({inf}), F32({-inf}), kOnnx), "");
}

TEST(CompareTensors, ShapeAndDtypeMustMatch) {
  EXPECT_EQ(CompareTensors(F32({1, 2, 3, 4, 5, 6}, {2, 3}), F32({1, 2, 3, 4, 5, 6}, {3, 2}), kOnnx),
            "shape [2,3], expected [3,2]");
  EXPECT_EQ(CompareTensors(I64({1}), F32({1}), kOnnx), "dtype int64, expected float32");
  EXPECT_EQ(CompareTensors(Tensor(), F32({1}), kOnnx), "output was not produced");
}

TEST(CompareTensors, IntegersAndBoolsAreExact) {
  EXPECT_EQ(CompareTensors(I64({5, 6}), I64({5, 6}), kOnnx), "");
  std::string d = CompareTensors(I64({5, 1000001}), I64({5, 1000000}), kOnnx);
  EXPECT_NE(d.find("at [1]: got 1000001, expected 1000000"), std::string::npos) << d;
  Tensor a(DType::kBool, {2}), b(DType::kBool, {2});
  a.data<bool>()[0] = b.data<bool>()[0] = true;
  a.data<bool>()[1] = true;
  b.data<bool>()[1] = false;
  EXPECT_NE(CompareTensors(a, b, kOnnx).find("got true, expected false"), std::string::npos);
}

TEST(CompareTensors, MultiIndexAndLayouts) {
  Tensor want = Rand({2, 3, 4, 5});
  Tensor got = want.Clone();
  got.data<float>()[1 * 60 + 2 * 20 + 3 * 5 + 4] += 1;
  EXPECT_NE(CompareTensors(got, want, kOnnx).find("at [1,2,3,4]"), std::string::npos);
  EXPECT_EQ(CompareTensors(ToNhwc(want), want, kOnnx), "");  // compared in plain layout
}

TEST(CompareTensors, Float16ComparesValues) {
  Tensor a = CastTo(F32({1.f, 2.f}), DType::kFloat16);
  Tensor b = CastTo(F32({1.f, 2.5f}), DType::kFloat16);
  EXPECT_EQ(CompareTensors(a, a, kOnnx), "");
  EXPECT_NE(CompareTensors(a, b, kOnnx).find("expected 2.5"), std::string::npos);
}

TEST(BackendCase, OpsFromMessage) {
  EXPECT_EQ(OpsFromMessage("unsupported ops: Foo (node 'a'), com.x::Bar (node 'b')"),
            (std::vector<std::string>{"Foo", "com.x::Bar"}));
  EXPECT_EQ(OpsFromMessage("node '/conv' (Conv): group 3 does not divide 4"), std::vector<std::string>{"Conv"});
  EXPECT_EQ(OpsFromMessage("something else"), std::vector<std::string>{"<other>"});
}

TEST(BackendCase, OutcomeRoundTrips) {
  CaseOutcome o;
  o.kind = CaseOutcome::Kind::kSkip;
  o.skip_keys = {"Loop", "<sequence I/O>"};
  o.skip_reason = "create: two\nlines";
  CaseOutcome p = ParseOutcome(SerializeOutcome(o));
  EXPECT_EQ(p.kind, CaseOutcome::Kind::kSkip);
  EXPECT_EQ(p.skip_keys, o.skip_keys);
  EXPECT_EQ(p.skip_reason, "create: two lines");
  CaseOutcome f;
  f.kind = CaseOutcome::Kind::kFail;
  f.failures = {"a", "b"};
  EXPECT_EQ(ParseOutcome(SerializeOutcome(f)).failures, f.failures);
  EXPECT_EQ(ParseOutcome("").kind, CaseOutcome::Kind::kFail);
}

// A backend-format case folder for a one-node model, in a fresh temporary folder.
class CaseDir {
 public:
  CaseDir(const std::string& model_bytes, const Tensor& in, const Tensor& out) {
    std::string tmpl = (fs::temp_directory_path() / "litemp_case_XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
    EXPECT_TRUE(WriteFileAtomic(dir_ + "/model.onnx", model_bytes).ok());
    fs::create_directories(dir_ + "/test_data_set_0");
    WritePb("test_data_set_0/input_0.pb", "x0", in);
    WritePb("test_data_set_0/output_0.pb", "y0", out);
  }
  ~CaseDir() { fs::remove_all(dir_); }
  const std::string& dir() const { return dir_; }

 private:
  void WritePb(const std::string& rel, const std::string& name, const Tensor& t) {
    onnx::TensorProto p;
    TensorToProto(t, &p);
    p.set_name(name);
    EXPECT_TRUE(WriteFileAtomic(dir_ + "/" + rel, p.SerializeAsString()).ok());
  }
  std::string dir_;
};

std::string ReluModel() {
  auto m = BuildModel(CaseBuilder("Relu", "t", 13).In(F32({-1, 2, -3, 4}, {2, 2})));
  EXPECT_TRUE(m.ok());
  return m.value();
}

TEST(BackendCase, PassesOnMatchingOutput) {
  CaseDir c(ReluModel(), F32({-1, 2, -3, 4}, {2, 2}), F32({0, 2, 0, 4}, {2, 2}));
  CaseOutcome o = RunBackendCase(c.dir(), kOnnx);
  EXPECT_EQ(o.kind, CaseOutcome::Kind::kPass) << SerializeOutcome(o);
}

TEST(BackendCase, FailsOnWrongOutput) {
  CaseDir c(ReluModel(), F32({-1, 2, -3, 4}, {2, 2}), F32({0, 2, 0, 5}, {2, 2}));
  CaseOutcome o = RunBackendCase(c.dir(), kOnnx);
  ASSERT_EQ(o.kind, CaseOutcome::Kind::kFail);
  ASSERT_EQ(o.failures.size(), 1u);
  EXPECT_NE(o.failures[0].find("test_data_set_0: output 'y0': at [1,1]: got 4, expected 5"), std::string::npos)
      << o.failures[0];
}

TEST(BackendCase, UnknownOpIsSkippedUnderItsName) {
  auto m = BuildModel(CaseBuilder("NoSuchOp", "t", 13).In(F32({1})).OutTypes({DType::kFloat32}));
  ASSERT_TRUE(m.ok());
  CaseDir c(m.value(), F32({1}), F32({1}));
  CaseOutcome o = RunBackendCase(c.dir(), kOnnx);
  EXPECT_EQ(o.kind, CaseOutcome::Kind::kSkip);
  EXPECT_EQ(o.skip_keys, std::vector<std::string>{"NoSuchOp"});
}

TEST(BackendCase, SequenceInputIsSkipped) {
  onnx::ModelProto m;
  ASSERT_TRUE(m.ParseFromString(ReluModel()));
  auto* t = m.mutable_graph()->mutable_input(0)->mutable_type();
  t->clear_tensor_type();
  t->mutable_sequence_type()->mutable_elem_type()->mutable_tensor_type()->set_elem_type(1);
  CaseDir c(m.SerializeAsString(), F32({1}), F32({1}));
  CaseOutcome o = RunBackendCase(c.dir(), kOnnx);
  EXPECT_EQ(o.kind, CaseOutcome::Kind::kSkip);
  EXPECT_EQ(o.skip_keys, std::vector<std::string>{"<sequence I/O>"});
}

TEST(OrtRunner, TensorDirRoundTrips) {
  std::string dir = (fs::temp_directory_path() / ("litemp_tdir_" + std::to_string(getpid()))).string();
  NamedTensors in = {{"a", Rand({2, 3})}, {"b", RandInt({4}, -5, 5)}, {"c", RandBool({})},
                     {"d", CastTo(Rand({3}), DType::kFloat16)}};
  ASSERT_TRUE(WriteTensorDir(dir, in).ok());
  auto out = ReadTensorDir(dir);
  fs::remove_all(dir);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out.value().size(), in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(out.value()[i].first, in[i].first);
    EXPECT_EQ(CompareTensors(out.value()[i].second, in[i].second, Tolerance{0, 0, 0}), "") << in[i].first;
  }
}

TEST(OrtRunner, ReportsPerModelErrorsAndRuns) {
  if (!OrtUnavailableReason().empty()) GTEST_SKIP() << OrtUnavailableReason();
  OrtBatch batch;
  auto bad = batch.Add("not a model", {});
  auto good = batch.Add(ReluModel(), {{"x0", F32({-1, 2, -3, 4}, {2, 2})}});
  ASSERT_TRUE(bad.ok() && good.ok());
  ASSERT_TRUE(batch.Run().ok());
  EXPECT_FALSE(batch.Outputs(bad.value()).ok());
  auto out = batch.Outputs(good.value());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out.value().size(), 1u);
  EXPECT_EQ(out.value()[0].first, "y0");
  EXPECT_EQ(CompareTensors(out.value()[0].second, F32({0, 2, 0, 4}, {2, 2}), kOnnx), "");
}

}  // namespace
}  // namespace litemp::test
