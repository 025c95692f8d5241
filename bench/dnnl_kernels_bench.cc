// Micro benchmarks of the oneDNN kernels at MobileNetV2 shapes (batch 32 by default):
// single convs (1x1 expand/project, 3x3 depthwise s1/s2, the 3x3 stem), every Conv of
// mobilenet_v2.onnx in sequence, and the whole model through the Executor.
//
// Environment: LITEMP_THREADS (default 2), LITEMP_BATCH (default 32), LITEMP_SHARED.
// Reported GFLOP/s count a multiply-add as 2 FLOPs.
#include <benchmark/benchmark.h>

#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/parallel.h"
#include "kernels/dnnl/conv.h"
#include "kernels/dnnl/pads.h"
#include "kernels/kernel.h"
#include "litemp/executor.h"
#include "litemp/model.h"

namespace litemp {
namespace {

int EnvInt(const char* name, int def) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : def;
}

int64_t Batch() { return EnvInt("LITEMP_BATCH", 32); }

// User+system CPU seconds of the whole process (all threads). On a shared machine the
// CPU time per iteration is a steadier measure than wall time.
double ProcessCpuSeconds() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + 1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

double ProcessSysSeconds() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_stime.tv_sec + 1e-6 * u.ru_stime.tv_usec;
}

// Adds per-iteration process CPU milliseconds (all threads; and the kernel-mode part,
// mostly page faults) to the counters.
class CpuMeter {
 public:
  CpuMeter() : cpu0_(ProcessCpuSeconds()), sys0_(ProcessSysSeconds()) {}
  void Report(benchmark::State& state) const {
    double it = static_cast<double>(std::max<int64_t>(1, state.iterations()));
    state.counters["proc_cpu_ms"] = 1e3 * (ProcessCpuSeconds() - cpu0_) / it;
    state.counters["proc_sys_ms"] = 1e3 * (ProcessSysSeconds() - sys0_) / it;
  }

 private:
  double cpu0_, sys0_;
};

std::string SharedDir() {
  const char* env = std::getenv("LITEMP_SHARED");
  return env && *env ? env : LITEMP_SHARED_DEFAULT;
}

Tensor Random(const Shape& s, uint32_t seed) {
  Tensor t(DType::kFloat32, s);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-1.f, 1.f);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = d(rng);
  return t;
}

Attribute Ints(std::vector<int64_t> v) {
  Attribute a;
  a.type = Attribute::Type::kInts;
  a.ints = std::move(v);
  return a;
}

// One Conv node with constant W and B, kernel created through the registry.
struct ConvSetup {
  Graph g;
  std::unique_ptr<Kernel> kernel;
  Tensor x;
  double flops = 0;
};

std::unique_ptr<ConvSetup> MakeConv(int64_t n, int64_t c, int64_t m, int64_t group, int64_t hw, int64_t k,
                                    int64_t stride, std::vector<int64_t> pads, Layout layout) {
  auto s = std::make_unique<ConvSetup>();
  Graph& g = s->g;
  g.opsets[""] = 13;
  int x = g.AddValue("x"), w = g.AddValue("w"), b = g.AddValue("b"), y = g.AddValue("y");
  g.values[w].is_initializer = g.values[b].is_initializer = true;
  g.initializers[w] = Random({m, c / group, k, k}, 1);
  g.initializers[b] = Random({m}, 2);
  Node node;
  node.name = "conv";
  node.op_type = "Conv";
  node.opset = 13;
  node.inputs = {x, w, b};
  node.outputs = {y};
  Attribute grp;
  grp.type = Attribute::Type::kInt;
  grp.i = group;
  node.attrs.Set("group", grp);
  node.attrs.Set("strides", Ints({stride, stride}));
  node.attrs.Set("pads", Ints(pads));
  g.nodes.push_back(node);
  KernelRegistry r;
  RegisterDnnlKernels(&r);
  auto kr = (*r.Find("", "Conv"))(KernelInit(g, g.nodes[0]));
  if (!kr.ok()) return nullptr;
  s->kernel = std::move(kr).value();
  s->x = Random({n, c, hw, hw}, 3);
  if (layout == Layout::kNhwc) s->x = ToNhwc(s->x);
  if (layout == Layout::kNchw8c) s->x = ToNchw8c(s->x);
  ConvAttrs a;
  a.group = group;
  a.strides = {stride, stride};
  a.pads = pads;
  ConvGeometry geo;
  if (!ResolveConv(a, s->x.shape(), g.initializers[w].shape(), &geo).ok()) return nullptr;
  s->flops = 2 * geo.Macs();
  return s;
}

