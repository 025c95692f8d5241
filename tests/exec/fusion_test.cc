// Executor fusion of Relu/Clip/Add into the Conv that produces their input, and of Add/Mul
// into element-wise kernels: same results as unfused runs, and every fetched or observed
// value still appears.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "exec/fusion.h"
#include "kernels/dnnl/conv.h"
#include "kernels/dnnl/conv_avx512_as_avx2.h"
#include "litemp/kernel_set.h"
#include "litemp/executor.h"
#include "litemp/profile.h"
#include "quant/encoding.h"
#include "testutil/kernel_runner.h"

namespace litemp {
namespace {

// x -> Conv -> Relu -> s -> Conv -> Clip(0,6) -> t -> Conv -> p; Add(p, s) -> Relu -> y,
// the shape of a MobileNetV2/ResNet residual block. `b` is a second input for Add2.
class FusionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    x_ = g_.AddValue("x");
    b_ = g_.AddValue("b");
    g_.inputs = {x_, b_};
    int s = Op("Conv", {x_, Weight("w1", 8, 3, 3), Bias("b1")}, "c1", 1);
    s = Op("Relu", {s}, "s");
    int t = Op("Conv", {s, Weight("w2", 8, 8, 3), Bias("b2")}, "c2", 1);
    int lo = Const("lo", 0.f), hi = Const("hi", 6.f);
    t = Op("Clip", {t, lo, hi}, "t");
    int p = Op("Conv", {t, Weight("w3", 8, 8, 1), Bias("b3")}, "p", 0);
    int a = Op("Add", {p, s}, "a");
    y_ = Op("Relu", {a}, "y");
    int q = Op("Conv", {y_, Weight("w4", 8, 8, 1), Bias("b4")}, "q", 0);
    z_ = Op("Add", {q, b_}, "z");  // b is a graph input: its buffer must not be written
    ASSERT_NO_FATAL_FAILURE(Finish());
    feeds_ = {{x_, test::RandomTensor({2, 3, 9, 9}, 1)}, {b_, test::RandomTensor({2, 8, 9, 9}, 2)}};
  }

  // Makes z_ the output, finalizes g_ and builds exec_.
  void Finish() {
    g_.outputs = {z_};
    for (int v : g_.inputs) g_.values[v].is_graph_input = true;
    g_.values[z_].is_graph_output = true;
    ASSERT_TRUE(g_.Finalize().ok());
    auto e = Executor::Create(g_);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    exec_ = std::move(e).value();
  }

  int Op(const std::string& type, std::vector<int> ins, const std::string& out, int pad) {
    Node n;
    n.name = out + "_node";
    n.op_type = type;
    n.opset = 13;
    n.inputs = std::move(ins);
    n.outputs = {g_.AddValue(out)};
    if (type == "Conv") n.attrs.Set("pads", test::AInts({pad, pad, pad, pad}));
    g_.nodes.push_back(n);
    return n.outputs[0];
  }
  int Op(const std::string& type, std::vector<int> ins, const std::string& out) { return Op(type, ins, out, 0); }
  int Init(const std::string& name, Tensor t) {
    int id = g_.AddValue(name);
    g_.values[id].is_initializer = true;
    g_.initializers[id] = std::move(t);
    return id;
  }
  int Weight(const std::string& name, int m, int c, int k) {
    return Init(name, test::RandomTensor({m, c, k, k}, static_cast<uint32_t>(name.size() + m + k), -0.5f, 0.5f));
  }
  int Bias(const std::string& name) { return Init(name, test::RandomTensor({8}, 7, -0.2f, 0.2f)); }
  int Const(const std::string& name, float v) { return Init(name, Tensor::Scalar(v)); }

  // Every value a run computes (not initializers, not graph inputs).
  std::vector<int> ComputedValues() const {
    std::vector<int> all;
    for (int v = 0; v < static_cast<int>(g_.values.size()); ++v)
      if (!g_.values[v].is_initializer && !g_.values[v].is_graph_input) all.push_back(v);
    return all;
  }

  // A run whose hook observes every value: nothing is fused.
  std::unordered_map<int, Tensor> Unfused(std::vector<int> fetch = {}) {
    RunOptions o;
    o.fetch = std::move(fetch);
    o.on_value = [](int, Tensor*) { return Status::OK(); };
    std::unordered_map<int, Tensor> res;
    EXPECT_TRUE(exec_->Run(feeds_, o, &res).ok());
    return res;
  }

