// The machine's FP32 peak: fused multiply-adds on independent 8-wide AVX2 registers on
// every thread, nothing loaded or stored. The ceiling for any kernel's GFLOP/s here.
//   peak_flops [THREADS=all]   prints {"threads": T, "gflops": G}
#include <immintrin.h>
#include <omp.h>

#include <cstdio>
#include <cstdlib>

namespace {

// Ten chains cover the FMA latency on two pipes; returns a value so nothing is elided.
__attribute__((target("avx2,fma"))) float Spin(long iters) {
  const __m256 b = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
  __m256 a0 = _mm256_set1_ps(0), a1 = _mm256_set1_ps(1), a2 = _mm256_set1_ps(2), a3 = _mm256_set1_ps(3),
         a4 = _mm256_set1_ps(4), a5 = _mm256_set1_ps(5), a6 = _mm256_set1_ps(6), a7 = _mm256_set1_ps(7),
         a8 = _mm256_set1_ps(8), a9 = _mm256_set1_ps(9);
  for (long i = 0; i < iters; ++i) {
    a0 = _mm256_fmadd_ps(a0, b, c); a1 = _mm256_fmadd_ps(a1, b, c); a2 = _mm256_fmadd_ps(a2, b, c);
    a3 = _mm256_fmadd_ps(a3, b, c); a4 = _mm256_fmadd_ps(a4, b, c); a5 = _mm256_fmadd_ps(a5, b, c);
    a6 = _mm256_fmadd_ps(a6, b, c); a7 = _mm256_fmadd_ps(a7, b, c); a8 = _mm256_fmadd_ps(a8, b, c);
    a9 = _mm256_fmadd_ps(a9, b, c);
  }
  __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                           _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(_mm256_add_ps(a6, a7), _mm256_add_ps(a8, a9))));
  float f[8];
  _mm256_storeu_ps(f, s);
  return f[0];
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : omp_get_max_threads();
  if (threads < 1) return std::fprintf(stderr, "error: threads must be >= 1\n"), 1;
  const long iters = 200000000;
  float sink = 0;
  Spin(iters / 20);  // let the clock settle
  const double t0 = omp_get_wtime();
#pragma omp parallel num_threads(threads) reduction(+ : sink)
  sink += Spin(iters);
  const double t = omp_get_wtime() - t0;
  // 10 chains x 8 lanes x 2 FLOPs per FMA.
  std::printf("{\"threads\": %d, \"gflops\": %.1f, \"sink\": %g}\n", threads, threads * iters * 160.0 / t / 1e9, sink);
  return 0;
}
