// How the sensitivity sweep scales over R ranks (`mpirun -n R litemp run ...`), on paper
// from measured costs: runs the sweep once, in this process, timing every layer; then, for
// each R, splits the layers as the ranks do (AssignLayers: longest-first by downstream
// FLOPs) and adds up each rank's measured seconds. A rank's sweep takes
//   caching pass (every rank repeats it) + its layers' seconds + the gather,
// and the job's sweep takes the slowest rank's. Also prints the bytes each rank sends and
// receives. What does not shrink with R is named: the caching pass, the slowest layer, the
// per-rank model load, calibration and data loading (every rank repeats them).
//
//   sweep_scaling_bench [MODEL|gen:LAYERS] [K=8] [THREADS=1] [CALIB=16]
// gen:LAYERS builds a residual CNN of about LAYERS quantized layers (Conv, Relu, Conv, Add,
// Relu blocks of 32 channels at 16x16: 1 GFLOP per sample at 400) with seeded random
// weights; a model path runs that model on seeded random inputs in [-1, 1) (MobileNetV2:
// the shared sample images).
// THREADS is per rank: measure with the threads each rank will have.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <numeric>
#include <string>

#include <onnx/onnx_pb.h>

#include "analysis/sweep.h"
#include "bench_samples.h"
#include "core/parallel.h"
#include "litemp/data.h"
#include "litemp/model.h"
#include "litemp/sensitivity.h"
#include "litemp/tensor.h"

