// Helpers shared by kernels: axis handling, numpy broadcasting, dtype dispatch, fp16.
#ifndef LITEMP_KERNELS_UTIL_H_
#define LITEMP_KERNELS_UTIL_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp {

// Normalises a possibly negative axis into [0, rank); InvalidArgument when out of range.
Status NormalizeAxis(int64_t axis, int rank, int64_t* out);

// Numpy-style broadcast of two shapes; InvalidArgument naming both when incompatible.
Result<Shape> BroadcastShapes(const Shape& a, const Shape& b);

// Strides (in elements) of `in` broadcast to `out`: 0 along broadcast dims.
// REQUIRES: in.size() <= out.size() and `in` broadcasts to `out`.
std::vector<int64_t> BroadcastStrides(const Shape& in, const Shape& out);

// Row-major strides of a shape.
std::vector<int64_t> Strides(const Shape& s);

// Reads an integer tensor (int32 or int64) as int64 values.
Result<std::vector<int64_t>> ToInt64Vector(const Tensor& t);

// IEEE binary16 <-> float, round to nearest even, overflow to inf (F16C when available).
uint16_t FloatToHalf(float f);
float HalfToFloat(uint16_t h);
void FloatToHalf(const float* src, uint16_t* dst, int64_t n);
void HalfToFloat(const uint16_t* src, float* dst, int64_t n);

// Calls fn.template operator()<T>() for the C++ type T of `dt`. Returns NotSupported for
// dtypes not in the list. Usage:
//   return DispatchNumeric(dt, [&]<class T>() { ...; return Status::OK(); });
template <class F>
Status DispatchNumeric(DType dt, F&& fn) {
  switch (dt) {
    case DType::kFloat32: return fn.template operator()<float>();
    case DType::kFloat64: return fn.template operator()<double>();
    case DType::kInt64: return fn.template operator()<int64_t>();
    case DType::kInt32: return fn.template operator()<int32_t>();
    case DType::kInt16: return fn.template operator()<int16_t>();
    case DType::kInt8: return fn.template operator()<int8_t>();
    case DType::kUInt8: return fn.template operator()<uint8_t>();
    case DType::kUInt16: return fn.template operator()<uint16_t>();
    case DType::kUInt32: return fn.template operator()<uint32_t>();
    case DType::kUInt64: return fn.template operator()<uint64_t>();
    default: return Status::NotSupported(std::string("data type ") + DTypeName(dt));
  }
}

// Float types only (float32, float64).
template <class F>
Status DispatchFloat(DType dt, F&& fn) {
  switch (dt) {
    case DType::kFloat32: return fn.template operator()<float>();
    case DType::kFloat64: return fn.template operator()<double>();
    default: return Status::NotSupported(std::string("data type ") + DTypeName(dt));
  }
}

// Any fixed-size element type, by byte size: for ops that only move data
// (Transpose, Concat, Gather, ...). T is uint8_t/uint16_t/uint32_t/uint64_t.
template <class F>
Status DispatchBySize(DType dt, F&& fn) {
  switch (DTypeSize(dt)) {
    case 1: return fn.template operator()<uint8_t>();
    case 2: return fn.template operator()<uint16_t>();
    case 4: return fn.template operator()<uint32_t>();
    case 8: return fn.template operator()<uint64_t>();
    default: return Status::NotSupported(std::string("data type ") + DTypeName(dt));
  }
}

}  // namespace litemp

#endif  // LITEMP_KERNELS_UTIL_H_
