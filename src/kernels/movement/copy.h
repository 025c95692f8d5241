// Data-movement engines shared by the movement kernels. They work on raw elements of a
// given byte size (1, 2, 4 or 8), so one implementation serves every dtype. Large copies
// are split with ParallelFor; contiguous runs use memcpy.
#ifndef LITEMP_KERNELS_MOVEMENT_COPY_H_
#define LITEMP_KERNELS_MOVEMENT_COPY_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "litemp/tensor.h"

namespace litemp::movement {

// Copies a strided view into another: for every index (i_0..i_{r-1}) < shape,
//   dst[sum i_d * dst_strides[d]] = src[sum i_d * src_strides[d]]   (strides in elements).
// Strides may be zero (broadcast reads) or negative (reversed reads). Handles transposes
// with a cache-blocked path when the source's unit-stride dim is not the innermost one.
// REQUIRES: elem_size in {1,2,4,8}; the two views do not overlap; equal stride vector sizes.
void CopyStrided(const void* src, const std::vector<int64_t>& src_strides, void* dst,
                 const std::vector<int64_t>& dst_strides, const Shape& shape, size_t elem_size);

// Copies `src` (contiguous, shape `shape`) into the contiguous buffer `dst` with its dims
// permuted: out.shape[i] = shape[perm[i]].
// REQUIRES: perm is a permutation of [0, shape.size()).
void TransposeRaw(const void* src, void* dst, const Shape& shape, const std::vector<int64_t>& perm, size_t elem_size);

// Gathers with one index table per axis: for every output index (o_0..o_{r-1}),
//   dst[o] = src[maps[0][o_0], ..., maps[r-1][o_{r-1}]],
// where the output shape is (maps[d].size()). A negative map entry writes the element at
// `fill` instead (used for extrapolated Resize samples); `fill` may be null if none is
// negative. src is contiguous with shape `in_shape`; dst is contiguous.
void GatherAxes(const void* src, const Shape& in_shape, void* dst, const std::vector<std::vector<int64_t>>& maps,
                size_t elem_size, const void* fill);

// Sets n elements of dst to the element at `value`.
void FillRaw(void* dst, int64_t n, const void* value, size_t elem_size);

}  // namespace litemp::movement

#endif  // LITEMP_KERNELS_MOVEMENT_COPY_H_
