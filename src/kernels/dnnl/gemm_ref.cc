// Naive Gemm and MatMul references (double accumulation).
#include "core/parallel.h"
#include "kernels/dnnl/gemm.h"
#include "kernels/util.h"

namespace litemp {

namespace {

Status CheckSameFloat(const Tensor& a, const Tensor& b, const Tensor* c) {
  if (a.dtype() != b.dtype() || (c && c->dtype() != a.dtype()))
    return Status::InvalidArgument(std::string("input dtypes differ: ") + DTypeName(a.dtype()) + " vs " +
                                   DTypeName(b.dtype()) + (c ? std::string(" vs ") + DTypeName(c->dtype()) : ""));
  return Status::OK();
}

}  // namespace

Status GemmDims(const Shape& a, const Shape& b, const Shape* c, bool trans_a, bool trans_b, int64_t* m, int64_t* n,
                int64_t* k) {
  if (a.size() != 2 || b.size() != 2)
    return Status::InvalidArgument("Gemm needs 2-D A and B, got " + ShapeToString(a) + " and " + ShapeToString(b));
  *m = trans_a ? a[1] : a[0];
  *k = trans_a ? a[0] : a[1];
  *n = trans_b ? b[0] : b[1];
  int64_t kb = trans_b ? b[1] : b[0];
  if (*k != kb)
    return Status::InvalidArgument("Gemm inner dims differ: A " + ShapeToString(a) + (trans_a ? "^T" : "") + ", B " +
                                   ShapeToString(b) + (trans_b ? "^T" : ""));
  if (c) {
    auto bs = BroadcastShapes(*c, {*m, *n});
    if (c->size() > 2 || !bs.ok() || bs.value() != Shape{*m, *n})
      return Status::InvalidArgument("Gemm C shape " + ShapeToString(*c) + " does not broadcast to [" +
                                     std::to_string(*m) + "," + std::to_string(*n) + "]");
  }
  return Status::OK();
}

Status RunGemmRef(const Tensor& a0, const Tensor& b0, const Tensor* c0, double alpha, double beta, bool trans_a,
                  bool trans_b, Tensor* y) {
  Tensor a = ToPlain(a0), b = ToPlain(b0), c = c0 ? ToPlain(*c0) : Tensor();
  LITEMP_RETURN_IF_ERROR(CheckSameFloat(a, b, c0 ? &c : nullptr));
  int64_t m, n, k;
  LITEMP_RETURN_IF_ERROR(GemmDims(a.shape(), b.shape(), c.defined() ? &c.shape() : nullptr, trans_a, trans_b, &m, &n, &k));
  std::vector<int64_t> cst = c.defined() ? BroadcastStrides(c.shape(), {m, n}) : std::vector<int64_t>();
  return DispatchFloat(a.dtype(), [&]<class T>() {
    Tensor out(a.dtype(), {m, n});
    const T *pa = a.data<T>(), *pb = b.data<T>();
    const T* pc = c.defined() ? c.data<T>() : nullptr;
    T* py = out.data<T>();
    ParallelFor(m, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i)
        for (int64_t j = 0; j < n; ++j) {
          double acc = 0;
          for (int64_t p = 0; p < k; ++p) {
            double av = trans_a ? pa[p * m + i] : pa[i * k + p];
            double bv = trans_b ? pb[j * k + p] : pb[p * n + j];
            acc += av * bv;
          }
          double r = alpha * acc;
          if (pc) r += beta * static_cast<double>(pc[i * cst[0] + j * cst[1]]);
          py[i * n + j] = static_cast<T>(r);
        }
    }, n * k);
    *y = std::move(out);
    return Status::OK();
  });
}

Result<Shape> MatMulShape(const Shape& a, const Shape& b) {
  if (a.empty() || b.empty())
    return Status::InvalidArgument("MatMul operands must have rank >= 1, got " + ShapeToString(a) + " and " +
                                   ShapeToString(b));
  Shape a2 = a.size() == 1 ? Shape{1, a[0]} : a;
  Shape b2 = b.size() == 1 ? Shape{b[0], 1} : b;
  int64_t k = a2.back(), kb = b2[b2.size() - 2];
  if (k != kb)
    return Status::InvalidArgument("MatMul inner dims differ: " + ShapeToString(a) + " x " + ShapeToString(b));
  auto batch = BroadcastShapes(Shape(a2.begin(), a2.end() - 2), Shape(b2.begin(), b2.end() - 2));
  if (!batch.ok())
    return Status::InvalidArgument("MatMul batch dims do not broadcast: " + ShapeToString(a) + " x " +
                                   ShapeToString(b));
  Shape out = batch.value();
  if (a.size() > 1) out.push_back(a2[a2.size() - 2]);
  if (b.size() > 1) out.push_back(b2.back());
  return out;
}

Status RunMatMulRef(const Tensor& a0, const Tensor& b0, Tensor* y) {
  Tensor a = ToPlain(a0), b = ToPlain(b0);
  LITEMP_RETURN_IF_ERROR(CheckSameFloat(a, b, nullptr));
  LITEMP_ASSIGN_OR_RETURN(Shape out_shape, MatMulShape(a.shape(), b.shape()));
  Shape as = a.rank() == 1 ? Shape{1, a.dim(0)} : a.shape();
  Shape bs = b.rank() == 1 ? Shape{b.dim(0), 1} : b.shape();
  const int64_t m = as[as.size() - 2], k = as.back(), n = bs.back();
  Shape batch = BroadcastShapes(Shape(as.begin(), as.end() - 2), Shape(bs.begin(), bs.end() - 2)).value();
  // Strides (in matrices) of each operand along the broadcast batch dims.
  auto sa = BroadcastStrides(Shape(as.begin(), as.end() - 2), batch);
  auto sb = BroadcastStrides(Shape(bs.begin(), bs.end() - 2), batch);
  const int64_t nb = NumElements(batch);
  return DispatchFloat(a.dtype(), [&]<class T>() {
    Tensor out(a.dtype(), out_shape);
    const T *pa = a.data<T>(), *pb = b.data<T>();
    T* py = out.data<T>();
    ParallelFor(nb * m, [&](int64_t begin, int64_t end) {
      for (int64_t bi_m = begin; bi_m < end; ++bi_m) {
        int64_t bi = bi_m / m, i = bi_m % m, oa = 0, ob = 0, rem = bi;
        for (int d = static_cast<int>(batch.size()) - 1; d >= 0; --d) {
          int64_t idx = rem % batch[d];
          rem /= batch[d];
          oa += idx * sa[d];
          ob += idx * sb[d];
        }
        const T* am = pa + oa * m * k + i * k;
        const T* bm = pb + ob * k * n;
        for (int64_t j = 0; j < n; ++j) {
          double acc = 0;
          for (int64_t p = 0; p < k; ++p) acc += static_cast<double>(am[p]) * bm[p * n + j];
          py[bi_m * n + j] = static_cast<T>(acc);
        }
      }
    }, n * k);
    *y = std::move(out);
    return Status::OK();
  });
}

}  // namespace litemp
