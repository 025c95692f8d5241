// Helpers for the sensitivity tests: a tiny hand-built model, calibrated simulations, and
// comparisons of sweep results.
#ifndef LITEMP_TESTS_ANALYSIS_SWEEP_HELPERS_H_
#define LITEMP_TESTS_ANALYSIS_SWEEP_HELPERS_H_

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "litemp/model.h"
#include "litemp/sensitivity.h"
#include "testutil/kernel_runner.h"

namespace litemp::test {

// x [N,4] (or [fixed_batch,4]) and a constant c [4]:
//   A: a = Mul(x, c)   B: b = Add(x, c)   C: y1 = Sub(a, b)   D: y2 = Sigmoid(b)   E: s = Shape(x)
// Outputs y1, y2 (float) and s (int64). A owns the input quantizers of x and c, which B and
// E read too without being downstream of A.
inline std::unique_ptr<Model> TinyModel(int64_t fixed_batch = 0) {
  onnx::ModelProto m;
  m.set_ir_version(8);
  auto* os = m.add_opset_import();
  os->set_domain("");
  os->set_version(13);
  auto* g = m.mutable_graph();
  g->set_name("tiny");
  auto typed = [](onnx::ValueInfoProto* vi, const std::string& name, int elem, std::vector<int64_t> dims, bool batch) {
    vi->set_name(name);
    auto* tt = vi->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(elem);
    auto* sh = tt->mutable_shape();
    for (size_t i = 0; i < dims.size(); ++i) {
      if (i == 0 && batch && dims[0] <= 0) {
        sh->add_dim()->set_dim_param("N");
      } else {
        sh->add_dim()->set_dim_value(dims[i]);
      }
    }
  };
  typed(g->add_input(), "x", 1, {fixed_batch, 4}, true);
  auto* c = g->add_initializer();
  TensorToProto(Tensor::FromVector<float>({0.3f, -1.2f, 2.5f, 0.7f}), c);
  c->set_name("c");
  auto node = [&](const std::string& op, const std::string& name, std::vector<std::string> ins, std::string out) {
    auto* n = g->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (auto& i : ins) n->add_input(i);
    n->add_output(out);
  };
  node("Mul", "A", {"x", "c"}, "a");
  node("Add", "B", {"x", "c"}, "b");
  node("Sub", "C", {"a", "b"}, "y1");
  node("Sigmoid", "D", {"b"}, "y2");
  node("Shape", "E", {"x"}, "s");
  typed(g->add_output(), "y1", 1, {fixed_batch, 4}, true);
  typed(g->add_output(), "y2", 1, {fixed_batch, 4}, true);
  typed(g->add_output(), "s", 7, {2}, false);
  std::string bytes;
  m.SerializeToString(&bytes);
  auto model = Model::FromBytes(bytes, "");
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  return model.ok() ? std::move(model).value() : nullptr;
}

inline std::unique_ptr<Model> LoadSharedModel(const std::string& name) {
  auto m = Model::Load(SharedDir() + "/models/" + name);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? std::move(m).value() : nullptr;
}

// A W8A8 simulation (default config) calibrated on `calib`. With enable_all, every
// quantizer (bias, constant inputs...) is switched on first.
inline std::unique_ptr<QuantSim> CalibratedSim(const Model& model, const Tensor& calib, bool enable_all = false) {
  auto sim = QuantSim::Create(model, QuantSimOptions{});
  EXPECT_TRUE(sim.ok()) << sim.status().ToString();
  if (!sim.ok()) return nullptr;
  QuantSim& s = *sim.value();
  if (enable_all)
    for (auto& q : s.quantizers()) q.enabled = true;
  std::unordered_map<int, Tensor> res;
  Status st = s.ComputeEncodings([&](const RunOptions& ro) { return RunBatch(s.executor(), s.input(), calib, ro, &res); });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return std::move(sim).value();
}

// Quiet sweep options.
inline SensitivityOptions Opts(bool naive, size_t budget = size_t{2} << 30, SensitivityStats* stats = nullptr) {
  SensitivityOptions o;
  o.naive = naive;
  o.quiet = true;
  o.memory_budget_bytes = budget;
  o.stats = stats;
  return o;
}

// The fast (or naive) sweep; an error fails the test and gives no layers.
inline std::vector<LayerSensitivity> Sweep(QuantSim& sim, const Batch& samples, const SensitivityOptions& o) {
  auto r = AnalyzePerLayerSensitivity(sim, samples, o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : std::vector<LayerSensitivity>{};
}

inline std::vector<LayerSensitivity> Sweep(QuantSim& sim, const Tensor& samples, const SensitivityOptions& o) {
  auto r = AnalyzePerLayerSensitivity(sim, samples, o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : std::vector<LayerSensitivity>{};
}

inline std::vector<bool> Flags(const QuantSim& sim) {
  std::vector<bool> f;
  for (const auto& q : sim.quantizers()) f.push_back(q.enabled);
  return f;
}

inline std::map<int, double> ByLayer(const std::vector<LayerSensitivity>& r) {
  std::map<int, double> m;
  for (const auto& l : r) m[l.layer] = l.psnr;
  return m;
}

// Same layers, each within `tol` dB.
inline void ExpectSameSweep(const std::vector<LayerSensitivity>& got, const std::vector<LayerSensitivity>& want,
                            double tol) {
  auto g = ByLayer(got), w = ByLayer(want);
  ASSERT_EQ(g.size(), got.size()) << "duplicate layers";
  ASSERT_EQ(g.size(), w.size());
  for (const auto& [layer, psnr] : w) {
    ASSERT_TRUE(g.count(layer)) << "layer " << layer << " missing";
    EXPECT_NEAR(g[layer], psnr, tol) << "layer " << layer;
  }
}

// Every quantized layer once, ascending by PSNR, ties in topological (node index) order.
inline void ExpectSortedStable(const std::vector<LayerSensitivity>& r, const QuantSim& sim) {
  std::vector<int> layers;
  for (const auto& l : r) layers.push_back(l.layer);
  std::vector<int> want = sim.QuantizedLayers();
  std::vector<int> sorted = layers;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, want);
  for (size_t i = 1; i < r.size(); ++i) {
    EXPECT_LE(r[i - 1].psnr, r[i].psnr) << "position " << i;
    if (r[i - 1].psnr == r[i].psnr) {
      EXPECT_LT(r[i - 1].layer, r[i].layer) << "tie at position " << i;
    }
  }
  for (const auto& l : r) {
    EXPECT_EQ(l.name, sim.graph().nodes[l.layer].name);
    EXPECT_EQ(l.op_type, sim.graph().nodes[l.layer].op_type);
  }
}

}  // namespace litemp::test

#endif  // LITEMP_TESTS_ANALYSIS_SWEEP_HELPERS_H_