  // Starts a new graph (the fixture's is dropped): input x -> Conv 3x3 (8 channels, pad 1)
  // -> `name`, whose value id it returns; the caller adds the rest and calls Finish().
  int NewGraphFromConv(const std::string& name) {
    g_ = Graph();
    x_ = g_.AddValue("x");
    g_.inputs = {x_};
    feeds_.erase(b_);
    y_ = -1;
    return Op("Conv", {x_, Weight("w1", 8, 3, 3), Bias("b1")}, name, 1);
  }

  // Encodings of `ids` from their ranges in `ref`, a little narrower: some values saturate.
  static std::unordered_map<int, Encoding> Encodings(const std::unordered_map<int, Tensor>& ref,
                                                     const std::vector<int>& ids, int bits) {
    std::unordered_map<int, Encoding> enc;
    for (int v : ids) {
      const Tensor& t = ref.at(v);
      auto [lo, hi] = std::minmax_element(t.data<float>(), t.data<float>() + t.numel());
      QuantSpec spec;
      spec.bitwidth = bits;
      enc[v] = ComputeEncoding(*lo * 0.8f, *hi * 0.8f, spec);
    }
    return enc;
  }

  // A run that fake-quantizes the values in `enc` (fetching y_ if it is set), by the hook
  // or, with `in_kernel`, offered to the producing kernels as quantize steps; *hooked
  // collects the values the hook saw.
  std::unordered_map<int, Tensor> RunQuantized(const std::unordered_map<int, Encoding>& enc, bool in_kernel,
                                               std::set<int>* hooked) {
    RunOptions o;
    o.observes = [&](int id) { return enc.count(id) > 0; };
    o.on_value = [&](int id, Tensor* t) {
      hooked->insert(id);
      auto it = enc.find(id);
      if (it == enc.end()) return Status::OK();
      Tensor out(t->dtype(), t->shape(), t->layout());
      FakeQuantize(t->data<float>(), out.data<float>(), t->numel(), it->second);
      *t = out;
      return Status::OK();
    };
    if (in_kernel)
      o.quantize_step = [&](int id, float* scale, float* lo, float* hi) {
        auto it = enc.find(id);
        if (it == enc.end()) return false;
        *scale = it->second.scale;
        *lo = static_cast<float>(it->second.offset);
        *hi = static_cast<float>(it->second.offset + it->second.steps);
        return true;
      };
    if (y_ >= 0) o.fetch = {y_};
    std::unordered_map<int, Tensor> res;
    EXPECT_TRUE(exec_->Run(feeds_, o, &res).ok());
    return res;
  }

  Graph g_;
  int x_ = -1, b_ = -1, y_ = -1, z_ = -1;
  std::unique_ptr<Executor> exec_;
  std::unordered_map<int, Tensor> feeds_;
};

TEST_F(FusionTest, FusedRunMatchesUnfusedAndLeavesFeedsAlone) {
  Tensor b_copy = feeds_[b_].Clone();
  auto ref = Unfused({y_});
  std::unordered_map<int, Tensor> res;
  ASSERT_TRUE(exec_->Run(feeds_, RunOptions{}, &res).ok());
  EXPECT_TRUE(test::TensorsNear(res[z_], ref[z_], 0, 0));
  EXPECT_TRUE(test::TensorsNear(feeds_[b_], b_copy, 0, 0));
  float lo = 1e9f;
  for (int64_t i = 0; i < ref[y_].numel(); ++i) lo = std::min(lo, ref[y_].data<float>()[i]);
  EXPECT_EQ(lo, 0.f);
}

TEST_F(FusionTest, HookSeesObservedValuesOnly) {
  const int conv1 = g_.FindValue("c1"), clip = g_.FindValue("t"), add = g_.FindValue("a");
  auto ref = Unfused({y_, clip});
  std::set<int> seen;
  std::unordered_map<int, Tensor> got;
  RunOptions o;
  o.observes = [&](int id) { return id == clip || id == y_; };
  o.on_value = [&](int id, Tensor* t) {
    seen.insert(id);
    got[id] = ToPlain(*t);
    return Status::OK();
  };
  std::unordered_map<int, Tensor> res;
  ASSERT_TRUE(exec_->Run(feeds_, o, &res).ok());
  EXPECT_TRUE(seen.count(clip) && seen.count(y_));
  EXPECT_FALSE(seen.count(conv1)) << "Conv -> Relu was not fused";
  // oneDNN's AVX-512 NHWC 1x1 kernel takes no residual Add (its fused form is another
  // kernel, with other rounding), so under the native kernels on AVX-512 the Add runs on its own.
  if (!ConvPrefersNhwc()) EXPECT_FALSE(seen.count(add)) << "Conv -> Add -> Relu was not fused";
  EXPECT_TRUE(test::TensorsNear(got[clip], ref[clip], 0, 0));
  EXPECT_TRUE(test::TensorsNear(got[y_], ref[y_], 0, 0));
  EXPECT_TRUE(test::TensorsNear(res[z_], ref[z_], 0, 0));
}

