// ExpFloats, ErfFloats, SigmoidFloats (src/kernels/vec_math.h) against the scalar libm loops
// they replace, one thread, 64 Ki floats in cache: ns per element in the counters.
// Values: N(0, 2), the range attention scores and GELU inputs live in.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "kernels/vec_math.h"

namespace litemp {
namespace {

constexpr int kN = 1 << 16;

std::vector<float> Inputs() {
  std::mt19937 rng(1);
  std::normal_distribution<float> d(0.f, 2.f);
  std::vector<float> x(kN);
  for (float& v : x) v = d(rng);
  return x;
}

template <class F>
void Run(benchmark::State& state, F f) {
  std::vector<float> x = Inputs(), y(kN);
  for (auto _ : state) {
    f(x.data(), y.data(), kN);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  state.counters["ns/elem"] = benchmark::Counter(static_cast<double>(state.iterations()) * kN,
                                                 benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_ExpFloats(benchmark::State& s) { Run(s, ExpFloats); }
void BM_ExpScalar(benchmark::State& s) {
  Run(s, [](const float* x, float* y, int64_t n) { for (int64_t i = 0; i < n; ++i) y[i] = std::exp(x[i]); });
}
void BM_ErfFloats(benchmark::State& s) { Run(s, ErfFloats); }
void BM_ErfScalar(benchmark::State& s) {
  Run(s, [](const float* x, float* y, int64_t n) { for (int64_t i = 0; i < n; ++i) y[i] = std::erf(x[i]); });
}
void BM_SigmoidFloats(benchmark::State& s) { Run(s, SigmoidFloats); }
// As a SiLU after a convolution calls it: one row of 112 floats at a time.
void BM_SigmoidFloatsRows112(benchmark::State& s) {
  Run(s, [](const float* x, float* y, int64_t n) {
    for (int64_t i = 0; i < n; i += 112) SigmoidFloats(x + i, y + i, std::min<int64_t>(112, n - i));
  });
}
void BM_SigmoidScalar(benchmark::State& s) {
  Run(s, [](const float* x, float* y, int64_t n) { for (int64_t i = 0; i < n; ++i) y[i] = 1.f / (1.f + std::exp(-x[i])); });
}
BENCHMARK(BM_ExpFloats);
BENCHMARK(BM_ExpScalar);
BENCHMARK(BM_ErfFloats);
BENCHMARK(BM_ErfScalar);
BENCHMARK(BM_SigmoidFloats);
BENCHMARK(BM_SigmoidFloatsRows112);
BENCHMARK(BM_SigmoidScalar);

}  // namespace
}  // namespace litemp

BENCHMARK_MAIN();
