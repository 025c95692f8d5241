// ONNX shape inference run in a child process. libonnx 1.12's inference functions index
// protobuf fields without bounds checks on some malformed models (e.g. a Conv whose input
// has fewer dims than its weight) and crash; in a child, a crash only costs the inferred
// shapes, which litemp does not need (kernels compute shapes at run time).
#ifndef LITEMP_ONNX_ISOLATED_INFERENCE_H_
#define LITEMP_ONNX_ISOLATED_INFERENCE_H_

#include <onnx/onnx_pb.h>

#include "litemp/status.h"

namespace litemp {

// Runs onnx::shape_inference::InferShapes on a forked copy of `model` and, when it
// succeeds, copies the inferred graph value_info and output types into `model`. On failure
// (an inference error, a crash, no fork) `model` is unchanged and the status says what
// happened. Not thread-safe with respect to other forks of the caller.
Status InferShapesIsolated(onnx::ModelProto* model);

}  // namespace litemp

#endif  // LITEMP_ONNX_ISOLATED_INFERENCE_H_
