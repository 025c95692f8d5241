// Naive element-at-a-time versions of the optimised movement kernels. Tests use them as
// oracles for randomized comparisons. Plain layout, any fixed-size dtype; arguments are
// assumed valid (axes normalised, indices in range) — they do no error checking.
#ifndef LITEMP_KERNELS_MOVEMENT_REFERENCE_H_
#define LITEMP_KERNELS_MOVEMENT_REFERENCE_H_

#include <cstdint>
#include <vector>

#include "litemp/tensor.h"

namespace litemp::movement::reference {

// out[i_0..] = x[i_{perm^-1}...]: out.shape[k] = x.shape[perm[k]].
Tensor Transpose(const Tensor& x, const std::vector<int64_t>& perm);

// Concatenation along `axis` (in [0, rank)).
Tensor Concat(const std::vector<Tensor>& xs, int64_t axis);

// ONNX Slice: one (start, end, step) per entry of `axes`; other axes are kept whole.
Tensor Slice(const Tensor& x, const std::vector<int64_t>& starts, const std::vector<int64_t>& ends,
             const std::vector<int64_t>& axes, const std::vector<int64_t>& steps);

// ONNX Gather along `axis` (in [0, rank)); indices int32/int64, may be negative.
Tensor Gather(const Tensor& x, const Tensor& indices, int64_t axis);

}  // namespace litemp::movement::reference

#endif  // LITEMP_KERNELS_MOVEMENT_REFERENCE_H_