TEST_F(FusionTest, FetchedIntermediatesAreMaterialised) {
  const int conv1 = g_.FindValue("c1"), p = g_.FindValue("p"), add = g_.FindValue("a");
  auto ref = Unfused({conv1, p, add});
  RunOptions o;
  o.fetch = {conv1, p, add};
  std::unordered_map<int, Tensor> res;
  ASSERT_TRUE(exec_->Run(feeds_, o, &res).ok());
  for (int id : {conv1, p, add, z_})
    EXPECT_TRUE(test::TensorsNear(res[id], ref[id], 0, 0)) << g_.values[id].name;
  // A Conv output before its Relu has negatives; the fused Relu must not have touched it.
  float lo = 0;
  for (int64_t i = 0; i < res[conv1].numel(); ++i) lo = std::min(lo, res[conv1].data<float>()[i]);
  EXPECT_LT(lo, 0.f);
}

TEST_F(FusionTest, FedClipBoundIsHonoured) {
  const int t = g_.FindValue("t");
  feeds_[g_.FindValue("hi")] = Tensor::Scalar(0.25f);
  auto ref = Unfused({t});
  RunOptions o;
  o.fetch = {t};
  std::unordered_map<int, Tensor> res;
  ASSERT_TRUE(exec_->Run(feeds_, o, &res).ok());
  EXPECT_TRUE(test::TensorsNear(res[t], ref[t], 0, 0));
  float hi = -1;
  for (int64_t i = 0; i < res[t].numel(); ++i) hi = std::max(hi, res[t].data<float>()[i]);
  EXPECT_EQ(hi, 0.25f);
}

TEST_F(FusionTest, PartialRunFromCacheMatches) {
  const int s = g_.FindValue("s"), t = g_.FindValue("t");
  const std::vector<int> all = ComputedValues();
  auto full = Unfused(all);
  std::vector<Tensor> cache(g_.values.size());
  cache[s] = full[s].Clone();
  cache[t] = full[t];
  cache[b_] = feeds_[b_];
  RunOptions o;
  o.start_nodes = {g_.values[t].consumers[0]};  // the Conv after the Clip
  o.cache = &cache;
  std::unordered_map<int, Tensor> res;
  ASSERT_TRUE(exec_->Run({}, o, &res).ok());
  EXPECT_TRUE(test::TensorsNear(res[z_], full[z_], 0, 0));
  EXPECT_TRUE(test::TensorsNear(cache[s], full[s], 0, 0)) << "the cached addend was written";
}

// Fake-quantization done by the producing kernel (RunOptions::quantize_step) equals the
// hook's, bit for bit, at 8 and 16 bits; the hook is then skipped for those values, and
// the Add and Relu after a quantized Conv output still fuse: Conv p runs quantize(p), Add,
// quantize(a), Relu, quantize(y), three grids in one kernel.
TEST_F(FusionTest, QuantizeStepInKernelMatchesHook) {
  const int s = g_.FindValue("s"), p = g_.FindValue("p"), a = g_.FindValue("a");
  const std::vector<int> all = ComputedValues();
  auto ref = Unfused(all);
  for (int bits : {8, 16}) {
    auto enc = Encodings(ref, {s, p, a, y_}, bits);
    std::set<int> by_hook, in_kernel;
    auto want = RunQuantized(enc, false, &by_hook);
    auto got = RunQuantized(enc, true, &in_kernel);
    for (int v : {y_, z_}) EXPECT_TRUE(test::TensorsNear(got[v], want[v], 0, 0)) << bits << " bits, " << g_.values[v].name;
    EXPECT_TRUE(by_hook.count(p) && by_hook.count(a));
    EXPECT_FALSE(in_kernel.count(s) || in_kernel.count(p)) << bits << " bits: not fused";
    if (!ConvPrefersNhwc())  // as above
      EXPECT_FALSE(in_kernel.count(a) || in_kernel.count(y_)) << bits << " bits: not fused";
    // The quantization is not a no-op: the output differs from the float run.
    EXPECT_FALSE(test::TensorsNear(got[z_], ref[z_], 1e-6f, 0));
  }
}

