// Naive reference convolutions (float32 and float64): the fallback when oneDNN cannot run
// a configuration and the oracle the tests compare the fast kernels against. Plain
// row-major layouts only. Sums are accumulated in double. Parallel over (batch, channel).
#ifndef LITEMP_KERNELS_DNNL_CONV_REF_H_
#define LITEMP_KERNELS_DNNL_CONV_REF_H_

#include "kernels/dnnl/pads.h"

namespace litemp {

// y = Conv(x, w) + b. x [N,C,in...], w [M,C/group,k...], b [M] or nullptr,
// y [N,M,out...] (written, not accumulated). Geometry from ResolveConv.
template <class T>
void ConvRef(const ConvGeometry& g, const T* x, const T* w, const T* b, T* y);

// y = ConvTranspose(x, w) + b. x [N,C,in...], w [C,M/group,k...], b [M] or nullptr,
// y [N,M,out...]. Geometry from ResolveConvTranspose (pads may be negative).
template <class T>
void ConvTransposeRef(const ConvGeometry& g, const T* x, const T* w, const T* b, T* y);

// Runs ConvRef/ConvTransposeRef on tensors of dtype float32 or float64 (NotSupported
// otherwise); inputs may be NHWC, the output is plain. `b` may be null.
Status RunConvRef(const ConvGeometry& g, bool transpose, const Tensor& x, const Tensor& w, const Tensor* b,
                  Tensor* y);

}  // namespace litemp

#endif  // LITEMP_KERNELS_DNNL_CONV_REF_H_
