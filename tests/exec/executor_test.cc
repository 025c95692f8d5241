// The executor's contract (include/litemp/executor.h): fetch any value, partial runs from a
// cache, value hooks, constants swapped at run time, up-front errors that name nodes.
#include "litemp/executor.h"

#include <gtest/gtest.h>

#include <cmath>

#include "litemp/runner.h"
#include "testutil/kernel_runner.h"
#include "testutil/model_builder.h"

namespace litemp {
namespace {

using test::IntsAttr;
using test::ModelBuilder;
using test::TensorsNear;

// x[N,3,6,6] -> conv (3x3, pads 1, 8 channels) -> c -> relu -> r -> add(r, c) -> a
//   -> GlobalAveragePool -> y [N,8,1,1]
struct Chain {
  std::unique_ptr<Model> model;
  std::unique_ptr<Executor> exec;
  int x, c, r, a, y;
  int conv, relu, add, w;
};

Chain MakeChain(int64_t batch_dim = -1) {
  Chain ch;
  auto built = ModelBuilder(13)
                   .Input("x", {batch_dim, 3, 6, 6})
                   .Output("y", {batch_dim, 8, 1, 1})
                   .Initializer("w", test::RandomTensor({8, 3, 3, 3}, 1))
                   .Initializer("b", test::RandomTensor({8}, 2))
                   .Node("Conv", "conv", {"x", "w", "b"}, {"c"}, {IntsAttr("pads", {1, 1, 1, 1})})
                   .Node("Relu", "relu", {"c"}, {"r"})
                   .Node("Add", "add", {"r", "c"}, {"a"})
                   .Node("GlobalAveragePool", "gap", {"a"}, {"y"})
                   .Build();
  EXPECT_TRUE(built.ok()) << built.status().ToString();
  if (!built.ok()) return ch;
  ch.model = std::move(built).value();
  const Graph& g = ch.model->graph();
  auto exec = Executor::Create(g);
  EXPECT_TRUE(exec.ok()) << exec.status().ToString();
  if (exec.ok()) ch.exec = std::move(exec).value();
  ch.x = g.FindValue("x");
  ch.c = g.FindValue("c");
  ch.r = g.FindValue("r");
  ch.a = g.FindValue("a");
  ch.y = g.FindValue("y");
  ch.w = g.FindValue("w");
  ch.conv = g.FindNode("conv");
  ch.relu = g.FindNode("relu");
  ch.add = g.FindNode("add");
  return ch;
}

std::unordered_map<int, Tensor> RunAll(Chain& ch, const Tensor& x, RunOptions o = {}) {
  o.fetch = {ch.c, ch.r, ch.a};
  std::unordered_map<int, Tensor> res;
  Status s = ch.exec->Run({{ch.x, x}}, o, &res);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return res;
}

Tensor Map(const Tensor& t, float (*f)(float)) {
  Tensor p = ToPlain(t);
  Tensor out(DType::kFloat32, p.shape());
  for (int64_t i = 0; i < p.numel(); ++i) out.data<float>()[i] = f(p.data<float>()[i]);
  return out;
}

Tensor Plus(const Tensor& a, const Tensor& b) {
  Tensor pa = ToPlain(a), pb = ToPlain(b);
  Tensor out(DType::kFloat32, pa.shape());
  for (int64_t i = 0; i < pa.numel(); ++i) out.data<float>()[i] = pa.data<float>()[i] + pb.data<float>()[i];
  return out;
}

TEST(Executor, FetchesIntermediatesInPlainLayout) {
  Chain ch = MakeChain();
  ASSERT_TRUE(ch.exec);
  auto res = RunAll(ch, test::RandomTensor({2, 3, 6, 6}, 3));
  ASSERT_TRUE(res.count(ch.c) && res.count(ch.r) && res.count(ch.a) && res.count(ch.y));
  for (int id : {ch.c, ch.r, ch.a, ch.y}) EXPECT_EQ(res[id].layout(), Layout::kPlain);
  EXPECT_EQ(res[ch.c].shape(), (Shape{2, 8, 6, 6}));
  EXPECT_TRUE(TensorsNear(res[ch.r], Map(res[ch.c], [](float v) { return std::max(v, 0.f); }), 0, 0));
  EXPECT_TRUE(TensorsNear(res[ch.a], Plus(res[ch.r], res[ch.c]), 0, 0));
}

TEST(Executor, PartialRunReadsTheCacheAndSkipsUpstream) {
  Chain ch = MakeChain();
  ASSERT_TRUE(ch.exec);
  const Tensor x = test::RandomTensor({2, 3, 6, 6}, 3);
  auto full = RunAll(ch, x);
  // Cache with c doubled: a run from relu must read it (conv must not run again), so every
  // downstream value doubles (relu and add are positively homogeneous).
  std::vector<Tensor> cache(ch.model->graph().values.size());
  cache[ch.c] = Map(full[ch.c], [](float v) { return 2 * v; });
  RunOptions o;
  o.start_nodes = {ch.relu};
  o.cache = &cache;
  std::unordered_map<int, Tensor> res;
  Status s = ch.exec->Run({}, o, &res);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(TensorsNear(res[ch.y], Map(full[ch.y], [](float v) { return 2 * v; }), 1e-6, 1e-6));
  // With the true cache, a partial run reproduces the full run exactly.
  cache[ch.c] = full[ch.c];
  res.clear();
  ASSERT_TRUE(ch.exec->Run({}, o, &res).ok());
  EXPECT_TRUE(TensorsNear(res[ch.y], full[ch.y], 0, 0));
}

TEST(Executor, HookSeesEveryValueAndConsumersSeeItsReplacement) {
  Chain ch = MakeChain();
  ASSERT_TRUE(ch.exec);
  const Tensor x = test::RandomTensor({1, 3, 6, 6}, 4);
  auto plain = RunAll(ch, x);
  std::vector<int> seen;
  RunOptions o;
  o.on_value = [&](int id, Tensor* t) {
    seen.push_back(id);
    if (id == ch.r) *t = Map(*t, [](float v) { return 3 * v; });  // consumers must see 3r
    return Status::OK();
  };
  auto res = RunAll(ch, x, o);
  for (int id : {ch.x, ch.c, ch.r, ch.a, ch.y})
    EXPECT_NE(std::find(seen.begin(), seen.end(), id), seen.end()) << "hook missed value " << id;
  EXPECT_TRUE(TensorsNear(res[ch.r], Map(plain[ch.r], [](float v) { return 3 * v; }), 1e-6, 1e-6));
  EXPECT_TRUE(TensorsNear(res[ch.a], Plus(res[ch.r], plain[ch.c]), 1e-6, 1e-6));
}

TEST(Executor, HookErrorStopsTheRunAndNamesTheNode) {
  Chain ch = MakeChain();
  ASSERT_TRUE(ch.exec);
  RunOptions o;
  o.on_value = [&](int id, Tensor*) {
    return id == ch.a ? Status::InvalidArgument("hook refused") : Status::OK();
  };
  std::unordered_map<int, Tensor> res;
  Status s = ch.exec->Run({{ch.x, test::RandomTensor({1, 3, 6, 6}, 4)}}, o, &res);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("hook refused"), std::string::npos) << s.ToString();
  EXPECT_NE(s.ToString().find("add"), std::string::npos) << s.ToString();
}

TEST(Executor, SetConstantChangesLaterRuns) {
  Chain ch = MakeChain();
  ASSERT_TRUE(ch.exec);
  const Tensor x = test::RandomTensor({1, 3, 6, 6}, 5);
  auto before = RunAll(ch, x);
  ASSERT_TRUE(ch.exec->SetConstant(ch.w, Tensor::Zeros(DType::kFloat32, {8, 3, 3, 3})).ok());
  auto after = RunAll(ch, x);
  // Zero weights: c is the bias broadcast over every position.
  const Tensor b = ToPlain(*ch.model->graph().Constant(ch.model->graph().FindValue("b")));
  const Tensor c = after[ch.c];
  for (int64_t k = 0; k < 8; ++k)
    for (int64_t i = 0; i < 36; ++i) ASSERT_EQ(c.data<float>()[k * 36 + i], b.data<float>()[k]);
  EXPECT_FALSE(TensorsNear(before[ch.c], after[ch.c]));
  EXPECT_FALSE(ch.exec->SetConstant(ch.w, Tensor::Zeros(DType::kFloat32, {8, 3})).ok());  // wrong shape
}

TEST(Executor, UnsupportedOpsAreListedUpFrontWithNodeNames) {
  auto m = ModelBuilder(13)
               .Input("x", {1, 4})
               .Output("z", {1, 4})
               .Node("Foo", "f1", {"x"}, {"y"})
               .Node("Bar", "b1", {"y"}, {"z"}, {}, "com.example")
               .Build();
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  auto exec = Executor::Create(m.value()->graph());
  ASSERT_FALSE(exec.ok());
  const std::string msg = exec.status().ToString();
  for (const char* want : {"Foo", "f1", "com.example::Bar", "b1"})
    EXPECT_NE(msg.find(want), std::string::npos) << want << " missing from: " << msg;
}

TEST(Executor, KernelErrorNamesTheNode) {
  auto m = ModelBuilder(13)
               .Input("x", {2, 6})
               .Output("y", {-1})
               .Initializer("shape", Tensor::FromVector<int64_t>({5, 5}))
               .Node("Reshape", "bad_reshape", {"x", "shape"}, {"y"})
               .Build();
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  auto exec = Executor::Create(m.value()->graph());
  ASSERT_TRUE(exec.ok()) << exec.status().ToString();
  std::unordered_map<int, Tensor> res;
  Status s = exec.value()->Run({{m.value()->graph().FindValue("x"), test::RandomTensor({2, 6}, 1)}}, RunOptions{}, &res);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("bad_reshape"), std::string::npos) << s.ToString();
}

TEST(RunBatch, FixedBatchModelRunsChunkByChunk) {
  Chain fixed = MakeChain(/*batch_dim=*/1);
  Chain dynamic = MakeChain();
  ASSERT_TRUE(fixed.exec && dynamic.exec);
  auto in = DescribeInput(fixed.model->graph());
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->fixed_batch, 1);
  const Tensor x = test::RandomTensor({3, 3, 6, 6}, 6);
  std::unordered_map<int, Tensor> got;
  ASSERT_TRUE(RunBatch(*fixed.exec, *in, x, RunOptions{}, &got).ok());
  auto want = RunAll(dynamic, x);
  ASSERT_EQ(got[fixed.y].shape(), (Shape{3, 8, 1, 1}));
  EXPECT_TRUE(TensorsNear(got[fixed.y], want[dynamic.y], 1e-6, 1e-5));
  // Data that does not fit the input is an error naming it.
  Status s = CheckInputShape(*in, {3, 3, 5, 5});
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("'x'"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace litemp