void RunConvBench(benchmark::State& state, int64_t c, int64_t m, int64_t group, int64_t hw, int64_t k,
                  int64_t stride, std::vector<int64_t> pads, Layout layout = Layout::kNchw8c) {
  SetNumThreads(EnvInt("LITEMP_THREADS", 2));
  auto s = MakeConv(Batch(), c, m, group, hw, k, stride, pads, layout);
  if (!s) {
    state.SkipWithError("could not create the Conv kernel");
    return;
  }
  std::vector<Tensor> outs(1);
  KernelContext ctx(s->g.nodes[0], {&s->x, nullptr, nullptr}, &outs);
  // W and B come from the initializers the kernel captured at creation.
  Status warm = s->kernel->Run(ctx);  // builds the primitive outside the timed loop
  if (!warm.ok()) {
    state.SkipWithError(warm.ToString().c_str());
    return;
  }
  // LITEMP_COLD=1: evict the caches (twice the last level's size) before each run, outside
  // the timed part, as a layer inside a model meets its weights after the other layers' data
  // has passed through. The proc_* counters then include the eviction.
  const bool cold = EnvInt("LITEMP_COLD", 0) != 0;
  const long l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
  std::vector<char> evict(cold ? 2 * static_cast<size_t>(l3 > 0 ? l3 : 64l << 20) : 0);
  CpuMeter meter;
  for (auto _ : state) {
    if (cold) {
      state.PauseTiming();
      for (size_t i = 0; i < evict.size(); i += 64) evict[i] = static_cast<char>(evict[i] + 1);
      benchmark::ClobberMemory();
      state.ResumeTiming();
    }
    Status st = s->kernel->Run(ctx);
    if (!st.ok()) {
      state.SkipWithError(st.ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(outs[0].raw_data());
  }
  meter.Report(state);
  state.counters["GFLOP/s"] = benchmark::Counter(s->flops / 1e9, benchmark::Counter::kIsIterationInvariantRate);
  if (auto* ck = dynamic_cast<ConvKernel*>(s->kernel.get())) state.SetLabel(ck->last_impl());
}

// MobileNetV2 layers (channels, spatial size of the input), blocked as the executor feeds
// them. TF-style SAME pads for s2. The 7x7 and 1x1 ones carry most weights (batch 1).
void BM_Conv1x1Expand_24to144_56(benchmark::State& s) { RunConvBench(s, 24, 144, 1, 56, 1, 1, {0, 0, 0, 0}); }
void BM_Conv1x1Project_144to24_56(benchmark::State& s) { RunConvBench(s, 144, 24, 1, 56, 1, 1, {0, 0, 0, 0}); }
void BM_Conv1x1Expand_16to96_112(benchmark::State& s) { RunConvBench(s, 16, 96, 1, 112, 1, 1, {0, 0, 0, 0}); }
void BM_Conv1x1_96to576_14(benchmark::State& s) { RunConvBench(s, 96, 576, 1, 14, 1, 1, {0, 0, 0, 0}); }
void BM_Conv1x1_160to960_7(benchmark::State& s) { RunConvBench(s, 160, 960, 1, 7, 1, 1, {0, 0, 0, 0}); }
void BM_Conv1x1_576to96_14(benchmark::State& s) { RunConvBench(s, 576, 96, 1, 14, 1, 1, {0, 0, 0, 0}); }
void BM_Conv1x1_960to160_7(benchmark::State& s) { RunConvBench(s, 960, 160, 1, 7, 1, 1, {0, 0, 0, 0}); }
void BM_Conv1x1_960to320_7(benchmark::State& s) { RunConvBench(s, 960, 320, 1, 7, 1, 1, {0, 0, 0, 0}); }
void BM_Conv1x1_320to1280_7(benchmark::State& s) { RunConvBench(s, 320, 1280, 1, 7, 1, 1, {0, 0, 0, 0}); }
void BM_Conv1x1_1280to1001_1(benchmark::State& s) { RunConvBench(s, 1280, 1001, 1, 1, 1, 1, {0, 0, 0, 0}); }
void BM_DwConv3x3_144_56_s1(benchmark::State& s) { RunConvBench(s, 144, 144, 144, 56, 3, 1, {1, 1, 1, 1}); }
void BM_DwConv3x3_96_112_s2(benchmark::State& s) { RunConvBench(s, 96, 96, 96, 112, 3, 2, {0, 0, 1, 1}); }
void BM_DwConv3x3_576_14_s1(benchmark::State& s) { RunConvBench(s, 576, 576, 576, 14, 3, 1, {1, 1, 1, 1}); }
void BM_Conv3x3Stem_3to32_224_s2_PlainInput(benchmark::State& s) {
  RunConvBench(s, 3, 32, 1, 224, 3, 2, {0, 0, 1, 1}, Layout::kPlain);
}
void BM_Conv3x3Stem_3to32_224_s2_NhwcInput(benchmark::State& s) {
  RunConvBench(s, 3, 32, 1, 224, 3, 2, {0, 0, 1, 1}, Layout::kNhwc);
}
BENCHMARK(BM_Conv1x1Expand_24to144_56)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Conv1x1Project_144to24_56)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Conv1x1Expand_16to96_112)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Conv1x1_96to576_14)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Conv1x1_160to960_7)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Conv1x1_576to96_14)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Conv1x1_960to160_7)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Conv1x1_960to320_7)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Conv1x1_320to1280_7)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Conv1x1_1280to1001_1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DwConv3x3_144_56_s1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DwConv3x3_96_112_s2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DwConv3x3_576_14_s1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Conv3x3Stem_3to32_224_s2_PlainInput)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Conv3x3Stem_3to32_224_s2_NhwcInput)->Unit(benchmark::kMillisecond)->UseRealTime();

