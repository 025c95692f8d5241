// Checks shared by the TensorProto conversions (src/onnx/tensor_proto.cc) and the
// external-data loader (src/onnx/external_data.cc). Thread-safe (no state).
#ifndef LITEMP_ONNX_TENSOR_PROTO_H_
#define LITEMP_ONNX_TENSOR_PROTO_H_

#include <onnx/onnx_pb.h>

#include <string>

#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp {

// The element type and shape `p` declares. NotSupported for a type litemp has no storage for
// (strings, complex, ...); Corruption for a negative dim or an implausibly large tensor. Each
// message names the tensor.
Status ProtoTypeAndShape(const onnx::TensorProto& p, DType* dtype, Shape* shape);

// Corruption naming the tensor when `have` bytes of data were given for `shape` of `dtype`,
// which needs another count; OK when they match.
Status CheckDataBytes(const onnx::TensorProto& p, int64_t have, DType dtype, const Shape& shape);

}  // namespace litemp

#endif  // LITEMP_ONNX_TENSOR_PROTO_H_
