// Gemm on oneDNN's sgemm (row-major BLAS), with RunGemmRef for float64.
#include "kernels/dnnl/gemm.h"

#include "core/parallel.h"
#include "kernels/dnnl/dnnl_engine.h"
#include "kernels/util.h"
#include "litemp/kernel_set.h"

namespace litemp {

Status GemmKernel::Init(const KernelInit& init) {
  const Attributes& a = init.attrs();
  alpha_ = a.GetFloat("alpha", 1.f);
  beta_ = a.GetFloat("beta", 1.f);
  trans_a_ = a.GetInt("transA", 0) != 0;
  trans_b_ = a.GetInt("transB", 0) != 0;
  if (!init.has_input(0) || !init.has_input(1))
    return Status::InvalidArgument("Gemm needs inputs A and B, got " + std::to_string(init.num_inputs()));
  return Status::OK();
}

Status GemmKernel::Run(KernelContext& ctx) {
  const Tensor* a = ctx.input(0);
  const Tensor* b = ctx.input(1);
  const Tensor* c = ctx.input(2);
  if (!a || !b) return Status::InvalidArgument("Gemm needs inputs A and B");
  if (a->dtype() != DType::kFloat32 || b->dtype() != DType::kFloat32 || (c && c->dtype() != DType::kFloat32))
    return RunGemmRef(*a, *b, c, alpha_, beta_, trans_a_, trans_b_, ctx.output(0));
  int64_t m, n, k;
  LITEMP_RETURN_IF_ERROR(GemmDims(a->shape(), b->shape(), c ? &c->shape() : nullptr, trans_a_, trans_b_, &m, &n, &k));
  Tensor y(DType::kFloat32, {m, n});
  float* py = y.data<float>();
  // Y starts as C broadcast to [M,N] so that sgemm's beta applies to it.
  float beta = 0.f;
  if (c && beta_ != 0.f) {
    beta = beta_;
    Tensor cp = ToPlain(*c);
    auto st = BroadcastStrides(cp.shape(), {m, n});
    const float* pc = cp.data<float>();
    ParallelFor(m, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i)
        for (int64_t j = 0; j < n; ++j) py[i * n + j] = pc[i * st[0] + j * st[1]];
    }, n);
  }
  if (m * n > 0 && k == 0) {
    // sgemm rejects K = 0 (leading dims of 0); the product is empty, so Y = beta * C.
    for (int64_t i = 0; i < m * n; ++i) py[i] = beta == 0.f ? 0.f : beta * py[i];
  } else if (m * n > 0) {
    LITEMP_RETURN_IF_ERROR(UseKernelSet().status());  // sgemm fixes oneDNN's instruction set too
    Tensor ap = ToPlain(*a), bp = ToPlain(*b);
    dnnl::status s;
    try {
      s = dnnl::sgemm(trans_a_ ? 'T' : 'N', trans_b_ ? 'T' : 'N', m, n, k, alpha_, ap.data<float>(),
                      trans_a_ ? m : k, bp.data<float>(), trans_b_ ? k : n, beta, py, n);
    } catch (const dnnl::error& e) {
      return DnnlError(e, "sgemm");
    }
    if (s != dnnl::status::success)
      return Status::Internal("oneDNN sgemm failed (status " + std::to_string(static_cast<int>(s)) + ") for M=" +
                              std::to_string(m) + " N=" + std::to_string(n) + " K=" + std::to_string(k));
  }
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

}  // namespace litemp
