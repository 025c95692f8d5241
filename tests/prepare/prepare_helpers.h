// Helpers for the model-preparation tests: generated layers (BatchNormalization with seeded
// parameters), preparing a built model, running a proto through litemp's executor, and
// comparing the original with the prepared model on seeded inputs.
#ifndef LITEMP_TESTS_PREPARE_PREPARE_HELPERS_H_
#define LITEMP_TESTS_PREPARE_PREPARE_HELPERS_H_

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <map>
#include <string>
#include <vector>

#include "litemp/executor.h"
#include "litemp/prepare.h"
#include "testutil/kernel_runner.h"
#include "testutil/model_builder.h"

namespace litemp::test {

inline onnx::AttributeProto FloatAttrProto(const std::string& name, float v) {
  onnx::AttributeProto a;
  a.set_name(name);
  a.set_type(onnx::AttributeProto::FLOAT);
  a.set_f(v);
  return a;
}

// Adds BatchNormalization `name` (x -> y) over `channels` with seeded parameters:
// scale and B in [-1.5, 1.5), mean in [-1, 1), var in [0.2, 2), epsilon 1e-3.
inline void AddBatchNorm(ModelBuilder& b, const std::string& name, const std::string& x, const std::string& y,
                         int64_t channels, uint32_t seed) {
  b.Initializer(name + ".scale", RandomTensor({channels}, seed, -1.5f, 1.5f))
      .Initializer(name + ".B", RandomTensor({channels}, seed + 1, -1.5f, 1.5f))
      .Initializer(name + ".mean", RandomTensor({channels}, seed + 2, -1.f, 1.f))
      .Initializer(name + ".var", RandomTensor({channels}, seed + 3, 0.2f, 2.f));
  b.Node("BatchNormalization", name, {x, name + ".scale", name + ".B", name + ".mean", name + ".var"}, {y},
         {FloatAttrProto("epsilon", 1e-3f)});
}

// x [2,cin,6,6] -> Conv 'conv' (group, optional bias) -> BatchNormalization 'bn' -> y.
inline ModelBuilder ConvBn(int64_t cin, int64_t cout, int64_t group, bool bias) {
  ModelBuilder b;
  b.Input("x", {-1, cin, 6, 6}).Output("y", {-1, cout, 6, 6});
  b.Initializer("w", RandomTensor({cout, cin / group, 3, 3}, 1));
  std::vector<std::string> in = {"x", "w"};
  if (bias) {
    b.Initializer("b", RandomTensor({cout}, 2));
    in.push_back("b");
  }
  b.Node("Conv", "conv", in, {"c"}, {IntsAttr("pads", {1, 1, 1, 1}), IntAttr("group", group)});
  AddBatchNorm(b, "bn", "c", "y", cout, 3);
  return b;
}

// x [2,4,5,5] -> ConvTranspose 'deconv' (W [4, 3, 3, 3], group 2: 6 output channels,
// stride 2) -> BatchNormalization -> y.
inline ModelBuilder ConvTransposeBn(bool bias) {
  ModelBuilder b;
  b.Input("x", {-1, 4, 5, 5}).Output("y", {-1, 6, 11, 11});
  b.Initializer("w", RandomTensor({4, 3, 3, 3}, 4));
  std::vector<std::string> in = {"x", "w"};
  if (bias) {
    b.Initializer("b", RandomTensor({6}, 5));
    in.push_back("b");
  }
  b.Node("ConvTranspose", "deconv", in, {"c"}, {IntAttr("group", 2), IntsAttr("strides", {2, 2})});
  AddBatchNorm(b, "bn", "c", "y", 6, 6);
  return b;
}

// x [3,5] -> Gemm 'fc' (alpha 0.5, beta 2, B [5,4] or [4,5], C of shape `c_shape` or
// none) -> BatchNormalization -> y [3,4].
inline ModelBuilder GemmBn(bool trans_b, const Shape* c_shape) {
  ModelBuilder b;
  b.Input("x", {3, 5}).Output("y", {3, 4});
  b.Initializer("w", RandomTensor(trans_b ? Shape{4, 5} : Shape{5, 4}, 7));
  std::vector<std::string> in = {"x", "w"};
  if (c_shape) {
    b.Initializer("c", RandomTensor(*c_shape, 8));
    in.push_back("c");
  }
  b.Node("Gemm", "fc", in, {"g"},
         {IntAttr("transB", trans_b), FloatAttrProto("alpha", 0.5f), FloatAttrProto("beta", 2.f)});
  AddBatchNorm(b, "bn", "g", "y", 4, 9);
  return b;
}

// x [N,k] -> MatMul `mm` (W [k,n]) -> BatchNormalization `bn` -> y [N,n].
inline ModelBuilder MatMulBn(const std::string& mm, const std::string& bn, int64_t k, int64_t n) {
  ModelBuilder b;
  b.Input("x", {-1, k}).Output("y", {-1, n});
  b.Initializer("w", RandomTensor({k, n}, 10));
  b.Node("MatMul", mm, {"x", "w"}, {"m"});
  AddBatchNorm(b, bn, "m", "y", n, 12);
  return b;
}

// Every transformation in one model, x [2,3,8,8] -> y [2,10]:
//   Conv 'conv1' -> BatchNormalization 'bn1' -> Identity 'id1' -> Relu 'relu1' (r1)
//   Shape(r1) -> Gather [0] -> Concat with [-1] -> Reshape 'flatten' (r1 to [2,512])
//   MatMul 'mm' -> BatchNormalization 'bn2' -> Dropout 'drop'
//   Gemm 'fc' (transB) -> BatchNormalization 'bn3' -> Identity 'id_out' -> y
// Prepared: Conv, Relu, Reshape, Gemm, Gemm.
inline ModelBuilder MixedModel() {
  ModelBuilder b;
  b.Input("x", {2, 3, 8, 8}).Output("y", {2, 10});
  b.Initializer("conv1.w", RandomTensor({8, 3, 3, 3}, 31)).Initializer("conv1.b", RandomTensor({8}, 32));
  onnx::AttributeProto pads;
  pads.set_name("pads");
  pads.set_type(onnx::AttributeProto::INTS);
  for (int i = 0; i < 4; ++i) pads.add_ints(1);
  b.Node("Conv", "conv1", {"x", "conv1.w", "conv1.b"}, {"c1"}, {pads});
  AddBatchNorm(b, "bn1", "c1", "b1", 8, 33);
  b.Node("Identity", "id1", {"b1"}, {"i1"});
  b.Node("Relu", "relu1", {"i1"}, {"r1"});
  b.Initializer("first", Tensor::FromVector<int64_t>({0})).Initializer("rest", Tensor::FromVector<int64_t>({-1}));
  b.Node("Shape", "shape", {"r1"}, {"s"});
  b.Node("Gather", "gather", {"s", "first"}, {"n"});
  b.Node("Concat", "concat", {"n", "rest"}, {"target"}, {IntAttr("axis", 0)});
  b.Node("Reshape", "flatten", {"r1", "target"}, {"f"});
  b.Initializer("mm.w", RandomTensor({512, 16}, 34, -0.1f, 0.1f));
  b.Node("MatMul", "mm", {"f", "mm.w"}, {"m"});
  AddBatchNorm(b, "bn2", "m", "b2", 16, 35);
  b.Node("Dropout", "drop", {"b2"}, {"d"});
  b.Initializer("fc.w", RandomTensor({10, 16}, 36)).Initializer("fc.b", RandomTensor({10}, 37));
  b.Node("Gemm", "fc", {"d", "fc.w", "fc.b"}, {"g"}, {IntAttr("transB", 1)});
  AddBatchNorm(b, "bn3", "g", "b3", 10, 38);
  b.Node("Identity", "id_out", {"b3"}, {"y"});
  return b;
}

struct Prepared {
  onnx::ModelProto proto;
  PrepareReport report;
};

// Prepares the model `b` builds.
inline Result<Prepared> Prepare(const ModelBuilder& b, const PrepareOptions& options = {}) {
  Prepared p;
  p.proto = b.proto();
  LITEMP_RETURN_IF_ERROR(PrepareModelProto(&p.proto, ".", options, &p.report));
  return p;
}

inline std::vector<std::string> OpTypes(const onnx::ModelProto& m) {
  std::vector<std::string> ops;
  for (const auto& n : m.graph().node()) ops.push_back(n.op_type());
  return ops;
}

inline int CountOp(const onnx::ModelProto& m, const std::string& op) {
  int n = 0;
  for (const auto& node : m.graph().node()) n += node.op_type() == op;
  return n;
}

// Runs `m` through litemp's executor; outputs in model order.
inline Result<std::vector<Tensor>> RunLitemp(const onnx::ModelProto& m, const std::map<std::string, Tensor>& feeds) {
  std::string bytes;
  m.SerializeToString(&bytes);
  LITEMP_ASSIGN_OR_RETURN(auto model, Model::FromBytes(bytes, "."));
  LITEMP_ASSIGN_OR_RETURN(auto exec, Executor::Create(model->graph()));
  std::vector<Tensor> outs;
  LITEMP_RETURN_IF_ERROR(exec->Run(feeds, &outs));
  return outs;
}

// Whether the original and the prepared model give the same outputs on `feeds`
// (|prepared - original| <= 1e-4 * max(1, |original|)) under the same output names.
inline ::testing::AssertionResult SameOutputs(const onnx::ModelProto& original, const onnx::ModelProto& prepared,
                                              const std::map<std::string, Tensor>& feeds) {
  auto want = RunLitemp(original, feeds);
  if (!want.ok()) return ::testing::AssertionFailure() << "original: " << want.status().ToString();
  auto got = RunLitemp(prepared, feeds);
  if (!got.ok()) return ::testing::AssertionFailure() << "prepared: " << got.status().ToString();
  if (original.graph().output_size() != prepared.graph().output_size())
    return ::testing::AssertionFailure() << "output count changed";
  for (int i = 0; i < original.graph().output_size(); ++i) {
    if (original.graph().output(i).name() != prepared.graph().output(i).name())
      return ::testing::AssertionFailure() << "output " << i << " renamed to " << prepared.graph().output(i).name();
    auto near = TensorsNear(got.value()[i], want.value()[i], 1e-4, 1e-4);
    if (!near) return near << " (output '" << original.graph().output(i).name() << "')";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace litemp::test

#endif  // LITEMP_TESTS_PREPARE_PREPARE_HELPERS_H_
