// Times the per-layer sensitivity sweep: the fast (cached, downstream-only) sweep against
// the naive one (a full simulation run per layer), and one full FP32 inference of the K
// samples (times the layer count: what "one full inference per layer" costs with litemp's
// own kernels). Also checks that both sweeps agree and reports the cache's memory.
//
//   sensitivity_bench [MODEL] [K=32] [THREADS=2] [CALIB=64] [BUDGET_MIB=512] [NAIVE=1] [RUN_MIB=256] [TAIL=1]
// BUDGET_MIB and RUN_MIB set the fast sweep's memory_budget_bytes and run_bytes; NAIVE=0
// skips the naive sweep; TAIL=0 turns off the batched tail (SensitivityOptions::batched_tail).
// MobileNetV2 (the default model) uses the shared ImageNet sample images when present
// (resize 256, crop 224, mean/std 0.5), other models uniform random inputs in [-1, 1).
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>

#include "bench_samples.h"
#include "core/parallel.h"
#include "litemp/data.h"
#include "litemp/model.h"
#include "litemp/sensitivity.h"
#include "litemp/stats.h"
#include "litemp/tensor.h"

namespace litemp {
namespace {

// CPU seconds (user + system) of this process so far: less sensitive than wall time to
// other processes sharing the machine.
double CpuNow() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1e-6 * (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

// Minor page faults of this process so far.
long MinorFaults() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_minflt;
}

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// A "VmRSS"/"VmHWM" line of /proc/self/status, in MiB (0 when unavailable).
double VmMiB(const std::string& key) {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  double kb = 0;
  while (std::fgets(line, sizeof(line), f))
    if (std::string(line).rfind(key + ":", 0) == 0) kb = std::atof(line + key.size() + 1);
  std::fclose(f);
  return kb / 1024.0;
}

// Resets the peak RSS (VmHWM) to the current RSS (Linux >= 4.0).
void ResetPeakRss() {
  if (std::FILE* f = std::fopen("/proc/self/clear_refs", "w")) {
    std::fputs("5", f);
    std::fclose(f);
  }
}

using bench::Samples;

int Main(int argc, char** argv) {
  const char* env = std::getenv("LITEMP_SHARED");
  const std::string shared = env && *env ? env : LITEMP_SHARED_DEFAULT;
  const std::string path = argc > 1 ? argv[1] : shared + "/models/mobilenet_v2.onnx";
  const int64_t k = argc > 2 ? std::atoi(argv[2]) : 32;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
  const int64_t calib_n = argc > 4 ? std::atoi(argv[4]) : 64;
  const size_t budget_mib = argc > 5 ? std::atoll(argv[5]) : 512;
  const bool run_naive = argc > 6 ? std::atoi(argv[6]) != 0 : true;
  const size_t run_mib = argc > 7 ? std::atoll(argv[7]) : 256;
  const bool batched_tail = argc > 8 ? std::atoi(argv[8]) != 0 : true;
  SetNumThreads(threads);

  auto model = Model::Load(path);
  if (!model.ok()) return std::fprintf(stderr, "error: %s\n", model.status().ToString().c_str()), 1;
  auto sim_r = QuantSim::Create(*model.value(), QuantSimOptions{});
  if (!sim_r.ok()) return std::fprintf(stderr, "error: %s\n", sim_r.status().ToString().c_str()), 1;
  QuantSim& sim = *sim_r.value();
  Tensor calib = Samples(shared, sim.input(), calib_n, 1, 1);
  Tensor samples = Samples(shared, sim.input(), k, 0, 2);
  std::unordered_map<int, Tensor> res;
  double t = Now();
  Status st = sim.ComputeEncodings([&](const RunOptions& o) { return RunBatch(sim.executor(), sim.input(), calib, o, &res); });
  if (!st.ok()) return std::fprintf(stderr, "error: %s\n", st.ToString().c_str()), 1;
  std::printf("model %s, K=%lld, threads %d, calibration on %lld samples: %.2f s\n", path.c_str(), (long long)k,
              threads, (long long)calib_n, Now() - t);

  // One full FP32 inference of the K samples (after a warm-up), best of 3, wall and CPU;
  // measured before and after the sweeps (the allocator warms up over the process's life).
  double full = 1e30, full_cpu = 1e30;
  auto time_full = [&]() -> bool {
    auto exec = Executor::Create(sim.graph());
    if (!exec.ok()) return false;
    for (int i = 0; i < 4; ++i) {
      const double w = Now(), c = CpuNow();
      if (!RunBatch(*exec.value(), sim.input(), samples, RunOptions{}, &res).ok()) return false;
      if (i) full = std::min(full, Now() - w), full_cpu = std::min(full_cpu, CpuNow() - c);
    }
    res.clear();
    return true;
  };
  if (!time_full()) return 1;

  SensitivityOptions o;
  o.quiet = true;
  o.memory_budget_bytes = budget_mib << 20;
  o.run_bytes = run_mib << 20;
  o.batched_tail = batched_tail;
  SensitivityStats fs, ns;
  ResetPeakRss();
  const double rss0 = VmMiB("VmRSS");
  o.stats = &fs;
  double c0 = CpuNow();
  const long faults0 = MinorFaults();
  auto fast = AnalyzePerLayerSensitivity(sim, samples, o);
  const double fast_cpu = CpuNow() - c0;
  const long fast_faults = MinorFaults() - faults0;
  if (!fast.ok()) return std::fprintf(stderr, "error: %s\n", fast.status().ToString().c_str()), 1;
  const double rss1 = VmMiB("VmHWM");
  ResetPeakRss();
  o.naive = true;
  o.stats = &ns;
  c0 = CpuNow();
  auto naive = run_naive ? AnalyzePerLayerSensitivity(sim, samples, o) : fast;
  const double naive_cpu = CpuNow() - c0;
  if (!naive.ok()) return std::fprintf(stderr, "error: %s\n", naive.status().ToString().c_str()), 1;
  const double rss2 = VmMiB("VmHWM");
  if (!time_full()) return 1;

  std::map<int, double> ref;
  for (const auto& l : naive.value()) ref[l.layer] = l.psnr;
  double max_diff = 0;
  for (const auto& l : fast.value()) max_diff = std::max(max_diff, std::fabs(l.psnr - ref[l.layer]));
  const int n = fs.layers;
  std::printf("layers %d\n", n);
  std::printf("one full FP32 inference of K samples: %.3f s wall, %.3f s CPU (x %d layers = %.1f s wall)\n", full,
              full_cpu, n, full * n);
  std::printf("fast sweep:  %.2f s wall (%.3f s/layer; FP32 caching pass %.2f s), %.2f s CPU; %.1fx faster than %d "
              "full inferences (wall)\n",
              fs.seconds, fs.seconds / n, fs.fp32_seconds, fast_cpu, full * n / fs.seconds, n);
  if (run_naive)
    std::printf("naive sweep: %.2f s wall (%.3f s/layer), %.2f s CPU; fast is %.1fx faster (wall), %.1fx (CPU)\n",
                ns.seconds, ns.seconds / n, naive_cpu, ns.seconds / fs.seconds, naive_cpu / fast_cpu);
  std::printf("fast sweep cache: %.1f MiB peak (%.2f MiB/sample, %d chunk(s) of %lld, runs of %lld)\n",
              fs.cache_bytes / 1048576.0, fs.cache_bytes_per_sample / 1048576.0, fs.chunks, (long long)fs.chunk_samples,
              (long long)fs.run_samples);
  std::printf("process RSS: %.0f MiB before the sweeps; peak %.0f MiB during the fast sweep", rss0, rss1);
  if (run_naive) std::printf(", %.0f MiB during the naive one", rss2);
  std::printf("\nfast sweep: %ld page faults (%.0f MiB first touched)\n", fast_faults, fast_faults * 4096.0 / 1048576.0);
  if (run_naive) std::printf("max |fast - naive| = %.3g dB\n", max_diff);
  // The work an exact sweep cannot avoid: each layer's downstream part of the model.
  const ModelStats model_stats = ComputeStats(sim.graph());
  double share = 0;
  for (const LayerSensitivity& l : fast.value()) {
    double down = 0;
    for (int node : sim.graph().Downstream({l.layer})) down += model_stats.node_flops[node];
    share += down / model_stats.flops / static_cast<double>(n);
  }
  std::printf("downstream share: on average a layer's downstream nodes hold %.1f%% of the model's FLOPs; the "
              "sweep took %.1f%% of %d full inferences\n",
              100 * share, 100 * (fs.seconds - fs.fp32_seconds) / (full * n), n);
  std::printf("most sensitive:");
  for (size_t i = 0; i < 5 && i < fast.value().size(); ++i)
    std::printf(" %s(%.1f)", fast.value()[i].name.c_str(), fast.value()[i].psnr);
  std::printf("\n");
  return 0;
}

}  // namespace
}  // namespace litemp

int main(int argc, char** argv) {
  litemp::RetainFreedMemory();  // as the CLI does: the figures are the product's
  return litemp::Main(argc, argv);
}
