// Test helpers: run one kernel on given inputs without an executor, seeded random
// tensors, tolerant comparisons, and the location of the shared models/data.
#ifndef LITEMP_TESTS_TESTUTIL_KERNEL_RUNNER_H_
#define LITEMP_TESTS_TESTUTIL_KERNEL_RUNNER_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kernels/kernel.h"

namespace litemp::test {

using RegisterFn = void (*)(KernelRegistry*);

struct NodeSpec {
  std::string op_type;
  std::vector<std::pair<std::string, Attribute>> attrs;
  int opset = 17;
  int num_outputs = 1;
  // Inputs given here are initializers (constant at kernel creation); the rest are runtime.
  std::vector<bool> constant_inputs;
  // Return outputs in the layout the kernel produced (default: converted to plain).
  bool keep_layout = false;
};

// Attribute builders.
Attribute AInt(int64_t v);
Attribute AFloat(float v);
Attribute AString(std::string v);
Attribute AInts(std::vector<int64_t> v);
Attribute AFloats(std::vector<float> v);
Attribute ATensor(Tensor t);

// Creates the kernel registered by `reg` for spec.op_type and runs it once. An undefined
// input tensor means an omitted optional input.
Result<std::vector<Tensor>> RunKernel(RegisterFn reg, const NodeSpec& spec, const std::vector<Tensor>& inputs);

// Seeded uniform random float tensor in [lo, hi).
Tensor RandomTensor(const Shape& shape, uint32_t seed, float lo = -1.f, float hi = 1.f);

// Expects equal shape/dtype and |a-b| <= atol + rtol*|b| elementwise (floats), exact otherwise.
// Both are converted to plain layout first.
::testing::AssertionResult TensorsNear(const Tensor& a, const Tensor& b, double atol = 1e-5, double rtol = 1e-4);

// ../shared (or $LITEMP_SHARED); empty string when absent.
std::string SharedDir();
// GTEST_SKIP()s the current test with a message when the shared folder is absent.
#define LITEMP_REQUIRE_SHARED()                                                  \
  do {                                                                           \
    if (::litemp::test::SharedDir().empty()) GTEST_SKIP() << "shared/ not found; set LITEMP_SHARED"; \
  } while (0)

}  // namespace litemp::test

#endif  // LITEMP_TESTS_TESTUTIL_KERNEL_RUNNER_H_
