// Helpers for the movement kernel tests: tensor literals, running one op at an opset,
// and reading results back as vectors.
#ifndef LITEMP_TESTS_KERNELS_MOVEMENT_MOVEMENT_TESTING_H_
#define LITEMP_TESTS_KERNELS_MOVEMENT_MOVEMENT_TESTING_H_

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "testutil/kernel_runner.h"

namespace litemp::mtest {

using test::AFloat;
using test::AFloats;
using test::AInt;
using test::AInts;
using test::AString;
using test::ATensor;
using test::NodeSpec;

using Attrs = std::vector<std::pair<std::string, Attribute>>;

inline Tensor F32(const std::vector<float>& v, Shape s = {}) { return Tensor::FromVector<float>(v, std::move(s)); }
inline Tensor I64(const std::vector<int64_t>& v, Shape s = {}) { return Tensor::FromVector<int64_t>(v, std::move(s)); }
inline Tensor I32(const std::vector<int32_t>& v, Shape s = {}) { return Tensor::FromVector<int32_t>(v, std::move(s)); }

// [0, 1, 2, ...] as float32 of the given shape.
inline Tensor Iota(const Shape& s, float start = 0) {
  Tensor t(DType::kFloat32, s);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = start + static_cast<float>(i);
  return t;
}

// Seeded random tensor of any dtype (random bytes; bools are 0/1).
inline Tensor RandomBytes(DType dt, const Shape& s, uint32_t seed) {
  Tensor t(dt, s);
  std::mt19937 rng(seed);
  auto* p = static_cast<uint8_t*>(t.raw_data());
  for (size_t i = 0; i < t.nbytes(); ++i) p[i] = dt == DType::kBool ? rng() % 2 : static_cast<uint8_t>(rng());
  return t;
}

inline NodeSpec Op(std::string op, int opset, Attrs attrs = {}, int outputs = 1) {
  NodeSpec s;
  s.op_type = std::move(op);
  s.opset = opset;
  s.attrs = std::move(attrs);
  s.num_outputs = outputs;
  return s;
}

// Runs the op; on failure returns the status.
inline Result<std::vector<Tensor>> RunOp(const NodeSpec& spec, const std::vector<Tensor>& inputs) {
  return test::RunKernel(RegisterMovementKernels, spec, inputs);
}

// Runs the op and returns output 0 (an undefined tensor + test failure on error).
inline Tensor Run1(const NodeSpec& spec, const std::vector<Tensor>& inputs) {
  auto r = RunOp(spec, inputs);
  EXPECT_TRUE(r.ok()) << spec.op_type << ": " << r.status().ToString();
  return r.ok() ? r.value()[0] : Tensor();
}

template <class T>
std::vector<T> Values(const Tensor& t) {
  if (!t.defined()) return {};
  const T* p = t.data<T>();
  return std::vector<T>(p, p + t.numel());
}

// Byte-exact equality of dtype, shape and contents.
inline ::testing::AssertionResult SameTensor(const Tensor& a, const Tensor& b) {
  if (a.dtype() != b.dtype()) return ::testing::AssertionFailure() << "dtypes differ";
  if (a.shape() != b.shape())
    return ::testing::AssertionFailure() << "shape " << ShapeToString(a.shape()) << " vs " << ShapeToString(b.shape());
  Tensor pa = ToPlain(a), pb = ToPlain(b);
  const auto* x = static_cast<const uint8_t*>(pa.raw_data());
  const auto* y = static_cast<const uint8_t*>(pb.raw_data());
  for (size_t i = 0; i < pa.nbytes(); ++i)
    if (x[i] != y[i]) return ::testing::AssertionFailure() << "byte " << i << " differs";
  return ::testing::AssertionSuccess();
}

}  // namespace litemp::mtest

#endif  // LITEMP_TESTS_KERNELS_MOVEMENT_MOVEMENT_TESTING_H_
