// The machine's FP32 peak: fused multiply-adds on independent vector registers on every
// thread, nothing loaded or stored, with the vector width the convolutions use under the
// kernel set (LITEMP_KERNELS, litemp/kernel_set.h): AVX-512 on a CPU that has it, for the
// native kernels and for the portable ones unless LITEMP_AVX512_AS_AVX2=0 (their AVX-512
// stand-ins for oneDNN's AVX2 convolutions, src/kernels/dnnl/conv_avx512_as_avx2.h), else
// AVX2. The ceiling for any kernel's GFLOP/s on this machine with those kernels.
//   peak_flops [THREADS=all]   prints {"threads": T, "kernels": K, "isa": "avx512"|"avx2", "gflops": G}
#include <immintrin.h>
#include <omp.h>

#include <cstdio>
#include <cstdlib>

#include "kernels/dnnl/conv_avx512_as_avx2.h"
#include "litemp/kernel_set.h"

namespace {

// Ten independent chains cover the FMA latency on two pipes; each returns a value so
// nothing is elided. W is the vector type, L its float lanes.
#define LITEMP_SPIN(NAME, TARGET, W, SET1, FMA, ADD, STORE, L)                                       \
  __attribute__((target(TARGET))) float NAME(long iters) {                                            \
    const W b = SET1(0.999999f), c = SET1(1e-7f);                                                     \
    W a[10];                                                                                          \
    for (int k = 0; k < 10; ++k) a[k] = SET1(static_cast<float>(k));                                  \
    for (long i = 0; i < iters; ++i) {                                                                \
      a[0] = FMA(a[0], b, c); a[1] = FMA(a[1], b, c); a[2] = FMA(a[2], b, c); a[3] = FMA(a[3], b, c); \
      a[4] = FMA(a[4], b, c); a[5] = FMA(a[5], b, c); a[6] = FMA(a[6], b, c); a[7] = FMA(a[7], b, c); \
      a[8] = FMA(a[8], b, c); a[9] = FMA(a[9], b, c);                                                 \
    }                                                                                                 \
    W s = a[0];                                                                                       \
    for (int k = 1; k < 10; ++k) s = ADD(s, a[k]);                                                    \
    float f[L];                                                                                       \
    STORE(f, s);                                                                                      \
    return f[0];                                                                                      \
  }

LITEMP_SPIN(Spin8, "avx2,fma", __m256, _mm256_set1_ps, _mm256_fmadd_ps, _mm256_add_ps, _mm256_storeu_ps, 8)
LITEMP_SPIN(Spin16, "avx512f", __m512, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_add_ps, _mm512_storeu_ps, 16)

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : omp_get_max_threads();
  if (threads < 1) return std::fprintf(stderr, "error: threads must be >= 1\n"), 1;
  const litemp::Result<litemp::KernelSet> kernels = litemp::UseKernelSet();
  if (!kernels.ok()) return std::fprintf(stderr, "error: %s\n", kernels.status().ToString().c_str()), 1;
  const bool avx512 =
      __builtin_cpu_supports("avx512f") && (litemp::KernelsUseAvx512() || litemp::Avx512AsAvx2Available());
  float (*spin)(long) = avx512 ? Spin16 : Spin8;
  const int lanes = avx512 ? 16 : 8;
  const long iters = 200000000;
  float sink = 0;
  spin(iters / 20);  // let the clock settle
  const double t0 = omp_get_wtime();
#pragma omp parallel num_threads(threads) reduction(+ : sink)
  sink += spin(iters);
  const double t = omp_get_wtime() - t0;
  // 10 chains x lanes x 2 FLOPs per FMA.
  std::printf("{\"threads\": %d, \"kernels\": \"%s\", \"isa\": \"%s\", \"gflops\": %.1f, \"sink\": %g}\n", threads,
              litemp::KernelSetName(kernels.value()), avx512 ? "avx512" : "avx2",
              threads * iters * 20.0 * lanes / t / 1e9, sink);
  return 0;
}