// oneDNN 2.6 gives every eltwise clip post-op the first one's bounds; a chain with two
// different clips must still compute both.
TEST_F(FusionTest, TwoClipsWithOtherBoundsStayCorrect) {
  const int s = NewGraphFromConv("s");
  int c = Op("Conv", {s, Weight("w2", 8, 8, 1), Bias("b2")}, "d", 0);
  c = Op("Clip", {c, Const("lo", 0.f), Const("hi", 6.f)}, "t");
  c = Op("Add", {c, s}, "a");  // a blocked addend, so the Add fuses too
  z_ = Op("Clip", {c, Const("lo2", -1.f), Const("hi2", 2.f)}, "z");
  ASSERT_NO_FATAL_FAILURE(Finish());
  auto ref = Unfused();
  std::unordered_map<int, Tensor> res;
  ASSERT_TRUE(exec_->Run(feeds_, RunOptions{}, &res).ok());
  EXPECT_TRUE(test::TensorsNear(res[z_], ref[z_], 0, 0));
  auto [lo, hi] = std::minmax_element(res[z_].data<float>(), res[z_].data<float>() + res[z_].numel());
  EXPECT_EQ(*lo, -1.f);
  EXPECT_EQ(*hi, 2.f);
}

// Element-wise kernels take the Adds and Muls after them (post_ops.h): SiLU (Sigmoid, Mul),
// GELU in its Erf form (Erf, Add 1, Mul x, Mul 0.5) and HardSwish as HardSigmoid and Mul
// each become one kernel, with the same bits as node by node, in FP32 and with fake
// quantization of every value by the kernels. A Mul by a per-channel constant broadcasts,
// so it stays a node.
TEST_F(FusionTest, ElementwiseChainsFuseWithTheSameBits) {
  const int c = NewGraphFromConv("c");
  const int sig = Op("Sigmoid", {c}, "sig");
  const int m = Op("Mul", {c, sig}, "m");
  const int e = Op("Erf", {m}, "e");
  const int e1 = Op("Add", {e, Const("one", 1.f)}, "e1");
  const int g0 = Op("Mul", {m, e1}, "g0");
  const int g = Op("Mul", {g0, Const("half", 0.5f)}, "g");
  const int h = Op("HardSigmoid", {g}, "h");
  const int hs = Op("Mul", {h, g}, "hs");
  const int t = Op("Sigmoid", {hs}, "t");
  z_ = Op("Mul", {t, Init("per_channel", test::RandomTensor({1, 8, 1, 1}, 9))}, "z");
  ASSERT_NO_FATAL_FAILURE(Finish());
  const std::vector<int> all = ComputedValues();
  auto ref = Unfused(all);

  std::set<int> seen;
  RunOptions o;
  o.observes = [&](int id) { return id == z_; };
  o.on_value = [&](int id, Tensor*) {
    seen.insert(id);
    return Status::OK();
  };
  std::unordered_map<int, Tensor> res;
  ASSERT_TRUE(exec_->Run(feeds_, o, &res).ok());
  EXPECT_TRUE(test::TensorsNear(res[z_], ref[z_], 0, 0));
  for (int v : {sig, e, e1, g0, h}) EXPECT_FALSE(seen.count(v)) << g_.values[v].name << " was not fused";
  EXPECT_TRUE(seen.count(t)) << "the broadcast Mul fused";

  for (int bits : {8, 16}) {
    auto enc = Encodings(ref, all, bits);
    std::set<int> by_hook, in_kernel;
    auto want = RunQuantized(enc, false, &by_hook);
    auto got = RunQuantized(enc, true, &in_kernel);
    EXPECT_TRUE(test::TensorsNear(got[z_], want[z_], 0, 0)) << bits << " bits";
    for (int v : {sig, m, e, e1, g0, g, h, hs})
      EXPECT_FALSE(in_kernel.count(v)) << bits << " bits: " << g_.values[v].name << " was not quantized in a kernel";
    EXPECT_TRUE(in_kernel.count(z_) && by_hook.count(m));
    EXPECT_FALSE(test::TensorsNear(got[z_], ref[z_], 1e-6f, 0));
  }
}