namespace litemp {
namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

using bench::Random;
using bench::Samples;

// x [N,32,16,16] -> blocks of Conv3x3, Relu, Conv3x3, Add(block input), Relu ->
// GlobalAveragePool -> Flatten -> Gemm -> y [N,10].
Result<std::unique_ptr<Model>> Generated(int layers) {
  constexpr int64_t c = 32, hw = 16;
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(13);
  onnx::GraphProto* g = m.mutable_graph();
  g->set_name("generated_residual_cnn");
  auto value = [](onnx::ValueInfoProto* v, const std::string& name, std::vector<int64_t> dims) {
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (size_t i = 0; i < dims.size(); ++i) {
      if (i == 0) t->mutable_shape()->add_dim()->set_dim_param("N");
      else t->mutable_shape()->add_dim()->set_dim_value(dims[i]);
    }
  };
  value(g->add_input(), "x", {0, c, hw, hw});
  value(g->add_output(), "y", {0, 10});
  uint32_t seed = 1;
  auto weight = [&](const std::string& name, Shape s, float scale) {
    onnx::TensorProto* t = g->add_initializer();
    TensorToProto(Random(std::move(s), seed++, scale), t);
    t->set_name(name);
  };
  auto node = [&](const std::string& op, const std::string& name, std::vector<std::string> in, const std::string& out) {
    onnx::NodeProto* n = g->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (auto& i : in) n->add_input(i);
    n->add_output(out);
    return n;
  };
  auto conv = [&](const std::string& name, const std::string& in, const std::string& out) {
    weight(name + ".w", {c, c, 3, 3}, 1.f / std::sqrt(9.f * c));
    weight(name + ".b", {c}, 0.05f);
    onnx::NodeProto* n = node("Conv", name, {in, name + ".w", name + ".b"}, out);
    onnx::AttributeProto* pads = n->add_attribute();
    pads->set_name("pads");
    pads->set_type(onnx::AttributeProto::INTS);
    for (int i = 0; i < 4; ++i) pads->add_ints(1);
  };
  std::string x = "x";
  // Four quantized layers per block: the sim fuses each Conv with its Relu.
  for (int b = 0; b < std::max(1, layers / 4); ++b) {
    const std::string p = "b" + std::to_string(b);
    conv(p + ".conv1", x, p + ".c1");
    node("Relu", p + ".relu1", {p + ".c1"}, p + ".r1");
    conv(p + ".conv2", p + ".r1", p + ".c2");
    node("Add", p + ".add", {p + ".c2", x}, p + ".s");
    node("Relu", p + ".relu2", {p + ".s"}, p + ".out");
    x = p + ".out";
  }
  node("GlobalAveragePool", "pool", {x}, "pooled");
  node("Flatten", "flatten", {"pooled"}, "flat");
  weight("fc.w", {10, c}, 0.25f);
  weight("fc.b", {10}, 0.05f);
  onnx::NodeProto* gemm = node("Gemm", "fc", {"flat", "fc.w", "fc.b"}, "y");
  onnx::AttributeProto* tb = gemm->add_attribute();
  tb->set_name("transB");
  tb->set_type(onnx::AttributeProto::INT);
  tb->set_i(1);
  std::string bytes;
  m.SerializeToString(&bytes);
  return Model::FromBytes(bytes, "");
}

int Fail(const Status& s) {
  std::fprintf(stderr, "error: %s\n", s.ToString().c_str());
  return 1;
}

// Bytes of one Comm::Exchange message: tag, status code and message, payload (core/bytes.h
// framing: 8-byte lengths).
double MessageBytes(const std::string& tag, double payload) { return 8 + tag.size() + 4 + 8 + 8 + payload; }

int Main(int argc, char** argv) {
  const char* env = std::getenv("LITEMP_SHARED");
  const std::string shared = env && *env ? env : LITEMP_SHARED_DEFAULT;
  const std::string spec = argc > 1 ? argv[1] : "gen:400";
  const int64_t k = argc > 2 ? std::atoi(argv[2]) : 8;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 1;
  const int64_t calib_n = argc > 4 ? std::atoi(argv[4]) : 16;
  SetNumThreads(threads);

  double t0 = Now();
  auto model = spec.rfind("gen:", 0) == 0 ? Generated(std::atoi(spec.c_str() + 4)) : Model::Load(spec);
  if (!model.ok()) return Fail(model.status());
  const double load_s = Now() - t0;
  auto sim_r = QuantSim::Create(*model.value(), QuantSimOptions{});
  if (!sim_r.ok()) return Fail(sim_r.status());
  QuantSim& sim = *sim_r.value();
  t0 = Now();
  Tensor calib = Samples(shared, sim.input(), calib_n, 1, 1);
  Tensor samples = Samples(shared, sim.input(), k, 0, 2);
  const double data_s = Now() - t0;
  std::unordered_map<int, Tensor> res;
  t0 = Now();
  Status st = sim.ComputeEncodings([&](const RunOptions& o) { return RunBatch(sim.executor(), sim.input(), calib, o, &res); });
  if (!st.ok()) return Fail(st);
  const double calib_s = Now() - t0;
  res.clear();

  SensitivityOptions o;
  o.quiet = true;
  SensitivityStats stats;
  o.stats = &stats;
  auto sweep = AnalyzePerLayerSensitivity(sim, samples, o);
  if (!sweep.ok()) return Fail(sweep.status());
  auto plan = PlanSweep(sim);
  if (!plan.ok()) return Fail(plan.status());
  const std::vector<SweepLayer>& layers = plan.value();
  std::map<int, double> seconds_of;
  for (const LayerSensitivity& l : sweep.value()) seconds_of[l.layer] = l.seconds;
  std::vector<double> sec;
  for (const SweepLayer& l : layers) sec.push_back(seconds_of[l.layer]);
  const std::vector<double> cost = LayerCosts(sim, layers);
  const double total = std::accumulate(sec.begin(), sec.end(), 0.0);
  const double slowest = *std::max_element(sec.begin(), sec.end());
  const double pass = stats.fp32_seconds;
  const int n = static_cast<int>(layers.size());

  std::printf("model %s: %d layers, K=%lld samples, %d thread(s) per rank\n", spec.c_str(), n, (long long)k, threads);
  std::printf("measured, one rank: load %.2f s, data %.2f s, calibration (%lld samples) %.2f s, sweep %.2f s = "
              "caching pass %.2f s + layers %.2f s (mean %.4f s, slowest %.4f s)\n",
              load_s, data_s, (long long)calib_n, calib_s, stats.seconds, pass, total, total / n, slowest);
  // Gather: each rank sends 24 bytes per layer it owns; every rank receives every layer's.
  const double per_rank_fixed = load_s + data_s + calib_s;
  std::printf("\n%6s %10s %10s %10s %10s %9s %12s %12s\n", "ranks", "sweep_s", "ideal_s", "slowest_r", "speedup",
              "effic", "sent_B", "received_B");
  const double one = pass + total;
  for (int r : {1, 2, 8, 32, 128}) {
    std::vector<int> owner = AssignByCost(cost, r);
    std::vector<double> load(r, 0.0);
    std::vector<int> owned(r, 0);
    for (int i = 0; i < n; ++i) load[owner[i]] += sec[i], ++owned[owner[i]];
    const double busiest = *std::max_element(load.begin(), load.end());
    const int most = *std::max_element(owned.begin(), owned.end());
    const double sweep_s = pass + busiest;  // the gather's bytes are negligible (below)
    const double sent = r > 1 ? MessageBytes("sensitivity", 24.0 * most) : 0;
    const double received = r > 1 ? r * MessageBytes("sensitivity", 0) + 24.0 * n : 0;
    std::printf("%6d %10.2f %10.2f %10.2f %9.2fx %8.0f%% %12.0f %12.0f\n", r, sweep_s, pass + total / r, busiest,
                one / sweep_s, 100.0 * one / sweep_s / r, sent, received);
  }
  std::printf("\nsweep_s: caching pass + the busiest rank's measured layer seconds; ideal_s: caching pass + "
              "layers/R.\n");
  std::printf("scaling limits: the caching pass (%.2f s, every rank runs it) and the slowest layer (%.4f s) bound "
              "the sweep below by %.2f s at any R;\n",
              pass, slowest, pass + slowest);
  std::printf("  every rank also loads the model, its data and calibrates (%.2f s here, not shrinking with R), and "
              "the job starts R processes;\n",
              per_rank_fixed);
  std::printf("  the gather is one all-gather of 24 B per layer (%.1f KiB in all) plus an 8-byte encodings check; "
              "the evaluation sends about 8 B per sample per target.\n",
              24.0 * n / 1024);
  return 0;
}

}  // namespace
}  // namespace litemp

int main(int argc, char** argv) {
  litemp::RetainFreedMemory();  // as the CLI does: the figures are the product's
  return litemp::Main(argc, argv);
}
