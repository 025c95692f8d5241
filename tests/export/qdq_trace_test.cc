// TEMP diagnostic (fidelity): per-tensor comparison of sim vs ORT on the QDQ model.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "litemp/data.h"
#include "litemp/evaluate.h"
#include "litemp/export.h"
#include "litemp/mixed_precision.h"
#include "oracle/ort_runner.h"
#include "testutil/kernel_runner.h"

namespace litemp {
namespace {

TEST(QdqTrace, Diag) {
  const char* flip = std::getenv("TRACE_FLIP");
  if (!flip) GTEST_SKIP();
  std::string fl = flip;
  DataOptions d;
  d.images_dir = test::SharedDir() + "/data/cifar10_ic01";
  d.labels_file = d.images_dir + "/y_labels.csv";
  d.raw_shape = {32, 32, 3};
  d.std = {1.f / 255.f};
  auto model = Model::Load(test::SharedDir() + "/models/resnet8_cifar10.onnx");
  auto data = Dataset::Open(d);
  Split split = MakeSplit(data.value()->size(), 16, 0, 8, 0);
  auto sim_or = QuantSim::Create(*model.value(), QuantSimOptions{});
  QuantSim& sim = *sim_or.value();
  ASSERT_TRUE(CalibrateOnDataset(sim, *data.value(), split.calib, 8, true).ok());
  std::vector<int> layers = sim.QuantizedLayers();
  int nflip = std::getenv("TRACE_N") ? std::atoi(std::getenv("TRACE_N")) : 3;
  if (fl != "none") {
    std::vector<int> sel;
    if (std::getenv("TRACE_ONLY")) sel = {layers[std::atoi(std::getenv("TRACE_ONLY"))]};
    else sel.assign(layers.begin(), layers.begin() + nflip);
    FlipLayers(sim, sel, ParseFlipTarget(fl).value());
    ASSERT_TRUE(CalibrateOnDataset(sim, *data.value(), split.calib, 8, true).ok());
  }
  const Graph& g = sim.graph();
  for (int l : layers) {
    std::printf("layer %d %s:", l, g.nodes[l].op_type.c_str());
    for (int qi : sim.layer_quantizers(l)) {
      const auto& q = sim.quantizers()[qi];
      std::printf(" [%s %s %s bw%d %s nenc%zu]", g.values[q.value_id].name.c_str(),
                  q.role == QuantizerRole::kParam ? q.param_role.c_str() : (q.role == QuantizerRole::kInput ? "in" : "out"),
                  q.enabled ? "on" : "off", q.spec.bitwidth, q.dtype == QuantDType::kFloat16 ? "fp16" : "int",
                  q.encodings.size());
    }
    std::printf("\n");
    if (l > 12) break;
  }
  auto x = data.value()->LoadBatch(split.eval);
  std::vector<int> fetch;
  std::vector<const Quantizer*> qs;
  for (const auto& q : sim.quantizers())
    if (q.enabled && q.has_encoding() && !g.values[q.value_id].is_initializer) {
      fetch.push_back(q.value_id);
      qs.push_back(&q);
    }
  std::unordered_map<int, Tensor> res;
  ASSERT_TRUE(sim.Run(x.value(), &res, fetch).ok());
  std::string path = "/tmp/fid/trace.onnx";
  ASSERT_TRUE(ExportQdqModel(sim, *model.value(), path).ok());
  onnx::ModelProto m;
  {
    std::ifstream f(path, std::ios::binary);
    ASSERT_TRUE(m.ParseFromIstream(&f));
  }
  auto* gp = m.mutable_graph();
  std::set<std::string> names;
  for (const auto& n : gp->node()) for (const auto& o : n.output()) names.insert(o);
  for (size_t i = 0; i < qs.size(); ++i) {
    for (std::string nm : {g.values[qs[i]->value_id].name, g.values[qs[i]->value_id].name + "/pre_qdq",
                           g.values[qs[i]->value_id].name + "/qdq"}) {
      if (!names.count(nm)) continue;
      bool dup = false;
      for (const auto& o : gp->output()) dup |= o.name() == nm;
      if (dup) continue;
      auto* o = gp->add_output();
      o->set_name(nm);
      o->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    }
  }
  std::string path2 = "/tmp/fid/trace_outs.onnx";
  {
    std::ofstream f(path2, std::ios::binary);
    m.SerializeToOstream(&f);
  }
  test::OrtBatch ort;
  auto id = ort.AddFile(path2, {{sim.input().name, x.value()}});
  ASSERT_TRUE(ort.Run().ok());
  auto outs = ort.Outputs(id.value());
  ASSERT_TRUE(outs.ok()) << outs.status().ToString();
  std::map<std::string, Tensor> om;
  for (auto& [n, t] : outs.value()) om[n] = ToPlain(t);
  for (size_t i = 0; i < qs.size(); ++i) {
    const Quantizer& q = *qs[i];
    std::string nm = g.values[q.value_id].name;
    bool is_in = q.role == QuantizerRole::kInput;
    std::string onm = is_in && om.count(nm + "/qdq") ? nm + "/qdq" : nm;
    if (!om.count(onm)) { std::printf("%s: not in ORT outputs\n", nm.c_str()); continue; }
    Tensor a = ToPlain(res[q.value_id]);
    const Tensor& b = om[onm];
    if (a.numel() != b.numel()) { std::printf("%s numel mismatch\n", nm.c_str()); continue; }
    double step = q.dtype == QuantDType::kFloat16 ? 0 : q.encodings[0].scale;
    double md = 0, mrel = 0; int64_t nd = 0, first = -1;
    for (int64_t k = 0; k < a.numel(); ++k) {
      double df = std::fabs(double(a.data<float>()[k]) - b.data<float>()[k]);
      if (df > 0) { ++nd; if (first < 0) first = k; }
      md = std::max(md, df);
      mrel = std::max(mrel, df / std::max(1e-30, std::fabs(double(a.data<float>()[k]))));
    }
    std::printf("%-40s %s bw%d nenc%zu: %lld/%lld differ, max %.3g (%.2f steps) rel %.3g\n", nm.c_str(),
                q.dtype == QuantDType::kFloat16 ? "fp16" : "int", q.spec.bitwidth, q.encodings.size(),
                (long long)nd, (long long)a.numel(), md, step > 0 ? md / step : 0.0, mrel);
    if (nd > 0 && om.count(nm + "/pre_qdq")) {
      const Tensor& p = om[nm + "/pre_qdq"];
      int shown = 0;
      for (int64_t k = 0; k < a.numel() && shown < 4; ++k) {
        if (a.data<float>()[k] == b.data<float>()[k]) continue;
        ++shown;
        float pre = p.data<float>()[k];
        if (q.dtype == QuantDType::kFloat16)
          std::printf("    k=%lld pre=%.9g sim=%.9g ort=%.9g\n", (long long)k, pre, a.data<float>()[k], b.data<float>()[k]);
        else {
          double r = pre / q.encodings[0].scale;
          std::printf("    k=%lld pre=%.9g r=%.6f (frac dist to .5: %.3g) sim=%.9g ort=%.9g\n", (long long)k, pre, r,
                      std::fabs(r - std::floor(r) - 0.5), a.data<float>()[k], b.data<float>()[k]);
        }
      }
    }
  }
}

}  // namespace
}  // namespace litemp