// An inverted residual block: Conv 1x1 (8 -> 24) -> Clip -> depthwise Conv 3x3 (stride 2)
// -> Clip -> Conv 1x1. Where the kernels have the one-pass stand-in (AVX-512, portable
// kernels), the depthwise Conv, its Clip and the last 1x1 Conv run inside the expand Conv,
// with the same bits as node by node, in FP32 and with every value fake-quantized by the
// kernels; a fetched expand output, or a hook that observes it, keeps the layers apart, and
// a fetched depthwise output keeps the last Conv apart.
TEST_F(FusionTest, ExpandDepthwiseFusesWithTheSameBits) {
  const int s = NewGraphFromConv("s");
  int e = Op("Conv", {s, Init("we", test::RandomTensor({24, 8, 1, 1}, 31, -0.5f, 0.5f)),
                      Init("be", test::RandomTensor({24}, 32, -0.2f, 0.2f))},
             "e", 0);
  const int e_node = static_cast<int>(g_.nodes.size()) - 1;
  const int expanded = Op("Clip", {e, Const("lo", 0.f), Const("hi", 6.f)}, "expanded");
  int d = Op("Conv", {expanded, Init("wd", test::RandomTensor({24, 1, 3, 3}, 33)),
                      Init("bd", test::RandomTensor({24}, 34, -0.2f, 0.2f))},
             "d", 1);
  g_.nodes.back().attrs.Set("group", test::AInt(24));
  g_.nodes.back().attrs.Set("strides", test::AInts({2, 2}));
  const int dw_node = static_cast<int>(g_.nodes.size()) - 1;
  d = Op("Clip", {d, Const("lo2", 0.f), Const("hi2", 6.f)}, "dc");
  z_ = Op("Conv", {d, Weight("wp", 8, 24, 1), Bias("bp")}, "z", 0);
  const int pw_node = static_cast<int>(g_.nodes.size()) - 1;
  ASSERT_NO_FATAL_FAILURE(Finish());
  feeds_[x_] = test::RandomTensor({1, 3, 17, 15}, 35);
  const std::vector<int> all = ComputedValues();
  auto ref = Unfused(all);
  const bool one_pass = Avx512AsAvx2Available() && !KernelsUseAvx512();

  std::vector<NodeTime> times(g_.nodes.size());
  RunOptions o;
  o.profile = &times;
  std::unordered_map<int, Tensor> res;
  ASSERT_TRUE(exec_->Run(feeds_, o, &res).ok());
  EXPECT_TRUE(test::TensorsNear(res[z_], ref[z_], 0, 0));
  EXPECT_EQ(times[dw_node].fused, one_pass ? 1 : 0);
  EXPECT_EQ(times[pw_node].fused, one_pass ? 1 : 0);
  EXPECT_EQ(times[dw_node].host, one_pass ? e_node : -1);
  EXPECT_EQ(times[pw_node].host, one_pass ? e_node : -1);
  // The profile's row of the expand Conv names the nodes that ran inside it.
  const ProfileSummary summary = SummarizeProfile(g_, times, 1, static_cast<int>(g_.nodes.size()));
  std::vector<int> inside;
  for (const NodeTimeRow& r : summary.nodes)
    if (r.index == e_node) inside = r.fused;
  std::sort(inside.begin(), inside.end());
  // Its Clip always; in one pass also the depthwise Conv, its Clip and the last Conv.
  const std::vector<int> want = one_pass ? std::vector<int>{e_node + 1, dw_node, dw_node + 1, pw_node}
                                         : std::vector<int>{e_node + 1};
  EXPECT_EQ(inside, want);
  // Fetched, the depthwise output is materialised and the last Conv runs as a node.
  times.assign(g_.nodes.size(), NodeTime{});
  o.fetch = {d};
  ASSERT_TRUE(exec_->Run(feeds_, o, &res).ok());
  EXPECT_TRUE(test::TensorsNear(res[z_], ref[z_], 0, 0));
  EXPECT_TRUE(test::TensorsNear(res[d], ref[d], 0, 0));
  EXPECT_EQ(times[dw_node].fused, one_pass ? 1 : 0);
  EXPECT_EQ(times[pw_node].fused, 0);
  // Fetched, the expand output is materialised and the depthwise Conv runs as a node.
  times.assign(g_.nodes.size(), NodeTime{});
  o.fetch = {expanded};
  ASSERT_TRUE(exec_->Run(feeds_, o, &res).ok());
  EXPECT_TRUE(test::TensorsNear(res[z_], ref[z_], 0, 0));
  EXPECT_TRUE(test::TensorsNear(res[expanded], ref[expanded], 0, 0));
  EXPECT_EQ(times[dw_node].fused, 0);

  // New depthwise and 1x1 weights reach the fused run (the expand Conv's kernel keeps them
  // packed).
  o.fetch = {};
  ASSERT_TRUE(exec_->SetConstant(g_.FindValue("wd"), test::RandomTensor({24, 1, 3, 3}, 36)).ok());
  auto ref2 = Unfused(all);
  ASSERT_TRUE(exec_->Run(feeds_, o, &res).ok());
  EXPECT_TRUE(test::TensorsNear(res[z_], ref2[z_], 0, 0));
  EXPECT_FALSE(test::TensorsNear(ref2[z_], ref[z_], 1e-3f, 0));
  for (const char* name : {"wp", "bp"}) {
    const Shape shape = g_.initializers.at(g_.FindValue(name)).shape();
    ASSERT_TRUE(exec_->SetConstant(g_.FindValue(name), test::RandomTensor(shape, 37)).ok());
    ref = ref2;
    ref2 = Unfused(all);
    ASSERT_TRUE(exec_->Run(feeds_, o, &res).ok());
    EXPECT_TRUE(test::TensorsNear(res[z_], ref2[z_], 0, 0)) << name;
    EXPECT_FALSE(test::TensorsNear(ref2[z_], ref[z_], 1e-3f, 0)) << name;
  }

  for (int bits : {8, 16}) {
    auto enc = Encodings(ref2, all, bits);
    std::set<int> by_hook, in_kernel;
    auto want = RunQuantized(enc, false, &by_hook);
    auto got = RunQuantized(enc, true, &in_kernel);
    EXPECT_TRUE(test::TensorsNear(got[z_], want[z_], 0, 0)) << bits << " bits";
    EXPECT_TRUE(by_hook.count(expanded) && by_hook.count(d));
    EXPECT_FALSE(in_kernel.count(expanded) || in_kernel.count(d)) << bits << " bits: quantized by the hook";
    EXPECT_FALSE(test::TensorsNear(got[z_], ref2[z_], 1e-6f, 0));
  }
}

