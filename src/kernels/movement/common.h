// Small helpers shared by the movement kernels: reading shape-like inputs, axis lists,
// scalar conversion, and the NHWC axis mapping.
#ifndef LITEMP_KERNELS_MOVEMENT_COMMON_H_
#define LITEMP_KERNELS_MOVEMENT_COMMON_H_

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/kernel.h"
#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp::movement {

// Values of an int32/int64 tensor; InvalidArgument naming `what` for other dtypes.
Result<std::vector<int64_t>> ReadInts(const Tensor& t, const std::string& what);

// Values of any numeric or bool tensor (float16 included) as double.
Result<std::vector<double>> ReadDoubles(const Tensor& t, const std::string& what);

// Writes `v` as one element of dtype `dt` at dst: integers are rounded to nearest and
// saturated, bool is v != 0, float16 rounds to nearest even.
Status StoreScalar(DType dt, double v, void* dst);

// The single value of a scalar or one-element tensor, as int64 / double.
Result<int64_t> ReadScalarInt(const Tensor& t, const std::string& what);

// Normalises every axis into [0, rank) and rejects repeated axes.
Status NormalizeAxes(std::vector<int64_t>* axes, int rank);

// "[1,2,3]".
std::string IntsToString(const std::vector<int64_t>& v);

// For a rank-4 NHWC tensor: the storage position of logical axis `a` (N,C,H,W -> 0,3,1,2).
inline int NhwcStorageAxis(int a) {
  static constexpr int kMap[4] = {0, 3, 1, 2};
  return kMap[a];
}
// The storage-order shape [N,H,W,C] of a logical NCHW shape.
inline Shape NhwcStorageShape(const Shape& s) { return {s[0], s[2], s[3], s[1]}; }

}  // namespace litemp::movement

#endif  // LITEMP_KERNELS_MOVEMENT_COMMON_H_
