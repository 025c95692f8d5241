// MakeSplit: the calibration / sensitivity / evaluation split of SPEC.md.
//
// The order is a Fisher-Yates (Durstenfeld) shuffle of 0..n-1 driven by splitmix64 seeded
// with `seed`: for i = n-1 down to 1, swap order[i] with order[j], j uniform in [0, i]
// drawn by rejection (discard draws below 2^64 mod (i+1), then take the draw mod (i+1)).
// Only fixed-width integer arithmetic is used -- no std::shuffle or <random>
// distributions, whose results differ between standard libraries -- so a seed gives the
// same split on every platform and compiler.
#include <algorithm>
#include <numeric>

#include "litemp/data.h"

namespace litemp {
namespace {

// splitmix64 (Steele, Lea & Flood, 2014): a 64-bit state advanced by a Weyl sequence.
uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Uniform in [0, bound); unbiased thanks to the rejection of the short first interval.
uint64_t UniformBelow(uint64_t* state, uint64_t bound) {
  const uint64_t threshold = (0 - bound) % bound;  // 2^64 mod bound
  for (;;) {
    const uint64_t r = SplitMix64(state);
    if (r >= threshold) return r % bound;
  }
}

}  // namespace

Split MakeSplit(size_t n, size_t calib, size_t sens, size_t eval_max, uint64_t seed) {
  Split s;
  s.order.resize(n);
  std::iota(s.order.begin(), s.order.end(), size_t{0});
  uint64_t state = seed;
  for (size_t i = n; i > 1; --i) {
    const size_t j = static_cast<size_t>(UniformBelow(&state, i));
    std::swap(s.order[i - 1], s.order[j]);
  }
  const size_t nc = std::min(calib, n);
  s.calib.assign(s.order.begin(), s.order.begin() + nc);
  s.sens.assign(s.calib.begin(), s.calib.begin() + std::min(sens, nc));
  size_t ne = n - nc;
  if (eval_max > 0) ne = std::min(ne, eval_max);
  s.eval.assign(s.order.begin() + nc, s.order.begin() + nc + ne);
  return s;
}

}  // namespace litemp