// SiLU (x * Sigmoid(x)) after a Conv runs inside it where the kernels have the stand-ins,
// also before a depthwise Conv (Conv 1x1 -> SiLU -> depthwise -> SiLU, EfficientNet's
// block), with the same bits as node by node; elsewhere the Sigmoid takes the Mul as
// before. A hook that observes the Sigmoid's output keeps it a node.
TEST_F(FusionTest, SiLUFusesIntoConvWithTheSameBits) {
  const int s = NewGraphFromConv("s");
  const int e = Op("Conv", {s, Init("we", test::RandomTensor({24, 8, 1, 1}, 41, -0.5f, 0.5f)),
                            Init("be", test::RandomTensor({24}, 42, -0.2f, 0.2f))},
                   "e", 0);
  const int sig = Op("Sigmoid", {e}, "sig");
  const int silu = Op("Mul", {sig, e}, "silu");  // the Sigmoid's output first: either order
  int d = Op("Conv", {silu, Init("wd", test::RandomTensor({24, 1, 5, 5}, 43)),
                      Init("bd", test::RandomTensor({24}, 44, -0.2f, 0.2f))},
             "d", 2);
  g_.nodes.back().attrs.Set("group", test::AInt(24));
  const int dw_node = static_cast<int>(g_.nodes.size()) - 1;
  const int sig2 = Op("Sigmoid", {d}, "sig2");
  z_ = Op("Mul", {d, sig2}, "z");
  ASSERT_NO_FATAL_FAILURE(Finish());
  feeds_[x_] = test::RandomTensor({1, 3, 19, 14}, 45);
  auto ref = Unfused();
  const bool stand_in = Avx512AsAvx2Available() && !KernelsUseAvx512();

  std::vector<NodeTime> times(g_.nodes.size());
  RunOptions o;
  o.profile = &times;
  std::unordered_map<int, Tensor> res;
  ASSERT_TRUE(exec_->Run(feeds_, o, &res).ok());
  EXPECT_TRUE(test::TensorsNear(res[z_], ref[z_], 0, 0));
  const int sig_node = g_.values[sig].producer, mul_node = g_.values[silu].producer;
  const int sig2_node = g_.values[sig2].producer, mul2_node = g_.values[z_].producer;
  EXPECT_EQ(times[mul_node].fused, 1);
  EXPECT_EQ(times[sig_node].fused, stand_in ? 1 : 0);
  EXPECT_EQ(times[dw_node].fused, stand_in ? 1 : 0);
  EXPECT_EQ(times[sig2_node].fused + times[mul2_node].fused, stand_in ? 2 : 1);

  // New depthwise weights and bias reach the fused run (the Conv before the SiLU keeps
  // them packed).
  ASSERT_TRUE(exec_->SetConstant(g_.FindValue("wd"), test::RandomTensor({24, 1, 5, 5}, 46)).ok());
  ASSERT_TRUE(exec_->SetConstant(g_.FindValue("bd"), test::RandomTensor({24}, 47)).ok());
  auto ref2 = Unfused();
  ASSERT_TRUE(exec_->Run(feeds_, o, &res).ok());
  EXPECT_TRUE(test::TensorsNear(res[z_], ref2[z_], 0, 0));
  EXPECT_FALSE(test::TensorsNear(ref2[z_], ref[z_], 1e-3f, 0));
  ref = ref2;

  // Observed, the Sigmoid's output is made by its node.
  std::set<int> seen;
  o.observes = [&](int id) { return id == sig; };
  o.on_value = [&](int id, Tensor*) {
    seen.insert(id);
    return Status::OK();
  };
  times.assign(g_.nodes.size(), NodeTime{});
  ASSERT_TRUE(exec_->Run(feeds_, o, &res).ok());
  EXPECT_TRUE(test::TensorsNear(res[z_], ref[z_], 0, 0));
  EXPECT_TRUE(seen.count(sig));
  EXPECT_EQ(times[sig_node].fused, 0);
}

