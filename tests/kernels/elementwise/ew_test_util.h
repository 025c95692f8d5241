// Helpers for the element-wise kernel tests: literal tensors, seeded random tensors of any
// type, and RunRaw, which (unlike test::RunKernel) returns outputs in the layout the kernel
// produced so tests can check that NHWC is kept.
#ifndef LITEMP_TESTS_KERNELS_ELEMENTWISE_EW_TEST_UTIL_H_
#define LITEMP_TESTS_KERNELS_ELEMENTWISE_EW_TEST_UTIL_H_

#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "kernels/kernel.h"
#include "testutil/kernel_runner.h"

namespace litemp::ewtest {

using test::AFloat;
using test::AInt;
using test::AString;
using test::NodeSpec;
using test::TensorsNear;

// A tensor of `shape` holding `v` (row-major). Bool is stored from int literals.
template <class T>
Tensor T_(const Shape& shape, const std::vector<T>& v) {
  Tensor t(DTypeOf<T>(), shape);
  EXPECT_EQ(static_cast<int64_t>(v.size()), t.numel()) << "literal size";
  for (int64_t i = 0; i < t.numel() && i < static_cast<int64_t>(v.size()); ++i) t.data<T>()[i] = v[i];
  return t;
}

inline Tensor Bools(const Shape& shape, const std::vector<int>& v) {
  Tensor t(DType::kBool, shape);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<bool>()[i] = v[i] != 0;
  return t;
}

// Seeded random tensor: floats uniform in [lo, hi), integers uniform in [lo, hi].
template <class T>
Tensor Random(const Shape& shape, uint32_t seed, double lo = -4, double hi = 4) {
  Tensor t(DTypeOf<T>(), shape);
  std::mt19937 rng(seed);
  for (int64_t i = 0; i < t.numel(); ++i) {
    if constexpr (std::is_same_v<T, bool>) {
      t.data<T>()[i] = rng() & 1;
    } else if constexpr (std::is_floating_point_v<T>) {
      t.data<T>()[i] = static_cast<T>(std::uniform_real_distribution<double>(lo, hi)(rng));
    } else {
      t.data<T>()[i] = static_cast<T>(std::uniform_int_distribution<int64_t>(
          static_cast<int64_t>(lo), static_cast<int64_t>(hi))(rng));
    }
  }
  return t;
}

// Creates the element-wise kernel for `spec` and runs it once; outputs keep their layout.
inline Result<std::vector<Tensor>> RunRaw(const NodeSpec& spec, const std::vector<Tensor>& inputs) {
  NodeSpec raw = spec;
  raw.keep_layout = true;
  return test::RunKernel(RegisterElementwiseKernels, raw, inputs);
}

// Runs through test::RunKernel (plain outputs) and returns output 0, failing the test on error.
inline Tensor Run1(const NodeSpec& spec, const std::vector<Tensor>& inputs) {
  auto r = test::RunKernel(RegisterElementwiseKernels, spec, inputs);
  EXPECT_TRUE(r.ok()) << spec.op_type << ": " << r.status().ToString();
  return r.ok() ? r.value()[0] : Tensor();
}

inline NodeSpec Spec(const std::string& op, int opset = 17,
                     std::vector<std::pair<std::string, Attribute>> attrs = {}) {
  NodeSpec s;
  s.op_type = op;
  s.opset = opset;
  s.attrs = std::move(attrs);
  return s;
}

}  // namespace litemp::ewtest

#endif  // LITEMP_TESTS_KERNELS_ELEMENTWISE_EW_TEST_UTIL_H_
