// Naive reference implementations of the broadcasting element-wise ops: one multi-index
// computation per element on plain copies, no plans, no threads. Tests use them as the
// oracle for the optimised kernels (same scalar functors, independent indexing and layout
// handling). Not for production use: slow by design.
#ifndef LITEMP_KERNELS_ELEMENTWISE_REFERENCE_H_
#define LITEMP_KERNELS_ELEMENTWISE_REFERENCE_H_

#include <cassert>

#include "kernels/util.h"

namespace litemp {

// Offset in a plain tensor of shape `in` of output element `flat` (numpy broadcasting:
// shapes right-aligned, size-1 dims read index 0).
inline int64_t ReferenceOffset(const Shape& in, const Shape& out, int64_t flat) {
  int64_t off = 0, stride = 1;
  int k = static_cast<int>(in.size()) - 1;
  for (int d = static_cast<int>(out.size()) - 1; d >= 0; --d, --k) {
    int64_t idx = flat % out[d];
    flat /= out[d];
    if (k >= 0) {
      if (in[k] != 1) off += idx * stride;
      stride *= in[k];
    }
  }
  return off;
}

// out = f(a, b) with broadcasting, plain output of dtype TO.
// REQUIRES: the shapes broadcast; element types match TA/TB.
template <class TO, class TA, class TB, class F>
Tensor ReferenceBinary(const Tensor& a0, const Tensor& b0, F f) {
  Tensor a = ToPlain(a0), b = ToPlain(b0);
  auto shape = BroadcastShapes(a.shape(), b.shape());
  assert(shape.ok());
  Tensor out(DTypeOf<TO>(), shape.value());
  for (int64_t i = 0; i < out.numel(); ++i) {
    out.data<TO>()[i] = f(a.data<TA>()[ReferenceOffset(a.shape(), out.shape(), i)],
                          b.data<TB>()[ReferenceOffset(b.shape(), out.shape(), i)]);
  }
  return out;
}

// Where(c, x, y) with three-way broadcasting; T is x's element type.
template <class T>
Tensor ReferenceWhere(const Tensor& c0, const Tensor& x0, const Tensor& y0) {
  Tensor c = ToPlain(c0), x = ToPlain(x0), y = ToPlain(y0);
  auto s1 = BroadcastShapes(c.shape(), x.shape());
  assert(s1.ok());
  auto shape = BroadcastShapes(s1.value(), y.shape());
  assert(shape.ok());
  Tensor out(x.dtype(), shape.value());
  for (int64_t i = 0; i < out.numel(); ++i) {
    bool k = c.data<bool>()[ReferenceOffset(c.shape(), out.shape(), i)];
    out.data<T>()[i] = k ? x.data<T>()[ReferenceOffset(x.shape(), out.shape(), i)]
                         : y.data<T>()[ReferenceOffset(y.shape(), out.shape(), i)];
  }
  return out;
}

// y = f(x) element by element, plain output of dtype TO.
template <class TO, class TI, class F>
Tensor ReferenceUnary(const Tensor& x0, F f) {
  Tensor x = ToPlain(x0);
  Tensor out(DTypeOf<TO>(), x.shape());
  for (int64_t i = 0; i < x.numel(); ++i) out.data<TO>()[i] = f(x.data<TI>()[i]);
  return out;
}

}  // namespace litemp

#endif  // LITEMP_KERNELS_ELEMENTWISE_REFERENCE_H_