// FusibleChain takes a 1x1 Conv (PostOp::kPointwiseConv, constant weights) only right after
// a depthwise Conv and that one's clips, fake-quantizations and SiLUs; one of each per
// chain; and not where the 1x1 output goes into another depthwise Conv.
TEST_F(FusionTest, ChainTakesAOneByOneConvOnlyAfterADepthwiseOne) {
  ChainRules rules;
  rules.runs = [](int) { return true; };
  rules.materialise = [](int) { return false; };
  rules.observed = [](int) { return false; };
  auto kinds = [&](int producer) {
    std::vector<PostOp::Kind> r;
    for (const FusibleStep& f : FusibleChain(g_, producer, rules)) r.push_back(f.op.kind);
    return r;
  };
  auto depthwise = [&](int in, const std::string& out) {
    const int v = Op("Conv", {in, Init(out + "_w", test::RandomTensor({8, 1, 3, 3}, 1))}, out, 1);
    g_.nodes.back().attrs.Set("group", test::AInt(8));
    return v;
  };
  using K = PostOp::Kind;
  // Conv -> Relu -> depthwise -> Clip -> 1x1 -> Relu -> 1x1: the second 1x1 is not taken.
  int v = NewGraphFromConv("e");
  v = depthwise(Op("Relu", {v}, "r"), "d");
  v = Op("Clip", {v, Const("lo", 0.f), Const("hi", 6.f)}, "dc");
  v = Op("Relu", {Op("Conv", {v, Weight("p1", 8, 8, 1)}, "p1_out", 0)}, "pr");
  z_ = Op("Conv", {v, Weight("p2", 8, 8, 1)}, "z", 0);
  ASSERT_NO_FATAL_FAILURE(Finish());
  EXPECT_EQ(kinds(0), (std::vector<K>{K::kClip, K::kDepthwiseConv, K::kClip, K::kPointwiseConv, K::kClip}));
  // An Add between the depthwise Conv and the 1x1 one ends the chain there.
  v = depthwise(NewGraphFromConv("e"), "d");
  v = Op("Add", {v, x_}, "a");
  z_ = Op("Conv", {v, Weight("p1", 8, 8, 1)}, "z", 0);
  ASSERT_NO_FATAL_FAILURE(Finish());
  EXPECT_EQ(kinds(0), (std::vector<K>{K::kDepthwiseConv, K::kAdd}));
  // No depthwise Conv before it, or a 3x3 one: not taken.
  z_ = Op("Conv", {NewGraphFromConv("e"), Weight("p1", 8, 8, 1)}, "z", 0);
  ASSERT_NO_FATAL_FAILURE(Finish());
  EXPECT_TRUE(kinds(0).empty());
  z_ = Op("Conv", {depthwise(NewGraphFromConv("e"), "d"), Weight("p1", 8, 8, 3)}, "z", 1);
  ASSERT_NO_FATAL_FAILURE(Finish());
  EXPECT_EQ(kinds(0), (std::vector<K>{K::kDepthwiseConv}));
  // Weights that are not constant: not taken.
  v = depthwise(NewGraphFromConv("e"), "d");
  const int w = g_.AddValue("w_fed");
  g_.inputs.push_back(w);
  z_ = Op("Conv", {v, w}, "z", 0);
  ASSERT_NO_FATAL_FAILURE(Finish());
  EXPECT_EQ(kinds(0), (std::vector<K>{K::kDepthwiseConv}));
  // A SiLU between them.
  v = depthwise(NewGraphFromConv("e"), "d");
  v = Op("Mul", {v, Op("Sigmoid", {v}, "sig")}, "silu");
  z_ = Op("Conv", {v, Weight("p1", 8, 8, 1)}, "z", 0);
  ASSERT_NO_FATAL_FAILURE(Finish());
  EXPECT_EQ(kinds(0), (std::vector<K>{K::kDepthwiseConv, K::kSiLU, K::kPointwiseConv}));
  // MobileNetV1's alternating layers: a 1x1 Conv whose output goes into the next depthwise
  // one starts that one's pass rather than ending this one's.
  v = depthwise(NewGraphFromConv("e"), "d");
  v = Op("Relu", {Op("Conv", {v, Weight("p1", 8, 8, 1)}, "p1_out", 0)}, "pr");
  v = depthwise(v, "d2");
  z_ = Op("Conv", {v, Weight("p2", 8, 8, 1)}, "z", 0);
  ASSERT_NO_FATAL_FAILURE(Finish());
  EXPECT_EQ(kinds(0), (std::vector<K>{K::kDepthwiseConv}));
  EXPECT_EQ(kinds(g_.values[g_.FindValue("p1_out")].producer),
            (std::vector<K>{K::kClip, K::kDepthwiseConv, K::kPointwiseConv}));
}

