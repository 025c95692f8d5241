// Gemm and MatMul on oneDNN, with naive references (float32/float64) used as fallback and
// as the tests' oracle.
//
// Gemm: Y = alpha * op(A) * op(B) + beta * C, C unidirectionally broadcast to [M,N]
// (scalar, [N], [1,N], [M,1], [M,N]); float32 runs on oneDNN's sgemm.
// MatMul: numpy semantics (1-D operands, broadcast batch dims); float32 runs on a cached
// oneDNN matmul primitive per shape pair, with a constant B reordered once.
#ifndef LITEMP_KERNELS_DNNL_GEMM_H_
#define LITEMP_KERNELS_DNNL_GEMM_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kernels/kernel.h"

namespace litemp {

// Resolves Gemm's M, N, K from the shapes of A, B (and C when non-null); InvalidArgument
// when they do not fit (C must broadcast to [M,N]).
Status GemmDims(const Shape& a, const Shape& b, const Shape* c, bool trans_a, bool trans_b, int64_t* m, int64_t* n,
                int64_t* k);

// Reference Gemm on plain float32/float64 tensors; `c` may be null. Validates shapes.
Status RunGemmRef(const Tensor& a, const Tensor& b, const Tensor* c, double alpha, double beta, bool trans_a,
                  bool trans_b, Tensor* y);

// Output shape of numpy matmul, or InvalidArgument naming both shapes.
Result<Shape> MatMulShape(const Shape& a, const Shape& b);
// Reference numpy MatMul on plain float32/float64 tensors.
Status RunMatMulRef(const Tensor& a, const Tensor& b, Tensor* y);

class GemmKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  float alpha_ = 1.f, beta_ = 1.f;
  bool trans_a_ = false, trans_b_ = false;
};

class MatMulKernel final : public Kernel {
 public:
  MatMulKernel();
  ~MatMulKernel() override;
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;
  // oneDNN implementation of the last run ("ref" for the fallback); for tests.
  const std::string& last_impl() const { return last_impl_; }

 private:
  struct Prim;
  static Status BuildPrim(const Shape& a, const Shape& b, bool const_b, Prim* p);

  Tensor const_b_;  // defined when B is an initializer
  std::map<std::vector<int64_t>, std::unique_ptr<Prim>> cache_;
  std::string last_impl_;
};

}  // namespace litemp

#endif  // LITEMP_KERNELS_DNNL_GEMM_H_