// Every Conv node of MobileNetV2, run back to back on random inputs of the shapes the
// model gives them (blocked, as the executor feeds them, except the plain image input).
void BM_MobileNetV2AllConvs(benchmark::State& state) {
  SetNumThreads(EnvInt("LITEMP_THREADS", 2));
  auto model = Model::Load(SharedDir() + "/models/mobilenet_v2.onnx");
  if (!model.ok()) {
    state.SkipWithError(model.status().ToString().c_str());
    return;
  }
  const Graph& g = model.value()->graph();
  KernelRegistry r;
  RegisterDnnlKernels(&r);
  struct Layer {
    const Node* node;
    std::unique_ptr<Kernel> k;
    Tensor x;
  };
  std::vector<Layer> layers;
  double flops = 0;
  for (const Node& n : g.nodes) {
    if (n.op_type != "Conv") continue;
    Shape xs = g.values[n.inputs[0]].shape;
    if (xs.size() != 4) continue;
    xs[0] = Batch();
    auto k = (*r.Find("", "Conv"))(KernelInit(g, n));
    if (!k.ok()) {
      state.SkipWithError(k.status().ToString().c_str());
      return;
    }
    Tensor x = Random(xs, static_cast<uint32_t>(layers.size()));
    if (!g.values[n.inputs[0]].is_graph_input) x = xs[1] % 8 == 0 ? ToNchw8c(x) : ToNhwc(x);
    ConvAttrs a;
    ConvGeometry geo;
    if (!a.Parse(n.attrs, false).ok() || !ResolveConv(a, xs, g.Constant(n.inputs[1])->shape(), &geo).ok()) {
      state.SkipWithError("bad conv");
      return;
    }
    flops += 2 * geo.Macs();
    layers.push_back({&n, std::move(k).value(), x});
  }
  std::vector<Tensor> outs(1);
  auto run_all = [&]() -> Status {
    for (auto& l : layers) {
      std::vector<const Tensor*> ins(l.node->inputs.size(), nullptr);
      ins[0] = &l.x;
      KernelContext ctx(*l.node, ins, &outs);
      LITEMP_RETURN_IF_ERROR(l.k->Run(ctx));
    }
    return Status::OK();
  };
  Status warm = run_all();  // builds the primitives and reorders the weights
  if (!warm.ok()) {
    state.SkipWithError(warm.ToString().c_str());
    return;
  }
  CpuMeter meter;
  for (auto _ : state) {
    Status st = run_all();
    if (!st.ok()) {
      state.SkipWithError(st.ToString().c_str());
      return;
    }
  }
  meter.Report(state);
  state.counters["convs"] = static_cast<double>(layers.size());
  state.counters["GFLOP/s"] = benchmark::Counter(flops / 1e9, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_MobileNetV2AllConvs)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3);

// The whole model through the Executor (needs every op of the model to be registered).
void BM_MobileNetV2Model(benchmark::State& state) {
  SetNumThreads(EnvInt("LITEMP_THREADS", 2));
  auto model = Model::Load(SharedDir() + "/models/mobilenet_v2.onnx");
  if (!model.ok()) {
    state.SkipWithError(model.status().ToString().c_str());
    return;
  }
  auto exec = Executor::Create(model.value()->graph());
  if (!exec.ok()) {
    state.SkipWithError(exec.status().ToString().c_str());
    return;
  }
  std::map<std::string, Tensor> feeds{{"input", Random({Batch(), 3, 224, 224}, 9)}};
  std::vector<Tensor> outs;
  Status warm = exec.value()->Run(feeds, &outs);
  if (!warm.ok()) {
    state.SkipWithError(warm.ToString().c_str());
    return;
  }
  CpuMeter meter;
  for (auto _ : state) {
    Status st = exec.value()->Run(feeds, &outs);
    if (!st.ok()) {
      state.SkipWithError(st.ToString().c_str());
      return;
    }
  }
  meter.Report(state);
}
BENCHMARK(BM_MobileNetV2Model)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3);

}  // namespace
}  // namespace litemp

BENCHMARK_MAIN();
