// Tensor comparison shared by the ONNX backend runner and the ORT oracle test.
//
// Floating-point elements (float16/32/64, compared as double) pass when
//   |got - want| <= atol + rtol * max(rel_floor, |want|)
// NaN matches NaN and an infinity only the same infinity (numpy's assert_allclose with
// rel_floor = 0).
// Integer and bool elements must be equal. Dtypes and shapes must match exactly.
#ifndef LITEMP_TESTS_BACKEND_TENSOR_COMPARE_H_
#define LITEMP_TESTS_BACKEND_TENSOR_COMPARE_H_

#include <string>

#include "litemp/tensor.h"

namespace litemp::test {

struct Tolerance {
  double atol = 1e-7;
  double rtol = 1e-3;
  double rel_floor = 0;  // 1 turns rtol into "relative, but absolute below |want| = 1"
};

// Empty when `got` matches `want`; otherwise a one-line description: the first mismatching
// element (multi-index, both values, the allowed tolerance), how many mismatch, and the
// largest difference. Both tensors are converted to plain layout first.
std::string CompareTensors(const Tensor& got, const Tensor& want, const Tolerance& tol);

}  // namespace litemp::test

#endif  // LITEMP_TESTS_BACKEND_TENSOR_COMPARE_H_
