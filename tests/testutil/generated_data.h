// Unlabeled sample folders for the generated models (generated_models.h): seeded random
// values in [-1, 1], one .npy per sample for a one-input model, an .npz with one array per
// input otherwise. Header-only: it uses the data tests' .npy and zip writers.
#ifndef LITEMP_TESTS_TESTUTIL_GENERATED_DATA_H_
#define LITEMP_TESTS_TESTUTIL_GENERATED_DATA_H_

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "data/fixtures.h"
#include "data/zip_fixture.h"
#include "testutil/kernel_runner.h"
#include "testutil/model_builder.h"

namespace litemp::test {

inline std::string NpyOf(const Tensor& t) {
  std::string shape = "(";
  for (int64_t d : t.shape()) shape += std::to_string(d) + ",";
  shape += ")";
  return NpyBytes("<f4", shape, std::string(static_cast<const char*>(t.raw_data()), t.nbytes()));
}

// Writes `n` samples for the inputs of `b` into `dir` (created), named s000.npy/.npz, ...;
// symbolic non-batch dims become 1.
inline void WriteGeneratedSamples(const ModelBuilder& b, const std::string& dir, int n) {
  std::filesystem::create_directories(dir);
  const auto& g = b.proto().graph();
  for (int i = 0; i < n; ++i) {
    std::vector<ZipEntry> arrays;
    for (int k = 0; k < g.input_size(); ++k) {
      Shape s;  // one sample: the batch dim dropped
      const auto& dims = g.input(k).type().tensor_type().shape().dim();
      for (int d = 1; d < dims.size(); ++d) s.push_back(dims[d].has_dim_value() ? dims[d].dim_value() : 1);
      arrays.push_back({g.input(k).name() + ".npy", NpyOf(RandomTensor(s, static_cast<uint32_t>(1000 * k + i), -1.f, 1.f))});
    }
    char name[32];
    std::snprintf(name, sizeof name, arrays.size() == 1 ? "s%03d.npy" : "s%03d.npz", i);
    WriteBytes(dir + "/" + name, arrays.size() == 1 ? arrays[0].data : ZipBytes(arrays));
  }
}

}  // namespace litemp::test

#endif  // LITEMP_TESTS_TESTUTIL_GENERATED_DATA_H_
