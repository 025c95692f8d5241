// Inputs for the sweep benchmarks: the shared ImageNet sample for MobileNetV2-shaped inputs,
// seeded uniform random data otherwise.
#ifndef LITEMP_BENCH_BENCH_SAMPLES_H_
#define LITEMP_BENCH_BENCH_SAMPLES_H_

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "litemp/data.h"
#include "litemp/runner.h"

namespace litemp::bench {

// Seeded uniform values in [-scale, scale).
inline Tensor Random(Shape s, uint32_t seed, float scale = 1.f) {
  Tensor t(DType::kFloat32, s);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-scale, scale);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = d(rng);
  return t;
}

// n samples for input `in`: real images (resize 256, crop 224, mean/std 0.5; samples skip,
// skip + 7, ...) when `in` is [N,3,224,224]-like and the shared sample is there; otherwise
// Random with `seed`, unknown dims taken as 1.
inline Tensor Samples(const std::string& shared, const ModelInput& in, int64_t n, size_t skip, uint32_t seed) {
  std::string dir = shared + "/data/imagenet_sample";
  if (in.shape.size() == 4 && in.shape[2] == 224 && std::filesystem::exists(dir + "/labels.csv")) {
    DataOptions o;
    o.images_dir = dir;
    o.labels_file = dir + "/labels.csv";
    o.resize = 256;
    o.crop = 224;
    o.mean = {0.5f};
    o.std = {0.5f};
    auto ds = Dataset::Open(o);
    if (ds.ok()) {
      std::vector<size_t> idx;
      for (int64_t i = 0; i < n; ++i) idx.push_back(skip + static_cast<size_t>(i) * 7 % ds.value()->size());
      auto b = ds.value()->LoadBatch(idx);
      if (b.ok()) return b.value();
      std::fprintf(stderr, "warning: %s; using random inputs\n", b.status().ToString().c_str());
    }
  }
  Shape s = in.shape;
  s[0] = n;
  for (auto& d : s)
    if (d < 0) d = 1;
  return Random(s, seed);
}

}  // namespace litemp::bench

#endif  // LITEMP_BENCH_BENCH_SAMPLES_H_