// RunOptions::profile: every node that ran has one run and a time a run, a node fused into
// its producer one fusion instead, and SummarizeProfile counts it as fused under its op type.
TEST_F(FusionTest, ProfileChargesFusedNodesToTheirProducer) {
  const int c = NewGraphFromConv("c");
  const int sig = Op("Sigmoid", {c}, "sig");
  z_ = Op("Mul", {sig, Const("half", 0.5f)}, "z");  // not a SiLU: the Sigmoid takes it
  ASSERT_NO_FATAL_FAILURE(Finish());
  std::vector<NodeTime> times(g_.nodes.size());
  RunOptions o;
  o.profile = &times;
  std::unordered_map<int, Tensor> res;
  for (int run = 0; run < 3; ++run) ASSERT_TRUE(exec_->Run(feeds_, o, &res).ok());
  const int conv = g_.values[c].producer, sigmoid = g_.values[sig].producer, mul = g_.values[z_].producer;
  EXPECT_EQ(times[conv].runs, 3);
  EXPECT_EQ(times[sigmoid].runs, 3);
  EXPECT_EQ(times[mul].runs, 0) << "the Mul ran on its own";
  EXPECT_EQ(times[mul].fused, 3);
  EXPECT_EQ(times[conv].fused + times[sigmoid].fused, 0);
  EXPECT_GT(times[conv].ms, 0);
  EXPECT_EQ(times[mul].ms, 0);
  ProfileSummary p = SummarizeProfile(g_, times, 3, 1);
  ASSERT_EQ(p.ops.size(), 3u);
  EXPECT_NEAR(p.ms, (times[conv].ms + times[sigmoid].ms) / 3, 1e-9);
  double share = 0;
  for (const OpTime& t : p.ops) {
    EXPECT_EQ(t.nodes, 1);
    EXPECT_EQ(t.fused, t.op == "Mul" ? 1 : 0) << t.op;
    share += t.share;
  }
  EXPECT_NEAR(share, 1.0, 1e-9);
  ASSERT_EQ(p.nodes.size(), 1u);  // top 1
  EXPECT_EQ(p.nodes[0].ms, p.ops[0].ms);
  EXPECT_NE(FormatProfile(p).find("Sigmoid"), std::string::npos);
  times.pop_back();
  EXPECT_FALSE(exec_->Run(feeds_, o, &res).ok()) << "a profile of the wrong size";
}

}  // namespace
}  // namespace litemp
